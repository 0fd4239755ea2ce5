// SPDX-License-Identifier: MIT
/* MQTT client, receiving side: frames packets off the transport into
 * rx_buf (streaming a PUBLISH larger than rx_buf in chunks) and acts on
 * each one. Every function that may run a callback re-checks the state
 * afterwards: a callback may have disconnected. */
#include <string.h>

#include "client_internal.h"

bool brisa_mqtt_rx_partial(const brisa_mqtt_client *c, uint8_t *type, size_t *have,
                           size_t *total)
{
    if (!c || (c->rx_stage == RX_HEADER && c->rx_hdr_len == 0))
        return false;
    size_t body = c->rx_stage == RX_HEADER ? 0
                  : c->rx_stage == RX_PUB_CHUNK ? c->rx_vh_len + c->rx_payload_done + c->rx_have
                                                : c->rx_have;
    if (type)
        *type = (uint8_t)(c->rx_hdr[0] >> 4);
    if (have)
        *have = c->rx_hdr_len + body;
    if (total)
        *total = c->rx_stage == RX_HEADER ? 0 : c->rx_hdr_len + c->rx_remaining;
    return true;
}

void bri_mqtt_rx_reset(brisa_mqtt_client *c)
{
    c->rx_stage = RX_HEADER;
    c->rx_hdr_len = 0;
    c->rx_have = 0;
    c->rx_remaining = 0;
    c->rx_vh_len = 0;
    c->rx_payload_done = 0;
    c->rx_suppress = false;
}

/* MQTT 5 names an acknowledgement for an unknown id: 0x92. */
#define NOT_FOUND(c) (client_v5(c) ? 0x92 : 0)

static bool alive(const brisa_mqtt_client *c)
{
    return c->state != ST_IDLE;
}

/* Closes the connection for @p err and hands it back, for one-line
 * error returns. */
static int fail(brisa_mqtt_client *c, int err)
{
    bri_mqtt_fail(c, err);
    return err;
}

/* Closes the connection because the broker sent @p type (with @p id) when
 * it may not: a protocol violation, named. */
static int violation(brisa_mqtt_client *c, uint8_t type, uint16_t id)
{
    bri_mqtt_abort(c, BRISA_ERR_PROTOCOL, type, id, 0x82);
    return BRISA_ERR_PROTOCOL;
}

static void trace_publish_in(brisa_mqtt_client *c, const brisa_mqtt_publish_packet *p)
{
    brisa_mqtt_trace t = {
        .type = BRISA_MQTT_PUBLISH, .packet_id = p->packet_id, .qos = p->qos,
        .retain = p->retain, .dup = p->dup, .topic = p->topic.data,
        .topic_len = p->topic.len, .payload_len = p->payload_len,
    };
    bri_mqtt_trace_emit(c, &t);
}

static void trace_in(brisa_mqtt_client *c, const brisa_mqtt_packet *p)
{
    brisa_mqtt_trace t = { .type = p->type };
    switch (p->type) {
    case BRISA_MQTT_DISCONNECT:
    case BRISA_MQTT_AUTH:
        t.return_code = p->u.reason.reason_code;
        break;
    case BRISA_MQTT_CONNACK:
        t.return_code = p->u.connack.return_code;
        t.session_present = p->u.connack.session_present;
        break;
    case BRISA_MQTT_PUBACK:
    case BRISA_MQTT_PUBREC:
    case BRISA_MQTT_PUBREL:
    case BRISA_MQTT_PUBCOMP:
        t.packet_id = p->u.ack.packet_id;
        t.return_code = p->u.ack.reason_code;
        break;
    case BRISA_MQTT_SUBACK:
    case BRISA_MQTT_UNSUBACK:
        t.packet_id = p->u.suback.packet_id;
        t.return_codes = p->u.suback.codes;
        t.return_code_count = p->u.suback.count;
        break;
    default:
        break;
    }
    bri_mqtt_trace_emit(c, &t);
}

/* First sight of an incoming PUBLISH: trace it and, for QoS 2, decide
 * whether it is a resend of one already delivered. The id is recorded
 * before delivery, so even a callback that disconnects cannot cause a
 * second delivery after a session resume. */
static int publish_begin(brisa_mqtt_client *c, brisa_mqtt_publish_packet *p)
{
#if BRISA_MQTT5
    /* Checked, and an aliased topic resolved, before anything sees it. */
    if (client_v5(c)) {
        int err = bri_mqtt_v5_publish_in(c, p);
        if (err)
            return err;
    }
#endif
    trace_publish_in(c, p);
    c->rx_suppress = false;
    if (p->qos != 2)
        return BRISA_OK;
    if (bri_mqtt_inflight_find(c, IF_IN_PUBREL, p->packet_id)) {
        c->rx_suppress = true;
        return BRISA_OK;
    }
    brisa_mqtt_inflight *f = bri_mqtt_inflight_take(c, IF_IN_PUBREL);
    if (!f)
        return BRISA_OK; /* table full: deliver anyway (brisa_mqtt_config.inflight) */
    f->packet_id = p->packet_id;
    /* Stored before delivery, so a restart cannot deliver it twice; if it
     * cannot be stored, it is not delivered and the broker resends it. */
    int err = bri_mqtt_persist(c, f);
    if (err) {
        bri_mqtt_inflight_free(f);
        c->rx_suppress = true;
        return fail(c, err);
    }
    return BRISA_OK;
}

static void deliver(brisa_mqtt_client *c, const brisa_mqtt_publish_packet *p,
                    const uint8_t *chunk, size_t len, size_t offset)
{
    if (c->rx_suppress)
        return;
    brisa_mqtt_message m = {
        .topic = p->topic.data, .topic_len = p->topic.len,
        .payload = chunk, .payload_len = len, .payload_offset = offset,
        .payload_total = p->payload_len, .qos = p->qos, .retain = p->retain,
        .dup = p->dup, .packet_id = p->packet_id, .props = p->props,
    };
    for (size_t i = 0; i < c->cfg.route_count && c->cfg.routes[i].filter; i++) {
        const brisa_mqtt_route *r = &c->cfg.routes[i];
        if (brisa_mqtt_topic_matches(r->filter, strlen(r->filter), m.topic, m.topic_len)) {
            if (r->cb)
                r->cb(r->user, &m);
            return;
        }
    }
    if (c->cfg.on_message)
        c->cfg.on_message(c->cfg.user, &m);
}

/* The whole message is delivered: acknowledge it (MQTT 5: with
 * @p reason). */
static int publish_end(brisa_mqtt_client *c, uint8_t qos, uint16_t packet_id, uint8_t reason)
{
    if (!alive(c) || qos == 0)
        return BRISA_OK;
    return bri_mqtt_send_ack(c, qos == 1 ? BRISA_MQTT_PUBACK : BRISA_MQTT_PUBREC, packet_id,
                               reason);
}

/* MQTT 5: a message that says its payload is UTF-8 and is not is refused
 * with 0x99 rather than delivered (section 3.3.2.3.2); its QoS 2 flow
 * ends there. Returns the reason code (0: deliver). */
static uint8_t payload_format_check(brisa_mqtt_client *c, const brisa_mqtt_publish_packet *p)
{
#if BRISA_MQTT5
    brisa_mqtt_property pf;
    if (!client_v5(c) ||
        !brisa_mqtt_prop_find(&p->props, BRISA_MQTT_PROP_PAYLOAD_FORMAT, &pf) ||
        pf.value != 1 || brisa_mqtt_utf8_valid(p->payload, p->payload_len))
        return 0;
    brisa_mqtt_inflight *f = bri_mqtt_inflight_find(c, IF_IN_PUBREL, p->packet_id);
    if (p->qos == 2 && f && !c->rx_suppress)
        bri_mqtt_inflight_release(c, f);
    c->rx_suppress = true;
    return 0x99;
#else
    (void)c, (void)p;
    return 0;
#endif
}

static int handle_connack(brisa_mqtt_client *c, const brisa_mqtt_connack_packet *p)
{
    if (c->state != ST_CONNECTING)
        return violation(c, BRISA_MQTT_CONNACK, 0);
    c->connack.return_code = p->return_code;
#if BRISA_MQTT5
    c->connack.props = p->props;
#endif
    /* A broker must not claim a session after clean_session; if it does,
     * nothing of ours is resent to it. */
    c->connack.session_present = p->session_present && !c->clean_session;
    brisa_mqtt_event e = { .type = BRISA_MQTT_EVT_CONNACK, .connack = c->connack };
    if (p->return_code != BRISA_MQTT_CONNACK_ACCEPTED) {
        bri_mqtt_event_emit(c, &e);
        return fail(c, BRISA_ERR_REFUSED);
    }
    c->state = ST_CONNECTED;
    c->ping_outstanding = false;
    int err = BRISA_OK;
#if BRISA_MQTT5
    if (client_v5(c) && (err = bri_mqtt_v5_connack(c, p)) != BRISA_OK)
        return err;
#endif
    if (!c->connack.session_present)
        bri_mqtt_inflight_clear(c, KINDS_ALL); /* section 3.2.2.2 */
    else
        err = bri_mqtt_resume(c);
    if (alive(c))
        bri_mqtt_event_emit(c, &e);
    return err;
}

static void completed(brisa_mqtt_client *c, brisa_mqtt_inflight *f, uint8_t type,
                      const brisa_mqtt_suback_packet *sa, const brisa_mqtt_ack_packet *ack)
{
    brisa_mqtt_event e = { .type = type, .packet_id = f->packet_id };
    bool refused = false;
    if (ack) {
        e.reason_code = ack->reason_code;
        e.props = ack->props;
        refused = ack->reason_code >= 0x80;
    }
    if (sa) {
        e.props = sa->props;
        e.return_codes = sa->codes;
        e.return_code_count = sa->count;
        for (size_t i = 0; i < sa->count; i++)
            refused = refused || sa->codes[i] >= BRISA_MQTT_SUBACK_FAILURE;
        if (c->sync_id == f->packet_id && c->sync_codes) {
            memcpy(c->sync_codes, sa->codes, sa->count);
            c->sync_codes = NULL;
        }
    }
    if (refused && (c->wait_any || c->sync_id == f->packet_id))
        c->wait_refused = true;
    bri_mqtt_inflight_release(c, f);
    bri_mqtt_event_emit(c, &e);
}

static int handle_ack(brisa_mqtt_client *c, uint8_t type, const brisa_mqtt_ack_packet *a)
{
    brisa_mqtt_inflight *f;
    uint16_t id = a->packet_id;
    if (type == BRISA_MQTT_PUBREL) {
        if ((f = bri_mqtt_inflight_find(c, IF_IN_PUBREL, id)) != NULL)
            bri_mqtt_inflight_release(c, f);
        return bri_mqtt_send_ack(c, BRISA_MQTT_PUBCOMP, id, f ? 0 : NOT_FOUND(c));
    }
    f = bri_mqtt_inflight_find(c, type == BRISA_MQTT_PUBACK   ? IF_PUBACK
                                    : type == BRISA_MQTT_PUBREC ? IF_PUBREC
                                                                : IF_PUBCOMP, id);
    if (type == BRISA_MQTT_PUBREC && a->reason_code < 0x80) {
        if (f != NULL) {
            brisa_mqtt_inflight next = { .kind = IF_PUBCOMP, .packet_id = id,
                                         .seq = ++c->seq }; /* PUBREL's place */
            int err = bri_mqtt_persist(c, &next);
            if (err)
                return fail(c, err); /* the broker resends PUBREC */
            *f = next;
        }
        return bri_mqtt_send_ack(c, BRISA_MQTT_PUBREL, id, f ? 0 : NOT_FOUND(c));
    }
    /* PUBACK, PUBCOMP, or a PUBREC that refuses (MQTT 5: the flow ends
     * there, without PUBREL): for one of ours in flight only. */
    if (!f)
        return violation(c, type, id);
    completed(c, f, BRISA_MQTT_EVT_PUBLISHED, NULL, a);
    return BRISA_OK;
}

static int handle_packet(brisa_mqtt_client *c, const brisa_mqtt_packet *p)
{
    /* PUBLISH is traced by publish_begin(), once its fields are known. */
    if (p->type != BRISA_MQTT_PUBLISH)
        trace_in(c, p);
    /* [MQTT-3.2.0-1]; MQTT 5 may authenticate, or refuse, first. */
    if (c->state == ST_CONNECTING && p->type != BRISA_MQTT_CONNACK &&
        !(client_v5(c) && (p->type == BRISA_MQTT_AUTH || p->type == BRISA_MQTT_DISCONNECT)))
        return violation(c, p->type, 0);
    brisa_mqtt_inflight *f;
    switch (p->type) {
    case BRISA_MQTT_CONNACK:
        return handle_connack(c, &p->u.connack);
    case BRISA_MQTT_PUBLISH: {
        brisa_mqtt_publish_packet copy = p->u.publish, *pub = &copy;
        int err = publish_begin(c, pub);
        if (err)
            return err;
        uint8_t reason = payload_format_check(c, pub);
        deliver(c, pub, pub->payload, pub->payload_len, 0);
        return publish_end(c, pub->qos, pub->packet_id, reason);
    }
    case BRISA_MQTT_PUBACK:
    case BRISA_MQTT_PUBREC:
    case BRISA_MQTT_PUBREL:
    case BRISA_MQTT_PUBCOMP:
        return handle_ack(c, p->type, &p->u.ack);
    case BRISA_MQTT_SUBACK:
        f = bri_mqtt_inflight_find(c, IF_SUBACK, p->u.suback.packet_id);
        if (!f || f->payload_len != p->u.suback.count) /* one code per filter */
            return violation(c, p->type, p->u.suback.packet_id);
        completed(c, f, BRISA_MQTT_EVT_SUBACK, &p->u.suback, NULL);
        return BRISA_OK;
    case BRISA_MQTT_UNSUBACK:
        f = bri_mqtt_inflight_find(c, IF_UNSUBACK, p->u.suback.packet_id);
        /* MQTT 5 has one code per filter, as SUBACK. */
        if (!f || (client_v5(c) && f->payload_len != p->u.suback.count))
            return violation(c, p->type, p->u.suback.packet_id);
        completed(c, f, BRISA_MQTT_EVT_UNSUBACK, client_v5(c) ? &p->u.suback : NULL, NULL);
        return BRISA_OK;
    case BRISA_MQTT_PINGRESP:
        c->ping_outstanding = false;
        return BRISA_OK;
#if BRISA_MQTT5
    case BRISA_MQTT_DISCONNECT:
        if (!client_v5(c))
            return violation(c, p->type, 0);
        return bri_mqtt_v5_server_disconnect(c, &p->u.reason);
    case BRISA_MQTT_AUTH:
        return bri_mqtt_v5_auth_in(c, &p->u.reason);
#endif
    default: /* CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT */
        return violation(c, p->type, 0);
    }
}

/* A whole packet body is in rx_buf (or empty): decode and act on it. */
static int finish_body(brisa_mqtt_client *c)
{
    brisa_mqtt_codec cx = bri_mqtt_client_codec(c);
    brisa_mqtt_packet p;
    const uint8_t *body = c->rx_remaining ? c->cfg.rx_buf : NULL;
    size_t len = c->rx_remaining;
    int err = brisa_mqtt_body_decode(&cx, c->rx_hdr[0], body, len, &p);
    bri_mqtt_rx_reset(c);
    if (err) {
        uint8_t type = (uint8_t)(c->rx_hdr[0] >> 4);
        /* Keep a reserved CONNACK code (6..255) to be named as such. */
        if (type == BRISA_MQTT_CONNACK && c->state == ST_CONNECTING && len == 2)
            c->connack.return_code = body[1];
        if (err == BRISA_ERR_UNSUPPORTED)
            err = BRISA_ERR_PROTOCOL;
        bri_mqtt_abort(c, err, type, 0, bri_mqtt_reason_for(err));
        return c->failure.err;
    }
    err = handle_packet(c, &p);
    return err < 0 ? err : 2;
}

static int header_done(brisa_mqtt_client *c)
{
    brisa_mqtt_codec cx = bri_mqtt_client_codec(c);
    brisa_mqtt_fixed_header fh;
    int n = brisa_mqtt_fixed_header_decode(&cx, c->rx_hdr, c->rx_hdr_len, &fh);
    if (n < 0) {
        bri_mqtt_abort(c, BRISA_ERR_MALFORMED, 0, 0, 0x81);
        return BRISA_ERR_MALFORMED;
    }
    if (n == 0)
        return 1; /* another length byte follows */
#if BRISA_MQTT5
    /* Larger than the Maximum Packet Size we announced [MQTT-3.1.2-25]. */
    if (client_v5(c) && c->max_packet_in &&
        (uint64_t)n + fh.remaining > c->max_packet_in) {
        bri_mqtt_abort(c, BRISA_ERR_TOO_LARGE, fh.type, 0, 0x95);
        return BRISA_ERR_TOO_LARGE;
    }
#endif
    c->rx_remaining = fh.remaining;
    c->rx_have = 0;
    if (fh.remaining == 0)
        return finish_body(c);
    if (fh.remaining <= c->cfg.rx_size) {
        c->rx_stage = RX_BODY;
        return 1;
    }
    if (fh.type != BRISA_MQTT_PUBLISH || c->cfg.large_policy != BRISA_MQTT_LARGE_CHUNKED) {
        bri_mqtt_abort(c, BRISA_ERR_TOO_LARGE, fh.type, 0, 0x95);
        return BRISA_ERR_TOO_LARGE;
    }
    c->rx_stage = RX_PUB_HEAD;
    return 1;
}

/* rx_buf is full with the start of a PUBLISH too large for it: the topic
 * and packet id must be in there, with room left for payload chunks. */
static int stream_begin(brisa_mqtt_client *c)
{
    brisa_mqtt_codec cx = bri_mqtt_client_codec(c);
    brisa_mqtt_publish_packet p;
    int n = brisa_mqtt_publish_header_decode(&cx, c->rx_hdr[0], c->cfg.rx_buf,
                                             c->cfg.rx_size, c->rx_remaining, &p);
    if (n == 0 || (size_t)n >= c->cfg.rx_size)
        n = BRISA_ERR_TOO_LARGE;
    if (n < 0) {
        bri_mqtt_abort(c, n, BRISA_MQTT_PUBLISH, 0, bri_mqtt_reason_for(n));
        return n;
    }
    size_t first = c->cfg.rx_size - (size_t)n;
    c->rx_vh_len = (size_t)n;
    c->rx_payload_done = first;
    c->rx_have = 0;
    c->rx_stage = RX_PUB_CHUNK;
    if (publish_begin(c, &p) < 0)
        return c->failure.err;
    deliver(c, &p, p.payload, first, 0);
    return 1;
}

/* A chunk-sized part of a streamed payload is in rx_buf after the topic. */
static int stream_chunk(brisa_mqtt_client *c)
{
    brisa_mqtt_codec cx = bri_mqtt_client_codec(c);
    brisa_mqtt_publish_packet p;
    /* The header still sits at the start of rx_buf: decode it again
     * rather than keep a copy of every field in the client. */
    brisa_mqtt_publish_header_decode(&cx, c->rx_hdr[0], c->cfg.rx_buf, c->rx_vh_len,
                                     c->rx_remaining, &p);
#if BRISA_MQTT5
    if (client_v5(c))
        bri_mqtt_v5_alias_resolve(c, &p); /* checked by publish_begin */
#endif
    size_t offset = c->rx_payload_done, len = c->rx_have;
    bool last = offset + len == p.payload_len;
    c->rx_payload_done += len;
    c->rx_have = 0;
    deliver(c, &p, c->cfg.rx_buf + c->rx_vh_len, len, offset);
    if (!last)
        return 1;
    bri_mqtt_rx_reset(c); /* rx_buf keeps its bytes: p stays valid */
    int err = publish_end(c, p.qos, p.packet_id, 0);
    return err < 0 ? err : 2;
}

int bri_mqtt_rx_step(brisa_mqtt_client *c, uint32_t wait_ms)
{
    uint8_t *dst;
    size_t want;
    switch (c->rx_stage) {
    case RX_HEADER:
        /* Every packet has at least two bytes; length bytes after the
         * first come one at a time so nothing past the header is read. */
        dst = c->rx_hdr + c->rx_hdr_len;
        want = c->rx_hdr_len < 2 ? 2u - c->rx_hdr_len : 1u;
        break;
    case RX_BODY:
        dst = c->cfg.rx_buf + c->rx_have;
        want = c->rx_remaining - c->rx_have;
        break;
    case RX_PUB_HEAD:
        dst = c->cfg.rx_buf + c->rx_have;
        want = c->cfg.rx_size - c->rx_have;
        break;
    default: { /* RX_PUB_CHUNK */
        size_t room = c->cfg.rx_size - c->rx_vh_len;
        size_t left = c->rx_remaining - c->rx_vh_len - c->rx_payload_done;
        dst = c->cfg.rx_buf + c->rx_vh_len + c->rx_have;
        want = (left < room ? left : room) - c->rx_have;
        break;
    }
    }
    int n = c->cfg.transport.recv(c->cfg.transport.ctx, dst, want, wait_ms);
    if (n == BRISA_ERR_TIMEOUT || n == BRISA_ERR_WOULD_BLOCK)
        return 0;
    if (n == 0)
        n = BRISA_ERR_CLOSED;
    else if (n > 0 && (size_t)n > want)
        n = BRISA_ERR_IO; /* the transport broke its contract */
    if (n < 0)
        return fail(c, n);
    c->last_rx_ms = bri_mqtt_now(c);
    switch (c->rx_stage) {
    case RX_HEADER:
        c->rx_hdr_len = (uint8_t)(c->rx_hdr_len + n);
        return c->rx_hdr_len < 2 ? 1 : header_done(c);
    case RX_BODY:
        c->rx_have += (size_t)n;
        return c->rx_have < c->rx_remaining ? 1 : finish_body(c);
    case RX_PUB_HEAD:
        c->rx_have += (size_t)n;
        return c->rx_have < c->cfg.rx_size ? 1 : stream_begin(c);
    default:
        c->rx_have += (size_t)n;
        return (size_t)n < want ? 1 : stream_chunk(c);
    }
}
