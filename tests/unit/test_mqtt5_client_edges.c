// SPDX-License-Identifier: MIT
/* The MQTT 5 side of the client at its edges, over the scripted transport:
 * every limit a CONNACK may set (wildcards, subscription ids, shared
 * subscriptions refused before anything is sent), CONNECT properties
 * alone, topics too long for an alias slot both ways, a QoS 2 message the
 * server sends again, AUTH packets we did not ask for or with another
 * method, an authentication method that fails or overflows, and the calls
 * that need an MQTT 5 connection. */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "brisa/mqtt_codec.h"
#include "mqtt_env_cmocka.h"

/* Feeds one packet: @p first, then the remaining length, then @p body. */
static void feed5(mqtt_env *e, uint64_t at, uint8_t first, const char *body_hex)
{
    uint8_t pkt[520];
    size_t n = hex(body_hex, pkt + 5, sizeof pkt - 5);
    uint8_t vbi[4];
    int hl = brisa_mqtt_vbi_encode((uint32_t)n, vbi, sizeof vbi);
    assert_true(hl > 0);
    size_t start = 5 - 1 - (size_t)hl;
    pkt[start] = first;
    memcpy(pkt + start + 1, vbi, (size_t)hl);
    fake_feed(&e->ft, at, pkt + start, n + 1 + (size_t)hl);
}

static int connect_with(mqtt_env *e, brisa_mqtt_connect_options *o, const char *connack)
{
    o->protocol_level = BRISA_MQTT_V5;
    o->clean_session = true;
    o->client_id = "c";
    e->ft.closed = false;
    if (connack)
        feed5(e, e->clk.now, 0x20, connack);
    int err = brisa_mqtt_connect(&e->c, o, 1000, NULL);
    fake_out_clear(&e->ft);
    e->nevents = e->nmsgs = e->ntraces = 0;
    return err;
}

static void run(mqtt_env *e, int want)
{
    assert_int_equal(brisa_mqtt_process(&e->c, 10), want);
}

/* ---- CONNACK limits, checked before sending ---------------------------------- */

static void test_limits_refuse_subscriptions(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { 0 };
    /* No wildcards, no subscription ids, no shared subscriptions, one
     * alias, QoS 1 at most, retain available. */
    assert_int_equal(connect_with(e, &o, "00 00 0d 28 00 29 00 2a 00 22 00 01 24 01 25 01"),
                     BRISA_OK);
    const brisa_mqtt_limits *l = brisa_mqtt_server_limits(&e->c);
    assert_non_null(l);
    assert_false(l->wildcard_available);
    assert_false(l->subscription_ids_available);
    assert_false(l->shared_available);
    assert_true(l->retain_available);
    assert_int_equal(l->topic_alias_maximum, 1);
    assert_int_equal(l->maximum_qos, 1);

    static const brisa_mqtt_subscription plus[] = { { "a/+", 0 } };
    static const brisa_mqtt_subscription hash[] = { { "a/#", 0 } };
    static const brisa_mqtt_subscription shared[] = { { "$share/g/a", 0 } };
    static const brisa_mqtt_subscription plain[] = { { "a/b", 0 } };
    assert_int_equal(brisa_mqtt_subscribe(&e->c, plus, 1, NULL), BRISA_ERR_UNSUPPORTED);
    assert_int_equal(brisa_mqtt_subscribe(&e->c, hash, 1, NULL), BRISA_ERR_UNSUPPORTED);
    assert_int_equal(brisa_mqtt_subscribe(&e->c, shared, 1, NULL), BRISA_ERR_UNSUPPORTED);
    uint8_t sid[] = { 0x0b, 0x05 };
    brisa_mqtt_properties with_id = { sid, sizeof sid, NULL, 0 };
    assert_int_equal(brisa_mqtt_subscribe_props(&e->c, plain, 1, &with_id, NULL),
                     BRISA_ERR_UNSUPPORTED);
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 2, false, NULL),
                     BRISA_ERR_UNSUPPORTED);
    assert_int_equal(e->ft.out_len, 0);
    /* What the server allows still goes. */
    assert_int_equal(brisa_mqtt_subscribe(&e->c, plain, 1, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 0, true, NULL), BRISA_OK);
    const char *want[] = { "82 09 00 01 00 00 03 61 2f 62 00", "31 05 00 01 74 00 78" };
    expect_sent(e, want, 2);
}

/* Properties that do not belong in a PUBLISH are refused. */
static void test_publish_props_checked(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { 0 };
    assert_int_equal(connect_with(e, &o, "00 00 00"), BRISA_OK);
    uint8_t se[] = { 0x11, 0, 0, 0, 5 }; /* session expiry */
    brisa_mqtt_properties bad = { se, sizeof se, NULL, 0 };
    assert_int_equal(brisa_mqtt_publish_props(&e->c, "t", "x", 1, 0, false, &bad, NULL),
                     BRISA_ERR_INVALID_ARG);
    uint8_t pf0[] = { 0x01, 0 }; /* payload format 0: bytes, anything goes */
    brisa_mqtt_properties bytes = { pf0, sizeof pf0, NULL, 0 };
    assert_int_equal(brisa_mqtt_publish_props(&e->c, "t", "\xff", 1, 0, false, &bytes, NULL),
                     BRISA_OK);
    const char *want[] = { "30 07 00 01 74 02 01 00 ff" };
    expect_sent(e, want, 1);
}

/* ---- CONNECT properties one at a time ---------------------------------------- */

static void test_connect_single_properties(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { .maximum_packet_size = 300, .no_problem_info = true };
    feed5(e, 0, 0x20, "00 00 00");
    o.protocol_level = BRISA_MQTT_V5;
    o.clean_session = true;
    o.client_id = "c";
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, NULL), BRISA_OK);
    const char *want[] = {
        "10 15 00 04 4d 51 54 54 05 02 00 00 07 27 00 00 01 2c 17 00 00 01 63" };
    expect_sent(e, want, 1);
}

/* ---- topic aliases at their limits ---------------------------------------------- */

static void test_alias_topics_too_long(void **state)
{
    mqtt_env *e = *state;
    static brisa_mqtt_topic_alias out_table[1], in_table[1];
    e->cfg.aliases = out_table;
    e->cfg.alias_count = 1;
    e->cfg.aliases_in = in_table;
    e->cfg.alias_in_count = 1;
    assert_int_equal(brisa_mqtt_init(&e->c, &e->cfg), BRISA_OK);
    brisa_mqtt_connect_options o = { 0 };
    assert_int_equal(connect_with(e, &o, "00 00 03 22 00 01"), BRISA_OK);
    /* Too long for a slot: sent in full, no alias taken. */
    char topic[BRISA_MQTT_ALIAS_TOPIC_MAX + 1];
    memset(topic, 'x', sizeof topic - 1);
    topic[sizeof topic - 1] = 0;
    assert_int_equal(brisa_mqtt_publish(&e->c, topic, "", 0, 0, false, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "s", "", 0, 0, false, NULL), BRISA_OK);
    fake_pkt pk[2];
    assert_int_equal(fake_out_packets(&e->ft, pk, 2), 2);
    const char *second[] = { "30 07 00 01 73 03 23 00 01" };
    expect_sent_on(&e->ft, 1, second, 1);

    /* The server's long topic with alias 1 is delivered but not kept:
     * the alias alone later is unknown (0x94). */
    fake_out_clear(&e->ft);
    char body[3 * (BRISA_MQTT_ALIAS_TOPIC_MAX + 16)];
    size_t at = 0;
    size_t len = sizeof topic - 1;
    at += (size_t)snprintf(body + at, sizeof body - at, "%02zx %02zx", len >> 8, len & 0xff);
    for (size_t i = 0; i < len; i++)
        at += (size_t)snprintf(body + at, sizeof body - at, " 78");
    snprintf(body + at, sizeof body - at, " 03 23 00 01 41");
    feed5(e, e->clk.now, 0x30, body);
    run(e, BRISA_OK);
    assert_int_equal(e->nmsgs, 1);
    feed5(e, e->clk.now, 0x30, "00 00 03 23 00 01 42");
    run(e, BRISA_ERR_PROTOCOL);
    const char *bad[] = { "e0 01 94" };
    expect_sent(e, bad, 1);
}

/* A QoS 2 message sent again before PUBREL does not count twice against
 * our Receive Maximum. */
static void test_qos2_resent_within_receive_maximum(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { .receive_maximum = 1 };
    assert_int_equal(connect_with(e, &o, "00 00 00"), BRISA_OK);
    feed5(e, 0, 0x34, "00 01 61 00 01 00 78");
    feed5(e, 0, 0x3c, "00 01 61 00 01 00 78");
    run(e, BRISA_OK);
    assert_true(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(e->nmsgs, 1);
    const char *want[] = { "50 02 00 01", "50 02 00 01" };
    expect_sent(e, want, 2);
}

/* ---- AUTH ---------------------------------------------------------------------- */

typedef struct auth_script {
    int first;    /* what step 0x19 returns: a length or an error */
    int cont;     /* what step 0x18 returns */
    int final;    /* what step 0x00 returns */
    int calls;
} auth_script;

static int scripted_step(void *ctx, uint8_t reason, const uint8_t *in, size_t in_len,
                         uint8_t *out, size_t size)
{
    (void)in, (void)in_len;
    auth_script *s = ctx;
    s->calls++;
    int r = reason == 0x19 ? s->first : reason == 0x18 ? s->cont : s->final;
    if (r > 0 && (size_t)r <= size)
        memset(out, 'a', (size_t)r);
    return r;
}

static void test_auth_method_failures(void **state)
{
    mqtt_env *e = *state;
    auth_script s = { .first = BRISA_ERR_IO };
    brisa_mqtt_auth a = { .method = "M", .step = scripted_step, .ctx = &s };
    brisa_mqtt_connect_options o = { .auth = &a };
    /* The first step fails: nothing is sent. */
    assert_int_equal(connect_with(e, &o, NULL), BRISA_ERR_IO);
    /* The method writes more than it was given room for. */
    s.first = BRISA_MQTT_AUTH_DATA_MAX + 1;
    assert_int_equal(connect_with(e, &o, NULL), BRISA_ERR_INVALID_ARG);
    /* No method name, or no step. */
    brisa_mqtt_auth nameless = { .method = NULL, .step = scripted_step, .ctx = &s };
    o.auth = &nameless;
    assert_int_equal(connect_with(e, &o, NULL), BRISA_ERR_INVALID_ARG);
    brisa_mqtt_auth stepless = { .method = "M", .step = NULL };
    o.auth = &stepless;
    assert_int_equal(connect_with(e, &o, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(e->ft.out_len, 0);
}

/* The method fails on the server's continue: DISCONNECT 0x87. */
static void test_auth_continue_fails(void **state)
{
    mqtt_env *e = *state;
    auth_script s = { .first = 1, .cont = BRISA_ERR_REFUSED };
    brisa_mqtt_auth a = { .method = "M", .step = scripted_step, .ctx = &s };
    brisa_mqtt_connect_options o = { .auth = &a };
    feed5(e, 0, 0xf0, "18 04 15 00 01 4d");
    assert_int_equal(connect_with(e, &o, NULL), BRISA_ERR_REFUSED);
    assert_int_equal(brisa_mqtt_last_failure(&e->c)->reason_code, 0x87);
    assert_int_equal(s.calls, 2);
}

/* AUTH from a server we never asked, one asking us to re-authenticate,
 * and one naming a method of another length. */
static void test_auth_unasked_and_foreign(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { 0 };
    assert_int_equal(connect_with(e, &o, "00 00 00"), BRISA_OK);
    assert_int_equal(brisa_mqtt_reauthenticate(&e->c), BRISA_ERR_STATE); /* no method */
    feed5(e, e->clk.now, 0xf0, "18 04 15 00 01 4d");
    run(e, BRISA_ERR_PROTOCOL);
    assert_int_equal(brisa_mqtt_last_failure(&e->c)->reason_code, 0x82);

    auth_script s = { .first = 1, .final = 0 };
    brisa_mqtt_auth a = { .method = "M", .step = scripted_step, .ctx = &s };
    o.auth = &a;
    assert_int_equal(connect_with(e, &o, "00 00 00"), BRISA_OK);
    feed5(e, e->clk.now, 0xf0, "19 04 15 00 01 4d");
    run(e, BRISA_ERR_PROTOCOL);
    assert_int_equal(brisa_mqtt_last_failure(&e->c)->reason_code, 0x82);

    assert_int_equal(connect_with(e, &o, "00 00 00"), BRISA_OK);
    feed5(e, e->clk.now, 0xf0, "18 05 15 00 02 4d 4d");
    run(e, BRISA_ERR_PROTOCOL);
    assert_int_equal(brisa_mqtt_last_failure(&e->c)->reason_code, 0x8c);
}

/* Re-authentication whose method fails at the server's success. */
static void test_reauth_final_fails(void **state)
{
    mqtt_env *e = *state;
    auth_script s = { .first = 1, .final = 0 };
    brisa_mqtt_auth a = { .method = "M", .step = scripted_step, .ctx = &s };
    brisa_mqtt_connect_options o = { .auth = &a };
    assert_int_equal(connect_with(e, &o, "00 00 00"), BRISA_OK);
    s.first = BRISA_ERR_IO;
    assert_int_equal(brisa_mqtt_reauthenticate(&e->c), BRISA_ERR_IO);
    assert_true(brisa_mqtt_is_connected(&e->c));
    s.first = 1;
    assert_int_equal(brisa_mqtt_reauthenticate(&e->c), BRISA_OK);
    s.final = BRISA_ERR_REFUSED;
    feed5(e, e->clk.now, 0xf0, "00 04 15 00 01 4d");
    run(e, BRISA_ERR_REFUSED);
    assert_int_equal(brisa_mqtt_last_failure(&e->c)->reason_code, 0x87);
    assert_false(brisa_mqtt_is_connected(&e->c));
}

/* ---- calls that need an MQTT 5 connection ------------------------------------- */

static void test_v5_calls_need_v5(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(brisa_mqtt_reauthenticate(NULL), BRISA_ERR_INVALID_ARG);
    assert_null(brisa_mqtt_server_limits(NULL));
    assert_null(brisa_mqtt_server_limits(&e->c)); /* not connected */
    assert_int_equal(brisa_mqtt_reauthenticate(&e->c), BRISA_ERR_STATE);
    assert_int_equal(env_connect(e, 0, true), BRISA_OK); /* MQTT 3.1.1 */
    assert_null(brisa_mqtt_server_limits(&e->c));
    assert_int_equal(brisa_mqtt_reauthenticate(&e->c), BRISA_ERR_STATE);
}

/* AUTH too large for our transmit buffer: re-authentication fails at
 * once; a server continue that cannot be answered ends the link (0x87). */
static void test_auth_too_large_to_send(void **state)
{
    mqtt_env *e = *state;
    auth_script s = { .first = 1, .final = 0 };
    brisa_mqtt_auth a = { .method = "M", .step = scripted_step, .ctx = &s };
    brisa_mqtt_connect_options o = { .auth = &a };
    assert_int_equal(connect_with(e, &o, "00 00 00"), BRISA_OK);
    s.first = 250; /* fits the method's room, not the 256-byte buffer */
    assert_int_equal(brisa_mqtt_reauthenticate(&e->c), BRISA_ERR_NO_SPACE);
    assert_true(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(e->ft.out_len, 0);
    s.cont = 250;
    feed5(e, e->clk.now, 0xf0, "18 04 15 00 01 4d");
    run(e, BRISA_ERR_REFUSED);
    assert_int_equal(brisa_mqtt_last_failure(&e->c)->reason_code, 0x87);
}

/* An AUTH without a method: 0x8C. Limits are only there once connected. */
static void test_auth_without_method(void **state)
{
    mqtt_env *e = *state;
    auth_script s = { .first = 1, .final = 0 };
    brisa_mqtt_auth a = { .method = "M", .step = scripted_step, .ctx = &s };
    brisa_mqtt_connect_options o = { .auth = &a };
    assert_int_equal(connect_with(e, &o, "00 00 00"), BRISA_OK);
    assert_non_null(brisa_mqtt_server_limits(&e->c));
    feed5(e, e->clk.now, 0xf0, "18 04 16 00 01 41");
    run(e, BRISA_ERR_PROTOCOL);
    assert_null(brisa_mqtt_server_limits(&e->c));
}

/* Subscription properties without an identifier pass whatever the
 * server supports; with one, when it does. */
static void test_subscribe_props_allowed(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { 0 };
    assert_int_equal(connect_with(e, &o, "00 00 00"), BRISA_OK);
    static const brisa_mqtt_subscription subs[] = { { "$share/g/a", 1 }, { "b/+", 0 } };
    uint8_t up[] = { 0x26, 0, 1, 'k', 0, 1, 'v' };
    brisa_mqtt_properties user = { up, sizeof up, NULL, 0 };
    assert_int_equal(brisa_mqtt_subscribe_props(&e->c, subs, 2, &user, NULL), BRISA_OK);
    uint8_t sid[] = { 0x0b, 0x09 };
    brisa_mqtt_properties with_id = { sid, sizeof sid, NULL, 0 };
    assert_int_equal(brisa_mqtt_subscribe_props(&e->c, subs, 1, &with_id, NULL), BRISA_OK);
    fake_pkt pk[3];
    assert_int_equal(fake_out_packets(&e->ft, pk, 3), 2);
}

/* MQTT 5 acknowledgements that do not match: a refused PUBREC for an id
 * never used, an UNSUBACK with a code too many; a PUBREC for an unknown id
 * is answered "Packet Identifier not found" (0x92). */
static void test_acks_that_do_not_match(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { 0 };
    assert_int_equal(connect_with(e, &o, "00 00 00"), BRISA_OK);
    feed5(e, e->clk.now, 0x50, "00 09");
    run(e, BRISA_OK);
    const char *want[] = { "62 03 00 09 92" };
    expect_sent(e, want, 1);
    feed5(e, e->clk.now, 0x50, "00 09 80");
    run(e, BRISA_ERR_PROTOCOL);

    assert_int_equal(connect_with(e, &o, "00 00 00"), BRISA_OK);
    static const char *const filters[] = { "a" };
    uint16_t id;
    assert_int_equal(brisa_mqtt_unsubscribe(&e->c, filters, 1, &id), BRISA_OK);
    feed5(e, e->clk.now, 0xb0, "00 01 00 00 00");
    run(e, BRISA_ERR_PROTOCOL);
}

/* The server may refuse with DISCONNECT before CONNACK: its reason is
 * the failure's. */
static void test_disconnect_before_connack(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { 0 };
    feed5(e, 0, 0xe0, "9c 00"); /* Use another server */
    assert_int_equal(connect_with(e, &o, NULL), BRISA_ERR_REFUSED);
    assert_int_equal(brisa_mqtt_last_failure(&e->c)->reason_code, 0x9c);
}

/* DISCONNECT with a reason and properties; properties that do not belong
 * in a DISCONNECT, or do not fit the buffer, are refused and the
 * connection stays. An empty client id is fine: the server assigns one. */
static void test_disconnect_with_properties(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { 0 };
    assert_int_equal(connect_with(e, &o, "00 00 00"), BRISA_OK);
    uint8_t alias[] = { 0x23, 0x00, 0x01 };
    brisa_mqtt_properties bad = { alias, sizeof alias, NULL, 0 };
    assert_int_equal(brisa_mqtt_disconnect_reason(&e->c, 0x04, &bad), BRISA_ERR_INVALID_ARG);
    static uint8_t big[300];
    big[0] = 0x1f;
    big[1] = 0x01;
    big[2] = 0x20;
    memset(big + 3, 'r', 0x120);
    brisa_mqtt_properties huge = { big, 3 + 0x120, NULL, 0 };
    assert_int_equal(brisa_mqtt_disconnect_reason(&e->c, 0x04, &huge), BRISA_ERR_NO_SPACE);
    assert_true(brisa_mqtt_is_connected(&e->c));
    uint8_t rs[] = { 0x1f, 0x00, 0x02, 'o', 'k' };
    brisa_mqtt_properties why = { rs, sizeof rs, NULL, 0 };
    assert_int_equal(brisa_mqtt_disconnect_reason(&e->c, 0x04, &why), BRISA_OK);
    const char *want[] = { "e0 07 04 05 1f 00 02 6f 6b" };
    expect_sent(e, want, 1);
    assert_false(brisa_mqtt_is_connected(&e->c));

    brisa_mqtt_connect_options anon = { 0 };
    anon.protocol_level = BRISA_MQTT_V5;
    anon.client_id = "";
    e->ft.closed = false;
    feed5(e, e->clk.now, 0x20, "00 00 00");
    assert_int_equal(brisa_mqtt_connect(&e->c, &anon, 1000, NULL), BRISA_OK);
}

/* Authentication method names long enough to crowd out their data: the
 * 320-byte property space of CONNECT and AUTH is never overrun. */
static void test_long_method_names(void **state)
{
    mqtt_env *e = *state;
    static char m100[101], m315[316], m400[401];
    memset(m100, 'm', 100);
    memset(m315, 'm', 315);
    memset(m400, 'm', 400);
    auth_script s = { .first = 1, .final = 0 };
    brisa_mqtt_auth a = { .method = m400, .step = scripted_step, .ctx = &s };
    brisa_mqtt_connect_options o = { .auth = &a };
    assert_int_equal(connect_with(e, &o, NULL), BRISA_ERR_NO_SPACE);
    a.method = m315; /* the name fits, the data's header does not */
    assert_int_equal(connect_with(e, &o, NULL), BRISA_ERR_NO_SPACE);
    assert_int_equal(s.calls, 0);
    assert_int_equal(e->ft.out_len, 0);
    /* 100 characters leave less than the usual room: the step is told. */
    a.method = m100;
    assert_int_equal(connect_with(e, &o, "00 00 00"), BRISA_OK);
    assert_int_equal(s.calls, 2);
    /* A method renamed too long since: re-authentication cannot start. */
    a.method = m400;
    assert_int_equal(brisa_mqtt_reauthenticate(&e->c), BRISA_ERR_NO_SPACE);
    assert_true(brisa_mqtt_is_connected(&e->c));
}

/* A count of outgoing aliases without their table: no alias is used. */
static void test_alias_count_without_table(void **state)
{
    mqtt_env *e = *state;
    e->cfg.aliases = NULL;
    e->cfg.alias_count = 3;
    assert_int_equal(brisa_mqtt_init(&e->c, &e->cfg), BRISA_OK);
    brisa_mqtt_connect_options o = { 0 };
    assert_int_equal(connect_with(e, &o, "00 00 03 22 00 05"), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "", 0, 0, false, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "", 0, 0, false, NULL), BRISA_OK);
    const char *want[] = { "30 04 00 01 74 00", "30 04 00 01 74 00" };
    expect_sent(e, want, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_limits_refuse_subscriptions, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_publish_props_checked, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_connect_single_properties, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_alias_topics_too_long, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_qos2_resent_within_receive_maximum, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_auth_method_failures, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_auth_continue_fails, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_auth_unasked_and_foreign, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_reauth_final_fails, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_v5_calls_need_v5, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_auth_too_large_to_send, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_auth_without_method, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_subscribe_props_allowed, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_acks_that_do_not_match, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_disconnect_before_connack, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_disconnect_with_properties, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_long_method_names, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_alias_count_without_table, env_setup_unconnected, env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
