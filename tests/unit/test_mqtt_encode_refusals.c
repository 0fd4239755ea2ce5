// SPDX-License-Identifier: MIT
/* The encoders refuse what would not be a valid MQTT 3.x packet, and say
 * why with a specific code, before writing anything: an unknown or
 * unsupported protocol level, NULL packets, fields out of range, a buffer
 * too small, filters or topics that break the rules. */
#include "cmocka_all.h"

#include <string.h>

#include "brisa/err.h"
#include "brisa/mqtt_codec.h"

static const brisa_mqtt_codec v311 = { BRISA_MQTT_V311 };
static const brisa_mqtt_codec v31 = { BRISA_MQTT_V31 };
static const brisa_mqtt_codec v5 = { BRISA_MQTT_V5 };
static const brisa_mqtt_codec bogus = { 9 };

static brisa_mqtt_connect_packet connect_ok(void)
{
    brisa_mqtt_connect_packet p;
    memset(&p, 0, sizeof p);
    p.clean_session = true;
    p.client_id.data = "id";
    p.client_id.len = 2;
    return p;
}

static void test_levels(void **state)
{
    (void)state;
    uint8_t buf[64];
    brisa_mqtt_connect_packet c = connect_ok();
    brisa_mqtt_connack_packet ca = { 0 };
    brisa_mqtt_publish_packet p = { .topic = { "t", 1 } };
    brisa_mqtt_ack_packet a = { .packet_id = 1 };
    brisa_mqtt_subscription s = { "t", 0 };
    const char *f = "t";
    static const uint8_t code = 0;
    brisa_mqtt_suback_packet sa = { .packet_id = 1, .codes = &code, .count = 1 };
    /* MQTT 5 is refused only by the 3.1.1-only core (-DBRISA_MQTT5=OFF). */
    const brisa_mqtt_codec *bad[] = { &bogus, &v5 };
    const int why[] = { BRISA_ERR_INVALID_ARG, BRISA_ERR_UNSUPPORTED };
    for (size_t i = 0; i < (BRISA_MQTT5 ? 1u : 2u); i++) {
        const brisa_mqtt_codec *cx = bad[i];
        assert_int_equal(brisa_mqtt_connect_encode(cx, &c, buf, sizeof buf), why[i]);
        assert_int_equal(brisa_mqtt_connack_encode(cx, &ca, buf, sizeof buf), why[i]);
        assert_int_equal(brisa_mqtt_publish_encode(cx, &p, buf, sizeof buf), why[i]);
        assert_int_equal(brisa_mqtt_ack_encode(cx, BRISA_MQTT_PUBACK, &a, buf, sizeof buf), why[i]);
        assert_int_equal(brisa_mqtt_subscribe_encode(cx, 1, &s, 1, buf, sizeof buf), why[i]);
        assert_int_equal(brisa_mqtt_unsubscribe_encode(cx, 1, &f, 1, buf, sizeof buf), why[i]);
        assert_int_equal(brisa_mqtt_suback_encode(cx, &sa, buf, sizeof buf), why[i]);
        assert_int_equal(brisa_mqtt_empty_encode(cx, BRISA_MQTT_PINGREQ, buf, sizeof buf), why[i]);
    }
}

static void test_connect_refusals(void **state)
{
    (void)state;
    uint8_t buf[64];
    assert_int_equal(brisa_mqtt_connect_encode(&v311, NULL, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    brisa_mqtt_connect_packet p = connect_ok();
    p.client_id.data = NULL; /* a length without the bytes */
    assert_int_equal(brisa_mqtt_connect_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p = connect_ok();
    p.has_will = true;
    p.will_topic.data = "w";
    p.will_topic.len = 1;
    p.will_qos = 3;
    assert_int_equal(brisa_mqtt_connect_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.will_qos = 1;
    p.will_payload.len = 4; /* no data */
    assert_int_equal(brisa_mqtt_connect_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.will_payload.len = 0;
    p.will_topic.data = "w/+"; /* a will topic takes no wildcards */
    p.will_topic.len = 3;
    assert_int_equal(brisa_mqtt_connect_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p = connect_ok();
    p.has_password = true; /* without a user name */
    assert_int_equal(brisa_mqtt_connect_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.has_username = true;
    p.username.data = "u";
    p.username.len = 1;
    p.password.len = 3; /* no data */
    assert_int_equal(brisa_mqtt_connect_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.password.data = (const uint8_t *)"pwd";
    assert_int_equal(brisa_mqtt_connect_encode(&v311, &p, buf, 8), BRISA_ERR_NO_SPACE);
    assert_int_equal(brisa_mqtt_connect_encode(&v311, &p, NULL, 0), BRISA_ERR_NO_SPACE);
    /* MQTT 3.1 names itself "MQIsdp", level 3. */
    p = connect_ok();
    int n = brisa_mqtt_connect_encode(&v31, &p, buf, sizeof buf);
    assert_true(n > 0);
    assert_memory_equal(buf + 4, "MQIsdp", 6);
    assert_int_equal(buf[10], 3);
}

static void test_connack_refusals(void **state)
{
    (void)state;
    uint8_t buf[8];
    brisa_mqtt_connack_packet p = { .return_code = 6 }; /* beyond "not authorized" */
    assert_int_equal(brisa_mqtt_connack_encode(&v311, NULL, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_connack_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.return_code = 5;
    p.session_present = true; /* only with an accepted connection */
    assert_int_equal(brisa_mqtt_connack_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.return_code = 0; /* and not in 3.1 */
    assert_int_equal(brisa_mqtt_connack_encode(&v31, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_connack_encode(&v311, &p, buf, sizeof buf), 4);
    assert_int_equal(brisa_mqtt_connack_encode(&v311, &p, buf, 3), BRISA_ERR_NO_SPACE);
}

static void test_publish_refusals(void **state)
{
    (void)state;
    uint8_t buf[32];
    brisa_mqtt_publish_packet p = { .topic = { "t", 1 } };
    assert_int_equal(brisa_mqtt_publish_encode(&v311, NULL, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.qos = 3;
    assert_int_equal(brisa_mqtt_publish_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.qos = 1; /* QoS 1 needs a packet id */
    assert_int_equal(brisa_mqtt_publish_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.qos = 0;
    p.dup = true; /* DUP is for QoS 1 and 2 */
    assert_int_equal(brisa_mqtt_publish_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.dup = false;
    p.payload_len = 5; /* no payload bytes */
    assert_int_equal(brisa_mqtt_publish_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    /* The header alone does not need the payload's bytes. */
    assert_int_equal(brisa_mqtt_publish_encode_header(&v311, &p, buf, sizeof buf), 5);
    p.payload_len = BRISA_MQTT_MAX_REMAINING; /* with the topic, over the limit */
    assert_int_equal(brisa_mqtt_publish_encode_header(&v311, &p, buf, sizeof buf),
                     BRISA_ERR_TOO_LARGE);
}

static void test_ack_refusals(void **state)
{
    (void)state;
    uint8_t buf[8];
    brisa_mqtt_ack_packet a = { .packet_id = 0 };
    assert_int_equal(brisa_mqtt_ack_encode(&v311, BRISA_MQTT_PUBACK, NULL, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_ack_encode(&v311, BRISA_MQTT_CONNACK, &a, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_ack_encode(&v311, BRISA_MQTT_SUBSCRIBE, &a, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_ack_encode(&v311, BRISA_MQTT_PUBACK, &a, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG); /* packet id 0 */
    assert_int_equal(brisa_mqtt_unsuback_encode(&v311, NULL, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    brisa_mqtt_suback_packet u = { .packet_id = 7 };
    assert_int_equal(brisa_mqtt_unsuback_encode(&v311, &u, buf, sizeof buf), 4);
}

static void test_filter_refusals(void **state)
{
    (void)state;
    uint8_t buf[32];
    brisa_mqtt_subscription s[] = { { "a", 0 }, { "b", 3 } };
    const char *bad_filter[] = { "a/#/b" };
    const char *null_filter[] = { NULL };
    assert_int_equal(brisa_mqtt_subscribe_encode(&v311, 1, NULL, 1, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_unsubscribe_encode(&v311, 1, NULL, 1, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_subscribe_encode(&v311, 0, s, 1, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_subscribe_encode(&v311, 1, s, 0, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_subscribe_encode(&v311, 1, s, 2, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_unsubscribe_encode(&v311, 1, bad_filter, 1, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_unsubscribe_encode(&v311, 1, null_filter, 1, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_subscribe_encode(&v311, 1, s, 1, buf, 4), BRISA_ERR_NO_SPACE);
}

static void test_suback_refusals(void **state)
{
    (void)state;
    uint8_t buf[8];
    static const uint8_t codes[] = { 0, 1 };
    brisa_mqtt_suback_packet p = { .packet_id = 1, .codes = codes, .count = 2 };
    assert_int_equal(brisa_mqtt_suback_encode(&v311, NULL, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.packet_id = 0;
    assert_int_equal(brisa_mqtt_suback_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.packet_id = 1;
    p.count = 0;
    assert_int_equal(brisa_mqtt_suback_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.count = 2;
    p.codes = NULL;
    assert_int_equal(brisa_mqtt_suback_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    p.codes = codes;
    p.count = BRISA_MQTT_MAX_REMAINING;
    assert_int_equal(brisa_mqtt_suback_encode(&v311, &p, buf, sizeof buf), BRISA_ERR_TOO_LARGE);
    p.count = 2;
    assert_int_equal(brisa_mqtt_suback_encode(&v311, &p, buf, sizeof buf), 6);
}

/* The decoders' side: levels, NULL buffers, flags and lengths. */
static void test_decode_refusals(void **state)
{
    (void)state;
    brisa_mqtt_packet p;
    brisa_mqtt_publish_packet pub;
    brisa_mqtt_fixed_header fh;
    static const uint8_t body[] = { 0, 0 };
#if !BRISA_MQTT5
    assert_int_equal(brisa_mqtt_body_decode(&v5, 0x20, body, 2, &p), BRISA_ERR_UNSUPPORTED);
#endif
    assert_int_equal(brisa_mqtt_body_decode(&v311, 0x20, NULL, 2, &p), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_body_decode(&v311, 0x21, body, 2, &p), BRISA_ERR_MALFORMED);
    assert_int_equal(brisa_mqtt_body_decode(&v311, 0x20, body, 1, &p), BRISA_ERR_MALFORMED);
    assert_int_equal(brisa_mqtt_publish_header_decode(&bogus, 0x30, body, 2, 2, &pub),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_publish_header_decode(&v311, 0x40, body, 2, 2, &pub),
                     BRISA_ERR_MALFORMED); /* not a PUBLISH */
    assert_int_equal(brisa_mqtt_publish_header_decode(&v311, 0x36, body, 2, 2, &pub),
                     BRISA_ERR_MALFORMED); /* QoS 3 */
#if !BRISA_MQTT5
    assert_int_equal(brisa_mqtt_fixed_header_decode(&v5, body, 2, &fh), BRISA_ERR_UNSUPPORTED);
#endif
    assert_int_equal(brisa_mqtt_fixed_header_decode(&v311, NULL, 0, &fh), 0); /* need more */
    assert_int_equal(brisa_mqtt_vbi_encode(300, NULL, 0), BRISA_ERR_NO_SPACE);
    uint8_t one[1];
    assert_int_equal(brisa_mqtt_vbi_encode(300, one, 1), BRISA_ERR_NO_SPACE);
    assert_string_equal(brisa_mqtt_packet_name(-1), "UNKNOWN");
    assert_string_equal(brisa_mqtt_packet_name(16), "UNKNOWN");
    assert_string_equal(brisa_mqtt_packet_name(15), "AUTH");
}

/* CONNECT bodies cut short at each field. */
static void test_connect_decode_short(void **state)
{
    (void)state;
    uint8_t buf[64];
    brisa_mqtt_connect_packet c = connect_ok();
    c.has_will = true;
    c.will_topic.data = "w";
    c.will_topic.len = 1;
    c.has_username = true;
    c.username.data = "u";
    c.username.len = 1;
    c.has_password = true;
    c.password.data = (const uint8_t *)"p";
    c.password.len = 1;
    int n = brisa_mqtt_connect_encode(&v311, &c, buf, sizeof buf);
    assert_true(n > 2);
    brisa_mqtt_packet p;
    /* buf[1] is the remaining length (< 128): the body starts at buf + 2. */
    assert_int_equal(brisa_mqtt_body_decode(&v311, buf[0], buf + 2, (size_t)n - 2, &p), BRISA_OK);
    for (size_t len = 0; len < (size_t)n - 2; len++)
        assert_int_equal(brisa_mqtt_body_decode(&v311, buf[0], buf + 2, len, &p),
                         BRISA_ERR_MALFORMED);
    buf[9] |= 0x01; /* the reserved connect flag */
    assert_int_equal(brisa_mqtt_body_decode(&v311, buf[0], buf + 2, (size_t)n - 2, &p),
                     BRISA_ERR_MALFORMED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_connect_refusals),
        cmocka_unit_test(test_connack_refusals),
        cmocka_unit_test(test_publish_refusals),
        cmocka_unit_test(test_ack_refusals),
        cmocka_unit_test(test_filter_refusals),
        cmocka_unit_test(test_suback_refusals),
        cmocka_unit_test(test_decode_refusals),
        cmocka_unit_test(test_connect_decode_short),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
