// SPDX-License-Identifier: MIT
/* MQTT client, sending side: whole-packet writes over a transport that may
 * accept partial writes, tracing, and closing the connection. */
#include <string.h>

#include "client_internal.h"

brisa_mqtt_codec bri_mqtt_client_codec(const brisa_mqtt_client *c)
{
    brisa_mqtt_codec cx = { c->protocol_level ? c->protocol_level : BRISA_MQTT_V311 };
    return cx;
}

uint64_t bri_mqtt_now(const brisa_mqtt_client *c)
{
    return c->cfg.clock.monotonic_ms(c->cfg.clock.ctx);
}

void bri_mqtt_trace_emit(brisa_mqtt_client *c, const brisa_mqtt_trace *t)
{
    if (c->cfg.on_trace)
        c->cfg.on_trace(c->cfg.user, t);
}

void bri_mqtt_event_emit(brisa_mqtt_client *c, const brisa_mqtt_event *e)
{
    if (c->cfg.on_event)
        c->cfg.on_event(c->cfg.user, e);
}

int bri_mqtt_send_all(brisa_mqtt_client *c, const uint8_t *buf, size_t len, unsigned flags)
{
    if (c->state == ST_IDLE)
        return BRISA_ERR_STATE;
    uint64_t deadline = bri_mqtt_now(c) + c->cfg.io_timeout_ms;
    while (len > 0) {
        uint64_t now = bri_mqtt_now(c);
        uint32_t wait = now < deadline ? (uint32_t)(deadline - now) : 0;
        int n = c->cfg.transport.send(c->cfg.transport.ctx, buf, len, flags, wait);
        if (n == 0 || (n > 0 && (size_t)n > len))
            n = BRISA_ERR_IO; /* the transport broke its contract */
        if (n < 0) {
            bri_mqtt_fail(c, n);
            return n;
        }
        buf += n;
        len -= (size_t)n;
        c->last_tx_ms = bri_mqtt_now(c);
    }
    return BRISA_OK;
}

int bri_mqtt_send_encoded(brisa_mqtt_client *c, size_t len, const brisa_mqtt_trace *t)
{
    bri_mqtt_trace_emit(c, t);
    return bri_mqtt_send_all(c, c->cfg.tx_buf, len, 0);
}

int bri_mqtt_send_publish(brisa_mqtt_client *c, const char *topic, const void *payload,
                            size_t payload_len, uint8_t qos, bool retain, bool dup,
                            uint16_t packet_id, const brisa_mqtt_properties *props,
                            bool may_alias)
{
    brisa_mqtt_codec cx = bri_mqtt_client_codec(c);
    brisa_mqtt_publish_packet p = {
        .topic = { topic, strlen(topic) },
        .packet_id = packet_id,
        .qos = qos,
        .retain = retain,
        .dup = dup,
        .payload_len = payload_len,
    };
#if BRISA_MQTT5
    uint8_t alias_prop[3];
    if (props)
        p.props = *props;
    if (client_v5(c) && may_alias) {
        bool known;
        uint16_t alias = bri_mqtt_v5_alias(c, topic, p.topic.len, &known);
        if (alias) {
            alias_prop[0] = BRISA_MQTT_PROP_TOPIC_ALIAS;
            alias_prop[1] = (uint8_t)(alias >> 8);
            alias_prop[2] = (uint8_t)alias;
            p.props.extra = alias_prop;
            p.props.extra_len = sizeof alias_prop;
            if (known)
                p.topic.len = 0;
        }
    }
#else
    (void)props, (void)may_alias;
#endif
    int hl = brisa_mqtt_publish_encode_header(&cx, &p, c->cfg.tx_buf, c->cfg.tx_size);
    if (hl < 0)
        return hl;
#if BRISA_MQTT5
    /* [MQTT-3.2.2-15]: never more than the server's Maximum Packet Size. */
    if (client_v5(c) && c->server.maximum_packet_size &&
        (uint64_t)hl + payload_len > c->server.maximum_packet_size)
        return BRISA_ERR_TOO_LARGE;
#endif
    brisa_mqtt_trace t = {
        .outgoing = true, .type = BRISA_MQTT_PUBLISH, .packet_id = packet_id, .qos = qos,
        .retain = retain, .dup = dup, .topic = topic, .topic_len = strlen(topic),
        .payload_len = payload_len,
    };
    bri_mqtt_trace_emit(c, &t);
    /* Small enough: one write. Otherwise the header goes first, flagged so
     * TCP/TLS can coalesce it with the payload, which is never copied. */
    if (payload_len <= c->cfg.tx_size - (size_t)hl) {
        if (payload_len)
            memcpy(c->cfg.tx_buf + hl, payload, payload_len);
        return bri_mqtt_send_all(c, c->cfg.tx_buf, (size_t)hl + payload_len, 0);
    }
    int err = bri_mqtt_send_all(c, c->cfg.tx_buf, (size_t)hl, BRISA_SEND_MORE);
    if (err)
        return err;
    return bri_mqtt_send_all(c, payload, payload_len, 0);
}

int bri_mqtt_send_ack(brisa_mqtt_client *c, uint8_t type, uint16_t packet_id,
                        uint8_t reason)
{
    brisa_mqtt_codec cx = bri_mqtt_client_codec(c);
    brisa_mqtt_ack_packet a = { .packet_id = packet_id, .reason_code = reason };
    int n = brisa_mqtt_ack_encode(&cx, type, &a, c->cfg.tx_buf, c->cfg.tx_size);
    if (n < 0)
        return n;
    brisa_mqtt_trace t = { .outgoing = true, .type = type, .packet_id = packet_id,
                           .return_code = reason };
    return bri_mqtt_send_encoded(c, (size_t)n, &t);
}

int bri_mqtt_send_reason(brisa_mqtt_client *c, uint8_t type, uint8_t reason,
                         const brisa_mqtt_properties *props)
{
    brisa_mqtt_codec cx = bri_mqtt_client_codec(c);
    brisa_mqtt_reason_packet d = { .reason_code = reason };
    if (props)
        d.props = *props;
    int n = brisa_mqtt_reason_encode(&cx, type, &d, c->cfg.tx_buf, c->cfg.tx_size);
    if (n < 0)
        return n;
    brisa_mqtt_trace t = { .outgoing = true, .type = type, .return_code = reason };
    return bri_mqtt_send_encoded(c, (size_t)n, &t);
}

uint8_t bri_mqtt_reason_for(int err)
{
    return err == BRISA_ERR_MALFORMED ? 0x81 : err == BRISA_ERR_TOO_LARGE ? 0x95 : 0x82;
}

void bri_mqtt_abort(brisa_mqtt_client *c, int err, uint8_t packet_type, uint16_t packet_id,
                      uint8_t reason)
{
#if BRISA_MQTT5
    /* Best effort: the connection ends whatever the send says. */
    if (client_v5(c) && c->state != ST_IDLE &&
        bri_mqtt_send_reason(c, BRISA_MQTT_DISCONNECT, reason, NULL) == BRISA_OK)
        c->failure.reason_code = reason;
    uint8_t sent = c->failure.reason_code;
    bri_mqtt_fail_detail(c, err, packet_type, packet_id, 0);
    c->failure.reason_code = sent;
#else
    (void)reason;
    bri_mqtt_fail_detail(c, err, packet_type, packet_id, 0);
#endif
}

void bri_mqtt_fail(brisa_mqtt_client *c, int err)
{
    bri_mqtt_fail_detail(c, err, 0, 0, 0);
}

void bri_mqtt_fail_detail(brisa_mqtt_client *c, int err, uint8_t packet_type,
                            uint16_t packet_id, uint32_t waited_ms)
{
    if (c->state == ST_IDLE)
        return;
    c->failure.err = err;
    c->failure.packet_type = packet_type;
    c->failure.packet_id = packet_id;
    c->failure.waited_ms = waited_ms;
    brisa_mqtt_event e = { .type = BRISA_MQTT_EVT_DISCONNECTED, .err = err };
#if BRISA_MQTT5
    e.reason_code = c->failure.reason_code;
    if (c->fail_props)
        e.props = *c->fail_props;
#endif
    c->failure.partial = brisa_mqtt_rx_partial(c, &c->failure.partial_type,
                                               &c->failure.partial_have,
                                               &c->failure.partial_total);
    c->cfg.transport.close(c->cfg.transport.ctx);
    c->state = ST_IDLE;
    c->ping_outstanding = false;
    c->last_err = err;
    bri_mqtt_rx_reset(c);
    /* SUBSCRIBE/UNSUBSCRIBE are not resent on resume; PUBLISH flows and
     * incoming QoS 2 ids are session state and stay. */
    bri_mqtt_inflight_clear(c, KIND_BIT(IF_SUBACK) | KIND_BIT(IF_UNSUBACK));
    bri_mqtt_event_emit(c, &e);
}

int bri_mqtt_resume(brisa_mqtt_client *c)
{
    uint32_t after = 0;
    brisa_mqtt_inflight *f;
    while ((f = bri_mqtt_inflight_next(c, after)) != NULL) {
        after = f->seq;
        int err;
        brisa_mqtt_properties props = { 0 };
#if BRISA_MQTT5
        props.data = f->props;
        props.len = f->props_len;
#endif
        if (f->kind == IF_PUBCOMP)
            err = bri_mqtt_send_ack(c, BRISA_MQTT_PUBREL, f->packet_id, 0);
        else
            err = bri_mqtt_send_publish(c, f->topic, f->payload, f->payload_len,
                                          (uint8_t)(f->flags & IF_FLAG_QOS_MASK),
                                          (f->flags & IF_FLAG_RETAIN) != 0, true,
                                          f->packet_id, &props, false);
        if (err)
            return err;
    }
    return BRISA_OK;
}
