// SPDX-License-Identifier: MIT
/* DNS stub resolver: the state machine around dns_codec.c. One lookup at a
 * time; each query gets a fresh random id and a fresh endpoint (so a fresh
 * random source port), and only a reply from the server asked, with that
 * id and that question, is taken. */
#include <string.h>

#include "brisa/dns.h"
#include "brisa/err.h"

#define DEFAULT_TIMEOUT_MS BRISA_DNS_TIMEOUT_MS
#define DEFAULT_ATTEMPTS BRISA_DNS_ATTEMPTS

static uint64_t now_ms(const brisa_dns_resolver *r)
{
    return r->cfg.clock.monotonic_ms(r->cfg.clock.ctx);
}

static uint16_t server_port(const brisa_dns_server *s)
{
    return s->port ? s->port : BRISA_DNS_PORT;
}

brisa_err brisa_dns_init(brisa_dns_resolver *r, const brisa_dns_config *cfg)
{
    if (!r || !cfg || !cfg->servers || cfg->server_count == 0 ||
        cfg->server_count > BRISA_DNS_MAX_SERVERS || !cfg->udp.open ||
        !cfg->clock.monotonic_ms || !cfg->rng.fill || !cfg->buf ||
        cfg->buf_size < BRISA_DNS_UDP_MAX || (cfg->cache_count && !cfg->cache))
        return BRISA_ERR_INVALID_ARG;
    memset(r, 0, sizeof *r);
    r->cfg = *cfg;
    if (!r->cfg.timeout_ms)
        r->cfg.timeout_ms = DEFAULT_TIMEOUT_MS;
    if (!r->cfg.attempts)
        r->cfg.attempts = DEFAULT_ATTEMPTS;
    if (!r->cfg.cache)
        r->cfg.cache_count = 0;
    brisa_dns_cache_flush(r);
    return BRISA_OK;
}

void brisa_dns_cache_flush(brisa_dns_resolver *r)
{
    for (size_t i = 0; i < r->cfg.cache_count; i++)
        r->cfg.cache[i].name.len = 0;
}

/* ---- cache --------------------------------------------------------------- */

static uint32_t entry_ttl(const brisa_dns_cache_entry *e)
{
    if (e->count == 0)
        return e->denial_ttl;
    uint32_t ttl = UINT32_MAX;
    for (uint8_t i = 0; i < e->count; i++)
        if (e->addrs[i].ttl < ttl)
            ttl = e->addrs[i].ttl;
    return ttl;
}

/* Seconds since the entry was stored; the entry dies with its first TTL. */
static bool entry_live(const brisa_dns_cache_entry *e, uint64_t now, uint64_t *age_s)
{
    if (e->name.len == 0)
        return false;
    *age_s = (now - e->stored_ms) / 1000u;
    return *age_s < entry_ttl(e);
}

/* Answers from the cache: BRISA_OK with addresses, the error of a cached
 * denial, or BRISA_ERR_WOULD_BLOCK when the name is not there. */
static int cache_answer(brisa_dns_resolver *r, brisa_dns_result *res)
{
    uint64_t now = now_ms(r), age;
    for (size_t i = 0; i < r->cfg.cache_count; i++) {
        brisa_dns_cache_entry *e = &r->cfg.cache[i];
        if (!entry_live(e, now, &age)) {
            e->name.len = 0;
            continue;
        }
        if (e->qtype != r->q.qtype || !brisa_dns_name_equal(&e->name, &r->q.name))
            continue;
        /* The chain's names are not kept: only how long it was. */
        res->cname_count = 0;
        res->from_cache = true;
        if (e->count == 0) {
            res->rcode = e->rcode;
            res->negative_ttl = e->denial_ttl - (uint32_t)age;
            return e->rcode == BRISA_DNS_RCODE_NXDOMAIN ? BRISA_ERR_DNS_RCODE
                                                        : BRISA_ERR_DNS_NO_ANSWER;
        }
        res->ttl = UINT32_MAX;
        res->addr_total = e->count;
        res->addr_count = 0;
        for (uint8_t k = 0; k < e->count && res->addr_count < res->addr_cap; k++) {
            brisa_dns_addr *a = &res->addrs[res->addr_count++];
            a->ip = e->addrs[k].ip;
            a->ttl = e->addrs[k].ttl - (uint32_t)age;
            if (a->ttl < res->ttl)
                res->ttl = a->ttl;
        }
        return BRISA_OK;
    }
    return BRISA_ERR_WOULD_BLOCK;
}

/* A slot for the answer to r->q: its own old one, a dead one, or the one
 * that would die soonest. */
static brisa_dns_cache_entry *cache_slot(brisa_dns_resolver *r, uint64_t now)
{
    uint64_t age;
    brisa_dns_cache_entry *slot = NULL;
    uint64_t slot_left = UINT64_MAX;
    for (size_t i = 0; i < r->cfg.cache_count; i++) {
        brisa_dns_cache_entry *e = &r->cfg.cache[i];
        if (!entry_live(e, now, &age) ||
            (e->qtype == r->q.qtype && brisa_dns_name_equal(&e->name, &r->q.name)))
            return e;
        uint64_t left = entry_ttl(e) - age;
        if (left < slot_left) {
            slot_left = left;
            slot = e;
        }
    }
    return slot;
}

/* Keeps the outcome @p rc of a lookup: addresses, or a denial that came
 * with an SOA (RFC 2308), for at most BRISA_DNS_DENIAL_TTL_MAX. */
static void cache_store(brisa_dns_resolver *r, const brisa_dns_result *res, int rc)
{
    bool denial = rc == BRISA_ERR_DNS_NO_ANSWER ||
                  (rc == BRISA_ERR_DNS_RCODE && res->rcode == BRISA_DNS_RCODE_NXDOMAIN);
    if (r->cfg.cache_count == 0)
        return;
    if (denial ? res->negative_ttl == 0 : (rc != BRISA_OK || res->addr_count == 0 || res->ttl == 0))
        return;
    uint64_t now = now_ms(r);
    brisa_dns_cache_entry *slot = cache_slot(r, now);
    slot->name = r->q.name;
    slot->qtype = r->q.qtype;
    slot->stored_ms = now;
    slot->count = 0;
    slot->rcode = res->rcode;
    slot->denial_ttl = 0;
    if (denial) {
        slot->denial_ttl = res->negative_ttl < BRISA_DNS_DENIAL_TTL_MAX ? res->negative_ttl
                                                                        : BRISA_DNS_DENIAL_TTL_MAX;
        return;
    }
    for (size_t i = 0; i < res->addr_count && slot->count < BRISA_DNS_CACHE_ADDRS; i++)
        slot->addrs[slot->count++] = res->addrs[i];
}

/* ---- queries ------------------------------------------------------------- */

static void close_sock(brisa_dns_resolver *r)
{
    if (r->sock_open) {
        r->sock.close(r->sock.ctx);
        r->sock_open = false;
    }
}

static int finish(brisa_dns_resolver *r, int rc)
{
    close_sock(r);
    r->busy = false;
    if (rc == BRISA_ERR_DNS_RCODE)
        r->res->rcode = r->last_rcode;
    return rc;
}

/* A server failed this lookup for good (error rcode, garbage, I/O). The
 * first such failure outranks a plain timeout when reporting. */
static void server_failed(brisa_dns_resolver *r, int err)
{
    r->failed |= 1u << r->server;
    if (err == BRISA_ERR_DNS_RCODE)
        r->last_rcode = r->res->rcode;
    if (r->last_err == BRISA_ERR_TIMEOUT || err == BRISA_ERR_DNS_RCODE)
        r->last_err = err;
}

static int send_query(brisa_dns_resolver *r, uint8_t s)
{
    const brisa_dns_server *srv = &r->cfg.servers[s];
    uint8_t id[2];

    close_sock(r);
    r->server = s;
    int rc = r->cfg.rng.fill(r->cfg.rng.ctx, id, sizeof id);
    if (rc < 0)
        return rc;
    r->q.id = (uint16_t)(id[0] << 8 | id[1]);
    rc = r->cfg.udp.open(r->cfg.udp.ctx, srv->addr.family, &r->sock);
    if (rc < 0)
        return rc;
    r->sock_open = true;
    int n = brisa_dns_query_build(&r->q, r->cfg.buf, r->cfg.buf_size);
    if (n < 0)
        return n;
    r->res->queries++;
    r->try_deadline_ms = now_ms(r) + r->cfg.timeout_ms;
    return r->sock.send_to(r->sock.ctx, &srv->addr, server_port(srv), r->cfg.buf, (size_t)n);
}

/* Sends the next query of the round-robin: each server gets at most
 * `attempts` queries, in turn, starting from the one that answered last.
 * Returns BRISA_ERR_WOULD_BLOCK, or the lookup's end when none is left. */
static int next_query(brisa_dns_resolver *r)
{
    size_t n = r->cfg.server_count;
    while (r->tries < r->cfg.attempts * n) {
        uint8_t s = (uint8_t)((r->preferred + r->tries) % n);
        r->tries++;
        if (r->failed & (1u << s))
            continue;
        int rc = send_query(r, s);
        if (rc >= 0)
            return BRISA_ERR_WOULD_BLOCK;
        server_failed(r, rc);
    }
    return finish(r, r->last_err);
}

static int start(brisa_dns_resolver *r, const char *name, uint16_t qtype,
                 brisa_dns_result *res, uint64_t deadline)
{
    if (!r || !res || (res->addr_cap && !res->addrs))
        return BRISA_ERR_INVALID_ARG;
    if (r->busy)
        return BRISA_ERR_BUSY;
    if (brisa_dns_name_encode(name, &r->q.name) < 0)
        return BRISA_ERR_INVALID_ARG;
    r->q.qtype = qtype;
    r->res = res;
    res->addr_count = res->addr_total = res->cname_count = 0;
    res->ttl = res->negative_ttl = 0;
    res->rcode = 0;
    res->truncated = res->from_cache = res->via_tcp = false;
    res->queries = res->ignored = 0;
    res->server = 0;
    int cached = cache_answer(r, res);
    if (cached != BRISA_ERR_WOULD_BLOCK)
        return cached;
    r->busy = true;
    r->failed = 0;
    r->tries = 0;
    r->last_err = BRISA_ERR_TIMEOUT;
    r->last_rcode = 0;
    r->deadline_ms = deadline;
    return next_query(r);
}

brisa_err brisa_dns_start(brisa_dns_resolver *r, const char *name, uint16_t qtype,
                          brisa_dns_result *res)
{
    return start(r, name, qtype, res, UINT64_MAX);
}

/* ---- TCP (RFC 1035 4.2.2: a two-byte length before each message) -------- */

static int tcp_send_all(brisa_transport *t, const uint8_t *p, size_t len, uint64_t deadline,
                        const brisa_dns_resolver *r)
{
    while (len > 0) {
        uint64_t now = now_ms(r);
        if (now >= deadline)
            return BRISA_ERR_TIMEOUT;
        int n = t->send(t->ctx, p, len, 0, (uint32_t)(deadline - now));
        if (n < 0)
            return n;
        p += n;
        len -= (size_t)n;
    }
    return BRISA_OK;
}

static int tcp_recv_all(brisa_transport *t, uint8_t *p, size_t len, uint64_t deadline,
                        const brisa_dns_resolver *r)
{
    while (len > 0) {
        uint64_t now = now_ms(r);
        if (now >= deadline)
            return BRISA_ERR_TIMEOUT;
        int n = t->recv(t->ctx, p, len, (uint32_t)(deadline - now));
        if (n < 0)
            return n;
        p += n;
        len -= (size_t)n;
    }
    return BRISA_OK;
}

static int tcp_exchange(brisa_dns_resolver *r)
{
    const brisa_dns_server *srv = &r->cfg.servers[r->server];
    uint8_t *buf = r->cfg.buf;
    brisa_transport t;
    uint64_t deadline = now_ms(r) + r->cfg.timeout_ms;

    close_sock(r);
    int rc = r->cfg.tcp.open(r->cfg.tcp.ctx, &srv->addr, server_port(srv), r->cfg.timeout_ms, &t);
    if (rc < 0)
        return rc;
    r->res->queries++;
    r->res->via_tcp = true;
    int n = brisa_dns_query_build(&r->q, buf + 2, r->cfg.buf_size - 2);
    if (n < 0)
        goto out;
    buf[0] = (uint8_t)(n >> 8);
    buf[1] = (uint8_t)n;
    rc = tcp_send_all(&t, buf, (size_t)n + 2, deadline, r);
    if (rc < 0)
        goto out;
    rc = tcp_recv_all(&t, buf, 2, deadline, r);
    if (rc < 0)
        goto out;
    size_t len = (size_t)buf[0] << 8 | buf[1];
    if (len > r->cfg.buf_size) {
        rc = BRISA_ERR_TOO_LARGE;
        goto out;
    }
    rc = tcp_recv_all(&t, buf, len, deadline, r);
    if (rc < 0)
        goto out;
    rc = brisa_dns_reply_parse(buf, len, &r->q, r->res);
    if (rc == BRISA_ERR_PROTOCOL)
        rc = BRISA_ERR_MALFORMED; /* a stream has no stray packets: it is broken */
out:
    t.close(t.ctx);
    return rc;
}

/* Handles a datagram from the server in flight. Returns
 * BRISA_ERR_WOULD_BLOCK to keep waiting, or the lookup's end. */
static int handle_reply(brisa_dns_resolver *r, size_t len)
{
    int rc = brisa_dns_reply_parse(r->cfg.buf, len, &r->q, r->res);
    if (rc == BRISA_ERR_PROTOCOL) {
        r->res->ignored++; /* a late or forged reply: not this query's */
        return BRISA_ERR_WOULD_BLOCK;
    }
    if (r->res->truncated && r->cfg.tcp.open)
        rc = tcp_exchange(r);
    bool final = rc == BRISA_OK || rc == BRISA_ERR_DNS_NO_ANSWER || rc == BRISA_ERR_TOO_LARGE ||
                 (rc == BRISA_ERR_DNS_RCODE && r->res->rcode == BRISA_DNS_RCODE_NXDOMAIN);
    if (final) {
        r->preferred = r->server;
        r->res->server = r->server;
        cache_store(r, r->res, rc);
        if (rc == BRISA_ERR_DNS_RCODE)
            r->last_rcode = r->res->rcode;
        return finish(r, rc);
    }
    /* SERVFAIL, REFUSED..., garbage or a failed TCP retry: next server. */
    server_failed(r, rc);
    return next_query(r);
}

brisa_err brisa_dns_poll(brisa_dns_resolver *r, uint32_t wait_ms)
{
    if (!r || !r->busy)
        return BRISA_ERR_STATE;
    uint64_t until = now_ms(r) + wait_ms;
    bool waited = false;
    for (;;) {
        uint64_t now = now_ms(r);
        if (now >= r->deadline_ms)
            return finish(r, r->last_err);
        if (now >= r->try_deadline_ms) {
            int rc = next_query(r);
            if (rc != BRISA_ERR_WOULD_BLOCK)
                return rc;
            continue;
        }
        if (waited && now >= until)
            return BRISA_ERR_WOULD_BLOCK;
        uint64_t end = r->try_deadline_ms;
        if (r->deadline_ms < end)
            end = r->deadline_ms;
        if (until < end)
            end = until;
        waited = true;

        brisa_ip_addr src;
        uint16_t port = 0;
        int n = r->sock.recv_from(r->sock.ctx, &src, &port, r->cfg.buf, r->cfg.buf_size,
                                  (uint32_t)(end - now));
        if (n == BRISA_ERR_TIMEOUT)
            continue;
        const brisa_dns_server *srv = &r->cfg.servers[r->server];
        if (n == BRISA_ERR_TOO_LARGE) {
            r->res->ignored++; /* over 512 without EDNS: not a reply we asked for */
            continue;
        }
        if (n < 0) {
            server_failed(r, n);
            int rc = next_query(r);
            if (rc != BRISA_ERR_WOULD_BLOCK)
                return rc;
            continue;
        }
        if (!brisa_ip_equal(&src, &srv->addr) || port != server_port(srv)) {
            r->res->ignored++;
            continue;
        }
        int rc = handle_reply(r, (size_t)n);
        if (rc != BRISA_ERR_WOULD_BLOCK)
            return rc;
    }
}

void brisa_dns_cancel(brisa_dns_resolver *r)
{
    if (r && r->busy)
        (void)finish(r, BRISA_OK);
}

brisa_err brisa_dns_resolve(brisa_dns_resolver *r, const char *name, uint16_t qtype,
                            brisa_dns_result *res, uint32_t timeout_ms)
{
    if (!r)
        return BRISA_ERR_INVALID_ARG;
    uint64_t deadline = timeout_ms ? now_ms(r) + timeout_ms : UINT64_MAX;
    int rc = start(r, name, qtype, res, deadline);
    while (rc == BRISA_ERR_WOULD_BLOCK)
        rc = brisa_dns_poll(r, UINT32_MAX);
    return rc;
}
