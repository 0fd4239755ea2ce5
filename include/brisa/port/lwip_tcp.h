// SPDX-License-Identifier: MIT
/**
 * @file lwip_tcp.h
 * A brisa_transport over an lwIP raw-API TCP pcb (IPv4).
 *
 * The caller owns the struct (no allocation besides lwIP's own pcb and
 * pbufs). Typical use, once brisa_lwip_start() ran and the netif is up:
 *
 *     brisa_lwip_tcp tcp;
 *     brisa_lwip_tcp_init(&tcp, &eth_netif);
 *     int rc = brisa_lwip_tcp_connect(&tcp, &broker_ip, 8883, 10000);
 *     if (rc < 0)
 *         printf("%s\n", brisa_lwip_tcp_error(&tcp));
 *     brisa_transport t = brisa_lwip_tcp_transport(&tcp);
 *
 * Received segments stay in lwIP's pbufs until read: small reads (an MQTT
 * fixed header, a TLS record header) are copied out of them without
 * turning the stack, and the window is reopened by what was read. Waits
 * turn the stack through the board's hooks (see lwip_port.h), never longer
 * than the caller's timeout. Nagle is off; BRISA_SEND_MORE holds a write
 * back so that it leaves with the next one.
 */
#ifndef BRISA_LWIP_TCP_H
#define BRISA_LWIP_TCP_H

#include "brisa/err.h"
#include "brisa/export.h"
#include "brisa/config.h"
#include <stdint.h>

#include "brisa/ip.h"
#include "brisa/transport.h"

BRISA_BEGIN_DECLS

struct netif;

/** One TCP connection. Fields are private; read them through functions. */
typedef struct brisa_lwip_tcp {
    void *pcb;           /**< struct tcp_pcb *; NULL when there is none */
    void *rx;            /**< struct pbuf * chain received, not yet read */
    struct netif *netif; /**< the pcb is bound to it; NULL: routed */
    uint8_t state;       /**< private: closed, connecting, open, peer closed, failed */
    int8_t lwip_err;     /**< lwIP's err_t of the failure, 0 if none */
    char msg[96];        /**< the last failure, in words */
} brisa_lwip_tcp;

/** Puts @p t in the closed state; its connections will leave through
 *  @p netif (NULL: lwIP's routing). Call once before anything else. */
void brisa_lwip_tcp_init(brisa_lwip_tcp *t, struct netif *netif);

/**
 * Connects to @p ip : @p port, turning the stack until the handshake ends
 * or @p timeout_ms (0: 10 000 ms) passes. Returns BRISA_OK;
 * BRISA_ERR_CONNECT when the peer refused (RST) or the stack gave up;
 * BRISA_ERR_TIMEOUT; BRISA_ERR_NO_SPACE when lwIP has no free pcb;
 * BRISA_ERR_INVALID_ARG (not IPv4, port 0); BRISA_ERR_STATE when @p t is
 * open. On failure brisa_lwip_tcp_error() says why.
 */
brisa_err brisa_lwip_tcp_connect(brisa_lwip_tcp *t, const brisa_ip_addr *ip, uint16_t port,
                                 uint32_t timeout_ms);

/** The transport interface over @p t, which must outlive it. */
brisa_transport brisa_lwip_tcp_transport(brisa_lwip_tcp *t);

/** The last failure in words ("connect to 10.0.0.1 port 8883: refused");
 *  "" when nothing failed. Points into @p t. */
const char *brisa_lwip_tcp_error(const brisa_lwip_tcp *t);

/** Closes the connection (FIN after what is queued; a reset if lwIP cannot
 *  queue the FIN) and drops unread data. Safe to call more than once. */
void brisa_lwip_tcp_close(brisa_lwip_tcp *t);

BRISA_END_DECLS

#endif /* BRISA_LWIP_TCP_H */
