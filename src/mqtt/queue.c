// SPDX-License-Identifier: MIT
/* The offline queue: a ring of the caller's slots holding publishes made
 * while the connection is down, sent in order once it is back. */
#include "brisa/mqtt_reconnect.h"

void brisa_mqtt_queue_init(brisa_mqtt_queue *q, brisa_mqtt_queued *slots, size_t cap,
                           brisa_mqtt_queue_policy policy)
{
    q->slots = slots;
    q->cap = slots ? cap : 0;
    q->head = 0;
    q->count = 0;
    q->policy = policy;
    q->dropped = 0;
}

static brisa_mqtt_queued *at(const brisa_mqtt_queue *q, size_t i)
{
    return &q->slots[(q->head + i) % q->cap];
}

/* Removes the oldest QoS 0 entry, closing the gap; false if none. */
static bool drop_oldest_qos0(brisa_mqtt_queue *q)
{
    for (size_t i = 0; i < q->count; i++) {
        if (at(q, i)->qos != 0)
            continue;
        for (; i + 1 < q->count; i++)
            *at(q, i) = *at(q, i + 1);
        q->count--;
        q->dropped++;
        return true;
    }
    return false;
}

brisa_err brisa_mqtt_queue_push(brisa_mqtt_queue *q, const brisa_mqtt_queued *m)
{
    if (q->cap == 0)
        return BRISA_ERR_BUSY;
    if (q->count == q->cap &&
        (q->policy != BRISA_MQTT_QUEUE_DROP_OLDEST_QOS0 || !drop_oldest_qos0(q)))
        return BRISA_ERR_BUSY;
    *at(q, q->count) = *m;
    q->count++;
    return BRISA_OK;
}

const brisa_mqtt_queued *brisa_mqtt_queue_peek(const brisa_mqtt_queue *q)
{
    return q->count ? at(q, 0) : NULL;
}

void brisa_mqtt_queue_pop(brisa_mqtt_queue *q)
{
    if (!q->count)
        return;
    q->head = (q->head + 1) % q->cap;
    q->count--;
}
