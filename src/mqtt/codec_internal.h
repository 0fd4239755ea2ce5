// SPDX-License-Identifier: MIT
/* Helpers shared by the MQTT codec's encode and decode halves. */
#ifndef BRISA_MQTT_CODEC_INTERNAL_H
#define BRISA_MQTT_CODEC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/mqtt_codec.h"

/* CONNECT flag bits (MQTT 3.1.1 section 3.1.2.3). */
#define CF_CLEAN 0x02u
#define CF_WILL 0x04u
#define CF_WILL_QOS_SHIFT 3
#define CF_WILL_RETAIN 0x20u
#define CF_PASSWORD 0x40u
#define CF_USERNAME 0x80u

/* PUBLISH flag bits of the fixed header. */
#define PF_RETAIN 0x01u
#define PF_QOS_SHIFT 1
#define PF_DUP 0x08u

/* Flags that PUBREL, SUBSCRIBE and UNSUBSCRIBE must carry. */
#define FLAGS_REQUIRED_0010 0x02u

/**
 * The protocol level a context stands for, or a negative brisa_err:
 * BRISA_ERR_UNSUPPORTED for MQTT 5 when it is not built,
 * BRISA_ERR_INVALID_ARG for anything else unknown.
 */
int bri_mqtt_codec_level(const brisa_mqtt_codec *cx);

/* True for MQTT 5; a constant false in a 3.1.1-only build, so the
 * compiler drops every MQTT 5 branch. */
static inline bool is_v5(int level)
{
    return BRISA_MQTT5 && level == BRISA_MQTT_V5;
}

/* A variable byte integer inside a packet body: like
 * brisa_mqtt_vbi_decode(), but one that is cut short or longer than its
 * value needs is malformed [MQTT-1.5.5-1]. Returns the bytes used or
 * BRISA_ERR_MALFORMED. */
static inline int vbi_strict(const uint8_t *buf, size_t len, uint32_t *value)
{
    int n = brisa_mqtt_vbi_decode(buf, len, value);
    return n > 0 && (size_t)n == brisa_mqtt_vbi_size(*value) ? n : BRISA_ERR_MALFORMED;
}

/* Total bytes of a property block's two segments. */
static inline size_t props_body(const brisa_mqtt_properties *pr)
{
    return pr ? pr->len + pr->extra_len : 0;
}

/* Bytes the property block takes on the wire with its length (none for
 * 3.x, which has no properties). */
static inline size_t props_size(int level, const brisa_mqtt_properties *pr)
{
    if (!is_v5(level))
        return 0;
    size_t n = props_body(pr);
    return brisa_mqtt_vbi_size((uint32_t)n) + n;
}

static inline void props_clear(brisa_mqtt_properties *pr)
{
    pr->data = NULL;
    pr->len = 0;
    pr->extra = NULL;
    pr->extra_len = 0;
}

/** The @p i-th of the NUL-separated names in @p names (one string, so a
 *  table of names costs no pointers). */
const char *bri_mqtt_nth_name(const char *names, unsigned i);

/** True when filter @p f starts with "$share/" (an MQTT 5 shared
 *  subscription). */
bool bri_mqtt_shared_prefix(const char *f, size_t len);

/** True unless @p f is a malformed shared subscription: it needs a share
 *  name without wildcards, then '/' and a non-empty filter. */
bool bri_mqtt_shared_valid(const char *f, size_t len);

/** True when @p flags are allowed for packet @p type at @p level (reserved
 *  bits, PUBLISH QoS and DUP). */
bool bri_mqtt_flags_valid(int level, uint8_t type, uint8_t flags);

#endif /* BRISA_MQTT_CODEC_INTERNAL_H */
