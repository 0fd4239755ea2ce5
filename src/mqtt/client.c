// SPDX-License-Identifier: MIT
/* MQTT client, public API: connecting, publishing, subscribing, the
 * process loop with its timers (CONNACK deadline, keepalive), routes. */
#include <string.h>

#include "client_internal.h"

#define DEFAULT_IO_TIMEOUT_MS BRISA_MQTT_IO_TIMEOUT_MS
#define DEFAULT_CONNACK_TIMEOUT_MS BRISA_MQTT_CONNACK_TIMEOUT_MS
/* Enough for every fixed-size packet and a short topic. */
#define MIN_BUF_SIZE 16u

brisa_err brisa_mqtt_init(brisa_mqtt_client *c, const brisa_mqtt_config *cfg)
{
    if (!c || !cfg || !cfg->transport.send || !cfg->transport.recv ||
        !cfg->transport.close || !cfg->clock.monotonic_ms)
        return BRISA_ERR_INVALID_ARG;
    if (!cfg->tx_buf || cfg->tx_size < MIN_BUF_SIZE || !cfg->rx_buf ||
        cfg->rx_size < MIN_BUF_SIZE)
        return BRISA_ERR_INVALID_ARG;
    if ((cfg->inflight_count && !cfg->inflight) || (cfg->route_count && !cfg->routes) ||
        (cfg->large_policy != BRISA_MQTT_LARGE_CHUNKED &&
         cfg->large_policy != BRISA_MQTT_LARGE_REFUSE))
        return BRISA_ERR_INVALID_ARG;
    memset(c, 0, sizeof *c);
    c->cfg = *cfg;
    if (!c->cfg.io_timeout_ms)
        c->cfg.io_timeout_ms = DEFAULT_IO_TIMEOUT_MS;
    for (size_t i = 0; i < cfg->inflight_count; i++)
        bri_mqtt_inflight_free(&cfg->inflight[i]);
    if (cfg->route_count)
        memset(cfg->routes, 0, cfg->route_count * sizeof cfg->routes[0]);
    c->next_packet_id = 1;
    c->protocol_level = BRISA_MQTT_V311;
    c->state = ST_IDLE;
    bri_mqtt_rx_reset(c);
    return BRISA_OK;
}

void brisa_mqtt_set_transport(brisa_mqtt_client *c, const brisa_transport *t)
{
    if (!c || !t)
        return;
    /* Swapping under a live connection would split a packet: end it. */
    bri_mqtt_fail(c, BRISA_ERR_CLOSED);
    c->cfg.transport = *t;
}

/* ---- timers ------------------------------------------------------------ */

static uint64_t min64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* When the next timer is due (UINT64_MAX: none). */
static uint64_t next_timer(const brisa_mqtt_client *c)
{
    if (c->state == ST_CONNECTING)
        return c->connack_deadline_ms;
    if (c->state != ST_CONNECTED || c->keepalive_s == 0)
        return UINT64_MAX;
    uint64_t k = (uint64_t)c->keepalive_s * 1000u;
    uint64_t t = c->last_rx_ms + k + k / 2;
    if (c->ping_outstanding)
        return min64(t, c->ping_sent_ms + k);
    return min64(t, min64(c->last_tx_ms, c->last_rx_ms) + k);
}

/* Acts on due timers. A ping is due when nothing was sent *or* received
 * for keepalive: a client that only publishes QoS 0 hears nothing back,
 * and silence could not be told from a dead broker otherwise. The broker
 * is dead when nothing came for 1.5 x keepalive (the ping, sent at most
 * keepalive after the last byte received, had half a keepalive to be
 * answered), or when a ping stays unanswered for a whole keepalive. */
static int run_timers(brisa_mqtt_client *c, uint64_t now)
{
    if (c->state == ST_CONNECTING && now >= c->connack_deadline_ms) {
        bri_mqtt_fail_detail(c, BRISA_ERR_TIMEOUT, BRISA_MQTT_CONNACK, 0,
                               c->connack_wait_ms);
        return BRISA_ERR_TIMEOUT;
    }
    if (c->state != ST_CONNECTED || c->keepalive_s == 0)
        return BRISA_OK;
    uint64_t k = (uint64_t)c->keepalive_s * 1000u;
    if (now >= c->last_rx_ms + k + k / 2 ||
        (c->ping_outstanding && now >= c->ping_sent_ms + k)) {
        /* Named by the rule that fired: silence for 1.5 x keepalive, or
         * a PINGREQ unanswered for a whole keepalive. */
        uint64_t waited = now >= c->last_rx_ms + k + k / 2 ? k + k / 2 : k;
        bri_mqtt_fail_detail(c, BRISA_ERR_TIMEOUT, BRISA_MQTT_PINGRESP, 0,
                               (uint32_t)waited);
        return BRISA_ERR_TIMEOUT;
    }
    if (c->ping_outstanding || now < min64(c->last_tx_ms, c->last_rx_ms) + k)
        return BRISA_OK;
    brisa_mqtt_codec cx = bri_mqtt_client_codec(c);
    int n = brisa_mqtt_empty_encode(&cx, BRISA_MQTT_PINGREQ, c->cfg.tx_buf, c->cfg.tx_size);
    if (n < 0)
        return n;
    brisa_mqtt_trace t = { .outgoing = true, .type = BRISA_MQTT_PINGREQ };
    c->ping_outstanding = true;
    c->ping_sent_ms = now;
    return bri_mqtt_send_encoded(c, (size_t)n, &t);
}

/* ---- the loop ---------------------------------------------------------- */

/* Receives and handles packets until @p deadline, returning early once a
 * packet was handled and nothing more is waiting. */
typedef bool (*done_fn)(const brisa_mqtt_client *c, uint16_t arg);

/* Reads and handles packets until nothing more is waiting (or, with
 * @p done, as soon as done() holds: a blocking wait returns the moment its
 * flow completes, leaving later packets for the next call). */
static int pump(brisa_mqtt_client *c, uint64_t deadline, done_fn done, uint16_t arg)
{
    bool handled = false;
    for (;;) {
        uint64_t now = bri_mqtt_now(c);
        uint64_t until = handled ? now : min64(deadline, next_timer(c));
        uint64_t span = until > now ? until - now : 0;
        uint32_t wait = span > UINT32_MAX ? UINT32_MAX : (uint32_t)span;
        int r = bri_mqtt_rx_step(c, wait);
        if (r < 0)
            return r;
        if (c->state == ST_IDLE)
            return c->last_err; /* a callback disconnected (0), or a failure */
        if (r == 2)
            handled = true;
        now = bri_mqtt_now(c);
        int err = run_timers(c, now);
        if (err < 0)
            return err;
        if (r == 2 && done != NULL && done(c, arg))
            return BRISA_OK;
        if (r == 0 && (handled || now >= deadline))
            return BRISA_OK;
    }
}

/* Pumps until done() holds, the connection ends or the deadline. */
static int run_until(brisa_mqtt_client *c, uint64_t deadline, done_fn done, uint16_t arg)
{
    if (c->in_process)
        return BRISA_ERR_STATE;
    c->in_process = true;
    int err = BRISA_OK;
    while (!done(c, arg)) {
        if (c->state == ST_IDLE) {
            err = c->last_err ? c->last_err : BRISA_ERR_CLOSED;
            break;
        }
        if (bri_mqtt_now(c) >= deadline) {
            err = BRISA_ERR_TIMEOUT;
            break;
        }
        err = pump(c, deadline, done, arg);
        if (err)
            break;
    }
    c->in_process = false;
    return err;
}

brisa_err brisa_mqtt_process(brisa_mqtt_client *c, uint32_t timeout_ms)
{
    if (!c)
        return BRISA_ERR_INVALID_ARG;
    if (c->in_process || c->state == ST_IDLE)
        return BRISA_ERR_STATE;
    c->in_process = true;
    int err = pump(c, bri_mqtt_now(c) + timeout_ms, NULL, 0);
    c->in_process = false;
    return err;
}

static bool id_done(const brisa_mqtt_client *c, uint16_t id)
{
    return !bri_mqtt_inflight_id_in_use(c, id);
}

static bool all_done(const brisa_mqtt_client *c, uint16_t unused)
{
    (void)unused;
    return !bri_mqtt_inflight_any_ours(c);
}

static bool not_connecting(const brisa_mqtt_client *c, uint16_t unused)
{
    (void)unused;
    return c->state != ST_CONNECTING;
}

/* run_until() for our own flows: a flow the broker refused (a failure
 * code in its ack) is a failed wait, not a quiet success. */
static int wait_for(brisa_mqtt_client *c, uint64_t deadline, done_fn done, uint16_t id)
{
    if (c->in_process)
        return BRISA_ERR_STATE;
    uint16_t sync_id = c->sync_id;
    c->sync_id = id;
    c->wait_any = id == 0;
    c->wait_refused = false;
    int err = run_until(c, deadline, done, id);
    c->sync_id = sync_id;
    c->wait_any = false;
    return err == BRISA_OK && c->wait_refused ? BRISA_ERR_REFUSED : err;
}

brisa_err brisa_mqtt_wait(brisa_mqtt_client *c, uint16_t packet_id, uint32_t timeout_ms)
{
    if (!c)
        return BRISA_ERR_INVALID_ARG;
    return wait_for(c, bri_mqtt_now(c) + timeout_ms, id_done, packet_id);
}

brisa_err brisa_mqtt_wait_all(brisa_mqtt_client *c, uint32_t timeout_ms)
{
    if (!c)
        return BRISA_ERR_INVALID_ARG;
    return wait_for(c, bri_mqtt_now(c) + timeout_ms, all_done, 0);
}

/* ---- connection -------------------------------------------------------- */

brisa_err brisa_mqtt_connect_start(brisa_mqtt_client *c, const brisa_mqtt_connect_options *o)
{
    if (!c || !o)
        return BRISA_ERR_INVALID_ARG;
    if (c->in_process || c->state != ST_IDLE)
        return BRISA_ERR_STATE;
    uint8_t level = o->protocol_level ? o->protocol_level : BRISA_MQTT_V311;
    bool v5 = BRISA_MQTT5 && level == BRISA_MQTT_V5;
    if (level == BRISA_MQTT_V5 && !v5)
        return BRISA_ERR_UNSUPPORTED;
    if (level != BRISA_MQTT_V31 && level != BRISA_MQTT_V311 && !v5)
        return BRISA_ERR_INVALID_ARG;
    const char *id = o->client_id ? o->client_id : "";
    /* An empty id is only for a clean 3.1.1 session (3.1: 1..23 chars);
     * an MQTT 5 server assigns one either way. */
    if (!id[0] && !v5 && (!o->clean_session || level == BRISA_MQTT_V31))
        return BRISA_ERR_INVALID_ARG;
    brisa_mqtt_connect_packet p = {
        .clean_session = o->clean_session,
        .keepalive_s = o->keepalive_s,
        .client_id = { id, strlen(id) },
        .has_username = o->username != NULL,
        .username = { o->username, o->username ? strlen(o->username) : 0 },
        .has_password = o->password != NULL,
        .password = { o->password, o->password_len },
    };
    if (o->will) {
        if (!o->will->topic)
            return BRISA_ERR_INVALID_ARG;
        p.has_will = true;
        p.will_topic.data = o->will->topic;
        p.will_topic.len = strlen(o->will->topic);
        p.will_payload.data = o->will->payload;
        p.will_payload.len = o->will->payload_len;
        p.will_qos = o->will->qos;
        p.will_retain = o->will->retain;
    }
#if BRISA_MQTT5
    uint8_t own[BRISA_MQTT_AUTH_DATA_MAX + 64];
    if (v5) {
        int k = bri_mqtt_v5_connect_props(c, o, own, sizeof own);
        if (k < 0)
            return k;
        p.props.data = own;
        p.props.len = (size_t)k;
        p.props.extra = o->props.data;
        p.props.extra_len = o->props.len;
        p.will_props = o->will_props;
    }
#endif
    brisa_mqtt_codec cx = { level };
    int n = brisa_mqtt_connect_encode(&cx, &p, c->cfg.tx_buf, c->cfg.tx_size);
    if (n < 0)
        return n;
    c->protocol_level = level;
    c->keepalive_s = o->keepalive_s;
    c->clean_session = o->clean_session;
    if (o->clean_session)
        bri_mqtt_inflight_clear(c, KINDS_ALL);
    bri_mqtt_rx_reset(c);
    uint64_t now = bri_mqtt_now(c);
    c->last_tx_ms = c->last_rx_ms = now;
    c->connack_wait_ms = o->connack_timeout_ms ? o->connack_timeout_ms
                                               : DEFAULT_CONNACK_TIMEOUT_MS;
    c->connack_deadline_ms = now + c->connack_wait_ms;
    memset(&c->failure, 0, sizeof c->failure);
    c->ping_outstanding = false;
    memset(&c->connack, 0, sizeof c->connack);
    c->last_err = BRISA_OK;
    c->state = ST_CONNECTING;
    brisa_mqtt_trace t = { .outgoing = true, .type = BRISA_MQTT_CONNECT };
    return bri_mqtt_send_encoded(c, (size_t)n, &t);
}

brisa_err brisa_mqtt_connect(brisa_mqtt_client *c, const brisa_mqtt_connect_options *o,
                             uint32_t timeout_ms, brisa_mqtt_connack *result)
{
    int err = brisa_mqtt_connect_start(c, o);
    if (err)
        return err;
    uint64_t deadline = bri_mqtt_now(c) + timeout_ms;
    c->connack_deadline_ms = deadline;
    c->connack_wait_ms = timeout_ms;
    err = run_until(c, deadline, not_connecting, 0);
    if (c->state == ST_CONNECTING)
        bri_mqtt_fail_detail(c, BRISA_ERR_TIMEOUT, BRISA_MQTT_CONNACK, 0, timeout_ms);
    if (result)
        *result = c->connack;
    if (c->state == ST_CONNECTED)
        return BRISA_OK;
    return c->last_err ? c->last_err : (err ? err : BRISA_ERR_CLOSED);
}

brisa_err brisa_mqtt_disconnect(brisa_mqtt_client *c)
{
    return brisa_mqtt_disconnect_reason(c, 0, NULL);
}

brisa_err brisa_mqtt_disconnect_reason(brisa_mqtt_client *c, uint8_t reason,
                                       const brisa_mqtt_properties *props)
{
    if (!c)
        return BRISA_ERR_INVALID_ARG;
    if (c->state == ST_CONNECTED) {
        /* A reason 3.x cannot carry, or not one for DISCONNECT, leaves the
         * connection up; a send failure has closed it. */
        int err = bri_mqtt_send_reason(c, BRISA_MQTT_DISCONNECT, reason, props);
        if (err)
            return err;
    }
    bri_mqtt_fail(c, BRISA_OK);
    return BRISA_OK;
}

const brisa_mqtt_connack *brisa_mqtt_last_connack(const brisa_mqtt_client *c)
{
    return c ? &c->connack : NULL;
}

bool brisa_mqtt_is_connected(const brisa_mqtt_client *c)
{
    return c && c->state == ST_CONNECTED;
}

size_t brisa_mqtt_inflight_used(const brisa_mqtt_client *c)
{
    size_t used = 0;
    for (size_t i = 0; c && i < c->cfg.inflight_count; i++)
        if (c->cfg.inflight[i].kind != IF_FREE)
            used++;
    return used;
}

/* ---- publish, subscribe ------------------------------------------------ */

brisa_err brisa_mqtt_publish(brisa_mqtt_client *c, const char *topic,
                             const void *payload, size_t payload_len, uint8_t qos,
                             bool retain, uint16_t *packet_id)
{
    return brisa_mqtt_publish_props(c, topic, payload, payload_len, qos, retain, NULL,
                                    packet_id);
}

brisa_err brisa_mqtt_publish_props(brisa_mqtt_client *c, const char *topic,
                                   const void *payload, size_t payload_len, uint8_t qos,
                                   bool retain, const brisa_mqtt_properties *props,
                                   uint16_t *packet_id)
{
    if (!c || !topic || qos > 2 || (payload_len && !payload) ||
        !brisa_mqtt_topic_valid(topic, strlen(topic)))
        return BRISA_ERR_INVALID_ARG;
    if (c->state != ST_CONNECTED)
        return BRISA_ERR_STATE;
    if (props && props->len && !client_v5(c))
        return BRISA_ERR_INVALID_ARG;
#if BRISA_MQTT5
    if (client_v5(c)) {
        int err = bri_mqtt_v5_publish_check(c, payload, payload_len, qos, retain, props);
        if (err)
            return err;
    }
#endif
    brisa_mqtt_inflight *f = NULL;
    uint16_t id = 0;
    if (qos) {
        f = bri_mqtt_inflight_take(c, qos == 1 ? IF_PUBACK : IF_PUBREC);
        if (!f)
            return BRISA_ERR_BUSY;
        id = bri_mqtt_inflight_new_id(c);
        f->packet_id = id;
        f->topic = topic;
        f->payload = payload;
        f->payload_len = payload_len;
        f->flags = (uint8_t)(qos | (retain ? IF_FLAG_RETAIN : 0));
#if BRISA_MQTT5
        f->props = props ? props->data : NULL;
        f->props_len = props ? props->len : 0;
#endif
        /* Stored before it is sent: a crash in between resends it. */
        int err = bri_mqtt_persist(c, f);
        if (err) {
            bri_mqtt_inflight_free(f);
            return err;
        }
    }
    int err = bri_mqtt_send_publish(c, topic, payload, payload_len, qos, retain, false, id,
                                      props, true);
    if (err) {
        /* Not sent means not in flight: the caller may simply retry. */
        if (f)
            bri_mqtt_inflight_release(c, f);
        return err;
    }
    if (packet_id)
        *packet_id = id;
    return BRISA_OK;
}

/* SUBSCRIBE (subs) or UNSUBSCRIBE (filters): takes a slot and an id,
 * encodes, sends. */
static int send_filters(brisa_mqtt_client *c, const brisa_mqtt_subscription *subs,
                        const char *const *filters, size_t count,
                        const brisa_mqtt_properties *props, uint16_t *packet_id)
{
    if (!c || count == 0)
        return BRISA_ERR_INVALID_ARG;
    if (c->state != ST_CONNECTED)
        return BRISA_ERR_STATE;
#if BRISA_MQTT5
    if (client_v5(c)) {
        int err = bri_mqtt_v5_subscribe_check(c, subs, count, props);
        if (err)
            return err;
    }
#endif
    brisa_mqtt_inflight *f = bri_mqtt_inflight_take(c, subs ? IF_SUBACK : IF_UNSUBACK);
    if (!f)
        return BRISA_ERR_BUSY;
    uint16_t id = bri_mqtt_inflight_new_id(c);
    brisa_mqtt_codec cx = bri_mqtt_client_codec(c);
    int n = subs ? brisa_mqtt_subscribe_encode_props(&cx, id, subs, count, props,
                                                     c->cfg.tx_buf, c->cfg.tx_size)
                 : brisa_mqtt_unsubscribe_encode_props(&cx, id, filters, count, props,
                                                       c->cfg.tx_buf, c->cfg.tx_size);
    if (n < 0) {
        bri_mqtt_inflight_free(f);
        return n;
    }
    f->packet_id = id;
    f->payload_len = count;
    brisa_mqtt_trace t = {
        .outgoing = true, .type = subs ? BRISA_MQTT_SUBSCRIBE : BRISA_MQTT_UNSUBSCRIBE,
        .packet_id = id, .subs = subs, .filters = filters, .filter_count = count,
    };
    int err = bri_mqtt_send_encoded(c, (size_t)n, &t);
    if (err) {
        bri_mqtt_inflight_free(f);
        return err;
    }
    if (packet_id)
        *packet_id = id;
    return BRISA_OK;
}

brisa_err brisa_mqtt_subscribe(brisa_mqtt_client *c, const brisa_mqtt_subscription *subs,
                               size_t count, uint16_t *packet_id)
{
    return brisa_mqtt_subscribe_props(c, subs, count, NULL, packet_id);
}

brisa_err brisa_mqtt_subscribe_props(brisa_mqtt_client *c, const brisa_mqtt_subscription *subs,
                                     size_t count, const brisa_mqtt_properties *props,
                                     uint16_t *packet_id)
{
    if (!subs)
        return BRISA_ERR_INVALID_ARG;
    return send_filters(c, subs, NULL, count, props, packet_id);
}

brisa_err brisa_mqtt_subscribe_sync(brisa_mqtt_client *c, const brisa_mqtt_subscription *subs,
                                    size_t count, uint8_t *granted, uint32_t timeout_ms)
{
    if (c && c->in_process)
        return BRISA_ERR_STATE;
    uint16_t id;
    int err = brisa_mqtt_subscribe(c, subs, count, &id);
    if (err)
        return err;
    c->sync_id = id;
    c->sync_codes = granted;
    /* A refused filter fails the wait: a failed call, not a detail to dig
     * out of granted (which SUBACK has filled by then). */
    err = brisa_mqtt_wait(c, id, timeout_ms);
    c->sync_id = 0;
    c->sync_codes = NULL;
    return err;
}

brisa_err brisa_mqtt_unsubscribe(brisa_mqtt_client *c, const char *const *filters,
                                 size_t count, uint16_t *packet_id)
{
    return brisa_mqtt_unsubscribe_props(c, filters, count, NULL, packet_id);
}

brisa_err brisa_mqtt_unsubscribe_props(brisa_mqtt_client *c, const char *const *filters,
                                       size_t count, const brisa_mqtt_properties *props,
                                       uint16_t *packet_id)
{
    if (!filters)
        return BRISA_ERR_INVALID_ARG;
    return send_filters(c, NULL, filters, count, props, packet_id);
}

/* ---- routes ------------------------------------------------------------ */

/* Used routes are packed at the front in the order they were added, so
 * "first match wins" means "first added wins". */
brisa_err brisa_mqtt_route_add(brisa_mqtt_client *c, const char *filter,
                               brisa_mqtt_message_cb cb, void *user)
{
    if (!c || !filter || !brisa_mqtt_filter_valid(filter, strlen(filter)))
        return BRISA_ERR_INVALID_ARG;
    for (size_t i = 0; i < c->cfg.route_count; i++) {
        brisa_mqtt_route *r = &c->cfg.routes[i];
        if (!r->filter || strcmp(r->filter, filter) == 0) {
            r->filter = filter;
            r->cb = cb;
            r->user = user;
            return BRISA_OK;
        }
    }
    return BRISA_ERR_BUSY;
}

brisa_err brisa_mqtt_route_remove(brisa_mqtt_client *c, const char *filter)
{
    if (!c || !filter)
        return BRISA_ERR_INVALID_ARG;
    brisa_mqtt_route *r = c->cfg.routes;
    size_t n = c->cfg.route_count;
    for (size_t i = 0; i < n && r[i].filter; i++) {
        if (strcmp(r[i].filter, filter) != 0)
            continue;
        for (; i + 1 < n && r[i + 1].filter; i++)
            r[i] = r[i + 1];
        memset(&r[i], 0, sizeof r[i]);
        return BRISA_OK;
    }
    return BRISA_ERR_NOT_FOUND;
}
