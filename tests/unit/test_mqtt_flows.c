// SPDX-License-Identifier: MIT
/* Tests for the MQTT client's message flows: QoS 1 and 2 both ways,
 * out-of-order and unexpected acknowledgements, packet ids, the in-flight
 * table, SUBSCRIBE/UNSUBSCRIBE, routes, large payloads in both directions
 * and session resume. Scripted transport and fake clock (mqtt_fakes.c). */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "brisa/mqtt_codec.h"
#include "mqtt_env_cmocka.h"

static int setup_sized(void **state, size_t tx, size_t rx, size_t inflight)
{
    mqtt_env *e = env_new(tx, rx, inflight);
    *state = e;
    return e && env_connect(e, 0, true) == BRISA_OK ? 0 : -1;
}

static int setup(void **state)
{
    return setup_sized(state, 256, 256, 8);
}


/* ---- outgoing QoS 1 / 2 ---------------------------------------------------- */

static void test_publish_qos1(void **state)
{
    mqtt_env *e = *state;
    uint16_t id = 0;
    assert_int_equal(brisa_mqtt_publish(&e->c, "a/b", "hi", 2, 1, false, &id), BRISA_OK);
    assert_int_equal(id, 1);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 1);
    const char *want[] = { "32 09 00 03 61 2f 62 00 01 68 69" };
    expect_sent(e, want, 1);
    env_feed(e, 40, "40 02 00 01");
    assert_int_equal(brisa_mqtt_wait(&e->c, id, 1000), BRISA_OK);
    assert_int_equal(e->clk.now, 40);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
    const env_event *p = env_last_event(e, BRISA_MQTT_EVT_PUBLISHED);
    assert_non_null(p);
    assert_int_equal(p->e.packet_id, 1);
    /* Waiting for an id not in flight returns at once. */
    assert_int_equal(brisa_mqtt_wait(&e->c, id, 1000), BRISA_OK);
    assert_int_equal(e->clk.now, 40);
}

/* A blocking wait returns the moment its flow completes: a message that
 * arrived right behind the PUBACK is left for the next process call. */
static void test_wait_returns_at_its_ack(void **state)
{
    mqtt_env *e = *state;
    uint16_t id = 0;
    assert_int_equal(brisa_mqtt_publish(&e->c, "a/b", "hi", 2, 1, false, &id), BRISA_OK);
    env_feed(e, 10, "40 02 00 01 30 05 00 03 61 2f 62");
    assert_int_equal(brisa_mqtt_wait(&e->c, id, 1000), BRISA_OK);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
    assert_int_equal(e->nmsgs, 0);
    assert_int_equal(brisa_mqtt_process(&e->c, 0), BRISA_OK);
    assert_int_equal(e->nmsgs, 1);
}

static void test_publish_qos1_no_answer(void **state)
{
    mqtt_env *e = *state;
    uint16_t id;
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 1, false, &id), BRISA_OK);
    assert_int_equal(brisa_mqtt_wait(&e->c, id, 3000), BRISA_ERR_TIMEOUT);
    assert_int_equal(e->clk.now, 3000);
    assert_true(brisa_mqtt_is_connected(&e->c));
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 1);
}

static void test_publish_qos2(void **state)
{
    mqtt_env *e = *state;
    uint16_t id;
    assert_int_equal(brisa_mqtt_publish(&e->c, "a/b", "xyz", 3, 2, true, &id), BRISA_OK);
    env_feed(e, 10, "50 02 00 01");
    env_feed(e, 20, "70 02 00 01");
    assert_int_equal(brisa_mqtt_wait(&e->c, id, 1000), BRISA_OK);
    const char *want[] = { "35 0a 00 03 61 2f 62 00 01 78 79 7a", "62 02 00 01" };
    expect_sent(e, want, 2);
    assert_int_equal(env_events_of(e, BRISA_MQTT_EVT_PUBLISHED), 1);
    assert_int_equal(e->clk.now, 20);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
}

static void test_out_of_order_acks(void **state)
{
    mqtt_env *e = *state;
    uint16_t ids[4];
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "1", 1, 1, false, &ids[0]), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "2", 1, 2, false, &ids[1]), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "3", 1, 1, false, &ids[2]), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "4", 1, 2, false, &ids[3]), BRISA_OK);
    assert_int_equal(ids[0], 1);
    assert_int_equal(ids[3], 4);
    fake_out_clear(&e->ft);
    env_feed(e, 1, "50 02 00 04"); /* PUBREC 4 */
    env_feed(e, 2, "40 02 00 03"); /* PUBACK 3 */
    env_feed(e, 3, "50 02 00 02"); /* PUBREC 2 */
    env_feed(e, 4, "70 02 00 04"); /* PUBCOMP 4 */
    env_feed(e, 5, "40 02 00 01"); /* PUBACK 1 */
    env_feed(e, 6, "70 02 00 02"); /* PUBCOMP 2 */
    assert_int_equal(brisa_mqtt_wait_all(&e->c, 1000), BRISA_OK);
    const char *want[] = { "62 02 00 04", "62 02 00 02" };
    expect_sent(e, want, 2);
    static const uint16_t order[] = { 3, 4, 1, 2 };
    size_t k = 0;
    for (size_t i = 0; i < e->nevents; i++)
        if (e->events[i].e.type == BRISA_MQTT_EVT_PUBLISHED)
            assert_int_equal(e->events[i].e.packet_id, order[k++]);
    assert_int_equal(k, 4);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
}

static void test_unexpected_acks(void **state)
{
    mqtt_env *e = *state;
    uint16_t id;
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 1, false, &id), BRISA_OK);
    fake_out_clear(&e->ft);
    env_feed(e, 5, "50 02 00 01"); /* PUBREC for our QoS 1 id: not ours as QoS 2 */
    env_feed(e, 6, "62 02 00 42"); /* PUBREL 66: answered with PUBCOMP */
    env_feed(e, 7, "40 02 00 01"); /* the real PUBACK */
    assert_int_equal(brisa_mqtt_wait(&e->c, id, 1000), BRISA_OK);
    assert_true(brisa_mqtt_is_connected(&e->c));
    const char *want[] = { "62 02 00 01", "70 02 00 42" };
    expect_sent(e, want, 2);
    assert_int_equal(env_events_of(e, BRISA_MQTT_EVT_PUBLISHED), 1);
}

/* An acknowledgement for an id nothing waits for is a protocol violation,
 * named at once with its packet and id (not left to a timeout). */
static void test_ack_not_in_flight(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        uint8_t type;
        uint16_t id;
    } cases[] = {
        { "40 02 00 63", BRISA_MQTT_PUBACK, 99 },
        { "70 02 00 4d", BRISA_MQTT_PUBCOMP, 77 },
        { "90 03 00 37 00", BRISA_MQTT_SUBACK, 55 },
        { "b0 02 00 2c", BRISA_MQTT_UNSUBACK, 44 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mqtt_env *e = env_new(256, 256, 8);
        assert_non_null(e);
        assert_int_equal(env_connect(e, 0, true), BRISA_OK);
        uint16_t id;
        assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 1, false, &id), BRISA_OK);
        env_feed(e, 3, cases[i].bytes);
        assert_int_equal(brisa_mqtt_wait(&e->c, id, 1000), BRISA_ERR_PROTOCOL);
        assert_int_equal(e->clk.now, 3);
        const brisa_mqtt_failure *f = brisa_mqtt_last_failure(&e->c);
        assert_int_equal(f->err, BRISA_ERR_PROTOCOL);
        assert_int_equal(f->packet_type, cases[i].type);
        assert_int_equal(f->packet_id, cases[i].id);
        env_delete(e);
    }
}

static int setup_two_slots(void **state)
{
    return setup_sized(state, 256, 256, 2);
}

static void test_inflight_full(void **state)
{
    mqtt_env *e = *state;
    uint16_t a, b, c = 0;
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 1, false, &a), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 2, false, &b), BRISA_OK);
    size_t sent = e->ft.out_len;
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 1, false, &c), BRISA_ERR_BUSY);
    brisa_mqtt_subscription s = { "t", 0 };
    assert_int_equal(brisa_mqtt_subscribe(&e->c, &s, 1, NULL), BRISA_ERR_BUSY);
    assert_int_equal(e->ft.out_len, sent); /* nothing went out */
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 0, false, NULL), BRISA_OK);
    env_feed(e, 1, "40 02 00 01");
    assert_int_equal(brisa_mqtt_wait(&e->c, a, 100), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 1, false, &c), BRISA_OK);
    assert_int_equal(c, 3);
}

static void test_packet_ids_wrap_and_skip(void **state)
{
    mqtt_env *e = *state;
    uint16_t id;
    e->c.next_packet_id = 65535;
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 1, false, &id), BRISA_OK);
    assert_int_equal(id, 65535);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 1, false, &id), BRISA_OK);
    assert_int_equal(id, 1); /* never 0 */
    env_feed(e, 1, "40 02 ff ff");
    assert_int_equal(brisa_mqtt_wait(&e->c, 65535, 100), BRISA_OK);
    /* Come round again: 1 is still in flight and is skipped. */
    e->c.next_packet_id = 1;
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 1, false, &id), BRISA_OK);
    assert_int_equal(id, 2);
}

/* ---- incoming QoS 1 / 2 ---------------------------------------------------- */

static void test_incoming_qos1(void **state)
{
    mqtt_env *e = *state;
    env_feed(e, 1, "32 07 00 03 61 2f 62 00 07");
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_OK);
    assert_int_equal(e->nmsgs, 1);
    assert_int_equal(e->msgs[0].qos, 1);
    assert_int_equal(e->msgs[0].packet_id, 7);
    assert_int_equal(e->msgs[0].total, 0);
    assert_int_equal(e->msgs[0].out_len_at, 0); /* acked only after delivery */
    const char *want[] = { "40 02 00 07" };
    expect_sent(e, want, 1);
}

/* Each packet on the wire is traced once, PUBLISH with its real fields. */
static void test_incoming_publish_traced_once(void **state)
{
    mqtt_env *e = *state;
    env_feed(e, 1, "32 08 00 03 61 2f 62 00 07 5a"); /* QoS 1 id 7, "Z" */
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_OK);
    size_t in_publish = 0;
    for (size_t i = 0; i < e->ntraces; i++) {
        if (!e->traces[i].outgoing && e->traces[i].type == BRISA_MQTT_PUBLISH) {
            in_publish++;
            assert_int_equal(e->traces[i].packet_id, 7);
            assert_int_equal(e->traces[i].payload_len, 1);
        }
    }
    assert_int_equal(in_publish, 1);
    assert_int_equal(e->ntraces, 2); /* the PUBLISH in, its PUBACK out */
}

static void test_incoming_qos2_delivered_once(void **state)
{
    mqtt_env *e = *state;
    env_feed(e, 1, "34 08 00 03 61 2f 62 00 09 41");  /* PUBLISH QoS 2 id 9 "A" */
    env_feed(e, 2, "3c 08 00 03 61 2f 62 00 09 41");  /* resent with DUP */
    env_feed(e, 3, "62 02 00 09");                    /* PUBREL */
    env_feed(e, 4, "34 08 00 03 61 2f 62 00 09 42");  /* a new message, same id */
    for (int i = 0; i < 4; i++)
        assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_OK);
    assert_int_equal(e->nmsgs, 2);
    assert_memory_equal(e->payload, "AB", 2);
    assert_int_equal(e->msgs[0].out_len_at, 0);
    const char *want[] = { "50 02 00 09", "50 02 00 09", "70 02 00 09", "50 02 00 09" };
    expect_sent(e, want, 4);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 1); /* id 9 awaits PUBREL */
    /* Incoming ids live apart from ours: publishing may use 9 too. */
    e->c.next_packet_id = 9;
    uint16_t id;
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 1, false, &id), BRISA_OK);
    assert_int_equal(id, 9);
}

static void test_incoming_qos2_table_full(void **state)
{
    mqtt_env *e = *state;
    /* No slot left: still delivered and acknowledged (documented). */
    for (int i = 0; i < 8; i++)
        assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 1, false, NULL), BRISA_OK);
    fake_out_clear(&e->ft);
    env_feed(e, 1, "34 08 00 03 61 2f 62 00 09 41");
    env_feed(e, 2, "62 02 00 09");
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_OK);
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_OK);
    assert_int_equal(e->nmsgs, 1);
    const char *want[] = { "50 02 00 09", "70 02 00 09" };
    expect_sent(e, want, 2);
}

/* ---- SUBSCRIBE, UNSUBSCRIBE, routes ---------------------------------------- */

static void test_subscribe_sync(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_subscription subs[] = { { "a/b", 0 }, { "c/+", 1 }, { "d/#", 2 } };
    env_feed(e, 30, "90 05 00 01 00 01 80");
    uint8_t granted[3] = { 9, 9, 9 };
    /* One refused filter fails the call; the codes are still there. */
    assert_int_equal(brisa_mqtt_subscribe_sync(&e->c, subs, 3, granted, 1000),
                     BRISA_ERR_REFUSED);
    assert_int_equal(granted[0], 0);
    assert_int_equal(granted[1], 1);
    assert_int_equal(granted[2], BRISA_MQTT_SUBACK_FAILURE);
    const char *want[] = { "82 14 00 01 00 03 61 2f 62 00 00 03 63 2f 2b 01 00 03 64 2f 23 02" };
    expect_sent(e, want, 1);
    const env_event *s = env_last_event(e, BRISA_MQTT_EVT_SUBACK);
    assert_non_null(s);
    assert_int_equal(s->e.return_code_count, 3);
    assert_int_equal(s->codes[2], 0x80);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
}

static void test_subscribe_sync_all_granted(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_subscription subs[] = { { "a", 2 }, { "b", 1 } };
    env_feed(e, 30, "90 04 00 01 02 00");
    uint8_t granted[2] = { 9, 9 };
    /* A downgraded QoS is a grant, not a refusal. */
    assert_int_equal(brisa_mqtt_subscribe_sync(&e->c, subs, 2, granted, 1000), BRISA_OK);
    assert_int_equal(granted[0], 2);
    assert_int_equal(granted[1], 0);
    assert_true(brisa_mqtt_is_connected(&e->c));
}

static void test_suback_count_mismatch(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_subscription subs[] = { { "a", 0 }, { "b", 0 } };
    env_feed(e, 1, "90 03 00 01 00");
    uint8_t granted[2];
    assert_int_equal(brisa_mqtt_subscribe_sync(&e->c, subs, 2, granted, 1000),
                     BRISA_ERR_PROTOCOL);
    assert_false(brisa_mqtt_is_connected(&e->c));
}

static void test_subscribe_refused_args(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_subscription bad[] = { { "a/#/b", 0 } };
    assert_int_equal(brisa_mqtt_subscribe(&e->c, bad, 1, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_subscribe(&e->c, bad, 0, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
    assert_int_equal(e->ft.out_len, 0);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a/+", "x", 1, 0, false, NULL),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "x", 1, 3, false, NULL),
                     BRISA_ERR_INVALID_ARG);
}

static void test_unsubscribe(void **state)
{
    mqtt_env *e = *state;
    const char *filters[] = { "a/b", "#" };
    uint16_t id;
    assert_int_equal(brisa_mqtt_unsubscribe(&e->c, filters, 2, &id), BRISA_OK);
    env_feed(e, 5, "b0 02 00 01");
    assert_int_equal(brisa_mqtt_wait(&e->c, id, 100), BRISA_OK);
    const char *want[] = { "a2 0a 00 01 00 03 61 2f 62 00 01 23" };
    expect_sent(e, want, 1);
    assert_int_equal(env_last_event(e, BRISA_MQTT_EVT_UNSUBACK)->e.packet_id, 1);
}

static void test_routes(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(brisa_mqtt_route_add(&e->c, "s/+/t", env_route1, e), BRISA_OK);
    assert_int_equal(brisa_mqtt_route_add(&e->c, "s/#", env_route2, e), BRISA_OK);
    assert_int_equal(brisa_mqtt_route_add(&e->c, "bad/#/x", env_route2, e),
                     BRISA_ERR_INVALID_ARG);
    env_feed(e, 1, "30 07 00 05 73 2f 61 2f 74"); /* s/a/t -> route 1 (first match) */
    env_feed(e, 2, "30 05 00 03 73 2f 62");       /* s/b -> route 2 */
    env_feed(e, 3, "30 05 00 03 78 2f 79");       /* x/y -> on_message */
    for (int i = 0; i < 3; i++)
        assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_OK);
    assert_int_equal(e->nmsgs, 3);
    assert_int_equal(e->msgs[0].route, 1);
    assert_int_equal(e->msgs[1].route, 2);
    assert_int_equal(e->msgs[2].route, 0);
    assert_string_equal(e->msgs[2].topic, "x/y");
    /* Removing the first route lets the second catch s/a/t. */
    assert_int_equal(brisa_mqtt_route_remove(&e->c, "s/+/t"), BRISA_OK);
    assert_int_equal(brisa_mqtt_route_remove(&e->c, "s/+/t"), BRISA_ERR_NOT_FOUND);
    env_feed(e, 4, "30 07 00 05 73 2f 61 2f 74");
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_OK);
    assert_int_equal(e->msgs[3].route, 2);
    /* The table holds 8 routes. */
    static const char *const f[] = { "1", "2", "3", "4", "5", "6", "7", "8" };
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(brisa_mqtt_route_add(&e->c, f[i], env_route1, e), BRISA_OK);
    assert_int_equal(brisa_mqtt_route_add(&e->c, f[7], env_route1, e), BRISA_ERR_BUSY);
    assert_int_equal(brisa_mqtt_route_add(&e->c, "s/#", env_route1, e), BRISA_OK); /* replace */
}

/* ---- large payloads -------------------------------------------------------- */

static int setup_small_buffers(void **state)
{
    return setup_sized(state, 64, 64, 8);
}

/* A PUBLISH of @p total payload bytes on topic "big/t" (QoS 1, id 5),
 * payload byte i = i * 7 mod 251. */
static uint8_t *big_publish(size_t total, size_t *len)
{
    size_t rem = 2 + 5 + 2 + total, vl = brisa_mqtt_vbi_size((uint32_t)rem);
    uint8_t *p = malloc(1 + vl + rem);
    assert_non_null(p);
    p[0] = 0x32;
    brisa_mqtt_vbi_encode((uint32_t)rem, p + 1, vl);
    memcpy(p + 1 + vl, "\x00\x05" "big/t" "\x00\x05", 9);
    for (size_t i = 0; i < total; i++)
        p[1 + vl + 9 + i] = (uint8_t)(i * 7 % 251);
    *len = 1 + vl + rem;
    return p;
}

static void check_chunks(mqtt_env *e, size_t total)
{
    assert_true(e->nmsgs > 1);
    size_t expect_off = 0;
    for (size_t i = 0; i < e->nmsgs; i++) {
        const env_msg *m = &e->msgs[i];
        assert_int_equal(m->offset, expect_off);
        assert_int_equal(m->total, total);
        assert_string_equal(m->topic, "big/t");
        assert_int_equal(m->packet_id, 5);
        /* The PUBACK goes out only after the last chunk. */
        assert_int_equal(m->out_len_at, 0);
        expect_off += m->len;
    }
    assert_int_equal(expect_off, total);
    assert_int_equal(e->payload_len, total);
    for (size_t i = 0; i < total; i++)
        if (e->payload[i] != (uint8_t)(i * 7 % 251))
            fail_msg("payload byte %zu wrong", i);
    const char *want[] = { "40 02 00 05" };
    expect_sent(e, want, 1);
}

static void test_large_incoming_chunked(void **state)
{
    mqtt_env *e = *state;
    size_t len, total = 1000;
    uint8_t *pkt = big_publish(total, &len);
    fake_feed(&e->ft, 1, pkt, len);
    env_feed(e, 2, "d0 00");
    int err = BRISA_OK;
    while (err == BRISA_OK && fake_unread(&e->ft) > 2)
        err = brisa_mqtt_process(&e->c, 100);
    assert_int_equal(err, BRISA_OK);
    check_chunks(e, total);
    /* Every chunk but the last fills the buffer after topic and id. */
    assert_int_equal(e->msgs[0].len, 64 - 9);
    free(pkt);
    /* The connection carries on: the next packet is read normally. */
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_OK);
    assert_int_equal(fake_unread(&e->ft), 0);
    assert_true(brisa_mqtt_is_connected(&e->c));
}

static void test_large_incoming_chunked_partial_reads(void **state)
{
    mqtt_env *e = *state;
    e->ft.max_read = 7;
    size_t len, total = 3000;
    uint8_t *pkt = big_publish(total, &len);
    fake_feed(&e->ft, 1, pkt, len);
    int err = BRISA_OK;
    while (err == BRISA_OK && fake_unread(&e->ft) > 0)
        err = brisa_mqtt_process(&e->c, 100);
    assert_int_equal(err, BRISA_OK);
    check_chunks(e, total);
    free(pkt);
}

static void test_large_incoming_refused(void **state)
{
    mqtt_env *e = *state;
    e->c.cfg.large_policy = BRISA_MQTT_LARGE_REFUSE;
    size_t len;
    uint8_t *pkt = big_publish(100, &len);
    fake_feed(&e->ft, 1, pkt, len);
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_ERR_TOO_LARGE);
    assert_int_equal(e->nmsgs, 0); /* never a truncated message */
    assert_int_equal(env_last_event(e, BRISA_MQTT_EVT_DISCONNECTED)->e.err, BRISA_ERR_TOO_LARGE);
    free(pkt);
}

static void test_large_incoming_topic_too_long(void **state)
{
    mqtt_env *e = *state;
    /* Topic of 70 bytes cannot sit in a 64-byte rx_buf. */
    uint8_t pkt[200];
    size_t rem = 2 + 70 + 10;
    pkt[0] = 0x30;
    pkt[1] = (uint8_t)rem;
    pkt[2] = 0;
    pkt[3] = 70;
    memset(pkt + 4, 't', 70 + 10);
    fake_feed(&e->ft, 1, pkt, 2 + rem);
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_ERR_TOO_LARGE);
    assert_int_equal(e->nmsgs, 0);
}

static void test_large_non_publish_refused(void **state)
{
    mqtt_env *e = *state;
    /* A SUBACK with 100 codes does not fit in 64 bytes. */
    uint8_t pkt[110] = { 0x90, 102, 0x00, 0x01 };
    fake_feed(&e->ft, 1, pkt, 104);
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_ERR_TOO_LARGE);
}

static void test_large_outgoing_zero_copy(void **state)
{
    mqtt_env *e = *state;
    size_t total = 10000;
    uint8_t *payload = malloc(total);
    assert_non_null(payload);
    for (size_t i = 0; i < total; i++)
        payload[i] = (uint8_t)(i * 13 + 5);
    uint16_t id;
    assert_int_equal(brisa_mqtt_publish(&e->c, "big/t", payload, total, 1, false, &id), BRISA_OK);
    /* Header from tx_buf with SEND_MORE, then the payload from the
     * caller's own memory, without a copy. */
    assert_int_equal(e->ft.nsends, 2);
    assert_int_equal(e->ft.sends[0].flags, BRISA_SEND_MORE);
    assert_ptr_equal(e->ft.sends[0].ptr, e->tx);
    assert_ptr_equal(e->ft.sends[1].ptr, payload);
    assert_int_equal(e->ft.sends[1].flags, 0);
    fake_pkt pk[2];
    assert_int_equal(fake_out_packets(&e->ft, pk, 2), 1);
    brisa_mqtt_packet p;
    assert_int_equal(brisa_mqtt_packet_decode(NULL, pk[0].bytes, pk[0].len, &p), (int)pk[0].len);
    assert_int_equal(p.u.publish.payload_len, total);
    assert_memory_equal(p.u.publish.payload, payload, total);
    free(payload);
    /* Small enough for tx_buf: copied and sent in one write. */
    fake_out_clear(&e->ft);
    assert_int_equal(brisa_mqtt_publish(&e->c, "s", "tiny", 4, 0, false, NULL), BRISA_OK);
    assert_int_equal(e->ft.nsends, 1);
    assert_int_equal(e->ft.sends[0].flags, 0);
}

static void test_large_outgoing_partial_writes(void **state)
{
    mqtt_env *e = *state;
    e->ft.max_write = 999;
    size_t total = 5000;
    uint8_t *payload = malloc(total);
    assert_non_null(payload);
    for (size_t i = 0; i < total; i++)
        payload[i] = (uint8_t)(i ^ (i >> 8));
    assert_int_equal(brisa_mqtt_publish(&e->c, "big/t", payload, total, 0, false, NULL), BRISA_OK);
    fake_pkt pk[2];
    assert_int_equal(fake_out_packets(&e->ft, pk, 2), 1);
    brisa_mqtt_packet p;
    assert_int_equal(brisa_mqtt_packet_decode(NULL, pk[0].bytes, pk[0].len, &p), (int)pk[0].len);
    assert_memory_equal(p.u.publish.payload, payload, total);
    free(payload);
}

/* ---- session resume -------------------------------------------------------- */

static void reconnect(mqtt_env *e, fake_transport *ft2, const char *connack, bool clean)
{
    fake_transport_init(ft2, &e->clk);
    brisa_transport t2 = fake_transport_iface(ft2);
    brisa_mqtt_set_transport(&e->c, &t2);
    uint8_t buf[8];
    size_t n = hex(connack, buf, sizeof buf);
    fake_feed(ft2, e->clk.now, buf, n);
    brisa_mqtt_connect_options o = { .client_id = "dev", .clean_session = clean };
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, NULL), BRISA_OK);
}

static void send_three_and_drop(mqtt_env *e)
{
    assert_int_equal(env_connect(e, 0, false), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "1", 1, 1, false, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "b", "2", 1, 2, true, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "c", "3", 1, 2, false, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "d", "4", 1, 1, false, NULL), BRISA_OK);
    env_feed(e, 1, "50 02 00 01"); /* PUBREC for a QoS 1 id: answered, nothing changes */
    env_feed(e, 2, "50 02 00 03"); /* PUBREC 3: PUBREL 3 now awaits PUBCOMP */
    env_feed(e, 3, "40 02 00 04"); /* PUBACK 4: done */
    fake_feed_err(&e->ft, 4, BRISA_ERR_CLOSED);
    int err = BRISA_OK;
    while (err == BRISA_OK)
        err = brisa_mqtt_process(&e->c, 100);
    assert_int_equal(err, BRISA_ERR_CLOSED);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 3);
}

static void test_session_resume(void **state)
{
    mqtt_env *e = *state;
    send_three_and_drop(e);
    fake_transport ft2;
    reconnect(e, &ft2, "20 02 01 00", false);
    fake_pkt pk[1];
    fake_out_packets(&ft2, pk, 1);
    /* CONNECT, then in original order: PUBLISH 1 and 2 with DUP, PUBREL 3. */
    assert_int_equal(pk[0].type, BRISA_MQTT_CONNECT);
    static const char *const want[] = { "3a 06 00 01 61 00 01 31", "3d 06 00 01 62 00 02 32",
                                        "62 02 00 03" };
    expect_sent_on(&ft2, 1, want, 3);
    uint8_t acks[] = { 0x40, 2, 0, 1, 0x50, 2, 0, 2, 0x70, 2, 0, 3, 0x70, 2, 0, 2 };
    fake_feed(&ft2, e->clk.now + 1, acks, sizeof acks);
    assert_int_equal(brisa_mqtt_wait_all(&e->c, 1000), BRISA_OK);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
    fake_transport_free(&ft2);
}

static void test_session_lost(void **state)
{
    mqtt_env *e = *state;
    send_three_and_drop(e);
    e->nevents = 0;
    fake_transport ft2;
    reconnect(e, &ft2, "20 02 00 00", false); /* broker kept nothing */
    fake_pkt pk[8];
    assert_int_equal(fake_out_packets(&ft2, pk, 8), 1); /* only CONNECT */
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
    assert_int_equal(env_events_of(e, BRISA_MQTT_EVT_DROPPED), 3);
    fake_transport_free(&ft2);
}

static void test_clean_session_drops(void **state)
{
    mqtt_env *e = *state;
    send_three_and_drop(e);
    e->nevents = 0;
    fake_transport ft2;
    reconnect(e, &ft2, "20 02 00 00", true);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
    assert_int_equal(env_events_of(e, BRISA_MQTT_EVT_DROPPED), 3);
    fake_transport_free(&ft2);
}

static void test_incoming_qos2_survives_reconnect(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 0, false), BRISA_OK);
    env_feed(e, 1, "34 08 00 03 61 2f 62 00 09 41");
    fake_feed_err(&e->ft, 2, BRISA_ERR_CLOSED);
    while (brisa_mqtt_process(&e->c, 100) == BRISA_OK)
        ;
    assert_int_equal(e->nmsgs, 1);
    fake_transport ft2;
    reconnect(e, &ft2, "20 02 01 00", false);
    /* The broker did not see our PUBREC and resends: not delivered again. */
    uint8_t again[] = { 0x3c, 8, 0, 3, 'a', '/', 'b', 0, 9, 'A', 0x62, 2, 0, 9 };
    fake_feed(&ft2, e->clk.now, again, sizeof again);
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_OK);
    assert_int_equal(brisa_mqtt_process(&e->c, 100), BRISA_OK);
    assert_int_equal(e->nmsgs, 1);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
    fake_transport_free(&ft2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_publish_qos1, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_wait_returns_at_its_ack, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_publish_qos1_no_answer, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_publish_qos2, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_out_of_order_acks, setup, env_teardown),
        cmocka_unit_test(test_ack_not_in_flight),
        cmocka_unit_test_setup_teardown(test_unexpected_acks, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_inflight_full, setup_two_slots, env_teardown),
        cmocka_unit_test_setup_teardown(test_packet_ids_wrap_and_skip, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_incoming_publish_traced_once, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_incoming_qos1, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_incoming_qos2_delivered_once, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_incoming_qos2_table_full, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_subscribe_sync, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_subscribe_sync_all_granted, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_suback_count_mismatch, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_subscribe_refused_args, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_unsubscribe, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_routes, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_large_incoming_chunked, setup_small_buffers,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_large_incoming_chunked_partial_reads,
                                        setup_small_buffers, env_teardown),
        cmocka_unit_test_setup_teardown(test_large_incoming_refused, setup_small_buffers,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_large_incoming_topic_too_long, setup_small_buffers,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_large_non_publish_refused, setup_small_buffers,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_large_outgoing_zero_copy, setup_small_buffers,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_large_outgoing_partial_writes, setup_small_buffers,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_session_resume, env_setup_unconnected,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_session_lost, env_setup_unconnected,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_clean_session_drops, env_setup_unconnected,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_incoming_qos2_survives_reconnect, env_setup_unconnected,
                                        env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
