// SPDX-License-Identifier: MIT
/* Fuzz target: the MQTT packet decoder, every packet type.
 *
 * Input: one byte choosing the protocol level (bit 1 set: MQTT 5; else
 * even: 3.1.1, odd: 3.1), then a stream of packets. Each packet is
 * decoded three ways (whole, framed header + body, header-only PUBLISH
 * view with every prefix length); whatever decodes must encode back to
 * the same body bytes (MQTT 5 acks, DISCONNECT and AUTH: to the same
 * packet, which may be shorter), every property block must walk to its
 * end, and the topic helpers are run on what was found. Any disagreement
 * traps. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/mqtt_codec.h"

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond))                                                        \
            __builtin_trap();                                               \
    } while (0)

/* NUL-terminated copies of a decoded filter list, for the encoders. */
static char **filter_copies(const brisa_mqtt_filter_list *l, brisa_mqtt_subscription **subs)
{
    char **names = calloc(l->count, sizeof *names);
    *subs = calloc(l->count, sizeof **subs);
    CHECK(names && *subs);
    size_t pos = 0, i = 0;
    brisa_mqtt_str f;
    uint8_t opt;
    while (brisa_mqtt_filter_list_next(l, &pos, &f, &opt)) {
        CHECK(i < l->count);
        names[i] = malloc(f.len + 1);
        CHECK(names[i]);
        memcpy(names[i], f.data, f.len);
        names[i][f.len] = 0;
        CHECK(strlen(names[i]) == f.len); /* no U+0000 got through */
        CHECK(brisa_mqtt_filter_valid(f.data, f.len));
        (*subs)[i].filter = names[i];
        (*subs)[i].qos = opt;
        i++;
    }
    CHECK(i == l->count);
    return names;
}

static int reencode(const brisa_mqtt_codec *cx, const brisa_mqtt_packet *p, uint8_t *out,
                    size_t size)
{
    switch (p->type) {
    case BRISA_MQTT_CONNECT: {
        brisa_mqtt_codec own = { p->u.connect.level };
        return brisa_mqtt_connect_encode(&own, &p->u.connect, out, size);
    }
    case BRISA_MQTT_CONNACK:
        return brisa_mqtt_connack_encode(cx, &p->u.connack, out, size);
    case BRISA_MQTT_PUBLISH:
        return brisa_mqtt_publish_encode(cx, &p->u.publish, out, size);
    case BRISA_MQTT_PUBACK:
    case BRISA_MQTT_PUBREC:
    case BRISA_MQTT_PUBREL:
    case BRISA_MQTT_PUBCOMP:
        return brisa_mqtt_ack_encode(cx, p->type, &p->u.ack, out, size);
    case BRISA_MQTT_SUBSCRIBE:
    case BRISA_MQTT_UNSUBSCRIBE: {
        const brisa_mqtt_subscribe_packet *s = &p->u.subscribe;
        brisa_mqtt_subscription *subs;
        char **names = filter_copies(&s->filters, &subs);
        int n = p->type == BRISA_MQTT_SUBSCRIBE
                    ? brisa_mqtt_subscribe_encode_props(cx, s->packet_id, subs,
                                                        s->filters.count, &s->props, out, size)
                    : brisa_mqtt_unsubscribe_encode_props(cx, s->packet_id,
                                                          (const char *const *)names,
                                                          s->filters.count, &s->props, out,
                                                          size);
        for (size_t i = 0; i < s->filters.count; i++)
            free(names[i]);
        free(names);
        free(subs);
        return n;
    }
    case BRISA_MQTT_SUBACK:
        return brisa_mqtt_suback_encode(cx, &p->u.suback, out, size);
    case BRISA_MQTT_UNSUBACK:
        return brisa_mqtt_unsuback_encode(cx, &p->u.suback, out, size);
    case BRISA_MQTT_DISCONNECT:
    case BRISA_MQTT_AUTH:
        if (cx->level == BRISA_MQTT_V5)
            return brisa_mqtt_reason_encode(cx, p->type, &p->u.reason, out, size);
        return brisa_mqtt_empty_encode(cx, p->type, out, size);
    default:
        return brisa_mqtt_empty_encode(cx, p->type, out, size);
    }
}

/* The property block the packet carries, if any. */
static const brisa_mqtt_properties *props_of(const brisa_mqtt_packet *p)
{
    switch (p->type) {
    case BRISA_MQTT_CONNECT: return &p->u.connect.props;
    case BRISA_MQTT_CONNACK: return &p->u.connack.props;
    case BRISA_MQTT_PUBLISH: return &p->u.publish.props;
    case BRISA_MQTT_SUBSCRIBE:
    case BRISA_MQTT_UNSUBSCRIBE: return &p->u.subscribe.props;
    case BRISA_MQTT_SUBACK:
    case BRISA_MQTT_UNSUBACK: return &p->u.suback.props;
    case BRISA_MQTT_DISCONNECT:
    case BRISA_MQTT_AUTH: return &p->u.reason.props;
    case BRISA_MQTT_PINGREQ:
    case BRISA_MQTT_PINGRESP: return NULL;
    default: return &p->u.ack.props;
    }
}

/* A decoded block walks to its very end, one known property at a time. */
static void walk_props(const brisa_mqtt_properties *pr)
{
    size_t pos = 0, n = 0;
    brisa_mqtt_property prop;
    while (brisa_mqtt_prop_next(pr, &pos, &prop)) {
        CHECK(brisa_mqtt_prop_type(prop.id) > 0);
        n++;
    }
    CHECK(pos == pr->len);
    CHECK(n <= pr->len);
}

/* MQTT 5 acks, DISCONNECT and AUTH may leave out a zero reason code or an
 * empty property block: their re-encoding can be shorter. */
static bool may_shrink(const brisa_mqtt_codec *cx, uint8_t type)
{
    return cx->level == BRISA_MQTT_V5 &&
           ((type >= BRISA_MQTT_PUBACK && type <= BRISA_MQTT_PUBCOMP) ||
            type == BRISA_MQTT_DISCONNECT || type == BRISA_MQTT_AUTH);
}

static void check_packet(const brisa_mqtt_codec *cx, const uint8_t *pkt, size_t len,
                         size_t header_len, const brisa_mqtt_packet *p)
{
    const brisa_mqtt_properties *pr = props_of(p);
    if (pr)
        walk_props(pr);
    if (p->type == BRISA_MQTT_CONNECT && p->u.connect.has_will)
        walk_props(&p->u.connect.will_props);
    /* The same packet framed by hand decodes the same way. */
    brisa_mqtt_packet again;
    CHECK(brisa_mqtt_body_decode(cx, pkt[0], pkt + header_len, len - header_len, &again) == 0);
    CHECK(again.type == p->type);

    uint8_t *out = malloc(len + 8);
    CHECK(out);
    int n = reencode(cx, p, out, len + 8);
    CHECK(n > 0);
    brisa_mqtt_fixed_header fh;
    int hl = brisa_mqtt_fixed_header_decode(cx, out, (size_t)n, &fh);
    if (may_shrink(cx, p->type)) {
        brisa_mqtt_packet back;
        CHECK(brisa_mqtt_packet_decode(cx, out, (size_t)n, &back) == n);
        CHECK(back.type == p->type && (size_t)n <= len);
        if (p->type == BRISA_MQTT_DISCONNECT || p->type == BRISA_MQTT_AUTH)
            CHECK(back.u.reason.reason_code == p->u.reason.reason_code &&
                  back.u.reason.props.len == p->u.reason.props.len);
        else
            CHECK(back.u.ack.reason_code == p->u.ack.reason_code &&
                  back.u.ack.packet_id == p->u.ack.packet_id &&
                  back.u.ack.props.len == p->u.ack.props.len);
        free(out);
        return;
    }
    CHECK(hl > 0 && fh.remaining == len - header_len && (size_t)hl + fh.remaining == (size_t)n);
    /* MQTT 3.1's CONNACK first byte is unused, so it may not survive. */
    bool skip = cx->level == BRISA_MQTT_V31 && p->type == BRISA_MQTT_CONNACK;
    if (!skip)
        CHECK(memcmp(out + hl, pkt + header_len, fh.remaining) == 0);
    free(out);

    if (p->type == BRISA_MQTT_PUBLISH) {
        const brisa_mqtt_publish_packet *pub = &p->u.publish;
        brisa_mqtt_property alias;
        if (pub->topic.len == 0) {
            /* MQTT 5: the topic is a Topic Alias. */
            CHECK(cx->level == BRISA_MQTT_V5 &&
                  brisa_mqtt_prop_find(&pub->props, BRISA_MQTT_PROP_TOPIC_ALIAS, &alias));
        } else {
            CHECK(brisa_mqtt_topic_valid(pub->topic.data, pub->topic.len));
            CHECK(brisa_mqtt_topic_matches("#", 1, pub->topic.data, pub->topic.len) ==
                  (pub->topic.data[0] != '$'));
            CHECK(brisa_mqtt_topic_matches(pub->topic.data, pub->topic.len, pub->topic.data,
                                           pub->topic.len));
        }
        /* Header-only view over every prefix: "need more" until the topic
         * and id are there, then the same answer as the whole decode. */
        size_t body = len - header_len;
        for (size_t avail = 0; avail <= body; avail++) {
            brisa_mqtt_publish_packet h;
            int r = brisa_mqtt_publish_header_decode(cx, pkt[0], pkt + header_len, avail, body,
                                                     &h);
            CHECK(r >= 0);
            if (r > 0) {
                CHECK(h.packet_id == pub->packet_id && h.payload_len == pub->payload_len);
                break;
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    brisa_mqtt_codec cx = { (data[0] & 2)   ? BRISA_MQTT_V5
                            : (data[0] & 1) ? BRISA_MQTT_V31
                                            : BRISA_MQTT_V311 };
    data++;
    size--;
    while (size > 0) {
        brisa_mqtt_fixed_header fh;
        int hl = brisa_mqtt_fixed_header_decode(&cx, data, size, &fh);
        brisa_mqtt_packet p;
        int n = brisa_mqtt_packet_decode(&cx, data, size, &p);
        if (n <= 0) {
            CHECK(n < 0);
            return 0;
        }
        CHECK(hl > 0 && (size_t)n == (size_t)hl + fh.remaining && (size_t)n <= size);
        CHECK(p.type == fh.type);
        check_packet(&cx, data, (size_t)n, (size_t)hl, &p);
        data += n;
        size -= (size_t)n;
    }
    return 0;
}
