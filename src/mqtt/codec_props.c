// SPDX-License-Identifier: MIT
/* MQTT 5 properties: the one table of identifiers (coding, where each is
 * allowed, whether it may repeat), checking a raw block, walking it in
 * place and building one. */
#include <string.h>

#include "codec_internal.h"

#if BRISA_MQTT5

#define W(x) (1u << BRISA_MQTT_IN_##x)
#define W_ALL 0x7FFu
#define F_REPEAT 0x01u /* may appear more than once */
#define F_BOOL 0x02u   /* value 0 or 1 only */
#define F_NONZERO 0x04u

typedef struct prop_rule {
    uint8_t id, type, flags;
    uint16_t where;
} prop_rule;

/* MQTT 5.0 section 2.2.2.2, table 2-4. */
static const prop_rule rules[] = {
    { 0x01, BRISA_MQTT_PT_BYTE, F_BOOL, W(PUBLISH) | W(WILL) },
    { 0x02, BRISA_MQTT_PT_U32, 0, W(PUBLISH) | W(WILL) },
    { 0x03, BRISA_MQTT_PT_STR, 0, W(PUBLISH) | W(WILL) },
    { 0x08, BRISA_MQTT_PT_STR, 0, W(PUBLISH) | W(WILL) },
    { 0x09, BRISA_MQTT_PT_BIN, 0, W(PUBLISH) | W(WILL) },
    /* Repeats only in PUBLISH (one per matching subscription): see below. */
    { 0x0B, BRISA_MQTT_PT_VBI, F_NONZERO | F_REPEAT, W(PUBLISH) | W(SUBSCRIBE) },
    { 0x11, BRISA_MQTT_PT_U32, 0, W(CONNECT) | W(CONNACK) | W(DISCONNECT) },
    { 0x12, BRISA_MQTT_PT_STR, 0, W(CONNACK) },
    { 0x13, BRISA_MQTT_PT_U16, 0, W(CONNACK) },
    { 0x15, BRISA_MQTT_PT_STR, 0, W(CONNECT) | W(CONNACK) | W(AUTH) },
    { 0x16, BRISA_MQTT_PT_BIN, 0, W(CONNECT) | W(CONNACK) | W(AUTH) },
    { 0x17, BRISA_MQTT_PT_BYTE, F_BOOL, W(CONNECT) },
    { 0x18, BRISA_MQTT_PT_U32, 0, W(WILL) },
    { 0x19, BRISA_MQTT_PT_BYTE, F_BOOL, W(CONNECT) },
    { 0x1A, BRISA_MQTT_PT_STR, 0, W(CONNACK) },
    { 0x1C, BRISA_MQTT_PT_STR, 0, W(CONNACK) | W(DISCONNECT) },
    { 0x1F, BRISA_MQTT_PT_STR, 0,
      W(CONNACK) | W(ACK) | W(SUBACK) | W(UNSUBACK) | W(DISCONNECT) | W(AUTH) },
    { 0x21, BRISA_MQTT_PT_U16, F_NONZERO, W(CONNECT) | W(CONNACK) },
    { 0x22, BRISA_MQTT_PT_U16, 0, W(CONNECT) | W(CONNACK) },
    { 0x23, BRISA_MQTT_PT_U16, F_NONZERO, W(PUBLISH) },
    { 0x24, BRISA_MQTT_PT_BYTE, F_BOOL, W(CONNACK) },
    { 0x25, BRISA_MQTT_PT_BYTE, F_BOOL, W(CONNACK) },
    { 0x26, BRISA_MQTT_PT_PAIR, F_REPEAT, W_ALL },
    { 0x27, BRISA_MQTT_PT_U32, F_NONZERO, W(CONNECT) | W(CONNACK) },
    { 0x28, BRISA_MQTT_PT_BYTE, F_BOOL, W(CONNACK) },
    { 0x29, BRISA_MQTT_PT_BYTE, F_BOOL, W(CONNACK) },
    { 0x2A, BRISA_MQTT_PT_BYTE, F_BOOL, W(CONNACK) },
};

static const prop_rule *rule_of(uint8_t id)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (rules[i].id == id)
            return &rules[i];
    return NULL;
}

int brisa_mqtt_prop_type(uint8_t id)
{
    const prop_rule *r = rule_of(id);
    return r ? r->type : 0;
}

/* Reads a two-byte-length field at @p at of @p len bytes. */
static bool field_at(const uint8_t *b, size_t len, size_t *at, brisa_mqtt_bytes *out)
{
    if (len - *at < 2)
        return false;
    size_t n = ((size_t)b[*at] << 8) | b[*at + 1];
    if (len - *at - 2 < n)
        return false;
    out->data = b + *at + 2;
    out->len = n;
    *at += 2 + n;
    return true;
}

/* Bytes of a fixed-width integer property (big-endian), 0 for the
 * other codings. */
static size_t int_width(int type)
{
    return type == BRISA_MQTT_PT_BYTE ? 1 : type == BRISA_MQTT_PT_U16 ? 2
           : type == BRISA_MQTT_PT_U32 ? 4 : 0;
}

/* Parses one property at *@p at of a segment. Returns 1 with @p out
 * filled, 0 at the end, or BRISA_ERR_MALFORMED (unknown id, cut short,
 * a VBI over four bytes, invalid UTF-8). */
static int parse_one(const uint8_t *b, size_t len, size_t *at, brisa_mqtt_property *out,
                     const prop_rule **rule)
{
    if (*at >= len)
        return 0;
    memset(out, 0, sizeof *out);
    out->id = b[(*at)++];
    const prop_rule *r = rule_of(out->id);
    if (!r)
        return BRISA_ERR_MALFORMED;
    *rule = r;
    size_t left = len - *at, w = int_width(r->type);
    const uint8_t *p = b + *at;
    if (w) {
        if (left < w)
            return BRISA_ERR_MALFORMED;
        for (size_t k = 0; k < w; k++)
            out->value = out->value << 8 | p[k];
        *at += w;
        return 1;
    }
    if (r->type == BRISA_MQTT_PT_VBI) {
        int n = vbi_strict(p, left, &out->value);
        if (n <= 0)
            return BRISA_ERR_MALFORMED;
        *at += (size_t)n;
        return 1;
    }
    /* BIN, STR, PAIR: one or two length-prefixed fields; strings UTF-8
     * (an absent value2 is empty, so valid). */
    if (!field_at(b, len, at, &out->data) ||
        (r->type == BRISA_MQTT_PT_PAIR && !field_at(b, len, at, &out->value2)))
        return BRISA_ERR_MALFORMED;
    if (r->type != BRISA_MQTT_PT_BIN &&
        (!brisa_mqtt_utf8_valid(out->data.data, out->data.len) ||
         !brisa_mqtt_utf8_valid(out->value2.data, out->value2.len)))
        return BRISA_ERR_MALFORMED;
    return 1;
}

/* Checks one segment, remembering in *@p seen what appeared. */
static int check_segment(brisa_mqtt_prop_where where, const uint8_t *b, size_t len,
                         uint64_t *seen)
{
    size_t at = 0;
    brisa_mqtt_property pr;
    const prop_rule *r = NULL;
    int n;
    if (len && !b)
        return BRISA_ERR_MALFORMED;
    while ((n = parse_one(b, len, &at, &pr, &r)) > 0) {
        /* Section 2.2.2.2: an identifier not valid for its packet makes
         * the packet malformed; a repeat or a bad value is a protocol
         * error. */
        if (!(r->where & (1u << where)))
            return BRISA_ERR_MALFORMED;
        uint64_t bit = (uint64_t)1 << pr.id;
        bool repeat = (r->flags & F_REPEAT) &&
                      !(pr.id == BRISA_MQTT_PROP_SUBSCRIPTION_ID && where != BRISA_MQTT_IN_PUBLISH);
        if ((*seen & bit) && !repeat)
            return BRISA_ERR_PROTOCOL;
        *seen |= bit;
        if (((r->flags & F_BOOL) && pr.value > 1) || ((r->flags & F_NONZERO) && pr.value == 0))
            return BRISA_ERR_PROTOCOL;
        if (pr.id == BRISA_MQTT_PROP_RESPONSE_TOPIC &&
            !brisa_mqtt_topic_valid((const char *)pr.data.data, pr.data.len))
            return BRISA_ERR_PROTOCOL; /* [MQTT-3.3.2-14] */
    }
    return n;
}

brisa_err brisa_mqtt_props_check(brisa_mqtt_prop_where where, const brisa_mqtt_properties *pr)
{
    uint64_t seen = 0;
    if (!pr)
        return BRISA_OK;
    int err = check_segment(where, pr->data, pr->len, &seen);
    if (!err)
        err = check_segment(where, pr->extra, pr->extra_len, &seen);
    return err;
}

bool brisa_mqtt_prop_next(const brisa_mqtt_properties *pr, size_t *pos,
                          brisa_mqtt_property *out)
{
    const prop_rule *r;
    size_t at = *pos;
    if (at < pr->len) {
        if (parse_one(pr->data, pr->len, &at, out, &r) <= 0)
            return false;
        *pos = at;
        return true;
    }
    at -= pr->len;
    if (parse_one(pr->extra, pr->extra_len, &at, out, &r) <= 0)
        return false;
    *pos = at + pr->len;
    return true;
}

bool brisa_mqtt_prop_find(const brisa_mqtt_properties *pr, uint8_t id,
                          brisa_mqtt_property *out)
{
    size_t pos = 0;
    while (brisa_mqtt_prop_next(pr, &pos, out))
        if (out->id == id)
            return true;
    return false;
}

static int put_field(uint8_t *b, size_t *at, const brisa_mqtt_bytes *f, bool utf8)
{
    if (f->len && !f->data)
        return BRISA_ERR_INVALID_ARG;
    if (utf8 && !brisa_mqtt_utf8_valid(f->data, f->len))
        return BRISA_ERR_INVALID_ARG;
    b[(*at)++] = (uint8_t)(f->len >> 8);
    b[(*at)++] = (uint8_t)f->len;
    if (f->len)
        memcpy(b + *at, f->data, f->len);
    *at += f->len;
    return BRISA_OK;
}

brisa_err brisa_mqtt_prop_put(uint8_t *buf, size_t size, size_t *used,
                              const brisa_mqtt_property *p)
{
    const prop_rule *r = p ? rule_of(p->id) : NULL;
    if (!r || !used || *used > size)
        return BRISA_ERR_INVALID_ARG;
    uint32_t v = p->value;
    size_t w = int_width(r->type), need = 1 + w;
    if (w) {
        if (w < 4 && (v >> (8 * w)))
            return BRISA_ERR_TOO_LARGE;
    } else if (r->type == BRISA_MQTT_PT_VBI) {
        if (!brisa_mqtt_vbi_size(v))
            return BRISA_ERR_TOO_LARGE;
        need += brisa_mqtt_vbi_size(v);
    } else {
        bool pair = r->type == BRISA_MQTT_PT_PAIR;
        if (p->data.len > BRISA_MQTT_MAX_STRING ||
            (pair && p->value2.len > BRISA_MQTT_MAX_STRING))
            return BRISA_ERR_TOO_LARGE;
        need += 2 + p->data.len + (pair ? 2 + p->value2.len : 0);
    }
    if (!buf || size - *used < need)
        return BRISA_ERR_NO_SPACE;
    size_t at = *used;
    buf[at++] = p->id;
    int err = BRISA_OK;
    if (w) {
        while (w--)
            buf[at++] = (uint8_t)(v >> (8 * w));
    } else if (r->type == BRISA_MQTT_PT_VBI) {
        at += (size_t)brisa_mqtt_vbi_encode(v, buf + at, 4);
    } else {
        bool utf8 = r->type != BRISA_MQTT_PT_BIN;
        err = put_field(buf, &at, &p->data, utf8);
        if (!err && r->type == BRISA_MQTT_PT_PAIR)
            err = put_field(buf, &at, &p->value2, true);
    }
    if (!err)
        *used = at;
    return err;
}

#else /* !BRISA_MQTT5: 3.x has no properties; these only keep callers
       * linking (every call sits behind a false is_v5()). */

int brisa_mqtt_prop_type(uint8_t id)
{
    (void)id;
    return 0;
}

brisa_err brisa_mqtt_prop_put(uint8_t *buf, size_t size, size_t *used,
                              const brisa_mqtt_property *p)
{
    (void)buf, (void)size, (void)used, (void)p;
    return BRISA_ERR_UNSUPPORTED;
}

brisa_err brisa_mqtt_props_check(brisa_mqtt_prop_where where, const brisa_mqtt_properties *pr)
{
    (void)where, (void)pr;
    return BRISA_OK;
}

bool brisa_mqtt_prop_next(const brisa_mqtt_properties *pr, size_t *pos,
                          brisa_mqtt_property *out)
{
    (void)pr, (void)pos, (void)out;
    return false;
}

bool brisa_mqtt_prop_find(const brisa_mqtt_properties *pr, uint8_t id,
                          brisa_mqtt_property *out)
{
    (void)pr, (void)id, (void)out;
    return false;
}

#endif /* BRISA_MQTT5 */
