// SPDX-License-Identifier: MIT
/* TCP stream transport over lwIP's raw API. Received pbufs are kept as they
 * came and copied out as the caller reads, so a small read is served from
 * memory without turning the stack (the POSIX port's read-ahead, with
 * lwIP's buffers as the buffer); the window reopens by what was read. */
#include <string.h>

#include "lwip/pbuf.h"
#include "lwip/tcp.h"

#include "brisa/err.h"
#include "brisa/port/lwip_port.h"
#include "brisa/port/lwip_tcp.h"
#include "lwip_internal.h"

#define DEFAULT_CONNECT_TIMEOUT_MS BRISA_TCP_CONNECT_TIMEOUT_MS

/* Unread data is bounded by the window, so the chain's 16-bit tot_len
 * cannot overflow. */
_Static_assert(TCP_WND <= 0xffff, "unread data must fit a pbuf chain");

enum { ST_CLOSED, ST_CONNECTING, ST_OPEN, ST_PEER_CLOSED, ST_FAILED };

void brisa_lwip_tcp_init(brisa_lwip_tcp *t, struct netif *netif)
{
    memset(t, 0, sizeof *t);
    t->netif = netif;
}

/* "what: reason" into t->msg. */
static void set_msg(brisa_lwip_tcp *t, const char *what, const char *reason)
{
    size_t n = bri_lwip_msg(t->msg, sizeof t->msg, 0, what);
    n = bri_lwip_msg(t->msg, sizeof t->msg, n, ": ");
    (void)bri_lwip_msg(t->msg, sizeof t->msg, n, reason);
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    brisa_lwip_tcp *t = arg;
    (void)pcb;
    if (p == NULL) { /* FIN: what was received stays readable */
        if (t->state == ST_OPEN)
            t->state = ST_PEER_CLOSED;
        return ERR_OK;
    }
    if (err != ERR_OK) {
        pbuf_free(p);
        return ERR_OK;
    }
    if (t->rx == NULL)
        t->rx = p;
    else
        pbuf_cat(t->rx, p);
    return ERR_OK;
}

/* lwIP has freed the pcb (reset, abort, retransmissions given up). */
static void on_err(void *arg, err_t err)
{
    brisa_lwip_tcp *t = arg;
    t->pcb = NULL;
    t->lwip_err = (int8_t)err;
    t->state = ST_FAILED;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    brisa_lwip_tcp *t = arg;
    (void)pcb;
    if (err == ERR_OK)
        t->state = ST_OPEN;
    return ERR_OK;
}

/* Detaches from the pcb and drops it: its callbacks must not reach @p t
 * any more. */
static void drop_pcb(brisa_lwip_tcp *t, bool orderly)
{
    struct tcp_pcb *pcb = t->pcb;
    if (pcb == NULL)
        return;
    t->pcb = NULL;
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL); /* lwIP then discards what still arrives */
    tcp_err(pcb, NULL);
    tcp_sent(pcb, NULL);
    if (!orderly || tcp_close(pcb) != ERR_OK)
        tcp_abort(pcb);
}

brisa_err brisa_lwip_tcp_connect(brisa_lwip_tcp *t, const brisa_ip_addr *ip, uint16_t port,
                                 uint32_t timeout_ms)
{
    ip_addr_t dst;
    if (t == NULL || port == 0 || !bri_lwip_to_lwip(ip, &dst))
        return BRISA_ERR_INVALID_ARG;
    if (t->pcb != NULL)
        return BRISA_ERR_STATE;
    brisa_lwip_tcp_close(t); /* a failed or peer-closed stream left behind */
    t->msg[0] = '\0';
    t->lwip_err = 0;
    if (timeout_ms == 0)
        timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;

    char what[48];
    size_t n = bri_lwip_msg(what, sizeof what, 0, "connect to ");
    n = bri_lwip_msg_ip(what, sizeof what, n, ip);
    n = bri_lwip_msg(what, sizeof what, n, " port ");
    (void)bri_lwip_msg_uint(what, sizeof what, n, port);

    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (pcb == NULL) {
        set_msg(t, what, "no free TCP pcb (MEMP_NUM_TCP_PCB)");
        return BRISA_ERR_NO_SPACE;
    }
    t->pcb = pcb;
    t->state = ST_CONNECTING;
    tcp_arg(pcb, t);
    tcp_recv(pcb, on_recv);
    tcp_err(pcb, on_err);
    if (t->netif != NULL)
        tcp_bind_netif(pcb, t->netif);
    tcp_nagle_disable(pcb); /* coalescing is asked for with BRISA_SEND_MORE */
    err_t err = tcp_connect(pcb, &dst, port, on_connected);
    if (err != ERR_OK) {
        set_msg(t, what, bri_lwip_err_str(err));
        drop_pcb(t, false);
        t->state = ST_CLOSED;
        return err == ERR_MEM ? BRISA_ERR_NO_SPACE : BRISA_ERR_CONNECT;
    }
    uint64_t deadline = bri_lwip_deadline(timeout_ms);
    for (;;) {
        brisa_lwip_service();
        if (t->state == ST_OPEN || t->state == ST_PEER_CLOSED)
            return BRISA_OK;
        if (t->state == ST_FAILED) {
            set_msg(t, what, t->lwip_err == ERR_RST ? "refused"
                                                    : bri_lwip_err_str(t->lwip_err));
            t->state = ST_CLOSED;
            return BRISA_ERR_CONNECT;
        }
        if (!bri_lwip_idle_until(deadline)) {
            drop_pcb(t, false);
            t->state = ST_CLOSED;
            set_msg(t, what, "no answer in time");
            return BRISA_ERR_TIMEOUT;
        }
    }
}

/* The error a send or recv on a stream without a pcb reports. */
static int gone(brisa_lwip_tcp *t, const char *what)
{
    if (t->state == ST_FAILED) {
        set_msg(t, what, bri_lwip_err_str(t->lwip_err));
        return t->lwip_err == ERR_CLSD ? BRISA_ERR_CLOSED : BRISA_ERR_IO;
    }
    return BRISA_ERR_CLOSED;
}

static int stream_send(void *ctx, const uint8_t *buf, size_t len, unsigned flags,
                       uint32_t timeout_ms)
{
    brisa_lwip_tcp *t = ctx;
    if (len == 0)
        return t->pcb != NULL ? 0 : gone(t, "send");
    uint64_t deadline = bri_lwip_deadline(timeout_ms);
    for (;;) {
        struct tcp_pcb *pcb = t->pcb;
        if (pcb == NULL)
            return gone(t, "send");
        bool out_of_memory = false;
        size_t room = tcp_sndbuf(pcb);
        if (room > 0 && tcp_sndqueuelen(pcb) < TCP_SND_QUEUELEN) {
            size_t n = len < room ? len : room;
            u8_t wflags = TCP_WRITE_FLAG_COPY;
            if ((flags & BRISA_SEND_MORE) || n < len)
                wflags |= TCP_WRITE_FLAG_MORE;
            err_t err = tcp_write(pcb, buf, (u16_t)n, wflags);
            if (err == ERR_OK) {
                if (!(flags & BRISA_SEND_MORE))
                    (void)tcp_output(pcb);
                return (int)n;
            }
            if (err != ERR_MEM) {
                set_msg(t, "send", bri_lwip_err_str(err));
                return BRISA_ERR_IO;
            }
            /* ERR_MEM: lwIP's heap is full for now; wait (bounded, never
             * spinning) as for room. */
            out_of_memory = true;
        }
        (void)tcp_output(pcb); /* push what is held so acks free room */
        brisa_lwip_service();
        pcb = t->pcb;
        if (!out_of_memory && pcb != NULL && tcp_sndbuf(pcb) > 0 &&
            tcp_sndqueuelen(pcb) < TCP_SND_QUEUELEN)
            continue;
        if (!bri_lwip_idle_until(deadline))
            return BRISA_ERR_TIMEOUT;
    }
}

/* Hands out up to @p len bytes already received; 0 when there are none. */
static size_t take(brisa_lwip_tcp *t, uint8_t *buf, size_t len)
{
    struct pbuf *p = t->rx;
    if (p == NULL)
        return 0;
    u16_t n = len < p->tot_len ? (u16_t)len : p->tot_len;
    (void)pbuf_copy_partial(p, buf, n, 0);
    t->rx = pbuf_free_header(p, n);
    if (t->pcb != NULL)
        tcp_recved(t->pcb, n); /* the window reopens by what the caller took */
    return n;
}

static int stream_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    brisa_lwip_tcp *t = ctx;
    if (len == 0)
        return BRISA_ERR_INVALID_ARG;
    size_t got = take(t, buf, len);
    if (got > 0)
        return (int)got;
    uint64_t deadline = bri_lwip_deadline(timeout_ms);
    for (;;) {
        if (t->state == ST_PEER_CLOSED) {
            set_msg(t, "recv", "connection closed by peer");
            return BRISA_ERR_CLOSED;
        }
        if (t->pcb == NULL)
            return gone(t, "recv");
        brisa_lwip_service();
        got = take(t, buf, len);
        if (got > 0)
            return (int)got;
        if (t->state != ST_OPEN)
            continue; /* report the close or failure just seen */
        if (!bri_lwip_idle_until(deadline))
            return BRISA_ERR_TIMEOUT;
    }
}

void brisa_lwip_tcp_close(brisa_lwip_tcp *t)
{
    if (t == NULL)
        return;
    drop_pcb(t, true);
    if (t->rx != NULL) {
        pbuf_free(t->rx);
        t->rx = NULL;
    }
    t->state = ST_CLOSED;
}

static void stream_close(void *ctx)
{
    brisa_lwip_tcp_close(ctx);
}

brisa_transport brisa_lwip_tcp_transport(brisa_lwip_tcp *t)
{
    brisa_transport tr = { t, stream_send, stream_recv, stream_close };
    return tr;
}

const char *brisa_lwip_tcp_error(const brisa_lwip_tcp *t)
{
    return t->msg;
}
