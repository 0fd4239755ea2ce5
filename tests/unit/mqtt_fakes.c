// SPDX-License-Identifier: MIT
/* Scripted transport and fake clock for the MQTT client tests and fuzzer. */
#include "mqtt_fakes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/err.h"
#include "brisa/mqtt_codec.h"

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(p, n * elem);
    if (!q) {
        fprintf(stderr, "mqtt_fakes: out of memory\n");
        abort();
    }
    *cap = n;
    return q;
}

static uint64_t clock_mono(void *ctx)
{
    return ((fake_clock *)ctx)->now;
}

static bool clock_wall(void *ctx, int64_t *unix_ms)
{
    (void)ctx;
    (void)unix_ms;
    return false;
}

brisa_clock fake_clock_iface(fake_clock *fc)
{
    brisa_clock c = { fc, clock_mono, clock_wall };
    return c;
}

void fake_transport_init(fake_transport *t, fake_clock *clk)
{
    memset(t, 0, sizeof *t);
    t->clock = clk;
}

void fake_transport_free(fake_transport *t)
{
    for (size_t i = 0; i < t->nchunks; i++)
        free(t->chunks[i].data);
    free(t->chunks);
    free(t->out);
    free(t->sends);
    memset(t, 0, sizeof *t);
}

static fake_chunk *new_chunk(fake_transport *t, uint64_t at)
{
    t->chunks = grow(t->chunks, &t->cap_chunks, t->nchunks + 1, sizeof *t->chunks);
    fake_chunk *c = &t->chunks[t->nchunks++];
    memset(c, 0, sizeof *c);
    c->at = at;
    return c;
}

void fake_feed(fake_transport *t, uint64_t at, const void *data, size_t len)
{
    fake_chunk *c = new_chunk(t, at);
    c->data = malloc(len ? len : 1);
    if (!c->data)
        abort();
    if (len)
        memcpy(c->data, data, len);
    c->len = len;
}

void fake_feed_err(fake_transport *t, uint64_t at, int err)
{
    new_chunk(t, at)->err = err;
}

size_t fake_unread(const fake_transport *t)
{
    size_t n = 0;
    for (size_t i = t->cur; i < t->nchunks; i++)
        n += t->chunks[i].len - t->chunks[i].off;
    return n;
}

static int ft_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    fake_transport *t = ctx;
    t->recv_calls++;
    if (timeout_ms > t->max_recv_timeout)
        t->max_recv_timeout = timeout_ms;
    if (t->closed)
        return BRISA_ERR_CLOSED;
    while (t->cur < t->nchunks && !t->chunks[t->cur].err &&
           t->chunks[t->cur].off == t->chunks[t->cur].len)
        t->cur++;
    if (t->cur == t->nchunks) {
        if (t->eof_when_empty)
            return BRISA_ERR_CLOSED;
        t->clock->now += timeout_ms;
        return BRISA_ERR_TIMEOUT;
    }
    fake_chunk *c = &t->chunks[t->cur];
    if (c->at > t->clock->now) {
        if (c->at - t->clock->now > timeout_ms) {
            t->clock->now += timeout_ms;
            return BRISA_ERR_TIMEOUT;
        }
        t->clock->now = c->at;
    }
    if (c->err) {
        t->cur++;
        return c->err;
    }
    size_t n = c->len - c->off;
    if (n > len)
        n = len;
    if (t->max_read && n > t->max_read)
        n = t->max_read;
    memcpy(buf, c->data + c->off, n);
    c->off += n;
    return (int)n;
}

static int ft_send(void *ctx, const uint8_t *buf, size_t len, unsigned flags,
                   uint32_t timeout_ms)
{
    fake_transport *t = ctx;
    (void)timeout_ms;
    if (t->closed)
        return BRISA_ERR_IO;
    t->sends = grow(t->sends, &t->cap_sends, t->nsends + 1, sizeof *t->sends);
    fake_send *s = &t->sends[t->nsends++];
    if (t->fail_send_call && t->nsends == t->fail_send_call) {
        memset(s, 0, sizeof *s);
        s->at = t->clock->now;
        s->off = t->out_len;
        return t->fail_send_err;
    }
    size_t n = len;
    if (t->max_write && n > t->max_write)
        n = t->max_write;
    t->out = grow(t->out, &t->out_cap, t->out_len + n, 1);
    memcpy(t->out + t->out_len, buf, n);
    s->at = t->clock->now;
    s->off = t->out_len;
    s->len = n;
    s->flags = flags;
    s->ptr = buf;
    t->out_len += n;
    return (int)n;
}

static void ft_close(void *ctx)
{
    fake_transport *t = ctx;
    t->close_calls++;
    t->closed = true;
}

brisa_transport fake_transport_iface(fake_transport *t)
{
    brisa_transport tr = { t, ft_send, ft_recv, ft_close };
    return tr;
}

static uint64_t send_time(const fake_transport *t, size_t off)
{
    for (size_t i = 0; i < t->nsends; i++)
        if (t->sends[i].len && off >= t->sends[i].off && off < t->sends[i].off + t->sends[i].len)
            return t->sends[i].at;
    return 0;
}

size_t fake_out_packets(const fake_transport *t, fake_pkt *out, size_t max)
{
    size_t off = 0, count = 0;
    while (off < t->out_len) {
        brisa_mqtt_fixed_header fh;
        int n = brisa_mqtt_fixed_header_decode(NULL, t->out + off, t->out_len - off, &fh);
#if BRISA_MQTT5
        /* An MQTT 5 client may also send AUTH. */
        brisa_mqtt_codec v5 = { BRISA_MQTT_V5 };
        if (n < 0)
            n = brisa_mqtt_fixed_header_decode(&v5, t->out + off, t->out_len - off, &fh);
#endif
        if (n <= 0 || fh.remaining > t->out_len - off - (size_t)n) {
            fprintf(stderr, "mqtt_fakes: client sent a malformed stream at %zu\n", off);
            abort();
        }
        if (count < max) {
            fake_pkt *p = &out[count];
            p->type = fh.type;
            p->flags = fh.flags;
            p->bytes = t->out + off;
            p->len = (size_t)n + fh.remaining;
            p->at = send_time(t, off);
        }
        count++;
        off += (size_t)n + fh.remaining;
    }
    return count;
}

void fake_out_clear(fake_transport *t)
{
    t->out_len = 0;
    t->nsends = 0;
}

size_t hex(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;
    int hi = -1;
    for (; *s; s++) {
        int v = -1;
        if (*s == ' ')
            continue;
        if (*s >= '0' && *s <= '9')
            v = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            v = *s - 'a' + 10;
        else if (*s >= 'A' && *s <= 'F')
            v = *s - 'A' + 10;
        if (v < 0 || (hi < 0 && n >= max)) {
            fprintf(stderr, "mqtt_fakes: bad hex vector at \"%s\"\n", s);
            abort();
        }
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    if (hi >= 0) {
        fprintf(stderr, "mqtt_fakes: odd number of hex digits\n");
        abort();
    }
    return n;
}

/* ---- the client environment ------------------------------------------- */

static void log_msg(mqtt_env *e, const brisa_mqtt_message *m, int route)
{
    if (e->nmsgs < ENV_MAX_MSGS) {
        env_msg *r = &e->msgs[e->nmsgs++];
        memset(r, 0, sizeof *r);
        r->topic_len = m->topic_len;
        memcpy(r->topic, m->topic, m->topic_len < sizeof r->topic - 1 ? m->topic_len
                                                                     : sizeof r->topic - 1);
        r->offset = m->payload_offset;
        r->len = m->payload_len;
        r->total = m->payload_total;
        r->payload_at = e->payload_len;
        r->qos = m->qos;
        r->dup = m->dup;
        r->retain = m->retain;
        r->packet_id = m->packet_id;
        r->out_len_at = e->ft.out_len;
        r->route = route;
    }
    e->payload = grow(e->payload, &e->payload_cap, e->payload_len + m->payload_len + 1, 1);
    if (m->payload_len)
        memcpy(e->payload + e->payload_len, m->payload, m->payload_len);
    e->payload_len += m->payload_len;
    if (e->on_msg_hook)
        e->on_msg_hook(e, m);
}

static void env_on_message(void *user, const brisa_mqtt_message *m)
{
    log_msg(user, m, 0);
}

void env_route1(void *user, const brisa_mqtt_message *m)
{
    log_msg(user, m, 1);
}

void env_route2(void *user, const brisa_mqtt_message *m)
{
    log_msg(user, m, 2);
}

static void env_on_event(void *user, const brisa_mqtt_event *ev)
{
    mqtt_env *e = user;
    if (e->nevents >= ENV_MAX_EVENTS)
        return;
    env_event *r = &e->events[e->nevents++];
    r->e = *ev;
    r->at = e->clk.now;
    size_t n = ev->return_code_count < sizeof r->codes ? ev->return_code_count : sizeof r->codes;
    if (n)
        memcpy(r->codes, ev->return_codes, n);
    r->e.return_codes = r->codes;
}

static void env_on_trace(void *user, const brisa_mqtt_trace *t)
{
    mqtt_env *e = user;
    if (e->ntraces >= ENV_MAX_TRACES)
        return;
    env_trace *r = &e->traces[e->ntraces++];
    r->outgoing = t->outgoing;
    r->type = t->type;
    r->packet_id = t->packet_id;
    r->payload_len = t->payload_len;
    r->at = e->clk.now;
}

int env_init(mqtt_env *e, size_t tx_size, size_t rx_size, size_t inflight)
{
    memset(e, 0, sizeof *e);
    fake_transport_init(&e->ft, &e->clk);
    e->tx = malloc(tx_size ? tx_size : 1);
    e->rx = malloc(rx_size ? rx_size : 1);
    if (!e->tx || !e->rx || inflight > 16)
        abort();
    e->cfg.transport = fake_transport_iface(&e->ft);
    e->cfg.clock = fake_clock_iface(&e->clk);
    e->cfg.tx_buf = e->tx;
    e->cfg.tx_size = tx_size;
    e->cfg.rx_buf = e->rx;
    e->cfg.rx_size = rx_size;
    e->cfg.inflight = e->inflight;
    e->cfg.inflight_count = inflight;
    e->cfg.routes = e->routes;
    e->cfg.route_count = sizeof e->routes / sizeof e->routes[0];
    e->cfg.on_message = env_on_message;
    e->cfg.on_event = env_on_event;
    e->cfg.on_trace = env_on_trace;
    e->cfg.user = e;
    return brisa_mqtt_init(&e->c, &e->cfg);
}

void env_free(mqtt_env *e)
{
    fake_transport_free(&e->ft);
    free(e->tx);
    free(e->rx);
    free(e->payload);
}

void env_feed(mqtt_env *e, uint64_t at, const char *hexbytes)
{
    uint8_t buf[1024];
    size_t n = hex(hexbytes, buf, sizeof buf);
    fake_feed(&e->ft, at, buf, n);
}

int env_connect(mqtt_env *e, uint16_t keepalive_s, bool clean_session)
{
    env_feed(e, e->clk.now, "20 02 00 00");
    brisa_mqtt_connect_options o = { .client_id = "dev", .clean_session = clean_session,
                                     .keepalive_s = keepalive_s };
    brisa_mqtt_connack ack;
    int err = brisa_mqtt_connect(&e->c, &o, 5000, &ack);
    fake_out_clear(&e->ft);
    e->nevents = e->nmsgs = e->ntraces = 0;
    e->payload_len = 0;
    return err;
}

size_t env_events_of(const mqtt_env *e, int type)
{
    size_t n = 0;
    for (size_t i = 0; i < e->nevents; i++)
        if ((int)e->events[i].e.type == type)
            n++;
    return n;
}

const env_event *env_last_event(const mqtt_env *e, int type)
{
    for (size_t i = e->nevents; i-- > 0;)
        if ((int)e->events[i].e.type == type)
            return &e->events[i];
    return NULL;
}

mqtt_env *env_new(size_t tx_size, size_t rx_size, size_t inflight)
{
    mqtt_env *e = calloc(1, sizeof *e);
    if (e && env_init(e, tx_size, rx_size, inflight) != BRISA_OK) {
        env_delete(e);
        return NULL;
    }
    return e;
}

void env_delete(mqtt_env *e)
{
    if (!e)
        return;
    env_free(e);
    free(e);
}

const char *fake_sent_mismatch(const fake_transport *t, size_t first,
                               const char *const *want, size_t count)
{
    static char why[160];
    fake_pkt pk[64];
    size_t n = fake_out_packets(t, pk, 64);
    if (n != first + count) {
        snprintf(why, sizeof why, "client sent %zu packets, want %zu", n, first + count);
        return why;
    }
    for (size_t i = 0; i < count; i++) {
        uint8_t buf[512];
        size_t len = hex(want[i], buf, sizeof buf);
        const fake_pkt *p = &pk[first + i];
        if (p->len != len || memcmp(p->bytes, buf, len) != 0) {
            snprintf(why, sizeof why, "packet %zu differs from %.100s", first + i, want[i]);
            return why;
        }
    }
    return NULL;
}

const char *env_sent_mismatch(const mqtt_env *e, const char *const *want, size_t count)
{
    return fake_sent_mismatch(&e->ft, 0, want, count);
}
