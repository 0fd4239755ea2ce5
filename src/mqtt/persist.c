// SPDX-License-Identifier: MIT
/* MQTT client: keeping in-flight flows in the caller's store (mqtt_store.h)
 * as they move, and reading them back after a restart. */
#include <string.h>

#include "client_internal.h"

static bool has_store(const brisa_mqtt_client *c)
{
    return c->cfg.store.store != NULL;
}

/* The record kind of an in-flight slot's kind (0: not persisted). */
static uint8_t record_kind(uint8_t kind)
{
    switch (kind) {
    case IF_PUBACK:
    case IF_PUBREC:
        return BRISA_MQTT_REC_PUBLISH;
    case IF_PUBCOMP:
        return BRISA_MQTT_REC_PUBREL;
    case IF_IN_PUBREL:
        return BRISA_MQTT_REC_INCOMING;
    default:
        return 0;
    }
}

int bri_mqtt_persist(brisa_mqtt_client *c, const brisa_mqtt_inflight *f)
{
    uint8_t rk = record_kind(f->kind);
    if (!has_store(c) || rk == 0)
        return BRISA_OK;
    brisa_mqtt_record r = {
        .seq = f->seq, .packet_id = f->packet_id, .kind = rk,
        .qos = (uint8_t)(f->flags & IF_FLAG_QOS_MASK),
        .retain = (f->flags & IF_FLAG_RETAIN) != 0,
    };
    if (rk == BRISA_MQTT_REC_PUBLISH) {
        r.topic = f->topic;
        r.topic_len = strlen(f->topic);
        r.payload = f->payload;
        r.payload_len = f->payload_len;
#if BRISA_MQTT5
        r.props = f->props;
        r.props_len = f->props_len;
#endif
    }
    int err = c->cfg.store.store(c->cfg.store.ctx, &r);
    return err < 0 ? err : BRISA_OK;
}

void bri_mqtt_inflight_release(brisa_mqtt_client *c, brisa_mqtt_inflight *f)
{
    /* A failed remove leaves a record that a restart would resend: a
     * duplicate QoS 1 at worst, which QoS 1 allows; nothing to report. */
    if (has_store(c) && record_kind(f->kind) != 0 && c->cfg.store.remove)
        (void)c->cfg.store.remove(c->cfg.store.ctx, f->packet_id, f->kind == IF_IN_PUBREL);
    bri_mqtt_inflight_free(f);
}

typedef struct restore_ctx {
    brisa_mqtt_client *c;
    uint8_t *arena;
    size_t size, used;
    int restored;
} restore_ctx;

static int restore_one(void *arg, const brisa_mqtt_record *r)
{
    restore_ctx *rc = arg;
    brisa_mqtt_client *c = rc->c;
    uint8_t kind;
    switch (r->kind) {
    case BRISA_MQTT_REC_PUBLISH:
        if (r->qos < 1 || r->qos > 2 || !r->topic || (r->payload_len && !r->payload))
            return BRISA_ERR_MALFORMED;
        kind = r->qos == 1 ? IF_PUBACK : IF_PUBREC;
        break;
    case BRISA_MQTT_REC_PUBREL:
        kind = IF_PUBCOMP;
        break;
    case BRISA_MQTT_REC_INCOMING:
        kind = IF_IN_PUBREL;
        break;
    default:
        return BRISA_ERR_MALFORMED;
    }
    if (r->packet_id == 0)
        return BRISA_ERR_MALFORMED;
    if (bri_mqtt_inflight_find(c, kind, r->packet_id))
        return BRISA_OK; /* already there (restore called twice) */
    size_t need = 0, props_len = 0;
#if BRISA_MQTT5
    brisa_mqtt_properties pr = { r->props, r->props_len, NULL, 0 };
    brisa_mqtt_property alias;
    /* Checked as the decoder would: a store is outside the core's trust;
     * aliases live for one connection and are never stored. */
    if (brisa_mqtt_props_check(BRISA_MQTT_IN_PUBLISH, &pr) ||
        brisa_mqtt_prop_find(&pr, BRISA_MQTT_PROP_TOPIC_ALIAS, &alias))
        return BRISA_ERR_MALFORMED;
    props_len = r->props_len;
#endif
    if (kind == IF_PUBACK || kind == IF_PUBREC) {
        need = r->topic_len + 1 + r->payload_len + props_len;
        if (need > rc->size - rc->used)
            return BRISA_ERR_NO_SPACE;
    }
    brisa_mqtt_inflight *f = bri_mqtt_inflight_take(c, kind);
    if (!f)
        return BRISA_ERR_BUSY;
    f->packet_id = r->packet_id;
    f->seq = r->seq;
    if (r->seq > c->seq)
        c->seq = r->seq;
    if (need) {
        char *topic = (char *)rc->arena + rc->used;
        memcpy(topic, r->topic, r->topic_len);
        topic[r->topic_len] = '\0';
        uint8_t *payload = (uint8_t *)topic + r->topic_len + 1;
        if (r->payload_len)
            memcpy(payload, r->payload, r->payload_len);
        rc->used += need;
        f->topic = topic;
        f->payload = payload;
        f->payload_len = r->payload_len;
#if BRISA_MQTT5
        if (props_len)
            memcpy(payload + r->payload_len, r->props, props_len);
        f->props = props_len ? payload + r->payload_len : NULL;
        f->props_len = props_len;
#endif
        f->flags = (uint8_t)(r->qos | (r->retain ? IF_FLAG_RETAIN : 0));
    }
    rc->restored++;
    return BRISA_OK;
}

brisa_err brisa_mqtt_set_store(brisa_mqtt_client *c, const brisa_mqtt_store *store)
{
    if (!c)
        return BRISA_ERR_INVALID_ARG;
    if (c->state != ST_IDLE || c->in_process)
        return BRISA_ERR_STATE;
    if (store)
        c->cfg.store = *store;
    else
        memset(&c->cfg.store, 0, sizeof c->cfg.store);
    return BRISA_OK;
}

int brisa_mqtt_restore(brisa_mqtt_client *c, uint8_t *arena, size_t arena_size)
{
    if (!c || (arena_size && !arena))
        return BRISA_ERR_INVALID_ARG;
    if (c->state != ST_IDLE || c->in_process)
        return BRISA_ERR_STATE;
    if (!has_store(c) || !c->cfg.store.load)
        return 0;
    restore_ctx rc = { .c = c, .arena = arena, .size = arena_size };
    int err = c->cfg.store.load(c->cfg.store.ctx, restore_one, &rc);
    return err < 0 ? err : rc.restored;
}

const brisa_mqtt_failure *brisa_mqtt_last_failure(const brisa_mqtt_client *c)
{
    return c ? &c->failure : NULL;
}
