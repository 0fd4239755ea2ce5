// SPDX-License-Identifier: MIT
/* The reconnection service, the offline queue and the store at their
 * edges: arguments refused, defaults filled in, links that cannot be used,
 * options that can never connect, stopping at each stage, and records a
 * store hands back that the client must refuse. One scripted transport
 * and a fake clock. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/mqtt_reconnect.h"
#include "mqtt_env_cmocka.h"

/* ---- one link, opened on demand ------------------------------------------- */

typedef struct link {
    mqtt_env *e;
    int opens;
    int err;            /* open fails with this, or 0 */
    int incomplete;     /* open "succeeds" lacking 1: recv, 2: send, 3: close */
    const char *connack; /* fed when opened (hex); NULL: none */
} link;

static int open_link(void *user, brisa_transport *out)
{
    link *l = user;
    l->opens++;
    if (l->err)
        return l->err;
    *out = fake_transport_iface(&l->e->ft);
    if (l->incomplete == 1)
        out->recv = NULL;
    else if (l->incomplete == 2)
        out->send = NULL;
    else if (l->incomplete == 3)
        out->close = NULL;
    if (l->connack)
        env_feed(l->e, l->e->clk.now, l->connack);
    return BRISA_OK;
}

static void advance(void *user, uint32_t ms)
{
    ((mqtt_env *)user)->clk.now += ms;
}

static void oversleep_not(void *user, uint32_t ms)
{
    /* Woken by something else before the time asked. */
    ((mqtt_env *)user)->clk.now += ms / 2;
}

typedef struct fx {
    mqtt_env *e;
    link l;
    brisa_mqtt_connect_options co;
    brisa_mqtt_reconnect_config rc;
    brisa_mqtt_reconnect r;
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f || !(f->e = env_new(64, 256, 4)))
        return -1;
    f->l.e = f->e;
    f->co.client_id = "dev";
    f->co.connack_timeout_ms = 1000;
    f->rc.client = &f->e->c;
    f->rc.connect = &f->co;
    f->rc.open = open_link;
    f->rc.open_user = &f->l;
    f->rc.sleep_ms = advance;
    f->rc.sleep_user = f->e;
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    env_delete(f->e);
    free(f);
    return 0;
}

static void fx_start(fx *f)
{
    assert_int_equal(brisa_mqtt_reconnect_init(&f->r, &f->rc), BRISA_OK);
    assert_int_equal(brisa_mqtt_reconnect_start(&f->r), BRISA_OK);
}

/* Starts the service against a link answering @p connack; it is up. */
static void fx_up(fx *f, const char *connack)
{
    f->l.connack = connack;
    fx_start(f);
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 0), BRISA_OK);
    assert_true(brisa_mqtt_reconnect_is_up(&f->r));
}

/* ---- arguments ---------------------------------------------------------------- */

static void test_null_service(void **state)
{
    fx *f = *state;
    brisa_mqtt_reconnect_config bad = f->rc;
    assert_int_equal(brisa_mqtt_reconnect_init(NULL, &f->rc), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_reconnect_init(&f->r, NULL), BRISA_ERR_INVALID_ARG);
    bad.client = NULL;
    assert_int_equal(brisa_mqtt_reconnect_init(&f->r, &bad), BRISA_ERR_INVALID_ARG);
    bad = f->rc;
    bad.connect = NULL;
    assert_int_equal(brisa_mqtt_reconnect_init(&f->r, &bad), BRISA_ERR_INVALID_ARG);
    bad = f->rc;
    bad.open = NULL;
    assert_int_equal(brisa_mqtt_reconnect_init(&f->r, &bad), BRISA_ERR_INVALID_ARG);
    bad = f->rc;
    bad.sub_count = 1; /* and no subs */
    assert_int_equal(brisa_mqtt_reconnect_init(&f->r, &bad), BRISA_ERR_INVALID_ARG);

    assert_int_equal(brisa_mqtt_reconnect_start(NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_reconnect_adopt(NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_reconnect_process(NULL, 0), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_reconnect_wait_all(NULL, 0), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_reconnect_stop(NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_reconnect_due_in(NULL), 0);
    assert_false(brisa_mqtt_reconnect_is_up(NULL));
    assert_int_equal(brisa_mqtt_reconnect_publish(NULL, "t", "x", 1, 0, false, NULL),
                     BRISA_ERR_INVALID_ARG);
    assert_null(brisa_mqtt_last_failure(NULL));
    assert_int_equal(f->l.opens, 0);
}

/* Publishes the service can never send are refused before queueing. */
static void test_publish_refusals(void **state)
{
    fx *f = *state;
    brisa_mqtt_queued slots[2];
    brisa_mqtt_queue q;
    brisa_mqtt_queue_init(&q, slots, 2, BRISA_MQTT_QUEUE_REFUSE_NEW);
    f->rc.queue = &q;
    f->l.err = BRISA_ERR_CONNECT;
    fx_start(f);
    brisa_mqtt_reconnect *r = &f->r;
    assert_int_equal(brisa_mqtt_reconnect_publish(r, NULL, "x", 1, 0, false, NULL),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_reconnect_publish(r, "t", "x", 1, 3, false, NULL),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_reconnect_publish(r, "t", NULL, 1, 0, false, NULL),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_reconnect_publish(r, "t/#", "x", 1, 0, false, NULL),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(q.count, 0);
    /* Empty payload without a pointer is fine, and waits in the queue. */
    assert_int_equal(brisa_mqtt_reconnect_publish(r, "t", NULL, 0, 1, false, NULL), BRISA_OK);
    assert_int_equal(q.count, 1);
}

/* ---- defaults and backoff bounds ------------------------------------------- */

static void test_defaults_and_swapped_bounds(void **state)
{
    fx *f = *state;
    f->l.err = BRISA_ERR_CONNECT;
    f->rc.sleep_ms = NULL;
    fx_start(f); /* min, max and stable all 0: 500 ms, 60 s, 30 s */
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 0), BRISA_OK);
    assert_int_equal(brisa_mqtt_reconnect_due_in(&f->r), 500);
    assert_int_equal(f->r.cfg.max_delay_ms, 60000);
    assert_int_equal(f->r.cfg.stable_ms, 30000);

    /* A maximum below the minimum is raised to it: every wait the same. */
    f->rc.min_delay_ms = 800;
    f->rc.max_delay_ms = 100;
    fx_start(f);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 0), BRISA_OK);
        assert_int_equal(brisa_mqtt_reconnect_due_in(&f->r), 800);
        const env_event *ev = env_last_event(f->e, BRISA_MQTT_EVT_RECONNECTING);
        assert_non_null(ev);
        assert_int_equal(ev->e.delay_ms, 800);
        f->e->clk.now += 800;
    }
    /* Far past the due time: due now. */
    f->e->clk.now += 10000;
    assert_int_equal(brisa_mqtt_reconnect_due_in(&f->r), 0);
}

/* A sleep that returns early hands control back instead of attempting. */
static void test_woken_early(void **state)
{
    fx *f = *state;
    f->l.err = BRISA_ERR_CONNECT;
    f->rc.min_delay_ms = f->rc.max_delay_ms = 1000;
    f->rc.sleep_ms = oversleep_not;
    fx_start(f);
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 5000), BRISA_OK);
    assert_int_equal(f->l.opens, 1);
    assert_int_equal(f->e->clk.now, 500); /* half of the 1000 ms asked */
    assert_int_equal(brisa_mqtt_reconnect_due_in(&f->r), 500);
}

/* ---- links and options that cannot work ------------------------------------- */

static void test_incomplete_transport(void **state)
{
    fx *f = *state;
    f->l.incomplete = 1;
    f->rc.max_attempts = 4;
    fx_start(f);
    int err = BRISA_OK;
    while (err == BRISA_OK) {
        err = brisa_mqtt_reconnect_process(&f->r, 100);
        f->l.incomplete = f->l.incomplete % 3 + 1; /* each part missing in turn */
    }
    assert_int_equal(err, BRISA_ERR_INVALID_ARG);
    assert_int_equal(f->l.opens, 4);
    const env_event *ev = env_last_event(f->e, BRISA_MQTT_EVT_RECONNECTING);
    assert_non_null(ev);
    assert_int_equal(ev->e.err, BRISA_ERR_INVALID_ARG);
    assert_int_equal(f->e->ft.out_len, 0);
}

/* Options refused before anything is sent never get better: no retry. */
static void test_bad_options_give_up(void **state)
{
    fx *f = *state;
    f->co.protocol_level = 7;
    fx_start(f);
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 100), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 100), BRISA_ERR_INVALID_ARG);
    assert_int_equal(f->l.opens, 1);
    assert_int_equal(f->e->ft.out_len, 0);
    assert_int_equal(env_events_of(f->e, BRISA_MQTT_EVT_RECONNECTING), 0);
    /* wait_all reports the same reason. */
    assert_int_equal(brisa_mqtt_reconnect_wait_all(&f->r, 100), BRISA_ERR_INVALID_ARG);
}

static void test_wait_all_times_out_while_down(void **state)
{
    fx *f = *state;
    f->l.err = BRISA_ERR_CONNECT;
    f->rc.min_delay_ms = f->rc.max_delay_ms = 400;
    fx_start(f);
    assert_int_equal(brisa_mqtt_reconnect_wait_all(&f->r, 1000), BRISA_ERR_TIMEOUT);
    assert_int_equal(f->e->clk.now, 1000);
    assert_int_equal(f->l.opens, 3); /* at 0, 400, 800 */
}

/* ---- stopping ------------------------------------------------------------------ */

static void test_process_before_start_and_after_stop(void **state)
{
    fx *f = *state;
    assert_int_equal(brisa_mqtt_reconnect_init(&f->r, &f->rc), BRISA_OK);
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 0), BRISA_ERR_STATE);
    assert_int_equal(brisa_mqtt_reconnect_due_in(&f->r), 0);
    /* Stopped while waiting: nothing to close, nothing sent. */
    assert_int_equal(brisa_mqtt_reconnect_start(&f->r), BRISA_OK);
    assert_int_equal(brisa_mqtt_reconnect_stop(&f->r), BRISA_OK);
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 0), BRISA_ERR_STATE);
    assert_int_equal(f->l.opens, 0);
}

/* Stopped with the CONNECT out and no CONNACK: the link is dropped
 * without a DISCONNECT. */
static void test_stop_while_connecting(void **state)
{
    fx *f = *state;
    fx_start(f);
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 0), BRISA_OK);
    assert_int_equal(f->l.opens, 1);
    fake_pkt pk[2];
    assert_int_equal(fake_out_packets(&f->e->ft, pk, 2), 1);
    assert_int_equal(pk[0].type, BRISA_MQTT_CONNECT);
    assert_int_equal(brisa_mqtt_reconnect_stop(&f->r), BRISA_OK);
    assert_false(brisa_mqtt_is_connected(&f->e->c));
    assert_int_equal(fake_out_packets(&f->e->ft, pk, 2), 1);
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 0), BRISA_ERR_STATE);
}

/* Stopped while up: a DISCONNECT goes out, then is_up is false. */
static void test_stop_while_up(void **state)
{
    fx *f = *state;
    fx_up(f, "20 02 00 00");
    uint16_t id = 0;
    /* Up and nothing queued: straight out, with the id reported. */
    assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "t", "x", 1, 1, false, &id), BRISA_OK);
    assert_int_equal(id, 1);
    assert_true(brisa_mqtt_reconnect_is_up(&f->r));
    assert_int_equal(brisa_mqtt_reconnect_stop(&f->r), BRISA_OK);
    assert_false(brisa_mqtt_reconnect_is_up(&f->r));
    static const char *const want[] = { "32 06 00 01 74 00 01 78", "e0 00" };
    expect_sent_on(&f->e->ft, 1, want, 2);
}

/* Down and without a queue, a publish can only be refused. */
static void test_no_queue_busy(void **state)
{
    fx *f = *state;
    f->l.err = BRISA_ERR_CONNECT;
    f->rc.sleep_ms = NULL;
    fx_start(f);
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 0), BRISA_OK);
    assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "t", "x", 1, 0, false, NULL),
                     BRISA_ERR_BUSY);
}

/* ---- the queue ------------------------------------------------------------------ */

static void test_queue_without_slots(void **state)
{
    (void)state;
    brisa_mqtt_queue q;
    brisa_mqtt_queue_init(&q, NULL, 5, BRISA_MQTT_QUEUE_DROP_OLDEST_QOS0);
    brisa_mqtt_queued m = { "a", "", 0, 0, false };
    assert_int_equal(q.cap, 0);
    assert_int_equal(brisa_mqtt_queue_push(&q, &m), BRISA_ERR_BUSY);
    assert_null(brisa_mqtt_queue_peek(&q));
    brisa_mqtt_queue_pop(&q); /* empty: nothing happens */
    assert_int_equal(q.count, 0);
    assert_int_equal(q.head, 0);
}

/* ---- the store ------------------------------------------------------------------ */

typedef struct rec_store {
    const brisa_mqtt_record *recs;
    size_t count;
    int load_err;  /* returned after handing the records over */
    int stores, removes;
} rec_store;

static int rs_store(void *ctx, const brisa_mqtt_record *r)
{
    (void)r;
    ((rec_store *)ctx)->stores++;
    return 0;
}

static int rs_load(void *ctx, brisa_mqtt_record_fn fn, void *arg)
{
    rec_store *s = ctx;
    for (size_t i = 0; i < s->count; i++) {
        int err = fn(arg, &s->recs[i]);
        if (err < 0)
            return err;
    }
    return s->load_err;
}


static int restore_one_record(const brisa_mqtt_record *r)
{
    mqtt_env *e = env_new(256, 256, 4);
    assert_non_null(e);
    rec_store s = { .recs = r, .count = 1 };
    brisa_mqtt_store st = { .ctx = &s, .store = rs_store, .load = rs_load };
    assert_int_equal(brisa_mqtt_set_store(&e->c, &st), BRISA_OK);
    static uint8_t arena[64];
    int rc = brisa_mqtt_restore(&e->c, arena, sizeof arena);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), rc > 0 ? (size_t)rc : 0);
    env_delete(e);
    return rc;
}

static void test_restore_refuses_damaged_records(void **state)
{
    (void)state;
    static const uint8_t pl[] = { 1 };
    const brisa_mqtt_record bad[] = {
        { .packet_id = 1, .kind = BRISA_MQTT_REC_PUBLISH, .qos = 0, .topic = "t", .topic_len = 1 },
        { .packet_id = 1, .kind = BRISA_MQTT_REC_PUBLISH, .qos = 3, .topic = "t", .topic_len = 1 },
        { .packet_id = 1, .kind = BRISA_MQTT_REC_PUBLISH, .qos = 1, .topic = NULL },
        { .packet_id = 1, .kind = BRISA_MQTT_REC_PUBLISH, .qos = 1, .topic = "t", .topic_len = 1,
          .payload = NULL, .payload_len = 2 },
        { .packet_id = 1, .kind = 9 },
        { .packet_id = 0, .kind = BRISA_MQTT_REC_PUBREL },
        { .packet_id = 0, .kind = BRISA_MQTT_REC_PUBLISH, .qos = 1, .topic = "t", .topic_len = 1,
          .payload = pl, .payload_len = 1 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(restore_one_record(&bad[i]), BRISA_ERR_MALFORMED);
    const brisa_mqtt_record good = { .packet_id = 1, .kind = BRISA_MQTT_REC_PUBLISH, .qos = 1,
                                     .topic = "t", .topic_len = 1, .payload = pl,
                                     .payload_len = 1 };
    assert_int_equal(restore_one_record(&good), 1);
}

/* Each kind comes back into its own flow, in seq order, once only; an
 * empty payload needs no pointer; new flows continue the sequence. */
static void test_restore_kinds_once(void **state)
{
    (void)state;
    mqtt_env *e = env_new(256, 256, 4);
    assert_non_null(e);
    const brisa_mqtt_record recs[] = {
        { .seq = 40, .packet_id = 7, .kind = BRISA_MQTT_REC_PUBLISH, .qos = 2, .retain = true,
          .topic = "t", .topic_len = 1 },
        { .seq = 10, .packet_id = 5, .kind = BRISA_MQTT_REC_PUBREL },
        { .seq = 20, .packet_id = 6, .kind = BRISA_MQTT_REC_INCOMING },
    };
    rec_store s = { .recs = recs, .count = 3 };
    brisa_mqtt_store st = { .ctx = &s, .store = rs_store, .load = rs_load };
    assert_int_equal(brisa_mqtt_set_store(&e->c, &st), BRISA_OK);
    static uint8_t arena[16];
    assert_int_equal(brisa_mqtt_restore(&e->c, arena, sizeof arena), 3);
    assert_int_equal(brisa_mqtt_restore(&e->c, arena, sizeof arena), 0); /* already there */
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 3);

    env_feed(e, e->clk.now, "20 02 01 00");
    brisa_mqtt_connect_options o = { .client_id = "dev" };
    assert_int_equal(brisa_mqtt_connect(&e->c, &o, 1000, NULL), BRISA_OK);
    /* The store is fixed while connected. */
    assert_int_equal(brisa_mqtt_set_store(&e->c, NULL), BRISA_ERR_STATE);
    assert_int_equal(brisa_mqtt_restore(&e->c, arena, sizeof arena), BRISA_ERR_STATE);
    static const char *const want[] = { "62 02 00 05", "3d 05 00 01 74 00 07" };
    expect_sent_on(&e->ft, 1, want, 2);
    /* The broker resends its id 6: acknowledged, not delivered again. */
    env_feed(e, e->clk.now + 1, "34 06 00 01 78 00 06 41");
    for (uint64_t end = e->clk.now + 5; e->clk.now < end;)
        assert_int_equal(brisa_mqtt_process(&e->c, 5), BRISA_OK);
    assert_int_equal(e->nmsgs, 0);
    env_delete(e);
}

static void test_restore_without_room(void **state)
{
    (void)state;
    mqtt_env *e = env_new(256, 256, 1);
    assert_non_null(e);
    const brisa_mqtt_record recs[] = {
        { .seq = 1, .packet_id = 5, .kind = BRISA_MQTT_REC_PUBREL },
        { .seq = 2, .packet_id = 6, .kind = BRISA_MQTT_REC_PUBREL },
    };
    rec_store s = { .recs = recs, .count = 2 };
    brisa_mqtt_store st = { .ctx = &s, .store = rs_store, .load = rs_load };
    assert_int_equal(brisa_mqtt_set_store(&e->c, &st), BRISA_OK);
    assert_int_equal(brisa_mqtt_restore(&e->c, NULL, 0), BRISA_ERR_BUSY); /* one slot */
    env_delete(e);
}

static void test_restore_arguments_and_store_errors(void **state)
{
    (void)state;
    mqtt_env *e = env_new(256, 256, 4);
    assert_non_null(e);
    static uint8_t arena[8];
    assert_int_equal(brisa_mqtt_restore(NULL, arena, sizeof arena), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_restore(&e->c, NULL, 8), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_mqtt_set_store(NULL, NULL), BRISA_ERR_INVALID_ARG);
    /* No store, or one that cannot load: nothing to restore. */
    assert_int_equal(brisa_mqtt_restore(&e->c, arena, sizeof arena), 0);
    rec_store s = { 0 };
    brisa_mqtt_store st = { .ctx = &s, .store = rs_store };
    assert_int_equal(brisa_mqtt_set_store(&e->c, &st), BRISA_OK);
    assert_int_equal(brisa_mqtt_restore(&e->c, arena, sizeof arena), 0);
    /* A load that fails after the valid records reports its error. */
    st.load = rs_load;
    s.load_err = BRISA_ERR_MALFORMED;
    assert_int_equal(brisa_mqtt_set_store(&e->c, &st), BRISA_OK);
    assert_int_equal(brisa_mqtt_restore(&e->c, arena, sizeof arena), BRISA_ERR_MALFORMED);
    /* Removing the store: QoS 1 flows are no longer written. */
    assert_int_equal(brisa_mqtt_set_store(&e->c, NULL), BRISA_OK);
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "1", 1, 1, false, NULL), BRISA_OK);
    assert_int_equal(s.stores, 0);
    env_delete(e);
}

/* A store without remove: acknowledged flows still end in the client. */
static void test_store_without_remove(void **state)
{
    (void)state;
    mqtt_env *e = env_new(256, 256, 4);
    assert_non_null(e);
    rec_store s = { 0 };
    brisa_mqtt_store st = { .ctx = &s, .store = rs_store };
    assert_int_equal(brisa_mqtt_set_store(&e->c, &st), BRISA_OK);
    assert_int_equal(env_connect(e, 0, true), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "1", 1, 1, false, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_publish(&e->c, "a", "0", 1, 0, false, NULL), BRISA_OK);
    assert_int_equal(s.stores, 1); /* QoS 0 is never stored */
    env_feed(e, e->clk.now + 1, "40 02 00 01");
    for (uint64_t end = e->clk.now + 5; e->clk.now < end;)
        assert_int_equal(brisa_mqtt_process(&e->c, 5), BRISA_OK);
    assert_int_equal(brisa_mqtt_inflight_used(&e->c), 0);
    env_delete(e);
}

/* ---- backoff, callbacks and a client with one slot ------------------------ */

static int failing_fill(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx, (void)buf, (void)len;
    return BRISA_ERR_IO;
}

static void test_backoff_saturates(void **state)
{
    (void)state;
    brisa_rng broken = { NULL, failing_fill };
    brisa_mqtt_backoff b = { .min_delay_ms = 100, .max_delay_ms = 700, .attempt = UINT32_MAX };
    assert_int_equal(brisa_mqtt_backoff_next(&b, &broken), 700); /* no randomness: the ceiling */
    assert_int_equal(b.attempt, UINT32_MAX);                    /* and no wrap */
}

static void disconnect_from_callback(mqtt_env *e, const brisa_mqtt_message *m)
{
    (void)m;
    e->hook_result = brisa_mqtt_disconnect(&e->c);
}

/* A callback that disconnects on purpose stops the service: no retry. */
static void test_callback_disconnect_stops(void **state)
{
    fx *f = *state;
    fx_up(f, "20 02 00 00");
    f->e->on_msg_hook = disconnect_from_callback;
    env_feed(f->e, f->e->clk.now, "30 04 00 01 74 78");
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 10), BRISA_ERR_STATE);
    assert_int_equal(f->e->hook_result, BRISA_OK);
    assert_false(brisa_mqtt_reconnect_is_up(&f->r));
    assert_int_equal(f->l.opens, 1);
    assert_int_equal(env_events_of(f->e, BRISA_MQTT_EVT_RECONNECTING), 0);
}

/* With the session kept, subscriptions are not sent again. */
static void test_session_present_no_resubscribe(void **state)
{
    fx *f = *state;
    static const brisa_mqtt_subscription subs[] = { { "x/#", 1 } };
    f->rc.subs = subs;
    f->rc.sub_count = 1;
    fx_up(f, "20 02 01 00");
    fake_pkt pk[2];
    assert_int_equal(fake_out_packets(&f->e->ft, pk, 2), 1); /* CONNECT only */
}

/* One in-flight slot: the queue drains one QoS 1 message per PUBACK, and
 * a publish made while older ones wait goes behind them. */
static void test_queue_drains_as_slots_free(void **state)
{
    fx *f = *state;
    env_delete(f->e);
    f->e = env_new(64, 256, 1);
    assert_non_null(f->e);
    f->l.e = f->e;
    f->rc.client = &f->e->c;
    f->rc.sleep_user = f->e;
    brisa_mqtt_queued slots[4];
    brisa_mqtt_queue q;
    brisa_mqtt_queue_init(&q, slots, 4, BRISA_MQTT_QUEUE_REFUSE_NEW);
    f->rc.queue = &q;
    f->l.err = BRISA_ERR_CONNECT;
    f->rc.sleep_ms = NULL;
    fx_start(f);
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 0), BRISA_OK);
    assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "t", "1", 1, 1, false, NULL), BRISA_OK);
    assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "t", "2", 1, 1, false, NULL), BRISA_OK);
    f->l.err = 0;
    f->l.connack = "20 02 00 00";
    f->e->clk.now += 500;
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 0), BRISA_OK);
    assert_true(brisa_mqtt_reconnect_is_up(&f->r));
    assert_int_equal(q.count, 1); /* "2" waits for the slot */
    /* Up, but older messages wait: the new one goes behind them. */
    assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "t", "3", 1, 1, false, NULL), BRISA_OK);
    assert_int_equal(q.count, 2);
    assert_int_equal(brisa_mqtt_reconnect_wait_all(&f->r, 0), BRISA_ERR_TIMEOUT);
    for (uint16_t id = 1; id <= 3; id++) {
        char ack[16];
        snprintf(ack, sizeof ack, "40 02 00 %02x", id);
        env_feed(f->e, f->e->clk.now, ack);
        assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 10), BRISA_OK);
    }
    assert_int_equal(q.count, 0);
    static const char *const want[] = { "32 06 00 01 74 00 01 31", "32 06 00 01 74 00 02 32",
                                        "32 06 00 01 74 00 03 33" };
    expect_sent_on(&f->e->ft, 1, want, 3);
    /* Nothing left anywhere: wait_all is done at once. */
    assert_int_equal(brisa_mqtt_reconnect_wait_all(&f->r, 0), BRISA_OK);
}

/* Without a queue, wait_all only needs the in-flight messages acknowledged;
 * a client dropped under the service is not "up". */
static void test_wait_all_without_queue(void **state)
{
    fx *f = *state;
    fx_up(f, "20 02 00 00");
    assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "t", "x", 1, 1, false, NULL), BRISA_OK);
    env_feed(f->e, f->e->clk.now + 5, "40 02 00 01");
    assert_int_equal(brisa_mqtt_reconnect_wait_all(&f->r, 100), BRISA_OK);
    /* Full in-flight table and no queue: BUSY, still up. */
    for (int i = 0; i < 4; i++)
        assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "t", "x", 1, 1, false, NULL),
                         BRISA_OK);
    assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "t", "x", 1, 1, false, NULL),
                     BRISA_ERR_BUSY);
    assert_true(brisa_mqtt_reconnect_is_up(&f->r));
    brisa_mqtt_disconnect(&f->e->c);
    assert_false(brisa_mqtt_reconnect_is_up(&f->r));
}

#if BRISA_MQTT5
/* A message the server's limits refuse is the caller's to hear about, not
 * queued; a publish made after the link dropped, before the service saw
 * it, waits in the queue. */
static void test_publish_fault_and_unnoticed_drop(void **state)
{
    fx *f = *state;
    brisa_mqtt_queued slots[2];
    brisa_mqtt_queue q;
    brisa_mqtt_queue_init(&q, slots, 2, BRISA_MQTT_QUEUE_REFUSE_NEW);
    f->rc.queue = &q;
    f->co.protocol_level = BRISA_MQTT_V5;
    f->l.connack = "20 05 00 00 02 24 00"; /* maximum QoS 0 */
    fx_start(f);
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 0), BRISA_OK);
    assert_true(brisa_mqtt_reconnect_is_up(&f->r));
    assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "t", "x", 1, 1, false, NULL),
                     BRISA_ERR_UNSUPPORTED);
    assert_int_equal(q.count, 0);
    brisa_mqtt_disconnect(&f->e->c);
    assert_int_equal(brisa_mqtt_reconnect_publish(&f->r, "t", "x", 1, 0, false, NULL), BRISA_OK);
    assert_int_equal(q.count, 1);
}
#endif

/* A link that opens but fails the CONNECT's send is a failed attempt like
 * any other: closed once, and tried again after the backoff. */
static void test_connect_send_fails_then_retry(void **state)
{
    fx *f = *state;
    f->rc.min_delay_ms = f->rc.max_delay_ms = 300;
    f->e->ft.fail_send_call = 1;
    f->e->ft.fail_send_err = BRISA_ERR_IO;
    fx_start(f);
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 0), BRISA_OK);
    assert_int_equal(f->l.opens, 1);
    assert_int_equal(f->e->ft.close_calls, 1);
    const env_event *ev = env_last_event(f->e, BRISA_MQTT_EVT_RECONNECTING);
    assert_non_null(ev);
    assert_int_equal(ev->e.err, BRISA_ERR_IO);
    f->e->ft.closed = false;
    f->l.connack = "20 02 00 00";
    assert_int_equal(brisa_mqtt_reconnect_process(&f->r, 1000), BRISA_OK);
    assert_true(brisa_mqtt_reconnect_is_up(&f->r));
    assert_int_equal(f->l.opens, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_null_service, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_publish_refusals, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_defaults_and_swapped_bounds, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_woken_early, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_incomplete_transport, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bad_options_give_up, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_wait_all_times_out_while_down, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_process_before_start_and_after_stop, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_stop_while_connecting, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_stop_while_up, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_no_queue_busy, fx_setup, fx_teardown),
        cmocka_unit_test(test_queue_without_slots),
        cmocka_unit_test(test_restore_refuses_damaged_records),
        cmocka_unit_test(test_restore_kinds_once),
        cmocka_unit_test(test_restore_without_room),
        cmocka_unit_test(test_restore_arguments_and_store_errors),
        cmocka_unit_test(test_store_without_remove),
        cmocka_unit_test(test_backoff_saturates),
        cmocka_unit_test_setup_teardown(test_connect_send_fails_then_retry, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_callback_disconnect_stops, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_session_present_no_resubscribe, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_queue_drains_as_slots_free, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_wait_all_without_queue, fx_setup, fx_teardown),
#if BRISA_MQTT5
        cmocka_unit_test_setup_teardown(test_publish_fault_and_unnoticed_drop, fx_setup,
                                        fx_teardown),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
