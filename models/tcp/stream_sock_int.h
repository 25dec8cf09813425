/*
 * stream_sock_int.h - what the socket backend's files share
 * (stream_sock.c: the host and streams; stream_sock_lst.c: listeners):
 * the objects and the helpers that set socket options.
 */
#ifndef XCSIM_STREAM_SOCK_INT_H
#define XCSIM_STREAM_SOCK_INT_H

#include <ev.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim.h"
#include "stream_sock.h"

#define SOCK_SNDBUF_DEFAULT (64u * 1024)
#define SOCK_RCV_MIN (256u * 1024)	/* unread bytes held before pausing */
#define SOCK_ACCEPT_MAX 64		/* pending accepted sockets per event */

struct sock_host {
	struct stream_host base;
	struct sim *sim;
	struct ev_loop *loop;
	stream_sock_now_fn now;
	void *now_ctx;
	uint32_t bind_addr;
	char dev[IFNAMSIZ];
	uint32_t sndbuf;
	struct sock_stream *streams;
	struct sock_lst *lsts;
	size_t n_sockets;
};

struct sock_stream {
	struct stream base;
	struct sock_host *h;
	struct sock_stream *prev, *next;
	int fd;
	ev_io rio, wio;
	const struct stream_cb *cb;
	void *ctx;
	struct stream_addr local, remote;
	bool connecting;	/* the kernel's connect is in progress */
	bool conn_done;		/* it completed: on_connected is due */
	bool established;	/* on_connected delivered, or accepted */
	bool wr_closed;		/* shutdown or close asked: no more sends */
	bool fin_sent;		/* shutdown(SHUT_WR) done */
	bool closing;		/* stream_close: discard input, on_closed */
	bool released;		/* no callback ever again */
	bool dead;		/* gone while its event ran: free after it */
	bool in_dispatch;
	bool rx_fin, fin_vis;	/* the peer's FIN: read / shown to the user */
	bool rx_paused;		/* the read watcher stopped: buffer full */
	int err;		/* errno a watcher saw, 0: none */
	uint8_t *sbuf;
	size_t slen, scap;
	uint8_t *rbuf;
	size_t rhead, rlen, rvis, rcap, rmax;
	size_t freed;		/* taken by the kernel, not yet reported */
	uint64_t written, bytes_received;
	sim_event_id ev;
};

struct sock_peer {
	uint32_t addr;
	uint8_t ttl, min_ttl;
};

struct sock_lst {
	struct stream_listener base;
	struct sock_host *h;
	struct sock_lst *prev, *next;
	int fd;
	ev_io io;
	stream_accept_fn fn;
	void *ctx;
	uint8_t ttl, min_ttl;
	int nodelay;
	uint32_t sndbuf, rcvbuf;
	struct sock_peer *peers;
	size_t n_peers;
	int pending[SOCK_ACCEPT_MAX];
	size_t n_pending;
	bool in_dispatch, dead;
	sim_event_id ev;
};

extern const struct stream_ops stream_sock_ops;

/* The event time of what a watcher saw now (>= sim_now). */
sim_time ss_at_now(struct sock_host *h);
void ss_sin_of(struct sockaddr_in *sin, uint32_t addr, uint16_t port);
void ss_addr_of(int fd, bool peer, struct stream_addr *a);
int ss_set_int(int fd, int level, int opt, int v);
int ss_apply_ttl(int fd, uint8_t ttl, uint8_t min_ttl);
int ss_apply_md5(int fd, uint32_t peer, const uint8_t *key, uint8_t keylen);
int ss_setup(struct sock_host *h, int fd, int nodelay, uint32_t rcvbuf);
/* A stream on fd (its watchers made by ss_watchers_init), in h's list. */
struct sock_stream *ss_stream_new(struct sock_host *h, int fd,
    uint32_t sndbuf, uint32_t rcvbuf);
void ss_watchers_init(struct sock_stream *s);

struct stream_listener *ss_listen(struct stream_host *hh,
    const struct stream_addr *local, const struct stream_opts *o,
    stream_accept_fn fn, void *ctx);
void ss_unlisten(struct stream_listener *ll);
int ss_listener_set_peer(struct stream_listener *ll, uint32_t peer_addr,
    const struct stream_peer_opts *po);
/* Close its socket and those accepted but not yet handed over; free it. */
void ss_lst_free(struct sock_lst *l);

#endif
