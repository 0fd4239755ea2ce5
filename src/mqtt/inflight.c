// SPDX-License-Identifier: MIT
/* The in-flight table: the caller's array of slots, one per unfinished
 * flow. Linear scans: the table is small (tens of slots) by design. */
#include "client_internal.h"

bool bri_mqtt_kind_is_ours(uint8_t kind)
{
    return kind != IF_FREE && kind != IF_IN_PUBREL;
}

brisa_mqtt_inflight *bri_mqtt_inflight_find(brisa_mqtt_client *c, uint8_t kind,
                                              uint16_t packet_id)
{
    for (size_t i = 0; i < c->cfg.inflight_count; i++) {
        brisa_mqtt_inflight *f = &c->cfg.inflight[i];
        if (f->kind == kind && f->packet_id == packet_id)
            return f;
    }
    return NULL;
}

brisa_mqtt_inflight *bri_mqtt_inflight_take(brisa_mqtt_client *c, uint8_t kind)
{
    for (size_t i = 0; i < c->cfg.inflight_count; i++) {
        brisa_mqtt_inflight *f = &c->cfg.inflight[i];
        if (f->kind == IF_FREE) {
            bri_mqtt_inflight_free(f);
            f->kind = kind;
            f->seq = ++c->seq;
            return f;
        }
    }
    return NULL;
}

bool bri_mqtt_inflight_id_in_use(const brisa_mqtt_client *c, uint16_t id)
{
    for (size_t i = 0; i < c->cfg.inflight_count; i++) {
        const brisa_mqtt_inflight *f = &c->cfg.inflight[i];
        if (bri_mqtt_kind_is_ours(f->kind) && f->packet_id == id)
            return true;
    }
    return false;
}

uint16_t bri_mqtt_inflight_new_id(brisa_mqtt_client *c)
{
    /* The table has fewer slots than ids, so a free id is always found. */
    for (;;) {
        uint16_t id = c->next_packet_id;
        c->next_packet_id = (uint16_t)(id == 65535 ? 1 : id + 1);
        if (id != 0 && !bri_mqtt_inflight_id_in_use(c, id))
            return id;
    }
}

bool bri_mqtt_inflight_any_ours(const brisa_mqtt_client *c)
{
    for (size_t i = 0; i < c->cfg.inflight_count; i++)
        if (bri_mqtt_kind_is_ours(c->cfg.inflight[i].kind))
            return true;
    return false;
}

void bri_mqtt_inflight_free(brisa_mqtt_inflight *f)
{
    f->topic = NULL;
    f->payload = NULL;
    f->payload_len = 0;
    f->seq = 0;
    f->packet_id = 0;
    f->kind = IF_FREE;
    f->flags = 0;
#if BRISA_MQTT5
    f->props = NULL; /* never resent with another message's properties */
    f->props_len = 0;
#endif
}

void bri_mqtt_inflight_clear(brisa_mqtt_client *c, unsigned mask)
{
    for (size_t i = 0; i < c->cfg.inflight_count; i++) {
        brisa_mqtt_inflight *f = &c->cfg.inflight[i];
        if (f->kind == IF_FREE || !(mask & KIND_BIT(f->kind)))
            continue;
        bool dropped = (KINDS_PUBLISH & KIND_BIT(f->kind)) != 0;
        uint16_t id = f->packet_id;
        bri_mqtt_inflight_release(c, f);
        if (dropped) {
            brisa_mqtt_event e = { .type = BRISA_MQTT_EVT_DROPPED, .packet_id = id };
            bri_mqtt_event_emit(c, &e);
        }
    }
}

brisa_mqtt_inflight *bri_mqtt_inflight_next(brisa_mqtt_client *c, uint32_t after)
{
    brisa_mqtt_inflight *best = NULL;
    for (size_t i = 0; i < c->cfg.inflight_count; i++) {
        brisa_mqtt_inflight *f = &c->cfg.inflight[i];
        if (!(KINDS_PUBLISH & KIND_BIT(f->kind)) || f->seq <= after)
            continue;
        if (!best || f->seq < best->seq)
            best = f;
    }
    return best;
}
