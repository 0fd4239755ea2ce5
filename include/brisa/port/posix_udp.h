// SPDX-License-Identifier: MIT
/**
 * @file posix_udp.h
 * A brisa_datagram over a POSIX UDP socket (IPv4 or IPv6), the opener that
 * hands out one on a fresh random port per call (for DNS and SNTP), and
 * the TCP opener DNS uses for truncated answers.
 *
 * The caller owns every struct (no allocation). Typical use:
 *
 *     brisa_posix_udp_opener op;
 *     brisa_datagram_opener udp = brisa_posix_udp_opener_init(&op, NULL);
 *     brisa_datagram d;
 *     if (udp.open(udp.ctx, BRISA_IP_V4, &d) < 0)
 *         fprintf(stderr, "%s\n", brisa_posix_udp_error(&op.udp));
 *
 * Waits are poll() with the caller's timeout, so nothing blocks longer
 * than asked. Failures keep the system's reason for messages to people.
 */
#ifndef BRISA_POSIX_UDP_H
#define BRISA_POSIX_UDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/err.h"
#include "brisa/export.h"
#include "brisa/datagram.h"
#include "brisa/dns.h"
#include "brisa/ip.h"
#include "brisa/port/posix_tcp.h"

BRISA_BEGIN_DECLS

/** Where and how a UDP endpoint binds; NULL means all defaults. */
typedef struct brisa_posix_udp_options {
    const brisa_ip_addr *local; /**< address to bind; NULL: any of the family */
    uint16_t port;              /**< 0: a random port in 1024..65535 */
    const char *ifname;         /**< SO_BINDTODEVICE (needs CAP_NET_RAW); NULL: none */
    bool broadcast;             /**< SO_BROADCAST: allow sending to broadcast */
} brisa_posix_udp_options;

/** One UDP endpoint. Fields are private; read them through functions. */
typedef struct brisa_posix_udp {
    int fd;             /**< -1 when closed */
    uint8_t family;     /**< brisa_ip_family of the socket */
    uint16_t port;      /**< local port once bound */
    int sys_errno;      /**< errno of the last failure, 0 if none */
    char msg[120];      /**< "bind to 127.0.0.1 port 53: Permission denied" */
} brisa_posix_udp;

/** Puts @p u in the closed state. Call once before anything else. */
void brisa_posix_udp_init(brisa_posix_udp *u);

/**
 * Opens a UDP socket of @p family (BRISA_IP_V4 or BRISA_IP_V6; an IPv6
 * socket is IPv6-only) and binds it as @p opt says (NULL: any address,
 * random port). With a random port, up to 16 ports are tried before the
 * kernel is left to choose. Returns BRISA_OK, BRISA_ERR_INVALID_ARG,
 * BRISA_ERR_STATE if @p u is open, or BRISA_ERR_IO (see
 * brisa_posix_udp_error()).
 */
brisa_err brisa_posix_udp_open(brisa_posix_udp *u, uint8_t family, const brisa_posix_udp_options *opt);

/** The datagram interface over @p u, which must outlive it. recv_from
 *  reports a datagram longer than the buffer as BRISA_ERR_TOO_LARGE
 *  (its first bytes are in the buffer). */
brisa_datagram brisa_posix_udp_datagram(brisa_posix_udp *u);

/** The local port @p u is bound to (0 when closed). */
uint16_t brisa_posix_udp_port(const brisa_posix_udp *u);

/** Human-readable reason for the last failure; "" when nothing failed. */
const char *brisa_posix_udp_error(const brisa_posix_udp *u);

/** Closes the socket. Safe to call more than once. */
void brisa_posix_udp_close(brisa_posix_udp *u);

/** The state of brisa_posix_udp_opener_init(): one endpoint, reused. */
typedef struct brisa_posix_udp_opener {
    brisa_posix_udp udp;          /**< the endpoint last opened */
    brisa_posix_udp_options opt;  /**< applied to each (port forced random) */
} brisa_posix_udp_opener;

/** Makes a datagram opener whose every open() binds a new socket to a
 *  random port, as @p opt (may be NULL; copied, its strings referenced)
 *  says otherwise. @p o must outlive the opener. */
brisa_datagram_opener brisa_posix_udp_opener_init(brisa_posix_udp_opener *o,
                                                  const brisa_posix_udp_options *opt);

/** A DNS TCP opener connecting @p t (brisa_posix_tcp_init() done) to the
 *  server's numeric address; @p t must outlive it. */
brisa_dns_tcp_opener brisa_posix_dns_tcp_opener(brisa_posix_tcp *t);

/** Reads up to @p cap "nameserver" lines of @p path (NULL:
 *  /etc/resolv.conf) into @p out; returns how many (0 when the file is
 *  missing or has none). */
size_t brisa_posix_resolv_conf(const char *path, brisa_dns_server *out, size_t cap);

BRISA_END_DECLS

#endif /* BRISA_POSIX_UDP_H */
