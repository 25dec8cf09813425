/*
 * test_tcp_pcap.c - tshark reads the simulated TCP's segments as clean
 * conversations: a capture of a transfer (handshake, real and virtual
 * data, teardown) decodes with every checksum right, one conversation,
 * no malformed packet and no expert warning; with losses, only the
 * warnings that losses cause (retransmissions, out of order, dupACKs).
 */
#include <stdio.h>

#include "tcp_int.h"
#include "tcp_testutil.h"

#define MS SIM_MS(1)

static char *
run_cmd(const char *cmd)
{
	char *out = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f = popen(cmd, "r");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			out = xrealloc(out, cap);
		}
		n = fread(out + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	out[len] = '\0';
	CU_ASSERT_EQUAL(pclose(f), 0);
	return out;
}

static bool
have_tshark(void)
{
	if (system("command -v tshark >/dev/null 2>&1") == 0)
		return true;
	fprintf(stderr, "test_tcp_pcap: tshark is not on PATH "
	    "(apt-get install tshark)\n");
	CU_FAIL("tshark is not on PATH");
	return false;
}

/* Drop every n-th data segment arriving at the receiver. */
struct every {
	int n, seen;
};

static enum node_verdict
drop_every(struct node *nd, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	struct every *e = ctx;

	(void)nd;
	(void)ifindex;
	(void)dir;
	(void)frame;
	if (e->n > 0 && f->has_tcp && f->payload_len > 0 &&
	    ++e->seen % e->n == 0) {
		*reason = "test: loss";
		return NODE_DROP;
	}
	return NODE_ACCEPT;
}

static void
capture_run(const char *path, int lose_every)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct every e = { lose_every, 0 };
	static uint8_t text[300000];
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(text); i++)
		text[i] = (uint8_t)('a' + i % 26);
	tt_build(&t, 2, 100000000ull, 5 * MS, 1000, 0);
	CU_ASSERT_EQUAL_FATAL(net_capture_iface(t.net, t.n[0], 0, path, err,
	    sizeof(err)), 0);
	node_iface_add_filter(t.n[1], 0, NODE_INGRESS, drop_every, &e);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	tt_sink_listen(&k, t.n[1], 1521, NULL);
	c.data = text;
	c.total = sizeof(text);
	c.chunk = 1000;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 1521, NULL);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(k.bytes, sizeof(text));
	CU_ASSERT_TRUE(k.closed);
	CU_ASSERT_EQUAL(net_close_captures(t.net, err, sizeof(err)), 0);
	tt_free(&t);
}

static void
test_tshark_clean(void)
{
	char dir[] = "/tmp/xcsim_tcp_pcap_XXXXXX", path[128], cmd[512];
	char *out;

	if (!have_tshark())
		return;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/clean.pcap", dir);
	capture_run(path, 0);
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -q -z conv,tcp "
	    "-o tcp.check_checksum:TRUE 2>&1", path);
	out = run_cmd(cmd);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.0.0.1:49152"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.0.0.2:1521"));
	free(out);
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -q -z expert,note "
	    "-o tcp.check_checksum:TRUE 2>&1", path);
	out = run_cmd(cmd);
	CU_ASSERT_PTR_NULL(strstr(out, "Malformed"));
	CU_ASSERT_PTR_NULL(strstr(out, "Warning"));
	CU_ASSERT_PTR_NULL(strstr(out, "Error"));
	CU_ASSERT_PTR_NULL(strstr(out, "checksum"));
	free(out);

	snprintf(path, sizeof(path), "%s/lossy.pcap", dir);
	capture_run(path, 40);
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -q -z expert,warn "
	    "-o tcp.check_checksum:TRUE 2>&1", path);
	out = run_cmd(cmd);
	CU_ASSERT_PTR_NULL(strstr(out, "Malformed"));
	CU_ASSERT_PTR_NULL(strstr(out, "Error"));
	CU_ASSERT_PTR_NULL(strstr(out, "checksum"));
	free(out);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static const struct test_case cases[] = {
	{ "tshark reads clean TCP conversations", test_tshark_clean },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "tcp_pcap", cases);
}
