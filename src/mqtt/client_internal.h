// SPDX-License-Identifier: MIT
/* Internals shared by the MQTT client's files: client.c (API, timers),
 * client_io.c (sending, closing), client_rx.c (receiving, dispatch) and
 * inflight.c (the in-flight table). */
#ifndef BRISA_MQTT_CLIENT_INTERNAL_H
#define BRISA_MQTT_CLIENT_INTERNAL_H

#include "brisa/mqtt.h"
#include "brisa/mqtt_codec.h"

/* Connection states. */
enum {
    ST_IDLE = 0,     /* no connection (never opened, or closed) */
    ST_CONNECTING,   /* CONNECT sent, CONNACK awaited */
    ST_CONNECTED
};

/* Receive stages. */
enum {
    RX_HEADER = 0,   /* fixed header into rx_hdr */
    RX_BODY,         /* whole body into rx_buf */
    RX_PUB_HEAD,     /* PUBLISH larger than rx_buf: fill rx_buf once */
    RX_PUB_CHUNK     /* ...then the rest of its payload, chunk by chunk */
};

/* What an in-flight slot waits for. */
enum {
    IF_FREE = 0,
    IF_PUBACK,       /* our QoS 1 PUBLISH */
    IF_PUBREC,       /* our QoS 2 PUBLISH */
    IF_PUBCOMP,      /* our PUBREL */
    IF_SUBACK,
    IF_UNSUBACK,
    IF_IN_PUBREL     /* broker's QoS 2 PUBLISH, delivered */
};

#define IF_FLAG_QOS_MASK 0x03u
#define IF_FLAG_RETAIN 0x04u

/** True for the kinds that carry one of our own packet ids. */
bool bri_mqtt_kind_is_ours(uint8_t kind);

/** The slot of @p kind with @p packet_id, or NULL. */
brisa_mqtt_inflight *bri_mqtt_inflight_find(brisa_mqtt_client *c, uint8_t kind,
                                              uint16_t packet_id);

/** A free slot marked as @p kind with the next send sequence number, or
 *  NULL when the table is full. */
brisa_mqtt_inflight *bri_mqtt_inflight_take(brisa_mqtt_client *c, uint8_t kind);

/** True when one of our flows uses @p id. */
bool bri_mqtt_inflight_id_in_use(const brisa_mqtt_client *c, uint16_t id);

/** True when any of our own flows is unfinished. */
bool bri_mqtt_inflight_any_ours(const brisa_mqtt_client *c);

/** Picks the next packet id (never 0, wrapping, skipping ids in use). */
uint16_t bri_mqtt_inflight_new_id(brisa_mqtt_client *c);

/** Marks a slot free. */
void bri_mqtt_inflight_free(brisa_mqtt_inflight *f);

/** Saves the flow of @p f in cfg.store, if there is one (persist.c).
 *  Returns BRISA_OK or the store's error. */
int bri_mqtt_persist(brisa_mqtt_client *c, const brisa_mqtt_inflight *f);

/** Forgets the flow of @p f in cfg.store, if any, and frees the slot. */
void bri_mqtt_inflight_release(brisa_mqtt_client *c, brisa_mqtt_inflight *f);

/** Frees every slot of the kinds in @p mask (bit 1 << kind); PUBLISH
 *  flows dropped this way are reported as BRISA_MQTT_EVT_DROPPED. */
void bri_mqtt_inflight_clear(brisa_mqtt_client *c, unsigned mask);

/** The unfinished PUBLISH/PUBREL with the lowest sequence number above
 *  @p after, or NULL: walks the flows in the order they were sent. */
brisa_mqtt_inflight *bri_mqtt_inflight_next(brisa_mqtt_client *c, uint32_t after);

#define KIND_BIT(k) (1u << (k))
#define KINDS_PUBLISH (KIND_BIT(IF_PUBACK) | KIND_BIT(IF_PUBREC) | KIND_BIT(IF_PUBCOMP))
#define KINDS_ALL 0xFEu

/** The codec context of the connection. */
brisa_mqtt_codec bri_mqtt_client_codec(const brisa_mqtt_client *c);

uint64_t bri_mqtt_now(const brisa_mqtt_client *c);

/** Writes all of @p buf within io_timeout_ms. On failure the connection
 *  is closed (bri_mqtt_fail) and the error returned. */
int bri_mqtt_send_all(brisa_mqtt_client *c, const uint8_t *buf, size_t len, unsigned flags);

/** Hands @p t to on_trace, if set. */
void bri_mqtt_trace_emit(brisa_mqtt_client *c, const brisa_mqtt_trace *t);

/** Sends a PUBLISH: header from tx_buf, payload copied after it when both
 *  fit, else written straight from the caller's memory. MQTT 5: with
 *  @p props (may be NULL) and, when @p may_alias, a topic alias. */
int bri_mqtt_send_publish(brisa_mqtt_client *c, const char *topic, const void *payload,
                            size_t payload_len, uint8_t qos, bool retain, bool dup,
                            uint16_t packet_id, const brisa_mqtt_properties *props,
                            bool may_alias);

/* Encodes and sends a DISCONNECT or an MQTT 5 AUTH with @p reason and
 * @p props (may be NULL), traced. Returns BRISA_OK or an encoding or
 * sending error. */
int bri_mqtt_send_reason(brisa_mqtt_client *c, uint8_t type, uint8_t reason,
                         const brisa_mqtt_properties *props);

/** Sends PUBACK/PUBREC/PUBREL/PUBCOMP for @p packet_id, with MQTT 5
 *  reason code @p reason (0 for 3.x). */
int bri_mqtt_send_ack(brisa_mqtt_client *c, uint8_t type, uint16_t packet_id,
                        uint8_t reason);

/** bri_mqtt_fail_detail(), after telling an MQTT 5 server why with
 *  DISCONNECT @p reason (best effort; nothing is sent for 3.x). */
void bri_mqtt_abort(brisa_mqtt_client *c, int err, uint8_t packet_type, uint16_t packet_id,
                      uint8_t reason);

/** The DISCONNECT reason for a decoding error: 0x81 malformed, 0x82
 *  protocol error, 0x95 too large. */
uint8_t bri_mqtt_reason_for(int err);

/* ---- MQTT 5 (client_v5.c) ---- */

/** True when the connection speaks MQTT 5. */
static inline bool client_v5(const brisa_mqtt_client *c)
{
    return BRISA_MQTT5 && c->protocol_level == BRISA_MQTT_V5;
}

/** Builds the client's own CONNECT properties from @p o into @p buf
 *  (session expiry, limits, enhanced authentication's method and first
 *  data). Returns the length or a negative brisa_err. */
int bri_mqtt_v5_connect_props(brisa_mqtt_client *c, const brisa_mqtt_connect_options *o,
                                uint8_t *buf, size_t size);

/** Takes the server's limits from an accepted CONNACK (and checks the
 *  authentication's last word). Returns BRISA_OK or an error (the
 *  connection is then ended). */
int bri_mqtt_v5_connack(brisa_mqtt_client *c, const brisa_mqtt_connack_packet *p);

/** Checks a PUBLISH against the server's limits and its properties. */
int bri_mqtt_v5_publish_check(const brisa_mqtt_client *c, const void *payload,
                                size_t payload_len, uint8_t qos, bool retain,
                                const brisa_mqtt_properties *props);

/** Checks a SUBSCRIBE against what the server said it supports. */
int bri_mqtt_v5_subscribe_check(const brisa_mqtt_client *c,
                                  const brisa_mqtt_subscription *subs, size_t count,
                                  const brisa_mqtt_properties *props);

/** The alias for @p topic, 0 for none; *@p known says the server already
 *  has it (send the alias alone). */
uint16_t bri_mqtt_v5_alias(brisa_mqtt_client *c, const char *topic, size_t len,
                             bool *known);

/** An incoming PUBLISH's MQTT 5 checks: its topic alias (within the
 *  maximum we announced; a new one is remembered, an alias alone is
 *  replaced by its topic in @p p), our Receive Maximum for QoS 2.
 *  Returns BRISA_OK or the error the connection was ended with. */
int bri_mqtt_v5_publish_in(brisa_mqtt_client *c, brisa_mqtt_publish_packet *p);

/** Records or resolves @p p's topic alias. Returns false when the alias is
 *  invalid (0, above our maximum, or unknown with no topic). */
bool bri_mqtt_v5_alias_resolve(brisa_mqtt_client *c, brisa_mqtt_publish_packet *p);

/** The server's DISCONNECT: ends the connection, naming its reason. */
int bri_mqtt_v5_server_disconnect(brisa_mqtt_client *c, const brisa_mqtt_reason_packet *p);

/** The server's AUTH: the next step of enhanced authentication. */
int bri_mqtt_v5_auth_in(brisa_mqtt_client *c, const brisa_mqtt_reason_packet *p);

/** Sends a packet of @p len bytes already encoded in tx_buf, after
 *  tracing it. */
int bri_mqtt_send_encoded(brisa_mqtt_client *c, size_t len, const brisa_mqtt_trace *t);

/** Ends the connection because of @p err (0: asked for): closes the
 *  transport, forgets what cannot survive it and tells on_event. */
void bri_mqtt_fail(brisa_mqtt_client *c, int err);

/** bri_mqtt_fail() with the details brisa_mqtt_last_failure() reports:
 *  the packet at fault or waited for, its id, how long was waited. */
void bri_mqtt_fail_detail(brisa_mqtt_client *c, int err, uint8_t packet_type,
                            uint16_t packet_id, uint32_t waited_ms);

/** Reports an event to on_event, if set. */
void bri_mqtt_event_emit(brisa_mqtt_client *c, const brisa_mqtt_event *e);

/** Resets the receive state machine to expect a new packet. */
void bri_mqtt_rx_reset(brisa_mqtt_client *c);

/** One receive step waiting at most @p wait_ms. Returns 0 when nothing
 *  arrived, 1 when bytes arrived but no packet finished, 2 when a packet
 *  was handled, or a negative brisa_err (the connection is then closed). */
int bri_mqtt_rx_step(brisa_mqtt_client *c, uint32_t wait_ms);

/** Resends unfinished PUBLISH (DUP) and PUBREL in their original order. */
int bri_mqtt_resume(brisa_mqtt_client *c);

#endif /* BRISA_MQTT_CLIENT_INTERNAL_H */
