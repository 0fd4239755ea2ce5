// SPDX-License-Identifier: MIT
/* The MQTT codec's refusals not covered by the vector tests: an unknown
 * protocol level, DISCONNECT and AUTH encodings 3.x cannot carry, SUBSCRIBE
 * options and shared-subscription names each version forbids, properties
 * that do not belong in an UNSUBSCRIBE, and reason code look-ups for codes
 * and packet types that do not go together. */
#include "cmocka_all.h"

#include <string.h>

#include "brisa/err.h"
#include "brisa/mqtt_codec.h"

static uint8_t buf[256];

static void test_unknown_level(void **state)
{
    (void)state;
    const brisa_mqtt_codec bad = { 7 };
    brisa_mqtt_reason_packet d = { 0 };
    static const brisa_mqtt_subscription sub[] = { { "a", 0 } };
    assert_int_equal(brisa_mqtt_reason_encode(&bad, BRISA_MQTT_DISCONNECT, &d, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_subscribe_encode(&bad, 1, sub, 1, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    brisa_mqtt_packet p;
    static const uint8_t body[] = { 0, 1 };
    assert_int_equal(brisa_mqtt_body_decode(&bad, 0x40, body, sizeof body, &p),
                     BRISA_ERR_INVALID_ARG);
    brisa_mqtt_fixed_header fh;
    static const uint8_t hdr[] = { 0x40, 0x02 };
    assert_int_equal(brisa_mqtt_fixed_header_decode(&bad, hdr, sizeof hdr, &fh),
                     BRISA_ERR_INVALID_ARG);
    /* AUTH is MQTT 5's, and even there its flags are 0. */
    const brisa_mqtt_codec v5 = { BRISA_MQTT_V5 };
    assert_int_equal(brisa_mqtt_body_decode(&v5, 0xf1, NULL, 0, &p), BRISA_ERR_MALFORMED);
}

static void test_reason_packets_per_version(void **state)
{
    (void)state;
    const brisa_mqtt_codec v3 = { BRISA_MQTT_V311 }, v5 = { BRISA_MQTT_V5 };
    brisa_mqtt_reason_packet d = { 0 };
    assert_int_equal(brisa_mqtt_reason_encode(&v3, BRISA_MQTT_DISCONNECT, NULL, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_reason_encode(&v5, BRISA_MQTT_PUBLISH, &d, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    /* 3.1.1: a plain DISCONNECT only. */
    assert_int_equal(brisa_mqtt_reason_encode(&v3, BRISA_MQTT_DISCONNECT, &d, buf, sizeof buf), 2);
    assert_memory_equal(buf, "\xe0\x00", 2);
    assert_int_equal(brisa_mqtt_reason_encode(&v3, BRISA_MQTT_AUTH, &d, buf, sizeof buf),
                     BRISA_ERR_UNSUPPORTED);
    static const uint8_t rs[] = { 0x1f, 0x00, 0x01, 0x78 };
    d.props.data = rs;
    d.props.len = sizeof rs;
    assert_int_equal(brisa_mqtt_reason_encode(&v3, BRISA_MQTT_DISCONNECT, &d, buf, sizeof buf),
                     BRISA_ERR_UNSUPPORTED);
    /* MQTT 5 carries the reason string. */
    assert_int_equal(brisa_mqtt_reason_encode(&v5, BRISA_MQTT_DISCONNECT, &d, buf, sizeof buf), 8);
    assert_memory_equal(buf, "\xe0\x06\x00\x04\x1f\x00\x01\x78", 8);
}

static void test_subscribe_refusals(void **state)
{
    (void)state;
    const brisa_mqtt_codec v3 = { BRISA_MQTT_V311 }, v5 = { BRISA_MQTT_V5 };
    static const brisa_mqtt_subscription plain[] = { { "a", 1 } };
    assert_int_equal(brisa_mqtt_subscribe_encode(&v5, 0, plain, 1, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_subscribe_encode(&v5, 1, plain, 0, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_subscribe_encode(&v5, 1, NULL, 1, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    static const brisa_mqtt_subscription bad_share[][1] = {
        { { "$share/a+/t", 0 } }, { { "$share/g", 0 } }, { { "$share/g/", 0 } },
        { { "$share//t", 0 } }, { { "$share/#", 0 } },
    };
    for (size_t i = 0; i < sizeof bad_share / sizeof bad_share[0]; i++)
        if (brisa_mqtt_subscribe_encode(&v5, 1, bad_share[i], 1, buf, sizeof buf) !=
            BRISA_ERR_INVALID_ARG)
            fail_msg("accepted shared subscription '%s'", bad_share[i][0].filter);
    /* Shorter than "$share/": an ordinary filter. */
    static const brisa_mqtt_subscription short_dollar[] = { { "$sh", 0 } };
    assert_true(brisa_mqtt_subscribe_encode(&v5, 1, short_dollar, 1, buf, sizeof buf) > 0);
    static const brisa_mqtt_subscription long_plain[] = { { "sensors/+/temp", 0 } };
    assert_true(brisa_mqtt_subscribe_encode(&v5, 1, long_plain, 1, buf, sizeof buf) > 0);
    /* 3.1.1 knows "$share/" as an ordinary topic level. */
    assert_true(brisa_mqtt_subscribe_encode(&v3, 1, bad_share[1], 1, buf, sizeof buf) > 0);
    static const brisa_mqtt_subscription opts[][1] = {
        { { "a", 1 | BRISA_MQTT_SUB_NO_LOCAL } },        /* fine for 5, not for 3 */
        { { "a", 1 | 0x40 } },                           /* reserved bit */
        { { "a", 1 | BRISA_MQTT_SUB_RETAIN_HANDLING(3) } },
        { { "$share/g/a", BRISA_MQTT_SUB_NO_LOCAL } },   /* No Local on a shared one */
    };
    assert_int_equal(brisa_mqtt_subscribe_encode(&v3, 1, opts[0], 1, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    assert_true(brisa_mqtt_subscribe_encode(&v5, 1, opts[0], 1, buf, sizeof buf) > 0);
    for (size_t i = 1; i < 4; i++)
        if (brisa_mqtt_subscribe_encode(&v5, 1, opts[i], 1, buf, sizeof buf) !=
            BRISA_ERR_INVALID_ARG)
            fail_msg("accepted subscription %zu's options", i);
    /* A subscription identifier belongs in SUBSCRIBE, not UNSUBSCRIBE. */
    static const uint8_t sid[] = { 0x0b, 0x01 };
    brisa_mqtt_properties pr = { sid, sizeof sid, NULL, 0 };
    static const char *const filters[] = { "a" };
    assert_true(brisa_mqtt_subscribe_encode_props(&v5, 1, plain, 1, &pr, buf, sizeof buf) > 0);
    assert_int_equal(brisa_mqtt_unsubscribe_encode_props(&v5, 1, filters, 1, &pr, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
}

static void test_reason_lookups(void **state)
{
    (void)state;
    /* 0x80 exists for SUBACK; not a packet type past 15. */
    assert_true(brisa_mqtt_reason_allowed(BRISA_MQTT_SUBACK, 0x80));
    assert_false(brisa_mqtt_reason_allowed(16, 0x80));
    /* 0xA0 is DISCONNECT's only: named anyway when seen in a SUBACK. */
    assert_false(brisa_mqtt_reason_allowed(BRISA_MQTT_SUBACK, 0xA0));
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_SUBACK, 0xA0), "Maximum connect time");
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_SUBACK, 0x7e), "Unknown reason code");
    assert_false(brisa_mqtt_reason_allowed(BRISA_MQTT_SUBACK, 0x7e));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_level),
        cmocka_unit_test(test_reason_packets_per_version),
        cmocka_unit_test(test_subscribe_refusals),
        cmocka_unit_test(test_reason_lookups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
