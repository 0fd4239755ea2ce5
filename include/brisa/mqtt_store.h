// SPDX-License-Identifier: MIT
/**
 * @file mqtt_store.h
 * Persistence of the MQTT client's in-flight state, so unacknowledged QoS
 * 1/2 messages survive a restart of the process (or a reboot).
 *
 * The store is an interface the caller implements (or takes from a port:
 * brisa_posix_store in posix_store.h); the core never allocates. The
 * client calls it as flows move:
 *  - our QoS 1/2 PUBLISH: store(PUBLISH) before it is first sent;
 *    (with its MQTT 5 properties, so a restored one goes out with them);
 *  - PUBREC received: store(PUBREL) replaces it (topic and payload gone);
 *  - PUBACK / PUBCOMP, or dropped (no session): remove;
 *  - an incoming QoS 2 PUBLISH: store(INCOMING) before it is delivered,
 *    removed at its PUBREL, so a resent copy after a restart is not
 *    delivered twice.
 * After a restart, brisa_mqtt_restore() reads everything back through
 * load(). A record is keyed by (packet_id, direction): store() replaces
 * the record with the same key.
 */
#ifndef BRISA_MQTT_STORE_H
#define BRISA_MQTT_STORE_H

#include "brisa/export.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

BRISA_BEGIN_DECLS

/** What a stored record stands for. */
typedef enum brisa_mqtt_record_kind {
    BRISA_MQTT_REC_PUBLISH = 1,  /**< our PUBLISH, awaiting PUBACK/PUBREC */
    BRISA_MQTT_REC_PUBREL = 2,   /**< our QoS 2 flow, awaiting PUBCOMP */
    BRISA_MQTT_REC_INCOMING = 3  /**< broker's QoS 2 id, delivered, awaiting PUBREL */
} brisa_mqtt_record_kind;

/** One record. Pointers are valid only during the call that hands it over. */
typedef struct brisa_mqtt_record {
    uint32_t seq;            /**< send order (resend in this order) */
    uint16_t packet_id;      /**< the flow's id (the record's key with kind) */
    uint8_t kind;            /**< brisa_mqtt_record_kind */
    uint8_t qos;             /**< PUBLISH: 1 or 2 */
    bool retain;             /**< PUBLISH */
    const char *topic;       /**< PUBLISH only, not NUL-terminated */
    size_t topic_len;        /**< bytes at topic */
    const uint8_t *payload;  /**< PUBLISH only */
    size_t payload_len;      /**< bytes at payload */
    const uint8_t *props;    /**< PUBLISH only: its MQTT 5 property block
                                  (without the length in front; none at 3.x)
                                  as the caller gave it */
    size_t props_len;        /**< bytes at props; 0: none */
} brisa_mqtt_record;

/** Called by load() once per valid record; a negative return stops the
 *  load and is handed back by it. */
typedef int (*brisa_mqtt_record_fn)(void *arg, const brisa_mqtt_record *r);

/** Durable storage of in-flight QoS 1/2 state: a context and functions
 *  (all NULL: none). Copied into the client's config; the context must
 *  outlive the client. */
typedef struct brisa_mqtt_store {
    void *ctx;  /**< passed to every function */
    /** Saves @p r durably (replacing the record with its key) before
     *  returning. Returns 0 or a negative brisa_err. */
    int (*store)(void *ctx, const brisa_mqtt_record *r);
    /** Forgets the record of @p packet_id (@p incoming: the broker's id).
     *  Returns 0 (also when there was none) or a negative brisa_err. */
    int (*remove)(void *ctx, uint16_t packet_id, bool incoming);
    /** Calls @p fn for every valid record, in any order. A damaged record
     *  is never handed over: the store reports it (BRISA_ERR_MALFORMED,
     *  after handing over the valid ones) and says where in its own way. */
    int (*load)(void *ctx, brisa_mqtt_record_fn fn, void *arg);
} brisa_mqtt_store;

BRISA_END_DECLS

#endif /* BRISA_MQTT_STORE_H */
