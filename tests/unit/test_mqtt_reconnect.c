// SPDX-License-Identifier: MIT
/* Tests for connections that survive: the reconnection service (backoff,
 * events, resend after resume, ids lost without a session, subscriptions
 * renewed, giving up), the offline queue, the persistence interface with
 * brisa_mqtt_restore, and the failure details (what was waited for, which
 * ack broke the protocol). Scripted transports and a fake clock. */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "brisa/mqtt_reconnect.h"
#include "mqtt_env_cmocka.h"

/* ---- a scripted series of links ------------------------------------------- */

#define MAX_LINKS 8

typedef struct links {
    mqtt_env *e;
    fake_transport ft[MAX_LINKS];
    size_t opened;
    int open_err[MAX_LINKS];        /* per attempt: fail with this, or 0 */
    const char *connack[MAX_LINKS]; /* fed when opened (hex); NULL: none */
} links;

static int open_link(void *user, brisa_transport *out)
{
    links *l = user;
    assert_true(l->opened < MAX_LINKS);
    size_t i = l->opened++;
    if (l->open_err[i])
        return l->open_err[i];
    fake_transport_init(&l->ft[i], &l->e->clk);
    if (l->connack[i]) {
        uint8_t buf[8];
        size_t n = hex(l->connack[i], buf, sizeof buf);
        fake_feed(&l->ft[i], l->e->clk.now, buf, n);
    }
    *out = fake_transport_iface(&l->ft[i]);
    return BRISA_OK;
}

static void fake_sleep(void *user, uint32_t ms)
{
    ((mqtt_env *)user)->clk.now += ms;
}

typedef struct fixture {
    mqtt_env *e;
    links l;
    brisa_mqtt_reconnect r;
    brisa_mqtt_connect_options co;
    brisa_mqtt_reconnect_config rc;
    brisa_mqtt_queue q;
    brisa_mqtt_queued qslots[4];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->e = env_new(256, 256, 8)))
        return -1;
    f->l.e = f->e;
    f->co.client_id = "dev";
    f->co.clean_session = false;
    f->co.connack_timeout_ms = 2000;
    f->rc.client = &f->e->c;
    f->rc.connect = &f->co;
    f->rc.open = open_link;
    f->rc.open_user = &f->l;
    f->rc.sleep_ms = fake_sleep;
    f->rc.sleep_user = f->e;
    f->rc.min_delay_ms = 500;
    f->rc.max_delay_ms = 4000;
    f->rc.stable_ms = 30000;
    brisa_mqtt_queue_init(&f->q, f->qslots, 4, BRISA_MQTT_QUEUE_REFUSE_NEW);
    f->rc.queue = &f->q;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    for (size_t i = 0; i < f->l.opened; i++)
        if (!f->l.open_err[i])
            fake_transport_free(&f->l.ft[i]);
    env_delete(f->e);
    free(f);
    return 0;
}

static void start(fixture *f)
{
    assert_int_equal(brisa_mqtt_reconnect_init(&f->r, &f->rc), BRISA_OK);
    assert_int_equal(brisa_mqtt_reconnect_start(&f->r), BRISA_OK);
}

/* Runs the service until it is up, or fails the test after @p ms. */
static void run_until_up(fixture *f, uint32_t ms)
{
    uint64_t end = f->e->clk.now + ms;
    while (!brisa_mqtt_reconnect_is_up(&f->r)) {
        assert_true(f->e->clk.now < end);
        assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 100), BRISA_OK);
    }
}

/* Runs the service until it notices the connection is gone. */
static void run_until_down(fixture *f, uint32_t ms)
{
    uint64_t end = f->e->clk.now + ms;
    while (brisa_mqtt_reconnect_is_up(&f->r)) {
        assert_true(f->e->clk.now < end);
        assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 100), BRISA_OK);
    }
}

/* ---- backoff ------------------------------------------------------------- */

static int rand_fill(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)rand();
    return 0;
}

static void test_backoff_full_jitter(void **state)
{
    (void)state;
    static const uint32_t ceilings[] = { 100, 200, 400, 800, 1000, 1000 };
    /* Without randomness: exactly the ceiling, doubling up to the cap. */
    brisa_mqtt_backoff b = { .min_delay_ms = 100, .max_delay_ms = 1000 };
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(brisa_mqtt_backoff_next(&b, NULL), ceilings[i]);
    /* With it: uniform below the ceiling, spread over the whole range. */
    brisa_rng rng = { NULL, rand_fill };
    srand(7);
    for (size_t i = 0; i < 6; i++) {
        uint32_t lo = UINT32_MAX, hi = 0;
        for (int k = 0; k < 2000; k++) {
            brisa_mqtt_backoff t = { .min_delay_ms = 100, .max_delay_ms = 1000,
                                     .attempt = (uint32_t)i };
            uint32_t d = brisa_mqtt_backoff_next(&t, &rng);
            assert_true(d <= ceilings[i]);
            lo = d < lo ? d : lo;
            hi = d > hi ? d : hi;
        }
        assert_true(lo < ceilings[i] / 10);
        assert_true(hi > ceilings[i] * 9 / 10);
    }
}

/* ---- reconnection -------------------------------------------------------- */

/* Connects, puts a QoS 1, a QoS 2 and a QoS 2 past PUBREC in flight, then
 * the broker drops the link at t0 + 10. */
static uint64_t up_with_three_in_flight(fixture *f)
{
    f->l.connack[0] = "20 02 00 00";
    start(f);
    run_until_up(f, 1000);
    assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "a", "1", 1, 1, false, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "b", "2", 1, 2, false, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "c", "3", 1, 2, false, NULL), BRISA_OK);
    uint64_t t0 = f->e->clk.now;
    uint8_t pubrec3[] = { 0x50, 2, 0, 3 };
    fake_feed(&f->l.ft[0], t0 + 5, pubrec3, sizeof pubrec3);
    fake_feed_err(&f->l.ft[0], t0 + 10, BRISA_ERR_CLOSED);
    return t0;
}

static void test_reconnect_resumes_in_order(void **state)
{
    fixture *f = *state;
    f->l.open_err[1] = BRISA_ERR_CONNECT;  /* the broker is still away */
    f->l.connack[2] = "20 02 01 00";       /* back, with the session */
    uint64_t t0 = up_with_three_in_flight(f);
    f->e->nevents = 0;
    run_until_down(f, 1000);
    run_until_up(f, 10000);
    /* lost at t0+10, 500 ms (attempt 1 ceiling), then 1000 ms after the
     * failed open (no rng: the ceiling itself). */
    const env_event *lost = env_last_event(f->e, BRISA_MQTT_EVT_LOST);
    assert_non_null(lost);
    assert_int_equal(lost->e.err, BRISA_ERR_CLOSED);
    assert_int_equal(env_events_of(f->e, BRISA_MQTT_EVT_RECONNECTING), 2);
    const env_event *rc = env_last_event(f->e, BRISA_MQTT_EVT_RECONNECTING);
    assert_int_equal(rc->e.delay_ms, 1000);
    assert_int_equal(rc->e.err, BRISA_ERR_CONNECT);
    const env_event *back = env_last_event(f->e, BRISA_MQTT_EVT_RECONNECTED);
    assert_non_null(back);
    assert_true(back->e.connack.session_present);
    assert_int_equal(back->at, t0 + 10 + 500 + 1000);
    /* CONNECT, then PUBLISH 1 and 2 with DUP and PUBREL 3, in that order. */
    fake_pkt pk[1];
    fake_out_packets(&f->l.ft[2], pk, 1);
    assert_int_equal(pk[0].type, BRISA_MQTT_CONNECT);
    static const char *const want[] = { "3a 06 00 01 61 00 01 31",
                                        "3c 06 00 01 62 00 02 32", "62 02 00 03" };
    expect_sent_on(&f->l.ft[2], 1, want, 3);
    uint8_t acks[] = { 0x40, 2, 0, 1, 0x50, 2, 0, 2, 0x70, 2, 0, 3, 0x70, 2, 0, 2 };
    fake_feed(&f->l.ft[2], f->e->clk.now + 1, acks, sizeof acks);
    assert_int_equal(brisa_mqtt_reconnect_wait_all(&f->r, 1000), BRISA_OK);
    assert_int_equal(env_events_of(f->e, BRISA_MQTT_EVT_PUBLISHED), 3);
    assert_int_equal(env_events_of(f->e, BRISA_MQTT_EVT_DROPPED), 0);
}

#if BRISA_MQTT5
/* MQTT 5: a publish the broker refused (PUBACK 0x87) fails the wait, as
 * brisa_mqtt_wait_all() does; the service stays up. */
static void test_wait_all_refused(void **state)
{
    fixture *f = *state;
    f->co.protocol_level = BRISA_MQTT_V5;
    f->l.connack[0] = "20 03 00 00 00";
    start(f);
    run_until_up(f, 1000);
    uint16_t id = 0;
    assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "t", "x", 1, 1, false, &id), BRISA_OK);
    assert_int_equal(id, 1);
    assert_int_equal(brisa_mqtt_reconnect_wait_all(&f->r, 0), BRISA_ERR_TIMEOUT);
    uint8_t puback[] = { 0x40, 3, 0, 1, 0x87 };
    fake_feed(&f->l.ft[0], f->e->clk.now + 1, puback, sizeof puback);
    assert_int_equal(brisa_mqtt_reconnect_wait_all(&f->r, 1000), BRISA_ERR_REFUSED);
    assert_true(brisa_mqtt_reconnect_is_up(&f->r));
    assert_int_equal(brisa_mqtt_reconnect_wait_all(&f->r, 1000), BRISA_OK);
}
#endif

/* Without a session the application learns which ids were lost, and the
 * service subscribes again. */
static void test_reconnect_without_session(void **state)
{
    fixture *f = *state;
    static const brisa_mqtt_subscription subs[] = { { "x/#", 1 } };
    f->rc.subs = subs;
    f->rc.sub_count = 1;
    f->l.connack[1] = "20 02 00 00";
    up_with_three_in_flight(f);
    f->e->nevents = 0;
    run_until_down(f, 1000);
    run_until_up(f, 10000);
    assert_int_equal(env_events_of(f->e, BRISA_MQTT_EVT_DROPPED), 3);
    uint16_t lost[3] = { 0 };
    size_t k = 0;
    for (size_t i = 0; i < f->e->nevents; i++)
        if (f->e->events[i].e.type == BRISA_MQTT_EVT_DROPPED)
            lost[k++] = f->e->events[i].e.packet_id;
    /* ids 1 was the first SUBSCRIBE's: the publishes were 2, 3, 4 */
    assert_int_equal(lost[0] + lost[1] + lost[2], 2 + 3 + 4);
    const env_event *back = env_last_event(f->e, BRISA_MQTT_EVT_RECONNECTED);
    assert_non_null(back);
    assert_false(back->e.connack.session_present);
    fake_pkt pk[4];
    assert_int_equal(fake_out_packets(&f->l.ft[1], pk, 4), 2); /* CONNECT, SUBSCRIBE */
    assert_int_equal(pk[1].type, BRISA_MQTT_SUBSCRIBE);
}

/* Publishes made while down wait in the queue and go out in order once
 * the connection is back; a full queue refuses (REFUSE_NEW). */
static void test_queue_while_down(void **state)
{
    fixture *f = *state;
    f->l.open_err[0] = BRISA_ERR_CONNECT;
    f->l.connack[1] = "20 02 00 00";
    f->rc.sleep_ms = NULL; /* event-loop style: process returns to wait */
    start(f);
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 0), BRISA_OK);
    assert_false(brisa_mqtt_reconnect_is_up(&f->r));
    assert_int_equal(brisa_mqtt_reconnect_due_in(&f->r), 500);
    uint16_t id = 7;
    static const char *const bodies[] = { "q0", "q1", "q2", "q3" };
    for (int i = 0; i < 4; i++) {
        assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "t", bodies[i], 2, (uint8_t)(i % 2),
                                                      false, &id), BRISA_OK);
        assert_int_equal(id, 0);
    }
    assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "t", "q4", 2, 0, false, NULL),
                     BRISA_ERR_BUSY);
    f->e->clk.now += 500;
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 0), BRISA_OK);
    assert_true(brisa_mqtt_reconnect_is_up(&f->r));
    assert_int_equal(f->q.count, 0);
    const char *const want[] = { "10 0f 00 04 4d 51 54 54 04 00 00 00 00 03 64 65 76",
                                 "30 05 00 01 74 71 30", "32 07 00 01 74 00 01 71 31",
                                 "30 05 00 01 74 71 32", "32 07 00 01 74 00 02 71 33" };
    expect_sent_on(&f->l.ft[1], 0, want, 5);
}

static void test_queue_drop_oldest_qos0(void **state)
{
    (void)state;
    brisa_mqtt_queued slots[3];
    brisa_mqtt_queue q;
    brisa_mqtt_queue_init(&q, slots, 3, BRISA_MQTT_QUEUE_DROP_OLDEST_QOS0);
    brisa_mqtt_queued m[5] = { { "a", "", 0, 1, false }, { "b", "", 0, 0, false },
                               { "c", "", 0, 0, false }, { "d", "", 0, 1, false },
                               { "e", "", 0, 1, false } };
    for (int i = 0; i < 3; i++)
        assert_int_equal(brisa_mqtt_queue_push(&q, &m[i]), BRISA_OK);
    assert_int_equal(brisa_mqtt_queue_push(&q, &m[3]), BRISA_OK); /* "b" goes */
    assert_int_equal(q.dropped, 1);
    assert_int_equal(brisa_mqtt_queue_push(&q, &m[4]), BRISA_OK); /* "c" goes */
    assert_int_equal(q.dropped, 2);
    /* Only QoS 1 left: nothing may be dropped, the new one is refused. */
    assert_int_equal(brisa_mqtt_queue_push(&q, &m[1]), BRISA_ERR_BUSY);
    static const char *const order[] = { "a", "d", "e" };
    for (int i = 0; i < 3; i++) {
        assert_string_equal(brisa_mqtt_queue_peek(&q)->topic, order[i]);
        brisa_mqtt_queue_pop(&q);
    }
    assert_null(brisa_mqtt_queue_peek(&q));
}

static void test_refused_for_good(void **state)
{
    fixture *f = *state;
    f->l.connack[0] = "20 02 00 03"; /* server unavailable: try again */
    f->l.connack[1] = "20 02 00 05"; /* not authorized: give up */
    start(f);
    int err = BRISA_OK;
    while (err == BRISA_OK)
        err = brisa_mqtt_reconnect_process(&f->r, 100);
    assert_int_equal(err, BRISA_ERR_REFUSED);
    assert_int_equal(f->l.opened, 2);
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 100), BRISA_ERR_REFUSED);
}

static void test_max_attempts(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < MAX_LINKS; i++)
        f->l.open_err[i] = BRISA_ERR_CONNECT;
    f->rc.max_attempts = 3;
    start(f);
    int err = BRISA_OK;
    while (err == BRISA_OK)
        err = brisa_mqtt_reconnect_process(&f->r, 100);
    assert_int_equal(err, BRISA_ERR_CONNECT);
    assert_int_equal(f->l.opened, 3);
    assert_int_equal(f->e->clk.now, 500 + 1000); /* two waits between three tries */
}

/* A connection that stayed up stable_ms starts the backoff over; a short
 * one does not. A CONNACK that never comes is an attempt that failed. */
static void test_backoff_reset_after_stable(void **state)
{
    fixture *f = *state;
    f->l.open_err[0] = BRISA_ERR_CONNECT; /* the backoff counts one failure */
    f->l.connack[1] = "20 02 00 00";
    /* link 2: no CONNACK (2 s timeout); link 3: up. */
    f->l.connack[3] = "20 02 00 00";
    start(f);
    run_until_up(f, 1000);
    assert_int_equal(f->e->clk.now, 500);
    fake_feed_err(&f->l.ft[1], f->e->clk.now + 40000, BRISA_ERR_CLOSED);
    f->e->nevents = 0;
    while (f->l.opened < 3)
        assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 1000), BRISA_OK);
    const env_event *rc = env_last_event(f->e, BRISA_MQTT_EVT_RECONNECTING);
    assert_int_equal(rc->e.delay_ms, 500); /* not 1000: 40 s up was stable */
    run_until_up(f, 10000);
    rc = env_last_event(f->e, BRISA_MQTT_EVT_RECONNECTING);
    assert_int_equal(rc->e.err, BRISA_ERR_TIMEOUT); /* the missing CONNACK */
    assert_int_equal(rc->e.delay_ms, 1000);
    assert_int_equal(f->e->clk.now, 500 + 40000 + 500 + 2000 + 1000);
    assert_int_equal(brisa_mqtt_last_failure(&f->e->c)->packet_type, 0); /* connected now */
}

/* ---- failure details ------------------------------------------------------ */

static void test_keepalive_names_pingresp(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 5, true), BRISA_OK);
    int err = BRISA_OK;
    while (err == BRISA_OK)
        err = brisa_mqtt_process(&e->c, 1000);
    assert_int_equal(err, BRISA_ERR_TIMEOUT);
    assert_int_equal(e->clk.now, 7500);
    const brisa_mqtt_failure *f = brisa_mqtt_last_failure(&e->c);
    assert_int_equal(f->packet_type, BRISA_MQTT_PINGRESP);
    assert_int_equal(f->waited_ms, 7500);
}

static void test_connack_wait_named(void **state)
{
    mqtt_env *e = *state;
    brisa_mqtt_connect_options o = { .client_id = "dev", .clean_session = true };
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1200, NULL), BRISA_ERR_TIMEOUT);
    const brisa_mqtt_failure *f = brisa_mqtt_last_failure(&e->c);
    assert_int_equal(f->packet_type, BRISA_MQTT_CONNACK);
    assert_int_equal(f->waited_ms, 1200);
}

static void test_connack_reserved_code(void **state)
{
    mqtt_env *e = *state;
    env_feed(e, 0, "20 02 00 07");
    brisa_mqtt_connect_options o = { .client_id = "dev", .clean_session = true };
    brisa_mqtt_connack ack;
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, &ack), BRISA_ERR_MALFORMED);
    assert_int_equal(ack.return_code, 7);
    assert_int_equal(brisa_mqtt_last_failure(&e->c)->packet_type, BRISA_MQTT_CONNACK);
}

/* A broker that stalls in the middle of a packet: the keepalive failure
 * says which packet and how much of it came. */
static void test_stall_mid_packet(void **state)
{
    mqtt_env *e = *state;
    assert_int_equal(env_connect(e, 2, true), BRISA_OK);
    env_feed(e, 100, "90 03"); /* a SUBACK's first two bytes, then nothing */
    uint8_t type = 0;
    size_t have = 0, total = 0;
    assert_int_equal(brisa_mqtt_process(&e->c, 200), BRISA_OK);
    assert_true(brisa_mqtt_rx_partial(&e->c, &type, &have, &total));
    assert_int_equal(type, BRISA_MQTT_SUBACK);
    assert_int_equal(have, 2);
    assert_int_equal(total, 5);
    int err = BRISA_OK;
    while (err == BRISA_OK)
        err = brisa_mqtt_process(&e->c, 1000);
    assert_int_equal(err, BRISA_ERR_TIMEOUT);
    const brisa_mqtt_failure *f = brisa_mqtt_last_failure(&e->c);
    assert_int_equal(f->packet_type, BRISA_MQTT_PINGRESP);
    assert_true(f->partial);
    assert_int_equal(f->partial_type, BRISA_MQTT_SUBACK);
    assert_int_equal(f->partial_have, 2);
    assert_int_equal(f->partial_total, 5);
    assert_false(brisa_mqtt_rx_partial(&e->c, NULL, NULL, NULL)); /* reset with the link */
}

/* A client connected by the caller is adopted: a loss is then reported
 * and reconnected like any other. */
static void test_adopt(void **state)
{
    fixture *f = *state;
    assert_int_equal(brisa_mqtt_reconnect_init(&f->r, &f->rc), BRISA_OK);
    assert_int_equal(brisa_mqtt_reconnect_adopt(&f->r), BRISA_ERR_STATE);
    assert_int_equal(env_connect(f->e, 0, false), BRISA_OK);
    assert_int_equal(brisa_mqtt_reconnect_adopt(&f->r), BRISA_OK);
    f->l.connack[0] = "20 02 01 00";
    fake_feed_err(&f->e->ft, f->e->clk.now + 5, BRISA_ERR_CLOSED);
    run_until_down(f, 1000);
    run_until_up(f, 2000);
    assert_int_equal(env_events_of(f->e, BRISA_MQTT_EVT_LOST), 1);
    assert_non_null(env_last_event(f->e, BRISA_MQTT_EVT_RECONNECTED));
    assert_int_equal(f->l.opened, 1);
}

/* ---- persistence ----------------------------------------------------------- */

typedef struct mem_rec {
    bool used;
    brisa_mqtt_record r;
    char topic[32];
    uint8_t payload[32];
    uint8_t props[32];
} mem_rec;

typedef struct mem_store {
    mem_rec recs[16];
    int stores, removes;
    int fail_store; /* when non-zero, store() returns it */
} mem_store;

static mem_rec *mem_find(mem_store *m, uint16_t id, bool incoming)
{
    for (int i = 0; i < 16; i++)
        if (m->recs[i].used && m->recs[i].r.packet_id == id &&
            (m->recs[i].r.kind == BRISA_MQTT_REC_INCOMING) == incoming)
            return &m->recs[i];
    return NULL;
}

static int mem_store_fn(void *ctx, const brisa_mqtt_record *r)
{
    mem_store *m = ctx;
    if (m->fail_store)
        return m->fail_store;
    m->stores++;
    mem_rec *x = mem_find(m, r->packet_id, r->kind == BRISA_MQTT_REC_INCOMING);
    for (int i = 0; !x && i < 16; i++)
        if (!m->recs[i].used)
            x = &m->recs[i];
    assert_non_null(x);
    assert_true(r->topic_len < sizeof x->topic && r->payload_len <= sizeof x->payload);
    x->used = true;
    x->r = *r;
    if (r->topic_len)
        memcpy(x->topic, r->topic, r->topic_len);
    if (r->payload_len)
        memcpy(x->payload, r->payload, r->payload_len);
    assert_true(r->props_len <= sizeof x->props);
    if (r->props_len)
        memcpy(x->props, r->props, r->props_len);
    x->r.topic = x->topic;
    x->r.payload = x->payload;
    x->r.props = r->props_len ? x->props : NULL;
    return 0;
}

static int mem_remove_fn(void *ctx, uint16_t id, bool incoming)
{
    mem_store *m = ctx;
    mem_rec *x = mem_find(m, id, incoming);
    m->removes++;
    if (x)
        x->used = false;
    return 0;
}

static int mem_load_fn(void *ctx, brisa_mqtt_record_fn fn, void *arg)
{
    mem_store *m = ctx;
    for (int i = 15; i >= 0; i--) { /* any order: the client sorts by seq */
        if (!m->recs[i].used)
            continue;
        int err = fn(arg, &m->recs[i].r);
        if (err < 0)
            return err;
    }
    return 0;
}

static mqtt_env *env_with_store(mem_store *m)
{
    mqtt_env *e = env_new(256, 256, 8);
    assert_non_null(e);
    brisa_mqtt_store st = { m, mem_store_fn, mem_remove_fn, mem_load_fn };
    assert_int_equal(brisa_mqtt_set_store(&e->c, &st), BRISA_OK);
    return e;
}

static size_t mem_count(const mem_store *m)
{
    size_t n = 0;
    for (int i = 0; i < 16; i++)
        n += m->recs[i].used;
    return n;
}

/* Flows are stored as they move and survive a "restart" (a new client
 * over the same store): resent with DUP in their original order, and an
 * incoming QoS 2 message already delivered is not delivered again. */
static void test_store_survives_restart(void **state)
{
    (void)state;
    mem_store *m = calloc(1, sizeof *m);
    mqtt_env *e = env_with_store(m);
    assert_int_equal(env_connect(e, 0, false), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "1", 1, 1, false, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "b", "2", 1, 2, false, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "c", "3", 1, 2, true, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "d", "4", 1, 1, false, NULL), BRISA_OK);
    env_feed(e, 1, "50 02 00 03");                   /* PUBREC 3: now PUBREL */
    env_feed(e, 2, "40 02 00 04");                   /* PUBACK 4: removed */
    env_feed(e, 3, "34 07 00 01 78 00 09 41 42");    /* incoming QoS 2, id 9 */
    while (e->clk.now < 10)
        assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_OK);
    assert_int_equal(e->nmsgs, 1);
    assert_int_equal(mem_count(m), 4); /* out 1, 2, 3 (PUBREL), in 9 */
    assert_int_equal(mem_find(m, 3, false)->r.kind, BRISA_MQTT_REC_PUBREL);
    assert_non_null(mem_find(m, 9, true));
    assert_null(mem_find(m, 4, false));
    env_delete(e); /* the process dies */

    e = env_with_store(m);
    static uint8_t arena[64];
    assert_int_equal(brisa_mqtt_restore(&e->c, arena, sizeof arena), 4);
    env_feed(e, e->clk.now, "20 02 01 00");
    brisa_mqtt_connect_options o = { .client_id = "dev" };
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, NULL), BRISA_OK);
    static const char *const want[] = { "3a 06 00 01 61 00 01 31",
                                        "3c 06 00 01 62 00 02 32", "62 02 00 03" };
    expect_sent_on(&e->ft, 1, want, 3);
    /* The broker resends id 9 (it never saw our PUBREC): acknowledged, not
     * delivered; new ids do not collide with restored ones. */
    fake_out_clear(&e->ft);
    env_feed(e, e->clk.now + 1, "3c 07 00 01 78 00 09 41 42");
    env_feed(e, e->clk.now + 2, "62 02 00 09");
    for (uint64_t end = e->clk.now + 10; e->clk.now < end;)
        assert_int_equal(brisa_mqtt_process(&e->c, 10), BRISA_OK);
    assert_int_equal(e->nmsgs, 0);
    uint16_t id;
    assert_int_equal(brisa_mqtt_publish(&e->c, "e", "5", 1, 1, false, &id), BRISA_OK);
    assert_true(id != 1 && id != 2 && id != 3);
    const char *const sent[] = { "50 02 00 09", "70 02 00 09", "32 06 00 01 65 00 04 35" };
    expect_sent_on(&e->ft, 0, sent, 3);
    assert_null(mem_find(m, 9, true));
    env_delete(e);
    free(m);
}

#if BRISA_MQTT5
/* Connects at MQTT 5 against a CONNACK with @p session_present. */
static int connect_v5(mqtt_env *e, bool clean, bool session_present)
{
    env_feed(e, e->clk.now, session_present ? "20 03 01 00 00" : "20 03 00 00 00");
    brisa_mqtt_connect_options o = { .client_id = "dev", .clean_session = clean,
                                     .protocol_level = BRISA_MQTT_V5 };
    return brisa_mqtt_connect(&e->c, &o, 1000, NULL);
}

/* An MQTT 5 message restored after a restart goes out with its
 * properties; a stored block a decoder would refuse is not taken back. */
static void test_store_keeps_v5_properties(void **state)
{
    (void)state;
    mem_store *m = calloc(1, sizeof *m);
    mqtt_env *e = env_with_store(m);
    assert_int_equal(connect_v5(e, true, false), BRISA_OK);
    /* Message Expiry 30 s, Content Type "a/b", user property k=v. */
    static const uint8_t pr[] = { 0x02, 0, 0, 0, 30, 0x03, 0, 3, 'a', '/', 'b',
                                  0x26, 0, 1, 'k', 0, 1, 'v' };
    brisa_mqtt_properties props = { pr, sizeof pr, NULL, 0 };
    assert_int_equal(brisa_mqtt_publish_props(&e->c, "t", "x", 1, 1, false, &props, NULL),
                     BRISA_OK);
    mem_rec *x = mem_find(m, 1, false);
    assert_non_null(x);
    assert_int_equal(x->r.props_len, sizeof pr);
    env_delete(e); /* the process dies; its props buffer with it */

    e = env_with_store(m);
    static uint8_t arena[64];
    assert_int_equal(brisa_mqtt_restore(&e->c, arena, sizeof arena), 1);
    assert_int_equal(connect_v5(e, false, true), BRISA_OK);
    static const char *const want[] = {
        "3a 19 00 01 74 00 01 12 02 00 00 00 1e 03 00 03 61 2f 62 26 00 01 6b 00 01 76 78"
    };
    expect_sent_on(&e->ft, 1, want, 1);
    env_delete(e);

    /* A Topic Alias (never stored by us), or properties cut short, in a
     * record: refused as damaged, nothing restored. */
    static const uint8_t alias[] = { 0x23, 0, 1 }, cut[] = { 0x02, 0, 0 };
    const uint8_t *bad[] = { alias, cut };
    size_t bad_len[] = { sizeof alias, sizeof cut };
    for (size_t i = 0; i < 2; i++) {
        memcpy(x->props, bad[i], bad_len[i]);
        x->r.props_len = bad_len[i];
        e = env_with_store(m);
        assert_int_equal(brisa_mqtt_restore(&e->c, arena, sizeof arena), BRISA_ERR_MALFORMED);
        assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
        env_delete(e);
    }
    free(m);
}
#endif

/* A message that cannot be stored is not sent; a clean session forgets
 * the stored flows, reporting each id. */
static void test_store_failure_and_clean(void **state)
{
    (void)state;
    mem_store *m = calloc(1, sizeof *m);
    mqtt_env *e = env_with_store(m);
    assert_int_equal(env_connect(e, 0, false), BRISA_OK);
    m->fail_store = BRISA_ERR_IO;
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "1", 1, 1, false, NULL), BRISA_ERR_IO);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
    assert_int_equal(e->ft.out_len, 0);
    m->fail_store = 0;
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "1", 1, 1, false, NULL), BRISA_OK);
    assert_int_equal(mem_count(m), 1);
    env_delete(e);

    e = env_with_store(m);
    static uint8_t arena[64];
    assert_int_equal(brisa_mqtt_restore(&e->c, arena, 2), BRISA_ERR_NO_SPACE);
    assert_int_equal(brisa_mqtt_restore(&e->c, arena, sizeof arena), 1);
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    assert_int_equal(mem_count(m), 0);
    env_delete(e);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff_full_jitter),
        cmocka_unit_test_setup_teardown(test_reconnect_resumes_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reconnect_without_session, setup, teardown),
#if BRISA_MQTT5
        cmocka_unit_test_setup_teardown(test_wait_all_refused, setup, teardown),
#endif
        cmocka_unit_test_setup_teardown(test_queue_while_down, setup, teardown),
        cmocka_unit_test(test_queue_drop_oldest_qos0),
        cmocka_unit_test_setup_teardown(test_refused_for_good, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_attempts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backoff_reset_after_stable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keepalive_names_pingresp, env_setup_unconnected,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_connack_wait_named, env_setup_unconnected,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_connack_reserved_code, env_setup_unconnected,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_stall_mid_packet, env_setup_unconnected,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_adopt, setup, teardown),
        cmocka_unit_test(test_store_survives_restart),
        cmocka_unit_test(test_store_failure_and_clean),
#if BRISA_MQTT5
        cmocka_unit_test(test_store_keeps_v5_properties),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
