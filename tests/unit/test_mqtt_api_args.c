// SPDX-License-Identifier: MIT
/* The MQTT client's public functions refuse what they cannot use: each
 * unusable configuration field, NULL pointers, calls in the wrong state,
 * impossible connect options. Every refusal is a specific brisa_err and
 * leaves nothing on the wire. */
#include "mqtt_env_cmocka.h"

#include "brisa/mqtt_codec.h" /* BRISA_MQTT_V5 */

#include <string.h>

/* brisa_mqtt_init() with one field of a valid configuration spoilt. */
static void init_refuses(mqtt_env *e, void (*spoil)(brisa_mqtt_config *cfg))
{
    brisa_mqtt_config cfg = e->cfg;
    spoil(&cfg);
    brisa_mqtt_client c;
    assert_int_equal(brisa_mqtt_init(&c, &cfg), BRISA_ERR_INVALID_ARG);
}

static void no_send(brisa_mqtt_config *c) { c->transport.send = NULL; }
static void no_recv(brisa_mqtt_config *c) { c->transport.recv = NULL; }
static void no_close(brisa_mqtt_config *c) { c->transport.close = NULL; }
static void no_clock(brisa_mqtt_config *c) { c->clock.monotonic_ms = NULL; }
static void no_tx(brisa_mqtt_config *c) { c->tx_buf = NULL; }
static void small_tx(brisa_mqtt_config *c) { c->tx_size = 15; }
static void no_rx(brisa_mqtt_config *c) { c->rx_buf = NULL; }
static void small_rx(brisa_mqtt_config *c) { c->rx_size = 15; }
static void no_inflight(brisa_mqtt_config *c) { c->inflight = NULL; }
static void no_routes(brisa_mqtt_config *c) { c->routes = NULL; }
static void bad_policy(brisa_mqtt_config *c) { c->large_policy = (brisa_mqtt_large_policy)7; }

static void test_init_checks_every_field(void **state)
{
    mqtt_env *e = *state;
    void (*spoilers[])(brisa_mqtt_config *) = { no_send, no_recv, no_close, no_clock,
                                                no_tx, small_tx, no_rx, small_rx,
                                                no_inflight, no_routes, bad_policy };
    for (size_t i = 0; i < sizeof spoilers / sizeof spoilers[0]; i++)
        init_refuses(e, spoilers[i]);
    brisa_mqtt_client c;
    assert_int_equal(brisa_mqtt_init(NULL, &e->cfg), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_init(&c, NULL), BRISA_ERR_INVALID_ARG);
    /* No in-flight table and no routes is a valid (QoS 0 only) client. */
    brisa_mqtt_config cfg = e->cfg;
    cfg.inflight = NULL;
    cfg.inflight_count = 0;
    cfg.routes = NULL;
    cfg.route_count = 0;
    cfg.io_timeout_ms = 0;
    assert_int_equal(brisa_mqtt_init(&c, &cfg), BRISA_OK);
    assert_int_equal(c.cfg.io_timeout_ms, 10000);
}

static void test_null_client(void **state)
{
    (void)state;
    brisa_mqtt_subscription sub = { "a", 0 };
    const char *filter = "a";
    uint8_t granted;
    brisa_mqtt_connect_options co = { .client_id = "x", .clean_session = true };
    brisa_mqtt_connack ack;
    assert_int_equal(brisa_mqtt_process(NULL, 0), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_wait(NULL, 1, 0), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_wait_all(NULL, 0), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_connect_start(NULL, &co), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_connect(NULL, &co, 10, &ack), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_disconnect(NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_publish(NULL, "a", "x", 1, 0, false, NULL),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_subscribe(NULL, &sub, 1, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_subscribe_sync(NULL, &sub, 1, &granted, 10),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_unsubscribe(NULL, &filter, 1, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_route_add(NULL, "a", env_route1, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_route_remove(NULL, "a"), BRISA_ERR_INVALID_ARG);
}

/* Not connected: nothing that needs a connection is attempted. */
static void test_calls_before_connect(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_subscription sub = { "a", 0 };
    const char *filter = "a";
    uint8_t granted;
    assert_int_equal(brisa_mqtt_process(&e->c, 0), BRISA_ERR_STATE);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 1, false, NULL), BRISA_ERR_STATE);
    assert_int_equal(brisa_mqtt_subscribe(&e->c, &sub, 1, NULL), BRISA_ERR_STATE);
    assert_int_equal(brisa_mqtt_subscribe_sync(&e->c, &sub, 1, &granted, 10), BRISA_ERR_STATE);
    assert_int_equal(brisa_mqtt_unsubscribe(&e->c, &filter, 1, NULL), BRISA_ERR_STATE);
    assert_int_equal(brisa_mqtt_unsubscribe(&e->c, NULL, 1, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_disconnect(&e->c), BRISA_OK); /* already disconnected */
    assert_false(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(e->ft.out_len, 0);
}

static void test_connect_options_checked(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_will no_topic = { .topic = NULL };
    brisa_mqtt_connect_options bad[] = {
        { .client_id = "x", .clean_session = true, .protocol_level = 9 },
        { .client_id = "", .clean_session = false },        /* empty id, kept session */
        { .client_id = NULL, .clean_session = false },
        { .client_id = "", .clean_session = true, .protocol_level = BRISA_MQTT_V31 },
        { .client_id = "x", .clean_session = true, .will = &no_topic },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(brisa_mqtt_connect_start(&e->c, &bad[i]), BRISA_ERR_INVALID_ARG);
#if !BRISA_MQTT5 /* the 3.1.1-only core refuses MQTT 5 */
    brisa_mqtt_connect_options v5 = { .client_id = "x", .clean_session = true,
                                      .protocol_level = BRISA_MQTT_V5 };
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &v5), BRISA_ERR_UNSUPPORTED);
#endif
    assert_int_equal(brisa_mqtt_connect_start(&e->c, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(e->ft.out_len, 0);
}

static void test_route_arguments(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(brisa_mqtt_route_add(&e->c, NULL, env_route1, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_route_add(&e->c, "a/#/b", env_route1, NULL),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_route_remove(&e->c, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_route_remove(&e->c, "never/added"), BRISA_ERR_NOT_FOUND);
    /* Eight routes fit the table; a ninth distinct one does not. */
    static const char *const filters[] = { "f/0", "f/1", "f/2", "f/3", "f/4", "f/5", "f/6",
                                           "f/7", "f/8" };
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(brisa_mqtt_route_add(&e->c, filters[i], env_route1, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_route_add(&e->c, filters[8], env_route1, NULL), BRISA_ERR_BUSY);
    /* Adding an existing filter again replaces its callback. */
    assert_int_equal(brisa_mqtt_route_add(&e->c, "f/3", env_route2, NULL), BRISA_OK);
    assert_ptr_equal(e->routes[3].cb, env_route2);
}

/* Every callback is optional: a client with none connects, publishes and
 * receives (the message is dropped unseen) without calling through NULL. */
static void test_no_callbacks(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_config cfg = e->cfg;
    cfg.on_message = NULL;
    cfg.on_event = NULL;
    cfg.on_trace = NULL;
    assert_int_equal(brisa_mqtt_init(&e->c, &cfg), BRISA_OK);
    assert_int_equal(env_connect(e, 60, true), BRISA_OK);
    uint16_t id;
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "", 0, 1, false, &id), BRISA_OK);
    env_feed(e, e->clk.now, "40 02 00 01 30 04 00 01 61 78");
    assert_int_equal(brisa_mqtt_wait(&e->c, id, 1000), BRISA_OK);
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_OK);
    assert_int_equal(brisa_mqtt_disconnect(&e->c), BRISA_OK);
    assert_int_equal(e->nevents + e->nmsgs + e->ntraces, 0);
}

static void test_more_refusals(void **state)
{
    mqtt_env *e = *state;
    brisa_transport t = e->cfg.transport;
    brisa_mqtt_set_transport(NULL, &t); /* ignored, no crash */
    brisa_mqtt_set_transport(&e->c, NULL);
    assert_false(brisa_mqtt_is_connected(NULL));
    assert_int_equal(brisa_mqtt_inflight_used(NULL), 0);
    /* A valid policy and a chosen I/O timeout are kept. */
    brisa_mqtt_config cfg = e->cfg;
    cfg.large_policy = BRISA_MQTT_LARGE_REFUSE;
    cfg.io_timeout_ms = 1234;
    assert_int_equal(brisa_mqtt_init(&e->c, &cfg), BRISA_OK);
    assert_int_equal(e->c.cfg.io_timeout_ms, 1234);
    assert_int_equal(env_connect(e, 60, true), BRISA_OK);
    brisa_mqtt_connect_options co = { .client_id = "x", .clean_session = true };
    assert_int_equal(brisa_mqtt_connect_start(&e->c, &co), BRISA_ERR_STATE); /* connected */
    assert_int_equal(brisa_mqtt_publish(&e->c, NULL, "x", 1, 0, false, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", NULL, 1, 0, false, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a/+", "x", 1, 0, false, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_subscribe(&e->c, NULL, 1, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_subscribe(&e->c, &(brisa_mqtt_subscription){ "a", 0 }, 0, NULL),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(e->ft.out_len, 0);
}

/* Removing a route keeps the others, in their order. */
static void test_route_remove_middle(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(brisa_mqtt_route_add(&e->c, "r/1", env_route1, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_route_add(&e->c, "r/2", env_route1, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_route_add(&e->c, "r/3", env_route2, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_route_remove(&e->c, "r/2"), BRISA_OK);
    assert_string_equal(e->routes[0].filter, "r/1");
    assert_string_equal(e->routes[1].filter, "r/3");
    assert_ptr_equal(e->routes[1].cb, env_route2);
    assert_null(e->routes[2].filter);
    assert_int_equal(brisa_mqtt_route_remove(&e->c, "r/2"), BRISA_ERR_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init_checks_every_field, env_setup_unconnected,
                                        env_teardown),
        cmocka_unit_test(test_null_client),
        cmocka_unit_test_setup_teardown(test_calls_before_connect, env_setup_unconnected,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_connect_options_checked, env_setup_unconnected,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_route_arguments, env_setup_unconnected,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_no_callbacks, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_more_refusals, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_route_remove_middle, env_setup_unconnected,
                                        env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
