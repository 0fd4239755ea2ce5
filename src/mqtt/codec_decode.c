// SPDX-License-Identifier: MIT
/* MQTT codec, decoding half: packet bodies -> structs. Every read is
 * bounds-checked through a cursor; any rule broken gives
 * BRISA_ERR_MALFORMED. */
#include <string.h>

#include "codec_internal.h"

typedef struct cursor {
    const uint8_t *p;
    size_t left;
} cursor;

static bool get_u8(cursor *c, uint8_t *v)
{
    if (c->left < 1)
        return false;
    *v = c->p[0];
    c->p++;
    c->left--;
    return true;
}

static bool get_u16(cursor *c, uint16_t *v)
{
    if (c->left < 2)
        return false;
    *v = (uint16_t)((c->p[0] << 8) | c->p[1]);
    c->p += 2;
    c->left -= 2;
    return true;
}

static bool get_bytes(cursor *c, brisa_mqtt_bytes *b)
{
    uint16_t n;
    if (!get_u16(c, &n) || c->left < n)
        return false;
    b->data = c->p;
    b->len = n;
    c->p += n;
    c->left -= n;
    return true;
}

static bool get_str(cursor *c, brisa_mqtt_str *s)
{
    brisa_mqtt_bytes b;
    if (!get_bytes(c, &b) || !brisa_mqtt_utf8_valid(b.data, b.len))
        return false;
    s->data = (const char *)b.data;
    s->len = b.len;
    return true;
}

static bool get_packet_id(cursor *c, uint16_t *id)
{
    return get_u16(c, id) && *id != 0;
}

static bool str_is(const brisa_mqtt_str *s, const char *lit)
{
    size_t n = strlen(lit);
    return s->len == n && memcmp(s->data, lit, n) == 0;
}

/* Reads an MQTT 5 property block (length, then the properties) and
 * checks it for @p where. */
static int get_props(cursor *c, brisa_mqtt_prop_where where, brisa_mqtt_properties *pr)
{
    uint32_t n;
    int hl = vbi_strict(c->p, c->left, &n);
    if (hl <= 0 || n > c->left - (size_t)hl)
        return BRISA_ERR_MALFORMED;
    props_clear(pr);
    pr->data = c->p + hl;
    pr->len = n;
    c->p += (size_t)hl + n;
    c->left -= (size_t)hl + n;
    return brisa_mqtt_props_check(where, pr);
}

/* MQTT 5 only: the properties when @p level is 5, else nothing read. */
static int get_props_v5(int level, cursor *c, brisa_mqtt_prop_where where,
                        brisa_mqtt_properties *pr)
{
    return is_v5(level) ? get_props(c, where, pr) : BRISA_OK;
}

/* MQTT 5 reason code of @p type at the cursor, checked against the
 * packet's list. */
static int get_reason(cursor *c, uint8_t type, uint8_t *rc)
{
    if (!get_u8(c, rc))
        return BRISA_ERR_MALFORMED;
    return brisa_mqtt_reason_allowed(type, *rc) ? BRISA_OK : BRISA_ERR_MALFORMED;
}

/* The optional tail of MQTT 5 acks, DISCONNECT and AUTH: nothing (reason
 * 0), a reason code, or a reason code and properties. */
static int get_reason_tail(cursor *c, uint8_t type, brisa_mqtt_prop_where where,
                           uint8_t *rc, brisa_mqtt_properties *pr)
{
    *rc = 0;
    if (c->left == 0)
        return BRISA_OK;
    int err = get_reason(c, type, rc);
    if (!err && c->left)
        err = get_props(c, where, pr);
    if (!err && c->left)
        err = BRISA_ERR_MALFORMED;
    return err;
}

static int decode_connect(cursor *c, brisa_mqtt_connect_packet *p)
{
    brisa_mqtt_str name;
    uint8_t level, flags;
    memset(p, 0, sizeof *p);
    if (!get_str(c, &name) || !get_u8(c, &level))
        return BRISA_ERR_MALFORMED;
    /* A known name with an unknown level is well-formed: a broker answers
     * it with CONNACK 1, so it is told apart from garbage. */
    if (str_is(&name, "MQTT")) {
        if (level != BRISA_MQTT_V311 && !is_v5(level))
            return BRISA_ERR_UNSUPPORTED;
    } else if (str_is(&name, "MQIsdp")) {
        if (level != BRISA_MQTT_V31)
            return BRISA_ERR_UNSUPPORTED;
    } else {
        return BRISA_ERR_MALFORMED;
    }
    p->level = level;
    if (!get_u8(c, &flags) || (flags & 0x01u))
        return BRISA_ERR_MALFORMED;
    p->clean_session = (flags & CF_CLEAN) != 0;
    p->has_will = (flags & CF_WILL) != 0;
    p->will_qos = (uint8_t)((flags >> CF_WILL_QOS_SHIFT) & 3u);
    p->will_retain = (flags & CF_WILL_RETAIN) != 0;
    p->has_username = (flags & CF_USERNAME) != 0;
    p->has_password = (flags & CF_PASSWORD) != 0;
    if (p->will_qos == 3 || (!p->has_will && (p->will_qos || p->will_retain)))
        return BRISA_ERR_MALFORMED;
    if (p->has_password && !p->has_username && !is_v5(level))
        return BRISA_ERR_MALFORMED; /* MQTT 5 allows a password alone */
    if (!get_u16(c, &p->keepalive_s))
        return BRISA_ERR_MALFORMED;
    int err = get_props_v5(level, c, BRISA_MQTT_IN_CONNECT, &p->props);
    if (err)
        return err;
    if (!get_str(c, &p->client_id))
        return BRISA_ERR_MALFORMED;
    if (p->has_will) {
        if ((err = get_props_v5(level, c, BRISA_MQTT_IN_WILL, &p->will_props)) != 0)
            return err;
        if (!get_str(c, &p->will_topic) ||
            !brisa_mqtt_topic_valid(p->will_topic.data, p->will_topic.len) ||
            !get_bytes(c, &p->will_payload))
            return BRISA_ERR_MALFORMED;
    }
    if (p->has_username && !get_str(c, &p->username))
        return BRISA_ERR_MALFORMED;
    if (p->has_password && !get_bytes(c, &p->password))
        return BRISA_ERR_MALFORMED;
    return c->left == 0 ? BRISA_OK : BRISA_ERR_MALFORMED;
}

static int decode_connack(int level, cursor *c, brisa_mqtt_connack_packet *p)
{
    uint8_t ack_flags, rc;
    memset(p, 0, sizeof *p);
    bool v5 = is_v5(level);
    if (!get_u8(c, &ack_flags) || !get_u8(c, &rc))
        return BRISA_ERR_MALFORMED;
    /* 3.x: 6..255 are reserved; MQTT 5: the codes of its table. */
    if (v5 ? !brisa_mqtt_reason_allowed(BRISA_MQTT_CONNACK, rc)
           : rc > BRISA_MQTT_CONNACK_NOT_AUTHORIZED)
        return BRISA_ERR_MALFORMED;
    int err = get_props_v5(level, c, BRISA_MQTT_IN_CONNACK, &p->props);
    if (err || c->left)
        return err ? err : BRISA_ERR_MALFORMED;
    p->return_code = rc;
    /* 3.1 had no session present flag; the byte is unused. */
    if (level == BRISA_MQTT_V31)
        return BRISA_OK;
    if (ack_flags & 0xFEu)
        return BRISA_ERR_MALFORMED;
    p->session_present = ack_flags & 1u;
    /* No session with a refusal: [MQTT-3.2.2-4], and [MQTT-3.2.2-6] for
     * MQTT 5, whose only accepting code is 0 as well. */
    return p->session_present && rc != 0 ? BRISA_ERR_MALFORMED : BRISA_OK;
}

int brisa_mqtt_publish_header_decode(const brisa_mqtt_codec *cx, uint8_t first_byte,
                                     const uint8_t *body, size_t avail, size_t remaining,
                                     brisa_mqtt_publish_packet *p)
{
    int level = bri_mqtt_codec_level(cx);
    if (level < 0)
        return level;
    uint8_t flags = (uint8_t)(first_byte & 0x0Fu);
    if ((first_byte >> 4) != BRISA_MQTT_PUBLISH ||
        !bri_mqtt_flags_valid(level, BRISA_MQTT_PUBLISH, flags))
        return BRISA_ERR_MALFORMED;
    if (avail > remaining)
        avail = remaining;
    memset(p, 0, sizeof *p);
    p->qos = (uint8_t)((flags >> PF_QOS_SHIFT) & 3u);
    p->dup = (flags & PF_DUP) != 0;
    p->retain = (flags & PF_RETAIN) != 0;
    size_t id_len = p->qos ? 2 : 0;
    if (avail < 2)
        return remaining < 2 ? BRISA_ERR_MALFORMED : 0;
    size_t topic_len = ((size_t)body[0] << 8) | body[1];
    size_t header = 2 + topic_len + id_len;
    if (header > remaining)
        return BRISA_ERR_MALFORMED;
    if (header > avail)
        return 0;
    p->topic.data = (const char *)(body + 2);
    p->topic.len = topic_len;
    /* MQTT 5: an empty topic stands for a Topic Alias, checked below. */
    if (!(is_v5(level) && topic_len == 0) &&
        !brisa_mqtt_topic_valid(p->topic.data, p->topic.len))
        return BRISA_ERR_MALFORMED;
    if (p->qos) {
        p->packet_id = (uint16_t)((body[2 + topic_len] << 8) | body[3 + topic_len]);
        if (p->packet_id == 0)
            return BRISA_ERR_MALFORMED;
    }
    props_clear(&p->props);
    if (is_v5(level)) {
        uint32_t plen;
        int hl = brisa_mqtt_vbi_decode(body + header, avail - header, &plen);
        if (hl == 0 && avail < remaining)
            return 0;
        /* Cut short for good, over four bytes or longer than its value
         * needs [MQTT-1.5.5-1], or past the packet. */
        if (hl <= 0 || (size_t)hl != brisa_mqtt_vbi_size(plen) ||
            plen > remaining - header - (size_t)hl)
            return BRISA_ERR_MALFORMED;
        if (header + (size_t)hl + plen > avail)
            return 0;
        p->props.data = body + header + hl;
        p->props.len = plen;
        header += (size_t)hl + plen;
        int err = brisa_mqtt_props_check(BRISA_MQTT_IN_PUBLISH, &p->props);
        if (err)
            return err;
        brisa_mqtt_property alias;
        if (topic_len == 0 &&
            !brisa_mqtt_prop_find(&p->props, BRISA_MQTT_PROP_TOPIC_ALIAS, &alias))
            return BRISA_ERR_PROTOCOL; /* [MQTT-3.3.4-?]: no topic at all */
    }
    p->payload = body + header;
    p->payload_len = remaining - header;
    return (int)header;
}

/* MQTT 5 subscription options: reserved bits clear, QoS and retain
 * handling not 3, no No Local on a shared subscription [MQTT-3.8.3-4]. */
static int options_check_v5(uint8_t opt, const brisa_mqtt_str *f)
{
    if ((opt & 0xC0u) || (opt & 3u) == 3u || ((opt >> 4) & 3u) == 3u)
        return BRISA_ERR_MALFORMED;
    if ((opt & BRISA_MQTT_SUB_NO_LOCAL) && bri_mqtt_shared_prefix(f->data, f->len))
        return BRISA_ERR_PROTOCOL;
    return BRISA_OK;
}

static int decode_filters(int level, cursor *c, bool with_options,
                          brisa_mqtt_filter_list *l)
{
    l->data = c->p;
    l->len = c->left;
    l->count = 0;
    l->has_options = with_options;
    while (c->left > 0) {
        brisa_mqtt_str f;
        if (!get_str(c, &f) || !brisa_mqtt_filter_valid(f.data, f.len) ||
            (is_v5(level) && !bri_mqtt_shared_valid(f.data, f.len)))
            return BRISA_ERR_MALFORMED;
        if (with_options) {
            uint8_t opt;
            if (!get_u8(c, &opt))
                return BRISA_ERR_MALFORMED;
            int err = is_v5(level) ? options_check_v5(opt, &f) : BRISA_OK;
            if (err)
                return err;
            /* 3.x: only the requested QoS, 0..2; the rest is reserved. */
            if (!is_v5(level) && opt > 2)
                return BRISA_ERR_MALFORMED;
        }
        l->count++;
    }
    return l->count ? BRISA_OK : BRISA_ERR_MALFORMED;
}

static int decode_subscribe(int level, cursor *c, bool with_options,
                            brisa_mqtt_subscribe_packet *p)
{
    memset(p, 0, sizeof *p);
    if (!get_packet_id(c, &p->packet_id))
        return BRISA_ERR_MALFORMED;
    int err = get_props_v5(level, c,
                           with_options ? BRISA_MQTT_IN_SUBSCRIBE : BRISA_MQTT_IN_UNSUBSCRIBE,
                           &p->props);
    return err ? err : decode_filters(level, c, with_options, &p->filters);
}

static int decode_suback(int level, cursor *c, uint8_t type, brisa_mqtt_suback_packet *p)
{
    memset(p, 0, sizeof *p);
    if (!get_packet_id(c, &p->packet_id))
        return BRISA_ERR_MALFORMED;
    bool v5 = is_v5(level);
    int err = get_props_v5(level, c,
                           type == BRISA_MQTT_SUBACK ? BRISA_MQTT_IN_SUBACK : BRISA_MQTT_IN_UNSUBACK,
                           &p->props);
    if (err)
        return err;
    /* MQTT 3.x UNSUBACK has no codes; MQTT 5's has one per filter. */
    if (type == BRISA_MQTT_UNSUBACK && !v5)
        return c->left == 0 ? BRISA_OK : BRISA_ERR_MALFORMED;
    if (c->left == 0)
        return BRISA_ERR_MALFORMED;
    for (size_t i = 0; i < c->left; i++) {
        uint8_t rc = c->p[i];
        if (v5 ? !brisa_mqtt_reason_allowed(type, rc)
               : (rc > 2 && rc != BRISA_MQTT_SUBACK_FAILURE))
            return BRISA_ERR_MALFORMED;
    }
    p->codes = c->p;
    p->count = c->left;
    return BRISA_OK;
}

static int decode_ack(int level, cursor *c, uint8_t type, brisa_mqtt_ack_packet *p)
{
    memset(p, 0, sizeof *p);
    if (!get_packet_id(c, &p->packet_id))
        return BRISA_ERR_MALFORMED;
    if (is_v5(level))
        return get_reason_tail(c, type, BRISA_MQTT_IN_ACK, &p->reason_code, &p->props);
    return c->left == 0 ? BRISA_OK : BRISA_ERR_MALFORMED;
}

/* MQTT 5 DISCONNECT and AUTH. */
static int decode_reason(cursor *c, uint8_t type, brisa_mqtt_reason_packet *p)
{
    memset(p, 0, sizeof *p);
    int err = get_reason_tail(c, type,
                              type == BRISA_MQTT_AUTH ? BRISA_MQTT_IN_AUTH : BRISA_MQTT_IN_DISCONNECT,
                              &p->reason_code, &p->props);
    brisa_mqtt_property m;
    /* Section 3.15.2.2.2: an AUTH that goes on names its method. */
    if (!err && type == BRISA_MQTT_AUTH && p->reason_code != 0 &&
        !brisa_mqtt_prop_find(&p->props, BRISA_MQTT_PROP_AUTH_METHOD, &m))
        err = BRISA_ERR_PROTOCOL;
    return err;
}

brisa_err brisa_mqtt_body_decode(const brisa_mqtt_codec *cx, uint8_t first_byte,
                                 const uint8_t *body, size_t len, brisa_mqtt_packet *p)
{
    int level = bri_mqtt_codec_level(cx);
    if (level < 0)
        return level;
    if (!body && len)
        return BRISA_ERR_INVALID_ARG;
    uint8_t type = (uint8_t)(first_byte >> 4), flags = (uint8_t)(first_byte & 0x0Fu);
    if (!bri_mqtt_flags_valid(level, type, flags))
        return BRISA_ERR_MALFORMED;
    memset(p, 0, sizeof *p);
    p->type = type;
    p->flags = flags;
    cursor c = { body, len };
    switch (type) {
    case BRISA_MQTT_CONNECT:
        return decode_connect(&c, &p->u.connect);
    case BRISA_MQTT_CONNACK:
        return decode_connack(level, &c, &p->u.connack);
    case BRISA_MQTT_PUBLISH: {
        int n = brisa_mqtt_publish_header_decode(cx, first_byte, body, len, len,
                                                 &p->u.publish);
        /* The whole body is here, so "need more" cannot happen. */
        return n > 0 ? BRISA_OK : (n < 0 ? n : BRISA_ERR_MALFORMED);
    }
    case BRISA_MQTT_PUBACK:
    case BRISA_MQTT_PUBREC:
    case BRISA_MQTT_PUBREL:
    case BRISA_MQTT_PUBCOMP:
        return decode_ack(level, &c, type, &p->u.ack);
    case BRISA_MQTT_SUBSCRIBE:
        return decode_subscribe(level, &c, true, &p->u.subscribe);
    case BRISA_MQTT_UNSUBSCRIBE:
        return decode_subscribe(level, &c, false, &p->u.subscribe);
    case BRISA_MQTT_SUBACK:
    case BRISA_MQTT_UNSUBACK:
        return decode_suback(level, &c, type, &p->u.suback);
    case BRISA_MQTT_DISCONNECT:
    case BRISA_MQTT_AUTH:
        if (is_v5(level))
            return decode_reason(&c, type, &p->u.reason);
        return len == 0 ? BRISA_OK : BRISA_ERR_MALFORMED;
    case BRISA_MQTT_PINGREQ:
    case BRISA_MQTT_PINGRESP:
        return len == 0 ? BRISA_OK : BRISA_ERR_MALFORMED;
    default:
        return BRISA_ERR_MALFORMED;
    }
}
