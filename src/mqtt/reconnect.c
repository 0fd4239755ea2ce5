// SPDX-License-Identifier: MIT
/* The reconnection service: backoff with full jitter between attempts,
 * CONNECT over a transport the caller opens, subscriptions renewed when
 * the broker kept no session, and the offline queue drained in order. */
#include <string.h>

#include "brisa/mqtt_reconnect.h"
#include "client_internal.h"

#define DEFAULT_MIN_DELAY_MS BRISA_MQTT_RECONNECT_MIN_MS
#define DEFAULT_MAX_DELAY_MS BRISA_MQTT_RECONNECT_MAX_MS
#define DEFAULT_STABLE_MS BRISA_MQTT_RECONNECT_STABLE_MS

enum {
    R_IDLE = 0,   /* not started */
    R_WAIT,       /* waiting for next_attempt_ms */
    R_CONNECTING, /* CONNECT sent */
    R_UP,
    R_STOPPED,    /* stop() asked, or a callback disconnected */
    R_GAVE_UP     /* refused for good, or max_attempts reached */
};

uint32_t brisa_mqtt_backoff_next(brisa_mqtt_backoff *b, const brisa_rng *rng)
{
    uint64_t ceiling = b->min_delay_ms;
    for (uint32_t i = 0; i < b->attempt && ceiling < b->max_delay_ms; i++)
        ceiling *= 2;
    if (ceiling > b->max_delay_ms)
        ceiling = b->max_delay_ms;
    if (b->attempt < UINT32_MAX)
        b->attempt++;
    uint8_t bytes[4];
    if (!rng || !rng->fill || rng->fill(rng->ctx, bytes, sizeof bytes) < 0)
        return (uint32_t)ceiling;
    uint32_t x = (uint32_t)bytes[0] | (uint32_t)bytes[1] << 8 | (uint32_t)bytes[2] << 16 |
                 (uint32_t)bytes[3] << 24;
    return (uint32_t)(x % (ceiling + 1));
}

brisa_err brisa_mqtt_reconnect_init(brisa_mqtt_reconnect *r, const brisa_mqtt_reconnect_config *cfg)
{
    if (!r || !cfg || !cfg->client || !cfg->connect || !cfg->open ||
        (cfg->sub_count && !cfg->subs))
        return BRISA_ERR_INVALID_ARG;
    memset(r, 0, sizeof *r);
    r->cfg = *cfg;
    if (!r->cfg.min_delay_ms)
        r->cfg.min_delay_ms = DEFAULT_MIN_DELAY_MS;
    if (!r->cfg.max_delay_ms)
        r->cfg.max_delay_ms = DEFAULT_MAX_DELAY_MS;
    if (r->cfg.max_delay_ms < r->cfg.min_delay_ms)
        r->cfg.max_delay_ms = r->cfg.min_delay_ms;
    if (!r->cfg.stable_ms)
        r->cfg.stable_ms = DEFAULT_STABLE_MS;
    r->backoff.min_delay_ms = r->cfg.min_delay_ms;
    r->backoff.max_delay_ms = r->cfg.max_delay_ms;
    r->state = R_IDLE;
    return BRISA_OK;
}

static uint64_t now_ms(const brisa_mqtt_reconnect *r)
{
    return bri_mqtt_now(r->cfg.client);
}

static void emit(brisa_mqtt_reconnect *r, brisa_mqtt_event_type type, int err,
                 uint32_t delay_ms)
{
    brisa_mqtt_event e = { .type = type, .err = err, .delay_ms = delay_ms,
                           .connack = r->cfg.client->connack };
    bri_mqtt_event_emit(r->cfg.client, &e);
}

brisa_err brisa_mqtt_reconnect_start(brisa_mqtt_reconnect *r)
{
    if (!r)
        return BRISA_ERR_INVALID_ARG;
    r->state = R_WAIT;
    r->next_attempt_ms = now_ms(r);
    return BRISA_OK;
}

brisa_err brisa_mqtt_reconnect_adopt(brisa_mqtt_reconnect *r)
{
    if (!r)
        return BRISA_ERR_INVALID_ARG;
    if (!brisa_mqtt_is_connected(r->cfg.client))
        return BRISA_ERR_STATE;
    r->state = R_UP;
    r->connections = 1;
    r->failures = 0;
    r->connected_ms = now_ms(r);
    return BRISA_OK;
}

/* A refusal that a retry cannot mend (all but "server unavailable"). */
static bool refused_for_good(const brisa_mqtt_reconnect *r, int err)
{
    return err == BRISA_ERR_REFUSED &&
           r->cfg.client->connack.return_code != BRISA_MQTT_CONNACK_SERVER_UNAVAILABLE;
}

/* The attempt or connection ended with @p err: give up, or wait. */
static void schedule(brisa_mqtt_reconnect *r, int err)
{
    r->last_err = err;
    if (refused_for_good(r, err) ||
        (r->cfg.max_attempts && r->failures >= r->cfg.max_attempts)) {
        r->state = R_GAVE_UP;
        return;
    }
    uint32_t delay = brisa_mqtt_backoff_next(&r->backoff, &r->cfg.rng);
    r->next_attempt_ms = now_ms(r) + delay;
    r->state = R_WAIT;
    emit(r, BRISA_MQTT_EVT_RECONNECTING, err, delay);
}

/* The client is no longer connected: find out why and act. */
static void on_down(brisa_mqtt_reconnect *r)
{
    int err = r->cfg.client->last_err;
    if (err == BRISA_OK) { /* a callback disconnected on purpose */
        r->state = R_STOPPED;
        return;
    }
    if (r->state == R_UP) {
        if (now_ms(r) - r->connected_ms >= r->cfg.stable_ms)
            r->backoff.attempt = 0;
        emit(r, BRISA_MQTT_EVT_LOST, err, 0);
        r->failures = 0;
    } else {
        r->failures++;
    }
    schedule(r, err);
}

static void on_up(brisa_mqtt_reconnect *r)
{
    brisa_mqtt_client *c = r->cfg.client;
    r->state = R_UP;
    r->failures = 0;
    r->connected_ms = now_ms(r);
    if (++r->connections > 1)
        emit(r, BRISA_MQTT_EVT_RECONNECTED, 0, 0);
    if (r->cfg.sub_count && !c->connack.session_present && brisa_mqtt_is_connected(c))
        (void)brisa_mqtt_subscribe(c, r->cfg.subs, r->cfg.sub_count, NULL);
}

static void attempt(brisa_mqtt_reconnect *r)
{
    brisa_mqtt_client *c = r->cfg.client;
    brisa_transport t;
    memset(&t, 0, sizeof t);
    int err = r->cfg.open(r->cfg.open_user, &t);
    if (err == BRISA_OK && (!t.send || !t.recv || !t.close))
        err = BRISA_ERR_INVALID_ARG;
    if (err) {
        r->failures++;
        schedule(r, err);
        return;
    }
    brisa_mqtt_set_transport(c, &t);
    c->last_err = BRISA_OK; /* set again only if the CONNECT's send fails */
    err = brisa_mqtt_connect_start(c, r->cfg.connect);
    if (err == BRISA_OK) {
        r->state = R_CONNECTING;
        return;
    }
    if (c->last_err == BRISA_OK) {
        t.close(t.ctx); /* refused before anything was sent: bad options */
        r->last_err = err;
        r->state = R_GAVE_UP;
        return;
    }
    /* The link broke under the CONNECT (the client closed it): retry. */
    r->failures++;
    schedule(r, err);
}

/* Sends queued publishes while the client has room. */
static void drain(brisa_mqtt_reconnect *r)
{
    brisa_mqtt_queue *q = r->cfg.queue;
    const brisa_mqtt_queued *m;
    while (q && brisa_mqtt_is_connected(r->cfg.client) && (m = brisa_mqtt_queue_peek(q))) {
        int err = brisa_mqtt_publish(r->cfg.client, m->topic, m->payload, m->payload_len,
                                     m->qos, m->retain, NULL);
        if (err == BRISA_ERR_BUSY || !brisa_mqtt_is_connected(r->cfg.client))
            return;
        brisa_mqtt_queue_pop(q); /* sent, or unsendable (checked when queued) */
    }
}

brisa_err brisa_mqtt_reconnect_process(brisa_mqtt_reconnect *r, uint32_t timeout_ms)
{
    if (!r)
        return BRISA_ERR_INVALID_ARG;
    brisa_mqtt_client *c = r->cfg.client;
    uint64_t deadline = now_ms(r) + timeout_ms;
    for (;;) {
        uint64_t now = now_ms(r);
        switch (r->state) {
        case R_IDLE:
        case R_STOPPED:
            return BRISA_ERR_STATE;
        case R_GAVE_UP:
            return r->last_err;
        case R_WAIT:
            if (now >= r->next_attempt_ms) {
                attempt(r);
                continue;
            }
            if (!r->cfg.sleep_ms || now >= deadline)
                return BRISA_OK;
            uint64_t until = r->next_attempt_ms < deadline ? r->next_attempt_ms : deadline;
            r->cfg.sleep_ms(r->cfg.sleep_user, (uint32_t)(until - now));
            if (now_ms(r) < until)
                return BRISA_OK; /* woken early: let the caller look around */
            continue;
        default: { /* R_CONNECTING, R_UP */
            uint8_t before = r->state;
            if (before == R_UP)
                drain(r);
            if (c->state != ST_IDLE)
                (void)brisa_mqtt_process(c, now < deadline ? (uint32_t)(deadline - now) : 0);
            if (c->state == ST_IDLE) {
                on_down(r);
                continue;
            }
            if (before == R_CONNECTING && c->state == ST_CONNECTED) {
                on_up(r);
                drain(r);
                continue;
            }
            if (before == R_UP)
                drain(r);
            return BRISA_OK;
        }
        }
    }
}

uint32_t brisa_mqtt_reconnect_due_in(const brisa_mqtt_reconnect *r)
{
    if (!r || r->state != R_WAIT)
        return 0;
    uint64_t now = now_ms(r);
    uint64_t left = r->next_attempt_ms > now ? r->next_attempt_ms - now : 0;
    return left > UINT32_MAX ? UINT32_MAX : (uint32_t)left;
}

brisa_err brisa_mqtt_reconnect_publish(brisa_mqtt_reconnect *r, const char *topic,
                                       const void *payload, size_t payload_len, uint8_t qos,
                                       bool retain, uint16_t *packet_id)
{
    if (!r || !topic || qos > 2 || (payload_len && !payload) ||
        !brisa_mqtt_topic_valid(topic, strlen(topic)))
        return BRISA_ERR_INVALID_ARG;
    if (packet_id)
        *packet_id = 0;
    brisa_mqtt_client *c = r->cfg.client;
    if (r->state == R_UP)
        drain(r); /* older queued messages go first */
    if (r->state == R_UP && brisa_mqtt_is_connected(c) &&
        (!r->cfg.queue || r->cfg.queue->count == 0)) {
        int err = brisa_mqtt_publish(c, topic, payload, payload_len, qos, retain, packet_id);
        if (err == BRISA_OK)
            return BRISA_OK;
        if (err != BRISA_ERR_BUSY && brisa_mqtt_is_connected(c))
            return err; /* the message itself is at fault */
    }
    if (!r->cfg.queue)
        return BRISA_ERR_BUSY;
    brisa_mqtt_queued m = { topic, payload, payload_len, qos, retain };
    return brisa_mqtt_queue_push(r->cfg.queue, &m);
}

brisa_err brisa_mqtt_reconnect_wait_all(brisa_mqtt_reconnect *r, uint32_t timeout_ms)
{
    if (!r)
        return BRISA_ERR_INVALID_ARG;
    uint64_t deadline = now_ms(r) + timeout_ms;
    brisa_mqtt_client *c = r->cfg.client;
    /* As brisa_mqtt_wait_all(): a flow the broker refused fails the wait. */
    c->wait_any = true;
    c->wait_refused = false;
    int err = BRISA_OK;
    for (;;) {
        if (r->state == R_UP && brisa_mqtt_is_connected(c) && !bri_mqtt_inflight_any_ours(c) &&
            (!r->cfg.queue || r->cfg.queue->count == 0))
            break;
        uint64_t now = now_ms(r);
        if (now >= deadline) {
            err = BRISA_ERR_TIMEOUT;
            break;
        }
        err = brisa_mqtt_reconnect_process(r, (uint32_t)(deadline - now));
        if (err)
            break;
    }
    c->wait_any = false;
    return err == BRISA_OK && c->wait_refused ? BRISA_ERR_REFUSED : err;
}

brisa_err brisa_mqtt_reconnect_stop(brisa_mqtt_reconnect *r)
{
    if (!r)
        return BRISA_ERR_INVALID_ARG;
    brisa_mqtt_client *c = r->cfg.client;
    int err = BRISA_OK;
    if (brisa_mqtt_is_connected(c))
        err = brisa_mqtt_disconnect(c);
    else if (c->state != ST_IDLE)
        bri_mqtt_fail(c, BRISA_OK);
    r->state = R_STOPPED;
    return err;
}

bool brisa_mqtt_reconnect_is_up(const brisa_mqtt_reconnect *r)
{
    return r && r->state == R_UP && brisa_mqtt_is_connected(r->cfg.client);
}
