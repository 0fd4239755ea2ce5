// SPDX-License-Identifier: MIT
/* Test helper: two lwIP Ethernet netifs joined in memory (see lwip_wire.h). */
#define _POSIX_C_SOURCE 200809L
#include "lwip_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

#include "brisa/dhcp.h"
#include "brisa/err.h"
#include "brisa/port/lwip_port.h"

#define QUEUE 64
#define FRAME_MAX 1536

struct netif wire_dev, wire_srv;

typedef struct frame {
    uint16_t len;
    uint8_t data[FRAME_MAX];
} frame;

/* Frames waiting to be received by each netif. */
static struct {
    frame f[QUEUE];
    unsigned head, count;
} inbox[2];
static uint32_t dropped, polls;
static bool started;
static void (*poll_hook)(void);

uint64_t wire_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint32_t tick_ms(void *ctx)
{
    (void)ctx;
    return (uint32_t)wire_ms();
}

static int peer_of(const struct netif *n)
{
    return n == &wire_dev ? 1 : 0; /* inbox 0: dev's, 1: srv's */
}

static err_t linkoutput(struct netif *n, struct pbuf *p)
{
    int to = peer_of(n);
    if (inbox[to].count == QUEUE || p->tot_len > FRAME_MAX) {
        dropped++;
        return ERR_OK; /* a wire loses frames silently */
    }
    frame *f = &inbox[to].f[(inbox[to].head + inbox[to].count) % QUEUE];
    f->len = pbuf_copy_partial(p, f->data, p->tot_len, 0);
    inbox[to].count++;
    return ERR_OK;
}

/* The "driver": hands every frame waiting for a netif to lwIP. Frames sent
 * in answer wait for the next poll, as on a real link. */
static void poll_wire(void *ctx)
{
    (void)ctx;
    polls++;
    struct netif *nifs[2] = { &wire_dev, &wire_srv };
    for (int i = 0; i < 2; i++) {
        unsigned n = inbox[i].count;
        while (n-- > 0) {
            frame *f = &inbox[i].f[inbox[i].head];
            struct pbuf *p = pbuf_alloc(PBUF_RAW, f->len, PBUF_POOL);
            inbox[i].head = (inbox[i].head + 1) % QUEUE;
            inbox[i].count--;
            if (p == NULL) {
                dropped++;
                continue;
            }
            pbuf_take(p, f->data, f->len);
            if (nifs[i]->input(p, nifs[i]) != ERR_OK)
                pbuf_free(p);
        }
    }
    if (poll_hook != NULL)
        poll_hook();
}

bool wire_listen(uint16_t port, tcp_accept_fn accept, void *arg)
{
    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (pcb == NULL)
        return false;
    tcp_bind_netif(pcb, &wire_srv);
    struct tcp_pcb *lpcb = tcp_bind(pcb, IP4_ADDR_ANY, port) == ERR_OK ? tcp_listen(pcb) : NULL;
    if (lpcb == NULL) {
        tcp_close(pcb);
        return false;
    }
    tcp_arg(lpcb, arg);
    tcp_accept(lpcb, accept);
    return true;
}

void wire_set_poll_hook(void (*fn)(void))
{
    poll_hook = fn;
}

static void idle(void *ctx, uint32_t max_ms)
{
    (void)ctx;
    if (inbox[0].count + inbox[1].count > 0)
        return; /* frames are waiting: no sleep */
    struct timespec ts = { 0, (long)(max_ms < 1 ? max_ms : 1) * 1000000L };
    nanosleep(&ts, NULL);
}

static int fill(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    return getrandom(buf, len, 0) == (ssize_t)len ? 0 : BRISA_ERR_IO;
}

static err_t wire_netif_init(struct netif *n)
{
    n->name[0] = 'w';
    n->name[1] = n == &wire_dev ? 'd' : 's';
    n->output = etharp_output;
    n->linkoutput = linkoutput;
    n->mtu = 1500;
    n->hwaddr_len = 6;
    static const uint8_t macs[2][6] = { { 2, 0, 0, 0, 0, 2 }, { 2, 0, 0, 0, 0, 1 } };
    memcpy(n->hwaddr, macs[n == &wire_dev ? 0 : 1], 6);
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    return ERR_OK;
}

void brisa_lwip_assert_failed(const char *msg, const char *file, int line)
{
    fprintf(stderr, "lwIP assertion failed at %s:%d: %s\n", file, line, msg);
    abort();
}

void wire_run(uint32_t ms)
{
    uint64_t until = wire_ms() + ms;
    while (wire_ms() < until)
        brisa_lwip_wait(5);
}

uint32_t wire_polls(void)
{
    return polls;
}

uint32_t wire_dropped(void)
{
    return dropped;
}

void wire_start(void)
{
    if (!started) {
        static const brisa_lwip_platform plat = { NULL, tick_ms, poll_wire, idle, { NULL, fill } };
        if (brisa_lwip_start(&plat) != BRISA_OK)
            abort();
        ip4_addr_t ip, mask;
        IP4_ADDR(&ip, 10, 0, 0, 1);
        IP4_ADDR(&mask, 255, 255, 255, 0);
        /* Both netifs are on 10.0.0.0/24 of one stack. The port binds its
         * pcbs to dev; what lwIP routes by address alone (a RST for a
         * closed port) must leave through srv, so srv is added last: lwIP
         * looks at the newest netif first. */
        netif_add(&wire_dev, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4, NULL, wire_netif_init,
                  ethernet_input);
        netif_add(&wire_srv, &ip, &mask, IP4_ADDR_ANY4, NULL, wire_netif_init, ethernet_input);
        netif_set_up(&wire_srv);
        netif_set_link_up(&wire_srv);
        netif_set_up(&wire_dev);
        netif_set_link_up(&wire_dev);
        started = true;
    }
    brisa_dhcp_lease lease;
    memset(&lease, 0, sizeof lease);
    lease.address = brisa_ip_v4(10, 0, 0, 2);
    lease.prefix_len = 24; /* no mask: derived from the prefix */
    lease.router = brisa_ip_v4(10, 0, 0, 1);
    if (brisa_lwip_apply_lease(&wire_dev, &lease) != BRISA_OK)
        abort();
}
