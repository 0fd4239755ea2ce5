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
 * BRISA_ERR_UNSUPPORTED for MQTT 5 (reserved until it is implemented),
 * BRISA_ERR_INVALID_ARG for anything else unknown.
 */
int brisa_mqtt_codec_level(const brisa_mqtt_codec *cx);

/* MQTT 5 property hooks. For 3.x there are no properties: they take no
 * bytes and decode to an empty block. MQTT 5 adds its length-prefixed
 * block here without touching the packet layouts. */
static inline size_t props_size(int level, const brisa_mqtt_properties *pr)
{
    (void)level;
    (void)pr;
    return 0;
}

static inline void props_clear(brisa_mqtt_properties *pr)
{
    pr->data = NULL;
    pr->len = 0;
}

/** True when @p flags are allowed for packet @p type at @p level (reserved
 *  bits, PUBLISH QoS and DUP). */
bool brisa_mqtt_flags_valid(int level, uint8_t type, uint8_t flags);

#endif /* BRISA_MQTT_CODEC_INTERNAL_H */
