// SPDX-License-Identifier: MIT
/* MQTT codec, encoding half: structs -> packet bytes. Each encoder first
 * validates and sizes the whole packet, then writes it, so a buffer that
 * is too small is reported before anything is written. */
#include <string.h>

#include "codec_internal.h"

typedef struct writer {
    uint8_t *p;
} writer;

static void put_u8(writer *w, uint8_t v)
{
    *w->p++ = v;
}

static void put_u16(writer *w, uint16_t v)
{
    put_u8(w, (uint8_t)(v >> 8));
    put_u8(w, (uint8_t)(v & 0xFFu));
}

static void put_raw(writer *w, const void *data, size_t len)
{
    if (len)
        memcpy(w->p, data, len);
    w->p += len;
}

static void put_bytes(writer *w, const void *data, size_t len)
{
    put_u16(w, (uint16_t)len);
    put_raw(w, data, len);
}

/* An MQTT 5 property block: its length, then both segments. Nothing for
 * 3.x. */
static void put_props(writer *w, int level, const brisa_mqtt_properties *pr)
{
    if (!is_v5(level))
        return;
    size_t n = props_body(pr);
    w->p += brisa_mqtt_vbi_encode((uint32_t)n, w->p, 4);
    if (n) {
        put_raw(w, pr->data, pr->len);
        put_raw(w, pr->extra, pr->extra_len);
    }
}

/* The caller's properties must be what a decoder would accept where they
 * go: anything else is the caller's mistake. */
static int props_ok(int level, brisa_mqtt_prop_where where, const brisa_mqtt_properties *pr)
{
    if (!is_v5(level) || !pr)
        return BRISA_OK;
    if (props_body(pr) > BRISA_MQTT_MAX_REMAINING)
        return BRISA_ERR_TOO_LARGE;
    return brisa_mqtt_props_check(where, pr) ? BRISA_ERR_INVALID_ARG : BRISA_OK;
}

/* Checks room for a packet with remaining length @p remaining of which
 * only @p written body bytes go into the buffer, then writes the fixed
 * header. Returns the total bytes the caller will have written, or an
 * error. */
static int begin(writer *w, uint8_t first_byte, size_t remaining, size_t written,
                 uint8_t *buf, size_t size)
{
    if (remaining > BRISA_MQTT_MAX_REMAINING)
        return BRISA_ERR_TOO_LARGE;
    size_t hl = 1 + brisa_mqtt_vbi_size((uint32_t)remaining);
    if (!buf || size < hl || size - hl < written)
        return BRISA_ERR_NO_SPACE;
    w->p = buf;
    put_u8(w, first_byte);
    w->p += brisa_mqtt_vbi_encode((uint32_t)remaining, w->p, 4);
    return (int)(hl + written);
}

/* Adds a length-prefixed field to a running size, refusing fields over
 * 65535 bytes. */
static int add_field(size_t *total, size_t len)
{
    if (len > BRISA_MQTT_MAX_STRING)
        return BRISA_ERR_TOO_LARGE;
    *total += 2 + len;
    return BRISA_OK;
}

/* Like add_field for a UTF-8 string, which must also be valid. */
static int add_str(size_t *total, const char *s, size_t len)
{
    if (len && !s)
        return BRISA_ERR_INVALID_ARG;
    int err = add_field(total, len);
    if (err)
        return err;
    return brisa_mqtt_utf8_valid((const uint8_t *)s, len) ? BRISA_OK : BRISA_ERR_INVALID_ARG;
}

static int topic_check(const char *s, size_t len, bool filter)
{
    if (len > BRISA_MQTT_MAX_STRING)
        return BRISA_ERR_TOO_LARGE;
    bool ok = filter ? brisa_mqtt_filter_valid(s, len) : brisa_mqtt_topic_valid(s, len);
    return ok ? BRISA_OK : BRISA_ERR_INVALID_ARG;
}

int brisa_mqtt_connect_encode(const brisa_mqtt_codec *cx, const brisa_mqtt_connect_packet *p,
                              uint8_t *buf, size_t size)
{
    int level = bri_mqtt_codec_level(cx);
    if (level < 0)
        return level;
    if (!p)
        return BRISA_ERR_INVALID_ARG;
    const char *name = level == BRISA_MQTT_V31 ? "MQIsdp" : "MQTT";
    size_t total = 2 + strlen(name) + 1 + 1 + 2 + props_size(level, &p->props);
    int err = props_ok(level, BRISA_MQTT_IN_CONNECT, &p->props);
    if (!err && p->has_will)
        err = props_ok(level, BRISA_MQTT_IN_WILL, &p->will_props);
    if (!err)
        err = add_str(&total, p->client_id.data, p->client_id.len);
    uint8_t flags = p->clean_session ? CF_CLEAN : 0;
    if (!err && p->has_will) {
        if (p->will_qos > 2 || (p->will_payload.len && !p->will_payload.data))
            return BRISA_ERR_INVALID_ARG;
        err = topic_check(p->will_topic.data, p->will_topic.len, false);
        if (!err)
            err = add_field(&total, p->will_topic.len);
        if (!err)
            err = add_field(&total, p->will_payload.len);
        total += props_size(level, &p->will_props);
        flags |= (uint8_t)(CF_WILL | (p->will_qos << CF_WILL_QOS_SHIFT) |
                           (p->will_retain ? CF_WILL_RETAIN : 0));
    }
    if (!err && p->has_username) {
        err = add_str(&total, p->username.data, p->username.len);
        flags |= CF_USERNAME;
    }
    if (!err && p->has_password) {
        /* MQTT 3.x allows a password only together with a user name. */
        if ((!p->has_username && !is_v5(level)) || (p->password.len && !p->password.data))
            return BRISA_ERR_INVALID_ARG;
        err = add_field(&total, p->password.len);
        flags |= CF_PASSWORD;
    }
    if (err)
        return err;
    writer w;
    int n = begin(&w, BRISA_MQTT_CONNECT << 4, total, total, buf, size);
    if (n < 0)
        return n;
    put_bytes(&w, name, strlen(name));
    put_u8(&w, (uint8_t)level);
    put_u8(&w, flags);
    put_u16(&w, p->keepalive_s);
    put_props(&w, level, &p->props);
    put_bytes(&w, p->client_id.data, p->client_id.len);
    if (p->has_will) {
        put_props(&w, level, &p->will_props);
        put_bytes(&w, p->will_topic.data, p->will_topic.len);
        put_bytes(&w, p->will_payload.data, p->will_payload.len);
    }
    if (p->has_username)
        put_bytes(&w, p->username.data, p->username.len);
    if (p->has_password)
        put_bytes(&w, p->password.data, p->password.len);
    return n;
}

int brisa_mqtt_connack_encode(const brisa_mqtt_codec *cx, const brisa_mqtt_connack_packet *p,
                              uint8_t *buf, size_t size)
{
    int level = bri_mqtt_codec_level(cx);
    if (level < 0)
        return level;
    if (!p)
        return BRISA_ERR_INVALID_ARG;
    bool v5 = is_v5(level);
    if (v5 ? !brisa_mqtt_reason_allowed(BRISA_MQTT_CONNACK, p->return_code) ||
                 (p->session_present && p->return_code >= 0x80)
           : p->return_code > BRISA_MQTT_CONNACK_NOT_AUTHORIZED ||
                 (p->session_present && (p->return_code != 0 || level == BRISA_MQTT_V31)))
        return BRISA_ERR_INVALID_ARG;
    int err = props_ok(level, BRISA_MQTT_IN_CONNACK, &p->props);
    if (err)
        return err;
    size_t total = 2 + props_size(level, &p->props);
    writer w;
    int n = begin(&w, BRISA_MQTT_CONNACK << 4, total, total, buf, size);
    if (n < 0)
        return n;
    put_u8(&w, p->session_present ? 1 : 0);
    put_u8(&w, p->return_code);
    put_props(&w, level, &p->props);
    return n;
}

/* Shared by both PUBLISH encoders: @p with_payload says whether the
 * payload is copied or left for the caller to send. */
static int encode_publish(const brisa_mqtt_codec *cx, const brisa_mqtt_publish_packet *p,
                          bool with_payload, uint8_t *buf, size_t size)
{
    int level = bri_mqtt_codec_level(cx);
    if (level < 0)
        return level;
    if (!p || p->qos > 2 || (p->qos && p->packet_id == 0) || (!p->qos && p->dup) ||
        (with_payload && p->payload_len && !p->payload))
        return BRISA_ERR_INVALID_ARG;
    int err = props_ok(level, BRISA_MQTT_IN_PUBLISH, &p->props);
    brisa_mqtt_property alias;
    /* MQTT 5: an empty topic when a Topic Alias stands for it. */
    bool aliased = is_v5(level) && p->topic.len == 0 &&
                   brisa_mqtt_prop_find(&p->props, BRISA_MQTT_PROP_TOPIC_ALIAS, &alias);
    if (!err && !aliased)
        err = topic_check(p->topic.data, p->topic.len, false);
    if (err)
        return err;
    size_t header = 2 + p->topic.len + (p->qos ? 2 : 0) + props_size(level, &p->props);
    if (p->payload_len > BRISA_MQTT_MAX_REMAINING - header)
        return BRISA_ERR_TOO_LARGE;
    uint8_t first = (uint8_t)(BRISA_MQTT_PUBLISH << 4 | p->qos << PF_QOS_SHIFT |
                              (p->dup ? PF_DUP : 0) | (p->retain ? PF_RETAIN : 0));
    writer w;
    int n = begin(&w, first, header + p->payload_len,
                  header + (with_payload ? p->payload_len : 0), buf, size);
    if (n < 0)
        return n;
    put_bytes(&w, p->topic.data, p->topic.len);
    if (p->qos)
        put_u16(&w, p->packet_id);
    put_props(&w, level, &p->props);
    if (with_payload)
        put_raw(&w, p->payload, p->payload_len);
    return n;
}

int brisa_mqtt_publish_encode(const brisa_mqtt_codec *cx, const brisa_mqtt_publish_packet *p,
                              uint8_t *buf, size_t size)
{
    return encode_publish(cx, p, true, buf, size);
}

int brisa_mqtt_publish_encode_header(const brisa_mqtt_codec *cx,
                                     const brisa_mqtt_publish_packet *p,
                                     uint8_t *buf, size_t size)
{
    return encode_publish(cx, p, false, buf, size);
}

/* The packets that end in an optional reason code and properties
 * (PUBACK..PUBCOMP after their packet id; MQTT 5 DISCONNECT and AUTH):
 * the shortest form MQTT 5 allows, and the bare packet id for 3.x. */
static int encode_reason_tail(int level, uint8_t first_byte, bool with_id, uint16_t id,
                              uint8_t rc, brisa_mqtt_prop_where where,
                              const brisa_mqtt_properties *pr, uint8_t *buf, size_t size)
{
    uint8_t type = (uint8_t)(first_byte >> 4);
    if (with_id && id == 0)
        return BRISA_ERR_INVALID_ARG;
    bool v5 = is_v5(level);
    if (v5 && !brisa_mqtt_reason_allowed(type, rc))
        return BRISA_ERR_INVALID_ARG;
    int err = props_ok(level, where, pr);
    if (err)
        return err;
    bool has_props = v5 && props_body(pr) > 0;
    size_t total = (with_id ? 2 : 0) +
                   (has_props ? 1 + props_size(level, pr) : (v5 && rc ? 1 : 0));
    writer w;
    int n = begin(&w, first_byte, total, total, buf, size);
    if (n < 0)
        return n;
    if (with_id)
        put_u16(&w, id);
    if (has_props || (v5 && rc))
        put_u8(&w, rc);
    if (has_props)
        put_props(&w, level, pr);
    return n;
}

int brisa_mqtt_ack_encode(const brisa_mqtt_codec *cx, uint8_t type,
                          const brisa_mqtt_ack_packet *p, uint8_t *buf, size_t size)
{
    int level = bri_mqtt_codec_level(cx);
    if (level < 0)
        return level;
    if (!p || type < BRISA_MQTT_PUBACK || type > BRISA_MQTT_PUBCOMP)
        return BRISA_ERR_INVALID_ARG;
    uint8_t flags = type == BRISA_MQTT_PUBREL ? FLAGS_REQUIRED_0010 : 0;
    return encode_reason_tail(level, (uint8_t)(type << 4 | flags), true, p->packet_id,
                              p->reason_code, BRISA_MQTT_IN_ACK, &p->props, buf, size);
}

int brisa_mqtt_reason_encode(const brisa_mqtt_codec *cx, uint8_t type,
                             const brisa_mqtt_reason_packet *p, uint8_t *buf, size_t size)
{
    int level = bri_mqtt_codec_level(cx);
    if (level < 0)
        return level;
    if (!p || (type != BRISA_MQTT_DISCONNECT && type != BRISA_MQTT_AUTH))
        return BRISA_ERR_INVALID_ARG;
    /* 3.x: only a bare DISCONNECT, which the tail below writes as such. */
    if (!is_v5(level) && (type == BRISA_MQTT_AUTH || p->reason_code || props_body(&p->props)))
        return BRISA_ERR_UNSUPPORTED;
    return encode_reason_tail(level, (uint8_t)(type << 4), false, 0, p->reason_code,
                              type == BRISA_MQTT_AUTH ? BRISA_MQTT_IN_AUTH
                                                      : BRISA_MQTT_IN_DISCONNECT,
                              &p->props, buf, size);
}

/* SUBSCRIBE and UNSUBSCRIBE share everything but the options byte. */
static int encode_filters(const brisa_mqtt_codec *cx, uint8_t type, uint16_t id,
                          const brisa_mqtt_subscription *subs,
                          const char *const *filters, size_t count,
                          const brisa_mqtt_properties *pr, uint8_t *buf, size_t size)
{
    int level = bri_mqtt_codec_level(cx);
    if (level < 0)
        return level;
    if (id == 0 || count == 0 || (!subs && !filters))
        return BRISA_ERR_INVALID_ARG;
    bool v5 = is_v5(level);
    int err = props_ok(level, subs ? BRISA_MQTT_IN_SUBSCRIBE : BRISA_MQTT_IN_UNSUBSCRIBE, pr);
    if (err)
        return err;
    size_t total = 2 + props_size(level, pr);
    for (size_t i = 0; i < count; i++) {
        const char *f = subs ? subs[i].filter : filters[i];
        if (!f || (subs && (subs[i].qos & 3u) > 2))
            return BRISA_ERR_INVALID_ARG;
        size_t len = strlen(f);
        err = topic_check(f, len, true);
        if (err)
            return err;
        if (v5 && !bri_mqtt_shared_valid(f, len))
            return BRISA_ERR_INVALID_ARG;
        if (subs) {
            uint8_t o = (uint8_t)(subs[i].qos & ~3u);
            /* 3.x has no options; MQTT 5: reserved bits, retain handling 3
             * and No Local on a shared subscription are refused. */
            if (o && (!v5 || (o & ~0x3Cu) || (o >> 4) == 3 ||
                      ((o & BRISA_MQTT_SUB_NO_LOCAL) && bri_mqtt_shared_prefix(f, len))))
                return BRISA_ERR_INVALID_ARG;
        }
        total += 2 + len + (subs ? 1 : 0);
        /* Stop counting early so a huge list cannot overflow the sum. */
        if (total > BRISA_MQTT_MAX_REMAINING)
            return BRISA_ERR_TOO_LARGE;
    }
    writer w;
    int n = begin(&w, (uint8_t)(type << 4 | FLAGS_REQUIRED_0010), total, total, buf, size);
    if (n < 0)
        return n;
    put_u16(&w, id);
    put_props(&w, level, pr);
    for (size_t i = 0; i < count; i++) {
        const char *f = subs ? subs[i].filter : filters[i];
        put_bytes(&w, f, strlen(f));
        if (subs)
            put_u8(&w, subs[i].qos);
    }
    return n;
}

int brisa_mqtt_subscribe_encode(const brisa_mqtt_codec *cx, uint16_t packet_id,
                                const brisa_mqtt_subscription *subs, size_t count,
                                uint8_t *buf, size_t size)
{
    return brisa_mqtt_subscribe_encode_props(cx, packet_id, subs, count, NULL, buf, size);
}

int brisa_mqtt_subscribe_encode_props(const brisa_mqtt_codec *cx, uint16_t packet_id,
                                      const brisa_mqtt_subscription *subs, size_t count,
                                      const brisa_mqtt_properties *props,
                                      uint8_t *buf, size_t size)
{
    if (!subs)
        return BRISA_ERR_INVALID_ARG;
    return encode_filters(cx, BRISA_MQTT_SUBSCRIBE, packet_id, subs, NULL, count, props,
                          buf, size);
}

int brisa_mqtt_unsubscribe_encode(const brisa_mqtt_codec *cx, uint16_t packet_id,
                                  const char *const *filters, size_t count,
                                  uint8_t *buf, size_t size)
{
    return brisa_mqtt_unsubscribe_encode_props(cx, packet_id, filters, count, NULL, buf,
                                               size);
}

int brisa_mqtt_unsubscribe_encode_props(const brisa_mqtt_codec *cx, uint16_t packet_id,
                                        const char *const *filters, size_t count,
                                        const brisa_mqtt_properties *props,
                                        uint8_t *buf, size_t size)
{
    if (!filters)
        return BRISA_ERR_INVALID_ARG;
    return encode_filters(cx, BRISA_MQTT_UNSUBSCRIBE, packet_id, NULL, filters, count, props,
                          buf, size);
}

/* SUBACK, and UNSUBACK (codes only in MQTT 5). */
static int encode_suback(const brisa_mqtt_codec *cx, uint8_t type,
                         const brisa_mqtt_suback_packet *p, uint8_t *buf, size_t size)
{
    int level = bri_mqtt_codec_level(cx);
    if (level < 0)
        return level;
    bool v5 = is_v5(level), codes = v5 || type == BRISA_MQTT_SUBACK;
    if (!p || p->packet_id == 0 || (codes && (p->count == 0 || !p->codes)))
        return BRISA_ERR_INVALID_ARG;
    size_t count = codes ? p->count : 0;
    if (count > BRISA_MQTT_MAX_REMAINING - 2 - props_size(level, &p->props))
        return BRISA_ERR_TOO_LARGE;
    for (size_t i = 0; i < count; i++)
        if (v5 ? !brisa_mqtt_reason_allowed(type, p->codes[i])
               : (p->codes[i] > 2 && p->codes[i] != BRISA_MQTT_SUBACK_FAILURE))
            return BRISA_ERR_INVALID_ARG;
    int err = props_ok(level, type == BRISA_MQTT_SUBACK ? BRISA_MQTT_IN_SUBACK
                                                        : BRISA_MQTT_IN_UNSUBACK, &p->props);
    if (err)
        return err;
    size_t total = 2 + props_size(level, &p->props) + count;
    writer w;
    int n = begin(&w, (uint8_t)(type << 4), total, total, buf, size);
    if (n < 0)
        return n;
    put_u16(&w, p->packet_id);
    put_props(&w, level, &p->props);
    put_raw(&w, p->codes, count);
    return n;
}

int brisa_mqtt_suback_encode(const brisa_mqtt_codec *cx, const brisa_mqtt_suback_packet *p,
                             uint8_t *buf, size_t size)
{
    return encode_suback(cx, BRISA_MQTT_SUBACK, p, buf, size);
}

int brisa_mqtt_unsuback_encode(const brisa_mqtt_codec *cx, const brisa_mqtt_suback_packet *p,
                               uint8_t *buf, size_t size)
{
    return encode_suback(cx, BRISA_MQTT_UNSUBACK, p, buf, size);
}

int brisa_mqtt_empty_encode(const brisa_mqtt_codec *cx, uint8_t type, uint8_t *buf,
                            size_t size)
{
    int level = bri_mqtt_codec_level(cx);
    if (level < 0)
        return level;
    if (type != BRISA_MQTT_PINGREQ && type != BRISA_MQTT_PINGRESP &&
        type != BRISA_MQTT_DISCONNECT)
        return BRISA_ERR_INVALID_ARG;
    writer w;
    return begin(&w, (uint8_t)(type << 4), 0, 0, buf, size);
}
