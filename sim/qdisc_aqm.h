/*
 * qdisc_aqm.h - RED and CoDel (qdisc_aqm.c), as qdisc.c builds them: the
 * kinds' checks and constructor. Everyone else goes through qdisc.h.
 */
#ifndef XCSIM_QDISC_AQM_H
#define XCSIM_QDISC_AQM_H

#include <stddef.h>
#include <stdint.h>

#include "qdisc.h"

/* qdisc_params_check for QDISC_RED and QDISC_CODEL. */
int qdisc_aqm_check(const struct qdisc_params *qp, char *err, size_t errlen);
/* qdisc_new for QDISC_RED and QDISC_CODEL. */
struct qdisc *qdisc_aqm_new(const struct qdisc_params *qp,
    uint32_t limit_pkts, uint64_t limit_bytes);

#endif
