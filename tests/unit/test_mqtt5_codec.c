// SPDX-License-Identifier: MIT
/* Tests for the MQTT 5 half of the codec (src/mqtt/codec*.c): byte
 * vectors written from the MQTT 5.0 specification for every property and
 * every packet, in both directions, the reason code table, and each
 * malformed form the decoder must refuse (property not allowed in its
 * packet, duplicate, length past the packet, VBI over four bytes, invalid
 * UTF-8 and U+0000, reason code not allowed for the packet). */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "brisa/mqtt_codec.h"
#include "mqtt_fakes.h"

static const brisa_mqtt_codec V5 = { BRISA_MQTT_V5 };

/* A packet from its first byte and body (the remaining length is worked
 * out here, so the vectors show only what the specification lays out). */
static size_t frame(uint8_t first, const char *body_hex, uint8_t *out, size_t max)
{
    uint8_t body[600];
    size_t n = hex(body_hex, body, sizeof body);
    out[0] = first;
    int hl = brisa_mqtt_vbi_encode((uint32_t)n, out + 1, 4);
    assert_true(hl > 0 && 1 + (size_t)hl + n <= max);
    memcpy(out + 1 + hl, body, n);
    return 1 + (size_t)hl + n;
}

static int decode5(uint8_t first, const char *body_hex, brisa_mqtt_packet *p, uint8_t *buf)
{
    size_t len = frame(first, body_hex, buf, 700);
    int n = brisa_mqtt_packet_decode(&V5, buf, len, p);
    if (n > 0)
        assert_int_equal(n, (int)len);
    return n > 0 ? 0 : n;
}

/* Encoder output must equal the framed vector. */
static void expect_bytes(int n, const uint8_t *got, uint8_t first, const char *body_hex)
{
    uint8_t want[700];
    size_t len = frame(first, body_hex, want, sizeof want);
    assert_int_equal(n, (int)len);
    assert_memory_equal(got, want, len);
}

static brisa_mqtt_properties block(const uint8_t *b, size_t len)
{
    brisa_mqtt_properties pr = { b, len, NULL, 0 };
    return pr;
}

/* ---- properties --------------------------------------------------------- */

/* Every property of section 2.2.2.2 built, walked back and checked where
 * it is allowed and where it is not. */
static void test_every_property(void **state)
{
    (void)state;
    static const struct {
        uint8_t id;
        uint32_t value;
        const char *s1, *s2, *bytes;
        brisa_mqtt_prop_where ok, bad;
    } cases[] = {
        { 0x01, 1, NULL, NULL, "01 01", BRISA_MQTT_IN_PUBLISH, BRISA_MQTT_IN_CONNECT },
        { 0x02, 3600, NULL, NULL, "02 00 00 0e 10", BRISA_MQTT_IN_WILL, BRISA_MQTT_IN_CONNACK },
        { 0x03, 0, "text/x", NULL, "03 00 06 74 65 78 74 2f 78", BRISA_MQTT_IN_PUBLISH,
          BRISA_MQTT_IN_SUBSCRIBE },
        { 0x08, 0, "r/1", NULL, "08 00 03 72 2f 31", BRISA_MQTT_IN_WILL, BRISA_MQTT_IN_ACK },
        { 0x09, 0, "\x01\x02", NULL, "09 00 02 01 02", BRISA_MQTT_IN_PUBLISH,
          BRISA_MQTT_IN_DISCONNECT },
        { 0x0B, 268435455, NULL, NULL, "0b ff ff ff 7f", BRISA_MQTT_IN_SUBSCRIBE,
          BRISA_MQTT_IN_SUBACK },
        { 0x11, 0xFFFFFFFF, NULL, NULL, "11 ff ff ff ff", BRISA_MQTT_IN_DISCONNECT,
          BRISA_MQTT_IN_PUBLISH },
        { 0x12, 0, "id", NULL, "12 00 02 69 64", BRISA_MQTT_IN_CONNACK, BRISA_MQTT_IN_CONNECT },
        { 0x13, 30, NULL, NULL, "13 00 1e", BRISA_MQTT_IN_CONNACK, BRISA_MQTT_IN_CONNECT },
        { 0x15, 0, "SCRAM-SHA-256", NULL,
          "15 00 0d 53 43 52 41 4d 2d 53 48 41 2d 32 35 36", BRISA_MQTT_IN_AUTH,
          BRISA_MQTT_IN_PUBLISH },
        { 0x16, 0, "n,,", NULL, "16 00 03 6e 2c 2c", BRISA_MQTT_IN_CONNECT,
          BRISA_MQTT_IN_DISCONNECT },
        { 0x17, 0, NULL, NULL, "17 00", BRISA_MQTT_IN_CONNECT, BRISA_MQTT_IN_CONNACK },
        { 0x18, 10, NULL, NULL, "18 00 00 00 0a", BRISA_MQTT_IN_WILL, BRISA_MQTT_IN_CONNECT },
        { 0x19, 1, NULL, NULL, "19 01", BRISA_MQTT_IN_CONNECT, BRISA_MQTT_IN_CONNACK },
        { 0x1A, 0, "resp/", NULL, "1a 00 05 72 65 73 70 2f", BRISA_MQTT_IN_CONNACK,
          BRISA_MQTT_IN_CONNECT },
        { 0x1C, 0, "other:1883", NULL, "1c 00 0a 6f 74 68 65 72 3a 31 38 38 33",
          BRISA_MQTT_IN_DISCONNECT, BRISA_MQTT_IN_AUTH },
        { 0x1F, 0, "why", NULL, "1f 00 03 77 68 79", BRISA_MQTT_IN_ACK,
          BRISA_MQTT_IN_CONNECT },
        { 0x21, 20, NULL, NULL, "21 00 14", BRISA_MQTT_IN_CONNECT, BRISA_MQTT_IN_PUBLISH },
        { 0x22, 10, NULL, NULL, "22 00 0a", BRISA_MQTT_IN_CONNACK, BRISA_MQTT_IN_PUBLISH },
        { 0x23, 1, NULL, NULL, "23 00 01", BRISA_MQTT_IN_PUBLISH, BRISA_MQTT_IN_WILL },
        { 0x24, 1, NULL, NULL, "24 01", BRISA_MQTT_IN_CONNACK, BRISA_MQTT_IN_CONNECT },
        { 0x25, 0, NULL, NULL, "25 00", BRISA_MQTT_IN_CONNACK, BRISA_MQTT_IN_CONNECT },
        { 0x26, 0, "k", "v", "26 00 01 6b 00 01 76", BRISA_MQTT_IN_UNSUBACK, 99 },
        { 0x27, 1024, NULL, NULL, "27 00 00 04 00", BRISA_MQTT_IN_CONNECT,
          BRISA_MQTT_IN_PUBLISH },
        { 0x28, 1, NULL, NULL, "28 01", BRISA_MQTT_IN_CONNACK, BRISA_MQTT_IN_CONNECT },
        { 0x29, 1, NULL, NULL, "29 01", BRISA_MQTT_IN_CONNACK, BRISA_MQTT_IN_CONNECT },
        { 0x2A, 0, NULL, NULL, "2a 00", BRISA_MQTT_IN_CONNACK, BRISA_MQTT_IN_CONNECT },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        brisa_mqtt_property p = { .id = cases[i].id, .value = cases[i].value };
        if (cases[i].s1) {
            p.data.data = (const uint8_t *)cases[i].s1;
            p.data.len = strlen(cases[i].s1);
        }
        if (cases[i].s2) {
            p.value2.data = (const uint8_t *)cases[i].s2;
            p.value2.len = strlen(cases[i].s2);
        }
        uint8_t buf[64], want[64];
        size_t used = 0, len = hex(cases[i].bytes, want, sizeof want);
        assert_true(brisa_mqtt_prop_type(cases[i].id) > 0);
        assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &p), BRISA_OK);
        assert_int_equal(used, len);
        assert_memory_equal(buf, want, len);
        /* Exactly the room it needs, no less. */
        size_t small = 0;
        assert_int_equal(brisa_mqtt_prop_put(buf, len - 1, &small, &p), BRISA_ERR_NO_SPACE);
        brisa_mqtt_properties pr = block(want, len);
        brisa_mqtt_property back;
        size_t pos = 0;
        assert_true(brisa_mqtt_prop_next(&pr, &pos, &back));
        assert_int_equal(back.id, cases[i].id);
        assert_int_equal(back.value, cases[i].value);
        assert_int_equal(back.data.len, p.data.len);
        assert_int_equal(back.value2.len, p.value2.len);
        assert_false(brisa_mqtt_prop_next(&pr, &pos, &back));
        assert_int_equal(brisa_mqtt_props_check(cases[i].ok, &pr), BRISA_OK);
        if (cases[i].bad != 99)
            assert_int_equal(brisa_mqtt_props_check(cases[i].bad, &pr), BRISA_ERR_MALFORMED);
    }
    /* Identifiers MQTT 5 does not define. */
    static const uint8_t undefined[] = { 0x00, 0x04, 0x0A, 0x14, 0x20, 0x2B, 0xFF };
    for (size_t i = 0; i < sizeof undefined; i++) {
        assert_int_equal(brisa_mqtt_prop_type(undefined[i]), 0);
        brisa_mqtt_property p = { .id = undefined[i] };
        size_t used = 0;
        uint8_t buf[8];
        assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &p), BRISA_ERR_INVALID_ARG);
        uint8_t raw[2] = { undefined[i], 0 };
        brisa_mqtt_properties pr = block(raw, 2);
        assert_int_equal(brisa_mqtt_props_check(BRISA_MQTT_IN_PUBLISH, &pr), BRISA_ERR_MALFORMED);
    }
}

static void test_property_rules(void **state)
{
    (void)state;
    static const struct {
        const char *why, *bytes;
        brisa_mqtt_prop_where where;
        int err;
    } cases[] = {
        { "two user properties", "26 00 01 61 00 00 26 00 01 61 00 00", BRISA_MQTT_IN_PUBLISH, 0 },
        { "two subscription ids in PUBLISH", "0b 01 0b 02", BRISA_MQTT_IN_PUBLISH, 0 },
        { "two subscription ids in SUBSCRIBE", "0b 01 0b 02", BRISA_MQTT_IN_SUBSCRIBE,
          BRISA_ERR_PROTOCOL },
        { "message expiry twice", "02 00 00 00 01 02 00 00 00 01", BRISA_MQTT_IN_PUBLISH,
          BRISA_ERR_PROTOCOL },
        { "reason string twice", "1f 00 00 1f 00 00", BRISA_MQTT_IN_ACK, BRISA_ERR_PROTOCOL },
        { "receive maximum 0", "21 00 00", BRISA_MQTT_IN_CONNACK, BRISA_ERR_PROTOCOL },
        { "maximum packet size 0", "27 00 00 00 00", BRISA_MQTT_IN_CONNECT, BRISA_ERR_PROTOCOL },
        { "topic alias 0", "23 00 00", BRISA_MQTT_IN_PUBLISH, BRISA_ERR_PROTOCOL },
        { "subscription id 0", "0b 00", BRISA_MQTT_IN_SUBSCRIBE, BRISA_ERR_PROTOCOL },
        { "payload format 2", "01 02", BRISA_MQTT_IN_PUBLISH, BRISA_ERR_PROTOCOL },
        { "maximum QoS 2", "24 02", BRISA_MQTT_IN_CONNACK, BRISA_ERR_PROTOCOL },
        { "retain available 2", "25 02", BRISA_MQTT_IN_CONNACK, BRISA_ERR_PROTOCOL },
        { "request problem info 2", "17 02", BRISA_MQTT_IN_CONNECT, BRISA_ERR_PROTOCOL },
        { "response topic with a wildcard", "08 00 03 61 2f 23", BRISA_MQTT_IN_PUBLISH,
          BRISA_ERR_PROTOCOL },
        { "cut inside a u32", "02 00 00 01", BRISA_MQTT_IN_PUBLISH, BRISA_ERR_MALFORMED },
        { "cut inside a string", "03 00 05 61 62", BRISA_MQTT_IN_PUBLISH, BRISA_ERR_MALFORMED },
        { "string length cut", "03 00", BRISA_MQTT_IN_PUBLISH, BRISA_ERR_MALFORMED },
        { "user property without value", "26 00 01 61", BRISA_MQTT_IN_PUBLISH,
          BRISA_ERR_MALFORMED },
        { "VBI over four bytes", "0b ff ff ff ff 01", BRISA_MQTT_IN_PUBLISH,
          BRISA_ERR_MALFORMED },
        { "VBI cut", "0b ff", BRISA_MQTT_IN_PUBLISH, BRISA_ERR_MALFORMED },
        { "VBI longer than its value needs", "0b 81 00", BRISA_MQTT_IN_PUBLISH,
          BRISA_ERR_MALFORMED },
        { "invalid UTF-8", "03 00 02 c3 28", BRISA_MQTT_IN_PUBLISH, BRISA_ERR_MALFORMED },
        { "U+0000 in a string", "1f 00 02 61 00", BRISA_MQTT_IN_ACK, BRISA_ERR_MALFORMED },
        { "surrogate in a user property", "26 00 01 61 00 03 ed a0 80", BRISA_MQTT_IN_ACK,
          BRISA_ERR_MALFORMED },
        { "binary data may hold anything", "09 00 02 00 ff", BRISA_MQTT_IN_PUBLISH, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t raw[64];
        size_t len = hex(cases[i].bytes, raw, sizeof raw);
        brisa_mqtt_properties pr = block(raw, len);
        int got = brisa_mqtt_props_check(cases[i].where, &pr);
        if (got != cases[i].err)
            fail_msg("%s: got %d, want %d", cases[i].why, got, cases[i].err);
    }
    /* The two encoder segments are checked as one block. */
    uint8_t a[] = { 0x02, 0, 0, 0, 1 }, b[] = { 0x02, 0, 0, 0, 2 };
    brisa_mqtt_properties two = { a, sizeof a, b, sizeof b };
    assert_int_equal(brisa_mqtt_props_check(BRISA_MQTT_IN_PUBLISH, &two), BRISA_ERR_PROTOCOL);
    brisa_mqtt_property p;
    size_t pos = 0, n = 0;
    while (brisa_mqtt_prop_next(&two, &pos, &p))
        n += p.value;
    assert_int_equal(n, 3);
    /* Builder refusals. */
    uint8_t buf[8];
    size_t used = 0;
    brisa_mqtt_property big = { .id = 0x21, .value = 70000 };
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &big), BRISA_ERR_TOO_LARGE);
    brisa_mqtt_property bad = { .id = 0x03, .data = { (const uint8_t *)"\xff", 1 } };
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &bad), BRISA_ERR_INVALID_ARG);
    assert_int_equal(used, 0);
}

/* ---- reason codes -------------------------------------------------------- */

static void test_reason_codes(void **state)
{
    (void)state;
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_PUBACK, 0x10), "No matching subscribers");
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_DISCONNECT, 0), "Normal disconnection");
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_SUBACK, 0), "Granted QoS 0");
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_CONNACK, 0), "Success");
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_SUBACK, 2), "Granted QoS 2");
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_DISCONNECT, 0x94), "Topic Alias invalid");
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_CONNACK, 0x86),
                        "Bad User Name or Password");
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_AUTH, 0x18), "Continue authentication");
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_CONNACK, 0x05), "Unknown reason code");
    /* Named even in a packet that may not carry it. */
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_CONNACK, 0x8B), "Server shutting down");
    static const struct { uint8_t type, code; bool ok; } cases[] = {
        { BRISA_MQTT_CONNACK, 0x00, true }, { BRISA_MQTT_CONNACK, 0x84, true },
        { BRISA_MQTT_CONNACK, 0x01, false }, { BRISA_MQTT_CONNACK, 0x8B, false },
        { BRISA_MQTT_PUBACK, 0x10, true }, { BRISA_MQTT_PUBACK, 0x92, false },
        { BRISA_MQTT_PUBREC, 0x99, true }, { BRISA_MQTT_PUBREL, 0x92, true },
        { BRISA_MQTT_PUBREL, 0x80, false }, { BRISA_MQTT_PUBCOMP, 0x10, false },
        { BRISA_MQTT_SUBACK, 0x02, true }, { BRISA_MQTT_SUBACK, 0xA2, true },
        { BRISA_MQTT_SUBACK, 0x03, false }, { BRISA_MQTT_SUBACK, 0x11, false },
        { BRISA_MQTT_UNSUBACK, 0x11, true }, { BRISA_MQTT_UNSUBACK, 0x01, false },
        { BRISA_MQTT_DISCONNECT, 0x04, true }, { BRISA_MQTT_DISCONNECT, 0x10, false },
        { BRISA_MQTT_DISCONNECT, 0xA2, true }, { BRISA_MQTT_DISCONNECT, 0xA3, false },
        { BRISA_MQTT_AUTH, 0x19, true }, { BRISA_MQTT_AUTH, 0x80, false },
        { BRISA_MQTT_PUBLISH, 0x00, false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (brisa_mqtt_reason_allowed(cases[i].type, cases[i].code) != cases[i].ok)
            fail_msg("%s 0x%02x", brisa_mqtt_packet_name(cases[i].type), cases[i].code);
}

/* ---- CONNECT / CONNACK ---------------------------------------------------- */

/* Section 3.1: properties after keep alive, will properties before the
 * will topic; a password alone is allowed in MQTT 5. */
static const char CONNECT_FULL[] =
    "00 04 4d 51 54 54 05"          /* "MQTT", level 5 */
    " ee 00 3c"                     /* user, password, will retain, QoS 1, will, clean; 60 s */
    " 0b 11 00 00 00 78 21 00 0a 22 00 05" /* session expiry 120, receive max 10, alias max 5 */
    " 00 03 63 69 64"               /* client id "cid" */
    " 07 18 00 00 00 05 01 01"      /* will delay 5, payload format UTF-8 */
    " 00 01 77 00 02 68 69"         /* will topic "w", payload "hi" */
    " 00 01 75 00 01 70";           /* user "u", password "p" */

static void test_connect(void **state)
{
    (void)state;
    uint8_t buf[700], out[700];
    brisa_mqtt_packet p;
    assert_int_equal(decode5(0x10, CONNECT_FULL, &p, buf), 0);
    const brisa_mqtt_connect_packet *c = &p.u.connect;
    assert_int_equal(c->level, 5);
    assert_true(c->clean_session && c->has_will && c->will_retain && c->has_username &&
                c->has_password);
    assert_int_equal(c->will_qos, 1);
    assert_int_equal(c->keepalive_s, 60);
    assert_int_equal(c->props.len, 11);
    assert_int_equal(c->will_props.len, 7);
    brisa_mqtt_property pr;
    assert_true(brisa_mqtt_prop_find(&c->props, BRISA_MQTT_PROP_RECEIVE_MAXIMUM, &pr));
    assert_int_equal(pr.value, 10);
    assert_true(brisa_mqtt_prop_find(&c->will_props, BRISA_MQTT_PROP_WILL_DELAY, &pr));
    assert_int_equal(pr.value, 5);
    assert_false(brisa_mqtt_prop_find(&c->props, BRISA_MQTT_PROP_WILL_DELAY, &pr));
    expect_bytes(brisa_mqtt_connect_encode(&V5, c, out, sizeof out), out, 0x10, CONNECT_FULL);

    /* Minimal, and a password without a user name. */
    brisa_mqtt_connect_packet m = { .clean_session = true, .keepalive_s = 10,
                                    .has_password = true, .password = { (const uint8_t *)"p", 1 } };
    expect_bytes(brisa_mqtt_connect_encode(&V5, &m, out, sizeof out), out, 0x10,
                 "00 04 4d 51 54 54 05 42 00 0a 00 00 00 00 01 70");
    assert_int_equal(decode5(0x10, "00 04 4d 51 54 54 05 42 00 0a 00 00 00 00 01 70", &p, buf), 0);
    assert_true(p.u.connect.has_password && !p.u.connect.has_username);

    /* Property refusals, decoding and encoding. */
    assert_int_equal(decode5(0x10, "00 04 4d 51 54 54 05 02 00 0a 03 23 00 01 00 00", &p, buf),
                     BRISA_ERR_MALFORMED); /* topic alias: not in CONNECT */
    assert_int_equal(decode5(0x10, "00 04 4d 51 54 54 05 02 00 0a 06 21 00 01 21 00 01 00 00",
                             &p, buf),
                     BRISA_ERR_PROTOCOL); /* receive maximum twice */
    assert_int_equal(decode5(0x10, "00 04 4d 51 54 54 05 02 00 0a 09 21 00 01 00 00", &p, buf),
                     BRISA_ERR_MALFORMED); /* property length past the packet */
    assert_int_equal(decode5(0x10, "00 04 4d 51 54 54 05 02 00 0a", &p, buf),
                     BRISA_ERR_MALFORMED); /* no property length at all */
    uint8_t alias[] = { 0x23, 0, 1 };
    m.props = block(alias, sizeof alias);
    assert_int_equal(brisa_mqtt_connect_encode(&V5, &m, out, sizeof out), BRISA_ERR_INVALID_ARG);
}

static void test_connack(void **state)
{
    (void)state;
    uint8_t buf[700], out[700];
    brisa_mqtt_packet p;
    static const char full[] =
        "01 00 1e"                           /* session present, success */
        " 12 00 03 63 69 64"                 /* assigned client id "cid" */
        " 13 00 1e 21 00 05 24 01 25 00"     /* keep alive 30, receive max 5, QoS 1, no retain */
        " 27 00 00 04 00 22 00 02"           /* max packet 1024, alias max 2 */
        " 28 00 29 00 2a 00";                /* no wildcards, sub ids, shared */
    assert_int_equal(decode5(0x20, full, &p, buf), 0);
    assert_true(p.u.connack.session_present);
    assert_int_equal(p.u.connack.return_code, 0);
    brisa_mqtt_property pr;
    assert_true(brisa_mqtt_prop_find(&p.u.connack.props, BRISA_MQTT_PROP_MAXIMUM_PACKET_SIZE, &pr));
    assert_int_equal(pr.value, 1024);
    expect_bytes(brisa_mqtt_connack_encode(&V5, &p.u.connack, out, sizeof out), out, 0x20, full);

    assert_int_equal(decode5(0x20, "00 87 05 1f 00 02 6e 6f", &p, buf), 0);
    assert_int_equal(p.u.connack.return_code, 0x87);
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_CONNACK, 0x87), "Not authorized");
    assert_int_equal(decode5(0x20, "00 04 00", &p, buf), BRISA_ERR_MALFORMED); /* not a CONNACK code */
    assert_int_equal(decode5(0x20, "01 80 00", &p, buf), BRISA_ERR_MALFORMED); /* session + refusal */
    assert_int_equal(decode5(0x20, "02 00 00", &p, buf), BRISA_ERR_MALFORMED); /* reserved flag */
    assert_int_equal(decode5(0x20, "00 00", &p, buf), BRISA_ERR_MALFORMED);    /* no properties */
    assert_int_equal(decode5(0x20, "00 00 02 01 01", &p, buf), BRISA_ERR_MALFORMED); /* format: PUBLISH only */
    assert_int_equal(decode5(0x20, "00 00 00 00", &p, buf), BRISA_ERR_MALFORMED); /* trailing byte */
    brisa_mqtt_connack_packet bad = { .return_code = 0x10 };
    assert_int_equal(brisa_mqtt_connack_encode(&V5, &bad, out, sizeof out), BRISA_ERR_INVALID_ARG);
}

/* ---- PUBLISH -------------------------------------------------------------- */

static void test_publish(void **state)
{
    (void)state;
    uint8_t buf[700], out[700];
    brisa_mqtt_packet p;
    static const char full[] =
        "00 03 61 2f 62 00 07"               /* "a/b", id 7 */
        " 14 01 01 02 00 00 00 3c"           /* UTF-8, expiry 60 */
        " 08 00 01 72 09 00 01 78"           /* response topic "r", correlation "x" */
        " 0b 05 0b 80 01"                    /* subscription ids 5 and 128 */
        " 68 69";                            /* payload "hi" */
    assert_int_equal(decode5(0x32, full, &p, buf), 0);
    const brisa_mqtt_publish_packet *pub = &p.u.publish;
    assert_int_equal(pub->packet_id, 7);
    assert_int_equal(pub->qos, 1);
    assert_int_equal(pub->props.len, 20);
    assert_int_equal(pub->payload_len, 2);
    assert_memory_equal(pub->payload, "hi", 2);
    size_t pos = 0, ids = 0;
    brisa_mqtt_property pr;
    while (brisa_mqtt_prop_next(&pub->props, &pos, &pr))
        if (pr.id == BRISA_MQTT_PROP_SUBSCRIPTION_ID)
            ids += pr.value;
    assert_int_equal(ids, 133);
    expect_bytes(brisa_mqtt_publish_encode(&V5, pub, out, sizeof out), out, 0x32, full);

    /* Header-only view: "need more" until the properties are all there. */
    size_t len = frame(0x32, full, buf, sizeof buf);
    for (size_t avail = 0; avail < 28; avail++) {
        brisa_mqtt_publish_packet h;
        assert_int_equal(brisa_mqtt_publish_header_decode(&V5, 0x32, buf + 2, avail, len - 2, &h), 0);
    }
    brisa_mqtt_publish_packet h;
    assert_int_equal(brisa_mqtt_publish_header_decode(&V5, 0x32, buf + 2, 28, len - 2, &h), 28);
    assert_int_equal(h.payload_len, 2);

    /* Topic alias with an empty topic; empty topic without one. */
    assert_int_equal(decode5(0x30, "00 00 03 23 00 02 7a", &p, buf), 0);
    assert_int_equal(p.u.publish.topic.len, 0);
    expect_bytes(brisa_mqtt_publish_encode(&V5, &p.u.publish, out, sizeof out), out, 0x30,
                 "00 00 03 23 00 02 7a");
    assert_int_equal(decode5(0x30, "00 00 00 7a", &p, buf), BRISA_ERR_PROTOCOL);
    brisa_mqtt_publish_packet none = { .topic = { "", 0 } };
    assert_int_equal(brisa_mqtt_publish_encode(&V5, &none, out, sizeof out), BRISA_ERR_INVALID_ARG);
    /* Malformed: property length past the packet, five-byte VBI, a
     * CONNECT-only property, no property length at all. */
    assert_int_equal(decode5(0x30, "00 01 61 05 01 01", &p, buf), BRISA_ERR_MALFORMED);
    assert_int_equal(decode5(0x30, "00 01 61 ff ff ff ff 01", &p, buf), BRISA_ERR_MALFORMED);
    assert_int_equal(decode5(0x30, "00 01 61 03 21 00 01", &p, buf), BRISA_ERR_MALFORMED);
    assert_int_equal(decode5(0x30, "00 01 61", &p, buf), BRISA_ERR_MALFORMED);
    assert_int_equal(decode5(0x30, "00 01 61 80 00", &p, buf), BRISA_ERR_MALFORMED);
    assert_int_equal(decode5(0x30, "00 01 61 02 23 00", &p, buf), BRISA_ERR_MALFORMED);
}

/* ---- acknowledgements ------------------------------------------------------ */

static void test_acks(void **state)
{
    (void)state;
    uint8_t buf[700], out[700];
    brisa_mqtt_packet p;
    /* Section 3.4.2.1: reason code and property length may be left out. */
    assert_int_equal(decode5(0x40, "00 05", &p, buf), 0);
    assert_int_equal(p.u.ack.reason_code, 0);
    assert_int_equal(decode5(0x40, "00 05 10", &p, buf), 0);
    assert_int_equal(p.u.ack.reason_code, 0x10);
    expect_bytes(brisa_mqtt_ack_encode(&V5, BRISA_MQTT_PUBACK, &p.u.ack, out, sizeof out), out,
                 0x40, "00 05 10");
    assert_int_equal(decode5(0x50, "00 05 87 06 1f 00 03 77 68 79", &p, buf), 0);
    assert_int_equal(p.u.ack.reason_code, 0x87);
    expect_bytes(brisa_mqtt_ack_encode(&V5, BRISA_MQTT_PUBREC, &p.u.ack, out, sizeof out), out,
                 0x50, "00 05 87 06 1f 00 03 77 68 79");
    assert_int_equal(decode5(0x62, "00 05 92 00", &p, buf), 0);
    expect_bytes(brisa_mqtt_ack_encode(&V5, BRISA_MQTT_PUBREL, &p.u.ack, out, sizeof out), out,
                 0x62, "00 05 92");
    brisa_mqtt_ack_packet ok = { .packet_id = 5 };
    expect_bytes(brisa_mqtt_ack_encode(&V5, BRISA_MQTT_PUBCOMP, &ok, out, sizeof out), out, 0x70,
                 "00 05");
    assert_int_equal(decode5(0x40, "00 05 92", &p, buf), BRISA_ERR_MALFORMED); /* PUBREL's code */
    assert_int_equal(decode5(0x70, "00 05 10", &p, buf), BRISA_ERR_MALFORMED);
    assert_int_equal(decode5(0x40, "00 05 00 03 1f 00", &p, buf), BRISA_ERR_MALFORMED);
    assert_int_equal(decode5(0x40, "00 05 00 00 00", &p, buf), BRISA_ERR_MALFORMED);
    assert_int_equal(decode5(0x40, "00 05 00 02 23 00", &p, buf), BRISA_ERR_MALFORMED);
    ok.reason_code = 0x10;
    assert_int_equal(brisa_mqtt_ack_encode(&V5, BRISA_MQTT_PUBCOMP, &ok, out, sizeof out),
                     BRISA_ERR_INVALID_ARG);
}

/* ---- SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK ------------------------------- */

static void test_subscribe(void **state)
{
    (void)state;
    uint8_t buf[700], out[700];
    brisa_mqtt_packet p;
    /* Options: QoS 1 + No Local + Retain As Published + retain handling 2
     * = 0x2d; a shared subscription with QoS 2 and handling 1 = 0x12. */
    static const char vec[] = "00 0a 02 0b 07 00 03 61 2f 23 2d"
                              " 00 0c 24 73 68 61 72 65 2f 67 2f 74 2f 2b 12";
    assert_int_equal(decode5(0x82, vec, &p, buf), 0);
    const brisa_mqtt_subscribe_packet *s = &p.u.subscribe;
    assert_int_equal(s->packet_id, 10);
    assert_int_equal(s->filters.count, 2);
    brisa_mqtt_property pr;
    assert_true(brisa_mqtt_prop_find(&s->props, BRISA_MQTT_PROP_SUBSCRIPTION_ID, &pr));
    assert_int_equal(pr.value, 7);
    brisa_mqtt_subscription subs[] = {
        { "a/#", 1 | BRISA_MQTT_SUB_NO_LOCAL | BRISA_MQTT_SUB_RETAIN_AS_PUBLISHED |
                     BRISA_MQTT_SUB_RETAIN_HANDLING(2) },
        { "$share/g/t/+", 2 | BRISA_MQTT_SUB_RETAIN_HANDLING(1) },
    };
    expect_bytes(brisa_mqtt_subscribe_encode_props(&V5, 10, subs, 2, &s->props, out, sizeof out),
                 out, 0x82, vec);
    size_t pos = 0;
    brisa_mqtt_str f;
    uint8_t opt;
    assert_true(brisa_mqtt_filter_list_next(&s->filters, &pos, &f, &opt));
    assert_int_equal(opt, 0x2d);

    static const struct { const char *why, *body; int err; } bad[] = {
        { "reserved option bits", "00 0a 00 00 01 61 41", BRISA_ERR_MALFORMED },
        { "retain handling 3", "00 0a 00 00 01 61 30", BRISA_ERR_MALFORMED },
        { "QoS 3", "00 0a 00 00 01 61 03", BRISA_ERR_MALFORMED },
        { "No Local on a shared subscription", "00 0a 00 00 0a 24 73 68 61 72 65 2f 67 2f 74 04",
          BRISA_ERR_PROTOCOL },
        { "shared without a filter", "00 0a 00 00 08 24 73 68 61 72 65 2f 67 00",
          BRISA_ERR_MALFORMED },
        { "shared with a wildcard name", "00 0a 00 00 0a 24 73 68 61 72 65 2f 2b 2f 74 00",
          BRISA_ERR_MALFORMED },
        { "two subscription ids", "00 0a 04 0b 01 0b 02 00 01 61 00", BRISA_ERR_PROTOCOL },
        { "no properties", "00 0a", BRISA_ERR_MALFORMED },
        { "no filters", "00 0a 00", BRISA_ERR_MALFORMED },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int got = decode5(0x82, bad[i].body, &p, buf);
        if (got != bad[i].err)
            fail_msg("%s: got %d, want %d", bad[i].why, got, bad[i].err);
    }
    brisa_mqtt_subscription nl_shared[] = { { "$share/g/t", BRISA_MQTT_SUB_NO_LOCAL } };
    assert_int_equal(brisa_mqtt_subscribe_encode(&V5, 1, nl_shared, 1, out, sizeof out),
                     BRISA_ERR_INVALID_ARG);
    brisa_mqtt_codec v311 = { BRISA_MQTT_V311 };
    assert_int_equal(brisa_mqtt_subscribe_encode(&v311, 1, subs, 1, out, sizeof out),
                     BRISA_ERR_INVALID_ARG); /* no options in 3.1.1 */

    const char *filters[] = { "a/#", "b" };
    uint8_t up[] = { 0x26, 0, 1, 'k', 0, 1, 'v' };
    brisa_mqtt_properties upr = block(up, sizeof up);
    expect_bytes(brisa_mqtt_unsubscribe_encode_props(&V5, 3, filters, 2, &upr, out, sizeof out),
                 out, 0xa2, "00 03 07 26 00 01 6b 00 01 76 00 03 61 2f 23 00 01 62");
    assert_int_equal(decode5(0xa2, "00 03 07 26 00 01 6b 00 01 76 00 03 61 2f 23 00 01 62", &p,
                             buf), 0);
    assert_int_equal(p.u.subscribe.filters.count, 2);
    assert_int_equal(decode5(0xa2, "00 03 02 0b 01 00 01 62", &p, buf), BRISA_ERR_MALFORMED);
}

static void test_subacks(void **state)
{
    (void)state;
    uint8_t buf[700], out[700];
    brisa_mqtt_packet p;
    assert_int_equal(decode5(0x90, "00 0a 00 01 02 80 a2 9e", &p, buf), 0);
    assert_int_equal(p.u.suback.count, 5);
    assert_int_equal(p.u.suback.codes[3], 0xa2);
    expect_bytes(brisa_mqtt_suback_encode(&V5, &p.u.suback, out, sizeof out), out, 0x90,
                 "00 0a 00 01 02 80 a2 9e");
    assert_int_equal(decode5(0x90, "00 0a 00 11", &p, buf), BRISA_ERR_MALFORMED);
    assert_int_equal(decode5(0x90, "00 0a 00", &p, buf), BRISA_ERR_MALFORMED);
    assert_int_equal(decode5(0x90, "00 0a 04 1f 00 01 78 00", &p, buf), 0);

    /* MQTT 5 UNSUBACK carries one code per filter. */
    assert_int_equal(decode5(0xb0, "00 03 00 00 11", &p, buf), 0);
    assert_int_equal(p.u.suback.count, 2);
    assert_int_equal(p.u.suback.codes[1], 0x11);
    expect_bytes(brisa_mqtt_unsuback_encode(&V5, &p.u.suback, out, sizeof out), out, 0xb0,
                 "00 03 00 00 11");
    assert_int_equal(decode5(0xb0, "00 03 00", &p, buf), BRISA_ERR_MALFORMED);
    assert_int_equal(decode5(0xb0, "00 03 00 02", &p, buf), BRISA_ERR_MALFORMED);
}

/* ---- DISCONNECT and AUTH ----------------------------------------------------- */

static void test_disconnect_auth(void **state)
{
    (void)state;
    uint8_t buf[700], out[700];
    brisa_mqtt_packet p;
    assert_int_equal(decode5(0xe0, "", &p, buf), 0);
    assert_int_equal(p.u.reason.reason_code, 0);
    assert_int_equal(decode5(0xe0, "8e", &p, buf), 0);
    assert_int_equal(p.u.reason.reason_code, 0x8e);
    assert_int_equal(decode5(0xe0, "9c 0d 1c 00 04 68 3a 31 32 1f 00 03 6d 6f 76", &p, buf), 0);
    brisa_mqtt_property pr;
    assert_true(brisa_mqtt_prop_find(&p.u.reason.props, BRISA_MQTT_PROP_SERVER_REFERENCE, &pr));
    assert_int_equal(pr.data.len, 4);
    expect_bytes(brisa_mqtt_reason_encode(&V5, BRISA_MQTT_DISCONNECT, &p.u.reason, out, sizeof out),
                 out, 0xe0, "9c 0d 1c 00 04 68 3a 31 32 1f 00 03 6d 6f 76");
    brisa_mqtt_reason_packet normal = { 0 };
    expect_bytes(brisa_mqtt_reason_encode(&V5, BRISA_MQTT_DISCONNECT, &normal, out, sizeof out),
                 out, 0xe0, "");
    brisa_mqtt_reason_packet r = { .reason_code = 0x81 };
    expect_bytes(brisa_mqtt_reason_encode(&V5, BRISA_MQTT_DISCONNECT, &r, out, sizeof out),
                 out, 0xe0, "81");
    assert_int_equal(decode5(0xe0, "10", &p, buf), BRISA_ERR_MALFORMED);
    assert_int_equal(decode5(0xe0, "00 02 12 00", &p, buf), BRISA_ERR_MALFORMED);
    assert_int_equal(decode5(0xe0, "00 05 11 00 00 00 00 00", &p, buf), BRISA_ERR_MALFORMED);

    /* AUTH: continue with method and data (section 3.15). */
    static const char cont[] = "18 13 15 00 0d 53 43 52 41 4d 2d 53 48 41 2d 32 35 36 16 00 00";
    assert_int_equal(decode5(0xf0, cont, &p, buf), 0);
    assert_int_equal(p.type, BRISA_MQTT_AUTH);
    assert_int_equal(p.u.reason.reason_code, 0x18);
    expect_bytes(brisa_mqtt_reason_encode(&V5, BRISA_MQTT_AUTH, &p.u.reason, out, sizeof out), out,
                 0xf0, cont);
    assert_int_equal(decode5(0xf0, "", &p, buf), 0);
    assert_int_equal(decode5(0xf0, "18 00", &p, buf), BRISA_ERR_PROTOCOL); /* no method */
    assert_int_equal(decode5(0xf0, "80", &p, buf), BRISA_ERR_MALFORMED);
    assert_int_equal(decode5(0xf1, "", &p, buf), BRISA_ERR_MALFORMED); /* flags */
    assert_int_equal(decode5(0xf0, "18 03 11 00 00", &p, buf), BRISA_ERR_MALFORMED);
    /* 3.1.1 has no AUTH and a bare DISCONNECT only. */
    brisa_mqtt_codec v311 = { BRISA_MQTT_V311 };
    assert_int_equal(brisa_mqtt_reason_encode(&v311, BRISA_MQTT_AUTH, &p.u.reason, out, sizeof out),
                     BRISA_ERR_UNSUPPORTED);
    assert_int_equal(brisa_mqtt_reason_encode(&v311, BRISA_MQTT_DISCONNECT, &normal, out,
                                              sizeof out), 2);
}

/* Every encoder refuses to start without room; nothing is written past. */
static void test_no_space(void **state)
{
    (void)state;
    uint8_t buf[700], out[700];
    brisa_mqtt_packet p;
    assert_int_equal(decode5(0x10, CONNECT_FULL, &p, buf), 0);
    int n = brisa_mqtt_connect_encode(&V5, &p.u.connect, out, sizeof out);
    assert_true(n > 0);
    for (int size = 0; size < n; size++)
        assert_int_equal(brisa_mqtt_connect_encode(&V5, &p.u.connect, out, (size_t)size),
                         BRISA_ERR_NO_SPACE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_property),
        cmocka_unit_test(test_property_rules),
        cmocka_unit_test(test_reason_codes),
        cmocka_unit_test(test_connect),
        cmocka_unit_test(test_connack),
        cmocka_unit_test(test_publish),
        cmocka_unit_test(test_acks),
        cmocka_unit_test(test_subscribe),
        cmocka_unit_test(test_subacks),
        cmocka_unit_test(test_disconnect_auth),
        cmocka_unit_test(test_no_space),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
