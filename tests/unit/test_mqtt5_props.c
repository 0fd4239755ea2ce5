// SPDX-License-Identifier: MIT
/* MQTT 5 property blocks (src/mqtt/codec_props.c) at their edges: every
 * value type cut short, bad UTF-8 in strings and pairs, a response topic
 * with wildcards, walking a block split in two segments, and each refusal
 * of brisa_mqtt_prop_put (unknown id, values out of range, no room, bytes
 * without a pointer). */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "brisa/err.h"
#include "brisa/mqtt_codec.h"

/* Checks a block given in hex for a PUBLISH. */
static int check_hex(const char *hexbytes)
{
    uint8_t b[64];
    size_t n = 0;
    for (const char *p = hexbytes; *p;) {
        if (*p == ' ') {
            p++;
            continue;
        }
        unsigned v;
        assert_int_equal(sscanf(p, "%2x", &v), 1);
        b[n++] = (uint8_t)v;
        p += 2;
    }
    brisa_mqtt_properties pr = { b, n, NULL, 0 };
    return brisa_mqtt_props_check(BRISA_MQTT_IN_PUBLISH, &pr);
}

static void test_values_cut_short(void **state)
{
    (void)state;
    static const char *const cut[] = {
        "01",                /* payload format: no byte */
        "23 00",             /* topic alias: one byte of two */
        "02 00 00 00",       /* message expiry: three bytes of four */
        "0b",                /* subscription id: no VBI */
        "0b 80 80 80 80 01", /* a VBI of five bytes */
        "09 00 05 61",       /* correlation data shorter than said */
        "03 00 01 ff",       /* content type not UTF-8 */
        "26 00 01 61",       /* user property without its value */
        "26 00 01 ff 00 01 61", /* ...with a bad name */
        "26 00 01 61 00 01 ff", /* ...with a bad value */
        "7f 00",             /* no such property */
        "11 00 00 00 05",    /* session expiry: not for a PUBLISH */
    };
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++)
        if (check_hex(cut[i]) != BRISA_ERR_MALFORMED)
            fail_msg("accepted properties '%s'", cut[i]);
    /* Well-formed but not allowed: a response topic with a wildcard. */
    assert_int_equal(check_hex("08 00 03 61 2f 23"), BRISA_ERR_PROTOCOL);
    assert_int_equal(check_hex("08 00 03 61 2f 62 26 00 01 61 00 01 62"), BRISA_OK);
    /* A length without bytes. */
    brisa_mqtt_properties none = { NULL, 3, NULL, 0 };
    assert_int_equal(brisa_mqtt_props_check(BRISA_MQTT_IN_PUBLISH, &none), BRISA_ERR_MALFORMED);
    assert_int_equal(brisa_mqtt_props_check(BRISA_MQTT_IN_PUBLISH, NULL), BRISA_OK);
}

/* A block in two segments walks as one; a bad second segment ends it. */
static void test_two_segments(void **state)
{
    (void)state;
    static const uint8_t first[] = { 0x01, 0x01 };             /* payload format 1 */
    static const uint8_t second[] = { 0x23, 0x00, 0x07 };      /* topic alias 7 */
    brisa_mqtt_properties pr = { first, sizeof first, second, sizeof second };
    brisa_mqtt_property p;
    assert_true(brisa_mqtt_prop_find(&pr, BRISA_MQTT_PROP_TOPIC_ALIAS, &p));
    assert_int_equal(p.value, 7);
    assert_false(brisa_mqtt_prop_find(&pr, BRISA_MQTT_PROP_CONTENT_TYPE, &p));
    /* The same id in both segments is a repeat. */
    brisa_mqtt_properties twice = { first, sizeof first, first, sizeof first };
    assert_int_equal(brisa_mqtt_props_check(BRISA_MQTT_IN_PUBLISH, &twice), BRISA_ERR_PROTOCOL);
    static const uint8_t broken[] = { 0x23, 0x00 };
    brisa_mqtt_properties bad = { first, sizeof first, broken, sizeof broken };
    size_t pos = 0;
    assert_true(brisa_mqtt_prop_next(&bad, &pos, &p));
    assert_false(brisa_mqtt_prop_next(&bad, &pos, &p));
    brisa_mqtt_properties bad_first = { broken, sizeof broken, NULL, 0 };
    pos = 0;
    assert_false(brisa_mqtt_prop_next(&bad_first, &pos, &p));
}

static void test_put_refusals(void **state)
{
    (void)state;
    uint8_t buf[16];
    size_t used = 0;
    brisa_mqtt_property p = { .id = BRISA_MQTT_PROP_PAYLOAD_FORMAT, .value = 256 };
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, NULL, &p), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &p), BRISA_ERR_TOO_LARGE);
    p.id = BRISA_MQTT_PROP_TOPIC_ALIAS;
    p.value = 65536;
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &p), BRISA_ERR_TOO_LARGE);
    p.id = BRISA_MQTT_PROP_SUBSCRIPTION_ID;
    p.value = 268435456;
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &p), BRISA_ERR_TOO_LARGE);
    p.id = 0x7f;
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &p), BRISA_ERR_INVALID_ARG);
    brisa_mqtt_property big = { .id = BRISA_MQTT_PROP_USER, .data = { (const uint8_t *)"k", 1 },
                                .value2 = { (const uint8_t *)"v", 65536 } };
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &big), BRISA_ERR_TOO_LARGE);
    big.value2.len = 1;
    big.data.len = 65536;
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &big), BRISA_ERR_TOO_LARGE);
    /* No buffer, no room, or already past the end. */
    brisa_mqtt_property u32 = { .id = BRISA_MQTT_PROP_MESSAGE_EXPIRY, .value = 1 };
    assert_int_equal(brisa_mqtt_prop_put(NULL, 0, &used, &u32), BRISA_ERR_NO_SPACE);
    assert_int_equal(brisa_mqtt_prop_put(buf, 4, &used, &u32), BRISA_ERR_NO_SPACE);
    used = 17;
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &u32), BRISA_ERR_INVALID_ARG);
    /* Bytes without a pointer; strings and pairs that are not UTF-8. */
    used = 0;
    brisa_mqtt_property corr = { .id = BRISA_MQTT_PROP_CORRELATION_DATA, .data = { NULL, 2 } };
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &corr), BRISA_ERR_INVALID_ARG);
    brisa_mqtt_property ct = { .id = BRISA_MQTT_PROP_CONTENT_TYPE,
                               .data = { (const uint8_t *)"\xff", 1 } };
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &ct), BRISA_ERR_INVALID_ARG);
    brisa_mqtt_property pair = { .id = BRISA_MQTT_PROP_USER, .data = { (const uint8_t *)"\xff", 1 },
                                 .value2 = { (const uint8_t *)"v", 1 } };
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &pair), BRISA_ERR_INVALID_ARG);
    pair.data.data = (const uint8_t *)"k";
    pair.value2.data = (const uint8_t *)"\xff";
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &pair), BRISA_ERR_INVALID_ARG);
    assert_int_equal(used, 0);
    /* What is accepted: binary data (any bytes), a VBI, a U32. */
    corr.data.data = (const uint8_t *)"\xff\x00";
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &corr), BRISA_OK);
    brisa_mqtt_property sid = { .id = BRISA_MQTT_PROP_SUBSCRIPTION_ID, .value = 200 };
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &sid), BRISA_OK);
    assert_int_equal(brisa_mqtt_prop_put(buf, sizeof buf, &used, &u32), BRISA_OK);
    static const uint8_t want[] = { 0x09, 0x00, 0x02, 0xff, 0x00, 0x0b, 0xc8, 0x01,
                                    0x02, 0x00, 0x00, 0x00, 0x01 };
    assert_int_equal(used, sizeof want);
    assert_memory_equal(buf, want, sizeof want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_cut_short),
        cmocka_unit_test(test_two_segments),
        cmocka_unit_test(test_put_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
