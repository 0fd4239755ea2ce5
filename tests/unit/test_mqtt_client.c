// SPDX-License-Identifier: MIT
/* Tests for the MQTT client (src/mqtt/client*.c): connecting, CONNACK
 * refusals and timeouts, keepalive timing, the process loop's waits,
 * transport failures and misbehaving brokers. Runs over the scripted
 * transport and fake clock of mqtt_fakes.c. */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "brisa/mqtt_codec.h"
#include "mqtt_env_cmocka.h"

static size_t count_sent(mqtt_env *e, uint8_t type, fake_pkt *first)
{
    fake_pkt pk[256];
    size_t n = fake_out_packets(&e->ft, pk, 256), count = 0;
    for (size_t i = 0; i < n && i < 256; i++) {
        if (pk[i].type != type)
            continue;
        if (count == 0 && first)
            *first = pk[i];
        count++;
    }
    return count;
}

/* ---- CONNECT / CONNACK --------------------------------------------------- */

static void test_connect_accepted(void **state)
{
    mqtt_env *e = *state;
    env_feed(e, 20, "20 02 00 00");
    brisa_mqtt_will will = { .topic = "w/t", .payload = (const uint8_t *)"bye",
                             .payload_len = 3, .qos = 1, .retain = true };
    brisa_mqtt_connect_options o = {
        .client_id = "cid", .keepalive_s = 10, .username = "u",
        .password = (const uint8_t *)"p", .password_len = 1, .will = &will,
    };
    brisa_mqtt_connack ack = { .session_present = true, .return_code = 99 };
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, &ack), BRISA_OK);
    assert_int_equal(ack.return_code, 0);
    assert_false(ack.session_present);
    assert_true(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(e->clk.now, 20);
    const char *want[] = { "10 1f 00 04 4d 51 54 54 04 ec 00 0a 00 03 63 69 64 00 03 77 2f 74"
                           " 00 03 62 79 65 00 01 75 00 01 70" };
    expect_sent(e, want, 1);
    assert_int_equal(env_events_of(e, BRISA_MQTT_EVT_CONNACK), 1);
    /* Trace: CONNECT out, CONNACK in. */
    assert_int_equal(e->ntraces, 2);
    assert_true(e->traces[0].outgoing);
    assert_int_equal(e->traces[0].type, BRISA_MQTT_CONNECT);
    assert_false(e->traces[1].outgoing);
    assert_int_equal(e->traces[1].type, BRISA_MQTT_CONNACK);
    /* Connecting twice is a state error. */
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, &ack), BRISA_ERR_STATE);
}

static void test_connect_mqtt31(void **state)
{
    mqtt_env *e = *state;
    env_feed(e, 0, "20 02 00 00");
    brisa_mqtt_connect_options o = { .client_id = "a", .clean_session = true,
                                     .keepalive_s = 60, .protocol_level = BRISA_MQTT_V31 };
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, NULL), BRISA_OK);
    const char *want[] = { "10 0f 00 06 4d 51 49 73 64 70 03 02 00 3c 00 01 61" };
    expect_sent(e, want, 1);
}

static void test_connect_refused_with_reason(void **state)
{
    mqtt_env *e = *state;
    static const struct { uint8_t rc; const char *name; } cases[] = {
        { 1, "unacceptable protocol version" }, { 2, "identifier rejected" },
        { 3, "server unavailable" }, { 4, "bad user name or password" },
        { 5, "not authorized" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        env_free(e);
        env_init(e, 256, 256, 8);
        uint8_t buf[4] = { 0x20, 0x02, 0x00, cases[i].rc };
        fake_feed(&e->ft, 0, buf, 4);
        brisa_mqtt_connect_options o = { .client_id = "dev", .clean_session = true };
        brisa_mqtt_connack ack;
        assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, &ack), BRISA_ERR_REFUSED);
        assert_int_equal(ack.return_code, cases[i].rc);
        assert_string_equal(brisa_mqtt_connack_str(ack.return_code), cases[i].name);
        assert_false(brisa_mqtt_is_connected(&e->c));
        assert_true(e->ft.closed);
        const env_event *d = env_last_event(e, BRISA_MQTT_EVT_DISCONNECTED);
        assert_non_null(d);
        assert_int_equal(d->e.err, BRISA_ERR_REFUSED);
        assert_int_equal(env_last_event(e, BRISA_MQTT_EVT_CONNACK)->e.connack.return_code,
                         cases[i].rc);
    }
}

static void test_connack_never_comes(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { .client_id = "dev", .clean_session = true };
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 5000, NULL), BRISA_ERR_TIMEOUT);
    assert_int_equal(e->clk.now, 5000);
    assert_true(e->ft.closed);
    assert_false(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(env_last_event(e, BRISA_MQTT_EVT_DISCONNECTED)->e.err, BRISA_ERR_TIMEOUT);
    /* A late CONNACK on a fresh transport is someone else's business. */
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_ERR_STATE);
}

static void test_connect_event_loop(void **state)
{
    mqtt_env *e = *state;
    env_feed(e, 300, "20 02 00 00");
    brisa_mqtt_connect_options o = { .client_id = "dev", .clean_session = true };
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &o), BRISA_OK);
    assert_false(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_OK);
    assert_int_equal(e->clk.now, 100);
    assert_int_equal(env_events_of(e, BRISA_MQTT_EVT_CONNACK), 0);
    assert_int_equal(brisa_mqtt_process(&e->c, 1000), BRISA_OK);
    assert_int_equal(e->clk.now, 300); /* returned once CONNACK was handled */
    assert_true(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(env_events_of(e, BRISA_MQTT_EVT_CONNACK), 1);
}

static void test_connect_event_loop_timeout(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { .client_id = "dev", .clean_session = true,
                                     .connack_timeout_ms = 2000 };
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &o), BRISA_OK);
    assert_int_equal(brisa_mqtt_process(&e->c, 1500), BRISA_OK);
    assert_int_equal(brisa_mqtt_process(&e->c, 1500), BRISA_ERR_TIMEOUT);
    assert_int_equal(e->clk.now, 2000);
    assert_int_equal(env_last_event(e, BRISA_MQTT_EVT_DISCONNECTED)->e.err, BRISA_ERR_TIMEOUT);
}

static void test_connect_bad_options(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { .client_id = "", .clean_session = false };
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &o), BRISA_ERR_INVALID_ARG);
    o.clean_session = true;
    o.protocol_level = BRISA_MQTT_V31; /* 3.1 needs an id */
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &o), BRISA_ERR_INVALID_ARG);
    brisa_mqtt_connect_options p = { .client_id = "x", .password = (const uint8_t *)"p",
                                     .password_len = 1 };
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &p), BRISA_ERR_INVALID_ARG);
    brisa_mqtt_connect_options v9 = { .client_id = "x", .protocol_level = 9 };
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &v9), BRISA_ERR_INVALID_ARG);
#if !BRISA_MQTT5
    brisa_mqtt_connect_options v5 = { .client_id = "x", .protocol_level = 5 };
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &v5), BRISA_ERR_UNSUPPORTED);
#endif
    brisa_mqtt_will w = { .topic = "a/#" };
    brisa_mqtt_connect_options wo = { .client_id = "x", .will = &w };
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &wo), BRISA_ERR_INVALID_ARG);
    /* Nothing was sent for any of them. */
    assert_int_equal(e->ft.out_len, 0);
    /* A CONNECT larger than tx_buf. */
    char id[300];
    memset(id, 'i', sizeof id - 1);
    id[sizeof id - 1] = 0;
    brisa_mqtt_connect_options big = { .client_id = id, .clean_session = true };
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &big), BRISA_ERR_NO_SPACE);
    brisa_mqtt_config cfg = e->cfg;
    brisa_mqtt_client c;
    cfg.tx_size = 4;
    assert_int_equal(brisa_mqtt_init(&c, &cfg), BRISA_ERR_INVALID_ARG);
    cfg = e->cfg;
    cfg.transport.recv = NULL;
    assert_int_equal(brisa_mqtt_init(&c, &cfg), BRISA_ERR_INVALID_ARG);
}

/* ---- keepalive ----------------------------------------------------------- */

static void test_pingreq_exactly_when_due(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 10, true), BRISA_OK);
    env_feed(e, 10001, "d0 00");
    env_feed(e, 20001, "d0 00");
    /* Not yet due: nothing sent in the first 9.999 s. */
    assert_int_equal(brisa_mqtt_process(&e->c, 9999), BRISA_OK);
    assert_int_equal(e->clk.now, 9999);
    assert_int_equal(count_sent(e, BRISA_MQTT_PINGREQ, NULL), 0);
    assert_int_equal(brisa_mqtt_process(&e->c, 5000), BRISA_OK);
    fake_pkt first;
    assert_int_equal(count_sent(e, BRISA_MQTT_PINGREQ, &first), 1);
    assert_int_equal(first.at, 10000);
    assert_int_equal(e->clk.now, 10001); /* back as soon as PINGRESP came */
    fake_out_clear(&e->ft);
    assert_int_equal(brisa_mqtt_process(&e->c, 20000), BRISA_OK);
    assert_int_equal(count_sent(e, BRISA_MQTT_PINGREQ, &first), 1);
    assert_int_equal(first.at, 20000);
    assert_true(brisa_mqtt_is_connected(&e->c));
}

static void test_ping_follows_last_send(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 10, true), BRISA_OK);
    /* The broker talks at 4 s, we publish at 6 s: the ping is due 10 s
     * after the older of the two (the broker's message). */
    env_feed(e, 4000, "30 05 00 03 61 2f 62");
    env_feed(e, 14001, "d0 00");
    assert_int_equal(brisa_mqtt_process(&e->c, 6000), BRISA_OK); /* returns at 4 s */
    e->clk.now = 6000;
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 0, false, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_process(&e->c, 20000), BRISA_OK);
    fake_pkt first;
    assert_int_equal(count_sent(e, BRISA_MQTT_PINGREQ, &first), 1);
    assert_int_equal(first.at, 14000);
}

static void test_silent_broker_detected(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 10, true), BRISA_OK);
    int err = BRISA_OK;
    while (err == BRISA_OK)
        err = brisa_mqtt_process(&e->c, 1000);
    assert_int_equal(err, BRISA_ERR_TIMEOUT);
    assert_true(e->clk.now <= 15000); /* within 1.5 x keepalive */
    assert_int_equal(e->clk.now, 15000);
    assert_true(e->ft.closed);
    assert_false(brisa_mqtt_is_connected(&e->c));
    const env_event *d = env_last_event(e, BRISA_MQTT_EVT_DISCONNECTED);
    assert_non_null(d);
    assert_int_equal(d->e.err, BRISA_ERR_TIMEOUT);
    fake_pkt first;
    assert_int_equal(count_sent(e, BRISA_MQTT_PINGREQ, &first), 1);
    assert_int_equal(first.at, 10000);
}

/* One long process call: its waits must end at the timers, not at the
 * caller's deadline. */
static void test_silent_broker_one_long_process(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 4, true), BRISA_OK);
    assert_int_equal(brisa_mqtt_process(&e->c, 3600000), BRISA_ERR_TIMEOUT);
    assert_int_equal(e->clk.now, 6000);
    fake_pkt first;
    assert_int_equal(count_sent(e, BRISA_MQTT_PINGREQ, &first), 1);
    assert_int_equal(first.at, 4000);
}

static void test_ping_unanswered_while_broker_talks(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 10, true), BRISA_OK);
    /* Messages keep coming but PINGRESP never does. */
    for (uint64_t t = 2000; t <= 40000; t += 2000)
        env_feed(e, t, "30 05 00 03 61 2f 62");
    int err = BRISA_OK;
    while (err == BRISA_OK)
        err = brisa_mqtt_process(&e->c, 1000);
    assert_int_equal(err, BRISA_ERR_TIMEOUT);
    assert_int_equal(e->clk.now, 20000); /* ping at 10 s, unanswered for 10 s */
}

static void test_no_keepalive_no_ping(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    assert_int_equal(brisa_mqtt_process(&e->c, 1000000), BRISA_OK);
    assert_int_equal(e->ft.out_len, 0);
    assert_true(brisa_mqtt_is_connected(&e->c));
}

static void test_process_never_waits_longer(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 60, true), BRISA_OK);
    e->ft.max_recv_timeout = 0;
    assert_int_equal(brisa_mqtt_process(&e->c, 250), BRISA_OK);
    assert_int_equal(e->clk.now, 250);
    assert_true(e->ft.max_recv_timeout <= 250);
    /* 0 only looks at what is already there. */
    assert_int_equal(brisa_mqtt_process(&e->c, 0), BRISA_OK);
    assert_int_equal(e->clk.now, 250);
    /* Waits are cut at the keepalive timer, then the rest of the time. */
    e->ft.max_recv_timeout = 0;
    env_feed(e, 60001, "d0 00");
    assert_int_equal(brisa_mqtt_process(&e->c, 100000), BRISA_OK);
    assert_true(e->ft.max_recv_timeout <= 60000 - 250);
    fake_pkt first;
    assert_int_equal(count_sent(e, BRISA_MQTT_PINGREQ, &first), 1);
    assert_int_equal(first.at, 60000);
}

/* ---- failures ------------------------------------------------------------ */

static void test_malformed_from_broker(void **state)
{
    static const struct { const char *why, *bytes; int err; } cases[] = {
        { "PUBACK with a trailing byte", "40 03 00 01 00", BRISA_ERR_MALFORMED },
        { "reserved type", "00 00", BRISA_ERR_MALFORMED },
        { "5-byte length", "30 ff ff ff ff 7f", BRISA_ERR_MALFORMED },
        { "wildcard topic", "30 05 00 03 61 2f 23", BRISA_ERR_MALFORMED },
        { "SUBACK code 3", "90 03 00 01 03", BRISA_ERR_MALFORMED },
        { "second CONNACK", "20 02 00 00", BRISA_ERR_PROTOCOL },
        { "SUBSCRIBE from broker", "82 06 00 01 00 01 61 00", BRISA_ERR_PROTOCOL },
        { "PINGREQ from broker", "c0 00", BRISA_ERR_PROTOCOL },
        { "DISCONNECT from broker", "e0 00", BRISA_ERR_PROTOCOL },
        { "CONNECT from broker", "10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 61",
          BRISA_ERR_PROTOCOL },
    };
    mqtt_env *e = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        env_free(e);
        env_init(e, 256, 256, 8);
        assert_int_equal(env_connect(e, 0, true), BRISA_OK);
        env_feed(e, 10, cases[i].bytes);
        int err = brisa_mqtt_process(&e->c, 1000);
        if (err != cases[i].err)
            fail_msg("%s: process gave %d, want %d", cases[i].why, err, cases[i].err);
        assert_false(brisa_mqtt_is_connected(&e->c));
        assert_true(e->ft.closed);
        assert_int_equal(env_last_event(e, BRISA_MQTT_EVT_DISCONNECTED)->e.err, cases[i].err);
    }
}

static void test_packet_before_connack(void **state)
{
    mqtt_env *e = *state;
    env_feed(e, 0, "30 05 00 03 61 2f 62");
    brisa_mqtt_connect_options o = { .client_id = "dev", .clean_session = true };
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, NULL), BRISA_ERR_PROTOCOL);
    assert_int_equal(e->nmsgs, 0);
}

static void test_transport_errors(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    fake_feed_err(&e->ft, 5, BRISA_ERR_IO);
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_ERR_IO);
    assert_false(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(env_last_event(e, BRISA_MQTT_EVT_DISCONNECTED)->e.err, BRISA_ERR_IO);

    /* Peer closes mid-packet. */
    env_free(e);
    env_init(e, 256, 256, 8);
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    env_feed(e, 5, "30 05 00 03");
    fake_feed_err(&e->ft, 6, BRISA_ERR_CLOSED);
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_ERR_CLOSED);
    assert_int_equal(e->nmsgs, 0);

    /* A send that fails: not in flight, connection closed. */
    env_free(e);
    env_init(e, 256, 256, 8);
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    e->ft.fail_send_call = e->ft.nsends + 1;
    e->ft.fail_send_err = BRISA_ERR_IO;
    uint16_t id = 0;
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 1, false, &id), BRISA_ERR_IO);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
    assert_false(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 0, false, NULL), BRISA_ERR_STATE);
}

static void test_partial_reads_and_writes(void **state)
{
    mqtt_env *e = *state;
    e->ft.max_read = 1;
    e->ft.max_write = 3;
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    env_feed(e, 1, "33 0a 00 03 61 2f 62 00 05 61 62 63");
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_OK);
    assert_int_equal(e->nmsgs, 1);
    assert_int_equal(e->msgs[0].len, 3);
    assert_memory_equal(e->payload, "abc", 3);
    assert_true(e->msgs[0].retain);
    const char *want[] = { "40 02 00 05" };
    expect_sent(e, want, 1);
    assert_true(e->ft.nsends >= 2); /* the ack went out in pieces */
    fake_out_clear(&e->ft);
    assert_int_equal(brisa_mqtt_publish(&e->c, "top", "payload", 7, 0, false, NULL), BRISA_OK);
    const char *want2[] = { "30 0c 00 03 74 6f 70 70 61 79 6c 6f 61 64" };
    expect_sent(e, want2, 1);
}

static void test_disconnect(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    assert_int_equal(brisa_mqtt_disconnect(&e->c), BRISA_OK);
    const char *want[] = { "e0 00" };
    expect_sent(e, want, 1);
    assert_true(e->ft.closed);
    assert_false(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(env_last_event(e, BRISA_MQTT_EVT_DISCONNECTED)->e.err, 0);
    assert_int_equal(brisa_mqtt_disconnect(&e->c), BRISA_OK);
    assert_int_equal(env_events_of(e, BRISA_MQTT_EVT_DISCONNECTED), 1);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 0, false, NULL), BRISA_ERR_STATE);
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_ERR_STATE);
    /* Reconnect over a fresh transport. */
    fake_transport ft2;
    fake_transport_init(&ft2, &e->clk);
    brisa_transport t2 = fake_transport_iface(&ft2);
    brisa_mqtt_set_transport(&e->c, &t2);
    uint8_t ack[] = { 0x20, 0x02, 0x00, 0x00 };
    fake_feed(&ft2, e->clk.now, ack, 4);
    brisa_mqtt_connect_options o = { .client_id = "dev", .clean_session = true };
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, NULL), BRISA_OK);
    assert_int_equal(ft2.out_len, 17);
    fake_transport_free(&ft2);
}

/* Callbacks may publish and disconnect, but not re-enter the loop. */
static void hook_reenter(mqtt_env *e, const brisa_mqtt_message *m)
{
    (void)m;
    e->hook_result = brisa_mqtt_process(&e->c, 10);
    if (e->hook_result == BRISA_ERR_STATE)
        e->hook_result = brisa_mqtt_wait_all(&e->c, 10);
    if (e->hook_result == BRISA_ERR_STATE) {
        brisa_mqtt_subscription sub = { "x", 0 };
        uint8_t granted;
        e->hook_result = brisa_mqtt_subscribe_sync(&e->c, &sub, 1, &granted, 10);
    }
    if (e->hook_result == BRISA_ERR_STATE)
        e->hook_result = brisa_mqtt_publish(&e->c, "echo", "e", 1, 0, false, NULL);
}

static void hook_disconnect(mqtt_env *e, const brisa_mqtt_message *m)
{
    (void)m;
    e->hook_result = brisa_mqtt_disconnect(&e->c);
}

static void test_callbacks_reentry(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    e->on_msg_hook = hook_reenter;
    env_feed(e, 1, "30 05 00 03 61 2f 62");
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_OK);
    assert_int_equal(e->hook_result, BRISA_OK);
    assert_int_equal(count_sent(e, BRISA_MQTT_PUBLISH, NULL), 1);

    /* Disconnecting from a QoS 1 delivery: no PUBACK afterwards, process
     * reports the asked-for end as success. */
    e->on_msg_hook = hook_disconnect;
    fake_out_clear(&e->ft);
    env_feed(e, 2, "32 07 00 03 61 2f 62 00 09");
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_OK);
    assert_int_equal(e->hook_result, BRISA_OK);
    assert_false(brisa_mqtt_is_connected(&e->c));
    const char *want[] = { "e0 00" };
    expect_sent(e, want, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_connect_accepted, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_connect_mqtt31, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_connect_refused_with_reason, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_connack_never_comes, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_connect_event_loop, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_connect_event_loop_timeout, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_connect_bad_options, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_pingreq_exactly_when_due, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_ping_follows_last_send, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_silent_broker_detected, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_silent_broker_one_long_process, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_ping_unanswered_while_broker_talks, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_no_keepalive_no_ping, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_process_never_waits_longer, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_malformed_from_broker, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_packet_before_connack, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_transport_errors, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_partial_reads_and_writes, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_disconnect, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_callbacks_reentry, env_setup_unconnected, env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
