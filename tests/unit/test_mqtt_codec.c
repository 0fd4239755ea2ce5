// SPDX-License-Identifier: MIT
/* Tests for the MQTT codec (src/mqtt/codec*.c): byte vectors written from
 * the MQTT 3.1.1 specification (and 3.1 for CONNECT), decoded and encoded
 * in both directions, the remaining-length boundaries, and every
 * malformed form the decoder must refuse. */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "brisa/mqtt_codec.h"
#include "mqtt_fakes.h"

static const brisa_mqtt_codec V311 = { BRISA_MQTT_V311 };
static const brisa_mqtt_codec V31 = { BRISA_MQTT_V31 };

/* Decodes a whole-packet vector and checks it used every byte. */
static void decode_vec(const brisa_mqtt_codec *cx, const char *vec, brisa_mqtt_packet *p,
                       uint8_t *buf, size_t *len)
{
    *len = hex(vec, buf, 512);
    int n = brisa_mqtt_packet_decode(cx, buf, *len, p);
    if (n != (int)*len)
        fail_msg("decoding %s gave %d (%s)", vec, n, n < 0 ? brisa_err_str(n) : "short");
}

/* Checks an encoder's output against a vector, and that every smaller
 * buffer is refused with BRISA_ERR_NO_SPACE. */
typedef int (*encode_fn)(const void *arg, uint8_t *buf, size_t size);

static void expect_encoding(encode_fn fn, const void *arg, const char *vec)
{
    uint8_t want[512], got[512];
    size_t len = hex(vec, want, sizeof want);
    memset(got, 0xAA, sizeof got);
    int n = fn(arg, got, sizeof got);
    assert_int_equal(n, (int)len);
    assert_memory_equal(got, want, len);
    for (size_t size = 0; size < len; size++)
        assert_int_equal(fn(arg, got, size), BRISA_ERR_NO_SPACE);
}

/* ---- variable-byte integer / remaining length ---------------------------- */

static void test_vbi_boundaries(void **state)
{
    (void)state;
    static const struct { uint32_t v; const char *bytes; } cases[] = {
        { 0, "00" },
        { 127, "7f" },
        { 128, "80 01" },
        { 16383, "ff 7f" },
        { 16384, "80 80 01" },
        { 2097151, "ff ff 7f" },
        { 2097152, "80 80 80 01" },
        { 268435455, "ff ff ff 7f" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t want[4], got[4];
        size_t len = hex(cases[i].bytes, want, sizeof want);
        assert_int_equal(brisa_mqtt_vbi_size(cases[i].v), len);
        assert_int_equal(brisa_mqtt_vbi_encode(cases[i].v, got, sizeof got), (int)len);
        assert_memory_equal(got, want, len);
        assert_int_equal(brisa_mqtt_vbi_encode(cases[i].v, got, len - 1), BRISA_ERR_NO_SPACE);
        uint32_t v = 0xDEADBEEF;
        assert_int_equal(brisa_mqtt_vbi_decode(want, len, &v), (int)len);
        assert_int_equal(v, cases[i].v);
        /* Cut short: "need more", never a read past the end. */
        assert_int_equal(brisa_mqtt_vbi_decode(want, len - 1, &v), 0);
    }
    uint8_t buf[8];
    assert_int_equal(brisa_mqtt_vbi_size(268435456u), 0);
    assert_int_equal(brisa_mqtt_vbi_encode(268435456u, buf, sizeof buf), BRISA_ERR_TOO_LARGE);
    uint32_t v;
    size_t n = hex("ff ff ff ff 7f", buf, sizeof buf);
    assert_int_equal(brisa_mqtt_vbi_decode(buf, n, &v), BRISA_ERR_MALFORMED);
    assert_int_equal(brisa_mqtt_vbi_decode(buf, 4, &v), BRISA_ERR_MALFORMED);
}

/* Header-only PUBLISH encoding lets the largest packets be sized without
 * a 256 MB buffer: topic "a", QoS 0, so remaining = 3 + payload. */
static void test_remaining_length_in_packets(void **state)
{
    (void)state;
    static const struct { uint32_t remaining; const char *header; } cases[] = {
        { 3, "30 03 00 01 61" },
        { 127, "30 7f 00 01 61" },
        { 128, "30 80 01 00 01 61" },
        { 16383, "30 ff 7f 00 01 61" },
        { 16384, "30 80 80 01 00 01 61" },
        { 2097151, "30 ff ff 7f 00 01 61" },
        { 2097152, "30 80 80 80 01 00 01 61" },
        { 268435455, "30 ff ff ff 7f 00 01 61" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        brisa_mqtt_publish_packet p = { .topic = { "a", 1 }, .payload_len = cases[i].remaining - 3 };
        uint8_t want[16], got[16];
        size_t len = hex(cases[i].header, want, sizeof want);
        assert_int_equal(brisa_mqtt_publish_encode_header(&V311, &p, got, sizeof got), (int)len);
        assert_memory_equal(got, want, len);
        /* And the streaming decoder reads the header back. */
        brisa_mqtt_fixed_header fh;
        int hl = brisa_mqtt_fixed_header_decode(&V311, got, len, &fh);
        assert_int_equal(hl, (int)len - 3);
        assert_int_equal(fh.remaining, cases[i].remaining);
        brisa_mqtt_publish_packet d;
        assert_int_equal(brisa_mqtt_publish_header_decode(&V311, got[0], got + hl, 3,
                                                          fh.remaining, &d), 3);
        assert_int_equal(d.payload_len, cases[i].remaining - 3);
    }
    brisa_mqtt_publish_packet p = { .topic = { "a", 1 }, .payload_len = 268435456u - 3 };
    uint8_t buf[16];
    assert_int_equal(brisa_mqtt_publish_encode_header(&V311, &p, buf, sizeof buf),
                     BRISA_ERR_TOO_LARGE);
    p.payload_len = (size_t)-1;
    assert_int_equal(brisa_mqtt_publish_encode_header(&V311, &p, buf, sizeof buf),
                     BRISA_ERR_TOO_LARGE);
    /* Remaining length 0. */
    brisa_mqtt_packet pk;
    size_t n = hex("c0 00", buf, sizeof buf);
    assert_int_equal(brisa_mqtt_packet_decode(&V311, buf, n, &pk), 2);
    assert_int_equal(pk.type, BRISA_MQTT_PINGREQ);
}

static void test_fixed_header_needs_more(void **state)
{
    (void)state;
    uint8_t buf[8] = { 0 };
    brisa_mqtt_fixed_header fh;
    assert_int_equal(brisa_mqtt_fixed_header_decode(&V311, buf, 0, &fh), 0);
    size_t n = hex("30", buf, sizeof buf);
    assert_int_equal(brisa_mqtt_fixed_header_decode(&V311, buf, n, &fh), 0);
    n = hex("30 80 80", buf, sizeof buf);
    assert_int_equal(brisa_mqtt_fixed_header_decode(&V311, buf, n, &fh), 0);
    n = hex("30 80 80 80 80", buf, sizeof buf);
    assert_int_equal(brisa_mqtt_fixed_header_decode(&V311, buf, n, &fh), BRISA_ERR_MALFORMED);
    /* Reserved flags are refused before the length is even complete. */
    n = hex("31", buf, sizeof buf);
    assert_int_equal(brisa_mqtt_fixed_header_decode(&V311, buf, n, &fh), 0);
    n = hex("36", buf, sizeof buf);
    assert_int_equal(brisa_mqtt_fixed_header_decode(&V311, buf, n, &fh), BRISA_ERR_MALFORMED);
}

/* ---- CONNECT ------------------------------------------------------------- */

#define CONNECT_MIN "10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 61"
/* client "cid", will "w/t"="bye" QoS 1 retained, user "u", password "p",
 * keepalive 10, no clean session: flags 0xec. */
#define CONNECT_FULL                                                         \
    "10 1f 00 04 4d 51 54 54 04 ec 00 0a 00 03 63 69 64 00 03 77 2f 74 00 03" \
    " 62 79 65 00 01 75 00 01 70"
#define CONNECT_V31 "10 0f 00 06 4d 51 49 73 64 70 03 02 00 3c 00 01 61"

static const brisa_mqtt_codec *enc_cx;

static int enc_connect(const void *arg, uint8_t *buf, size_t size)
{
    return brisa_mqtt_connect_encode(enc_cx, arg, buf, size);
}

static void test_connect_minimal(void **state)
{
    (void)state;
    brisa_mqtt_packet p;
    uint8_t buf[512];
    size_t len;
    decode_vec(&V311, CONNECT_MIN, &p, buf, &len);
    assert_int_equal(p.type, BRISA_MQTT_CONNECT);
    const brisa_mqtt_connect_packet *c = &p.u.connect;
    assert_int_equal(c->level, 4);
    assert_true(c->clean_session);
    assert_int_equal(c->keepalive_s, 60);
    assert_int_equal(c->client_id.len, 1);
    assert_memory_equal(c->client_id.data, "a", 1);
    assert_false(c->has_will);
    assert_false(c->has_username);
    assert_false(c->has_password);

    brisa_mqtt_connect_packet e = { .clean_session = true, .keepalive_s = 60,
                                    .client_id = { "a", 1 } };
    enc_cx = &V311;
    expect_encoding(enc_connect, &e, CONNECT_MIN);
}

static void test_connect_full(void **state)
{
    (void)state;
    brisa_mqtt_packet p;
    uint8_t buf[512];
    size_t len;
    decode_vec(&V311, CONNECT_FULL, &p, buf, &len);
    const brisa_mqtt_connect_packet *c = &p.u.connect;
    assert_false(c->clean_session);
    assert_int_equal(c->keepalive_s, 10);
    assert_memory_equal(c->client_id.data, "cid", 3);
    assert_true(c->has_will);
    assert_int_equal(c->will_qos, 1);
    assert_true(c->will_retain);
    assert_int_equal(c->will_topic.len, 3);
    assert_memory_equal(c->will_topic.data, "w/t", 3);
    assert_int_equal(c->will_payload.len, 3);
    assert_memory_equal(c->will_payload.data, "bye", 3);
    assert_true(c->has_username);
    assert_memory_equal(c->username.data, "u", 1);
    assert_true(c->has_password);
    assert_int_equal(c->password.len, 1);
    assert_memory_equal(c->password.data, "p", 1);

    brisa_mqtt_connect_packet e = {
        .keepalive_s = 10, .client_id = { "cid", 3 },
        .has_will = true, .will_topic = { "w/t", 3 },
        .will_payload = { (const uint8_t *)"bye", 3 }, .will_qos = 1, .will_retain = true,
        .has_username = true, .username = { "u", 1 },
        .has_password = true, .password = { (const uint8_t *)"p", 1 },
    };
    enc_cx = &V311;
    expect_encoding(enc_connect, &e, CONNECT_FULL);
}

static void test_connect_mqtt31(void **state)
{
    (void)state;
    brisa_mqtt_packet p;
    uint8_t buf[512];
    size_t len;
    decode_vec(&V311, CONNECT_V31, &p, buf, &len);
    assert_int_equal(p.u.connect.level, 3);
    assert_true(p.u.connect.clean_session);
    brisa_mqtt_connect_packet e = { .clean_session = true, .keepalive_s = 60,
                                    .client_id = { "a", 1 } };
    enc_cx = &V31;
    expect_encoding(enc_connect, &e, CONNECT_V31);
}

static void test_connect_encode_refusals(void **state)
{
    (void)state;
    uint8_t buf[512];
    brisa_mqtt_connect_packet e = { .client_id = { "a", 1 }, .has_password = true,
                                    .password = { (const uint8_t *)"p", 1 } };
    assert_int_equal(brisa_mqtt_connect_encode(&V311, &e, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG); /* password without user name */
    brisa_mqtt_connect_packet w = { .client_id = { "a", 1 }, .has_will = true,
                                    .will_topic = { "w/#", 3 } };
    assert_int_equal(brisa_mqtt_connect_encode(&V311, &w, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG); /* wildcard in the will topic */
    w.will_topic.data = "w/t";
    w.will_qos = 3;
    assert_int_equal(brisa_mqtt_connect_encode(&V311, &w, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    brisa_mqtt_connect_packet bad = { .client_id = { "\xc0\x80", 2 } };
    assert_int_equal(brisa_mqtt_connect_encode(&V311, &bad, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG); /* overlong NUL in the client id */
    char *big = malloc(65536);
    assert_non_null(big);
    memset(big, 'x', 65536);
    brisa_mqtt_connect_packet huge = { .client_id = { big, 65536 } };
    assert_int_equal(brisa_mqtt_connect_encode(&V311, &huge, buf, sizeof buf),
                     BRISA_ERR_TOO_LARGE);
    huge.client_id.len = 65535; /* the longest string fits the format */
    uint8_t *out = malloc(70000);
    assert_non_null(out);
    assert_int_equal(brisa_mqtt_connect_encode(&V311, &huge, out, 70000), 65535 + 2 + 10 + 4);
    free(out);
    free(big);
    brisa_mqtt_codec v9 = { 9 };
#if !BRISA_MQTT5
    brisa_mqtt_codec v5 = { BRISA_MQTT_V5 };
    assert_int_equal(brisa_mqtt_connect_encode(&v5, &e, buf, sizeof buf), BRISA_ERR_UNSUPPORTED);
#endif
    assert_int_equal(brisa_mqtt_connect_encode(&v9, &e, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
}

/* ---- CONNACK ------------------------------------------------------------- */

static int enc_connack(const void *arg, uint8_t *buf, size_t size)
{
    return brisa_mqtt_connack_encode(&V311, arg, buf, size);
}

static void test_connack(void **state)
{
    (void)state;
    static const struct { const char *vec; bool sp; uint8_t rc; } cases[] = {
        { "20 02 00 00", false, 0 },
        { "20 02 01 00", true, 0 },
        { "20 02 00 01", false, 1 },
        { "20 02 00 05", false, 5 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        brisa_mqtt_packet p;
        uint8_t buf[16];
        size_t len;
        decode_vec(&V311, cases[i].vec, &p, buf, &len);
        assert_int_equal(p.type, BRISA_MQTT_CONNACK);
        assert_int_equal(p.u.connack.session_present, cases[i].sp);
        assert_int_equal(p.u.connack.return_code, cases[i].rc);
        brisa_mqtt_connack_packet e = { .session_present = cases[i].sp,
                                        .return_code = cases[i].rc };
        expect_encoding(enc_connack, &e, cases[i].vec);
    }
    /* MQTT 3.1 had no session flag: the first byte is not looked at. */
    brisa_mqtt_packet p;
    uint8_t buf[16];
    size_t len;
    decode_vec(&V31, "20 02 ff 00", &p, buf, &len);
    assert_false(p.u.connack.session_present);
    brisa_mqtt_connack_packet e = { .session_present = true, .return_code = 2 };
    assert_int_equal(brisa_mqtt_connack_encode(&V311, &e, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
}

static void test_connack_strings(void **state)
{
    (void)state;
    assert_string_equal(brisa_mqtt_connack_str(0), "connection accepted");
    assert_string_equal(brisa_mqtt_connack_str(1), "unacceptable protocol version");
    assert_string_equal(brisa_mqtt_connack_str(2), "identifier rejected");
    assert_string_equal(brisa_mqtt_connack_str(3), "server unavailable");
    assert_string_equal(brisa_mqtt_connack_str(4), "bad user name or password");
    assert_string_equal(brisa_mqtt_connack_str(5), "not authorized");
    assert_string_equal(brisa_mqtt_connack_str(6), "unknown return code");
    assert_string_equal(brisa_mqtt_connack_str(-1), "unknown return code");
    assert_string_equal(brisa_mqtt_packet_name(BRISA_MQTT_PUBLISH), "PUBLISH");
    assert_string_equal(brisa_mqtt_packet_name(BRISA_MQTT_PINGRESP), "PINGRESP");
    assert_string_equal(brisa_mqtt_packet_name(16), "UNKNOWN");
}

/* ---- PUBLISH ------------------------------------------------------------- */

static int enc_publish(const void *arg, uint8_t *buf, size_t size)
{
    return brisa_mqtt_publish_encode(&V311, arg, buf, size);
}

static void test_publish_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *vec, *payload;
        uint8_t qos;
        bool retain, dup;
        uint16_t id;
    } cases[] = {
        { "30 07 00 03 61 2f 62 68 69", "hi", 0, false, false, 0 },
        { "33 09 00 03 61 2f 62 00 0a 68 69", "hi", 1, true, false, 10 },
        { "3c 0a 00 03 61 2f 62 12 34 78 79 7a", "xyz", 2, false, true, 0x1234 },
        { "30 05 00 03 61 2f 62", "", 0, false, false, 0 },
        { "31 05 00 03 61 2f 62", "", 0, true, false, 0 }, /* retained delete */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        brisa_mqtt_packet p;
        uint8_t buf[64];
        size_t len;
        decode_vec(&V311, cases[i].vec, &p, buf, &len);
        const brisa_mqtt_publish_packet *d = &p.u.publish;
        size_t plen = strlen(cases[i].payload);
        assert_int_equal(p.type, BRISA_MQTT_PUBLISH);
        assert_int_equal(d->topic.len, 3);
        assert_memory_equal(d->topic.data, "a/b", 3);
        assert_int_equal(d->qos, cases[i].qos);
        assert_int_equal(d->retain, cases[i].retain);
        assert_int_equal(d->dup, cases[i].dup);
        assert_int_equal(d->packet_id, cases[i].id);
        assert_int_equal(d->payload_len, plen);
        if (plen)
            assert_memory_equal(d->payload, cases[i].payload, plen);
        brisa_mqtt_publish_packet e = {
            .topic = { "a/b", 3 }, .qos = cases[i].qos, .retain = cases[i].retain,
            .dup = cases[i].dup, .packet_id = cases[i].id,
            .payload = (const uint8_t *)cases[i].payload, .payload_len = plen,
        };
        expect_encoding(enc_publish, &e, cases[i].vec);
        /* Header-only: same bytes minus the payload, same remaining length. */
        uint8_t hdr[64];
        int hl = brisa_mqtt_publish_encode_header(&V311, &e, hdr, sizeof hdr);
        assert_int_equal(hl, (int)(len - plen));
        assert_memory_equal(hdr, buf, len - plen);
    }
}

static void test_publish_header_view(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t len = hex("32 0d 00 03 61 2f 62 00 07 31 32 33 34 35 36", buf, sizeof buf);
    brisa_mqtt_fixed_header fh;
    assert_int_equal(brisa_mqtt_fixed_header_decode(&V311, buf, len, &fh), 2);
    assert_int_equal(fh.remaining, 13);
    brisa_mqtt_publish_packet p;
    /* Fewer bytes than topic + id: "read more". */
    for (size_t avail = 0; avail < 7; avail++)
        assert_int_equal(brisa_mqtt_publish_header_decode(&V311, buf[0], buf + 2, avail, 13, &p), 0);
    assert_int_equal(brisa_mqtt_publish_header_decode(&V311, buf[0], buf + 2, 9, 13, &p), 7);
    assert_int_equal(p.packet_id, 7);
    assert_int_equal(p.qos, 1);
    assert_int_equal(p.payload_len, 6);
    assert_memory_equal(p.payload, "12", 2);
    /* A topic longer than the packet is malformed, not "read more". */
    assert_int_equal(brisa_mqtt_publish_header_decode(&V311, buf[0], buf + 2, 4, 5, &p),
                     BRISA_ERR_MALFORMED);
}

static void test_publish_encode_refusals(void **state)
{
    (void)state;
    uint8_t buf[64];
    brisa_mqtt_publish_packet p = { .topic = { "a/+", 3 } };
    assert_int_equal(brisa_mqtt_publish_encode(&V311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.topic.data = "a/#";
    assert_int_equal(brisa_mqtt_publish_encode(&V311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.topic.data = "a/b";
    p.topic.len = 0;
    assert_int_equal(brisa_mqtt_publish_encode(&V311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.topic.len = 3;
    p.qos = 1; /* packet id 0 */
    assert_int_equal(brisa_mqtt_publish_encode(&V311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.qos = 3;
    p.packet_id = 1;
    assert_int_equal(brisa_mqtt_publish_encode(&V311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.qos = 0;
    p.dup = true;
    assert_int_equal(brisa_mqtt_publish_encode(&V311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
}

/* ---- acknowledgements, SUBSCRIBE, UNSUBSCRIBE, pings ---------------------- */

static uint8_t ack_type;

static int enc_ack(const void *arg, uint8_t *buf, size_t size)
{
    return brisa_mqtt_ack_encode(&V311, ack_type, arg, buf, size);
}

static void test_acks(void **state)
{
    (void)state;
    static const struct { uint8_t type; const char *vec; } cases[] = {
        { BRISA_MQTT_PUBACK, "40 02 00 0a" },
        { BRISA_MQTT_PUBREC, "50 02 00 0a" },
        { BRISA_MQTT_PUBREL, "62 02 00 0a" },
        { BRISA_MQTT_PUBCOMP, "70 02 00 0a" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        brisa_mqtt_packet p;
        uint8_t buf[16];
        size_t len;
        decode_vec(&V311, cases[i].vec, &p, buf, &len);
        assert_int_equal(p.type, cases[i].type);
        assert_int_equal(p.u.ack.packet_id, 10);
        brisa_mqtt_ack_packet e = { .packet_id = 10 };
        ack_type = cases[i].type;
        expect_encoding(enc_ack, &e, cases[i].vec);
        e.packet_id = 0;
        assert_int_equal(enc_ack(&e, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    }
    brisa_mqtt_ack_packet e = { .packet_id = 1 };
    uint8_t buf[8];
    assert_int_equal(brisa_mqtt_ack_encode(&V311, BRISA_MQTT_SUBACK, &e, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    /* MQTT 3.1 marked resent PUBRELs with DUP. */
    brisa_mqtt_packet p;
    size_t len;
    decode_vec(&V31, "6a 02 00 0a", &p, buf, &len);
    assert_int_equal(p.type, BRISA_MQTT_PUBREL);
}

static int enc_subscribe(const void *arg, uint8_t *buf, size_t size)
{
    return brisa_mqtt_subscribe_encode(&V311, 1, arg, 2, buf, size);
}

static void test_subscribe(void **state)
{
    (void)state;
    const char *vec = "82 0e 00 01 00 03 61 2f 62 01 00 03 63 2f 23 02";
    brisa_mqtt_packet p;
    uint8_t buf[64];
    size_t len;
    decode_vec(&V311, vec, &p, buf, &len);
    assert_int_equal(p.type, BRISA_MQTT_SUBSCRIBE);
    assert_int_equal(p.u.subscribe.packet_id, 1);
    assert_int_equal(p.u.subscribe.filters.count, 2);
    size_t pos = 0;
    brisa_mqtt_str f;
    uint8_t opt;
    assert_true(brisa_mqtt_filter_list_next(&p.u.subscribe.filters, &pos, &f, &opt));
    assert_int_equal(f.len, 3);
    assert_memory_equal(f.data, "a/b", 3);
    assert_int_equal(opt, 1);
    assert_true(brisa_mqtt_filter_list_next(&p.u.subscribe.filters, &pos, &f, &opt));
    assert_memory_equal(f.data, "c/#", 3);
    assert_int_equal(opt, 2);
    assert_false(brisa_mqtt_filter_list_next(&p.u.subscribe.filters, &pos, &f, &opt));

    brisa_mqtt_subscription subs[] = { { "a/b", 1 }, { "c/#", 2 } };
    expect_encoding(enc_subscribe, subs, vec);
    assert_int_equal(brisa_mqtt_subscribe_encode(&V311, 1, subs, 0, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_subscribe_encode(&V311, 0, subs, 2, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    brisa_mqtt_subscription bad[] = { { "a/#/b", 0 } };
    assert_int_equal(brisa_mqtt_subscribe_encode(&V311, 1, bad, 1, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    brisa_mqtt_subscription q3[] = { { "a", 3 } };
    assert_int_equal(brisa_mqtt_subscribe_encode(&V311, 1, q3, 1, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
}

static int enc_suback(const void *arg, uint8_t *buf, size_t size)
{
    return brisa_mqtt_suback_encode(&V311, arg, buf, size);
}

static void test_suback(void **state)
{
    (void)state;
    const char *vec = "90 06 00 01 00 01 02 80";
    brisa_mqtt_packet p;
    uint8_t buf[64];
    size_t len;
    decode_vec(&V311, vec, &p, buf, &len);
    assert_int_equal(p.type, BRISA_MQTT_SUBACK);
    assert_int_equal(p.u.suback.packet_id, 1);
    assert_int_equal(p.u.suback.count, 4);
    assert_memory_equal(p.u.suback.codes, "\x00\x01\x02\x80", 4);
    const uint8_t codes[] = { 0, 1, 2, 0x80 };
    brisa_mqtt_suback_packet e = { .packet_id = 1, .codes = codes, .count = 4 };
    expect_encoding(enc_suback, &e, vec);
    const uint8_t bad[] = { 3 };
    brisa_mqtt_suback_packet eb = { .packet_id = 1, .codes = bad, .count = 1 };
    assert_int_equal(brisa_mqtt_suback_encode(&V311, &eb, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
}

static int enc_unsubscribe(const void *arg, uint8_t *buf, size_t size)
{
    return brisa_mqtt_unsubscribe_encode(&V311, 2, arg, 2, buf, size);
}

static int enc_unsuback(const void *arg, uint8_t *buf, size_t size)
{
    return brisa_mqtt_unsuback_encode(&V311, arg, buf, size);
}

static void test_unsubscribe_unsuback(void **state)
{
    (void)state;
    const char *vec = "a2 0a 00 02 00 03 61 2f 62 00 01 23";
    brisa_mqtt_packet p;
    uint8_t buf[64];
    size_t len;
    decode_vec(&V311, vec, &p, buf, &len);
    assert_int_equal(p.type, BRISA_MQTT_UNSUBSCRIBE);
    assert_int_equal(p.u.subscribe.packet_id, 2);
    assert_int_equal(p.u.subscribe.filters.count, 2);
    size_t pos = 0;
    brisa_mqtt_str f;
    uint8_t opt = 9;
    assert_true(brisa_mqtt_filter_list_next(&p.u.subscribe.filters, &pos, &f, &opt));
    assert_int_equal(opt, 0);
    assert_true(brisa_mqtt_filter_list_next(&p.u.subscribe.filters, &pos, &f, NULL));
    assert_int_equal(f.len, 1);
    assert_memory_equal(f.data, "#", 1);
    assert_false(brisa_mqtt_filter_list_next(&p.u.subscribe.filters, &pos, &f, NULL));
    const char *filters[] = { "a/b", "#" };
    expect_encoding(enc_unsubscribe, filters, vec);

    decode_vec(&V311, "b0 02 00 02", &p, buf, &len);
    assert_int_equal(p.type, BRISA_MQTT_UNSUBACK);
    assert_int_equal(p.u.suback.packet_id, 2);
    assert_int_equal(p.u.suback.count, 0);
    brisa_mqtt_suback_packet e = { .packet_id = 2 };
    expect_encoding(enc_unsuback, &e, "b0 02 00 02");
}

static int empty_type;

static int enc_empty(const void *arg, uint8_t *buf, size_t size)
{
    (void)arg;
    return brisa_mqtt_empty_encode(&V311, (uint8_t)empty_type, buf, size);
}

static void test_empty_packets(void **state)
{
    (void)state;
    static const struct { int type; const char *vec; } cases[] = {
        { BRISA_MQTT_PINGREQ, "c0 00" },
        { BRISA_MQTT_PINGRESP, "d0 00" },
        { BRISA_MQTT_DISCONNECT, "e0 00" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        brisa_mqtt_packet p;
        uint8_t buf[8];
        size_t len;
        decode_vec(&V311, cases[i].vec, &p, buf, &len);
        assert_int_equal(p.type, cases[i].type);
        empty_type = cases[i].type;
        expect_encoding(enc_empty, NULL, cases[i].vec);
    }
    uint8_t buf[8];
    assert_int_equal(brisa_mqtt_empty_encode(&V311, BRISA_MQTT_PUBACK, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
}

/* ---- malformed input ------------------------------------------------------ */

static void test_malformed(void **state)
{
    (void)state;
    static const struct { const char *why, *vec; int err; } cases[] = {
        { "type 0", "00 00", BRISA_ERR_MALFORMED },
        { "AUTH in 3.1.1", "f0 00", BRISA_ERR_MALFORMED },
        { "5-byte length", "c0 80 80 80 80 01", BRISA_ERR_MALFORMED },
        { "length past buffer", "30 ff ff ff 7f 00", BRISA_ERR_MALFORMED },
        { "truncated body", "30 05 00 03 61", BRISA_ERR_MALFORMED },
        { "header cut", "30", BRISA_ERR_MALFORMED },
        { "empty input", "", BRISA_ERR_MALFORMED },
        { "PINGREQ flags", "c1 00", BRISA_ERR_MALFORMED },
        { "PINGREQ trailing", "c0 01 00", BRISA_ERR_MALFORMED },
        { "PINGRESP trailing", "d0 01 00", BRISA_ERR_MALFORMED },
        { "DISCONNECT flags", "e2 00", BRISA_ERR_MALFORMED },
        { "DISCONNECT trailing", "e0 01 00", BRISA_ERR_MALFORMED },
        /* CONNACK */
        { "CONNACK flags", "21 02 00 00", BRISA_ERR_MALFORMED },
        { "CONNACK reserved bits", "20 02 02 00", BRISA_ERR_MALFORMED },
        { "CONNACK session with refusal", "20 02 01 04", BRISA_ERR_MALFORMED },
        { "CONNACK reserved code", "20 02 00 06", BRISA_ERR_MALFORMED },
        { "CONNACK trailing", "20 03 00 00 00", BRISA_ERR_MALFORMED },
        { "CONNACK short", "20 01 00", BRISA_ERR_MALFORMED },
        /* PUBLISH */
        { "QoS 3", "36 07 00 03 61 2f 62 68 69", BRISA_ERR_MALFORMED },
        { "DUP at QoS 0", "38 07 00 03 61 2f 62 68 69", BRISA_ERR_MALFORMED },
        { "'+' in topic", "30 07 00 03 61 2b 62 68 69", BRISA_ERR_MALFORMED },
        { "'#' in topic", "30 07 00 03 61 2f 23 68 69", BRISA_ERR_MALFORMED },
        { "empty topic", "30 02 00 00", BRISA_ERR_MALFORMED },
        { "packet id 0", "32 07 00 03 61 2f 62 00 00", BRISA_ERR_MALFORMED },
        { "topic past end", "30 04 00 03 61 2f", BRISA_ERR_MALFORMED },
        { "QoS 1 without id", "32 05 00 03 61 2f 62", BRISA_ERR_MALFORMED },
        { "length 1", "30 01 00", BRISA_ERR_MALFORMED },
        { "overlong NUL", "30 04 00 02 c0 80", BRISA_ERR_MALFORMED },
        { "overlong 3-byte", "30 05 00 03 e0 80 80", BRISA_ERR_MALFORMED },
        { "overlong 4-byte", "30 06 00 04 f0 80 80 80", BRISA_ERR_MALFORMED },
        { "surrogate D800", "30 05 00 03 ed a0 80", BRISA_ERR_MALFORMED },
        { "surrogate DFFF", "30 05 00 03 ed bf bf", BRISA_ERR_MALFORMED },
        { "above U+10FFFF", "30 06 00 04 f4 90 80 80", BRISA_ERR_MALFORMED },
        { "F5 lead", "30 06 00 04 f5 80 80 80", BRISA_ERR_MALFORMED },
        { "U+0000", "30 05 00 03 61 00 62", BRISA_ERR_MALFORMED },
        { "lone continuation", "30 03 00 01 80", BRISA_ERR_MALFORMED },
        { "cut sequence", "30 04 00 02 e2 82", BRISA_ERR_MALFORMED },
        { "0xFF byte", "30 03 00 01 ff", BRISA_ERR_MALFORMED },
        /* PUBACK, PUBREC, PUBREL, PUBCOMP */
        { "PUBACK flags", "42 02 00 0a", BRISA_ERR_MALFORMED },
        { "PUBACK id 0", "40 02 00 00", BRISA_ERR_MALFORMED },
        { "PUBACK trailing", "40 03 00 0a 00", BRISA_ERR_MALFORMED },
        { "PUBACK short", "40 01 0a", BRISA_ERR_MALFORMED },
        { "PUBREC flags", "52 02 00 0a", BRISA_ERR_MALFORMED },
        { "PUBREC id 0", "50 02 00 00", BRISA_ERR_MALFORMED },
        { "PUBREL flags 0", "60 02 00 0a", BRISA_ERR_MALFORMED },
        { "PUBREL DUP in 3.1.1", "6a 02 00 0a", BRISA_ERR_MALFORMED },
        { "PUBREL id 0", "62 02 00 00", BRISA_ERR_MALFORMED },
        { "PUBCOMP flags", "72 02 00 0a", BRISA_ERR_MALFORMED },
        { "PUBCOMP empty", "70 00", BRISA_ERR_MALFORMED },
        /* SUBSCRIBE */
        { "SUBSCRIBE flags 0", "80 08 00 01 00 03 61 2f 62 01", BRISA_ERR_MALFORMED },
        { "SUBSCRIBE no filters", "82 02 00 01", BRISA_ERR_MALFORMED },
        { "SUBSCRIBE id 0", "82 08 00 00 00 03 61 2f 62 01", BRISA_ERR_MALFORMED },
        { "SUBSCRIBE QoS 3", "82 08 00 01 00 03 61 2f 62 03", BRISA_ERR_MALFORMED },
        { "SUBSCRIBE reserved bits", "82 08 00 01 00 03 61 2f 62 04", BRISA_ERR_MALFORMED },
        { "SUBSCRIBE no options", "82 07 00 01 00 03 61 2f 62", BRISA_ERR_MALFORMED },
        { "SUBSCRIBE '#' not last", "82 0a 00 01 00 05 61 2f 23 2f 62 00", BRISA_ERR_MALFORMED },
        { "SUBSCRIBE '+' in level", "82 07 00 01 00 02 61 2b 00", BRISA_ERR_MALFORMED },
        { "SUBSCRIBE empty filter", "82 05 00 01 00 00 00", BRISA_ERR_MALFORMED },
        { "SUBSCRIBE filter past end", "82 08 00 01 00 04 61 2f 62 01", BRISA_ERR_MALFORMED },
        /* SUBACK */
        { "SUBACK code 3", "90 03 00 01 03", BRISA_ERR_MALFORMED },
        { "SUBACK code 0x81", "90 03 00 01 81", BRISA_ERR_MALFORMED },
        { "SUBACK no codes", "90 02 00 01", BRISA_ERR_MALFORMED },
        { "SUBACK flags", "91 03 00 01 00", BRISA_ERR_MALFORMED },
        { "SUBACK id 0", "90 03 00 00 00", BRISA_ERR_MALFORMED },
        /* UNSUBSCRIBE, UNSUBACK */
        { "UNSUBSCRIBE flags 0", "a0 07 00 02 00 03 61 2f 62", BRISA_ERR_MALFORMED },
        { "UNSUBSCRIBE no filters", "a2 02 00 02", BRISA_ERR_MALFORMED },
        { "UNSUBSCRIBE cut filter", "a2 06 00 02 00 03 61 2f", BRISA_ERR_MALFORMED },
        { "UNSUBSCRIBE id 0", "a2 07 00 00 00 03 61 2f 62", BRISA_ERR_MALFORMED },
        { "UNSUBACK trailing", "b0 03 00 02 00", BRISA_ERR_MALFORMED },
        { "UNSUBACK id 0", "b0 02 00 00", BRISA_ERR_MALFORMED },
        { "UNSUBACK flags", "b1 02 00 02", BRISA_ERR_MALFORMED },
        /* CONNECT */
        { "CONNECT flags", "11 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 61", BRISA_ERR_MALFORMED },
        { "CONNECT reserved bit", "10 0d 00 04 4d 51 54 54 04 03 00 3c 00 01 61",
          BRISA_ERR_MALFORMED },
        { "CONNECT will QoS 3", "10 0d 00 04 4d 51 54 54 04 1e 00 3c 00 01 61",
          BRISA_ERR_MALFORMED },
        { "will QoS without will", "10 0d 00 04 4d 51 54 54 04 0a 00 3c 00 01 61",
          BRISA_ERR_MALFORMED },
        { "will retain without will", "10 0d 00 04 4d 51 54 54 04 22 00 3c 00 01 61",
          BRISA_ERR_MALFORMED },
        { "password without user",
          "10 10 00 04 4d 51 54 54 04 42 00 3c 00 01 61 00 01 70", BRISA_ERR_MALFORMED },
        { "protocol name", "10 0d 00 04 4d 51 54 58 04 02 00 3c 00 01 61", BRISA_ERR_MALFORMED },
        { "CONNECT trailing", "10 0e 00 04 4d 51 54 54 04 02 00 3c 00 01 61 00",
          BRISA_ERR_MALFORMED },
        { "client id past end", "10 0d 00 04 4d 51 54 54 04 02 00 3c 00 02 61",
          BRISA_ERR_MALFORMED },
        { "client id UTF-8", "10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 ff",
          BRISA_ERR_MALFORMED },
        { "will topic wildcard",
          "10 14 00 04 4d 51 54 54 04 06 00 3c 00 01 61 00 03 61 2f 23 00 00",
          BRISA_ERR_MALFORMED },
        { "will payload missing", "10 12 00 04 4d 51 54 54 04 06 00 3c 00 01 61 00 03 61 2f 62",
          BRISA_ERR_MALFORMED },
        { "CONNECT cut in keepalive", "10 09 00 04 4d 51 54 54 04 02 00", BRISA_ERR_MALFORMED },
        /* Well-formed, but a level this build does not speak: a broker
         * would answer CONNACK 1, so it is not "malformed". */
        { "MQTT level 3", "10 0d 00 04 4d 51 54 54 03 02 00 3c 00 01 61", BRISA_ERR_UNSUPPORTED },
        { "MQTT level 6", "10 0d 00 04 4d 51 54 54 06 02 00 3c 00 01 61", BRISA_ERR_UNSUPPORTED },
        { "MQIsdp level 4",
          "10 0f 00 06 4d 51 49 73 64 70 04 02 00 3c 00 01 61", BRISA_ERR_UNSUPPORTED },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t buf[64];
        size_t len = hex(cases[i].vec, buf, sizeof buf);
        /* Exact-size copy so a read past the end is caught by ASan. */
        uint8_t *exact = malloc(len ? len : 1);
        assert_non_null(exact);
        memcpy(exact, buf, len);
        brisa_mqtt_packet p;
        int got = brisa_mqtt_packet_decode(&V311, exact, len, &p);
        if (got != cases[i].err)
            fail_msg("%s: %s gave %d, want %d", cases[i].why, cases[i].vec, got, cases[i].err);
        free(exact);
    }
}

/* Without MQTT 5 built, level 5 is refused; AUTH never exists in 3.1.1. */
static void test_mqtt5_reserved(void **state)
{
    (void)state;
    uint8_t buf[16];
    size_t len = hex("c0 00", buf, sizeof buf);
    brisa_mqtt_packet p;
#if !BRISA_MQTT5
    brisa_mqtt_codec v5 = { BRISA_MQTT_V5 };
    assert_int_equal(brisa_mqtt_packet_decode(&v5, buf, len, &p), BRISA_ERR_UNSUPPORTED);
    assert_int_equal(brisa_mqtt_empty_encode(&v5, BRISA_MQTT_PINGREQ, buf, sizeof buf),
                     BRISA_ERR_UNSUPPORTED);
#endif
    uint8_t auth[2] = { 0xF0, 0x00 };
    assert_int_equal(brisa_mqtt_packet_decode(&V311, auth, 2, &p), BRISA_ERR_MALFORMED);
    /* A NULL context means MQTT 3.1.1. */
    assert_int_equal(brisa_mqtt_packet_decode(NULL, buf, len, &p), 2);
}

static void test_packet_followed_by_more(void **state)
{
    (void)state;
    uint8_t buf[16];
    size_t len = hex("40 02 00 0a d0 00", buf, sizeof buf);
    brisa_mqtt_packet p;
    assert_int_equal(brisa_mqtt_packet_decode(&V311, buf, len, &p), 4);
    assert_int_equal(brisa_mqtt_packet_decode(&V311, buf + 4, len - 4, &p), 2);
    assert_int_equal(p.type, BRISA_MQTT_PINGRESP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vbi_boundaries),
        cmocka_unit_test(test_remaining_length_in_packets),
        cmocka_unit_test(test_fixed_header_needs_more),
        cmocka_unit_test(test_connect_minimal),
        cmocka_unit_test(test_connect_full),
        cmocka_unit_test(test_connect_mqtt31),
        cmocka_unit_test(test_connect_encode_refusals),
        cmocka_unit_test(test_connack),
        cmocka_unit_test(test_connack_strings),
        cmocka_unit_test(test_publish_vectors),
        cmocka_unit_test(test_publish_header_view),
        cmocka_unit_test(test_publish_encode_refusals),
        cmocka_unit_test(test_acks),
        cmocka_unit_test(test_subscribe),
        cmocka_unit_test(test_suback),
        cmocka_unit_test(test_unsubscribe_unsuback),
        cmocka_unit_test(test_empty_packets),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_mqtt5_reserved),
        cmocka_unit_test(test_packet_followed_by_more),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
