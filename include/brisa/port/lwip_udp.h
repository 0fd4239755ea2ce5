// SPDX-License-Identifier: MIT
/**
 * @file lwip_udp.h
 * A brisa_datagram over an lwIP raw-API UDP pcb (IPv4), the opener that
 * binds each new one to a random port (DNS, SNTP), the DHCP client's
 * endpoint, and the TCP opener DNS uses for truncated answers.
 *
 * Received datagrams wait in a short queue of lwIP pbufs (a flood beyond it
 * is dropped and counted, never blocks the stack); waits turn the stack
 * through the board's hooks (see lwip_port.h). Typical use:
 *
 *     brisa_lwip_udp_opener op;
 *     brisa_datagram_opener udp = brisa_lwip_udp_opener_init(&op, &eth_netif);
 *     brisa_lwip_udp dhcp_ep;
 *     brisa_datagram dhcp;
 *     brisa_lwip_dhcp_open(&dhcp_ep, &eth_netif, &dhcp);
 */
#ifndef BRISA_LWIP_UDP_H
#define BRISA_LWIP_UDP_H

#include "brisa/err.h"
#include "brisa/export.h"
#include "brisa/config.h"
#include <stdbool.h>
#include <stdint.h>

#include "brisa/datagram.h"
#include "brisa/dns.h"
#include "brisa/ip.h"
#include "brisa/port/lwip_tcp.h"

BRISA_BEGIN_DECLS

struct netif;

/* BRISA_LWIP_UDP_QUEUE (datagrams held until read): brisa/config.h */

/** How brisa_lwip_udp_open() binds. */
typedef struct brisa_lwip_udp_options {
    uint16_t port;  /**< local port; 0: a random one in 1024..65535 */
    bool broadcast; /**< allow sending to broadcast addresses */
} brisa_lwip_udp_options;

/** One UDP endpoint. Fields are private; read them through functions. */
typedef struct brisa_lwip_udp {
    /** @cond PRIVATE */
    void *pcb;                        /**< struct udp_pcb *; NULL when closed */
    struct netif *netif;              /**< bound to it; NULL: routed */
    void *queue[BRISA_LWIP_UDP_QUEUE];/**< struct pbuf *, oldest at head */
    brisa_ip_addr from[BRISA_LWIP_UDP_QUEUE];
    uint16_t from_port[BRISA_LWIP_UDP_QUEUE];
    uint8_t head, count;
    uint16_t port;                    /**< local port once bound */
    uint32_t dropped;                 /**< datagrams lost to a full queue */
    char msg[80];                     /**< the last failure, in words */
    /** @endcond */
} brisa_lwip_udp;

/** Puts @p u in the closed state. Call once before anything else. */
void brisa_lwip_udp_init(brisa_lwip_udp *u);

/**
 * Opens an IPv4 UDP pcb bound to any address on @p netif (NULL: any
 * netif, routed), as @p opt says (NULL: random port, no broadcast). With a
 * random port, up to 16 are tried before lwIP picks one. Works before the
 * netif has an address (it then sends from 0.0.0.0). Returns BRISA_OK,
 * BRISA_ERR_INVALID_ARG (family not IPv4), BRISA_ERR_STATE (open),
 * BRISA_ERR_NO_SPACE (no free pcb) or BRISA_ERR_IO (port in use).
 */
brisa_err brisa_lwip_udp_open(brisa_lwip_udp *u, struct netif *netif, uint8_t family,
                              const brisa_lwip_udp_options *opt);

/** The datagram interface over @p u, which must outlive it. */
brisa_datagram brisa_lwip_udp_datagram(brisa_lwip_udp *u);

/** The local port @p u is bound to (0 when closed). */
uint16_t brisa_lwip_udp_port(const brisa_lwip_udp *u);

/** Datagrams dropped because the queue was full. */
uint32_t brisa_lwip_udp_dropped(const brisa_lwip_udp *u);

/** The last failure in words; "" when nothing failed. */
const char *brisa_lwip_udp_error(const brisa_lwip_udp *u);

/** Closes the pcb and drops what is queued. Safe to call more than once. */
void brisa_lwip_udp_close(brisa_lwip_udp *u);

/**
 * The DHCP client's endpoint: @p u bound to port 68 on @p netif with
 * broadcast allowed, usable before the netif has an address (requests
 * leave from 0.0.0.0; broadcast and unicast replies to port 68 are let in
 * by lwipopts.h's LWIP_IP_ACCEPT_UDP_PORT). Fills @p out. Same returns as
 * brisa_lwip_udp_open().
 */
brisa_err brisa_lwip_dhcp_open(brisa_lwip_udp *u, struct netif *netif, brisa_datagram *out);

/** The state of brisa_lwip_udp_opener_init(): one endpoint, reused. */
typedef struct brisa_lwip_udp_opener {
    brisa_lwip_udp udp;   /**< the endpoint every open() reuses */
    struct netif *netif;  /**< the interface it binds to */
} brisa_lwip_udp_opener;

/** Makes a datagram opener whose every open() binds a new pcb on
 *  @p netif to a random port. @p o must outlive the opener. */
brisa_datagram_opener brisa_lwip_udp_opener_init(brisa_lwip_udp_opener *o, struct netif *netif);

/** A DNS TCP opener connecting @p t (brisa_lwip_tcp_init() done) to the
 *  server's address; @p t must outlive it. */
brisa_dns_tcp_opener brisa_lwip_dns_tcp_opener(brisa_lwip_tcp *t);

BRISA_END_DECLS

#endif /* BRISA_LWIP_UDP_H */
