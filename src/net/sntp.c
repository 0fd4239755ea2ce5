// SPDX-License-Identifier: MIT
/* SNTP client state machine: samples one server at a time, keeps the
 * sample with the lowest delay, moves to the next server when one stays
 * silent or kisses us off. */
#include <string.h>

#include "brisa/err.h"
#include "brisa/sntp.h"

#define DEFAULT_TIMEOUT_MS BRISA_SNTP_TIMEOUT_MS
#define DEFAULT_ATTEMPTS BRISA_SNTP_ATTEMPTS
#define DEFAULT_SAMPLES BRISA_SNTP_SAMPLES
#define DEFAULT_RATE_HOLD_MS BRISA_SNTP_RATE_HOLD_MS
#define NS_PER_MS 1000000

/* Room for extension fields or a MAC we did not ask for: only the first
 * 48 bytes are read. */
#define RX_BUF 128

static uint64_t now_ms(const brisa_sntp_client *c)
{
    return c->cfg.clock.monotonic_ms(c->cfg.clock.ctx);
}

/* T1 and T4: the fine clock when the port has one. */
static uint64_t stamp_ns(const brisa_sntp_client *c)
{
    if (c->cfg.fine.monotonic_ns)
        return c->cfg.fine.monotonic_ns(c->cfg.fine.ctx);
    return now_ms(c) * NS_PER_MS;
}

static bool wall_ns(const brisa_sntp_client *c, int64_t *ns)
{
    int64_t ms;
    if (c->cfg.fine.wall_ns)
        return c->cfg.fine.wall_ns(c->cfg.fine.ctx, ns);
    if (!c->cfg.clock.wall_ms || !c->cfg.clock.wall_ms(c->cfg.clock.ctx, &ms))
        return false;
    *ns = ms * NS_PER_MS;
    return true;
}

brisa_err brisa_sntp_init(brisa_sntp_client *c, const brisa_sntp_config *cfg)
{
    if (!c || !cfg || !cfg->servers || cfg->server_count == 0 || !cfg->udp.open ||
        !cfg->clock.monotonic_ms || !cfg->rng.fill)
        return BRISA_ERR_INVALID_ARG;
    memset(c, 0, sizeof *c);
    c->cfg = *cfg;
    if (!c->cfg.timeout_ms)
        c->cfg.timeout_ms = DEFAULT_TIMEOUT_MS;
    if (!c->cfg.attempts)
        c->cfg.attempts = DEFAULT_ATTEMPTS;
    if (!c->cfg.samples)
        c->cfg.samples = DEFAULT_SAMPLES;
    if (!c->cfg.rate_hold_ms)
        c->cfg.rate_hold_ms = DEFAULT_RATE_HOLD_MS;
    return BRISA_OK;
}

void brisa_sntp_apply(const brisa_sntp_result *res, brisa_softclock *sc)
{
    uint64_t now = sc->base.monotonic_ms(sc->base.ctx);
    brisa_softclock_set(sc, res->unix_ms + (int64_t)(now - res->at_mono_ms));
}

static void close_sock(brisa_sntp_client *c)
{
    if (c->sock_open) {
        c->sock.close(c->sock.ctx);
        c->sock_open = false;
    }
}

static int finish(brisa_sntp_client *c, int rc)
{
    close_sock(c);
    c->busy = false;
    if (rc == BRISA_OK && c->cfg.softclock)
        brisa_sntp_apply(c->res, c->cfg.softclock);
    return rc;
}

static bool usable(const brisa_sntp_server *s, uint64_t now)
{
    return !s->denied && now >= s->hold_until_ms;
}

static int send_request(brisa_sntp_client *c)
{
    const brisa_sntp_server *s = &c->cfg.servers[c->server];
    uint8_t pkt[BRISA_SNTP_PACKET_LEN], rnd[8];

    int rc = c->cfg.rng.fill(c->cfg.rng.ctx, rnd, sizeof rnd);
    if (rc < 0)
        return rc;
    c->nonce = 0;
    for (size_t i = 0; i < sizeof rnd; i++)
        c->nonce = c->nonce << 8 | rnd[i];
    if (c->nonce == 0)
        c->nonce = 1; /* a zero transmit timestamp means "none" */
    (void)brisa_sntp_request_build(c->nonce, pkt, sizeof pkt);
    c->attempt++;
    c->res->requests++;
    c->t1_ms = now_ms(c);
    c->t1_ns = stamp_ns(c);
    c->deadline_ms = c->t1_ms + c->cfg.timeout_ms;
    return c->sock.send_to(c->sock.ctx, &s->addr, s->port ? s->port : BRISA_SNTP_PORT, pkt,
                           sizeof pkt);
}

/* Ranks failures for the report: a kiss says most, silence least. */
static int rank(int err)
{
    return err == BRISA_ERR_NTP_KOD ? 3 : err == BRISA_ERR_NTP_REJECTED ? 2
           : err == BRISA_ERR_TIMEOUT ? 0 : 1;
}

/* Opens an endpoint for the next usable server after c->server and sends
 * its first request; ends the synchronisation when none is left. */
static int next_server(brisa_sntp_client *c, size_t from)
{
    uint64_t now = now_ms(c);
    for (size_t i = from; i < c->cfg.server_count; i++) {
        brisa_sntp_server *s = &c->cfg.servers[i];
        if (!usable(s, now))
            continue;
        close_sock(c);
        c->server = i;
        c->res->server = i;
        c->attempt = 0;
        c->rejected = false;
        c->pausing = false;
        int rc = c->cfg.udp.open(c->cfg.udp.ctx, s->addr.family, &c->sock);
        if (rc >= 0) {
            c->sock_open = true;
            rc = send_request(c);
        }
        if (rc >= 0)
            return BRISA_ERR_WOULD_BLOCK;
        if (rank(rc) > rank(c->last_err))
            c->last_err = rc;
    }
    return finish(c, c->last_err);
}

/* The current server gave up (or was given up on). */
static int server_done(brisa_sntp_client *c, int err)
{
    if (c->res->samples > 0)
        return finish(c, BRISA_OK);
    if (rank(err) > rank(c->last_err))
        c->last_err = err;
    return next_server(c, c->server + 1);
}

brisa_err brisa_sntp_start(brisa_sntp_client *c, brisa_sntp_result *res)
{
    if (!c || !res)
        return BRISA_ERR_INVALID_ARG;
    if (c->busy)
        return BRISA_ERR_BUSY;
    memset(res, 0, sizeof *res);
    c->res = res;
    c->last_err = BRISA_ERR_TIMEOUT;
    uint64_t now = now_ms(c);
    bool any = false;
    for (size_t i = 0; i < c->cfg.server_count; i++)
        any = any || usable(&c->cfg.servers[i], now);
    if (!any)
        return BRISA_ERR_NTP_KOD;
    c->busy = true;
    return next_server(c, 0);
}

/* A valid reply: keep it if it is the best so far. */
static int take_sample(brisa_sntp_client *c, const brisa_sntp_packet *p)
{
    brisa_sntp_result *res = c->res;
    uint64_t t4_ns = stamp_ns(c), t4 = now_ms(c);
    int64_t delay = (int64_t)(t4_ns - c->t1_ns) - brisa_ntp_diff_ns(p->transmit_ts, p->receive_ts);
    if (delay < 0)
        delay = 0; /* a coarse clock of ours can see less than the server's own time */
    if (res->samples == 0 || delay < res->delay_ns) {
        /* RFC 4330 5: the time at T4 is T3 plus half the round trip. */
        int64_t now_ns = brisa_ntp_to_unix_ns(p->transmit_ts) + delay / 2;
        int64_t wall;
        res->unix_ms = now_ns / NS_PER_MS;
        res->at_mono_ms = t4;
        res->offset_known = wall_ns(c, &wall);
        res->offset_ns = res->offset_known ? now_ns - wall : 0;
        res->delay_ns = delay;
        res->stratum = p->stratum;
        res->leap = p->leap;
        res->precision = p->precision;
        memcpy(res->ref_id, p->ref_id, 4);
    }
    res->samples++;
    if (res->samples >= c->cfg.samples)
        return finish(c, BRISA_OK);
    c->attempt = 0;
    if (c->cfg.interval_ms) {
        c->pausing = true;
        c->deadline_ms = t4 + c->cfg.interval_ms;
        return BRISA_ERR_WOULD_BLOCK;
    }
    int rc = send_request(c);
    return rc < 0 ? server_done(c, rc) : BRISA_ERR_WOULD_BLOCK;
}

static int handle_kiss(brisa_sntp_client *c, const brisa_sntp_packet *p)
{
    brisa_sntp_server *s = &c->cfg.servers[c->server];
    memcpy(c->res->kiss, p->ref_id, 4);
    memcpy(c->res->ref_id, p->ref_id, 4);
    switch (brisa_sntp_kiss_classify(p->ref_id)) {
    case BRISA_SNTP_KISS_DENY:
        s->denied = true;
        return server_done(c, BRISA_ERR_NTP_KOD);
    case BRISA_SNTP_KISS_RATE:
        s->hold_until_ms = now_ms(c) + c->cfg.rate_hold_ms;
        return server_done(c, BRISA_ERR_NTP_KOD);
    case BRISA_SNTP_KISS_OTHER:
        break;
    }
    c->res->ignored++;
    c->res->last_reject = BRISA_SNTP_KISS;
    c->rejected = true;
    return BRISA_ERR_WOULD_BLOCK;
}

static int handle_datagram(brisa_sntp_client *c, const uint8_t *buf, size_t len,
                           const brisa_ip_addr *src, uint16_t port)
{
    const brisa_sntp_server *s = &c->cfg.servers[c->server];
    brisa_sntp_packet p;
    brisa_sntp_verdict why;

    if (!brisa_ip_equal(src, &s->addr) || port != (s->port ? s->port : BRISA_SNTP_PORT)) {
        c->res->ignored++;
        c->res->last_reject = BRISA_SNTP_WRONG_SOURCE;
        return BRISA_ERR_WOULD_BLOCK;
    }
    if (c->pausing) {
        c->res->ignored++; /* a duplicate of a reply already taken */
        return BRISA_ERR_WOULD_BLOCK;
    }
    int rc = brisa_sntp_reply_check(buf, len, c->nonce, &p, &why);
    if (rc == BRISA_OK)
        return take_sample(c, &p);
    if (rc == BRISA_ERR_NTP_KOD)
        return handle_kiss(c, &p);
    c->res->ignored++;
    c->res->last_reject = (uint8_t)why;
    c->rejected = true;
    return BRISA_ERR_WOULD_BLOCK;
}

/* The request (or the pause) ran out of time. */
static int on_deadline(brisa_sntp_client *c)
{
    if (c->pausing) {
        c->pausing = false;
    } else if (c->attempt >= c->cfg.attempts) {
        return server_done(c, c->rejected ? BRISA_ERR_NTP_REJECTED : BRISA_ERR_TIMEOUT);
    }
    int rc = send_request(c);
    return rc < 0 ? server_done(c, rc) : BRISA_ERR_WOULD_BLOCK;
}

brisa_err brisa_sntp_poll(brisa_sntp_client *c, uint32_t wait_ms)
{
    uint8_t buf[RX_BUF];

    if (!c || !c->busy)
        return BRISA_ERR_STATE;
    uint64_t until = now_ms(c) + wait_ms;
    bool waited = false;
    for (;;) {
        uint64_t now = now_ms(c);
        if (now >= c->deadline_ms) {
            int rc = on_deadline(c);
            if (rc != BRISA_ERR_WOULD_BLOCK)
                return rc;
            continue;
        }
        if (waited && now >= until)
            return BRISA_ERR_WOULD_BLOCK;
        waited = true;
        uint64_t end = c->deadline_ms < until ? c->deadline_ms : until;
        brisa_ip_addr src;
        uint16_t port = 0;
        int n = c->sock.recv_from(c->sock.ctx, &src, &port, buf, sizeof buf, (uint32_t)(end - now));
        if (n == BRISA_ERR_TIMEOUT)
            continue;
        if (n == BRISA_ERR_TOO_LARGE)
            n = (int)sizeof buf; /* the tail we lost is not read anyway */
        int rc = n < 0 ? server_done(c, n) : handle_datagram(c, buf, (size_t)n, &src, port);
        if (rc != BRISA_ERR_WOULD_BLOCK)
            return rc;
    }
}

void brisa_sntp_cancel(brisa_sntp_client *c)
{
    if (c && c->busy) {
        close_sock(c);
        c->busy = false;
    }
}

brisa_err brisa_sntp_sync(brisa_sntp_client *c, brisa_sntp_result *res)
{
    int rc = brisa_sntp_start(c, res);
    while (rc == BRISA_ERR_WOULD_BLOCK)
        rc = brisa_sntp_poll(c, UINT32_MAX);
    return rc;
}
