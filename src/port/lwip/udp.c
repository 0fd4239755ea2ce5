// SPDX-License-Identifier: MIT
/* UDP endpoints over lwIP's raw API: DHCP (port 68, from 0.0.0.0 before the
 * netif has an address), and one per DNS query or SNTP exchange on a random
 * port (RFC 6056: unpredictable source ports). lwIP hands datagrams to a
 * callback; they wait in a short queue until recv_from takes them. */
#include <string.h>

#include "lwip/pbuf.h"
#include "lwip/udp.h"

#include "brisa/dhcp.h"
#include "brisa/err.h"
#include "brisa/port/lwip_port.h"
#include "brisa/port/lwip_udp.h"
#include "lwip_internal.h"

#define RANDOM_PORT_TRIES 16

void brisa_lwip_udp_init(brisa_lwip_udp *u)
{
    memset(u, 0, sizeof *u);
}

static void on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                    u16_t port)
{
    brisa_lwip_udp *u = arg;
    (void)pcb;
    if (u->count == BRISA_LWIP_UDP_QUEUE) {
        u->dropped++; /* a flood must not hold the stack's buffers */
        pbuf_free(p);
        return;
    }
    unsigned slot = (u->head + u->count) % BRISA_LWIP_UDP_QUEUE;
    u->queue[slot] = p;
    u->from[slot] = bri_lwip_from_lwip(addr);
    u->from_port[slot] = port;
    u->count++;
}

static int fail(brisa_lwip_udp *u, const char *what, uint16_t port, const char *reason, int rc)
{
    size_t n = bri_lwip_msg(u->msg, sizeof u->msg, 0, what);
    if (port != 0) {
        n = bri_lwip_msg(u->msg, sizeof u->msg, n, " port ");
        n = bri_lwip_msg_uint(u->msg, sizeof u->msg, n, port);
    }
    n = bri_lwip_msg(u->msg, sizeof u->msg, n, ": ");
    (void)bri_lwip_msg(u->msg, sizeof u->msg, n, reason);
    return rc;
}

static uint16_t random_port(void)
{
    return (uint16_t)(1024u + bri_lwip_rand32() % (65536u - 1024u));
}

brisa_err brisa_lwip_udp_open(brisa_lwip_udp *u, struct netif *netif, uint8_t family,
                              const brisa_lwip_udp_options *opt)
{
    static const brisa_lwip_udp_options defaults = { 0, false };
    if (u == NULL || family != BRISA_IP_V4)
        return BRISA_ERR_INVALID_ARG;
    if (u->pcb != NULL)
        return BRISA_ERR_STATE;
    if (opt == NULL)
        opt = &defaults;
    u->msg[0] = '\0';
    u->netif = netif;
    struct udp_pcb *pcb = udp_new_ip_type(IPADDR_TYPE_V4);
    if (pcb == NULL)
        return fail(u, "UDP open", 0, "no free pcb (MEMP_NUM_UDP_PCB)", BRISA_ERR_NO_SPACE);
    err_t err = ERR_USE;
    /* The last try of a random bind lets lwIP choose. */
    int tries = opt->port != 0 ? 1 : RANDOM_PORT_TRIES + 1;
    for (int i = 0; i < tries && err == ERR_USE; i++) {
        uint16_t port = opt->port != 0 ? opt->port : i < RANDOM_PORT_TRIES ? random_port() : 0;
        err = udp_bind(pcb, IP4_ADDR_ANY, port);
    }
    if (err != ERR_OK) {
        udp_remove(pcb);
        return fail(u, "UDP bind", opt->port, bri_lwip_err_str(err), BRISA_ERR_IO);
    }
    if (netif != NULL)
        udp_bind_netif(pcb, netif);
    if (opt->broadcast)
        ip_set_option(pcb, SOF_BROADCAST);
    udp_recv(pcb, on_recv, u);
    u->pcb = pcb;
    u->port = pcb->local_port;
    return BRISA_OK;
}

static int dgram_send(void *ctx, const brisa_ip_addr *dst, uint16_t port, const uint8_t *buf,
                       size_t len)
{
    brisa_lwip_udp *u = ctx;
    ip_addr_t to;
    if (u->pcb == NULL)
        return BRISA_ERR_STATE;
    if (!bri_lwip_to_lwip(dst, &to) || len > 0xffffu - 8u - 20u)
        return BRISA_ERR_INVALID_ARG;
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
    if (p == NULL)
        return fail(u, "UDP send", 0, "out of memory", BRISA_ERR_NO_SPACE);
    (void)pbuf_take(p, buf, (u16_t)len);
    err_t err = udp_sendto(u->pcb, p, &to, port);
    pbuf_free(p);
    if (err == ERR_OK)
        return BRISA_OK;
    char what[40];
    size_t n = bri_lwip_msg(what, sizeof what, 0, "UDP send to ");
    (void)bri_lwip_msg_ip(what, sizeof what, n, dst);
    return fail(u, what, port, bri_lwip_err_str(err),
                err == ERR_MEM || err == ERR_BUF ? BRISA_ERR_NO_SPACE : BRISA_ERR_IO);
}

/* Takes the oldest queued datagram into @p buf. */
static int pop(brisa_lwip_udp *u, brisa_ip_addr *src, uint16_t *src_port, uint8_t *buf,
               size_t cap)
{
    struct pbuf *p = u->queue[u->head];
    if (src != NULL)
        *src = u->from[u->head];
    if (src_port != NULL)
        *src_port = u->from_port[u->head];
    u->queue[u->head] = NULL;
    u->head = (uint8_t)((u->head + 1) % BRISA_LWIP_UDP_QUEUE);
    u->count--;
    size_t len = p->tot_len;
    size_t n = len < cap ? len : cap;
    (void)pbuf_copy_partial(p, buf, (u16_t)n, 0);
    pbuf_free(p);
    return len > cap ? BRISA_ERR_TOO_LARGE : (int)len;
}

static int dgram_recv(void *ctx, brisa_ip_addr *src, uint16_t *src_port, uint8_t *buf,
                       size_t cap, uint32_t timeout_ms)
{
    brisa_lwip_udp *u = ctx;
    if (u->pcb == NULL)
        return BRISA_ERR_STATE;
    uint64_t deadline = bri_lwip_deadline(timeout_ms);
    for (;;) {
        if (u->count == 0)
            brisa_lwip_service();
        if (u->count > 0)
            return pop(u, src, src_port, buf, cap);
        if (!bri_lwip_idle_until(deadline))
            return BRISA_ERR_TIMEOUT;
    }
}

void brisa_lwip_udp_close(brisa_lwip_udp *u)
{
    if (u == NULL)
        return;
    if (u->pcb != NULL) {
        udp_remove(u->pcb);
        u->pcb = NULL;
    }
    while (u->count > 0) {
        pbuf_free(u->queue[u->head]);
        u->queue[u->head] = NULL;
        u->head = (uint8_t)((u->head + 1) % BRISA_LWIP_UDP_QUEUE);
        u->count--;
    }
    u->head = 0;
    u->port = 0;
}

static void dgram_close(void *ctx)
{
    brisa_lwip_udp_close(ctx);
}

brisa_datagram brisa_lwip_udp_datagram(brisa_lwip_udp *u)
{
    brisa_datagram d = { u, dgram_send, dgram_recv, dgram_close };
    return d;
}

uint16_t brisa_lwip_udp_port(const brisa_lwip_udp *u)
{
    return u->pcb != NULL ? u->port : 0;
}

uint32_t brisa_lwip_udp_dropped(const brisa_lwip_udp *u)
{
    return u->dropped;
}

const char *brisa_lwip_udp_error(const brisa_lwip_udp *u)
{
    return u->msg;
}

brisa_err brisa_lwip_dhcp_open(brisa_lwip_udp *u, struct netif *netif, brisa_datagram *out)
{
    brisa_lwip_udp_options opt = { BRISA_DHCP_CLIENT_PORT, true };
    brisa_lwip_udp_init(u);
    int rc = brisa_lwip_udp_open(u, netif, BRISA_IP_V4, &opt);
    if (rc == BRISA_OK)
        *out = brisa_lwip_udp_datagram(u);
    return rc;
}

static int opener_open(void *ctx, uint8_t family, brisa_datagram *out)
{
    brisa_lwip_udp_opener *o = ctx;
    brisa_lwip_udp_close(&o->udp); /* at most one endpoint per opener */
    int rc = brisa_lwip_udp_open(&o->udp, o->netif, family, NULL);
    if (rc == BRISA_OK)
        *out = brisa_lwip_udp_datagram(&o->udp);
    return rc;
}

brisa_datagram_opener brisa_lwip_udp_opener_init(brisa_lwip_udp_opener *o, struct netif *netif)
{
    brisa_lwip_udp_init(&o->udp);
    o->netif = netif;
    brisa_datagram_opener op = { o, opener_open };
    return op;
}

/* ---- DNS over TCP ----------------------------------------------------------- */

static int dns_tcp_open(void *ctx, const brisa_ip_addr *ip, uint16_t port, uint32_t timeout_ms,
                        brisa_transport *out)
{
    brisa_lwip_tcp *t = ctx;
    brisa_lwip_tcp_close(t);
    int rc = brisa_lwip_tcp_connect(t, ip, port, timeout_ms);
    if (rc == BRISA_OK)
        *out = brisa_lwip_tcp_transport(t);
    return rc;
}

brisa_dns_tcp_opener brisa_lwip_dns_tcp_opener(brisa_lwip_tcp *t)
{
    brisa_dns_tcp_opener op = { t, dns_tcp_open };
    return op;
}
