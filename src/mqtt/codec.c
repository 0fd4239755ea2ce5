// SPDX-License-Identifier: MIT
/* MQTT codec: framing (variable-byte integers, fixed header), flag rules
 * and the names of packets and CONNACK codes. */
#include <string.h>

#include "codec_internal.h"

int bri_mqtt_codec_level(const brisa_mqtt_codec *cx)
{
    int level = cx ? cx->level : 0;
    if (level == 0)
        return BRISA_MQTT_V311;
    if (level == BRISA_MQTT_V31 || level == BRISA_MQTT_V311 || is_v5(level))
        return level;
    return level == BRISA_MQTT_V5 ? BRISA_ERR_UNSUPPORTED : BRISA_ERR_INVALID_ARG;
}

size_t brisa_mqtt_vbi_size(uint32_t value)
{
    if (value < 128u)
        return 1;
    if (value < 16384u)
        return 2;
    if (value < 2097152u)
        return 3;
    return value <= BRISA_MQTT_MAX_REMAINING ? 4 : 0;
}

int brisa_mqtt_vbi_encode(uint32_t value, uint8_t *buf, size_t size)
{
    size_t n = brisa_mqtt_vbi_size(value);
    if (n == 0)
        return BRISA_ERR_TOO_LARGE;
    if (!buf || size < n)
        return BRISA_ERR_NO_SPACE;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = (uint8_t)(value & 0x7Fu);
        value >>= 7;
        buf[i] = i + 1 < n ? (uint8_t)(b | 0x80u) : b;
    }
    return (int)n;
}

int brisa_mqtt_vbi_decode(const uint8_t *buf, size_t len, uint32_t *value)
{
    uint32_t v = 0;
    for (size_t i = 0; i < 4; i++) {
        if (i >= len)
            return 0;
        v |= (uint32_t)(buf[i] & 0x7Fu) << (7 * i);
        if (!(buf[i] & 0x80u)) {
            *value = v;
            return (int)i + 1;
        }
    }
    return BRISA_ERR_MALFORMED;
}

bool bri_mqtt_flags_valid(int level, uint8_t type, uint8_t flags)
{
    switch (type) {
    case BRISA_MQTT_PUBLISH: {
        uint8_t qos = (uint8_t)((flags >> PF_QOS_SHIFT) & 3u);
        /* QoS 3 is reserved; DUP means nothing (and is forbidden) at QoS 0. */
        return qos != 3 && !(qos == 0 && (flags & PF_DUP));
    }
    case BRISA_MQTT_PUBREL:
    case BRISA_MQTT_SUBSCRIBE:
    case BRISA_MQTT_UNSUBSCRIBE:
        /* MQTT 3.1 set DUP on retransmitted QoS 1 control packets. */
        if (level == BRISA_MQTT_V31 && flags == (FLAGS_REQUIRED_0010 | PF_DUP))
            return true;
        return flags == FLAGS_REQUIRED_0010;
    case BRISA_MQTT_CONNECT:
    case BRISA_MQTT_CONNACK:
    case BRISA_MQTT_PUBACK:
    case BRISA_MQTT_PUBREC:
    case BRISA_MQTT_PUBCOMP:
    case BRISA_MQTT_SUBACK:
    case BRISA_MQTT_UNSUBACK:
    case BRISA_MQTT_PINGREQ:
    case BRISA_MQTT_PINGRESP:
    case BRISA_MQTT_DISCONNECT:
        return flags == 0;
    case BRISA_MQTT_AUTH:
        return is_v5(level) && flags == 0;
    default:
        return false;
    }
}

int brisa_mqtt_fixed_header_decode(const brisa_mqtt_codec *cx, const uint8_t *buf,
                                   size_t len, brisa_mqtt_fixed_header *fh)
{
    int level = bri_mqtt_codec_level(cx);
    if (level < 0)
        return level;
    if (!buf || len == 0)
        return 0;
    uint8_t type = (uint8_t)(buf[0] >> 4), flags = (uint8_t)(buf[0] & 0x0Fu);
    if (type == BRISA_MQTT_AUTH && !is_v5(level))
        return BRISA_ERR_MALFORMED; /* AUTH exists only in MQTT 5 */
    if (!bri_mqtt_flags_valid(level, type, flags))
        return BRISA_ERR_MALFORMED;
    uint32_t remaining;
    int n = brisa_mqtt_vbi_decode(buf + 1, len - 1, &remaining);
    if (n <= 0)
        return n;
    fh->type = type;
    fh->flags = flags;
    fh->header_len = (uint8_t)(1 + n);
    fh->remaining = remaining;
    return 1 + n;
}

int brisa_mqtt_packet_decode(const brisa_mqtt_codec *cx, const uint8_t *buf, size_t len,
                             brisa_mqtt_packet *p)
{
    brisa_mqtt_fixed_header fh;
    int n = brisa_mqtt_fixed_header_decode(cx, buf, len, &fh);
    if (n < 0)
        return n;
    /* A complete buffer was promised: ending inside the packet is malformed. */
    if (n == 0 || fh.remaining > len - (size_t)n)
        return BRISA_ERR_MALFORMED;
    int err = brisa_mqtt_body_decode(cx, buf[0], buf + n, fh.remaining, p);
    if (err < 0)
        return err;
    return n + (int)fh.remaining;
}

bool brisa_mqtt_filter_list_next(const brisa_mqtt_filter_list *l, size_t *pos,
                                 brisa_mqtt_str *filter, uint8_t *options)
{
    size_t at = *pos, extra = l->has_options ? 1 : 0;
    /* The list was validated when decoded; these checks only keep a list
     * built by hand from reading outside its bytes. */
    if (at + 2 > l->len)
        return false;
    size_t flen = ((size_t)l->data[at] << 8) | l->data[at + 1];
    if (flen > l->len - at - 2 || extra > l->len - at - 2 - flen)
        return false;
    filter->data = (const char *)(l->data + at + 2);
    filter->len = flen;
    if (options)
        *options = extra ? l->data[at + 2 + flen] : 0;
    *pos = at + 2 + flen + extra;
    return true;
}

#define SHARE_PREFIX "$share/"
#define SHARE_PREFIX_LEN 7u

bool bri_mqtt_shared_prefix(const char *f, size_t len)
{
    return len >= SHARE_PREFIX_LEN && memcmp(f, SHARE_PREFIX, SHARE_PREFIX_LEN) == 0;
}

bool bri_mqtt_shared_valid(const char *f, size_t len)
{
    if (!bri_mqtt_shared_prefix(f, len))
        return true;
    const char *name = f + SHARE_PREFIX_LEN;
    size_t rest = len - SHARE_PREFIX_LEN, n = 0;
    while (n < rest && name[n] != '/') {
        if (name[n] == '+' || name[n] == '#')
            return false;
        n++;
    }
    /* MQTT 5.0 section 4.8.2: "$share/" ShareName "/" TopicFilter. */
    return n > 0 && n + 1 < rest;
}

const char *bri_mqtt_nth_name(const char *names, unsigned i)
{
    while (i--)
        names += strlen(names) + 1;
    return names;
}

const char *brisa_mqtt_packet_name(int type)
{
    if (type < 0 || type > 15)
        return "UNKNOWN";
    return bri_mqtt_nth_name("RESERVED\0CONNECT\0CONNACK\0PUBLISH\0PUBACK\0PUBREC\0"
                               "PUBREL\0PUBCOMP\0SUBSCRIBE\0SUBACK\0UNSUBSCRIBE\0UNSUBACK\0"
                               "PINGREQ\0PINGRESP\0DISCONNECT\0AUTH",
                               (unsigned)type);
}

const char *brisa_mqtt_connack_str(int rc)
{
    if (rc < 0 || rc > BRISA_MQTT_CONNACK_NOT_AUTHORIZED)
        return "unknown return code";
    /* In the order of the codes, 0..5. */
    return bri_mqtt_nth_name("connection accepted\0unacceptable protocol version\0"
                               "identifier rejected\0server unavailable\0"
                               "bad user name or password\0not authorized",
                               (unsigned)rc);
}
