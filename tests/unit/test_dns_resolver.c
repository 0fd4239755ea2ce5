// SPDX-License-Identifier: MIT
/* Tests for src/net/dns.c: the resolver against a scripted network (every
 * recv_from takes the next step of a script) and a fake clock that only
 * moves when the script says time passes. */
#include "cmocka_all.h"

#include <string.h>

#include "brisa/dns.h"
#include "brisa/err.h"

/* ---- fake clock and rng ------------------------------------------------- */

static uint64_t fake_now;
static uint64_t mono(void *ctx) { (void)ctx; return fake_now; }

static uint8_t rng_next;
static int fail_rng, fail_open, fail_send, fail_recv; /* one-shot errors */
static int rng_fill(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    if (fail_rng) {
        int err = fail_rng;
        fail_rng = 0;
        return err;
    }
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(rng_next += 37);
    return BRISA_OK;
}

/* ---- scripted network ----------------------------------------------------- */

typedef enum kind {
    SILENCE,      /* nothing arrives within the timeout */
    ANSWER,       /* A 10.0.0.<arg> ttl <ttl> */
    RCODE,        /* an error RCODE <arg> */
    TRUNCATED,    /* TC set, no answers */
    WRONG_ID,
    WRONG_QUESTION,
    GARBAGE,      /* right id and question, broken record */
    CNAME_ANSWER, /* CNAME (ttl <arg>) to x.lab, then A 10.0.0.9 ttl <ttl> */
    DENIAL        /* RCODE <arg> (0: no such record) with an SOA of TTL and
                     MINIMUM <ttl> in the authority section */
} kind;

typedef struct step {
    kind k;
    int arg;
    uint32_t ttl;
    int from;          /* index of the server the reply comes from; -1: a stranger */
    uint16_t port;     /* 0: the server's port */
    uint32_t delay_ms; /* time that passes before it arrives */
} step;

static const step *script;
static size_t script_len, script_pos;

typedef struct sent {
    brisa_ip_addr dst;
    uint16_t port;
    int socket;
    uint8_t msg[512];
    size_t len;
} sent;
static sent sent_log[32];
static size_t sent_count;
static int opens, open_socket, closes;
static bool sock_is_open;

static brisa_dns_server servers[3];

static int fake_send(void *ctx, const brisa_ip_addr *dst, uint16_t port, const uint8_t *buf, size_t len)
{
    (void)ctx;
    assert_true(sock_is_open);
    if (fail_send) {
        int err = fail_send;
        fail_send = 0;
        return err;
    }
    assert_true(sent_count < 32);
    sent *s = &sent_log[sent_count++];
    s->dst = *dst;
    s->port = port;
    s->socket = open_socket;
    memcpy(s->msg, buf, len);
    s->len = len;
    return BRISA_OK;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* Turns the last query into a reply: same header and question, then
 * answers (owner: a pointer to the question name). */
static size_t make_reply(const step *st, const uint8_t *q, size_t qlen, uint8_t *out)
{
    memcpy(out, q, qlen);
    size_t n = qlen;
    uint16_t flags = 0x8180;
    uint16_t an = 0;
    switch (st->k) {
    case ANSWER:
        memcpy(out + n, "\xc0\x0c\x00\x01\x00\x01", 6);
        n += 6;
        put16(out + n, (uint16_t)(st->ttl >> 16));
        put16(out + n + 2, (uint16_t)st->ttl);
        memcpy(out + n + 4, "\x00\x04\x0a\x00\x00", 5);
        out[n + 9] = (uint8_t)st->arg;
        n += 10;
        an = 1;
        break;
    case CNAME_ANSWER: {
        size_t at = n;
        memcpy(out + n, "\xc0\x0c\x00\x05\x00\x01\x00\x00", 8);
        put16(out + n + 8, (uint16_t)st->arg);
        memcpy(out + n + 10, "\x00\x07\x01x\x03lab\x00", 9);
        n += 19;
        out[n++] = 0xc0;
        out[n++] = (uint8_t)(at + 12);
        memcpy(out + n, "\x00\x01\x00\x01\x00\x00", 6);
        put16(out + n + 6, (uint16_t)st->ttl);
        memcpy(out + n + 8, "\x00\x04\x0a\x00\x00\x09", 6);
        n += 14;
        an = 2;
        break;
    }
    case RCODE:
        flags = (uint16_t)(flags | st->arg);
        break;
    case TRUNCATED:
        flags |= BRISA_DNS_FLAG_TC;
        break;
    case WRONG_ID:
        out[1] ^= 0x5a;
        break;
    case WRONG_QUESTION:
        out[13] ^= 0x01; /* first letter of the name */
        break;
    case GARBAGE:
        memcpy(out + n, "\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x10\x00\x09", 12);
        n += 12; /* rdlength 9, nothing after it */
        an = 1;
        break;
    case DENIAL:
        flags = (uint16_t)(flags | st->arg);
        /* Owner: the question name; MNAME and RNAME: the root. */
        memcpy(out + n, "\xc0\x0c\x00\x06\x00\x01", 6);
        put16(out + n + 6, (uint16_t)(st->ttl >> 16));
        put16(out + n + 8, (uint16_t)st->ttl);
        put16(out + n + 10, 22);
        n += 12;
        memset(out + n, 0, 22);
        put16(out + n + 18, (uint16_t)(st->ttl >> 16));
        put16(out + n + 20, (uint16_t)st->ttl);
        n += 22;
        put16(out + 8, 1); /* nscount */
        break;
    case SILENCE:
        break;
    }
    put16(out + 2, flags);
    put16(out + 6, an);
    return n;
}

static int fake_recv(void *ctx, brisa_ip_addr *src, uint16_t *src_port, uint8_t *buf, size_t cap,
                     uint32_t timeout_ms)
{
    (void)ctx;
    assert_true(sock_is_open);
    if (fail_recv) {
        int err = fail_recv;
        fail_recv = 0;
        return err;
    }
    if (script_pos >= script_len || script[script_pos].k == SILENCE) {
        if (script_pos < script_len)
            script_pos++;
        fake_now += timeout_ms;
        return BRISA_ERR_TIMEOUT;
    }
    const step *st = &script[script_pos++];
    if (st->delay_ms > timeout_ms) {
        fake_now += timeout_ms;
        script_pos--; /* arrives later */
        return BRISA_ERR_TIMEOUT;
    }
    fake_now += st->delay_ms;
    const sent *last = &sent_log[sent_count - 1];
    assert_true(cap >= 512);
    size_t n = make_reply(st, last->msg, last->len, buf);
    if (st->from >= 0) {
        *src = servers[st->from].addr;
        *src_port = st->port ? st->port : (servers[st->from].port ? servers[st->from].port : 53);
    } else {
        *src = brisa_ip_v4(192, 0, 2, 66);
        *src_port = 53;
    }
    return (int)n;
}

static void fake_close(void *ctx)
{
    (void)ctx;
    if (sock_is_open)
        closes++;
    sock_is_open = false;
}

static int fake_open(void *ctx, uint8_t family, brisa_datagram *out)
{
    (void)ctx;
    assert_false(sock_is_open); /* the resolver closes before it opens */
    if (fail_open) {
        int err = fail_open;
        fail_open = 0;
        return err;
    }
    assert_true(family == BRISA_IP_V4 || family == BRISA_IP_V6);
    sock_is_open = true;
    open_socket = ++opens;
    out->ctx = NULL;
    out->send_to = fake_send;
    out->recv_from = fake_recv;
    out->close = fake_close;
    return BRISA_OK;
}

/* ---- scripted TCP for TC retries ---------------------------------------- */

static int tcp_opens;
static uint8_t tcp_in[600];
static size_t tcp_in_len;
static uint8_t tcp_out[1024];
static size_t tcp_out_len, tcp_out_pos;
static uint32_t tcp_answer_count = 3;
static int tcp_fail_open, tcp_fail_send, tcp_fail_recv; /* errors */
static bool tcp_stall;         /* each call takes the whole timeout */
static bool tcp_bad_id;        /* the answer's id differs from the query's */

static int tcp_send(void *ctx, const uint8_t *buf, size_t len, unsigned flags, uint32_t t)
{
    (void)ctx; (void)flags;
    if (tcp_fail_send)
        return tcp_fail_send;
    if (tcp_stall) {
        fake_now += t;
        return 0;
    }
    memcpy(tcp_in + tcp_in_len, buf, len);
    tcp_in_len += len;
    if (tcp_in_len >= 2 && tcp_in_len == (size_t)(tcp_in[0] << 8 | tcp_in[1]) + 2) {
        /* The whole query is in: prepare tcp_answer_count A records. */
        size_t qlen = tcp_in_len - 2;
        uint8_t *m = tcp_out + 2;
        memcpy(m, tcp_in + 2, qlen);
        size_t n = qlen;
        put16(m + 2, 0x8180);
        put16(m + 6, (uint16_t)tcp_answer_count);
        for (uint32_t i = 0; i < tcp_answer_count; i++) {
            memcpy(m + n, "\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x00\x01", 15);
            m[n + 15] = (uint8_t)(i + 1);
            n += 16;
        }
        put16(tcp_out, (uint16_t)n);
        tcp_out_len = n + 2;
        if (tcp_bad_id)
            m[0] ^= 0xff;
    }
    return (int)len;
}

static int tcp_recv(void *ctx, uint8_t *buf, size_t len, uint32_t t)
{
    (void)ctx;
    if (tcp_fail_recv && tcp_out_pos >= (size_t)tcp_fail_recv)
        return BRISA_ERR_IO;
    if (tcp_stall) {
        fake_now += t;
        return 0;
    }
    if (tcp_out_pos >= tcp_out_len)
        return BRISA_ERR_CLOSED;
    size_t n = len < 3 ? len : 3; /* dribble: the resolver must reassemble */
    if (n > tcp_out_len - tcp_out_pos)
        n = tcp_out_len - tcp_out_pos;
    memcpy(buf, tcp_out + tcp_out_pos, n);
    tcp_out_pos += n;
    return (int)n;
}

static void tcp_close(void *ctx) { (void)ctx; }

static int tcp_open(void *ctx, const brisa_ip_addr *ip, uint16_t port, uint32_t timeout_ms,
                    brisa_transport *out)
{
    (void)ctx; (void)timeout_ms;
    if (tcp_fail_open)
        return tcp_fail_open;
    assert_true(brisa_ip_equal(ip, &servers[0].addr));
    assert_int_equal(port, 53);
    tcp_opens++;
    tcp_in_len = tcp_out_len = tcp_out_pos = 0;
    out->ctx = NULL;
    out->send = tcp_send;
    out->recv = tcp_recv;
    out->close = tcp_close;
    return BRISA_OK;
}

/* ---- fixture ------------------------------------------------------------- */

static uint8_t buf[600];
static brisa_dns_cache_entry cache[4];
static brisa_dns_addr addrs[8];
static brisa_dns_cname cnames[4];
static brisa_dns_resolver r;
static brisa_dns_result res;

static void setup_resolver(size_t nservers, bool with_tcp, bool with_cache)
{
    fake_now = 1000;
    rng_next = 0;
    script = NULL;
    script_len = script_pos = sent_count = 0;
    opens = closes = tcp_opens = 0;
    fail_rng = fail_open = fail_send = fail_recv = 0;
    tcp_fail_open = tcp_fail_send = tcp_fail_recv = 0;
    tcp_stall = tcp_bad_id = false;
    sock_is_open = false;
    servers[0].addr = brisa_ip_v4(127, 0, 0, 53);
    servers[0].port = 0;
    servers[1].addr = brisa_ip_v4(127, 0, 0, 54);
    servers[1].port = 5353;
    brisa_ip_parse("::1", &servers[2].addr);
    servers[2].port = 53;

    brisa_dns_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.servers = servers;
    cfg.server_count = nservers;
    cfg.udp.open = fake_open;
    if (with_tcp)
        cfg.tcp.open = tcp_open;
    cfg.clock.monotonic_ms = mono;
    cfg.rng.fill = rng_fill;
    cfg.buf = buf;
    cfg.buf_size = sizeof buf;
    cfg.timeout_ms = 1000;
    cfg.attempts = 2;
    if (with_cache) {
        cfg.cache = cache;
        cfg.cache_count = 4;
    }
    assert_int_equal(brisa_dns_init(&r, &cfg), BRISA_OK);
    memset(&res, 0, sizeof res);
    res.addrs = addrs;
    res.addr_cap = 8;
    res.cnames = cnames;
    res.cname_cap = 4;
}

#define RUN(steps) do { script = steps; script_len = sizeof steps / sizeof steps[0]; script_pos = 0; } while (0)

static uint16_t sent_id(size_t i) { return (uint16_t)(sent_log[i].msg[0] << 8 | sent_log[i].msg[1]); }

static void test_answer_first_try(void **state)
{
    (void)state;
    setup_resolver(1, false, false);
    static const step s[] = { { ANSWER, 5, 300, 0, 0, 10 } };
    RUN(s);
    assert_int_equal(brisa_dns_resolve(&r, "host.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_int_equal(res.addr_count, 1);
    assert_memory_equal(res.addrs[0].ip.bytes, "\x0a\x00\x00\x05", 4);
    assert_int_equal(res.addrs[0].ttl, 300);
    assert_int_equal(res.queries, 1);
    assert_int_equal(sent_count, 1);
    assert_true(brisa_ip_equal(&sent_log[0].dst, &servers[0].addr));
    assert_int_equal(sent_log[0].port, 53);
    assert_int_equal(sent_log[0].msg[2], 0x01); /* RD */
    assert_false(sock_is_open);                 /* closed at the end */
    assert_int_equal(fake_now, 1010);
}

static void test_retry_after_timeout_new_id_and_port(void **state)
{
    (void)state;
    setup_resolver(1, false, false);
    static const step s[] = { { SILENCE, 0, 0, 0, 0, 0 }, { ANSWER, 7, 60, 0, 0, 5 } };
    RUN(s);
    assert_int_equal(brisa_dns_resolve(&r, "host.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_int_equal(res.queries, 2);
    assert_int_equal(sent_count, 2);
    assert_int_not_equal(sent_id(0), sent_id(1));
    assert_int_not_equal(sent_log[0].socket, sent_log[1].socket); /* fresh endpoint */
    assert_int_equal(opens, 2);
    assert_int_equal(fake_now, 1000 + 1000 + 5);
}

static void test_all_silent_times_out_round_robin(void **state)
{
    (void)state;
    setup_resolver(2, false, false);
    assert_int_equal(brisa_dns_resolve(&r, "host.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_ERR_TIMEOUT);
    assert_int_equal(sent_count, 4); /* 2 attempts x 2 servers */
    assert_true(brisa_ip_equal(&sent_log[0].dst, &servers[0].addr));
    assert_true(brisa_ip_equal(&sent_log[1].dst, &servers[1].addr));
    assert_int_equal(sent_log[1].port, 5353);
    assert_true(brisa_ip_equal(&sent_log[2].dst, &servers[0].addr));
    assert_true(brisa_ip_equal(&sent_log[3].dst, &servers[1].addr));
    assert_int_equal(fake_now, 1000 + 4 * 1000);
    assert_int_equal(opens, closes);
}

static void test_fallback_to_second_server_then_prefer_it(void **state)
{
    (void)state;
    setup_resolver(2, false, false);
    static const step s[] = { { SILENCE, 0, 0, 0, 0, 0 }, { ANSWER, 8, 60, 1, 0, 3 } };
    RUN(s);
    assert_int_equal(brisa_dns_resolve(&r, "host.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_int_equal(res.server, 1);
    static const step s2[] = { { ANSWER, 9, 60, 1, 0, 3 } };
    RUN(s2);
    sent_count = 0;
    assert_int_equal(brisa_dns_resolve(&r, "other.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_true(brisa_ip_equal(&sent_log[0].dst, &servers[1].addr)); /* sticky */
    assert_int_equal(res.queries, 1);
}

static void test_strangers_ignored(void **state)
{
    (void)state;
    setup_resolver(2, false, false);
    static const step s[] = {
        { ANSWER, 66, 60, -1, 0, 1 },  /* another host */
        { ANSWER, 66, 60, 0, 5300, 1 },/* right host, wrong port */
        { ANSWER, 66, 60, 1, 0, 1 },   /* the other server: not asked now */
        { WRONG_ID, 0, 0, 0, 0, 1 },
        { WRONG_QUESTION, 0, 0, 0, 0, 1 },
        { ANSWER, 5, 60, 0, 0, 1 },
    };
    RUN(s);
    assert_int_equal(brisa_dns_resolve(&r, "host.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_int_equal(res.ignored, 5);
    assert_int_equal(res.queries, 1);
    assert_int_equal(res.addrs[0].ip.bytes[3], 5);
}

static void test_servfail_moves_on_refused_everywhere(void **state)
{
    (void)state;
    setup_resolver(2, false, false);
    static const step s[] = { { RCODE, BRISA_DNS_RCODE_SERVFAIL, 0, 0, 0, 1 },
                              { ANSWER, 4, 60, 1, 0, 1 } };
    RUN(s);
    assert_int_equal(brisa_dns_resolve(&r, "host.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_int_equal(res.server, 1);
    assert_int_equal(fake_now, 1002); /* no waiting for a timeout */

    setup_resolver(2, false, false);
    static const step s2[] = { { RCODE, BRISA_DNS_RCODE_REFUSED, 0, 0, 0, 1 },
                               { RCODE, BRISA_DNS_RCODE_SERVFAIL, 0, 1, 0, 1 } };
    RUN(s2);
    assert_int_equal(brisa_dns_resolve(&r, "host.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_ERR_DNS_RCODE);
    assert_int_equal(res.rcode, BRISA_DNS_RCODE_SERVFAIL);
    assert_int_equal(sent_count, 2); /* failed servers are not asked again */
}

static void test_nxdomain_is_final(void **state)
{
    (void)state;
    setup_resolver(2, false, false);
    static const step s[] = { { RCODE, BRISA_DNS_RCODE_NXDOMAIN, 0, 0, 0, 1 } };
    RUN(s);
    assert_int_equal(brisa_dns_resolve(&r, "nosuch.lab", BRISA_DNS_TYPE_A, &res, 0),
                     BRISA_ERR_DNS_RCODE);
    assert_int_equal(res.rcode, BRISA_DNS_RCODE_NXDOMAIN);
    assert_int_equal(sent_count, 1);
}

static void test_malformed_reply_moves_on(void **state)
{
    (void)state;
    setup_resolver(1, false, false);
    static const step s[] = { { GARBAGE, 0, 0, 0, 0, 1 } };
    RUN(s);
    assert_int_equal(brisa_dns_resolve(&r, "h.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_ERR_MALFORMED);
    assert_int_equal(sent_count, 1);
}

static void test_truncated_retried_over_tcp(void **state)
{
    (void)state;
    setup_resolver(1, true, false);
    static const step s[] = { { TRUNCATED, 0, 0, 0, 0, 1 } };
    RUN(s);
    tcp_answer_count = 20;
    assert_int_equal(brisa_dns_resolve(&r, "big.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_true(res.via_tcp);
    assert_int_equal(tcp_opens, 1);
    assert_int_equal(res.queries, 2);
    assert_int_equal(res.addr_total, 20);
    assert_int_equal(res.addr_count, 8);
    /* The TCP query is the same question, framed by its length. */
    assert_int_equal(tcp_in_len, sent_log[0].len + 2);
    assert_memory_equal(tcp_in + 2 + 2, sent_log[0].msg + 2, sent_log[0].len - 2);

    /* Too large for the buffer: that server failed. */
    setup_resolver(1, true, false);
    RUN(s);
    tcp_answer_count = 40;
    assert_int_equal(brisa_dns_resolve(&r, "big.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_ERR_TOO_LARGE);

    /* No TCP: the truncated answer is what there is. */
    setup_resolver(1, false, false);
    RUN(s);
    assert_int_equal(brisa_dns_resolve(&r, "big.lab", BRISA_DNS_TYPE_A, &res, 0),
                     BRISA_ERR_DNS_NO_ANSWER);
    assert_true(res.truncated);
    assert_false(res.via_tcp);
}

static void test_cache_hit_and_expiry(void **state)
{
    (void)state;
    setup_resolver(1, false, true);
    static const step s[] = { { ANSWER, 5, 300, 0, 0, 1 } };
    RUN(s);
    assert_int_equal(brisa_dns_resolve(&r, "host.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_false(res.from_cache);

    fake_now += 100 * 1000;
    assert_int_equal(brisa_dns_start(&r, "HOST.lab.", BRISA_DNS_TYPE_A, &res), BRISA_OK);
    assert_true(res.from_cache);
    assert_int_equal(res.addrs[0].ttl, 200);
    assert_int_equal(res.ttl, 200);
    assert_int_equal(sent_count, 1);
    /* Another type is another entry. */
    RUN(s);
    assert_int_equal(brisa_dns_start(&r, "host.lab", BRISA_DNS_TYPE_AAAA, &res), BRISA_ERR_WOULD_BLOCK);
    brisa_dns_cancel(&r);

    fake_now += 200 * 1000; /* 300 s in all: expired */
    RUN(s);
    sent_count = 0;
    assert_int_equal(brisa_dns_resolve(&r, "host.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_false(res.from_cache);
    assert_int_equal(sent_count, 1);

    brisa_dns_cache_flush(&r);
    RUN(s);
    assert_int_equal(brisa_dns_resolve(&r, "host.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_false(res.from_cache);
}

/* A denial with its zone's SOA is cached for the SOA's time (RFC 2308);
 * one without an SOA is not cached at all. */
static void test_cache_keeps_denials(void **state)
{
    (void)state;
    setup_resolver(1, false, true);
    static const step nx[] = { { DENIAL, BRISA_DNS_RCODE_NXDOMAIN, 60, 0, 0, 1 } };
    RUN(nx);
    assert_int_equal(brisa_dns_resolve(&r, "nosuch.lab", BRISA_DNS_TYPE_A, &res, 0),
                     BRISA_ERR_DNS_RCODE);
    assert_false(res.from_cache);
    assert_int_equal(res.negative_ttl, 60);

    fake_now += 20 * 1000;
    assert_int_equal(brisa_dns_start(&r, "nosuch.lab", BRISA_DNS_TYPE_A, &res),
                     BRISA_ERR_DNS_RCODE);
    assert_true(res.from_cache);
    assert_int_equal(res.rcode, BRISA_DNS_RCODE_NXDOMAIN);
    assert_int_equal(res.negative_ttl, 40);
    assert_int_equal(sent_count, 1);

    fake_now += 40 * 1000; /* expired: asked again */
    RUN(nx);
    assert_int_equal(brisa_dns_resolve(&r, "nosuch.lab", BRISA_DNS_TYPE_A, &res, 0),
                     BRISA_ERR_DNS_RCODE);
    assert_false(res.from_cache);
    assert_int_equal(sent_count, 2);

    /* No such record (NOERROR, no answer): cached as that. */
    static const step nodata[] = { { DENIAL, 0, 30, 0, 0, 1 } };
    RUN(nodata);
    assert_int_equal(brisa_dns_resolve(&r, "v4only.lab", BRISA_DNS_TYPE_AAAA, &res, 0),
                     BRISA_ERR_DNS_NO_ANSWER);
    assert_int_equal(brisa_dns_resolve(&r, "v4only.lab", BRISA_DNS_TYPE_AAAA, &res, 0),
                     BRISA_ERR_DNS_NO_ANSWER);
    assert_true(res.from_cache);
    assert_int_equal(res.rcode, 0);
    assert_int_equal(sent_count, 3);

    /* A huge SOA time is held to BRISA_DNS_DENIAL_TTL_MAX. */
    static const step long_nx[] = { { DENIAL, BRISA_DNS_RCODE_NXDOMAIN, 1000000, 0, 0, 1 } };
    RUN(long_nx);
    assert_int_equal(brisa_dns_resolve(&r, "gone.lab", BRISA_DNS_TYPE_A, &res, 0),
                     BRISA_ERR_DNS_RCODE);
    assert_int_equal(brisa_dns_start(&r, "gone.lab", BRISA_DNS_TYPE_A, &res), BRISA_ERR_DNS_RCODE);
    assert_int_equal(res.negative_ttl, BRISA_DNS_DENIAL_TTL_MAX);

    /* Without an SOA: every lookup asks. */
    static const step bare[] = { { RCODE, BRISA_DNS_RCODE_NXDOMAIN, 0, 0, 0, 1 } };
    size_t before = sent_count;
    RUN(bare);
    assert_int_equal(brisa_dns_resolve(&r, "bare.lab", BRISA_DNS_TYPE_A, &res, 0),
                     BRISA_ERR_DNS_RCODE);
    RUN(bare);
    assert_int_equal(brisa_dns_resolve(&r, "bare.lab", BRISA_DNS_TYPE_A, &res, 0),
                     BRISA_ERR_DNS_RCODE);
    assert_false(res.from_cache);
    assert_int_equal(sent_count, before + 2);
}

static void test_cache_keeps_chain_min_ttl(void **state)
{
    (void)state;
    setup_resolver(1, false, true);
    static const step s[] = { { CNAME_ANSWER, 30, 600, 0, 0, 1 } };
    RUN(s);
    assert_int_equal(brisa_dns_resolve(&r, "www.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_int_equal(res.cname_count, 1);
    assert_int_equal(res.addrs[0].ttl, 30);
    fake_now += 29 * 1000;
    assert_int_equal(brisa_dns_start(&r, "www.lab", BRISA_DNS_TYPE_A, &res), BRISA_OK);
    assert_int_equal(res.addrs[0].ttl, 1);
    fake_now += 1000;
    RUN(s);
    assert_int_equal(brisa_dns_start(&r, "www.lab", BRISA_DNS_TYPE_A, &res), BRISA_ERR_WOULD_BLOCK);
    assert_int_equal(brisa_dns_poll(&r, 100), BRISA_OK);
}

static void test_cache_eviction(void **state)
{
    (void)state;
    setup_resolver(1, false, true);
    static const step s[] = { { ANSWER, 5, 300, 0, 0, 1 } };
    static const char *names[] = { "a.lab", "b.lab", "c.lab", "d.lab", "e.lab" };
    for (int i = 0; i < 5; i++) {
        RUN(s);
        assert_int_equal(brisa_dns_resolve(&r, names[i], BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
        assert_false(res.from_cache);
        fake_now += 1000;
    }
    /* a.lab (the oldest, first to die) made room for e.lab. */
    assert_int_equal(brisa_dns_start(&r, "e.lab", BRISA_DNS_TYPE_A, &res), BRISA_OK);
    assert_int_equal(brisa_dns_start(&r, "b.lab", BRISA_DNS_TYPE_A, &res), BRISA_OK);
    RUN(s);
    assert_int_equal(brisa_dns_start(&r, "a.lab", BRISA_DNS_TYPE_A, &res), BRISA_ERR_WOULD_BLOCK);
    brisa_dns_cancel(&r);
}

static void test_overall_timeout(void **state)
{
    (void)state;
    setup_resolver(2, false, false);
    assert_int_equal(brisa_dns_resolve(&r, "host.lab", BRISA_DNS_TYPE_A, &res, 1500), BRISA_ERR_TIMEOUT);
    assert_int_equal(fake_now, 2500);
    assert_int_equal(sent_count, 2);
    assert_false(sock_is_open);
}

static void test_step_api(void **state)
{
    (void)state;
    setup_resolver(1, false, false);
    static const step s[] = { { ANSWER, 5, 60, 0, 0, 400 } };
    RUN(s);
    assert_int_equal(brisa_dns_start(&r, "host.lab", BRISA_DNS_TYPE_A, &res), BRISA_ERR_WOULD_BLOCK);
    assert_int_equal(brisa_dns_start(&r, "host.lab", BRISA_DNS_TYPE_A, &res), BRISA_ERR_BUSY);
    assert_int_equal(brisa_dns_poll(&r, 100), BRISA_ERR_WOULD_BLOCK);
    assert_int_equal(fake_now, 1100);
    assert_int_equal(brisa_dns_poll(&r, 0), BRISA_ERR_WOULD_BLOCK);
    assert_int_equal(brisa_dns_poll(&r, 1000), BRISA_OK);
    assert_int_equal(brisa_dns_poll(&r, 0), BRISA_ERR_STATE);
    assert_int_equal(brisa_dns_start(&r, "bad..name", BRISA_DNS_TYPE_A, &res), BRISA_ERR_INVALID_ARG);
}

static void test_ipv6_server(void **state)
{
    (void)state;
    setup_resolver(3, false, false);
    static const step s[] = { { RCODE, BRISA_DNS_RCODE_REFUSED, 0, 0, 0, 1 },
                              { RCODE, BRISA_DNS_RCODE_REFUSED, 0, 1, 0, 1 },
                              { ANSWER, 5, 60, 2, 0, 1 } };
    RUN(s);
    assert_int_equal(brisa_dns_resolve(&r, "h.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_int_equal(res.server, 2);
    assert_int_equal(sent_log[2].dst.family, BRISA_IP_V6);
}

static void test_init_rejects_bad_config(void **state)
{
    (void)state;
    brisa_dns_config cfg;
    memset(&cfg, 0, sizeof cfg);
    assert_int_equal(brisa_dns_init(&r, &cfg), BRISA_ERR_INVALID_ARG);
    cfg.servers = servers;
    cfg.server_count = 1;
    cfg.udp.open = fake_open;
    cfg.clock.monotonic_ms = mono;
    cfg.rng.fill = rng_fill;
    cfg.buf = buf;
    cfg.buf_size = 511;
    assert_int_equal(brisa_dns_init(&r, &cfg), BRISA_ERR_INVALID_ARG);
    cfg.buf_size = 512;
    assert_int_equal(brisa_dns_init(&r, &cfg), BRISA_OK);
    cfg.server_count = BRISA_DNS_MAX_SERVERS + 1;
    assert_int_equal(brisa_dns_init(&r, &cfg), BRISA_ERR_INVALID_ARG);
}

/* Failures of the local pieces: no random id, no endpoint, a send that
 * fails, a receive error. Each costs that server its turn; the lookup
 * goes on with the next and reports the failure when none is left. */
static void test_local_failures_move_on(void **state)
{
    (void)state;
    static const step s[] = { { ANSWER, 5, 60, 1, 0, 1 } };
    setup_resolver(2, false, false);
    RUN(s);
    fail_rng = BRISA_ERR_IO;
    assert_int_equal(brisa_dns_resolve(&r, "h.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_int_equal(res.server, 1);
    assert_int_equal(res.queries, 1);

    setup_resolver(2, false, false);
    RUN(s);
    fail_open = BRISA_ERR_NO_SPACE;
    assert_int_equal(brisa_dns_resolve(&r, "h.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_int_equal(res.server, 1);

    setup_resolver(2, false, false);
    RUN(s);
    fail_send = BRISA_ERR_IO;
    assert_int_equal(brisa_dns_resolve(&r, "h.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_int_equal(res.server, 1);
    assert_int_equal(opens, closes);

    /* A receive error on the only server: that is the answer. */
    setup_resolver(1, false, false);
    fail_recv = BRISA_ERR_IO;
    assert_int_equal(brisa_dns_resolve(&r, "h.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_ERR_IO);
    assert_int_equal(sent_count, 1);
    assert_false(sock_is_open);
    /* ... and on the first of two: the second answers. */
    setup_resolver(2, false, false);
    RUN(s);
    fail_recv = BRISA_ERR_IO;
    assert_int_equal(brisa_dns_resolve(&r, "h.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_int_equal(res.server, 1);
    /* A datagram too large is not a reply: the wait goes on. */
    setup_resolver(1, false, false);
    static const step one[] = { { ANSWER, 6, 60, 0, 0, 1 } };
    RUN(one);
    fail_recv = BRISA_ERR_TOO_LARGE;
    assert_int_equal(brisa_dns_resolve(&r, "h.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_int_equal(res.ignored, 1);
    assert_int_equal(res.queries, 1);
}

/* The TCP retry of a truncated answer, failing each way: the server has
 * failed and, alone, its failure is the result. */
static void test_tcp_retry_failures(void **state)
{
    (void)state;
    static const step s[] = { { TRUNCATED, 0, 0, 0, 0, 1 } };
    tcp_answer_count = 2;
    setup_resolver(1, true, false);
    RUN(s);
    tcp_fail_open = BRISA_ERR_CONNECT;
    assert_int_equal(brisa_dns_resolve(&r, "t.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_ERR_CONNECT);
    assert_false(res.via_tcp);

    setup_resolver(1, true, false);
    RUN(s);
    tcp_fail_send = BRISA_ERR_CLOSED;
    assert_int_equal(brisa_dns_resolve(&r, "t.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_ERR_CLOSED);
    assert_true(res.via_tcp);

    setup_resolver(1, true, false);
    RUN(s);
    tcp_fail_recv = 1; /* after the first byte of the length */
    assert_int_equal(brisa_dns_resolve(&r, "t.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_ERR_IO);

    setup_resolver(1, true, false);
    RUN(s);
    tcp_fail_recv = 6; /* inside the message */
    assert_int_equal(brisa_dns_resolve(&r, "t.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_ERR_IO);

    /* A stream that makes no progress runs into the timeout, sending... */
    setup_resolver(1, true, false);
    RUN(s);
    tcp_stall = true;
    uint64_t t0 = fake_now;
    assert_int_equal(brisa_dns_resolve(&r, "t.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_ERR_TIMEOUT);
    assert_true(fake_now - t0 >= 1000);

    /* An answer over TCP for another query is broken, not stray. */
    setup_resolver(1, true, false);
    RUN(s);
    tcp_bad_id = true;
    assert_int_equal(brisa_dns_resolve(&r, "t.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_ERR_MALFORMED);
}

/* The cache keeps at most BRISA_DNS_CACHE_ADDRS addresses of an answer,
 * gives back as many as the caller has room for, and does not keep an
 * answer with TTL 0 or a SERVFAIL. */
static void test_cache_limits(void **state)
{
    (void)state;
    static const step tc[] = { { TRUNCATED, 0, 0, 0, 0, 1 } };
    tcp_answer_count = BRISA_DNS_CACHE_ADDRS + 2;
    setup_resolver(1, true, true);
    RUN(tc);
    assert_int_equal(brisa_dns_resolve(&r, "many.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_int_equal(res.addr_count, BRISA_DNS_CACHE_ADDRS + 2);
    res.addr_cap = 2;
    fake_now += 5000;
    assert_int_equal(brisa_dns_resolve(&r, "many.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_true(res.from_cache);
    assert_int_equal(res.addr_total, BRISA_DNS_CACHE_ADDRS);
    assert_int_equal(res.addr_count, 2);
    assert_int_equal(res.ttl, 60 - 5);

    static const step zero[] = { { ANSWER, 5, 0, 0, 0, 1 }, { ANSWER, 5, 0, 0, 0, 1 } };
    setup_resolver(1, false, true);
    RUN(zero);
    assert_int_equal(brisa_dns_resolve(&r, "z.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_int_equal(brisa_dns_resolve(&r, "z.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_false(res.from_cache);
    assert_int_equal(sent_count, 2);

    static const step fail[] = { { RCODE, BRISA_DNS_RCODE_SERVFAIL, 0, 0, 0, 1 },
                                 { RCODE, BRISA_DNS_RCODE_SERVFAIL, 0, 0, 0, 1 } };
    setup_resolver(1, false, true);
    RUN(fail);
    assert_int_equal(brisa_dns_resolve(&r, "s.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_ERR_DNS_RCODE);
    assert_int_equal(res.rcode, BRISA_DNS_RCODE_SERVFAIL);
    static const step ok[] = { { ANSWER, 5, 60, 0, 0, 1 } };
    RUN(ok);
    assert_int_equal(brisa_dns_resolve(&r, "s.lab", BRISA_DNS_TYPE_A, &res, 0), BRISA_OK);
    assert_false(res.from_cache);
}

static void test_null_arguments(void **state)
{
    (void)state;
    setup_resolver(1, false, false);
    assert_int_equal(brisa_dns_resolve(NULL, "h.lab", BRISA_DNS_TYPE_A, &res, 0),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_start(NULL, "h.lab", BRISA_DNS_TYPE_A, &res), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_start(&r, "h.lab", BRISA_DNS_TYPE_A, NULL), BRISA_ERR_INVALID_ARG);
    brisa_dns_result nowhere = { .addrs = NULL, .addr_cap = 2 };
    assert_int_equal(brisa_dns_start(&r, "h.lab", BRISA_DNS_TYPE_A, &nowhere),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_poll(NULL, 0), BRISA_ERR_STATE);
    brisa_dns_cancel(NULL);
    brisa_dns_cancel(&r); /* not busy: nothing happens */
    assert_int_equal(opens, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answer_first_try),
        cmocka_unit_test(test_retry_after_timeout_new_id_and_port),
        cmocka_unit_test(test_all_silent_times_out_round_robin),
        cmocka_unit_test(test_fallback_to_second_server_then_prefer_it),
        cmocka_unit_test(test_strangers_ignored),
        cmocka_unit_test(test_servfail_moves_on_refused_everywhere),
        cmocka_unit_test(test_nxdomain_is_final),
        cmocka_unit_test(test_malformed_reply_moves_on),
        cmocka_unit_test(test_truncated_retried_over_tcp),
        cmocka_unit_test(test_cache_keeps_denials),
        cmocka_unit_test(test_cache_hit_and_expiry),
        cmocka_unit_test(test_cache_keeps_chain_min_ttl),
        cmocka_unit_test(test_cache_eviction),
        cmocka_unit_test(test_overall_timeout),
        cmocka_unit_test(test_step_api),
        cmocka_unit_test(test_ipv6_server),
        cmocka_unit_test(test_init_rejects_bad_config),
        cmocka_unit_test(test_local_failures_move_on),
        cmocka_unit_test(test_tcp_retry_failures),
        cmocka_unit_test(test_cache_limits),
        cmocka_unit_test(test_null_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
