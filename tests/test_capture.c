/*
 * test_capture.c - pcap output: frames read back through libpcap with their
 * nanosecond timestamps and full length, decoded by tshark with every
 * checksum checked, and the temporary-file protocol of open/close/abort:
 * never through a planted link, in place only when the run commits.
 */
#include <ctype.h>
#include <pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "outfile.h"
#include "pkt.h"
#include "sim.h"
#include "testutil.h"
#include "wire.h"

#define H_A 0x0a010002u		/* 10.1.0.2 */
#define H_B 0xac100005u		/* 172.16.0.5 */
#define ROUTER 0x0a0100feu	/* 10.1.0.254 */

static const uint8_t mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x0a, 0x02 };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x0b, 0x05 };

static void
push_eth(struct sim *sim, struct pkt *p)
{
	struct eth_hdr e = { .type = WIRE_ETHERTYPE_IPV4 };

	memcpy(e.dst, mac_b, 6);
	memcpy(e.src, mac_a, 6);
	wire_push_eth(sim, p, &e);
}

static void
push_ip(struct sim *sim, struct pkt *p, uint8_t proto, uint32_t src,
    uint32_t dst, uint8_t ttl)
{
	struct ipv4_hdr ip = { .ihl = 5, .id = 0x1c46, .frag = WIRE_IPV4_DF,
	    .ttl = ttl, .proto = proto, .src = src, .dst = dst };

	CU_ASSERT_EQUAL(wire_push_ipv4(sim, p, &ip), 0);
}

static struct pkt *
icmp_echo_qinq(struct sim *sim)
{
	struct pkt *p = pkt_alloc(sim, 56);
	struct icmp_hdr icmp = { WIRE_ICMP_ECHO, 0, 0, 0x4242u << 16 | 1 };
	struct vlan_tag c = { WIRE_ETHERTYPE_VLAN, 0, false, 200 };
	struct vlan_tag s = { WIRE_ETHERTYPE_QINQ, 0, false, 3001 };
	uint32_t i;

	for (i = 0; i < 56; i++)
		p->data[i] = (uint8_t)(0x10 + i);
	wire_push_icmp(sim, p, &icmp);
	push_ip(sim, p, WIRE_IPPROTO_ICMP, H_A, H_B, 64);
	push_eth(sim, p);
	wire_push_vlan(sim, p, &c);
	wire_push_vlan(sim, p, &s);
	return p;
}

static struct pkt *
udp(struct sim *sim, uint32_t real, uint32_t virt, uint8_t ttl)
{
	struct pkt *p = pkt_alloc(sim, real);
	struct udp_hdr h = { 33434, 33435, 0, 0 };
	uint32_t i;

	for (i = 0; i < real; i++)
		p->data[i] = (uint8_t)(0xa5 ^ i);
	p->virt_len = virt;
	wire_push_udp(sim, p, &h, H_A, H_B);
	push_ip(sim, p, WIRE_IPPROTO_UDP, H_A, H_B, ttl);
	push_eth(sim, p);
	return p;
}

static struct pkt *
tcp_syn(struct sim *sim)
{
	/* MSS 1460, NOP, window scale 7, SACK permitted, NOP, NOP. */
	static const uint8_t opt[12] = { 0x02, 0x04, 0x05, 0xb4, 0x01, 0x03,
		0x03, 0x07, 0x04, 0x02, 0x01, 0x01 };
	struct pkt *p = pkt_alloc(sim, 0);
	struct tcp_hdr h = { 50123, 179, 0x12345678u, 0, 8, WIRE_TCP_SYN, 64240,
	    0, 0, opt };

	wire_push_tcp(sim, p, &h, H_A, H_B);
	push_ip(sim, p, WIRE_IPPROTO_TCP, H_A, H_B, 64);
	push_eth(sim, p);
	return p;
}

/* A router's time exceeded for orig: its IP header and 8 bytes (RFC 792). */
static struct pkt *
time_exceeded(struct sim *sim, const struct pkt *orig)
{
	uint32_t quote = WIRE_IPV4_HLEN + 8;
	struct pkt *p = pkt_alloc(sim, quote);
	struct icmp_hdr icmp = { WIRE_ICMP_TIME_EXCEEDED, 0, 0, 0 };

	memcpy(p->data, orig->data + WIRE_ETH_HLEN, quote);
	wire_push_icmp(sim, p, &icmp);
	push_ip(sim, p, WIRE_IPPROTO_ICMP, ROUTER, H_A, 255);
	push_eth(sim, p);
	return p;
}

struct sample {
	struct pkt *p;
	sim_time t;
};

#define N_SAMPLES 6

/* The frames every test writes, in order, with their capture times. */
static void
make_samples(struct sim *sim, struct sample *s)
{
	s[0] = (struct sample){ icmp_echo_qinq(sim), 0 };
	/* A large real frame, then a virtual one: the scratch must be zero. */
	s[1] = (struct sample){ udp(sim, 1200, 0, 64), SIM_NS(1) };
	s[2] = (struct sample){ udp(sim, 13, 1187, 1), SIM_MS(1500) + 7 };
	s[3] = (struct sample){ tcp_syn(sim), SIM_S(86400) + 999999999 };
	s[4] = (struct sample){ time_exceeded(sim, s[2].p),
	    SIM_S(86401) };
	/* Jumbo: the scratch grows past its first size. */
	s[5] = (struct sample){ udp(sim, 30, 8900, 64), SIM_S(86402) };
}

static void
free_samples(struct sim *sim, struct sample *s)
{
	int i;

	for (i = 0; i < N_SAMPLES; i++)
		pkt_free(sim, s[i].p);
}

static char tmpdir[64];

static void
path_in_tmp(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

static bool
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void
write_samples(const char *path, struct sample *s)
{
	char err[256] = "", tmp[128];
	struct capture *c = capture_open(path, err, sizeof(err));
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	for (i = 0; i < N_SAMPLES; i++)
		capture_write(c, s[i].t, s[i].p);
	CU_ASSERT_TRUE(exists(tmp));
	CU_ASSERT_FALSE(exists(path));
	CU_ASSERT_EQUAL(capture_close(c, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(exists(path));
	CU_ASSERT_FALSE(exists(tmp));
}

static void
test_read_back(void)
{
	struct sim *sim = sim_new(1);
	struct sample s[N_SAMPLES];
	char path[128], errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint8_t magic[4];
	pcap_t *rd;
	FILE *f;
	int i, rc;

	make_samples(sim, s);
	path_in_tmp(path, sizeof(path), "read_back.pcap");
	write_samples(path, s);

	/* The nanosecond pcap magic, in the writer's byte order. */
	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fread(magic, 1, 4, f), 4);
	fclose(f);
	CU_ASSERT_TRUE(memcmp(magic, "\x4d\x3c\xb2\xa1", 4) == 0 ||
	    memcmp(magic, "\xa1\xb2\x3c\x4d", 4) == 0);

	rd = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL(pcap_datalink(rd), DLT_EN10MB);
	CU_ASSERT_EQUAL(pcap_snapshot(rd), 262144);
	for (i = 0; i < N_SAMPLES; i++) {
		const struct pkt *p = s[i].p;
		uint32_t j, nonzero = 0;

		rc = pcap_next_ex(rd, &h, &data);
		CU_ASSERT_EQUAL_FATAL(rc, 1);
		CU_ASSERT_EQUAL(h->ts.tv_sec, s[i].t / 1000000000);
		CU_ASSERT_EQUAL(h->ts.tv_usec, s[i].t % 1000000000);
		CU_ASSERT_EQUAL(h->len, pkt_wire_len(p));
		CU_ASSERT_EQUAL(h->caplen, pkt_wire_len(p));
		CU_ASSERT_EQUAL_FATAL(h->caplen, pkt_wire_len(p));
		CU_ASSERT_EQUAL(memcmp(data, p->data, p->len), 0);
		for (j = p->len; j < h->caplen; j++)
			nonzero += data[j] != 0;
		CU_ASSERT_EQUAL(nonzero, 0);
	}
	CU_ASSERT_EQUAL(pcap_next_ex(rd, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(rd);
	remove(path);
	free_samples(sim, s);
	sim_free(sim);
}

static bool
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++) {
		size_t i;

		for (i = 0; i < n; i++)
			if (tolower((unsigned char)hay[i]) !=
			    tolower((unsigned char)needle[i]))
				break;
		if (i == n)
			return true;
	}
	return false;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return n;
}

/* tshark's full decode of path, or NULL (with a test failure). */
static char *
tshark_decode(const char *path)
{
	char cmd[512];
	char *out = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f;
	int status;

	if (system("command -v tshark >/dev/null 2>&1") != 0) {
		fprintf(stderr, "test_capture: tshark is not on PATH; "
		    "install it (apt-get install tshark) to check pcap "
		    "output\n");
		CU_FAIL("tshark is not on PATH (apt-get install tshark)");
		return NULL;
	}
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -V "
	    "-o ip.check_checksum:TRUE -o udp.check_checksum:TRUE "
	    "-o tcp.check_checksum:TRUE 2>&1", path);
	f = popen(cmd, "r");
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
	status = pclose(f);
	CU_ASSERT_EQUAL(status, 0);
	return out;
}

static void
test_tshark_decodes(void)
{
	static const char *const want[] = {
		"Type: 802.1ad Provider Bridge (Q-in-Q) (0x88a8)",
		"IEEE 802.1ad, ID: 3001",
		"802.1Q Virtual LAN, PRI: 0, DEI: 0, ID: 200",
		"Internet Control Message Protocol",
		"Type: 8 (Echo (ping) request)",
		"Type: 11 (Time-to-live exceeded)",
		"User Datagram Protocol, Src Port: 33434, Dst Port: 33435",
		"Transmission Control Protocol, Src Port: 50123, Dst Port: 179",
		"Header Length: 32 bytes (8)",
		"Maximum segment size: 1460 bytes",
		"Window scale: 7",
		"Frame 6: 8972 bytes on wire (71776 bits), 8972 bytes captured",
		"Epoch Time: 1.500000007 seconds",
		"Epoch Time: 86400.999999999 seconds",
		NULL
	};
	struct sim *sim = sim_new(1);
	struct sample s[N_SAMPLES];
	const char *const *w;
	char path[128];
	char *out;

	make_samples(sim, s);
	path_in_tmp(path, sizeof(path), "tshark.pcap");
	write_samples(path, s);
	out = tshark_decode(path);
	if (out != NULL) {
		for (w = want; *w != NULL; w++) {
			if (strstr(out, *w) == NULL)
				fprintf(stderr, "tshark output lacks \"%s\"\n",
				    *w);
			CU_ASSERT_PTR_NOT_NULL(strstr(out, *w));
		}
		/* IPv4 in 6 frames plus the one quoted in the ICMP error. */
		CU_ASSERT_EQUAL(count(out, "Internet Protocol Version 4,"), 7);
		CU_ASSERT_EQUAL(count(out, "[Header checksum status: Good]"),
		    7);
		/* Every ICMP, UDP and TCP checksum but the quoted one. */
		CU_ASSERT_EQUAL(count(out, "[Checksum Status: Good]"), 6);
		CU_ASSERT_FALSE(contains_ci(out, "incorrect"));
		CU_ASSERT_FALSE(contains_ci(out, "Malformed"));
		CU_ASSERT_FALSE(contains_ci(out, "status: Bad"));
		CU_ASSERT_FALSE(contains_ci(out, "[Expert Info (Error"));
		CU_ASSERT_FALSE(contains_ci(out, "cut short"));
		if (contains_ci(out, "Malformed") ||
		    contains_ci(out, "status: Bad") ||
		    contains_ci(out, "[Expert Info (Error"))
			fputs(out, stderr);
		free(out);
	}
	remove(path);
	free_samples(sim, s);
	sim_free(sim);
}

static void
test_unwritable(void)
{
	char err[256] = "";
	struct capture *c;

	c = capture_open("/nonexistent-xcsim-dir/x.pcap", err, sizeof(err));
	CU_ASSERT_PTR_NULL(c);
	CU_ASSERT_TRUE(strlen(err) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "nonexistent-xcsim-dir"));
	/* A NULL err buffer is allowed. */
	CU_ASSERT_PTR_NULL(capture_open("/nonexistent-xcsim-dir/x.pcap",
	    NULL, 0));
}

static void
test_abort_leaves_nothing(void)
{
	struct sim *sim = sim_new(1);
	struct pkt *p = udp(sim, 10, 100, 64);
	char path[128], tmp[140], err[256];
	struct capture *c;

	path_in_tmp(path, sizeof(path), "aborted.pcap");
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	c = capture_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	capture_write(c, SIM_US(5), p);
	CU_ASSERT_TRUE(exists(tmp));
	capture_abort(c);
	CU_ASSERT_FALSE(exists(tmp));
	CU_ASSERT_FALSE(exists(path));
	capture_abort(NULL);
	pkt_free(sim, p);
	sim_free(sim);
}

/* A rename that fails (the name is a directory) reports it and cleans up. */
static void
test_close_fails(void)
{
	char path[128], tmp[140], err[256] = "";
	struct capture *c;

	path_in_tmp(path, sizeof(path), "is_a_dir.pcap");
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
	c = capture_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(capture_close(c, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "is_a_dir.pcap"));
	CU_ASSERT_FALSE(exists(tmp));
	rmdir(path);
}

/*
 * In an output directory: a symlink planted under the temporary name is not
 * followed, the capture appears only when the directory's outputs are put
 * in place, and libpcap reads it back whole.
 */
static void
test_in_outdir_through_no_link(void)
{
	struct sim *sim = sim_new(1);
	struct pkt *p = udp(sim, 10, 100, 64);
	char dir[128], victim[128], tmp[160], path[160], err[256];
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct outdir *d;
	struct capture *c;
	pcap_t *rd;
	FILE *f;

	path_in_tmp(dir, sizeof(dir), "od");
	path_in_tmp(victim, sizeof(victim), "victim");
	f = fopen(victim, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("precious", f);
	fclose(f);
	snprintf(tmp, sizeof(tmp), "%s/pcap/n/e.pcap.tmp", dir);
	snprintf(path, sizeof(path), "%s/pcap/n/e.pcap", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(dir, 0755), 0);
	snprintf(err, sizeof(err), "%s/pcap", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(err, 0755), 0);
	snprintf(err, sizeof(err), "%s/pcap/n", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(err, 0755), 0);
	CU_ASSERT_EQUAL_FATAL(symlink(victim, tmp), 0);

	d = outdir_open(dir, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	c = capture_open_at(d, "pcap/n/e.pcap", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	capture_write(c, SIM_US(5), p);
	CU_ASSERT_EQUAL(capture_close(c, err, sizeof(err)), 0);
	CU_ASSERT_FALSE(exists(path));		/* complete, not yet in place */
	CU_ASSERT_EQUAL(outdir_finish(d, NULL, err, sizeof(err)), 0);
	outdir_free(d);
	CU_ASSERT_FALSE(exists(tmp));
	f = fopen(victim, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fread(errbuf, 1, sizeof(errbuf), f), 8);
	fclose(f);
	CU_ASSERT_EQUAL(memcmp(errbuf, "precious", 8), 0);

	rd = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL(pcap_next_ex(rd, &h, &data), 1);
	CU_ASSERT_EQUAL(h->ts.tv_usec, 5000);
	CU_ASSERT_EQUAL(h->len, pkt_wire_len(p));
	CU_ASSERT_EQUAL(pcap_next_ex(rd, &h, &data), -2);	/* the end */
	pcap_close(rd);
	unlink(path);
	snprintf(err, sizeof(err), "%s/.xcsim-outputs", dir);
	unlink(err);
	snprintf(err, sizeof(err), "%s/pcap/n", dir);
	rmdir(err);
	snprintf(err, sizeof(err), "%s/pcap", dir);
	rmdir(err);
	rmdir(dir);
	unlink(victim);
	pkt_free(sim, p);
	sim_free(sim);
}

static const struct test_case cases[] = {
	{ "frames read back through libpcap", test_read_back },
	{ "tshark decodes every layer, checksums good", test_tshark_decodes },
	{ "unwritable path", test_unwritable },
	{ "abort leaves no file", test_abort_leaves_nothing },
	{ "failed rename is reported", test_close_fails },
	{ "in an output directory, through no planted link", test_in_outdir_through_no_link },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	int rc;

	snprintf(tmpdir, sizeof(tmpdir), "test_capture.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	rc = test_main(argc, argv, "capture", cases);
	rmdir(tmpdir);
	return rc;
}
