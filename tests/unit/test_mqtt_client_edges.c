// SPDX-License-Identifier: MIT
/* The MQTT client at its edges, over the scripted transport: a transport
 * that breaks its contract (sends nothing, claims more than it was given,
 * reads more than asked, reads nothing), sends that fail in the middle of
 * an exchange, connect options no version can carry, DISCONNECT reasons
 * 3.1.1 cannot send, routes removed from the middle of the table, and a
 * partly received packet reported as such. */
#include "cmocka_all.h"

#include <string.h>

#include "mqtt_env_cmocka.h"

/* ---- a transport that misbehaves in one chosen way ------------------------ */

typedef struct bad_link {
    fake_transport *ft; /* the well-behaved one underneath */
    int send_ret;       /* 0: pass through; else returned as is (see below) */
    bool send_too_much; /* claims one byte more than it was given */
    int recv_ret;       /* 0: pass through; 1: returns 0; 2: want + 1; 3: WOULD_BLOCK */
} bad_link;

static int bad_send(void *ctx, const uint8_t *buf, size_t len, unsigned flags, uint32_t t)
{
    bad_link *b = ctx;
    brisa_transport under = fake_transport_iface(b->ft);
    int n = under.send(under.ctx, buf, len, flags, t);
    if (b->send_too_much)
        return (int)len + 1;
    return b->send_ret ? 0 : n;
}

static int bad_recv(void *ctx, uint8_t *buf, size_t len, uint32_t t)
{
    bad_link *b = ctx;
    brisa_transport under = fake_transport_iface(b->ft);
    switch (b->recv_ret) {
    case 1:
        return 0;
    case 2:
        return (int)len + 1;
    case 3:
        b->ft->clock->now += t;
        return BRISA_ERR_WOULD_BLOCK;
    default:
        return under.recv(under.ctx, buf, len, t);
    }
}

static void bad_close(void *ctx)
{
    bad_link *b = ctx;
    brisa_transport under = fake_transport_iface(b->ft);
    under.close(under.ctx);
}

/* Connects over @p b (well-behaved until the test changes it). */
static void connect_via(mqtt_env *e, bad_link *b)
{
    b->ft = &e->ft;
    brisa_transport t = { b, bad_send, bad_recv, bad_close };
    brisa_mqtt_set_transport(&e->c, &t);
    e->ft.closed = false;
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
}

static void test_send_contract_broken(void **state)
{
    mqtt_env *e = *state;
    bad_link b = { 0 };
    connect_via(e, &b);
    b.send_ret = 1;
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 0, false, NULL), BRISA_ERR_IO);
    assert_false(brisa_mqtt_is_connected(&e->c));

    bad_link more = { 0 };
    connect_via(e, &more);
    more.send_too_much = true;
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 0, false, NULL), BRISA_ERR_IO);
    assert_false(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(brisa_mqtt_last_failure(&e->c)->err, BRISA_ERR_IO);
}

static void test_recv_contract_broken(void **state)
{
    mqtt_env *e = *state;
    /* "Nothing yet" is not an error. */
    bad_link b = { 0 };
    connect_via(e, &b);
    b.recv_ret = 3;
    assert_int_equal(brisa_mqtt_process(&e->c, 50), BRISA_OK);
    assert_true(brisa_mqtt_is_connected(&e->c));
    /* Zero bytes read is the peer closing; more than asked is a broken port. */
    b.recv_ret = 1;
    assert_int_equal(brisa_mqtt_process(&e->c, 50), BRISA_ERR_CLOSED);
    assert_false(brisa_mqtt_is_connected(&e->c));
    b.recv_ret = 0;
    connect_via(e, &b);
    b.recv_ret = 2;
    assert_int_equal(brisa_mqtt_process(&e->c, 50), BRISA_ERR_IO);
    assert_false(brisa_mqtt_is_connected(&e->c));
}

/* ---- sends that fail mid-exchange ------------------------------------------ */

static void test_subscribe_send_fails(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    e->ft.fail_send_call = e->ft.nsends + 1;
    e->ft.fail_send_err = BRISA_ERR_CLOSED;
    static const brisa_mqtt_subscription sub[] = { { "a", 1 } };
    uint16_t id = 77;
    assert_int_equal(brisa_mqtt_subscribe(&e->c, sub, 1, &id), BRISA_ERR_CLOSED);
    assert_int_equal(id, 77); /* not set on failure */
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
    assert_false(brisa_mqtt_is_connected(&e->c));
}

static void test_disconnect_refusals_and_failure(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(brisa_mqtt_disconnect(NULL), BRISA_ERR_INVALID_ARG);
    assert_null(brisa_mqtt_last_connack(NULL));
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    /* 3.1.1 has no reason codes: refused, still connected. */
    assert_int_equal(brisa_mqtt_disconnect_reason(&e->c, 0x04, NULL), BRISA_ERR_UNSUPPORTED);
    assert_true(brisa_mqtt_is_connected(&e->c));
    /* Neither has it properties for PUBLISH. */
    uint8_t pf[] = { 0x01, 0x01 };
    brisa_mqtt_properties props = { pf, sizeof pf, NULL, 0 };
    assert_int_equal(brisa_mqtt_publish_props(&e->c, "t", "x", 1, 0, false, &props, NULL),
                     BRISA_ERR_INVALID_ARG);
    /* The DISCONNECT that cannot be sent: its error, and the link is gone. */
    e->ft.fail_send_call = e->ft.nsends + 1;
    e->ft.fail_send_err = BRISA_ERR_IO;
    assert_int_equal(brisa_mqtt_disconnect(&e->c), BRISA_ERR_IO);
    assert_false(brisa_mqtt_is_connected(&e->c));
    /* Not connected: nothing to send, still fine. */
    assert_int_equal(brisa_mqtt_disconnect(&e->c), BRISA_OK);
}

/* ---- CONNECT options ----------------------------------------------------------- */

static void test_connect_options_refused(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options v31 = { .protocol_level = BRISA_MQTT_V31, .clean_session = true };
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &v31), BRISA_ERR_INVALID_ARG);
    brisa_mqtt_connect_options kept = { .client_id = "", .clean_session = false };
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &kept), BRISA_ERR_INVALID_ARG);
    brisa_mqtt_connect_options bad = { .client_id = "c", .protocol_level = 2 };
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &bad), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_connect_start(NULL, &bad), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_connect_start(&e->c, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(e->ft.out_len, 0);
    /* Connecting twice is out of order. */
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    brisa_mqtt_connect_options ok = { .client_id = "c", .clean_session = true };
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &ok), BRISA_ERR_STATE);
}

/* The peer closes before CONNACK: the error is the transport's. */
static void test_connect_peer_closes(void **state)
{
    mqtt_env *e = *state;
    e->ft.eof_when_empty = true;
    brisa_mqtt_connect_options o = { .client_id = "c", .clean_session = true };
    brisa_mqtt_connack ack;
    memset(&ack, 0xff, sizeof ack);
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, &ack), BRISA_ERR_CLOSED);
    assert_int_equal(ack.return_code, 0);
    assert_false(brisa_mqtt_is_connected(&e->c));
}

/* ---- routes --------------------------------------------------------------------- */

static void test_route_remove_from_the_middle(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(brisa_mqtt_route_add(&e->c, "a", env_route1, e), BRISA_OK);
    assert_int_equal(brisa_mqtt_route_add(&e->c, "b", env_route2, e), BRISA_OK);
    assert_int_equal(brisa_mqtt_route_add(&e->c, "c", NULL, e), BRISA_OK);
    assert_int_equal(brisa_mqtt_route_remove(&e->c, "a"), BRISA_OK);
    assert_int_equal(brisa_mqtt_route_remove(&e->c, "a"), BRISA_ERR_NOT_FOUND);
    assert_string_equal(e->routes[0].filter, "b");
    assert_string_equal(e->routes[1].filter, "c");
    assert_null(e->routes[2].filter);
    assert_int_equal(brisa_mqtt_route_remove(NULL, "a"), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_route_remove(&e->c, NULL), BRISA_ERR_INVALID_ARG);
    /* A route without a callback drops what it matches; the rest still
     * goes to on_message. */
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    env_feed(e, e->clk.now, "30 04 00 01 63 78");
    env_feed(e, e->clk.now, "30 04 00 01 64 78");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_OK);
    assert_int_equal(e->nmsgs, 1);
    assert_string_equal(e->msgs[0].topic, "d");
}

/* ---- a packet half received --------------------------------------------------- */

static void test_partial_packet_reported(void **state)
{
    mqtt_env *e = *state;
    assert_false(brisa_mqtt_rx_partial(NULL, NULL, NULL, NULL));
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    assert_false(brisa_mqtt_rx_partial(&e->c, NULL, NULL, NULL));
    env_feed(e, e->clk.now, "90 03 00");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_OK);
    assert_true(brisa_mqtt_rx_partial(&e->c, NULL, NULL, NULL));
    uint8_t type;
    size_t have, total;
    assert_true(brisa_mqtt_rx_partial(&e->c, &type, &have, &total));
    assert_int_equal(type, BRISA_MQTT_SUBACK);
    assert_int_equal(have, 3);
    assert_int_equal(total, 5);
}

/* A full route table: the last entry can be removed, and one from the
 * middle closes the gap up to the end of the table. */
static void test_route_table_full(void **state)
{
    mqtt_env *e = *state;
    static const char *const names[] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7" };
    size_t n = sizeof e->routes / sizeof e->routes[0];
    assert_int_equal(n, 8);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(brisa_mqtt_route_add(&e->c, names[i], env_route1, e), BRISA_OK);
    assert_int_equal(brisa_mqtt_route_add(&e->c, "r8", env_route1, e), BRISA_ERR_BUSY);
    assert_int_equal(brisa_mqtt_route_remove(&e->c, "r7"), BRISA_OK);
    assert_null(e->routes[7].filter);
    assert_int_equal(brisa_mqtt_route_add(&e->c, "r8", env_route1, e), BRISA_OK);
    assert_int_equal(brisa_mqtt_route_remove(&e->c, "r3"), BRISA_OK);
    assert_string_equal(e->routes[6].filter, "r8");
    assert_null(e->routes[7].filter);
    assert_int_equal(brisa_mqtt_route_remove(&e->c, "nope"), BRISA_ERR_NOT_FOUND);
    /* A message no route of the full table matches goes to on_message. */
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    env_feed(e, e->clk.now, "30 04 00 01 7a 78");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_OK);
    assert_int_equal(e->nmsgs, 1);
    assert_string_equal(e->msgs[0].topic, "z");
    /* A CONNACK once connected, and malformed: the connection ends. */
    env_feed(e, e->clk.now, "20 03 00 00 00");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_ERR_MALFORMED);
    assert_false(brisa_mqtt_is_connected(&e->c));
}

static void set_store_inside(mqtt_env *e, const brisa_mqtt_message *m)
{
    (void)m;
    static uint8_t arena[8];
    e->hook_result = brisa_mqtt_set_store(&e->c, NULL) == BRISA_ERR_STATE &&
                     brisa_mqtt_restore(&e->c, arena, sizeof arena) == BRISA_ERR_STATE;
    /* Disconnected, but still inside the callback: the same, and no new
     * connection either. */
    brisa_mqtt_disconnect(&e->c);
    brisa_mqtt_connect_options o = { .client_id = "c", .clean_session = true };
    e->hook_result = e->hook_result && brisa_mqtt_set_store(&e->c, NULL) == BRISA_ERR_STATE &&
                     brisa_mqtt_restore(&e->c, arena, sizeof arena) == BRISA_ERR_STATE &&
                     brisa_mqtt_connect_start(&e->c, &o) == BRISA_ERR_STATE;
}

static int count_store(void *ctx, const brisa_mqtt_record *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

static int count_remove(void *ctx, uint16_t id, bool incoming)
{
    (void)id, (void)incoming;
    *(int *)ctx += 100;
    return 0;
}

/* With a store, a SUBSCRIBE's slot is never written nor removed. */
static void test_store_ignores_subscribe_flows(void **state)
{
    mqtt_env *e = *state;
    int calls = 0;
    brisa_mqtt_store st = { .ctx = &calls, .store = count_store, .remove = count_remove };
    assert_int_equal(brisa_mqtt_set_store(&e->c, &st), BRISA_OK);
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    static const brisa_mqtt_subscription sub[] = { { "a", 1 } };
    assert_int_equal(brisa_mqtt_subscribe(&e->c, sub, 1, NULL), BRISA_OK);
    env_feed(e, e->clk.now, "90 03 00 01 01");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_OK);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
    assert_int_equal(calls, 0);
}

/* The store cannot change under a callback; the last CONNACK is kept. */
static void test_store_fixed_inside_callbacks(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    assert_int_equal(brisa_mqtt_last_connack(&e->c)->return_code, 0);
    brisa_mqtt_disconnect(&e->c);
    e->on_msg_hook = set_store_inside;
    e->ft.closed = false; /* the same link, opened again */
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    env_feed(e, e->clk.now, "30 04 00 01 74 78");
    brisa_mqtt_process(&e->c, 10);
    assert_int_equal(e->nmsgs, 1);
    assert_int_equal(e->hook_result, 1);
    assert_false(brisa_mqtt_is_connected(&e->c));
}

/* A payload larger than the buffer goes as header then payload: a failed
 * header send stops there. A topic too long for the buffer is refused. */
static void test_large_publish_failures(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    static uint8_t big[400];
    static char topic[300];
    memset(topic, 't', sizeof topic - 1);
    assert_int_equal(brisa_mqtt_publish(&e->c, topic, "x", 1, 0, false, NULL),
                     BRISA_ERR_NO_SPACE);
    assert_int_equal(e->ft.out_len, 0);
    e->ft.fail_send_call = e->ft.nsends + 1;
    e->ft.fail_send_err = BRISA_ERR_IO;
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", big, sizeof big, 0, false, NULL), BRISA_ERR_IO);
    assert_int_equal(e->ft.nsends, 1); /* the payload was never offered */
    assert_false(brisa_mqtt_is_connected(&e->c));
}

/* Packets 3.1.1 does not have, and a CONNACK of the wrong size, end the
 * connection attempt as protocol or format errors. */
static void test_bad_packets_from_peer(void **state)
{
    mqtt_env *e = *state;
    env_feed(e, 0, "20 03 00 00 00");
    brisa_mqtt_connect_options o = { .client_id = "c", .clean_session = true };
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, NULL), BRISA_ERR_MALFORMED);
    assert_int_equal(brisa_mqtt_last_failure(&e->c)->packet_type, BRISA_MQTT_CONNACK);
    e->ft.closed = false;
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    env_feed(e, e->clk.now, "f0 00"); /* AUTH: MQTT 5 only */
    int err = brisa_mqtt_process(&e->c, 10);
    assert_true(err == BRISA_ERR_PROTOCOL || err == BRISA_ERR_MALFORMED);
    assert_false(brisa_mqtt_is_connected(&e->c));
}

static int store_fails(void *ctx, const brisa_mqtt_record *r)
{
    (void)r;
    return *(int *)ctx;
}

/* An incoming QoS 2 message that cannot be stored is not delivered (the
 * broker sends it again); a PUBREC whose PUBREL cannot be stored ends the
 * connection (the broker resends PUBREC). */
static void test_store_failures_on_qos2(void **state)
{
    mqtt_env *e = *state;
    int fail = BRISA_ERR_IO;
    brisa_mqtt_store st = { .ctx = &fail, .store = store_fails };
    assert_int_equal(brisa_mqtt_set_store(&e->c, &st), BRISA_OK);
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    env_feed(e, e->clk.now, "34 06 00 01 74 00 05 78");
    brisa_mqtt_process(&e->c, 10);
    assert_int_equal(e->nmsgs, 0);
    fake_pkt pk[2];
    assert_int_equal(fake_out_packets(&e->ft, pk, 2), 0); /* no PUBREC */

    e->ft.closed = false;
    brisa_mqtt_disconnect(&e->c);
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    fail = 0;
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 2, false, NULL), BRISA_OK);
    fail = BRISA_ERR_IO;
    env_feed(e, e->clk.now, "50 02 00 01");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_ERR_IO);
    assert_false(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(fake_out_packets(&e->ft, pk, 2), 1); /* the PUBLISH, no PUBREL */
}

/* A PUBREC for an id we never used is answered with PUBREL all the same
 * (3.1.1 has no way to say "not found"). */
static void test_pubrec_unknown_id(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    env_feed(e, e->clk.now, "50 02 00 09");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_OK);
    static const char *const want[] = { "62 02 00 09" };
    expect_sent(e, want, 1);
    assert_true(brisa_mqtt_is_connected(&e->c));
}

/* Anything but CONNACK first is a protocol violation in 3.1.1. */
static void test_publish_before_connack(void **state)
{
    mqtt_env *e = *state;
    env_feed(e, 0, "30 04 00 01 74 78");
    brisa_mqtt_connect_options o = { .client_id = "c", .clean_session = true };
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, NULL), BRISA_ERR_PROTOCOL);
    assert_int_equal(e->nmsgs, 0);
}

/* The session is back but resending its flow fails: connect reports the
 * send's error, and no CONNACK event is seen for a dead link. */
static void test_resume_send_fails(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 0, false), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 1, false, NULL), BRISA_OK);
    fake_feed_err(&e->ft, e->clk.now, BRISA_ERR_CLOSED);
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_ERR_CLOSED);
    e->ft.closed = false;
    e->ft.fail_send_call = e->ft.nsends + 2; /* CONNECT goes, the resend fails */
    e->ft.fail_send_err = BRISA_ERR_IO;
    e->nevents = 0;
    env_feed(e, e->clk.now, "20 02 01 00");
    brisa_mqtt_connect_options o = { .client_id = "dev" };
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, NULL), BRISA_ERR_IO);
    assert_false(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(env_events_of(e, BRISA_MQTT_EVT_CONNACK), 0);
    assert_int_equal(env_events_of(e, BRISA_MQTT_EVT_DISCONNECTED), 1);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 1); /* kept for next time */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_send_contract_broken, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_recv_contract_broken, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_subscribe_send_fails, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_disconnect_refusals_and_failure, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_connect_options_refused, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_connect_peer_closes, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_route_remove_from_the_middle, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_partial_packet_reported, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_route_table_full, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_store_fixed_inside_callbacks, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_store_ignores_subscribe_flows, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_large_publish_failures, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_bad_packets_from_peer, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_store_failures_on_qos2, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_pubrec_unknown_id, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_publish_before_connack, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_resume_send_fails, env_setup_unconnected, env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
