// SPDX-License-Identifier: MIT
/* SHA-1, base64 and the WebSocket transport over the scripted transport:
 * the upgrade and its refusals, frames split and joined both ways,
 * fragmentation, ping/pong/close and the protocol errors a client must
 * catch; the HTTP CONNECT tunnel; the layers of brisa/connect.h in their
 * order (TLS itself is tested in test_tls_loopback). */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "brisa/connect.h"
#include "brisa/err.h"
#include "brisa/proxy.h"
#include "brisa/sha1.h"
#include "brisa/ws.h"
#include "mqtt_fakes.h"

/* ---- SHA-1 (RFC 3174 section 7.3 test data) and base64 (RFC 4648) ---- */

static void hex_of(const uint8_t *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static void sha1_hex(const void *data, size_t len, size_t repeat, char out[41])
{
    brisa_sha1 s;
    uint8_t d[BRISA_SHA1_LEN];
    brisa_sha1_init(&s);
    for (size_t i = 0; i < repeat; i++)
        brisa_sha1_update(&s, data, len);
    brisa_sha1_final(&s, d);
    hex_of(d, sizeof d, out);
}

static void test_sha1_vectors(void **state)
{
    (void)state;
    char h[41];
    sha1_hex("abc", 3, 1, h);
    assert_string_equal(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha1_hex(two, strlen(two), 1, h);
    assert_string_equal(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    sha1_hex("a", 1, 1000000, h);
    assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    const char *four = "0123456701234567012345670123456701234567012345670123456701234567";
    sha1_hex(four, strlen(four), 10, h);
    assert_string_equal(h, "dea356a2cddd90c7a7ecedc5ebb563934f460452");
    sha1_hex("", 0, 1, h);
    assert_string_equal(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

static void test_base64(void **state)
{
    (void)state;
    const char *in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    const char *out[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
    char buf[16];
    for (size_t i = 0; i < 7; i++) {
        int n = brisa_base64_encode((const uint8_t *)in[i], strlen(in[i]), buf, sizeof buf);
        assert_int_equal(n, (int)strlen(out[i]));
        assert_string_equal(buf, out[i]);
    }
    assert_int_equal(brisa_base64_encode((const uint8_t *)"foo", 3, buf, 4), BRISA_ERR_NO_SPACE);
}

static void test_accept_key(void **state)
{
    (void)state;
    char a[29];
    brisa_ws_accept_for("dGhlIHNhbXBsZSBub25jZQ==", a); /* RFC 6455 section 1.3 */
    assert_string_equal(a, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

/* ---- frame headers ---- */

static void test_frame_parse(void **state)
{
    (void)state;
    brisa_ws_frame f;
    const char *why;
    uint8_t small[] = { 0x82, 0x05 };
    assert_int_equal(brisa_ws_frame_parse(small, 1, &f, &why), 0);
    assert_int_equal(brisa_ws_frame_parse(small, 2, &f, &why), 2);
    assert_true(f.fin);
    assert_int_equal(f.opcode, BRISA_WS_OP_BINARY);
    assert_int_equal(f.len, 5);
    uint8_t mid[] = { 0x02, 0x7E, 0x01, 0x00 };
    assert_int_equal(brisa_ws_frame_parse(mid, 3, &f, &why), 0);
    assert_int_equal(brisa_ws_frame_parse(mid, 4, &f, &why), 4);
    assert_false(f.fin);
    assert_int_equal(f.len, 256);
    uint8_t big[] = { 0x82, 0xFF, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4 };
    assert_int_equal(brisa_ws_frame_parse(big, 13, &f, &why), 0);
    assert_int_equal(brisa_ws_frame_parse(big, 14, &f, &why), 14);
    assert_true(f.masked);
    assert_int_equal(f.len, 1ull << 32);
    assert_memory_equal(f.mask, big + 10, 4);

    const struct { uint8_t b[10]; const char *why; } bad[] = {
        { { 0xC2, 0x00 }, "reserved bits" },
        { { 0x83, 0x00 }, "unknown opcode" },
        { { 0x8B, 0x00 }, "unknown opcode" },
        { { 0x09, 0x00 }, "fragmented control" },
        { { 0x89, 0x7E }, "longer than 125" },
        { { 0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0 }, "2^63" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(brisa_ws_frame_parse(bad[i].b, 10, &f, &why), BRISA_ERR_MALFORMED);
        assert_non_null(strstr(why, bad[i].why));
    }
}

static void test_frame_header_roundtrip(void **state)
{
    (void)state;
    const uint64_t lens[] = { 0, 125, 126, 65535, 65536, 1ull << 40 };
    const uint8_t mask[4] = { 9, 8, 7, 6 };
    for (size_t i = 0; i < 6; i++) {
        uint8_t h[BRISA_WS_MAX_HEADER];
        size_t n = brisa_ws_frame_header(h, BRISA_WS_OP_BINARY, lens[i], i % 2 ? mask : NULL);
        brisa_ws_frame f;
        const char *why;
        assert_int_equal(brisa_ws_frame_parse(h, n, &f, &why), (int)n);
        assert_int_equal(f.len, lens[i]);
        assert_int_equal(f.masked, i % 2 == 1);
    }
}

/* ---- the transport over the scripted one ---- */

static int counting_rng(void *ctx, uint8_t *buf, size_t len)
{
    uint8_t *next = ctx;
    for (size_t i = 0; i < len; i++)
        buf[i] = (*next)++;
    return 0;
}

typedef struct env {
    fake_clock clk;
    fake_transport ft;
    brisa_transport inner;
    brisa_clock clock;
    uint8_t rng_next;
    brisa_rng rng;
    uint8_t rx[256], tx[256];
    brisa_ws ws;
    brisa_transport t;
} env;

static int setup(void **state)
{
    env *e = test_calloc(1, sizeof *e);
    fake_transport_init(&e->ft, &e->clk);
    e->ft.eof_when_empty = true;
    e->inner = fake_transport_iface(&e->ft);
    e->clock = fake_clock_iface(&e->clk);
    e->rng = (brisa_rng){ &e->rng_next, counting_rng };
    brisa_ws_config c = { .host = "broker.lan", .port = 8080, .clock = &e->clock,
                          .rng = &e->rng, .rx_buf = e->rx, .rx_size = sizeof e->rx,
                          .tx_buf = e->tx, .tx_size = sizeof e->tx };
    assert_int_equal(brisa_ws_init(&e->ws, &c), BRISA_OK);
    e->t = brisa_ws_transport(&e->ws);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    env *e = *state;
    fake_transport_free(&e->ft);
    test_free(e);
    return 0;
}

/* The key for rng bytes 0..15, and the matching accept. */
#define KEY "AAECAwQFBgcICQoLDA0ODw=="

/* The 101 answer, then @p tail_len bytes of @p tail in the same read. */
static void feed_answer_tail(env *e, const char *extra_headers, const char *accept,
                             const void *tail, size_t tail_len)
{
    char a[29];
    brisa_ws_accept_for(KEY, a);
    char ans[512];
    snprintf(ans, sizeof ans,
             "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\n"
             "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Accept: %s\r\n%s\r\n",
             accept ? accept : a, extra_headers);
    size_t n = strlen(ans);
    memcpy(ans + n, tail, tail_len);
    fake_feed(&e->ft, 0, ans, n + tail_len);
}

static void feed_answer(env *e, const char *extra_headers, const char *accept)
{
    feed_answer_tail(e, extra_headers, accept, "", 0);
}

static void connect_ok(env *e)
{
    feed_answer(e, "Sec-WebSocket-Protocol: mqtt\r\n", NULL);
    assert_int_equal(brisa_ws_connect(&e->ws, &e->inner), BRISA_OK);
    fake_out_clear(&e->ft);
}

static void test_upgrade_request(void **state)
{
    env *e = *state;
    feed_answer(e, "Sec-WebSocket-Protocol: mqtt\r\n", NULL);
    assert_int_equal(brisa_ws_connect(&e->ws, &e->inner), BRISA_OK);
    const char *want = "GET /mqtt HTTP/1.1\r\nHost: broker.lan:8080\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Key: " KEY "\r\n"
                       "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";
    assert_int_equal(e->ft.out_len, strlen(want));
    assert_memory_equal(e->ft.out, want, strlen(want));
}

static void test_upgrade_host_v6(void **state)
{
    env *e = *state;
    brisa_ws_config c = e->ws.cfg;
    c.host = "::1";
    c.port = 0;
    assert_int_equal(brisa_ws_init(&e->ws, &c), BRISA_OK);
    feed_answer(e, "Sec-WebSocket-Protocol: mqtt\r\n", NULL);
    assert_int_equal(brisa_ws_connect(&e->ws, &e->inner), BRISA_OK);
    const char *want = "GET /mqtt HTTP/1.1\r\nHost: [::1]\r\n";
    assert_memory_equal(e->ft.out, want, strlen(want));
}

static void expect_refused(env *e, const char *needle)
{
    assert_int_equal(brisa_ws_connect(&e->ws, &e->inner), BRISA_ERR_WS_UPGRADE);
    if (strstr(brisa_ws_last_error(&e->ws), needle) == NULL)
        fail_msg("'%s' not in '%s'", needle, brisa_ws_last_error(&e->ws));
    assert_true(e->ft.closed);
}

static void test_refused_status(void **state)
{
    env *e = *state;
    const char *a = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    fake_feed(&e->ft, 0, a, strlen(a));
    expect_refused(e, "the server answered 'HTTP/1.1 404 Not Found'");
    assert_int_equal(e->ws.http_status, 404);
}

static void test_refused_accept(void **state)
{
    env *e = *state;
    feed_answer(e, "Sec-WebSocket-Protocol: mqtt\r\n", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    expect_refused(e, "wrong Sec-WebSocket-Accept");
}

static void test_refused_protocol(void **state)
{
    env *e = *state;
    feed_answer(e, "", NULL);
    expect_refused(e, "no subprotocol");
}

static void test_refused_other_protocol(void **state)
{
    env *e = *state;
    feed_answer(e, "Sec-WebSocket-Protocol: mqttv3.1\r\n", NULL);
    expect_refused(e, "another subprotocol: 'mqttv3.1'");
}

static void test_not_http(void **state)
{
    env *e = *state;
    const char *a = "SSH-2.0-OpenSSH_9.2\r\n\r\n";
    fake_feed(&e->ft, 0, a, strlen(a));
    expect_refused(e, "not an HTTP answer");
}

static void test_answer_too_large(void **state)
{
    env *e = *state;
    char big[300];
    memset(big, 'x', sizeof big);
    fake_feed(&e->ft, 0, big, sizeof big);
    assert_int_equal(brisa_ws_connect(&e->ws, &e->inner), BRISA_ERR_TOO_LARGE);
    assert_true(e->ft.closed);
}

static void test_answer_timeout(void **state)
{
    env *e = *state;
    e->ft.eof_when_empty = false;
    assert_int_equal(brisa_ws_connect(&e->ws, &e->inner), BRISA_ERR_TIMEOUT);
    assert_true(e->clk.now >= 10000);
}

/* Reads everything until @p n bytes or an error. */
static int read_n(env *e, uint8_t *out, size_t n, size_t chunk)
{
    size_t got = 0;
    while (got < n) {
        size_t want = n - got < chunk ? n - got : chunk;
        int rc = e->t.recv(e->t.ctx, out + got, want, 1000);
        if (rc < 0)
            return rc;
        got += (size_t)rc;
    }
    return (int)got;
}

static void test_frames_split_and_joined(void **state)
{
    env *e = *state;
    /* data right behind the answer, in the same read */
    feed_answer_tail(e, "Sec-WebSocket-Protocol: mqtt\r\n", NULL, "\x82\x02\x20\x02", 4);
    assert_int_equal(brisa_ws_connect(&e->ws, &e->inner), BRISA_OK);
    fake_out_clear(&e->ft);
    /* a CONNACK's tail and a PUBLISH split over a fragmented message with a
     * ping in between, and a frame header cut in two reads */
    fake_feed(&e->ft, 0, "\x02\x03\x00\x00\x30", 5);           /* frag 1 (not FIN) */
    fake_feed(&e->ft, 0, "\x89\x02hi", 4);                     /* ping */
    fake_feed(&e->ft, 0, "\x00", 1);                           /* cont, header cut */
    fake_feed(&e->ft, 0, "\x02\x05\x00", 3);
    fake_feed(&e->ft, 0, "\x80\x02", 2);                       /* final */
    fake_feed(&e->ft, 0, "\x01t", 2);
    fake_feed(&e->ft, 0, "\x82\x00", 2);                       /* empty frame */
    fake_feed(&e->ft, 0, "\x82\x01x", 3);
    uint8_t got[16];
    assert_int_equal(read_n(e, got, 2, 16), 2);
    assert_memory_equal(got, "\x20\x02", 2);
    assert_int_equal(read_n(e, got, 7, 3), 7);
    assert_memory_equal(got, "\x00\x00\x30\x05\x00\x01t", 7);
    assert_int_equal(read_n(e, got, 1, 16), 1);
    assert_int_equal(got[0], 'x');
    /* the ping was answered with a masked pong carrying "hi" */
    assert_int_equal(e->ft.out_len, 8);
    assert_int_equal(e->ft.out[0], 0x8A);
    assert_int_equal(e->ft.out[1], 0x82);
    const uint8_t *m = e->ft.out + 2;
    assert_int_equal(e->ft.out[6] ^ m[0], 'h');
    assert_int_equal(e->ft.out[7] ^ m[1], 'i');
    assert_int_equal(e->t.recv(e->t.ctx, got, 1, 0), BRISA_ERR_CLOSED);
}

static void test_payload_straight_to_caller(void **state)
{
    env *e = *state;
    connect_ok(e);
    uint8_t frame[4 + 1000];
    size_t h = brisa_ws_frame_header(frame, BRISA_WS_OP_BINARY, 1000, NULL);
    for (size_t i = 0; i < 1000; i++)
        frame[h + i] = (uint8_t)(i * 7);
    fake_feed(&e->ft, 0, frame, h);
    fake_feed(&e->ft, 0, frame + h, 1000);
    uint8_t got[1000];
    /* larger than rx_buf: the payload bypasses it */
    assert_int_equal(e->t.recv(e->t.ctx, got, sizeof got, 100), 1000);
    assert_memory_equal(got, frame + h, 1000);
}

static void test_close_from_server(void **state)
{
    env *e = *state;
    connect_ok(e);
    fake_feed(&e->ft, 0, "\x88\x02\x03\xE9", 4); /* 1001 going away */
    uint8_t b[4];
    assert_int_equal(e->t.recv(e->t.ctx, b, 4, 100), BRISA_ERR_CLOSED);
    assert_int_equal(e->ws.close_code, 1001);
    assert_non_null(strstr(brisa_ws_last_error(&e->ws), "status 1001"));
    /* echoed, masked */
    assert_int_equal(e->ft.out[0], 0x88);
    assert_int_equal(e->ft.out[1], 0x82);
    assert_int_equal(e->ft.out[6] ^ e->ft.out[2], 0x03);
    assert_int_equal(e->ft.out[7] ^ e->ft.out[3], 0xE9);
    assert_int_equal(e->t.send(e->t.ctx, b, 1, 0, 100), BRISA_ERR_CLOSED);
    e->t.close(e->t.ctx);
    assert_true(e->ft.closed);
}

static void expect_malformed(env *e, const void *frame, size_t n, const char *needle)
{
    connect_ok(e);
    fake_feed(&e->ft, 0, frame, n);
    uint8_t b[8];
    int rc;
    for (int i = 0; (rc = e->t.recv(e->t.ctx, b, sizeof b, 100)) > 0; i++)
        assert_true(i < 4); /* the bytes before the bad frame */
    assert_int_equal(rc, BRISA_ERR_MALFORMED);
    if (strstr(brisa_ws_last_error(&e->ws), needle) == NULL)
        fail_msg("'%s' not in '%s'", needle, brisa_ws_last_error(&e->ws));
    assert_int_equal(e->t.recv(e->t.ctx, b, sizeof b, 100), BRISA_ERR_MALFORMED);
    assert_int_equal(e->t.send(e->t.ctx, b, 1, 0, 100), BRISA_ERR_IO);
}

static void test_masked_from_server(void **state)
{
    expect_malformed(*state, "\x82\x81\x01\x02\x03\x04\x05", 7, "must not mask");
}

static void test_text_frame(void **state)
{
    expect_malformed(*state, "\x81\x01x", 3, "text frame");
}

static void test_stray_continuation(void **state)
{
    expect_malformed(*state, "\x80\x01x", 3, "continuation frame outside");
}

static void test_interleaved_message(void **state)
{
    expect_malformed(*state, "\x02\x01x\x82\x01y", 6, "before the last one ended");
}

static void test_reserved_bits(void **state)
{
    expect_malformed(*state, "\xC2\x01x", 3, "reserved bits");
}

/* Unmasks the frames in the captured output and checks their payloads
 * join to @p want; returns the number of frames. */
static size_t unmask_all(const env *e, const uint8_t *want, size_t n)
{
    size_t pos = 0, got = 0, frames = 0;
    while (pos < e->ft.out_len) {
        brisa_ws_frame f;
        const char *why;
        int h = brisa_ws_frame_parse(e->ft.out + pos, e->ft.out_len - pos, &f, &why);
        assert_true(h > 0);
        assert_true(f.masked);
        assert_true(f.fin);
        assert_int_equal(f.opcode, BRISA_WS_OP_BINARY);
        for (size_t i = 0; i < f.len; i++) {
            assert_true(got < n);
            assert_int_equal(e->ft.out[pos + (size_t)h + i] ^ f.mask[i & 3], want[got]);
            got++;
        }
        pos += (size_t)h + (size_t)f.len;
        frames++;
    }
    assert_int_equal(got, n);
    return frames;
}

static void test_send_masked_frames(void **state)
{
    env *e = *state;
    connect_ok(e);
    uint8_t msg[600];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i ^ 0x5A);
    /* header held with SEND_MORE, joined to the payload; the payload larger
     * than tx_buf goes out in several frames */
    assert_int_equal(e->t.send(e->t.ctx, msg, 5, BRISA_SEND_MORE, 100), 5);
    assert_int_equal(e->ft.out_len, 0);
    size_t done = 5;
    while (done < sizeof msg) {
        int rc = e->t.send(e->t.ctx, msg + done, sizeof msg - done, 0, 100);
        assert_true(rc > 0);
        done += (size_t)rc;
    }
    assert_int_equal(unmask_all(e, msg, sizeof msg), 3); /* 242 + 242 + 116 */
    /* each frame has its own mask */
    assert_memory_not_equal(e->ft.out + 4, e->ft.out + 4 + 242 + 4 + 2, 4);
}

static void test_send_partial_writes(void **state)
{
    env *e = *state;
    connect_ok(e);
    e->ft.max_write = 3;
    uint8_t msg[100];
    memset(msg, 0xA5, sizeof msg);
    assert_int_equal(e->t.send(e->t.ctx, msg, sizeof msg, 0, 100), (int)sizeof msg);
    assert_int_equal(unmask_all(e, msg, sizeof msg), 1);
}

static void test_close_sends_close_frame(void **state)
{
    env *e = *state;
    connect_ok(e);
    e->t.close(e->t.ctx);
    assert_int_equal(e->ft.out_len, 8);
    assert_int_equal(e->ft.out[0], 0x88);
    assert_int_equal(e->ft.out[6] ^ e->ft.out[2], 0x03);
    assert_int_equal(e->ft.out[7] ^ e->ft.out[3], 0xE8);
    assert_true(e->ft.closed);
    e->t.close(e->t.ctx);
    assert_int_equal(e->ft.close_calls, 1);
}

static void test_bad_config(void **state)
{
    (void)state;
    brisa_ws ws;
    uint8_t small[16];
    brisa_ws_config c = { .host = "h", .rx_buf = small, .rx_size = sizeof small };
    assert_int_equal(brisa_ws_init(&ws, &c), BRISA_ERR_INVALID_ARG);
    assert_non_null(strstr(brisa_ws_last_error(&ws), "clock"));
}

/* ---- HTTP CONNECT ---- */

static int proxy_run(env *e, const char *answer, const char *user, const char *pw,
                     char *detail, size_t cap)
{
    fake_feed(&e->ft, 0, answer, strlen(answer));
    uint8_t buf[256];
    brisa_proxy_config pc = { .host = "broker.lan", .port = 8883, .user = user, .password = pw,
                              .clock = &e->clock, .buf = buf, .size = sizeof buf };
    return brisa_proxy_connect(&e->inner, &pc, detail, cap);
}

static void test_proxy_tunnel(void **state)
{
    env *e = *state;
    char d[160];
    /* the broker's first bytes follow the answer: they stay in the stream */
    assert_int_equal(proxy_run(e, "HTTP/1.0 200 Connection established\r\n\r\n\x16\x03", "Aladdin",
                               "open sesame", d, sizeof d),
                     BRISA_OK);
    const char *want = "CONNECT broker.lan:8883 HTTP/1.1\r\nHost: broker.lan:8883\r\n"
                       "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n";
    assert_int_equal(e->ft.out_len, strlen(want));
    assert_memory_equal(e->ft.out, want, strlen(want));
    uint8_t rest[4];
    assert_int_equal(e->inner.recv(e->inner.ctx, rest, sizeof rest, 0), 2);
    assert_memory_equal(rest, "\x16\x03", 2);
    assert_false(e->ft.closed);
}

static void test_proxy_refusals(void **state)
{
    env *e = *state;
    char d[160];
    assert_int_equal(proxy_run(e, "HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", NULL,
                               NULL, d, sizeof d),
                     BRISA_ERR_PROXY_AUTH);
    assert_string_equal(d, "proxy wants credentials for broker.lan:8883: "
                           "'HTTP/1.1 407 Proxy Authentication Required'");
    assert_int_equal(proxy_run(e, "HTTP/1.1 403 Forbidden\r\n\r\n", NULL, NULL, d, sizeof d),
                     BRISA_ERR_PROXY);
    assert_int_equal(proxy_run(e, "SSH-2.0-x\r\n\r\n", NULL, NULL, d, sizeof d),
                     BRISA_ERR_MALFORMED);
    assert_int_equal(proxy_run(e, "HTTP/1.1 200 OK\r\n", NULL, NULL, d, sizeof d), BRISA_ERR_CLOSED);
    assert_non_null(strstr(d, "connection lost during CONNECT"));
}

/* ---- the layers over the stream (brisa/connect.h) ---- */

/* Whether the bytes sent so far hold @p needle. */
static bool sent(const env *e, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= e->ft.out_len; i++)
        if (memcmp(e->ft.out + i, needle, n) == 0)
            return true;
    return false;
}

/* Layers over e->inner: a tunnel if @p tunnel, WebSockets if @p ws. */
static int layers(env *e, bool tunnel, bool ws, brisa_connect *c)
{
    static uint8_t proxy_buf[256];
    brisa_ws_config wc = { .host = "broker.lan", .port = 8080, .clock = &e->clock,
                           .rng = &e->rng, .rx_buf = e->rx, .rx_size = sizeof e->rx,
                           .tx_buf = e->tx, .tx_size = sizeof e->tx };
    brisa_connect_config cc = { .host = "broker.lan", .port = 8080, .clock = &e->clock,
                                .tunnel = tunnel, .proxy_buf = proxy_buf,
                                .proxy_buf_size = sizeof proxy_buf,
                                .ws = ws ? &e->ws : NULL, .ws_cfg = &wc };
    return brisa_connect_layers(c, &cc, &e->inner);
}

/* No layer asked for: the stream itself comes back. */
static void test_layers_none(void **state)
{
    env *e = *state;
    brisa_connect c;
    assert_int_equal(layers(e, false, false, &c), BRISA_OK);
    assert_ptr_equal(c.transport.ctx, &e->ft);
    assert_int_equal(c.failed, BRISA_CONNECT_NONE);
    assert_string_equal(c.detail, "");
}

/* Tunnel first, WebSockets through it: the CONNECT request goes out
 * before the upgrade, and MQTT gets the WebSocket transport. */
static void test_layers_tunnel_then_ws(void **state)
{
    env *e = *state;
    const char *ok = "HTTP/1.1 200 Connection established\r\n\r\n";
    fake_feed(&e->ft, 0, ok, strlen(ok));
    feed_answer(e, "Sec-WebSocket-Protocol: mqtt\r\n", NULL);
    brisa_connect c;
    assert_int_equal(layers(e, true, true, &c), BRISA_OK);
    assert_ptr_equal(c.transport.ctx, &e->ws);
    const char *connect = "CONNECT broker.lan:8080 HTTP/1.1\r\n";
    assert_memory_equal(e->ft.out, connect, strlen(connect));
    assert_true(sent(e, "GET /mqtt HTTP/1.1\r\n"));
    assert_false(e->ft.closed);
}

/* A refused tunnel: said to be the tunnel, the proxy's answer kept, the
 * stream closed, no upgrade tried. */
static void test_layers_tunnel_refused(void **state)
{
    env *e = *state;
    const char *no = "HTTP/1.1 403 Forbidden\r\n\r\n";
    fake_feed(&e->ft, 0, no, strlen(no));
    brisa_connect c;
    assert_int_equal(layers(e, true, true, &c), BRISA_ERR_PROXY);
    assert_int_equal(c.failed, BRISA_CONNECT_TUNNEL);
    assert_non_null(strstr(c.detail, "403"));
    assert_string_equal(brisa_connect_step_name(c.failed), "proxy tunnel");
    assert_true(e->ft.closed);
    assert_false(sent(e, "GET "));
}

/* A refused upgrade: the WebSocket layer's reason, the stream closed. */
static void test_layers_ws_refused(void **state)
{
    env *e = *state;
    const char *no = "HTTP/1.1 404 Not Found\r\n\r\n";
    fake_feed(&e->ft, 0, no, strlen(no));
    brisa_connect c;
    assert_true(layers(e, false, true, &c) < 0);
    assert_int_equal(c.failed, BRISA_CONNECT_WS);
    assert_non_null(strstr(c.detail, "404"));
    assert_string_equal(brisa_connect_step_name(c.failed), "WebSocket");
    assert_true(e->ft.closed);
}

static void test_layers_bad_arguments(void **state)
{
    env *e = *state;
    brisa_connect c;
    brisa_connect_config cc = { .host = "broker.lan", .port = 8080, .ws = &e->ws };
    assert_int_equal(brisa_connect_layers(NULL, &cc, &e->inner), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_connect_layers(&c, NULL, &e->inner), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_connect_layers(&c, &cc, NULL), BRISA_ERR_INVALID_ARG);
    /* a WebSocket without its configuration */
    assert_int_equal(brisa_connect_layers(&c, &cc, &e->inner), BRISA_ERR_INVALID_ARG);
    assert_int_equal(c.failed, BRISA_CONNECT_WS);
    assert_true(e->ft.closed);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha1_vectors),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_accept_key),
        cmocka_unit_test(test_frame_parse),
        cmocka_unit_test(test_frame_header_roundtrip),
        cmocka_unit_test(test_bad_config),
        T(test_upgrade_request),
        T(test_upgrade_host_v6),
        T(test_refused_status),
        T(test_refused_accept),
        T(test_refused_protocol),
        T(test_refused_other_protocol),
        T(test_not_http),
        T(test_answer_too_large),
        T(test_answer_timeout),
        T(test_frames_split_and_joined),
        T(test_payload_straight_to_caller),
        T(test_close_from_server),
        T(test_masked_from_server),
        T(test_text_frame),
        T(test_stray_continuation),
        T(test_interleaved_message),
        T(test_reserved_bits),
        T(test_send_masked_frames),
        T(test_send_partial_writes),
        T(test_close_sends_close_frame),
        T(test_proxy_tunnel),
        T(test_proxy_refusals),
        T(test_layers_none),
        T(test_layers_tunnel_then_ws),
        T(test_layers_tunnel_refused),
        T(test_layers_ws_refused),
        T(test_layers_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
