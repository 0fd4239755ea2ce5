// SPDX-License-Identifier: MIT
/**
 * @file posix_tcp.h
 * A brisa_transport over a POSIX TCP socket (IPv4 and IPv6).
 *
 * The caller owns the brisa_posix_tcp struct (no allocation). Typical use:
 *
 *     brisa_posix_tcp tcp;
 *     brisa_posix_tcp_init(&tcp);
 *     int rc = brisa_posix_tcp_connect(&tcp, "broker.lan", 1883, NULL);
 *     if (rc < 0)
 *         fprintf(stderr, "%s\n", brisa_posix_tcp_error(&tcp));
 *     brisa_transport t = brisa_posix_tcp_transport(&tcp);
 *
 * The socket is non-blocking once connected; every wait is a poll() with
 * the caller's timeout, so nothing blocks longer than asked. Sends never
 * raise SIGPIPE. When an operation fails, the system's own reason
 * ("Connection refused", "Name or service not known") is kept in the
 * struct for messages meant for people.
 */
#ifndef BRISA_POSIX_TCP_H
#define BRISA_POSIX_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include "brisa/err.h"
#include "brisa/export.h"
#include "brisa/config.h"
#include "brisa/transport.h"

BRISA_BEGIN_DECLS

/** Which address families brisa_posix_tcp_connect() may use. */
typedef enum brisa_posix_tcp_family {
    BRISA_POSIX_TCP_ANY = 0, /**< whatever the resolver returns, in order */
    BRISA_POSIX_TCP_IPV4 = 4,
    BRISA_POSIX_TCP_IPV6 = 6
} brisa_posix_tcp_family;

/** Asked while a wait goes on (on a signal's EINTR and every few tens of
 *  ms): true ends the wait at once with BRISA_ERR_CANCELLED. */
typedef bool (*brisa_posix_cancel_fn)(void *user);

/** How brisa_posix_tcp_connect() connects; NULL means all defaults. */
typedef struct brisa_posix_tcp_options {
    uint32_t connect_timeout_ms; /**< per address tried; 0: 10 000 ms */
    brisa_posix_tcp_family family; /**< address families allowed */
    brisa_posix_cancel_fn cancel; /**< NULL: waits are never cancelled */
    void *cancel_user;            /**< passed to @c cancel */
} brisa_posix_tcp_options;

/* BRISA_POSIX_TCP_READ_AHEAD (bytes read ahead of the caller, so a burst
 * of small packets costs one recv()): brisa/config.h */

/** One TCP connection. Fields are private; read them through functions. */
typedef struct brisa_posix_tcp {
    int fd;          /**< -1 when closed */
    int sys_errno;   /**< errno of the last failure, 0 if none */
    int gai_error;   /**< getaddrinfo() code of a failed resolution */
    char msg[192];   /**< the last failure, in words */
    uint16_t ahead_pos; /**< next unread byte in ahead[] */
    uint16_t ahead_end; /**< end of the bytes read ahead */
    uint64_t drained_ms; /**< when a recv() last left the socket empty; 0: not since */
    brisa_posix_cancel_fn cancel; /**< checked by every wait; NULL: none */
    void *cancel_user; /**< passed to @c cancel */
    uint32_t rcvtimeo_ms; /**< SO_RCVTIMEO armed on the socket; 0: none */
    bool blocking_rx;     /**< waits are blocking recv()s (connected here) */
    uint8_t ahead[BRISA_POSIX_TCP_READ_AHEAD]; /**< bytes read ahead */
} brisa_posix_tcp;

/** Puts @p t in the closed state. Call once before anything else. */
void brisa_posix_tcp_init(brisa_posix_tcp *t);

/**
 * Resolves @p host (name or numeric address) with getaddrinfo() and
 * connects to @p port, trying each returned address in turn until one
 * accepts. @p opt may be NULL for the defaults. Enables TCP_NODELAY.
 * Returns BRISA_OK; BRISA_ERR_RESOLVE when the name has no usable address;
 * BRISA_ERR_TIMEOUT when the last address tried did not answer in time;
 * BRISA_ERR_CONNECT when it refused or was unreachable;
 * BRISA_ERR_CANCELLED when @p opt's cancel hook said so;
 * BRISA_ERR_INVALID_ARG; BRISA_ERR_STATE if @p t is already connected.
 * The cancel hook stays on the connection (its sends and receives, so a
 * TLS handshake over it ends too) until brisa_posix_tcp_set_cancel().
 * On failure brisa_posix_tcp_error() says why.
 */
brisa_err brisa_posix_tcp_connect(brisa_posix_tcp *t, const char *host, uint16_t port,
                                  const brisa_posix_tcp_options *opt);

/**
 * Takes ownership of an already connected stream socket @p fd (from
 * accept() or socketpair()), making it non-blocking. The transport closes
 * it. Returns BRISA_OK or BRISA_ERR_INVALID_ARG.
 */
brisa_err brisa_posix_tcp_adopt(brisa_posix_tcp *t, int fd);

/** Sets (or, with NULL, removes) the hook that ends @p t's waits early
 *  with BRISA_ERR_CANCELLED; see brisa_posix_tcp_options. */
void brisa_posix_tcp_set_cancel(brisa_posix_tcp *t, brisa_posix_cancel_fn cancel, void *user);

/** The transport interface over @p t, which must outlive it. */
brisa_transport brisa_posix_tcp_transport(brisa_posix_tcp *t);

/**
 * Human-readable reason for the last failure, e.g. "connect to 127.0.0.1
 * port 1: Connection refused". Points into @p t (or a static string);
 * valid until the next call on @p t. "" when nothing failed.
 */
const char *brisa_posix_tcp_error(const brisa_posix_tcp *t);

/** The system's reason alone ("Connection refused"); "" if none. */
const char *brisa_posix_tcp_reason(const brisa_posix_tcp *t);

/** Closes the socket (a FIN to the peer). Safe to call more than once. */
void brisa_posix_tcp_close(brisa_posix_tcp *t);

BRISA_END_DECLS

#endif /* BRISA_POSIX_TCP_H */
