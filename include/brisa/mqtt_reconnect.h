// SPDX-License-Identifier: MIT
/**
 * @file mqtt_reconnect.h
 * Connections that survive: reconnection with backoff, and a bounded
 * queue for publishes made while the connection is down.
 *
 * Freestanding, like the client. The service owns no socket: it asks the
 * caller's open() for a fresh transport (TCP, TLS over TCP, ...) each
 * time, then runs CONNECT over it. Between attempts it waits with
 * exponential backoff and full jitter: attempt n waits a uniformly random
 * time in [0, min(max_delay, min_delay x 2^n)] (drawn from the rng
 * interface), so a fleet that lost its broker together does not come back
 * together. A connection that stayed up stable_ms resets n to 0.
 *
 * The application is told each step through the client's on_event:
 * BRISA_MQTT_EVT_LOST (err: the cause), BRISA_MQTT_EVT_RECONNECTING
 * (delay_ms), BRISA_MQTT_EVT_RECONNECTED (connack.session_present). With a
 * session present the client resends unacknowledged QoS 1/2 PUBLISH with
 * DUP in order and PUBREL for flows in their second half; without one,
 * each lost flow is reported as BRISA_MQTT_EVT_DROPPED with its id, and
 * the service subscribes again to the filters it was given.
 *
 * @code
 * brisa_mqtt_reconnect r;
 * brisa_mqtt_reconnect_config rc = { .client = &client, .connect = &opts,
 *     .open = open_tcp, .rng = rng, .sleep_ms = my_sleep };
 * brisa_mqtt_reconnect_init(&r, &rc);
 * brisa_mqtt_reconnect_start(&r);
 * for (;;)
 *     brisa_mqtt_reconnect_process(&r, 100);   // never returns for a lost link
 * @endcode
 */
#ifndef BRISA_MQTT_RECONNECT_H
#define BRISA_MQTT_RECONNECT_H

#include "brisa/err.h"
#include "brisa/export.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/mqtt.h"
#include "brisa/rng.h"

BRISA_BEGIN_DECLS

/* ---- offline queue ------------------------------------------------------- */

/** What a full queue does with one more message. */
typedef enum brisa_mqtt_queue_policy {
    /** The new message is refused (BRISA_ERR_BUSY): nothing queued is lost. */
    BRISA_MQTT_QUEUE_REFUSE_NEW = 0,
    /** The oldest queued QoS 0 message is dropped to make room (counted in
     *  dropped); with no QoS 0 message queued, the new one is refused. */
    BRISA_MQTT_QUEUE_DROP_OLDEST_QOS0 = 1
} brisa_mqtt_queue_policy;

/** One queued publish. topic and payload are the caller's: they must stay
 *  valid until the message has been sent and, for QoS 1/2, acknowledged. */
typedef struct brisa_mqtt_queued {
    const char *topic;    /**< NUL-terminated topic name */
    const void *payload;  /**< the payload */
    size_t payload_len;   /**< bytes at payload */
    uint8_t qos;          /**< 0..2 */
    bool retain;          /**< publish retained */
} brisa_mqtt_queued;

/** A FIFO of publishes in caller-supplied slots. */
typedef struct brisa_mqtt_queue {
    /** @cond PRIVATE */
    brisa_mqtt_queued *slots;
    size_t cap, head, count;
    brisa_mqtt_queue_policy policy;
    uint32_t dropped;          /**< QoS 0 messages dropped by the policy */
    /** @endcond */
} brisa_mqtt_queue;

/** Prepares an empty queue over @p slots (@p cap entries). */
void brisa_mqtt_queue_init(brisa_mqtt_queue *q, brisa_mqtt_queued *slots, size_t cap,
                           brisa_mqtt_queue_policy policy);

/** Appends a copy of @p m. Returns BRISA_OK, or BRISA_ERR_BUSY when full
 *  and the policy refuses it. */
brisa_err brisa_mqtt_queue_push(brisa_mqtt_queue *q, const brisa_mqtt_queued *m);

/** The oldest message, or NULL when empty. Valid until the next push/pop. */
const brisa_mqtt_queued *brisa_mqtt_queue_peek(const brisa_mqtt_queue *q);

/** Removes the oldest message (nothing when empty). */
void brisa_mqtt_queue_pop(brisa_mqtt_queue *q);

/* ---- backoff ------------------------------------------------------------- */

/** Exponential backoff with full jitter; zero attempt to start over. */
typedef struct brisa_mqtt_backoff {
    uint32_t min_delay_ms;    /**< the first attempt's ceiling */
    uint32_t max_delay_ms;    /**< the ceiling never grows past this */
    uint32_t attempt;         /**< failed attempts since the last reset */
} brisa_mqtt_backoff;

/** The next delay, full jitter: uniform in [0, min(max, min x 2^attempt)]
 *  drawn from @p rng (the ceiling itself when rng fails or is NULL); then
 *  counts the attempt. */
uint32_t brisa_mqtt_backoff_next(brisa_mqtt_backoff *b, const brisa_rng *rng);

/* ---- reconnection -------------------------------------------------------- */

/** Opens a fresh transport to the broker into @p out (may block, e.g. a TCP
 *  connect and TLS handshake). Returns BRISA_OK or a negative brisa_err. */
typedef int (*brisa_mqtt_open_fn)(void *user, brisa_transport *out);

/** Waits @p ms (may return early, e.g. on a signal). */
typedef void (*brisa_mqtt_sleep_fn)(void *user, uint32_t ms);

/** Reconnection settings: copied by brisa_mqtt_reconnect_init(); what
 *  they point to stays the caller's and must outlive the service. */
typedef struct brisa_mqtt_reconnect_config {
    brisa_mqtt_client *client;          /**< initialised; its on_event gets
                                             the service's events too */
    const brisa_mqtt_connect_options *connect; /**< used for every attempt;
                                             must outlive the service */
    brisa_mqtt_open_fn open;            /**< makes a fresh transport */
    void *open_user;                    /**< passed to open */
    brisa_rng rng;                      /**< jitter (fill NULL: no jitter) */
    brisa_mqtt_sleep_fn sleep_ms;       /**< NULL: process() returns while
                                             waiting (event loops) */
    void *sleep_user;                   /**< passed to sleep_ms */
    uint32_t min_delay_ms;              /**< 0: 500 ms */
    uint32_t max_delay_ms;              /**< 0: 60 s */
    uint32_t stable_ms;                 /**< 0: 30 s */
    uint32_t max_attempts;              /**< failed attempts in a row before
                                             giving up; 0: never give up */
    const brisa_mqtt_subscription *subs; /**< subscribed again after every
                                             connection without a session
                                             (and after the first); may be NULL */
    size_t sub_count;                   /**< entries at subs */
    brisa_mqtt_queue *queue;            /**< publishes while down; may be NULL */
} brisa_mqtt_reconnect_config;

/** The service. Caller-allocated; fields are private. */
typedef struct brisa_mqtt_reconnect {
    /** @cond PRIVATE */
    brisa_mqtt_reconnect_config cfg;
    brisa_mqtt_backoff backoff;
    uint64_t next_attempt_ms;
    uint64_t connected_ms;
    int last_err;             /**< why the last attempt or connection ended */
    uint32_t failures;        /**< failed attempts in a row */
    uint32_t connections;     /**< successful connections so far */
    uint8_t state;
    /** @endcond */
} brisa_mqtt_reconnect;

/** Prepares @p r (the config is copied). Returns BRISA_OK or
 *  BRISA_ERR_INVALID_ARG (no client, connect options or open). */
brisa_err brisa_mqtt_reconnect_init(brisa_mqtt_reconnect *r, const brisa_mqtt_reconnect_config *cfg);

/** Asks for the first connection attempt now. Returns BRISA_OK. */
brisa_err brisa_mqtt_reconnect_start(brisa_mqtt_reconnect *r);

/** Takes over a client the caller already connected (brisa_mqtt_connect,
 *  e.g. to report a first failure its own way): from now on the service
 *  reconnects it. Returns BRISA_OK, or BRISA_ERR_STATE if not connected. */
brisa_err brisa_mqtt_reconnect_adopt(brisa_mqtt_reconnect *r);

/**
 * Runs for at most @p timeout_ms: the client's process loop while
 * connected; on a lost connection, the backoff wait and the next attempt
 * (open, CONNECT, CONNACK); sending queued publishes once connected.
 * Without a sleep function it returns as soon as there is nothing to do
 * but wait (see brisa_mqtt_reconnect_due_in()). Returns BRISA_OK --
 * a lost connection is not an error here -- or, once the service has
 * given up: BRISA_ERR_REFUSED (the broker refused for good: bad
 * credentials, not authorized, identifier rejected, bad protocol) or the
 * last attempt's error after max_attempts failures; BRISA_ERR_STATE when
 * stopped or never started.
 */
brisa_err brisa_mqtt_reconnect_process(brisa_mqtt_reconnect *r, uint32_t timeout_ms);

/** Milliseconds until the next attempt (0: due now, or connected). */
uint32_t brisa_mqtt_reconnect_due_in(const brisa_mqtt_reconnect *r);

/**
 * Publishes through the client when connected and it has a free slot;
 * otherwise queues the message (cfg.queue), to be sent in order once
 * connected. @p packet_id gets the id, or 0 when queued. Returns BRISA_OK,
 * BRISA_ERR_BUSY (no queue, or full and its policy refused), or
 * brisa_mqtt_publish()'s argument errors. A transport error is not
 * returned: the message is queued and the connection comes back.
 */
brisa_err brisa_mqtt_reconnect_publish(brisa_mqtt_reconnect *r, const char *topic,
                                       const void *payload, size_t payload_len, uint8_t qos,
                                       bool retain, uint16_t *packet_id);

/** Runs until connected with nothing in flight and nothing queued, or
 *  @p timeout_ms passes (BRISA_ERR_TIMEOUT), reconnecting as needed.
 *  BRISA_ERR_REFUSED when the broker refused a flow that completed
 *  meanwhile (as brisa_mqtt_wait_all()).
 *  Returns as brisa_mqtt_reconnect_process() otherwise. Blocking: it
 *  needs cfg.sleep_ms to wait between attempts (without it, it spins). */
brisa_err brisa_mqtt_reconnect_wait_all(brisa_mqtt_reconnect *r, uint32_t timeout_ms);

/** Sends DISCONNECT when connected, closes and stops reconnecting. Returns
 *  BRISA_OK or the DISCONNECT's send error (stopped either way). */
brisa_err brisa_mqtt_reconnect_stop(brisa_mqtt_reconnect *r);

/** True when the client is connected (CONNACK accepted). */
bool brisa_mqtt_reconnect_is_up(const brisa_mqtt_reconnect *r);

BRISA_END_DECLS

#endif /* BRISA_MQTT_RECONNECT_H */
