// SPDX-License-Identifier: MIT
/**
 * @file datagram.h
 * The datagram (UDP) interface used by the DHCP, DNS and SNTP clients.
 *
 * One brisa_datagram is one bound UDP endpoint. The state machines in
 * src/net build and parse packets and decide what to send when; the port
 * behind this interface owns sockets (or lwIP pcbs, or a packet socket for
 * DHCP before an address exists).
 */
#ifndef BRISA_DATAGRAM_H
#define BRISA_DATAGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "brisa/export.h"
#include "brisa/ip.h"

BRISA_BEGIN_DECLS

/** An open datagram endpoint (UDP): a context and three functions, filled
 *  by a port (brisa_posix_udp, lwIP) and used by DHCP, DNS and SNTP. */
typedef struct brisa_datagram {
    void *ctx; /**< the port's endpoint, passed to every function */

    /** Sends one datagram of @p len bytes to @p dst : @p port (an IPv4
     *  broadcast address is allowed). Returns 0 or a negative brisa_err. */
    int (*send_to)(void *ctx, const brisa_ip_addr *dst, uint16_t port,
                   const uint8_t *buf, size_t len);

    /** Receives one datagram into @p buf (at most @p cap bytes; a longer
     *  datagram is truncated and reported with BRISA_ERR_TOO_LARGE), waiting
     *  at most @p timeout_ms. Fills @p src and @p src_port when not NULL.
     *  Returns the datagram's length, BRISA_ERR_TIMEOUT, or another
     *  negative brisa_err. */
    int (*recv_from)(void *ctx, brisa_ip_addr *src, uint16_t *src_port,
                     uint8_t *buf, size_t cap, uint32_t timeout_ms);

    /** Releases the endpoint. Safe to call more than once. */
    void (*close)(void *ctx);
} brisa_datagram;

/**
 * A factory of fresh datagram endpoints. DNS opens one per query so that
 * every query leaves from a new, unpredictable source port (RFC 5452);
 * SNTP opens one per synchronisation.
 */
typedef struct brisa_datagram_opener {
    void *ctx; /**< the port's state, passed to open */

    /** Binds a new endpoint of @p family (BRISA_IP_V4 or BRISA_IP_V6) to a
     *  random local port and fills @p out; its storage belongs to the
     *  opener, which may reuse it once @p out has been closed (callers keep
     *  at most one endpoint per opener open). Returns 0 or a negative
     *  brisa_err. */
    int (*open)(void *ctx, uint8_t family, brisa_datagram *out);
} brisa_datagram_opener;

BRISA_END_DECLS

#endif /* BRISA_DATAGRAM_H */
