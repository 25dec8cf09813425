/*
 * stream.h - a reliable byte stream between two endpoints, as applications
 * and the BGP speaker see it: connect, listen/accept, send, read, close,
 * abort, and callbacks for what happens (connected, readable, send space
 * freed, closed, failed).
 *
 * The API knows nothing of how the bytes are carried. Two backends
 * implement it: the simulated TCP of models/tcp/tcp.h (a node's stack is a
 * struct stream_host) and, in emulation, real sockets on the host's TCP.
 * Nothing here names a segment, a packet or simulated time; an application
 * that needs the time asks its own clock.
 *
 * Bytes may be virtual: stream_send(s, NULL, n) queues n bytes whose
 * content is zero without storing them, and stream_read(s, NULL, n)
 * consumes n bytes without copying them. A bulk transfer is then a length
 * end to end (the simulated backend carries it as a packet's virtual
 * payload); a real-socket backend writes and reads real zeros.
 *
 * Lifetime. A stream handle is valid from stream_connect() (or the accept
 * callback) until the backend reports on_closed or on_error, or until the
 * application calls stream_abort() or stream_release(); after that the
 * handle is gone (the backend may keep the connection, e.g. in TIME_WAIT,
 * without it). Callbacks are never called from inside an API call on the
 * same stream: they come from the backend's own events, so an application
 * may call any API function, stream_abort() included, from a callback.
 */
#ifndef XCSIM_STREAM_H
#define XCSIM_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct stream;
struct stream_listener;
struct stream_host;		/* a simulated node's stack, or the host */
struct tcp_cfg;			/* simulated backend's knobs (tcp.h) */

enum stream_err {
	STREAM_OK = 0,
	STREAM_REFUSED,		/* the peer answered the connect with a reset */
	STREAM_RESET,		/* the peer reset an open connection */
	STREAM_TIMEDOUT,	/* connect or retransmissions gave up */
	STREAM_UNREACHABLE,	/* a hard ICMP error, or no route */
	STREAM_POWER_OFF,	/* the node lost its power (a simulated
				 * node's node-down): the connection with it */
	STREAM_ERR_MAX
};
extern const char *const stream_err_name[STREAM_ERR_MAX];

struct stream_cb {
	/* The connect completed (not called for accepted streams). */
	void (*on_connected)(struct stream *s, void *ctx);
	/*
	 * Bytes became readable, or the peer closed its direction (then
	 * stream_eof() is true once everything before it is read).
	 */
	void (*on_receive)(struct stream *s, void *ctx);
	/* freed bytes of send buffer became free (the peer acknowledged). */
	void (*on_sent)(struct stream *s, size_t freed, void *ctx);
	/*
	 * Both directions finished cleanly after stream_close(): everything
	 * sent was acknowledged and the peer's FIN arrived. The handle is
	 * gone when this returns.
	 */
	void (*on_closed)(struct stream *s, void *ctx);
	/* The stream failed; the handle is gone when this returns. */
	void (*on_error)(struct stream *s, enum stream_err err, void *ctx);
};

/* Addresses and ports in host byte order. */
struct stream_addr {
	uint32_t addr;		/* 0: any (listen) / chosen by route (connect) */
	uint16_t port;		/* 0 on connect: an ephemeral port */
};

/* The longest RFC 2385 key (Linux's TCP_MD5SIG_MAXKEYLEN). */
#define STREAM_MD5_KEY_MAX 80

/* Per-stream options; zero fields mean the backend's default. */
struct stream_opts {
	struct stream_addr local;	/* connect: bind to this first */
	uint32_t vrf;			/* routing instance */
	uint32_t sndbuf, rcvbuf;	/* bytes */
	int nodelay;			/* 1: Nagle off, -1: on, 0: default */
	const char *cc;			/* congestion control by name */
	uint8_t ttl;			/* IP TTL of segments sent */
	uint8_t min_ttl;		/* drop segments below (GTSM), 0: off */
	/*
	 * Connect only: the RFC 2385 MD5 signature key for the remote
	 * address (Linux's TCP_MD5SIG on the socket before connect), copied;
	 * md5_keylen 0: unsigned. A listener takes keys per peer address
	 * (stream_listener_set_peer) and ignores these.
	 */
	const uint8_t *md5_key;
	uint8_t md5_keylen;		/* <= STREAM_MD5_KEY_MAX */
	/* Simulated backend only (the socket backend ignores it). */
	const struct tcp_cfg *tcp;
};

/*
 * Start connecting to remote. Returns the stream at once; on_connected or
 * on_error follows. Returns NULL (with no callback) only for an invalid
 * request: no route to remote, or a local address/port in use.
 */
struct stream *stream_connect(struct stream_host *h,
    const struct stream_addr *remote, const struct stream_opts *o,
    const struct stream_cb *cb, void *ctx);

/*
 * The accept callback gets each new connection, established; it must call
 * stream_set_cb() on it (or stream_abort() it) before returning.
 */
typedef void (*stream_accept_fn)(struct stream_listener *l, struct stream *s,
    void *ctx);
/* Listen on local (addr 0: every address). NULL if the port is taken. */
struct stream_listener *stream_listen(struct stream_host *h,
    const struct stream_addr *local, const struct stream_opts *o,
    stream_accept_fn fn, void *ctx);
/* Stop listening; established streams are not affected. */
void stream_unlisten(struct stream_listener *l);

/*
 * What a listener applies to the connections of one peer address, from
 * its SYN on: the SYN must carry a valid signature with md5_key (and one
 * without, or with a wrong one, is dropped unanswered; with no key one
 * that carries a signature is), its TTL must be >= min_ttl, the SYN,ACK
 * and every later segment go out with ttl, and the accepted stream keeps
 * all three. A socket backend maps the key to TCP_MD5SIG with the peer's
 * address on the listening socket, exactly; IP_TTL and IP_MINTTL are per
 * socket there, so it sets the listener's to the largest ttl and the
 * smallest min_ttl of its peers and the accepted socket's exactly (as
 * stream_set_ttl), which is what the caller should do after accepting too.
 */
struct stream_peer_opts {
	const uint8_t *md5_key;		/* copied; md5_keylen 0: no key */
	uint8_t md5_keylen;		/* <= STREAM_MD5_KEY_MAX */
	uint8_t ttl;			/* 0: the listener's */
	uint8_t min_ttl;		/* 0: the listener's */
};
/*
 * Set (po) or forget (po NULL) what the listener applies to peer_addr's
 * connections; a second call replaces the first. Connections accepted
 * already keep what they have. Returns 0, or -1 for a key longer than
 * STREAM_MD5_KEY_MAX (nothing changes then).
 */
int stream_listener_set_peer(struct stream_listener *l, uint32_t peer_addr,
    const struct stream_peer_opts *po);

/*
 * Change the IP TTL of the stream's segments (0: the backend's default)
 * and the lowest TTL it accepts (0: any), as IP_TTL and IP_MINTTL do: an
 * accepted stream gets its peer's rules this way (one listener serves
 * peers with different rules). Returns 0, -1 if the backend cannot.
 */
int stream_set_ttl(struct stream *s, uint8_t ttl, uint8_t min_ttl);

void stream_set_cb(struct stream *s, const struct stream_cb *cb, void *ctx);

/*
 * Queue up to len bytes (data NULL: virtual zero bytes) and return how many
 * were taken: at most stream_send_space(). Before the connect completes
 * the bytes wait in the buffer. Returns 0 after stream_close() or
 * stream_shutdown().
 */
size_t stream_send(struct stream *s, const void *data, size_t len);
size_t stream_send_space(const struct stream *s);
/* Bytes queued and not yet acknowledged by the peer. */
size_t stream_send_queued(const struct stream *s);

/* Take up to max readable bytes into buf (NULL: discard them). */
size_t stream_read(struct stream *s, void *buf, size_t max);
size_t stream_readable(const struct stream *s);
/* The peer closed its direction and every byte before it was read. */
bool stream_eof(const struct stream *s);

/* Close the sending direction after what is queued (half-close). */
void stream_shutdown(struct stream *s);
/*
 * Close both directions gracefully: queued bytes are still delivered,
 * bytes arriving later are discarded; on_closed (or on_error) ends it.
 */
void stream_close(struct stream *s);
/*
 * Close and forget: like stream_close() but no callback ever comes again
 * and the handle is gone at once (the connection finishes by itself).
 */
void stream_release(struct stream *s);
/* Reset the connection now; the handle is gone at once, no callback. */
void stream_abort(struct stream *s);

struct stream_info {
	struct stream_addr local, remote;
	const char *state;		/* "ESTABLISHED", "FIN_WAIT_1", ... */
	uint64_t bytes_sent;		/* acknowledged by the peer */
	uint64_t bytes_received;	/* delivered in order */
	uint32_t mss;			/* the sending MSS now */
	uint64_t srtt_ns, rttvar_ns;	/* 0 before the first sample */
	uint32_t cwnd, ssthresh;	/* bytes; 0 if the backend cannot say */
	uint64_t retransmits;
};
void stream_get_info(const struct stream *s, struct stream_info *info);

/*
 * What a backend provides (the functions above dispatch through it);
 * every stream and listener starts with a pointer to its backend's ops.
 */
struct stream_ops {
	const char *name;
	struct stream *(*connect)(struct stream_host *h,
	    const struct stream_addr *remote, const struct stream_opts *o,
	    const struct stream_cb *cb, void *ctx);
	struct stream_listener *(*listen)(struct stream_host *h,
	    const struct stream_addr *local, const struct stream_opts *o,
	    stream_accept_fn fn, void *ctx);
	void (*unlisten)(struct stream_listener *l);
	void (*set_cb)(struct stream *s, const struct stream_cb *cb,
	    void *ctx);
	size_t (*send)(struct stream *s, const void *data, size_t len);
	size_t (*send_space)(const struct stream *s);
	size_t (*send_queued)(const struct stream *s);
	size_t (*read)(struct stream *s, void *buf, size_t max);
	size_t (*readable)(const struct stream *s);
	bool (*eof)(const struct stream *s);
	void (*shutdown)(struct stream *s);
	void (*close)(struct stream *s);
	void (*release)(struct stream *s);
	void (*abort)(struct stream *s);
	void (*get_info)(const struct stream *s, struct stream_info *info);
	int (*listener_set_peer)(struct stream_listener *l, uint32_t peer_addr,
	    const struct stream_peer_opts *po);
	int (*set_ttl)(struct stream *s, uint8_t ttl, uint8_t min_ttl);
};

/* The first member of every backend's host, stream and listener. */
struct stream_host {
	const struct stream_ops *ops;
};
struct stream {
	const struct stream_ops *ops;
};
struct stream_listener {
	const struct stream_ops *ops;
};

#endif
