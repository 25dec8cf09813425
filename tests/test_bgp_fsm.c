/*
 * test_bgp_fsm.c - the BGP-4 session state machine (models/bgp/bgp_fsm.h)
 * against RFC 4271 8.2.2 row by row, table-driven: for each state and
 * each event of 8.1, the next state, the actions asked of the speaker in
 * order, the ConnectRetryCounter and the timers left running; the
 * collision rule of 6.8 alone; configuration checks; reasons in words.
 * The scenarios with exact times are in test_bgp_fsm_run.c.
 */
#include "bgp_fsm_testutil.h"

/* --- RFC 4271 8.2.2, table-driven --- */

enum setup {
	S_IDLE, S_CONNECT, S_ACTIVE, S_OPENSENT, S_OPENCONFIRM,
	S_ESTABLISHED, S_CONNECT_DO, S_ACTIVE_DO, S_MAX
};

static const enum bgp_fsm_state setup_state[S_MAX] = {
	BGP_ST_IDLE, BGP_ST_CONNECT, BGP_ST_ACTIVE, BGP_ST_OPENSENT,
	BGP_ST_OPENCONFIRM, BGP_ST_ESTABLISHED, BGP_ST_CONNECT,
	BGP_ST_ACTIVE,
};

#define F_DO	1u	/* DelayOpen, 5 s */
#define F_SNWO	2u	/* SendNOTIFICATIONwithoutOPEN */
#define F_PASV	4u	/* PassiveTcpEstablishment */
#define F_CFA	8u	/* connect_fail_active (not the RFC's letter) */

#define T_CR	(1u << BGP_TM_CONNECT_RETRY)
#define T_HOLD	(1u << BGP_TM_HOLD)
#define T_KA	(1u << BGP_TM_KEEPALIVE)
#define T_DO	(1u << BGP_TM_DELAY_OPEN)

#define E(x)	(1u << (x))
#define E_STARTS (E(1) | E(3) | E(4) | E(5) | E(6) | E(7))
#define E_ALL	(((1u << 29) - 1) & ~1u)

struct row {
	enum setup setup;
	unsigned flags;
	uint32_t events;
	enum bgp_fsm_state to;
	const char *acts;
	uint32_t crc;		/* ConnectRetryCounter after */
	unsigned timers;	/* running after */
};

#define IDLE BGP_ST_IDLE
#define CONN BGP_ST_CONNECT
#define ACTV BGP_ST_ACTIVE
#define OSNT BGP_ST_OPENSENT
#define OCNF BGP_ST_OPENCONFIRM
#define ESTB BGP_ST_ESTABLISHED

static const struct row rows[] = {
	/* Idle: starts, and everything else ignored */
	{ S_IDLE, 0, E(1) | E(3) | E(6) | E(13), CONN, "connect", 0, T_CR },
	{ S_IDLE, 0, E(4) | E(5) | E(7), ACTV, "", 0, T_CR },
	{ S_IDLE, F_PASV, E(13), ACTV, "", 0, T_CR },
	{ S_IDLE, 0, E_ALL & ~(E(1) | E(3) | E(4) | E(5) | E(6) | E(7) |
	    E(13)), IDLE, "", 0, 0 },
	/* Connect */
	{ S_CONNECT, 0, E(2), IDLE, "close", 0, 0 },
	{ S_CONNECT, 0, E(9), CONN, "close,connect", 0, T_CR },
	{ S_CONNECT, 0, E(12) | E(16) | E(17), OSNT, "open", 0, T_HOLD },
	{ S_CONNECT, 0, E_STARTS | E(14) | E(15), CONN, "", 0, T_CR },
	{ S_CONNECT, 0, E(18), IDLE, "close", 0, 0 },
	{ S_CONNECT, 0, E(20), OCNF, "open,ka", 0, T_HOLD | T_KA },
	{ S_CONNECT, 0, E(21) | E(22) | E(24), IDLE, "close", 1, 0 },
	{ S_CONNECT, 0, E(8) | E(10) | E(11) | E(13) | E(19) | E(23) |
	    E(25) | E(26) | E(27) | E(28), IDLE, "close", 1, 0 },
	{ S_CONNECT, F_SNWO, E(21), IDLE, "notif 1/2,close+n", 1, 0 },
	{ S_CONNECT, F_SNWO, E(22), IDLE, "notif 2/2,close+n", 1, 0 },
	/* Connect, TCP up, DelayOpenTimer running */
	{ S_CONNECT_DO, F_DO, E(12), OSNT, "open", 0, T_HOLD },
	{ S_CONNECT_DO, F_DO, E(9), CONN, "close,connect", 0, T_CR },
	{ S_CONNECT_DO, F_DO, E(18), ACTV, "", 0, T_CR },
	/* the implementations' way: a failed connect keeps listening */
	{ S_CONNECT, F_CFA, E(18), ACTV, "", 0, T_CR },
	{ S_CONNECT_DO, F_DO, E(20), OCNF, "open,ka", 0, T_HOLD | T_KA },
	{ S_CONNECT_DO, F_DO, E(24), IDLE, "close", 0, 0 },
	{ S_CONNECT_DO, F_DO, E(2), IDLE, "close", 0, 0 },
	{ S_CONNECT_DO, F_DO, E(26), IDLE, "close", 1, 0 },
	{ S_CONNECT_DO, F_DO, E_STARTS | E(14) | E(15), CONN, "", 0, T_DO },
	/* Active */
	{ S_ACTIVE, 0, E(2), IDLE, "close", 0, 0 },
	{ S_ACTIVE, 0, E(9), CONN, "connect", 0, T_CR },
	{ S_ACTIVE, F_PASV, E(9), ACTV, "", 0, T_CR },
	{ S_ACTIVE, 0, E(12) | E(16) | E(17), OSNT, "open", 0, T_HOLD },
	{ S_ACTIVE, 0, E_STARTS | E(14) | E(15), ACTV, "", 0, T_CR },
	{ S_ACTIVE, 0, E(18), IDLE, "close", 1, 0 },
	{ S_ACTIVE, 0, E(20), OCNF, "open,ka", 0, T_HOLD | T_KA },
	{ S_ACTIVE, 0, E(21) | E(22) | E(24), IDLE, "close", 1, 0 },
	{ S_ACTIVE, 0, E(8) | E(10) | E(11) | E(13) | E(19) | E(23) |
	    E(25) | E(26) | E(27) | E(28), IDLE, "close", 1, 0 },
	{ S_ACTIVE, F_SNWO, E(22), IDLE, "notif 2/2,close+n", 1, 0 },
	/* Active, TCP up, DelayOpenTimer running */
	{ S_ACTIVE_DO, F_DO, E(2), IDLE, "close", 0, 0 },
	{ S_ACTIVE_DO, F_DO | F_SNWO, E(2), IDLE, "notif 6/2,close+n", 0, 0 },
	{ S_ACTIVE_DO, F_DO, E(12), OSNT, "open", 0, T_HOLD },
	{ S_ACTIVE_DO, F_DO, E(20), OCNF, "open,ka", 0, T_HOLD | T_KA },
	{ S_ACTIVE_DO, F_DO, E(24), IDLE, "close", 0, 0 },
	{ S_ACTIVE_DO, F_DO, E(18), IDLE, "close", 1, 0 },
	/* OpenSent */
	{ S_OPENSENT, 0, E(2), IDLE, "notif 6/2,close+n", 0, 0 },
	{ S_OPENSENT, 0, E(8), IDLE, "notif 6/1,close+n", 1, 0 },
	{ S_OPENSENT, 0, E(10), IDLE, "notif 4/0,close+n", 1, 0 },
	{ S_OPENSENT, 0, E_STARTS | E(14) | E(15) | E(16) | E(17), OSNT, "",
	    0, T_HOLD },
	{ S_OPENSENT, 0, E(18), ACTV, "close", 0, T_CR },
	{ S_OPENSENT, 0, E(19), OCNF, "ka", 0, T_HOLD | T_KA },
	{ S_OPENSENT, 0, E(21), IDLE, "notif 1/2,close+n", 1, 0 },
	{ S_OPENSENT, 0, E(22), IDLE, "notif 2/2,close+n", 1, 0 },
	{ S_OPENSENT, 0, E(23), IDLE, "notif 6/7,close+n", 1, 0 },
	{ S_OPENSENT, 0, E(24), IDLE, "close", 0, 0 },
	{ S_OPENSENT, 0, E(9) | E(11) | E(12) | E(13) | E(20) | E(25) |
	    E(26) | E(27) | E(28), IDLE, "notif 5/1,close+n", 1, 0 },
	/* OpenConfirm */
	{ S_OPENCONFIRM, 0, E(2), IDLE, "notif 6/2,close+n", 0, 0 },
	{ S_OPENCONFIRM, 0, E(8), IDLE, "notif 6/1,close+n", 1, 0 },
	{ S_OPENCONFIRM, 0, E(10), IDLE, "notif 4/0,close+n", 1, 0 },
	{ S_OPENCONFIRM, 0, E(11), OCNF, "ka", 0, T_HOLD | T_KA },
	{ S_OPENCONFIRM, 0, E_STARTS | E(14) | E(15) | E(16) | E(17) | E(19),
	    OCNF, "", 0, T_HOLD | T_KA },
	{ S_OPENCONFIRM, 0, E(18) | E(24) | E(25), IDLE, "close", 1, 0 },
	{ S_OPENCONFIRM, 0, E(21), IDLE, "notif 1/2,close+n", 1, 0 },
	{ S_OPENCONFIRM, 0, E(22), IDLE, "notif 2/2,close+n", 1, 0 },
	{ S_OPENCONFIRM, 0, E(23), IDLE, "notif 6/7,close+n", 1, 0 },
	{ S_OPENCONFIRM, 0, E(26), ESTB, "up", 0, T_HOLD | T_KA },
	{ S_OPENCONFIRM, 0, E(9) | E(12) | E(13) | E(20) | E(27) | E(28),
	    IDLE, "notif 5/2,close+n", 1, 0 },
	/* Established */
	{ S_ESTABLISHED, 0, E(2), IDLE, "notif 6/2,close+n,down", 0, 0 },
	{ S_ESTABLISHED, 0, E(8), IDLE, "notif 6/1,close+n,down", 1, 0 },
	{ S_ESTABLISHED, 0, E(10), IDLE, "notif 4/0,close+n,down", 1, 0 },
	{ S_ESTABLISHED, 0, E(11), ESTB, "ka", 0, T_HOLD | T_KA },
	{ S_ESTABLISHED, 0, E_STARTS | E(14) | E(15) | E(16) | E(17) | E(19) |
	    E(26) | E(27), ESTB, "", 0, T_HOLD | T_KA },
	{ S_ESTABLISHED, 0, E(18) | E(24) | E(25), IDLE, "close,down", 1, 0 },
	{ S_ESTABLISHED, 0, E(21), IDLE, "notif 1/2,close+n,down", 1, 0 },
	{ S_ESTABLISHED, 0, E(23), IDLE, "notif 6/7,close+n,down", 1, 0 },
	{ S_ESTABLISHED, 0, E(28), IDLE, "notif 3/11,close+n,down", 1, 0 },
	{ S_ESTABLISHED, 0, E(9) | E(12) | E(13) | E(20) | E(22), IDLE,
	    "notif 5/3,close+n,down", 1, 0 },
};

/* What the speaker hands over with each event in the table. */
static struct bgp_fsm_arg
row_arg(enum bgp_fsm_event e)
{
	struct bgp_fsm_arg a = { .peer_hold_s = 90 };

	switch (e) {
	case BGP_EV_HEADER_ERR:
		a.notif.code = 1, a.notif.subcode = 2;
		break;
	case BGP_EV_OPEN_ERR:
		a.notif.code = 2, a.notif.subcode = 2;
		break;
	case BGP_EV_UPDATE_ERR:
		a.notif.code = 3, a.notif.subcode = 11;
		break;
	case BGP_EV_NOTIF_VER_ERR:
		a.notif.code = 2, a.notif.subcode = 1;
		break;
	case BGP_EV_NOTIF:
		a.notif.code = 6, a.notif.subcode = 4;
		break;
	case BGP_EV_AUTO_STOP:
		a.notif.subcode = BGP_CEASE_MAX_PREFIX;
		break;
	default:
		break;
	}
	return a;
}

static void
do_setup(struct bgp_fsm *f, struct sim *sim, enum setup s)
{
	switch (s) {
	case S_IDLE:
		break;
	case S_CONNECT:
	case S_CONNECT_DO:
		ev(f, BGP_EV_MANUAL_START);
		at(sim, SIM_S(1));
		if (s == S_CONNECT_DO)
			ev(f, BGP_EV_TCP_CR_ACKED);
		break;
	case S_ACTIVE:
	case S_ACTIVE_DO:
		ev(f, BGP_EV_MANUAL_START_PASSIVE);
		at(sim, SIM_S(1));
		if (s == S_ACTIVE_DO)
			ev(f, BGP_EV_TCP_CONFIRMED);
		break;
	case S_OPENSENT:
	case S_OPENCONFIRM:
	case S_ESTABLISHED:
		ev(f, BGP_EV_MANUAL_START);
		at(sim, SIM_S(1));
		ev(f, BGP_EV_TCP_CR_ACKED);
		if (s >= S_OPENCONFIRM)
			bgp_fsm_rx_open(f, 90);
		if (s == S_ESTABLISHED)
			ev(f, BGP_EV_KEEPALIVE);
		break;
	default:
		CU_FAIL_FATAL("setup");
	}
}

static unsigned
timers_running(const struct bgp_fsm *f)
{
	unsigned m = 0;
	int t;

	for (t = 0; t < BGP_TM_MAX; t++)
		if (bgp_fsm_timer_expiry(f, (enum bgp_fsm_timer)t) !=
		    SIM_TIME_MAX)
			m |= 1u << t;
	return m;
}

static void
test_table(void)
{
	uint32_t covered[BGP_ST_MAX] = { 0 };
	size_t i;
	int e, st, checked = 0;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *rw = &rows[i];

		if (rw->flags == 0 && rw->setup < S_CONNECT_DO)
			covered[setup_state[rw->setup]] |= rw->events;
		for (e = 1; e < BGP_EV_MAX; e++) {
			struct bgp_fsm_cfg c = plain_cfg();
			struct bgp_fsm_arg a = row_arg((enum bgp_fsm_event)e);
			struct sim *sim;
			struct bgp_fsm *f;
			struct rec r;
			bool ok;

			if (!(rw->events & E(e)))
				continue;
			c.delay_open = (rw->flags & F_DO) != 0;
			c.delay_open_s = 5;
			c.send_notif_without_open = (rw->flags & F_SNWO) != 0;
			c.passive = (rw->flags & F_PASV) != 0;
			c.connect_fail_active = (rw->flags & F_CFA) != 0;
			sim = sim_new(1);
			f = mk(&r, sim, &c);
			do_setup(f, sim, rw->setup);
			CU_ASSERT_EQUAL_FATAL(bgp_fsm_state(f),
			    setup_state[rw->setup]);
			clear(&r);
			bgp_fsm_event(f, (enum bgp_fsm_event)e, &a);
			ok = bgp_fsm_state(f) == rw->to &&
			    strcmp(acts(&r), rw->acts) == 0 &&
			    bgp_fsm_connect_retry_counter(f) == rw->crc &&
			    timers_running(f) == rw->timers;
			if (!ok)
				fprintf(stderr, "row %zu %s + %s: got %s [%s] "
				    "crc %u timers %#x\n", i,
				    bgp_fsm_state_name[setup_state[rw->setup]],
				    bgp_fsm_event_name[e],
				    bgp_fsm_state_name[bgp_fsm_state(f)],
				    acts(&r), bgp_fsm_connect_retry_counter(f),
				    timers_running(f));
			CU_ASSERT_TRUE(ok);
			checked++;
			bgp_fsm_free(f);
			sim_free(sim);
		}
	}
	/* every event of 8.1 in every state, with the default attributes */
	for (st = 0; st < BGP_ST_MAX; st++)
		CU_ASSERT_EQUAL(covered[st], E_ALL);
	CU_ASSERT_TRUE(checked > 6 * 28);
}

/* 6.8, the rule alone. */
static void
test_collision_rule(void)
{
	static const struct {
		enum bgp_fsm_state rx, other;
		bool rx_out;
		uint32_t local, peer, las, pas;
		bool detect_est;
		enum bgp_collision want;
	} tc[] = {
		/* the peer's identifier is higher: keep what it opened */
		{ OCNF, OCNF, true, 0x0a000001, 0x0a000002, 1, 2, false,
		    BGP_COLLISION_DUMP_RX },
		{ OSNT, OCNF, false, 0x0a000001, 0x0a000002, 1, 2, false,
		    BGP_COLLISION_DUMP_OTHER },
		/* ours is higher: keep what we opened */
		{ OSNT, OCNF, true, 0x0a000002, 0x0a000001, 1, 2, false,
		    BGP_COLLISION_DUMP_OTHER },
		{ OSNT, OCNF, false, 0x0a000002, 0x0a000001, 1, 2, false,
		    BGP_COLLISION_DUMP_RX },
		/* unsigned: 128.0.0.1 is above 0.0.0.2 */
		{ OSNT, OCNF, false, 0x80000001, 0x00000002, 1, 2, false,
		    BGP_COLLISION_DUMP_RX },
		{ OSNT, OCNF, true, 0x00000002, 0x80000001, 1, 2, false,
		    BGP_COLLISION_DUMP_RX },
		/* equal identifiers: the higher AS (RFC 6286) */
		{ OSNT, OCNF, true, 7, 7, 65001, 65002, false,
		    BGP_COLLISION_DUMP_RX },
		{ OSNT, OCNF, true, 7, 7, 65002, 65001, false,
		    BGP_COLLISION_DUMP_OTHER },
		/* no OPEN on the other yet */
		{ OSNT, IDLE, true, 1, 2, 1, 2, false, BGP_COLLISION_NONE },
		{ OSNT, CONN, true, 1, 2, 1, 2, false, BGP_COLLISION_NONE },
		{ OSNT, ACTV, true, 1, 2, 1, 2, false, BGP_COLLISION_NONE },
		{ OSNT, OSNT, true, 1, 2, 1, 2, false, BGP_COLLISION_NONE },
		/* Established: the new one goes, unless detection is on */
		{ OSNT, ESTB, false, 1, 2, 1, 2, false,
		    BGP_COLLISION_DUMP_RX },
		{ OSNT, ESTB, false, 1, 2, 1, 2, true,
		    BGP_COLLISION_DUMP_OTHER },
		{ OSNT, ESTB, true, 1, 2, 1, 2, true,
		    BGP_COLLISION_DUMP_RX },
	};
	size_t i;

	for (i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
		struct bgp_collision_conn rx = { tc[i].rx, tc[i].rx_out };
		struct bgp_collision_conn ot = { tc[i].other, !tc[i].rx_out };

		CU_ASSERT_EQUAL(bgp_fsm_collision(&rx, &ot, tc[i].local,
		    tc[i].peer, tc[i].las, tc[i].pas, tc[i].detect_est),
		    tc[i].want);
		/*
		 * The same direction twice: no collision unless the other is
		 * Established, where 6.8 closes the new one whatever the
		 * directions (with detection on, the old one: the peer has
		 * lost it, or it would not open another).
		 */
		ot.outgoing = rx.outgoing;
		CU_ASSERT_EQUAL(bgp_fsm_collision(&rx, &ot, tc[i].local,
		    tc[i].peer, tc[i].las, tc[i].pas, tc[i].detect_est),
		    tc[i].other != ESTB ? BGP_COLLISION_NONE :
		    tc[i].detect_est ? BGP_COLLISION_DUMP_OTHER :
		    BGP_COLLISION_DUMP_RX);
	}
}

static void
test_cfg_check(void)
{
	struct bgp_fsm_cfg c = bgp_fsm_default_cfg;
	char err[96];

	c.hold_s = 2;
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&c, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "hold"));
	c = bgp_fsm_default_cfg;
	c.keepalive_s = 31;
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&c, err, sizeof(err)), -1);
	c = bgp_fsm_default_cfg;
	c.delay_open = true;
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&c, err, sizeof(err)), -1);
	c.delay_open_s = 1;
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&c, err, sizeof(err)), 0);
	c.damp = true;
	c.damp_max = SIM_S(1);
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&c, err, sizeof(err)), -1);
}

/* Reasons in words, NOTIFICATIONs named by the codec's table. */
static void
test_texts(void)
{
	static const struct {
		struct bgp_fsm_reason r;
		const char *want;
	} tc[] = {
		{ { BGP_WHY_NONE, BGP_EV_TCP_CR_ACKED, false, 0, 0, 0 },
		    "Tcp_CR_Acked" },
		{ { BGP_WHY_MANUAL_STOP, BGP_EV_MANUAL_STOP, true, 6, 2, 0 },
		    "Cease / Administrative Shutdown" },
		{ { BGP_WHY_MANUAL_STOP, BGP_EV_MANUAL_STOP, false, 0, 0, 0 },
		    "ManualStop" },
		{ { BGP_WHY_AUTO_STOP, BGP_EV_AUTO_STOP, true, 6, 1, 0 },
		    "Cease / Maximum Number of Prefixes Reached" },
		{ { BGP_WHY_HOLD_EXPIRED, BGP_EV_HOLD_TIMER, true, 4, 0, 0 },
		    "Hold Timer Expired" },
		{ { BGP_WHY_TCP_FAILED, BGP_EV_TCP_FAILS, false, 0, 0, 0 },
		    "TCP connection failed" },
		{ { BGP_WHY_NOTIF_SENT, BGP_EV_UPDATE_ERR, true, 3, 11, 0 },
		    "sent UPDATE Message Error / Malformed AS_PATH" },
		{ { BGP_WHY_NOTIF_SENT, BGP_EV_UPDATE, true, 5, 3, 0 },
		    "sent Finite State Machine Error / Unexpected Message in "
		    "Established State" },
		{ { BGP_WHY_NOTIF_RCVD, BGP_EV_NOTIF, true, 6, 4, 0 },
		    "received Cease / Administrative Reset" },
		{ { BGP_WHY_NOTIF_RCVD, BGP_EV_NOTIF, true, 6, 255, 0 },
		    "received Cease / subcode 255" },
		{ { BGP_WHY_COLLISION, BGP_EV_COLLISION_DUMP, true, 6, 7, 0 },
		    "Cease / Connection Collision Resolution" },
		{ { BGP_WHY_UNEXPECTED, BGP_EV_KEEPALIVE, false, 0, 0, 0 },
		    "unexpected KeepAliveMsg" },
	};
	char b[128];
	size_t i;

	for (i = 0; i < sizeof(tc) / sizeof(tc[0]); i++)
		CU_ASSERT_STRING_EQUAL(bgp_fsm_reason_text(b, sizeof(b),
		    &tc[i].r), tc[i].want);
	/* every event and state has a name */
	for (i = 1; i < BGP_EV_MAX; i++)
		CU_ASSERT_PTR_NOT_NULL(bgp_fsm_event_name[i]);
	for (i = 0; i < BGP_ST_MAX; i++)
		CU_ASSERT_PTR_NOT_NULL(bgp_fsm_state_name[i]);
}

static const struct test_case cases[] = {
	{ "RFC 4271 8.2.2 table", test_table },
	{ "collision rule", test_collision_rule },
	{ "configuration check", test_cfg_check },
	{ "reasons in words", test_texts },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_fsm", cases);
}
