/*
 * capture.c - pcap writer over libpcap's dump API.
 *
 * libpcap has no way to write a record in two pieces, so each frame is
 * assembled in a scratch buffer: real bytes, then zeros for the virtual
 * payload. The buffer is kept zero beyond the last frame's real bytes, so a
 * frame only costs a copy of its headers plus clearing whatever the previous
 * frame's headers left behind, never a memset of a 64 KB virtual payload.
 */
#include <errno.h>
#include <pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "outfile.h"
#include "pkt.h"
#include "sim.h"

#define CAPTURE_SNAPLEN 262144u
#define CAPTURE_BUFSIZE (128u * 1024u)	/* stdio buffer per capture */

struct capture {
	pcap_t *dead;
	pcap_dumper_t *dumper;
	struct outfile *of;	/* the file being written, until committed */
	uint8_t *scratch;
	size_t scratch_cap;
	size_t scratch_dirty;	/* bytes [0, dirty) may be non-zero */
};

static void
capture_free(struct capture *c)
{
	if (c->dumper != NULL)
		pcap_dump_close(c->dumper);
	if (c->dead != NULL)
		pcap_close(c->dead);
	outfile_abort(c->of);
	free(c->scratch);
	free(c);
}

/* Takes over of and its descriptor fd. */
static struct capture *
capture_new(struct outfile *of, int fd, char *err, size_t errlen)
{
	struct capture *c = xcalloc(1, sizeof(*c));
	FILE *fp;

	c->of = of;
	c->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB,
	    CAPTURE_SNAPLEN, PCAP_TSTAMP_PRECISION_NANO);
	if (c->dead == NULL) {
		sim_err(err, errlen, "%s: cannot create a pcap handle",
		    outfile_tmp_path(of));
		close(fd);
		capture_free(c);
		return NULL;
	}
	/*
	 * Our own FILE with a large buffer: with stdio's default 4 KiB a bulk
	 * flow costs a write(2) every few frames.
	 */
	if ((fp = fdopen(fd, "wb")) == NULL) {
		sim_err(err, errlen, "%s: %s", outfile_tmp_path(of),
		    strerror(errno));
		close(fd);
		capture_free(c);
		return NULL;
	}
	setvbuf(fp, NULL, _IOFBF, CAPTURE_BUFSIZE);
	c->dumper = pcap_dump_fopen(c->dead, fp);
	if (c->dumper == NULL) {
		sim_err(err, errlen, "%s", pcap_geterr(c->dead));
		fclose(fp);
		capture_free(c);
		return NULL;
	}
	return c;
}

struct capture *
capture_open(const char *path, char *err, size_t errlen)
{
	struct outfile *of;
	int fd;

	if ((of = outfile_create_path(path, &fd, err, errlen)) == NULL)
		return NULL;
	return capture_new(of, fd, err, errlen);
}

struct capture *
capture_open_at(struct outdir *d, const char *rel, char *err, size_t errlen)
{
	struct outfile *of;
	int fd;

	if ((of = outfile_create(d, rel, &fd, err, errlen)) == NULL)
		return NULL;
	return capture_new(of, fd, err, errlen);
}

void
capture_write(struct capture *c, sim_time t, const struct pkt *p)
{
	struct pcap_pkthdr h;
	size_t wire_len = pkt_wire_len(p);
	size_t cap_len = wire_len < CAPTURE_SNAPLEN ? wire_len :
	    CAPTURE_SNAPLEN;
	size_t real = p->len < cap_len ? p->len : cap_len;

	SIM_ASSERT(t >= 0, "capture at negative time %lld", (long long)t);
	if (cap_len > c->scratch_cap) {
		size_t ncap = c->scratch_cap ? c->scratch_cap : 2048;

		while (ncap < cap_len)
			ncap *= 2;
		c->scratch = xrealloc(c->scratch, ncap);
		memset(c->scratch + c->scratch_cap, 0, ncap - c->scratch_cap);
		c->scratch_cap = ncap;
	}
	memcpy(c->scratch, p->data, real);
	if (c->scratch_dirty > real)
		memset(c->scratch + real, 0, c->scratch_dirty - real);
	c->scratch_dirty = real;

	memset(&h, 0, sizeof(h));
	/* With nanosecond precision libpcap reads tv_usec as nanoseconds. */
	h.ts.tv_sec = (time_t)(t / 1000000000);
	h.ts.tv_usec = (suseconds_t)(t % 1000000000);
	h.caplen = (bpf_u_int32)cap_len;
	h.len = (bpf_u_int32)wire_len;
	pcap_dump((u_char *)c->dumper, &h, c->scratch);
}

int
capture_close(struct capture *c, char *err, size_t errlen)
{
	struct outfile *of = c->of;
	int bad;

	bad = pcap_dump_flush(c->dumper) != 0 ||
	    ferror(pcap_dump_file(c->dumper));
	pcap_dump_close(c->dumper);
	c->dumper = NULL;
	c->of = NULL;
	capture_free(c);
	if (bad) {
		sim_err(err, errlen, "%s: write error", outfile_tmp_path(of));
		outfile_abort(of);
		return -1;
	}
	return outfile_commit(of, err, errlen);
}

void
capture_abort(struct capture *c)
{
	if (c == NULL)
		return;
	capture_free(c);	/* closes the file, then removes it */
}
