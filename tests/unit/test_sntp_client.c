// SPDX-License-Identifier: MIT
/* Tests for src/net/sntp.c: the client against a scripted server whose
 * clock is a known offset from the fake "true" time, with known one-way
 * delays, so offset, delay and the chosen sample can be checked exactly. */
#include "cmocka_all.h"

#include <string.h>

#include "brisa/err.h"
#include "brisa/sntp.h"

#define TRUE_EPOCH_MS 1795442645000LL /* true time when fake_now == 0 */

static uint64_t fake_now;
static bool wall_known = true;
static int64_t wall_error_ms; /* our wall clock minus the true time */

static uint64_t mono(void *ctx) { (void)ctx; return fake_now; }
static bool wall(void *ctx, int64_t *ms)
{
    (void)ctx;
    if (!wall_known)
        return false;
    *ms = TRUE_EPOCH_MS + (int64_t)fake_now + wall_error_ms;
    return true;
}

static uint8_t rng_next;
static int rng_mode; /* 0: counting; 1: all zero; 2: fails */
static int fail_open, fail_recv, fail_send_at; /* errors; fail_send_at: that send */
static int rng_fill(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    if (rng_mode == 2)
        return BRISA_ERR_IO;
    if (rng_mode == 1) {
        memset(buf, 0, len);
        return BRISA_OK;
    }
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(rng_next += 61);
    return BRISA_OK;
}

typedef enum kind { SILENCE, GOOD, BAD_ORIGIN, KISS, FORGED_KISS, LEAP3, STRANGER, WRONG_PORT,
                    SLOW_SERVER } kind;

typedef struct step {
    kind k;
    int64_t server_offset_ms; /* server clock minus true time */
    uint32_t up_ms, down_ms;  /* one-way delays */
    const char *code;         /* kiss code */
    int from;                 /* server index */
} step;

static const step *script;
static size_t script_len, script_pos;

static brisa_sntp_server servers[2];
static uint8_t last_req[48];
static uint64_t last_req_at;
static int opens, sends;
static bool sock_open;
static uint32_t stray_delay = 5;

static int fake_send(void *ctx, const brisa_ip_addr *dst, uint16_t port, const uint8_t *buf, size_t len)
{
    (void)ctx; (void)dst; (void)port;
    assert_int_equal(len, 48);
    assert_int_equal(buf[0], 0x23);
    memcpy(last_req, buf, 48);
    last_req_at = fake_now;
    if (++sends == fail_send_at)
        return BRISA_ERR_IO;
    return BRISA_OK;
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static int fake_recv(void *ctx, brisa_ip_addr *src, uint16_t *src_port, uint8_t *buf, size_t cap,
                     uint32_t timeout_ms)
{
    (void)ctx;
    assert_true(cap >= 48);
    if (fail_recv) {
        int err = fail_recv;
        fail_recv = 0;
        memset(buf, 0, cap); /* TOO_LARGE: the head of a datagram of zeros */
        return err;
    }
    if (script_pos >= script_len || script[script_pos].k == SILENCE) {
        if (script_pos < script_len)
            script_pos++;
        fake_now += timeout_ms;
        return BRISA_ERR_TIMEOUT;
    }
    const step *st = &script[script_pos++];
    uint32_t rtt = st->k == GOOD || st->k == SLOW_SERVER ? st->up_ms + st->down_ms : stray_delay;
    assert_true(rtt <= timeout_ms);
    fake_now += rtt;
    int64_t t2 = TRUE_EPOCH_MS + (int64_t)last_req_at + st->up_ms + st->server_offset_ms;

    memset(buf, 0, 48);
    buf[0] = 0x24; /* LI 0, v4, server */
    buf[1] = 3;
    memcpy(buf + 12, "\x7f\x7f\x01\x00", 4);
    memcpy(buf + 24, last_req + 40, 8); /* origin = our transmit */
    put64(buf + 32, brisa_ntp_from_unix_ms(t2));
    put64(buf + 40, brisa_ntp_from_unix_ms(t2));
    switch (st->k) {
    case BAD_ORIGIN:
        buf[31] ^= 0x40;
        break;
    case FORGED_KISS:
        buf[31] ^= 0x40;
        /* fall through */
    case KISS:
        buf[0] = 0xe4; /* LI 3 */
        buf[1] = 0;
        memcpy(buf + 12, st->code, 4);
        break;
    case LEAP3:
        buf[0] = 0xe4;
        break;
    case SLOW_SERVER: /* answers 50 ms after receiving: more than our round trip */
        put64(buf + 40, brisa_ntp_from_unix_ms(t2 + 50));
        break;
    default:
        break;
    }
    *src = st->k == STRANGER ? brisa_ip_v4(192, 0, 2, 9) : servers[st->from].addr;
    *src_port = st->k == WRONG_PORT ? 1123 : servers[st->from].port ? servers[st->from].port : 123;
    return 48;
}

static void fake_close(void *ctx) { (void)ctx; sock_open = false; }

static int fake_open(void *ctx, uint8_t family, brisa_datagram *out)
{
    (void)ctx;
    assert_int_equal(family, BRISA_IP_V4);
    assert_false(sock_open);
    if (fail_open) {
        int err = fail_open;
        fail_open = 0;
        return err;
    }
    sock_open = true;
    opens++;
    out->ctx = NULL;
    out->send_to = fake_send;
    out->recv_from = fake_recv;
    out->close = fake_close;
    return BRISA_OK;
}

static brisa_sntp_client c;
static brisa_sntp_result res;
static brisa_softclock sc;

static void setup_client(uint8_t samples, uint32_t interval_ms)
{
    fake_now = 0;
    wall_known = true;
    wall_error_ms = 0;
    rng_next = 0;
    opens = sends = 0;
    rng_mode = fail_open = fail_recv = fail_send_at = 0;
    sock_open = false;
    script_len = script_pos = 0;
    memset(servers, 0, sizeof servers);
    servers[0].addr = brisa_ip_v4(127, 0, 0, 1);
    servers[1].addr = brisa_ip_v4(127, 0, 0, 2);

    brisa_clock base = { NULL, mono, wall };
    brisa_clock mono_only = { NULL, mono, NULL };
    brisa_softclock_init(&sc, &mono_only);

    brisa_sntp_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.servers = servers;
    cfg.server_count = 2;
    cfg.udp.open = fake_open;
    cfg.clock = base;
    cfg.rng.fill = rng_fill;
    cfg.softclock = &sc;
    cfg.timeout_ms = 500;
    cfg.attempts = 3;
    cfg.samples = samples;
    cfg.interval_ms = interval_ms;
    cfg.rate_hold_ms = 10000;
    assert_int_equal(brisa_sntp_init(&c, &cfg), BRISA_OK);
}

#define RUN(steps) do { script = steps; script_len = sizeof steps / sizeof steps[0]; script_pos = 0; } while (0)

static void assert_near(int64_t got, int64_t want, int64_t tol)
{
    if (got - want > tol || want - got > tol)
        fail_msg("got %lld, want %lld +- %lld", (long long)got, (long long)want, (long long)tol);
}

static int64_t soft_now(void)
{
    brisa_clock sclk = brisa_softclock_clock(&sc);
    int64_t t = 0;
    assert_true(sclk.wall_ms(sclk.ctx, &t));
    return t;
}

static void test_one_sample(void **state)
{
    (void)state;
    setup_client(1, 0);
    static const step s[] = { { GOOD, 250, 10, 10, NULL, 0 } };
    RUN(s);
    wall_error_ms = -40; /* our wall is 40 ms slow: offset +290 */
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.samples, 1);
    assert_int_equal(res.requests, 1);
    assert_true(res.offset_known);
    assert_near(res.offset_ns, 290000000LL, 1000);
    assert_near(res.delay_ns, 20000000LL, 1000);
    assert_int_equal(res.stratum, 3);
    assert_int_equal(res.server, 0);
    /* The softclock now runs 250 ms ahead of the true time, like the server. */
    assert_near(soft_now(), TRUE_EPOCH_MS + (int64_t)fake_now + 250, 1);
    fake_now += 5000;
    assert_near(soft_now(), TRUE_EPOCH_MS + (int64_t)fake_now + 250, 1);
    assert_false(sock_open);
}

static void test_best_of_n_by_delay(void **state)
{
    (void)state;
    setup_client(4, 0);
    /* Asymmetric paths put the offset off by (up - down) / 2; the one
     * with the shortest round trip, 20 ms, has the least error. */
    static const step s[] = {
        { GOOD, 100, 70, 10, NULL, 0 },  /* delay 80, offset 130 */
        { GOOD, 100, 12, 8, NULL, 0 },   /* delay 20, offset 102 */
        { GOOD, 100, 10, 40, NULL, 0 },  /* delay 50, offset 85 */
        { GOOD, 100, 25, 5, NULL, 0 },   /* delay 30, offset 110 */
    };
    RUN(s);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.samples, 4);
    assert_int_equal(res.requests, 4);
    assert_near(res.delay_ns, 20000000LL, 1000);
    assert_near(res.offset_ns, 102000000LL, 1000);
    assert_int_equal(opens, 1); /* one endpoint for the whole burst */
}

static void test_retry_then_give_up(void **state)
{
    (void)state;
    setup_client(1, 0);
    static const step s[] = { { SILENCE, 0, 0, 0, NULL, 0 }, { GOOD, 0, 1, 1, NULL, 0 } };
    RUN(s);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.requests, 2);
    assert_int_equal(fake_now, 502);

    /* Nobody answers: 3 attempts at each of the two servers. */
    setup_client(1, 0);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_ERR_TIMEOUT);
    assert_int_equal(res.requests, 6);
    assert_int_equal(opens, 2);
    assert_int_equal(fake_now, 3000);
    assert_false(sc.synced);
}

static void test_nonce_fresh_each_request(void **state)
{
    (void)state;
    setup_client(2, 0);
    static const step s[] = { { GOOD, 0, 1, 1, NULL, 0 } };
    RUN(s);
    assert_int_equal(brisa_sntp_start(&c, &res), BRISA_ERR_WOULD_BLOCK);
    uint8_t first[8];
    memcpy(first, last_req + 40, 8);
    assert_int_equal(brisa_sntp_poll(&c, 100), BRISA_ERR_WOULD_BLOCK); /* sample 1 taken, 2 sent */
    assert_memory_not_equal(first, last_req + 40, 8);
    brisa_sntp_cancel(&c);
    assert_false(sock_open);
}

static void test_bad_origin_ignored(void **state)
{
    (void)state;
    setup_client(1, 0);
    static const step s[] = { { BAD_ORIGIN, 0, 0, 0, NULL, 0 },
                              { STRANGER, 0, 0, 0, NULL, 0 },
                              { GOOD, 0, 3, 3, NULL, 0 } };
    RUN(s);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.ignored, 2);
    assert_int_equal(res.requests, 1);

    /* Only forged replies: rejected, and the report says why. */
    setup_client(1, 0);
    static const step s2[] = { { BAD_ORIGIN, 0, 0, 0, NULL, 0 }, { SILENCE, 0, 0, 0, NULL, 0 },
                               { SILENCE, 0, 0, 0, NULL, 0 }, { SILENCE, 0, 0, 0, NULL, 0 } };
    RUN(s2);
    c.cfg.server_count = 1;
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_ERR_NTP_REJECTED);
    assert_int_equal(res.last_reject, BRISA_SNTP_BAD_ORIGIN);
    assert_int_equal(res.requests, 3);
}

static void test_unsynchronised_server_skipped(void **state)
{
    (void)state;
    setup_client(1, 0);
    static const step s[] = { { LEAP3, 0, 0, 0, NULL, 0 }, { SILENCE, 0, 0, 0, NULL, 0 },
                              { SILENCE, 0, 0, 0, NULL, 0 }, { SILENCE, 0, 0, 0, NULL, 0 },
                              { GOOD, -20, 2, 2, NULL, 1 } };
    RUN(s);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.server, 1);
    assert_near(res.offset_ns, -20000000LL, 1000);
}

static void test_kiss_deny_and_rate(void **state)
{
    (void)state;
    setup_client(1, 0);
    static const step s[] = { { KISS, 0, 0, 0, "DENY", 0 }, { GOOD, 0, 1, 1, NULL, 1 } };
    RUN(s);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_true(servers[0].denied);
    assert_int_equal(res.server, 1);
    assert_memory_equal(res.kiss, "DENY", 4);

    /* Denied servers are not asked again. */
    static const step s2[] = { { GOOD, 0, 1, 1, NULL, 1 } };
    RUN(s2);
    sends = 0;
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.server, 1);
    assert_int_equal(sends, 1);

    /* RATE holds the second one; with both out, there is nobody to ask. */
    static const step s3[] = { { KISS, 0, 0, 0, "RATE", 1 } };
    RUN(s3);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_ERR_NTP_KOD);
    assert_memory_equal(res.kiss, "RATE", 4);
    assert_true(servers[1].hold_until_ms > fake_now);
    assert_int_equal(brisa_sntp_start(&c, &res), BRISA_ERR_NTP_KOD);
    fake_now += 10000; /* the hold is over */
    static const step s4[] = { { GOOD, 0, 1, 1, NULL, 1 } };
    RUN(s4);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
}

static void test_forged_or_unknown_kiss_ignored(void **state)
{
    (void)state;
    setup_client(1, 0);
    static const step s[] = { { FORGED_KISS, 0, 0, 0, "DENY", 0 },
                              { KISS, 0, 0, 0, "INIT", 0 },
                              { GOOD, 0, 1, 1, NULL, 0 } };
    RUN(s);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_false(servers[0].denied);
    assert_int_equal(res.ignored, 2);
    assert_int_equal(res.server, 0);
}

static void test_interval_and_no_wall(void **state)
{
    (void)state;
    setup_client(3, 1000);
    wall_known = false;
    static const step s[] = { { GOOD, 7, 2, 2, NULL, 0 }, { SILENCE, 0, 0, 0, NULL, 0 },
                              { GOOD, 7, 2, 2, NULL, 0 }, { SILENCE, 0, 0, 0, NULL, 0 },
                              { GOOD, 7, 1, 1, NULL, 0 } };
    RUN(s);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    /* Each pause is waited out on the socket (the SILENCE steps). */
    assert_int_equal(fake_now, 4 + 1000 + 4 + 1000 + 2);
    assert_false(res.offset_known);
    assert_near(res.delay_ns, 2000000LL, 1000);
    assert_near(soft_now(), TRUE_EPOCH_MS + (int64_t)fake_now + 7, 1);
}

static uint64_t fine_ticks;
static uint64_t fine_mono(void *ctx)
{
    (void)ctx;
    fine_ticks += 250000; /* each reading lands 0.25 ms later than the last */
    return fake_now * 1000000u + fine_ticks;
}

static bool fine_wall(void *ctx, int64_t *ns)
{
    (void)ctx;
    *ns = (TRUE_EPOCH_MS + (int64_t)fake_now) * 1000000 + 123456;
    return true;
}

static void test_fine_clock(void **state)
{
    (void)state;
    setup_client(1, 0);
    fine_ticks = 0;
    c.cfg.fine.monotonic_ns = fine_mono;
    c.cfg.fine.wall_ns = fine_wall;
    static const step s[] = { { GOOD, 40, 10, 10, NULL, 0 } };
    RUN(s);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    /* 20 ms of fake time plus the 0.25 ms the fine clock saw in between. */
    assert_near(res.delay_ns, 20250000LL, 1000);
    /* 40 ms + half of the extra 0.25 ms, against a wall 0.123456 ms ahead. */
    assert_near(res.offset_ns, 40000000LL + 125000 - 123456, 1000);
}

static void test_busy_and_bad_config(void **state)
{
    (void)state;
    setup_client(1, 0);
    assert_int_equal(brisa_sntp_start(&c, &res), BRISA_ERR_WOULD_BLOCK);
    assert_int_equal(brisa_sntp_start(&c, &res), BRISA_ERR_BUSY);
    brisa_sntp_cancel(&c);
    assert_int_equal(brisa_sntp_poll(&c, 0), BRISA_ERR_STATE);
    brisa_sntp_config cfg;
    memset(&cfg, 0, sizeof cfg);
    assert_int_equal(brisa_sntp_init(&c, &cfg), BRISA_ERR_INVALID_ARG);
}

/* Failures of the local pieces: no randomness, no endpoint, a send or a
 * receive that fails. The server is given up and the next one asked. */
static void test_local_failures_next_server(void **state)
{
    (void)state;
    static const step s1[] = { { GOOD, 0, 1, 1, NULL, 1 } };
    setup_client(1, 0);
    RUN(s1);
    fail_open = BRISA_ERR_NO_SPACE;
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.server, 1);

    setup_client(1, 0);
    RUN(s1);
    fail_send_at = 1;
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.server, 1);

    setup_client(1, 0);
    RUN(s1);
    fail_recv = BRISA_ERR_IO;
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.server, 1);

    /* Without randomness no request can be made anywhere. */
    setup_client(1, 0);
    rng_mode = 2;
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_ERR_IO);
    assert_int_equal(sends, 0);
    assert_false(sock_open);

    /* The request for a second sample cannot be sent: the first is kept. */
    setup_client(2, 0);
    static const step s0[] = { { GOOD, 0, 1, 1, NULL, 0 } };
    RUN(s0);
    fail_send_at = 2;
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.samples, 1);
    assert_int_equal(res.server, 0);

    /* A retransmission that cannot be sent ends that server's turn. */
    setup_client(1, 0);
    static const step s2[] = { { SILENCE, 0, 0, 0, NULL, 0 }, { GOOD, 0, 1, 1, NULL, 1 } };
    RUN(s2);
    fail_send_at = 2;
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.server, 1);
    assert_int_equal(res.requests, 3);
}

/* A random nonce of zero would read as "no timestamp": it becomes 1. */
static void test_zero_nonce_avoided(void **state)
{
    (void)state;
    setup_client(1, 0);
    rng_mode = 1;
    static const step s[] = { { GOOD, 0, 1, 1, NULL, 0 } };
    RUN(s);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    static const uint8_t one[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
    assert_memory_equal(last_req + 40, one, 8);
}

/* A reply from the right address but another port is not the server's;
 * a server on its own port is asked there. */
static void test_ports(void **state)
{
    (void)state;
    setup_client(1, 0);
    static const step s[] = { { WRONG_PORT, 0, 1, 1, NULL, 0 }, { GOOD, 0, 1, 1, NULL, 0 } };
    RUN(s);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.ignored, 1);
    assert_int_equal(res.last_reject, BRISA_SNTP_WRONG_SOURCE);

    setup_client(1, 0);
    servers[0].port = 1123;
    static const step s2[] = { { WRONG_PORT, 0, 1, 1, NULL, 0 } };
    RUN(s2);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.ignored, 0);
}

/* Samples taken before a server falls silent are enough; a duplicate
 * reply during the pause is not a second sample; a server slower than our
 * clock's resolution gives delay 0, not a negative one. */
static void test_partial_samples_duplicates_and_slow_server(void **state)
{
    (void)state;
    setup_client(3, 0);
    static const step s[] = { { GOOD, 0, 2, 2, NULL, 0 } };
    RUN(s);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.samples, 1);
    assert_int_equal(res.requests, 4);
    assert_int_equal(opens, 1); /* the second server was not needed */

    setup_client(2, 1000);
    static const step d[] = { { GOOD, 0, 2, 2, NULL, 0 }, { GOOD, 0, 2, 2, NULL, 0 },
                              { SILENCE, 0, 0, 0, NULL, 0 }, { GOOD, 0, 2, 2, NULL, 0 } };
    RUN(d);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.samples, 2);
    assert_int_equal(res.ignored, 1);
    assert_int_equal(res.requests, 2);

    setup_client(1, 0);
    static const step slow[] = { { SLOW_SERVER, 0, 1, 1, NULL, 0 } };
    RUN(slow);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.delay_ns, 0);
}

/* Without a softclock or a wall clock the result alone carries the time;
 * a datagram cut short by the buffer is still checked (and passes). */
static void test_no_softclock_no_wall(void **state)
{
    (void)state;
    setup_client(1, 0);
    c.cfg.softclock = NULL;
    c.cfg.clock.wall_ms = NULL;
    static const step s[] = { { GOOD, 30, 1, 1, NULL, 0 } };
    RUN(s);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_false(res.offset_known);
    assert_false(sc.synced);
    assert_near(res.unix_ms, TRUE_EPOCH_MS + (int64_t)fake_now + 30, 1);

    setup_client(1, 0);
    fail_recv = BRISA_ERR_TOO_LARGE;
    assert_int_equal(brisa_sntp_start(&c, &res), BRISA_ERR_WOULD_BLOCK);
    assert_int_equal(brisa_sntp_poll(&c, 10), BRISA_ERR_WOULD_BLOCK);
    assert_int_equal(res.ignored, 1); /* whatever the buffer held: not a reply */
    brisa_sntp_cancel(&c);
}

static void test_null_arguments(void **state)
{
    (void)state;
    setup_client(1, 0);
    assert_int_equal(brisa_sntp_start(NULL, &res), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_sntp_start(&c, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_sntp_poll(NULL, 0), BRISA_ERR_STATE);
    brisa_sntp_cancel(NULL);
    brisa_sntp_cancel(&c); /* idle: nothing happens */
    assert_int_equal(opens, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_sample),
        cmocka_unit_test(test_best_of_n_by_delay),
        cmocka_unit_test(test_retry_then_give_up),
        cmocka_unit_test(test_nonce_fresh_each_request),
        cmocka_unit_test(test_bad_origin_ignored),
        cmocka_unit_test(test_unsynchronised_server_skipped),
        cmocka_unit_test(test_kiss_deny_and_rate),
        cmocka_unit_test(test_forged_or_unknown_kiss_ignored),
        cmocka_unit_test(test_interval_and_no_wall),
        cmocka_unit_test(test_fine_clock),
        cmocka_unit_test(test_busy_and_bad_config),
        cmocka_unit_test(test_local_failures_next_server),
        cmocka_unit_test(test_zero_nonce_avoided),
        cmocka_unit_test(test_ports),
        cmocka_unit_test(test_partial_samples_duplicates_and_slow_server),
        cmocka_unit_test(test_no_softclock_no_wall),
        cmocka_unit_test(test_null_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
