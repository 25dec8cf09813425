/*
 * bgp_sess_testutil.h - what the session tests (test_bgp_sess_*.c) share
 * on top of bgp_speaker_testutil.h: the wire times of the pair the speaker
 * tests use, a trace in a temporary file and its session records read back.
 */
#ifndef XCSIM_BGP_SESS_TESTUTIL_H
#define XCSIM_BGP_SESS_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bgp_speaker_testutil.h"
#include "trace.h"

#define D SIM_MS(1)
/* serialization of an n-byte frame at 1 Gbps */
#define TX(n) ((sim_time)(n) * 8)
/*
 * The active side's Established (test_bgp_speaker.c): SYN, SYN-ACK, ACK
 * with our OPEN, the peer's OPEN and KEEPALIVE: four link delays.
 */
#define T_UP_ACTIVE (4 * D + TX(74) + TX(74) + TX(66) + TX(111) + TX(85))
#define T_UP_PASSIVE (T_UP_ACTIVE + D)

/* A trace to a temporary file. */
struct st_trace {
	char path[64];
	struct trace *tr;
};

static inline void
st_trace_open(struct st_trace *t, struct bs_net *b)
{
	char err[256];
	int fd;

	snprintf(t->path, sizeof(t->path), "/tmp/xcsim_bgpsessXXXXXX");
	fd = mkstemp(t->path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	t->tr = trace_open(t->path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->tr);
	net_set_trace(b->net, t->tr);
}

static inline void
st_trace_close(struct st_trace *t, struct bs_net *b)
{
	char err[256];

	net_set_trace(b->net, NULL);
	CU_ASSERT_EQUAL_FATAL(trace_close(t->tr, err, sizeof(err)), 0);
}

/*
 * Whether node's trace has a BGP session record "STATE REASON" equal to
 * want (kind 0) or starting with it (kind 2; the trace keeps strings of
 * up to 255 bytes), or an annotation containing want (kind 1), at time at
 * (-1: any); the time of the first match in *when.
 */
static inline bool
st_trace_has(struct st_trace *t, uint32_t node, int kind, const char *want,
    sim_time at, sim_time *when)
{
	struct trace_reader *rd;
	struct trace_rec rec;
	char err[256], got[700];
	bool found = false;

	rd = trace_reader_open(t->path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while (!found && trace_reader_next(rd, &rec, err, sizeof(err)) == 1) {
		if (at >= 0 && rec.t != at)
			continue;
		if (kind != 1 && rec.type == TR_SESSION_STATE &&
		    rec.u.session.proto == TRP_BGP &&
		    rec.u.session.node == node) {
			snprintf(got, sizeof(got), "%s %s",
			    rec.u.session.state, rec.u.session.reason);
			found = kind == 0 ? strcmp(got, want) == 0 :
			    strncmp(got, want, strlen(want)) == 0;
		} else if (kind == 1 && rec.type == TR_ANNOTATE &&
		    rec.u.annotate.node == node) {
			found = strstr(rec.u.annotate.text, want) != NULL;
		}
		if (found && when != NULL)
			*when = rec.t;
	}
	trace_reader_close(rd);
	return found;
}

static inline void
st_trace_done(struct st_trace *t)
{
	unlink(t->path);
}

#endif
