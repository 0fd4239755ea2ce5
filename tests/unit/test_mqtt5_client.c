// SPDX-License-Identifier: MIT
/* Tests for the MQTT 5 side of the client (src/mqtt/client*.c) over the
 * scripted transport and fake clock: CONNECT properties, the limits
 * CONNACK sets (receive maximum, maximum QoS, retain available, maximum
 * packet size both ways, server keep alive, topic alias maximum), topic
 * aliases both ways, reason codes on acknowledgements, the
 * server's DISCONNECT, the DISCONNECT reasons the client sends, session
 * expiry on reconnect, and the AUTH exchange with re-authentication. */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "brisa/mqtt_codec.h"
#include "mqtt_env_cmocka.h"

/* A whole packet in hex from its first byte and body (hex), so vectors
 * show only what the specification lays out. Returns one of a few static
 * buffers. */
static const char *pk(uint8_t first, const char *body_hex)
{
    static char bufs[8][1600];
    static unsigned next;
    char *out = bufs[next++ % 8];
    uint8_t body[512], len_bytes[4];
    size_t n = hex(body_hex, body, sizeof body);
    int hl = brisa_mqtt_vbi_encode((uint32_t)n, len_bytes, sizeof len_bytes);
    size_t at = (size_t)sprintf(out, "%02x", first);
    for (int i = 0; i < hl; i++)
        at += (size_t)sprintf(out + at, " %02x", len_bytes[i]);
    for (size_t i = 0; i < n; i++)
        at += (size_t)sprintf(out + at, " %02x", body[i]);
    return out;
}

static void feed(mqtt_env *e, uint64_t at, uint8_t first, const char *body_hex)
{
    env_feed(e, at, pk(first, body_hex));
}

static void clear_logs(mqtt_env *e)
{
    fake_out_clear(&e->ft);
    e->nevents = e->nmsgs = e->ntraces = 0;
}

/* Connects at MQTT 5 with @p o (client id "c" when unset) against a
 * CONNACK whose body is @p connack. */
static int connect5(mqtt_env *e, brisa_mqtt_connect_options *o, const char *connack,
                    brisa_mqtt_connack *ack)
{
    o->protocol_level = BRISA_MQTT_V5;
    e->ft.closed = false; /* the caller's link, opened again */
    if (!o->client_id)
        o->client_id = "c";
    feed(e, e->clk.now, 0x20, connack);
    brisa_mqtt_connack local;
    return brisa_mqtt_connect(&e->c, o, 5000, ack ? ack : &local);
}

static int connect_plain(mqtt_env *e, const char *connack)
{
    brisa_mqtt_connect_options o = { .clean_session = true };
    int err = connect5(e, &o, connack, NULL);
    clear_logs(e);
    return err;
}

/* ---- CONNECT / CONNACK ------------------------------------------------------ */

static void test_connect_properties(void **state)
{
    mqtt_env *e = *state;
    uint8_t up[16];
    size_t used = 0;
    brisa_mqtt_property u = { .id = BRISA_MQTT_PROP_USER, .data = { (const uint8_t *)"k", 1 },
                              .value2 = { (const uint8_t *)"v", 1 } };
    assert_int_equal(brisa_mqtt_prop_put(up, sizeof up, &used, &u), BRISA_OK);
    uint8_t wp[8];
    size_t wused = 0;
    brisa_mqtt_property delay = { .id = BRISA_MQTT_PROP_WILL_DELAY, .value = 5 };
    assert_int_equal(brisa_mqtt_prop_put(wp, sizeof wp, &wused, &delay), BRISA_OK);
    brisa_mqtt_will will = { .topic = "w", .payload = (const uint8_t *)"x", .payload_len = 1 };
    brisa_mqtt_connect_options o = {
        .clean_session = true, .keepalive_s = 30, .session_expiry_s = 120,
        .receive_maximum = 4, .maximum_packet_size = 200, .request_response_info = true,
        .props = { up, used, NULL, 0 }, .will = &will, .will_props = { wp, wused, NULL, 0 },
    };
    brisa_mqtt_connack ack;
    assert_int_equal(connect5(e, &o, "00 00 08 12 00 02 69 64 13 00 05", &ack), BRISA_OK);
    const char *want[] = { pk(0x10, "00 04 4d 51 54 54 05 06 00 1e"
                                    " 16 11 00 00 00 78 21 00 04 27 00 00 00 c8 19 01"
                                    " 26 00 01 6b 00 01 76"
                                    " 00 01 63 05 18 00 00 00 05 00 01 77 00 01 78") };
    expect_sent(e, want, 1);
    /* The assigned client id is in the CONNACK's properties; the server's
     * keep alive (5 s) replaces ours (30 s). */
    brisa_mqtt_property id;
    assert_true(brisa_mqtt_prop_find(&ack.props, BRISA_MQTT_PROP_ASSIGNED_CLIENT_ID, &id));
    assert_memory_equal(id.data.data, "id", 2);
    const brisa_mqtt_limits *l = brisa_mqtt_server_limits(&e->c);
    assert_non_null(l);
    assert_int_equal(l->server_keepalive_s, 5);
    assert_int_equal(l->receive_maximum, 65535);
    assert_int_equal(l->maximum_qos, 2);
    clear_logs(e);
    assert_int_equal(brisa_mqtt_process(&e->c, 5000), BRISA_OK);
    const char *ping[] = { "c0 00" };
    expect_sent(e, ping, 1);
    assert_int_equal(e->ft.sends[0].at, 5000);
}

static void test_connack_refused_named(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { .clean_session = true };
    brisa_mqtt_connack ack;
    assert_int_equal(connect5(e, &o, "00 87 06 1f 00 03 6e 6f 21", &ack), BRISA_ERR_REFUSED);
    assert_int_equal(ack.return_code, 0x87);
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_CONNACK, ack.return_code),
                        "Not authorized");
    /* A CONNACK code MQTT 5 does not define is malformed: DISCONNECT 0x81. */
    fake_out_clear(&e->ft);
    assert_int_equal(connect5(e, &o, "00 05 00", &ack), BRISA_ERR_MALFORMED);
    const char *want[] = { pk(0x10, "00 04 4d 51 54 54 05 02 00 00 00 00 01 63"), "e0 01 81" };
    expect_sent(e, want, 2);
    assert_int_equal(brisa_mqtt_last_failure(&e->c)->reason_code, 0x81);
}

/* Receive maximum, maximum QoS, retain available, maximum packet size:
 * what would break them is refused before anything is sent. */
static void test_server_limits(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(connect_plain(e, "00 00 0c 21 00 02 24 01 25 00 27 00 00 00 14"), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 2, false, NULL), BRISA_ERR_UNSUPPORTED);
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 0, true, NULL), BRISA_ERR_UNSUPPORTED);
    /* 20 bytes: header 2 + topic 3 + props 1 = 6, so 14 bytes of payload fit. */
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "0123456789abcde", 15, 0, false, NULL),
                     BRISA_ERR_TOO_LARGE);
    assert_int_equal(e->ft.out_len, 0);
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "0123456789abcd", 14, 0, false, NULL),
                     BRISA_OK);
    uint16_t a, b;
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 1, false, &a), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 1, false, &b), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 1, false, NULL), BRISA_ERR_BUSY);
    feed(e, 10, 0x40, "00 01");
    assert_int_equal(brisa_mqtt_wait(&e->c, a, 1000), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 1, false, NULL), BRISA_OK);
    assert_true(brisa_mqtt_is_connected(&e->c));
}

/* Every limit CONNACK may set lands in brisa_mqtt_server_limits(); what
 * it leaves out has its default (section 3.2.2.3). */
static void test_server_limits_fields(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(connect_plain(e, "00 00 00"), BRISA_OK);
    const brisa_mqtt_limits *l = brisa_mqtt_server_limits(&e->c);
    assert_non_null(l);
    assert_int_equal(l->receive_maximum, 65535);
    assert_int_equal(l->maximum_qos, 2);
    assert_true(l->retain_available && l->wildcard_available &&
                l->subscription_ids_available && l->shared_available);
    assert_int_equal(l->maximum_packet_size, 0);
    assert_int_equal(l->topic_alias_maximum, 0);
    assert_int_equal(l->server_keepalive_s, 0);
    brisa_mqtt_disconnect(&e->c);
    assert_int_equal(connect_plain(e, "00 00 18 21 01 02 24 01 25 00 27 00 01 02 03 22 00 05 "
                                      "28 00 29 00 2a 00 13 00 1e"),
                     BRISA_OK);
    l = brisa_mqtt_server_limits(&e->c);
    assert_non_null(l);
    assert_int_equal(l->receive_maximum, 0x102);
    assert_int_equal(l->maximum_qos, 1);
    assert_false(l->retain_available || l->wildcard_available ||
                 l->subscription_ids_available || l->shared_available);
    assert_int_equal(l->maximum_packet_size, 0x10203);
    assert_int_equal(l->topic_alias_maximum, 5);
    assert_int_equal(l->server_keepalive_s, 30);
}

/* ---- PUBLISH -------------------------------------------------------------- */

static void test_publish_properties_and_aliases(void **state)
{
    mqtt_env *e = *state;
    static brisa_mqtt_topic_alias table[2];
    e->cfg.aliases = table;
    e->cfg.alias_count = 2;
    assert_int_equal(brisa_mqtt_init(&e->c, &e->cfg), BRISA_OK);
    assert_int_equal(connect_plain(e, "00 00 03 22 00 05"), BRISA_OK);
    uint8_t pr[32];
    size_t used = 0;
    brisa_mqtt_property ct = { .id = BRISA_MQTT_PROP_CONTENT_TYPE,
                               .data = { (const uint8_t *)"t/p", 3 } };
    brisa_mqtt_property pf = { .id = BRISA_MQTT_PROP_PAYLOAD_FORMAT, .value = 1 };
    assert_int_equal(brisa_mqtt_prop_put(pr, sizeof pr, &used, &pf), BRISA_OK);
    assert_int_equal(brisa_mqtt_prop_put(pr, sizeof pr, &used, &ct), BRISA_OK);
    brisa_mqtt_properties props = { pr, used, NULL, 0 };
    assert_int_equal(brisa_mqtt_publish_props(&e->c, "a/b", "hi", 2, 0, false, &props, NULL),
                     BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a/b", "hi", 2, 0, false, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "c", "", 0, 0, false, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "d", "", 0, 0, false, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "c", "", 0, 0, false, NULL), BRISA_OK);
    const char *want[] = {
        pk(0x30, "00 03 61 2f 62 0b 01 01 03 00 03 74 2f 70 23 00 01 68 69"),
        pk(0x30, "00 00 03 23 00 01 68 69"),      /* the alias alone */
        pk(0x30, "00 01 63 03 23 00 02"),
        pk(0x30, "00 01 64 00"),                  /* the table is full */
        pk(0x30, "00 00 03 23 00 02"),
    };
    expect_sent(e, want, 5);
    /* UTF-8 announced, not delivered; an alias the caller tries to set. */
    assert_int_equal(brisa_mqtt_publish_props(&e->c, "a", "\xff", 1, 0, false, &props, NULL),
                     BRISA_ERR_INVALID_ARG);
    uint8_t al[] = { 0x23, 0, 1 };
    brisa_mqtt_properties alias = { al, sizeof al, NULL, 0 };
    assert_int_equal(brisa_mqtt_publish_props(&e->c, "a", "x", 1, 0, false, &alias, NULL),
                     BRISA_ERR_INVALID_ARG);
    /* Aliases live for one connection: a new one starts afresh. */
    brisa_mqtt_disconnect(&e->c);
    assert_int_equal(connect_plain(e, "00 00 03 22 00 05"), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "c", "", 0, 0, false, NULL), BRISA_OK);
    const char *again[] = { pk(0x30, "00 01 63 03 23 00 01") };
    expect_sent(e, again, 1);
}

static size_t seen_props;
static void record_props(mqtt_env *e, const brisa_mqtt_message *m)
{
    (void)e;
    seen_props = m->props.len;
}

static void test_incoming_publish(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(connect_plain(e, "00 00 00"), BRISA_OK);
    e->on_msg_hook = record_props;
    feed(e, 0, 0x32, "00 01 61 00 07 06 08 00 01 72 01 01 68 69");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_OK);
    assert_int_equal(e->nmsgs, 1);
    assert_int_equal(seen_props, 6);
    /* Payload said to be UTF-8 and not: refused with 0x99, not delivered. */
    feed(e, 20, 0x32, "00 01 61 00 08 02 01 01 ff");
    assert_int_equal(brisa_mqtt_process(&e->c, 30), BRISA_OK);
    assert_int_equal(e->nmsgs, 1);
    const char *want[] = { "40 02 00 07", "40 03 00 08 99" };
    expect_sent(e, want, 2);
}

/* Without alias storage we announce no Topic Alias Maximum, so an alias
 * from the server is answered with DISCONNECT 0x94. */
static void test_incoming_alias_refused(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(connect_plain(e, "00 00 00"), BRISA_OK);
    feed(e, 0, 0x30, "00 01 61 03 23 00 01 78");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_ERR_PROTOCOL);
    const char *want[] = { "e0 01 94" };
    expect_sent(e, want, 1);
    assert_int_equal(e->nmsgs, 0);
    const env_event *d = env_last_event(e, BRISA_MQTT_EVT_DISCONNECTED);
    assert_non_null(d);
    assert_int_equal(d->e.reason_code, 0x94);
}

/* With room for two, the server's aliases are remembered and resolved:
 * the message carries its topic either way. */
static void test_incoming_aliases(void **state)
{
    mqtt_env *e = *state;
    static brisa_mqtt_topic_alias table[2];
    e->cfg.aliases_in = table;
    e->cfg.alias_in_count = 2;
    assert_int_equal(brisa_mqtt_init(&e->c, &e->cfg), BRISA_OK);
    brisa_mqtt_connect_options o = { .clean_session = true };
    assert_int_equal(connect5(e, &o, "00 00 00", NULL), BRISA_OK);
    const char *want[] = { pk(0x10, "00 04 4d 51 54 54 05 02 00 00 03 22 00 02 00 01 63") };
    expect_sent(e, want, 1);
    clear_logs(e);
    feed(e, 0, 0x30, "00 03 61 2f 62 03 23 00 01 78");
    feed(e, 0, 0x30, "00 00 03 23 00 01 79");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_OK);
    assert_int_equal(e->nmsgs, 2);
    assert_string_equal(e->msgs[1].topic, "a/b");
    /* An alias never set, and one above our maximum. */
    feed(e, 20, 0x30, "00 00 03 23 00 02 7a");
    assert_int_equal(brisa_mqtt_process(&e->c, 30), BRISA_ERR_PROTOCOL);
    const char *bad[] = { "e0 01 94" };
    expect_sent(e, bad, 1);
    assert_int_equal(connect5(e, &o, "00 00 00", NULL), BRISA_OK);
    clear_logs(e);
    feed(e, e->clk.now, 0x30, "00 01 61 03 23 00 03 78");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_ERR_PROTOCOL);
    expect_sent(e, bad, 1);
    /* A new connection forgets them. */
    assert_int_equal(connect5(e, &o, "00 00 00", NULL), BRISA_OK);
    clear_logs(e);
    feed(e, e->clk.now, 0x30, "00 00 03 23 00 01 79");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_ERR_PROTOCOL);
}

/* Our Receive Maximum counts the server's QoS 2 messages awaiting PUBREL. */
static void test_receive_maximum_in(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { .clean_session = true, .receive_maximum = 1 };
    assert_int_equal(connect5(e, &o, "00 00 00", NULL), BRISA_OK);
    clear_logs(e);
    feed(e, 0, 0x34, "00 01 61 00 01 00 78");
    feed(e, 0, 0x34, "00 01 61 00 02 00 79");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_ERR_PROTOCOL);
    const char *want[] = { "50 02 00 01", "e0 01 93" };
    expect_sent(e, want, 2);
}

/* ---- maximum packet size, malformed input ------------------------------------ */

static void test_too_large_in(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { .clean_session = true, .maximum_packet_size = 16 };
    assert_int_equal(connect5(e, &o, "00 00 00", NULL), BRISA_OK);
    clear_logs(e);
    feed(e, 0, 0x30, "00 01 61 00 30 31 32 33 34 35 36 37 38 39 61 62");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_ERR_TOO_LARGE);
    const char *want[] = { "e0 01 95" };
    expect_sent(e, want, 1);
    assert_int_equal(e->nmsgs, 0);
}

static void test_malformed_and_protocol_errors(void **state)
{
    mqtt_env *e = *state;
    static const struct { const char *why, *pkt, *sent; int err; } cases[] = {
        { "PUBACK with PUBREL's code", "40 03 00 01 92", "e0 01 81", BRISA_ERR_MALFORMED },
        { "reason string twice", "40 0a 00 01 10 06 1f 00 00 1f 00 00", "e0 01 82",
          BRISA_ERR_PROTOCOL },
        { "SUBACK for nothing", "90 04 00 09 00 00", "e0 01 82", BRISA_ERR_PROTOCOL },
        { "property length past the end", "40 05 00 01 10 07 1f", "e0 01 81",
          BRISA_ERR_MALFORMED },
        { "AUTH unasked", "f0 00", "e0 01 82", BRISA_ERR_PROTOCOL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(connect_plain(e, "00 00 00"), BRISA_OK);
        env_feed(e, e->clk.now, cases[i].pkt);
        int got = brisa_mqtt_process(&e->c, 10);
        if (got != cases[i].err)
            fail_msg("%s: got %d", cases[i].why, got);
        const char *want[] = { cases[i].sent };
        expect_sent(e, want, 1);
    }
}

/* ---- acknowledgements and DISCONNECT ---------------------------------------- */

static void test_ack_reasons(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(connect_plain(e, "00 00 00"), BRISA_OK);
    uint16_t a, b;
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 1, false, &a), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 2, false, &b), BRISA_OK);
    feed(e, 1, 0x40, "00 01 10");
    feed(e, 2, 0x50, "00 02 97 06 1f 00 03 71 75 6f");
    /* A refused flow fails the wait; the connection stays up. */
    assert_int_equal(brisa_mqtt_wait_all(&e->c, 100), BRISA_ERR_REFUSED);
    assert_true(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(env_events_of(e, BRISA_MQTT_EVT_PUBLISHED), 2);
    assert_int_equal(e->events[0].e.reason_code, 0x10);
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_PUBACK, e->events[0].e.reason_code),
                        "No matching subscribers");
    assert_int_equal(e->events[1].e.reason_code, 0x97);
    assert_int_equal(e->events[1].e.props.len, 6);
    /* A refused PUBREC ends the flow: no PUBREL. */
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
    assert_int_equal(e->ft.nsends, 2);
    /* PUBREL for an id we do not know: PUBCOMP 0x92. */
    fake_out_clear(&e->ft);
    feed(e, 3, 0x62, "00 09");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_OK);
    const char *want[] = { "70 03 00 09 92" };
    expect_sent(e, want, 1);
}

static void test_server_disconnect(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(connect_plain(e, "00 00 00"), BRISA_OK);
    feed(e, 5, 0xe0, "8b 05 1f 00 02 62 79");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_ERR_REFUSED);
    const brisa_mqtt_failure *f = brisa_mqtt_last_failure(&e->c);
    assert_int_equal(f->packet_type, BRISA_MQTT_DISCONNECT);
    assert_int_equal(f->reason_code, 0x8b);
    assert_string_equal(brisa_mqtt_reason_str(BRISA_MQTT_DISCONNECT, f->reason_code),
                        "Server shutting down");
    const env_event *d = env_last_event(e, BRISA_MQTT_EVT_DISCONNECTED);
    assert_non_null(d);
    assert_int_equal(d->e.reason_code, 0x8b);
    assert_int_equal(d->e.props.len, 5);
    assert_int_equal(e->ft.out_len, 0); /* nothing answered */
    /* A normal disconnection by the server is CLOSED. */
    assert_int_equal(connect_plain(e, "00 00 00"), BRISA_OK);
    feed(e, e->clk.now, 0xe0, "");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_ERR_CLOSED);
    /* Ours, with a reason. */
    assert_int_equal(connect_plain(e, "00 00 00"), BRISA_OK);
    assert_int_equal(brisa_mqtt_disconnect_reason(&e->c, 0x04, NULL), BRISA_OK);
    const char *want[] = { "e0 01 04" };
    expect_sent(e, want, 1);
}

/* ---- SUBSCRIBE ----------------------------------------------------------------- */

static void test_subscribe_options(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(connect_plain(e, "00 00 02 2a 00"), BRISA_OK);
    uint8_t sid[] = { 0x0b, 0x07 };
    brisa_mqtt_properties props = { sid, sizeof sid, NULL, 0 };
    brisa_mqtt_subscription subs[] = {
        { "a/#", 1 | BRISA_MQTT_SUB_NO_LOCAL | BRISA_MQTT_SUB_RETAIN_HANDLING(2) },
    };
    uint16_t id;
    assert_int_equal(brisa_mqtt_subscribe_props(&e->c, subs, 1, &props, &id), BRISA_OK);
    const char *want[] = { pk(0x82, "00 01 02 0b 07 00 03 61 2f 23 25") };
    expect_sent(e, want, 1);
    feed(e, 1, 0x90, "00 01 00 a2");
    assert_int_equal(brisa_mqtt_wait(&e->c, id, 100), BRISA_ERR_REFUSED);
    const env_event *s = env_last_event(e, BRISA_MQTT_EVT_SUBACK);
    assert_non_null(s);
    assert_int_equal(s->codes[0], 0xa2);
    /* The server has no shared subscriptions. */
    brisa_mqtt_subscription shared[] = { { "$share/g/t", 0 } };
    assert_int_equal(brisa_mqtt_subscribe(&e->c, shared, 1, NULL), BRISA_ERR_UNSUPPORTED);
    /* UNSUBACK carries one code per filter in MQTT 5. */
    const char *f[] = { "a/#" };
    assert_int_equal(brisa_mqtt_unsubscribe(&e->c, f, 1, &id), BRISA_OK);
    feed(e, 2, 0xb0, "00 02 00 11");
    assert_int_equal(brisa_mqtt_wait(&e->c, id, 100), BRISA_OK);
    s = env_last_event(e, BRISA_MQTT_EVT_UNSUBACK);
    assert_non_null(s);
    assert_int_equal(s->codes[0], 0x11);
}

/* A reason code >= 0x80 in an acknowledgement is a refusal the blocking
 * calls report, whatever the code (not only 3.1.1's 0x80). */
static void test_refusals_not_quiet(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(connect_plain(e, "00 00 00"), BRISA_OK);
    uint16_t id;
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 1, false, &id), BRISA_OK);
    feed(e, 1, 0x40, "00 01 10"); /* no matching subscribers: accepted */
    assert_int_equal(brisa_mqtt_wait(&e->c, id, 100), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "t", "x", 1, 1, false, &id), BRISA_OK);
    feed(e, 2, 0x40, "00 02 87"); /* not authorized */
    assert_int_equal(brisa_mqtt_wait(&e->c, id, 100), BRISA_ERR_REFUSED);
    assert_true(brisa_mqtt_is_connected(&e->c));
    brisa_mqtt_subscription subs[] = { { "a", 1 }, { "b", 0 } };
    uint8_t granted[2] = { 9, 9 };
    feed(e, 3, 0x90, "00 03 00 01 87");
    assert_int_equal(brisa_mqtt_subscribe_sync(&e->c, subs, 2, granted, 100), BRISA_ERR_REFUSED);
    assert_int_equal(granted[0], 1);
    assert_int_equal(granted[1], 0x87);
    const char *f[] = { "a" };
    assert_int_equal(brisa_mqtt_unsubscribe(&e->c, f, 1, &id), BRISA_OK);
    feed(e, 4, 0xb0, "00 04 00 87");
    assert_int_equal(brisa_mqtt_wait(&e->c, id, 100), BRISA_ERR_REFUSED);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
    assert_true(brisa_mqtt_is_connected(&e->c));
}

/* ---- session expiry on reconnect -------------------------------------------- */

static void test_session_resume_keeps_properties(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { .clean_session = true, .session_expiry_s = 60 };
    assert_int_equal(connect5(e, &o, "00 00 00", NULL), BRISA_OK);
    static const uint8_t pr[] = { 0x02, 0, 0, 0, 30 }; /* message expiry 30 s */
    brisa_mqtt_properties props = { pr, sizeof pr, NULL, 0 };
    uint16_t id;
    assert_int_equal(brisa_mqtt_publish_props(&e->c, "t", "x", 1, 1, false, &props, &id),
                     BRISA_OK);
    brisa_mqtt_set_transport(&e->c, &e->cfg.transport); /* the link drops */
    clear_logs(e);
    o.clean_session = false;
    assert_int_equal(connect5(e, &o, "01 00 00", NULL), BRISA_OK);
    const char *want[] = {
        pk(0x10, "00 04 4d 51 54 54 05 00 00 00 05 11 00 00 00 3c 00 01 63"),
        pk(0x3a, "00 01 74 00 01 05 02 00 00 00 1e 78"),
    };
    expect_sent(e, want, 2);
}

/* ---- AUTH --------------------------------------------------------------------- */

typedef struct test_auth {
    int calls;
    uint8_t reasons[8];
    bool fail_final;
} test_auth;

/* A toy method: sends "c<n>" at each step and checks that the server's
 * final data is "ok". */
static int toy_step(void *ctx, uint8_t reason, const uint8_t *in, size_t in_len,
                    uint8_t *out, size_t out_size)
{
    test_auth *t = ctx;
    t->reasons[t->calls++ & 7] = reason;
    if (reason == 0)
        return !t->fail_final && in_len == 2 && memcmp(in, "ok", 2) == 0 ? 0 : BRISA_ERR_REFUSED;
    if (out_size < 2)
        return BRISA_ERR_NO_SPACE;
    out[0] = 'c';
    out[1] = (uint8_t)('0' + t->calls);
    return 2;
}

static void test_auth_exchange(void **state)
{
    mqtt_env *e = *state;
    test_auth t = { 0 };
    brisa_mqtt_auth a = { .method = "TOY", .step = toy_step, .ctx = &t };
    brisa_mqtt_connect_options o = { .clean_session = true, .auth = &a };
    o.protocol_level = BRISA_MQTT_V5;
    o.client_id = "c";
    feed(e, 0, 0xf0, "18 0b 15 00 03 54 4f 59 16 00 02 73 31");
    feed(e, 0, 0x20, "00 00 0b 15 00 03 54 4f 59 16 00 02 6f 6b");
    brisa_mqtt_connack ack;
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, &ack), BRISA_OK);
    const char *want[] = {
        pk(0x10, "00 04 4d 51 54 54 05 02 00 00 0b 15 00 03 54 4f 59 16 00 02 63 31 00 01 63"),
        pk(0xf0, "18 0b 15 00 03 54 4f 59 16 00 02 63 32"),
    };
    expect_sent(e, want, 2);
    assert_int_equal(t.calls, 3);
    assert_int_equal(t.reasons[0], 0x19);
    assert_int_equal(t.reasons[1], 0x18);
    assert_int_equal(t.reasons[2], 0x00);

    /* Re-authentication: AUTH 0x19, then the server's success. */
    clear_logs(e);
    assert_int_equal(brisa_mqtt_reauthenticate(&e->c), BRISA_OK);
    feed(e, e->clk.now, 0xf0, "00 0b 15 00 03 54 4f 59 16 00 02 6f 6b");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_OK);
    const char *re[] = { pk(0xf0, "19 0b 15 00 03 54 4f 59 16 00 02 63 34") };
    expect_sent(e, re, 1);
    assert_true(brisa_mqtt_is_connected(&e->c));

    /* Another method in the server's AUTH: 0x8C. */
    clear_logs(e);
    feed(e, e->clk.now, 0xf0, "18 06 15 00 03 42 41 44");
    assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_ERR_PROTOCOL);
    const char *bad[] = { "e0 01 8c" };
    expect_sent(e, bad, 1);
}

/* AUTH success ends only a re-authentication; before CONNACK it breaks
 * the protocol. */
static void test_auth_success_before_connack(void **state)
{
    mqtt_env *e = *state;
    test_auth t = { 0 };
    brisa_mqtt_auth a = { .method = "TOY", .step = toy_step, .ctx = &t };
    brisa_mqtt_connect_options o = { .clean_session = true, .auth = &a };
    feed(e, 0, 0xf0, "00 06 15 00 03 54 4f 59");
    assert_int_equal(connect5(e, &o, "00 00 00", NULL), BRISA_ERR_PROTOCOL);
    assert_int_equal(brisa_mqtt_last_failure(&e->c)->reason_code, 0x82);
}

static void test_auth_final_refused(void **state)
{
    mqtt_env *e = *state;
    test_auth t = { .fail_final = true };
    brisa_mqtt_auth a = { .method = "TOY", .step = toy_step, .ctx = &t };
    brisa_mqtt_connect_options o = { .clean_session = true, .auth = &a };
    assert_int_equal(connect5(e, &o, "00 00 00", NULL), BRISA_ERR_REFUSED);
    assert_int_equal(brisa_mqtt_last_failure(&e->c)->reason_code, 0x87);
    assert_false(brisa_mqtt_is_connected(&e->c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_connect_properties, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_connack_refused_named, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_server_limits, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_server_limits_fields, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_publish_properties_and_aliases, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_incoming_publish, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_incoming_alias_refused, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_incoming_aliases, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_receive_maximum_in, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_too_large_in, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_malformed_and_protocol_errors, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_ack_reasons, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_server_disconnect, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_subscribe_options, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_refusals_not_quiet, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_session_resume_keeps_properties, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_auth_exchange, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_auth_success_before_connack, env_setup_unconnected, env_teardown),
        cmocka_unit_test_setup_teardown(test_auth_final_refused, env_setup_unconnected, env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
