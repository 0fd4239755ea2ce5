/* MQTT client, sending side: whole-packet writes over a transport that may
 * accept partial writes, tracing, and closing the connection. */
#include <string.h>

#include "client_internal.h"

brisa_mqtt_codec brisa_mqtt_client_codec(const brisa_mqtt_client *c)
{
    brisa_mqtt_codec cx = { c->protocol_level ? c->protocol_level : BRISA_MQTT_V311 };
    return cx;
}

uint64_t brisa_mqtt_now(const brisa_mqtt_client *c)
{
    return c->cfg.clock.monotonic_ms(c->cfg.clock.ctx);
}

void brisa_mqtt_trace_emit(brisa_mqtt_client *c, const brisa_mqtt_trace *t)
{
    if (c->cfg.on_trace)
        c->cfg.on_trace(c->cfg.user, t);
}

void brisa_mqtt_event_emit(brisa_mqtt_client *c, const brisa_mqtt_event *e)
{
    if (c->cfg.on_event)
        c->cfg.on_event(c->cfg.user, e);
}

int brisa_mqtt_send_all(brisa_mqtt_client *c, const uint8_t *buf, size_t len, unsigned flags)
{
    if (c->state == ST_IDLE)
        return BRISA_ERR_STATE;
    uint64_t deadline = brisa_mqtt_now(c) + c->cfg.io_timeout_ms;
    while (len > 0) {
        uint64_t now = brisa_mqtt_now(c);
        uint32_t wait = now < deadline ? (uint32_t)(deadline - now) : 0;
        int n = c->cfg.transport.send(c->cfg.transport.ctx, buf, len, flags, wait);
        if (n == 0 || (n > 0 && (size_t)n > len))
            n = BRISA_ERR_IO; /* the transport broke its contract */
        if (n < 0) {
            brisa_mqtt_fail(c, n);
            return n;
        }
        buf += n;
        len -= (size_t)n;
        c->last_tx_ms = brisa_mqtt_now(c);
    }
    return BRISA_OK;
}

int brisa_mqtt_send_encoded(brisa_mqtt_client *c, size_t len, const brisa_mqtt_trace *t)
{
    brisa_mqtt_trace_emit(c, t);
    return brisa_mqtt_send_all(c, c->cfg.tx_buf, len, 0);
}

int brisa_mqtt_send_publish(brisa_mqtt_client *c, const char *topic, const void *payload,
                            size_t payload_len, uint8_t qos, bool retain, bool dup,
                            uint16_t packet_id)
{
    brisa_mqtt_codec cx = brisa_mqtt_client_codec(c);
    brisa_mqtt_publish_packet p = {
        .topic = { topic, strlen(topic) },
        .packet_id = packet_id,
        .qos = qos,
        .retain = retain,
        .dup = dup,
        .payload_len = payload_len,
    };
    int hl = brisa_mqtt_publish_encode_header(&cx, &p, c->cfg.tx_buf, c->cfg.tx_size);
    if (hl < 0)
        return hl;
    brisa_mqtt_trace t = {
        .outgoing = true, .type = BRISA_MQTT_PUBLISH, .packet_id = packet_id, .qos = qos,
        .retain = retain, .dup = dup, .topic = p.topic.data, .topic_len = p.topic.len,
        .payload_len = payload_len,
    };
    brisa_mqtt_trace_emit(c, &t);
    /* Small enough: one write. Otherwise the header goes first, flagged so
     * TCP/TLS can coalesce it with the payload, which is never copied. */
    if (payload_len <= c->cfg.tx_size - (size_t)hl) {
        if (payload_len)
            memcpy(c->cfg.tx_buf + hl, payload, payload_len);
        return brisa_mqtt_send_all(c, c->cfg.tx_buf, (size_t)hl + payload_len, 0);
    }
    int err = brisa_mqtt_send_all(c, c->cfg.tx_buf, (size_t)hl, BRISA_SEND_MORE);
    if (err)
        return err;
    return brisa_mqtt_send_all(c, payload, payload_len, 0);
}

int brisa_mqtt_send_ack(brisa_mqtt_client *c, uint8_t type, uint16_t packet_id)
{
    brisa_mqtt_codec cx = brisa_mqtt_client_codec(c);
    brisa_mqtt_ack_packet a = { .packet_id = packet_id };
    int n = brisa_mqtt_ack_encode(&cx, type, &a, c->cfg.tx_buf, c->cfg.tx_size);
    if (n < 0)
        return n;
    brisa_mqtt_trace t = { .outgoing = true, .type = type, .packet_id = packet_id };
    return brisa_mqtt_send_encoded(c, (size_t)n, &t);
}

void brisa_mqtt_fail(brisa_mqtt_client *c, int err)
{
    brisa_mqtt_fail_detail(c, err, 0, 0, 0);
}

void brisa_mqtt_fail_detail(brisa_mqtt_client *c, int err, uint8_t packet_type,
                            uint16_t packet_id, uint32_t waited_ms)
{
    if (c->state == ST_IDLE)
        return;
    c->failure.err = err;
    c->failure.packet_type = packet_type;
    c->failure.packet_id = packet_id;
    c->failure.waited_ms = waited_ms;
    c->failure.partial = brisa_mqtt_rx_partial(c, &c->failure.partial_type,
                                               &c->failure.partial_have,
                                               &c->failure.partial_total);
    c->cfg.transport.close(c->cfg.transport.ctx);
    c->state = ST_IDLE;
    c->ping_outstanding = false;
    c->last_err = err;
    brisa_mqtt_rx_reset(c);
    /* SUBSCRIBE/UNSUBSCRIBE are not resent on resume; PUBLISH flows and
     * incoming QoS 2 ids are session state and stay. */
    brisa_mqtt_inflight_clear(c, KIND_BIT(IF_SUBACK) | KIND_BIT(IF_UNSUBACK));
    brisa_mqtt_event e = { .type = BRISA_MQTT_EVT_DISCONNECTED, .err = err };
    brisa_mqtt_event_emit(c, &e);
}

int brisa_mqtt_resume(brisa_mqtt_client *c)
{
    uint32_t after = 0;
    brisa_mqtt_inflight *f;
    while ((f = brisa_mqtt_inflight_next(c, after)) != NULL) {
        after = f->seq;
        int err;
        if (f->kind == IF_PUBCOMP)
            err = brisa_mqtt_send_ack(c, BRISA_MQTT_PUBREL, f->packet_id);
        else
            err = brisa_mqtt_send_publish(c, f->topic, f->payload, f->payload_len,
                                          (uint8_t)(f->flags & IF_FLAG_QOS_MASK),
                                          (f->flags & IF_FLAG_RETAIN) != 0, true,
                                          f->packet_id);
        if (err)
            return err;
    }
    return BRISA_OK;
}
