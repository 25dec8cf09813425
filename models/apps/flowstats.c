/*
 * flowstats.c - per-flow metrics from the TCP stack's observer calls, and
 * the TCP settings the stream applications give their connections.
 */
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "flowstats.h"
#include "net.h"
#include "sim.h"
#include "tcp.h"
#include "wire.h"

void
app_tcp_opts_default(struct app_tcp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cc = -1;
	o->nodelay = -1;
	o->cwnd_validation = -1;
}

void
app_tcp_cfg(struct node *n, const struct app_tcp_opts *o, struct tcp_cfg *out)
{
	*out = *tcp_stack_cfg(tcp_stack_get(n));
	if (o->cc >= 0)
		out->cc = (enum tcp_cc_kind)o->cc;
	if (o->sndbuf != 0)
		out->sndbuf = o->sndbuf;
	if (o->rcvbuf != 0)
		out->rcvbuf = o->rcvbuf;
	if (o->mss != 0)
		out->mss = o->mss;
	if (o->init_cwnd != 0)
		out->init_cwnd = o->init_cwnd;
	if (o->delack_count != 0)
		out->delack_count = o->delack_count;
	if (o->nodelay >= 0)
		out->nodelay = o->nodelay != 0;
	if (o->cwnd_validation >= 0)
		out->cwnd_validation = o->cwnd_validation != 0;
	if (o->delack_timeout != 0)
		out->delack_timeout = o->delack_timeout;
	if (o->min_rto != 0)
		out->rto_min = o->min_rto;
}

static sim_time
now_of(const struct flowset *fs)
{
	return sim_now(net_sim(node_net(fs->node)));
}

/* --- live connections: open addressing, backward-shift deletion ------ */

static size_t
live_home(const struct flowset *fs, uint64_t id)
{
	return (size_t)(id * 0x9e3779b97f4a7c15ULL >> 17) & (fs->live.cap - 1);
}

static long
live_find(const struct flowset *fs, uint64_t id)
{
	size_t i;

	if (fs->live.cap == 0)
		return -1;
	for (i = live_home(fs, id); fs->live.id[i] != 0;
	    i = (i + 1) & (fs->live.cap - 1))
		if (fs->live.id[i] == id)
			return (long)i;
	return -1;
}

static void live_put(struct flowset *fs, uint64_t id, uint32_t slot,
    const struct tcp_conn *c);

static void
live_grow(struct flowset *fs)
{
	uint64_t *oid = fs->live.id;
	uint32_t *oslot = fs->live.slot;
	const struct tcp_conn **oconn = fs->live.conn;
	size_t ocap = fs->live.cap, i;

	fs->live.cap = ocap ? 2 * ocap : 16;
	fs->live.id = xcalloc(fs->live.cap, sizeof(*fs->live.id));
	fs->live.slot = xcalloc(fs->live.cap, sizeof(*fs->live.slot));
	fs->live.conn = xcalloc(fs->live.cap, sizeof(*fs->live.conn));
	fs->live.n = 0;
	for (i = 0; i < ocap; i++)
		if (oid[i] != 0)
			live_put(fs, oid[i], oslot[i], oconn[i]);
	free(oid);
	free(oslot);
	free(oconn);
}

static void
live_put(struct flowset *fs, uint64_t id, uint32_t slot,
    const struct tcp_conn *c)
{
	size_t i;

	if (2 * (fs->live.n + 1) > fs->live.cap)
		live_grow(fs);
	for (i = live_home(fs, id); fs->live.id[i] != 0;
	    i = (i + 1) & (fs->live.cap - 1))
		;
	fs->live.id[i] = id;
	fs->live.slot[i] = slot;
	fs->live.conn[i] = c;
	fs->live.n++;
}

static void
live_del(struct flowset *fs, size_t i)
{
	size_t mask = fs->live.cap - 1, j = i, k;

	fs->live.id[i] = 0;
	fs->live.n--;
	for (;;) {
		j = (j + 1) & mask;
		if (fs->live.id[j] == 0)
			return;
		k = live_home(fs, fs->live.id[j]);
		/* move j back to i unless its home lies in (i, j] */
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		fs->live.id[i] = fs->live.id[j];
		fs->live.slot[i] = fs->live.slot[j];
		fs->live.conn[i] = fs->live.conn[j];
		fs->live.id[j] = 0;
		i = j;
	}
}

/* --- observer --------------------------------------------------------- */

static struct flow *
flow_of(struct flowset *fs, const struct tcp_conn *c)
{
	long i = live_find(fs, tcp_conn_id(c));

	if (i < 0 || fs->live.slot[i] == 0)
		return NULL;
	return &fs->flows[fs->live.slot[i] - 1];
}

/* --- cwnd rows -------------------------------------------------------- */

#define ROWS_BYTES (FLOWSET_BLOCK * sizeof(struct cwnd_row))

static void
add_row(struct flowset *fs, struct flow *f, uint32_t cwnd, uint32_t ssthresh)
{
	if (fs->n_rows >= FLOWSET_CWND_ROWS) {
		fs->rows_cut = true;
		return;
	}
	if (fs->rows == NULL)
		fs->rows = xmalloc(ROWS_BYTES);
	if (fs->rows_held == FLOWSET_BLOCK) {
		fs->rows_last = bin_spool_put(&fs->spool, fs->rows_last,
		    fs->n_rows - FLOWSET_BLOCK, fs->rows, ROWS_BYTES);
		fs->rows_held = 0;
	}
	fs->rows[fs->rows_held++] = (struct cwnd_row){ now_of(fs), f->no,
	    cwnd, ssthresh };
	fs->n_rows++;
	f->last_cwnd = cwnd;
	f->last_ssthresh = ssthresh;
}

static void
obs_cwnd(void *ctx, const struct tcp_conn *c, uint32_t cwnd,
    uint32_t ssthresh)
{
	struct flowset *fs = ctx;
	struct flow *f = flow_of(fs, c);
	uint32_t mss, d;

	if (f == NULL)
		return;
	mss = tcp_conn_stats(c)->mss;
	d = cwnd > f->last_cwnd ? cwnd - f->last_cwnd : f->last_cwnd - cwnd;
	if (d >= (mss ? mss : 1) || ssthresh != f->last_ssthresh)
		add_row(fs, f, cwnd, ssthresh);
}

static void
sum_stats(struct tcp_stats *a, const struct tcp_stats *b)
{
	a->segs_out += b->segs_out;
	a->segs_in += b->segs_in;
	a->bytes_sent += b->bytes_sent;
	a->bytes_acked += b->bytes_acked;
	a->bytes_received += b->bytes_received;
	a->retrans_segs += b->retrans_segs;
	a->retrans_bytes += b->retrans_bytes;
	a->rto_expiries += b->rto_expiries;
	a->fast_recoveries += b->fast_recoveries;
	a->rtt_samples += b->rtt_samples;
}

static void
obs_free(void *ctx, const struct tcp_conn *c)
{
	struct flowset *fs = ctx;
	long i = live_find(fs, tcp_conn_id(c));

	if (i < 0)
		return;
	if (fs->live.slot[i] != 0) {
		struct flow *f = &fs->flows[fs->live.slot[i] - 1];

		f->st = *tcp_conn_stats(c);
		f->conn = NULL;
		if (f->end < 0)
			f->end = now_of(fs);
		bin_series_close(&fs->spool, &f->bins);
	} else {
		sum_stats(&fs->agg, tcp_conn_stats(c));
	}
	live_del(fs, (size_t)i);
}

static void
obs_new(void *ctx, const struct tcp_conn *c)
{
	(void)ctx, (void)c;
}

static void
obs_state(void *ctx, const struct tcp_conn *c, enum tcp_state from,
    enum tcp_state to, const char *why)
{
	(void)ctx, (void)c, (void)from, (void)to, (void)why;
}

static void
obs_rtt(void *ctx, const struct tcp_conn *c, sim_time sample)
{
	(void)ctx, (void)c, (void)sample;
}

static void
obs_retransmit(void *ctx, const struct tcp_conn *c, uint32_t seq,
    uint32_t len, bool rto)
{
	(void)ctx, (void)c, (void)seq, (void)len, (void)rto;
}

/* Counters come from the connection's own tcp_stats: one source of truth. */
static const struct tcp_observer flowset_obs = {
	.on_new = obs_new,
	.on_state = obs_state,
	.on_cwnd = obs_cwnd,
	.on_rtt = obs_rtt,
	.on_retransmit = obs_retransmit,
	.on_free = obs_free,
};

/* --- the set ---------------------------------------------------------- */

void
flowset_init(struct flowset *fs, const struct app *a)
{
	memset(fs, 0, sizeof(*fs));
	fs->app = a;
	fs->node = a->node;
	bin_series_init(&fs->bins);
	fs->rows_last = -1;
}

void
flowset_free(struct flowset *fs)
{
	struct tcp_stack *st;
	size_t i;

	/* The stacks may be gone already (tcp_stacks_free): then so are we. */
	if (fs->observing && (st = tcp_stack_find(fs->node)) != NULL)
		tcp_stack_remove_observer(st, &flowset_obs, fs);
	for (i = 0; i < fs->n_flows; i++)
		free(fs->flows[i].bins.held);
	free(fs->flows);
	free(fs->live.id);
	free(fs->live.slot);
	free(fs->live.conn);
	free(fs->bins.held);
	free(fs->rows);
	bin_spool_free(&fs->spool);
	memset(fs, 0, sizeof(*fs));
}

int
flowset_add(struct flowset *fs, struct stream *s)
{
	const struct tcp_conn *c = tcp_stream_conn(s);
	const struct tcp_stats *st;
	struct flow *f;

	if (c == NULL)
		return -1;
	if (!fs->observing) {
		tcp_stack_add_observer(tcp_stack_get(fs->node), &flowset_obs,
		    fs);
		fs->observing = true;
	}
	fs->n_total++;
	if (fs->n_flows >= FLOWSET_DETAIL) {
		fs->n_agg++;
		live_put(fs, tcp_conn_id(c), 0, c);
		return -1;
	}
	if (fs->n_flows == fs->cap_flows) {
		fs->cap_flows = fs->cap_flows ? 2 * fs->cap_flows : 8;
		fs->flows = xrealloc(fs->flows,
		    fs->cap_flows * sizeof(*fs->flows));
	}
	f = &fs->flows[fs->n_flows];
	memset(f, 0, sizeof(*f));
	f->conn_id = tcp_conn_id(c);
	f->conn = c;
	f->no = (uint32_t)++fs->n_flows;
	tcp_conn_endpoints(c, &f->local, &f->remote);
	f->cc = tcp_conn_cc(c);
	f->start = now_of(fs);
	f->end = -1;
	bin_series_init(&f->bins);
	st = tcp_conn_stats(c);
	f->st = *st;
	live_put(fs, f->conn_id, f->no, c);
	add_row(fs, f, st->cwnd, st->ssthresh);
	return (int)(f->no - 1);
}

void
flowset_end(struct flowset *fs, int slot)
{
	struct flow *f;

	if (slot < 0 || (size_t)slot >= fs->n_flows)
		return;
	f = &fs->flows[slot];
	if (f->conn != NULL) {
		/* the endpoints are final once connected */
		tcp_conn_endpoints(f->conn, &f->local, &f->remote);
		f->st = *tcp_conn_stats(f->conn);
	}
	if (f->end < 0)
		f->end = now_of(fs);
	bin_series_close(&fs->spool, &f->bins);
}

void
flowset_bytes(struct flowset *fs, int slot, uint64_t n)
{
	sim_time now = now_of(fs);

	bin_series_add(&fs->spool, &fs->bins, now, n);
	fs->bytes += n;
	if (slot >= 0 && (size_t)slot < fs->n_flows &&
	    (size_t)slot < FLOWSET_BINNED)
		bin_series_add(&fs->spool, &fs->flows[slot].bins, now, n);
}

uint64_t
flowset_bytes_between(const struct flowset *fs, uint32_t flow,
    sim_time from, sim_time to)
{
	if (flow == 0)
		return bin_series_sum(&fs->spool, &fs->bins, from, to);
	if (flow > fs->n_flows || flow > FLOWSET_BINNED)
		return 0;
	return bin_series_sum(&fs->spool, &fs->flows[flow - 1].bins, from, to);
}

size_t
flowset_mem_bytes(const struct flowset *fs)
{
	size_t n = fs->cap_flows * sizeof(*fs->flows) + fs->live.cap *
	    (sizeof(*fs->live.id) + sizeof(*fs->live.slot) +
	    sizeof(*fs->live.conn)) + fs->spool.cap, i;

	n += bin_series_held_bytes(&fs->bins);
	if (fs->rows != NULL)
		n += ROWS_BYTES;
	for (i = 0; i < fs->n_flows; i++)
		n += bin_series_held_bytes(&fs->flows[i].bins);
	return n;
}

size_t
flowset_spooled_bytes(const struct flowset *fs)
{
	return fs->spool.len;
}

const struct tcp_stats *
flowset_stats(const struct flowset *fs, size_t i)
{
	const struct flow *f = &fs->flows[i];

	return f->conn != NULL ? tcp_conn_stats(f->conn) : &f->st;
}

void
flowset_write_json(const struct flowset *fs, FILE *out)
{
	sim_time now = now_of(fs);
	size_t i;

	fputc('[', out);
	for (i = 0; i < fs->n_flows; i++) {
		const struct flow *f = &fs->flows[i];
		const struct tcp_stats *st = flowset_stats(fs, i);
		struct stream_addr l = f->local, r = f->remote;
		sim_time end = f->end >= 0 ? f->end : now;
		uint64_t bytes = st->bytes_acked > st->bytes_received ?
		    st->bytes_acked : st->bytes_received;
		char a[16], b[16];

		if (f->conn != NULL)
			tcp_conn_endpoints(f->conn, &l, &r);
		fprintf(out, "%s{\"id\":%llu,\"src\":\"%s\",\"dst\":\"%s\","
		    "\"sport\":%u,\"dport\":%u,\"cc\":\"%s\",\"bytes\":%llu,"
		    "\"bytes_acked\":%llu,\"bytes_received\":%llu,"
		    "\"goodput_bps\":%llu,\"retransmits\":%llu,"
		    "\"rto_expiries\":%llu,\"fast_recoveries\":%llu,"
		    "\"rtt_samples\":%llu,\"srtt_ns\":%lld,\"rttvar_ns\":%lld,"
		    "\"min_rtt_ns\":%lld,\"cwnd\":%u,\"ssthresh\":%u}",
		    i ? "," : "", (unsigned long long)f->conn_id,
		    wire_ip_str(l.addr, a), wire_ip_str(r.addr, b), l.port,
		    r.port, tcp_cc_kind_name(f->cc), (unsigned long long)bytes,
		    (unsigned long long)st->bytes_acked,
		    (unsigned long long)st->bytes_received,
		    (unsigned long long)(end > f->start ? (uint64_t)((__int128)
		    bytes * 8 * SIM_S(1) / (end - f->start)) : 0),
		    (unsigned long long)st->retrans_segs,
		    (unsigned long long)st->rto_expiries,
		    (unsigned long long)st->fast_recoveries,
		    (unsigned long long)st->rtt_samples, (long long)st->srtt,
		    (long long)st->rttvar, (long long)st->min_rtt, st->cwnd,
		    st->ssthresh);
	}
	fputc(']', out);
}

void
flowset_write_json_more(const struct flowset *fs, FILE *out)
{
	struct tcp_stats sum = fs->agg;
	size_t i;

	fprintf(out, ",\"flows_total\":%llu", (unsigned long long)fs->n_total);
	if (fs->n_agg == 0)
		return;
	/* the aggregated flows still open count with what they did so far */
	for (i = 0; i < fs->live.cap; i++)
		if (fs->live.id[i] != 0 && fs->live.slot[i] == 0)
			sum_stats(&sum, tcp_conn_stats(fs->live.conn[i]));
	fprintf(out, ",\"flows_more\":{\"count\":%llu,\"bytes_acked\":%llu,"
	    "\"bytes_received\":%llu,\"retransmits\":%llu,"
	    "\"rto_expiries\":%llu,\"fast_recoveries\":%llu,"
	    "\"rtt_samples\":%llu}", (unsigned long long)fs->n_agg,
	    (unsigned long long)sum.bytes_acked,
	    (unsigned long long)sum.bytes_received,
	    (unsigned long long)sum.retrans_segs,
	    (unsigned long long)sum.rto_expiries,
	    (unsigned long long)sum.fast_recoveries,
	    (unsigned long long)sum.rtt_samples);
}

void
flowset_write_csv(const struct flowset *fs, sim_time interval, FILE *out)
{
	const char *name = fs->app->name;
	bool several = fs->n_flows > 1;
	size_t n_blk = (fs->n_rows - fs->rows_held) / FLOWSET_BLOCK, k, i;
	int64_t *offs;
	struct cwnd_row *blk;
	struct blk_hdr h;

	bin_series_write_csv(&fs->spool, &fs->bins, name, interval, out);
	offs = bin_spool_chain(&fs->spool, fs->rows_last, n_blk, ROWS_BYTES);
	blk = xmalloc(ROWS_BYTES);
	for (k = 0; k <= n_blk; k++) {
		const struct cwnd_row *v = fs->rows;
		size_t cnt = fs->rows_held;

		if (k < n_blk) {
			bin_spool_get(&fs->spool, offs[k], &h, blk, ROWS_BYTES);
			v = blk;
			cnt = FLOWSET_BLOCK;
		}
		for (i = 0; i < cnt; i++) {
			const struct cwnd_row *r = &v[i];
			char no[24] = "";

			if (several)
				snprintf(no, sizeof(no), "/flow%u",
				    r->flow_no);
			fprintf(out, "%s%s,cwnd_bytes,%lld,%u\n%s%s,"
			    "ssthresh_bytes,%lld,%u\n", name, no,
			    (long long)r->t, r->cwnd, name, no,
			    (long long)r->t, r->ssthresh);
		}
	}
	free(blk);
	free(offs);
}
