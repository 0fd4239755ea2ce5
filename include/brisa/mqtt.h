// SPDX-License-Identifier: MIT
/**
 * @file mqtt.h
 * The MQTT client: connection, publish/subscribe flows, keepalive.
 *
 * Freestanding: the caller supplies every byte of memory (the client struct,
 * the transmit and receive buffers, the in-flight table, the route table)
 * and reaches the network through a brisa_transport that is already open
 * (a TCP socket, or TLS over one). The client never allocates.
 *
 * Two ways to drive it:
 *  - blocking: brisa_mqtt_connect(), brisa_mqtt_publish() then
 *    brisa_mqtt_wait(), brisa_mqtt_subscribe_sync();
 *  - event loop: start operations, then call brisa_mqtt_process() whenever
 *    the transport may have data or a timer may be due; it never blocks
 *    longer than asked, and completions arrive through on_event.
 *
 * Payloads larger than the buffers: an outgoing PUBLISH writes its header
 * from tx_buf and then the caller's payload straight to the transport; an
 * incoming PUBLISH larger than rx_buf is delivered in chunks (see
 * brisa_mqtt_message) or, if the config asks, refused with
 * BRISA_ERR_TOO_LARGE -- never truncated.
 */
#ifndef BRISA_MQTT_H
#define BRISA_MQTT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/export.h"
#include "brisa/config.h"
#include "brisa/clock.h"
#include "brisa/err.h"
#include "brisa/mqtt_store.h"
#include "brisa/transport.h"

/* BRISA_MQTT5 (1: MQTT 5.0 built in), BRISA_MQTT_AUTH_DATA_MAX and
 * BRISA_MQTT_ALIAS_TOPIC_MAX: brisa/config.h */

/** A length-delimited UTF-8 string (not NUL-terminated). */
typedef struct brisa_mqtt_str {
    const char *data;  /**< the bytes, not owned */
    size_t len;        /**< bytes at data */
} brisa_mqtt_str;

/** A length-delimited run of bytes. */
typedef struct brisa_mqtt_bytes {
    const uint8_t *data;  /**< the bytes, not owned */
    size_t len;           /**< bytes at data */
} brisa_mqtt_bytes;

/** An MQTT 5 property block, kept raw (without its length prefix).
 *  Always empty for MQTT 3.x: encoders ignore it, decoders clear it.
 *  Decoders set data/len only; encoders write data then extra (so a
 *  client can add its own properties to the caller's without copying),
 *  and check the two as one block. Build blocks with brisa_mqtt_prop_put(). */
typedef struct brisa_mqtt_properties {
    const uint8_t *data;   /**< the caller's properties, not owned */
    size_t len;            /**< bytes at data */
    const uint8_t *extra;  /**< encoders: the client's own, after data */
    size_t extra_len;      /**< bytes at extra */
} brisa_mqtt_properties;
BRISA_BEGIN_DECLS

/** MQTT protocol levels that may be asked for in CONNECT. */
#define BRISA_MQTT_V31 3  /**< MQTT 3.1 ("MQIsdp") */
#define BRISA_MQTT_V311 4 /**< MQTT 3.1.1 (default) */
#define BRISA_MQTT_V5 5   /**< MQTT 5.0 */

/** CONNACK return codes of MQTT 3.1.1 (section 3.2.2.3). */
typedef enum brisa_mqtt_connack_rc {
    BRISA_MQTT_CONNACK_ACCEPTED = 0,
    BRISA_MQTT_CONNACK_BAD_PROTOCOL = 1,
    BRISA_MQTT_CONNACK_ID_REJECTED = 2,
    BRISA_MQTT_CONNACK_SERVER_UNAVAILABLE = 3,
    BRISA_MQTT_CONNACK_BAD_CREDENTIALS = 4,
    BRISA_MQTT_CONNACK_NOT_AUTHORIZED = 5
} brisa_mqtt_connack_rc;

/** The SUBACK return code that means "subscription refused". */
#define BRISA_MQTT_SUBACK_FAILURE 0x80

/** Name of a CONNACK return code, e.g. "not authorized"; never NULL. */
const char *brisa_mqtt_connack_str(int rc);

/** A will message, registered in CONNECT. Strings are NUL-terminated. */
typedef struct brisa_mqtt_will {
    const char *topic;       /**< where the broker publishes it */
    const uint8_t *payload;  /**< its payload (may be NULL when empty) */
    size_t payload_len;      /**< bytes at payload */
    uint8_t qos;             /**< 0..2 */
    bool retain;             /**< published retained */
} brisa_mqtt_will;

/**
 * MQTT 5 enhanced authentication (the AUTH exchange), one method.
 * step() is called with @p reason 0x19 (re-authenticate) and no input for
 * the first data (carried by CONNECT, or by AUTH 0x19 from
 * brisa_mqtt_reauthenticate()); with 0x18 (continue) and the server's data
 * for each AUTH the server sends; and with 0 and the server's data from a
 * successful CONNACK or AUTH (possibly none), to check the server's last
 * word. At most BRISA_MQTT_AUTH_DATA_MAX bytes per step. It writes the next data into @p out (@p out_size bytes) and
 * returns its length (>= 0), or a negative brisa_err to give up (the
 * client then disconnects with reason 0x87, not authorized).
 */
typedef struct brisa_mqtt_auth {
    const char *method;  /**< e.g. "SCRAM-SHA-256" */
    /** The method's next step, as described above. */
    int (*step)(void *ctx, uint8_t reason, const uint8_t *in, size_t in_len,
                uint8_t *out, size_t out_size);
    void *ctx;           /**< passed to step; must outlive the connection */
} brisa_mqtt_auth;

/** What CONNECT asks for. Read during brisa_mqtt_connect() (and kept for
 *  a resumed session's reconnect by the caller, not the client); strings
 *  and blocks it points to must outlive that call. */
typedef struct brisa_mqtt_connect_options {
    const char *client_id;     /**< may be "" with clean_session */
    bool clean_session;        /**< start a new session (3.1.1); MQTT 5: Clean Start */
    uint16_t keepalive_s;      /**< 0 disables keepalive */
    const char *username;      /**< NULL: none */
    const uint8_t *password;   /**< NULL: none (needs a username in 3.1.1) */
    size_t password_len;       /**< bytes at password */
    const brisa_mqtt_will *will; /**< NULL: none */
    uint8_t protocol_level;    /**< 0 means BRISA_MQTT_V311 */
    uint32_t connack_timeout_ms; /**< brisa_mqtt_connect_start() only: how
                                      long to wait for CONNACK (0: 30 s) */
    /* MQTT 5 only (protocol_level BRISA_MQTT_V5): */
    uint32_t session_expiry_s;     /**< how long the broker keeps the session
                                        after the connection (0: not at all) */
    uint16_t receive_maximum;      /**< QoS 1/2 messages we take at once
                                        (0: not sent, 65535) */
    uint32_t maximum_packet_size;  /**< largest packet we accept; larger ones
                                        end the connection with 0x95 (0: not
                                        sent, no limit) */
    bool request_response_info;    /**< ask for Response Information */
    bool no_problem_info;          /**< Request Problem Information = 0 */
    brisa_mqtt_properties props;   /**< more CONNECT properties (user
                                        properties), built with
                                        brisa_mqtt_prop_put() */
    brisa_mqtt_properties will_props; /**< will delay, payload format,
                                        message expiry, content type,
                                        response topic, correlation data,
                                        user properties */
    const brisa_mqtt_auth *auth;   /**< enhanced authentication, or NULL */
} brisa_mqtt_connect_options;

/** What the broker said in CONNACK. */
typedef struct brisa_mqtt_connack {
    bool session_present;  /**< the broker resumed a session */
    uint8_t return_code; /**< brisa_mqtt_connack_rc; MQTT 5: the reason
                              code (name it with brisa_mqtt_reason_str()) */
#if BRISA_MQTT5
    brisa_mqtt_properties props; /**< MQTT 5: CONNACK's properties (assigned
                              client id, reason string, server reference,
                              response information...), pointing into
                              rx_buf: valid until the next packet is read */
#endif
} brisa_mqtt_connack;

/** MQTT 5: what the server allows this connection, from CONNACK (the
 *  specification's defaults when it says nothing). */
typedef struct brisa_mqtt_limits {
    uint32_t maximum_packet_size;  /**< 0: no limit */
    uint16_t receive_maximum;      /**< our QoS 1/2 PUBLISH in flight at most */
    uint16_t topic_alias_maximum;  /**< aliases we may use (0: none) */
    uint16_t server_keepalive_s;   /**< 0: none sent (ours applies) */
    uint8_t maximum_qos;           /**< highest QoS we may publish with */
    bool retain_available;         /**< retained messages allowed */
    bool wildcard_available;       /**< wildcard filters allowed */
    bool subscription_ids_available; /**< subscription identifiers allowed */
    bool shared_available;         /**< $share/ subscriptions allowed */
} brisa_mqtt_limits;

/**
 * An incoming application message, or one chunk of it.
 *
 * The message is whole when payload_offset == 0 and payload_len ==
 * payload_total. A message larger than the receive buffer arrives as
 * several calls with the same topic and increasing payload_offset; the last
 * one has payload_offset + payload_len == payload_total. Pointers are valid
 * only during the callback.
 */
typedef struct brisa_mqtt_message {
    const char *topic;        /**< not NUL-terminated */
    size_t topic_len;         /**< bytes at topic */
    const uint8_t *payload;   /**< this chunk of the payload */
    size_t payload_len;       /**< bytes at payload */
    size_t payload_offset;    /**< where this chunk starts in the payload */
    size_t payload_total;     /**< the whole payload's size */
    uint8_t qos;              /**< 0..2 */
    bool retain;              /**< a retained message */
    bool dup;                 /**< the broker may have sent it before */
    uint16_t packet_id;       /**< 0 for QoS 0 */
    brisa_mqtt_properties props; /**< MQTT 5 PUBLISH properties (walk them
                                      with brisa_mqtt_prop_next()); empty
                                      for 3.x */
} brisa_mqtt_message;

/** Receives a message (or one chunk of it: see brisa_mqtt_message); @p user
 *  is the config's or the route's. @p msg is valid only during the call. */
typedef void (*brisa_mqtt_message_cb)(void *user, const brisa_mqtt_message *msg);

/** Kinds of completion reported to on_event. */
typedef enum brisa_mqtt_event_type {
    BRISA_MQTT_EVT_CONNACK,      /**< connack holds the broker's answer */
    BRISA_MQTT_EVT_PUBLISHED,    /**< QoS 1 PUBACK / QoS 2 PUBCOMP received */
    BRISA_MQTT_EVT_SUBACK,       /**< return_codes holds one code per filter */
    BRISA_MQTT_EVT_UNSUBACK,
    BRISA_MQTT_EVT_DISCONNECTED, /**< connection ended; err says why (0: asked) */
    BRISA_MQTT_EVT_DROPPED,      /**< an unfinished QoS 1/2 PUBLISH was dropped
                                      because the broker kept no session (or
                                      clean_session was asked); packet_id says
                                      which */
    /* From the reconnection service (mqtt_reconnect.h) only: */
    BRISA_MQTT_EVT_LOST,         /**< the connection was lost; err says why */
    BRISA_MQTT_EVT_RECONNECTING, /**< next attempt in delay_ms; err: why the
                                      previous attempt failed (0: first) */
    BRISA_MQTT_EVT_RECONNECTED   /**< connected again; connack says whether
                                      the broker kept the session */
} brisa_mqtt_event_type;

/** A completion or a change of the connection, given to on_event. Its
 *  pointers are valid only during the callback. */
typedef struct brisa_mqtt_event {
    brisa_mqtt_event_type type;    /**< what happened */
    uint16_t packet_id;            /**< the flow's id (PUBLISHED, SUBACK...) */
    int err;                       /**< brisa_err, for DISCONNECTED */
    brisa_mqtt_connack connack;    /**< for CONNACK */
    const uint8_t *return_codes;   /**< for SUBACK: granted QoS or 0x80 */
    size_t return_code_count;      /**< entries at return_codes */
    uint32_t delay_ms;             /**< for RECONNECTING */
    uint8_t reason_code;           /**< MQTT 5: PUBLISHED (the PUBACK, PUBREC
                                        or PUBCOMP code), DISCONNECTED (the
                                        DISCONNECT's that ended it, the
                                        server's or ours; else 0) */
    brisa_mqtt_properties props;   /**< MQTT 5: that packet's properties
                                        (reason string...), valid during the
                                        callback; SUBACK/UNSUBACK codes are
                                        in return_codes */
} brisa_mqtt_event;

/** Receives an event; @p user is the config's. @p evt is valid only
 *  during the call. */
typedef void (*brisa_mqtt_event_cb)(void *user, const brisa_mqtt_event *evt);

/** Control packet types (the high nibble of the first byte). */
typedef enum brisa_mqtt_packet_type {
    BRISA_MQTT_CONNECT = 1,
    BRISA_MQTT_CONNACK = 2,
    BRISA_MQTT_PUBLISH = 3,
    BRISA_MQTT_PUBACK = 4,
    BRISA_MQTT_PUBREC = 5,
    BRISA_MQTT_PUBREL = 6,
    BRISA_MQTT_PUBCOMP = 7,
    BRISA_MQTT_SUBSCRIBE = 8,
    BRISA_MQTT_SUBACK = 9,
    BRISA_MQTT_UNSUBSCRIBE = 10,
    BRISA_MQTT_UNSUBACK = 11,
    BRISA_MQTT_PINGREQ = 12,
    BRISA_MQTT_PINGRESP = 13,
    BRISA_MQTT_DISCONNECT = 14,
    BRISA_MQTT_AUTH = 15 /**< MQTT 5 only */
} brisa_mqtt_packet_type;

/** Name of a packet type ("PUBLISH"); never NULL. */
const char *brisa_mqtt_packet_name(int type);

/** MQTT 5 subscription options, OR-ed into brisa_mqtt_subscription.qos. */
#define BRISA_MQTT_SUB_NO_LOCAL 0x04u
/** Keep the retain flag of forwarded messages as published. */
#define BRISA_MQTT_SUB_RETAIN_AS_PUBLISHED 0x08u
/** Retain handling: 0 send retained messages, 1 only for a new
 *  subscription, 2 never. */
#define BRISA_MQTT_SUB_RETAIN_HANDLING(n) ((uint8_t)((n) << 4))

/** One filter of a SUBSCRIBE. */
typedef struct brisa_mqtt_subscription {
    const char *filter;  /**< NUL-terminated, '+' and '#' allowed; MQTT 5:
                              "$share/group/filter" for a shared one */
    uint8_t qos;         /**< maximum QoS asked for; MQTT 5: with the
                              BRISA_MQTT_SUB_* option bits OR-ed in (the
                              options byte of the specification) */
} brisa_mqtt_subscription;

/** One packet seen on the wire, for debug output (mosquitto's -d).
 *  Outgoing packets are reported just before they are sent, incoming ones
 *  once decoded (a streamed PUBLISH once, with its full payload_len). */
typedef struct brisa_mqtt_trace {
    bool outgoing;            /**< sent by us (else received) */
    uint8_t type;             /**< brisa_mqtt_packet_type */
    uint16_t packet_id;       /**< 0 when the packet has none */
    uint8_t qos;              /**< PUBLISH */
    bool retain;              /**< PUBLISH */
    bool dup;                 /**< PUBLISH */
    const char *topic;        /**< PUBLISH, not NUL-terminated; else NULL */
    size_t topic_len;         /**< bytes at topic */
    size_t payload_len;       /**< PUBLISH */
    uint8_t return_code;      /**< CONNACK */
    bool session_present;     /**< CONNACK */
    const brisa_mqtt_subscription *subs; /**< outgoing SUBSCRIBE */
    const char *const *filters;  /**< outgoing UNSUBSCRIBE */
    size_t filter_count;         /**< entries in subs or filters */
    const uint8_t *return_codes; /**< incoming SUBACK: one per filter */
    size_t return_code_count;    /**< entries at return_codes */
} brisa_mqtt_trace;

/** Receives a trace; @p user is the config's. @p t is valid only during
 *  the call. */
typedef void (*brisa_mqtt_trace_cb)(void *user, const brisa_mqtt_trace *t);

/** A route: messages whose topic matches @p filter go to @p cb. */
typedef struct brisa_mqtt_route {
    /** @cond PRIVATE */
    const char *filter;       /**< NUL-terminated, must outlive the route */
    brisa_mqtt_message_cb cb;
    void *user;
    /** @endcond */
} brisa_mqtt_route;

/**
 * One slot of the in-flight table. Internal: the caller only sizes it.
 * A slot holds one outgoing QoS 1/2 PUBLISH, SUBSCRIBE or UNSUBSCRIBE
 * until it completes, or the packet id of an incoming QoS 2 PUBLISH until
 * its PUBREL (so a resent copy is not delivered twice).
 */
typedef struct brisa_mqtt_inflight {
    /** @cond PRIVATE */
    const char *topic;        /**< kept for resending on session resume */
    const uint8_t *payload;
    size_t payload_len;       /**< SUBSCRIBE: number of filters */
    uint32_t seq;             /**< send order, to resend in order */
    uint16_t packet_id;
    uint8_t kind;             /**< what is awaited; 0: slot free */
    uint8_t flags;            /**< QoS and retain of a PUBLISH */
#if BRISA_MQTT5
    const uint8_t *props;     /**< MQTT 5 PUBLISH properties, for resending */
    size_t props_len;
#endif
    /** @endcond */
} brisa_mqtt_inflight;

/** MQTT 5: one outgoing topic alias (caller's storage, see
 *  brisa_mqtt_config.aliases). Internal: the caller only sizes it. */
typedef struct brisa_mqtt_topic_alias {
    char topic[BRISA_MQTT_ALIAS_TOPIC_MAX]; /**< "" while unused */
} brisa_mqtt_topic_alias;

/** How to treat an incoming message larger than rx_buf. */
typedef enum brisa_mqtt_large_policy {
    BRISA_MQTT_LARGE_CHUNKED = 0, /**< deliver in chunks (default) */
    BRISA_MQTT_LARGE_REFUSE = 1   /**< fail with BRISA_ERR_TOO_LARGE and close */
} brisa_mqtt_large_policy;

/** Client settings: copied by brisa_mqtt_init(); the buffers, tables and
 *  the transport's and clock's contexts stay the caller's and must outlive
 *  the client. */
typedef struct brisa_mqtt_config {
    brisa_transport transport;   /**< open stream to the broker */
    brisa_clock clock;           /**< monotonic time for keepalive and timeouts */
    uint8_t *tx_buf;             /**< outgoing packets (not PUBLISH payloads) */
    size_t tx_size;              /**< bytes at tx_buf (>= 16) */
    uint8_t *rx_buf;             /**< incoming packets */
    size_t rx_size;              /**< bytes at rx_buf (>= 16) */
    /** Outstanding QoS 1/2 flows and SUBSCRIBE/UNSUBSCRIBE, and incoming
     *  QoS 2 ids until PUBREL. Size it for your own window plus the
     *  broker's (mosquitto: max_inflight_messages, 20). When it is full,
     *  an incoming QoS 2 message is still delivered and acknowledged, but
     *  a resent copy of it before PUBREL could not be recognised. */
    brisa_mqtt_inflight *inflight;
    size_t inflight_count;       /**< entries at inflight */
    brisa_mqtt_route *routes;    /**< storage for brisa_mqtt_route_add */
    size_t route_count;          /**< entries at routes (0: no routes) */
    brisa_mqtt_message_cb on_message; /**< messages no route matched */
    brisa_mqtt_event_cb on_event;     /**< completions, may be NULL */
    brisa_mqtt_trace_cb on_trace;     /**< every packet, may be NULL */
    void *user;                  /**< passed to the three callbacks above */
    uint32_t io_timeout_ms;      /**< longest one packet's send may block
                                      (0: 10 s); a send that cannot finish
                                      in time closes the connection */
    brisa_mqtt_large_policy large_policy; /**< messages larger than rx_buf */
    /** Where in-flight QoS 1/2 state is kept across restarts (all NULL:
     *  only in memory). See mqtt_store.h and brisa_mqtt_restore(). */
    brisa_mqtt_store store;
#if BRISA_MQTT5
    /** MQTT 5 outgoing topic aliases: the first topics published (up to
     *  the server's Topic Alias Maximum and alias_count, each shorter
     *  than BRISA_MQTT_ALIAS_TOPIC_MAX) get an alias, and later messages
     *  on them are sent with the alias alone. NULL: no aliases. */
    brisa_mqtt_topic_alias *aliases;
    size_t alias_count;          /**< entries at aliases */
    /** MQTT 5 incoming topic aliases: CONNECT announces alias_in_count as
     *  our Topic Alias Maximum and the server's aliases are remembered
     *  here (topics shorter than BRISA_MQTT_ALIAS_TOPIC_MAX). NULL: none
     *  allowed (an alias from the server ends with 0x94). */
    brisa_mqtt_topic_alias *aliases_in;
    size_t alias_in_count;       /**< entries at aliases_in */
#endif
} brisa_mqtt_config;

/** Why the last connection ended, in more detail than its brisa_err. */
typedef struct brisa_mqtt_failure {
    int err;              /**< as returned (0: asked for, or none yet) */
    uint8_t packet_type;  /**< BRISA_ERR_TIMEOUT: the packet waited for
                               (CONNACK, PINGRESP); BRISA_ERR_PROTOCOL: the
                               packet at fault; 0 when none applies */
    uint16_t packet_id;   /**< BRISA_ERR_PROTOCOL: an acknowledgement's id
                               that nothing was waiting for (else 0) */
    uint32_t waited_ms;   /**< BRISA_ERR_TIMEOUT: how long was waited */
    bool partial;         /**< a packet was partly received when it ended
                               (a broker that stalled mid-packet): */
    uint8_t partial_type; /**< its type, */
    size_t partial_have;  /**< bytes received, */
    size_t partial_total; /**< and its size (0: length incomplete) */
#if BRISA_MQTT5
    uint8_t reason_code;  /**< MQTT 5: the reason of the DISCONNECT that
                               ended it: the server's (packet_type
                               DISCONNECT) or the one we sent */
#endif
} brisa_mqtt_failure;

/** The client. Caller-allocated; fields are private. */
typedef struct brisa_mqtt_client {
    /** @cond PRIVATE */
    brisa_mqtt_config cfg;
    uint64_t last_tx_ms;
    uint64_t last_rx_ms;
    uint64_t ping_sent_ms;
    uint64_t connack_deadline_ms;
    uint32_t connack_wait_ms;    /**< how long CONNACK is waited for */
    size_t rx_have;              /**< bytes of the current stage received */
    size_t rx_remaining;         /**< remaining length of the current packet */
    size_t rx_vh_len;            /**< streamed PUBLISH: topic + id bytes */
    size_t rx_payload_done;      /**< streamed PUBLISH: payload delivered */
    uint8_t *sync_codes;         /**< subscribe_sync: where SUBACK goes */
    int last_err;                /**< why the last connection ended */
    uint32_t seq;                /**< send order counter for in-flight */
    uint16_t keepalive_s;
    uint16_t next_packet_id;
    uint16_t sync_id;
    uint8_t state;
    uint8_t protocol_level;
    uint8_t rx_stage;
    uint8_t rx_hdr_len;
    uint8_t rx_hdr[5];           /**< fixed header being received */
    bool clean_session;
    bool ping_outstanding;
    bool in_process;             /**< guards against re-entry from callbacks */
    bool rx_suppress;            /**< resent QoS 2 PUBLISH: do not deliver */
    bool wait_any;               /**< wait_all: every flow is waited for */
    bool wait_refused;           /**< a flow waited for was refused */
    brisa_mqtt_connack connack;
    brisa_mqtt_failure failure;  /**< see brisa_mqtt_last_failure() */
#if BRISA_MQTT5
    brisa_mqtt_limits server;    /**< see brisa_mqtt_server_limits() */
    const brisa_mqtt_auth *auth;
    const brisa_mqtt_properties *fail_props; /**< the server DISCONNECT's */
    uint32_t max_packet_in;      /**< ours (0: no limit) */
    uint16_t receive_max_in;     /**< ours */
#endif
    /** @endcond */
} brisa_mqtt_client;

/** Prepares @p c from @p cfg (copied; the buffers and tables it points to
 *  stay the caller's and must outlive the client). Clears the in-flight
 *  and route tables. Returns BRISA_OK or BRISA_ERR_INVALID_ARG (missing
 *  transport or clock, tx_buf or rx_buf under 16 bytes). */
brisa_err brisa_mqtt_init(brisa_mqtt_client *c, const brisa_mqtt_config *cfg);

/** Sets cfg.store after brisa_mqtt_init() (NULL: none), while no
 *  connection is up. Returns BRISA_OK or BRISA_ERR_STATE. */
brisa_err brisa_mqtt_set_store(brisa_mqtt_client *c, const brisa_mqtt_store *store);

/**
 * Reads the in-flight state saved in cfg.store back into the in-flight
 * table, after brisa_mqtt_init() and before the first connect (with
 * clean_session false, so the broker's session is resumed and the
 * messages resent with DUP in their original order). Topics, payloads and
 * MQTT 5 properties are copied into @p arena (the caller's; it must
 * outlive the flows); a record whose properties a decoder would refuse
 * (or with a Topic Alias) gives BRISA_ERR_MALFORMED.
 * Returns the number of flows restored, or BRISA_ERR_STATE (connected),
 * BRISA_ERR_BUSY (more records than free slots), BRISA_ERR_NO_SPACE
 * (@p arena too small), or the store's error -- BRISA_ERR_MALFORMED when
 * it found a damaged record, which it never hands over. The flows
 * restored before an error stay in the table.
 */
int brisa_mqtt_restore(brisa_mqtt_client *c, uint8_t *arena, size_t arena_size);

/** Details of why the last connection ended or failed (never NULL for a
 *  non-NULL client): the packet waited for and how long, or the packet
 *  and id that broke the protocol. */
const brisa_mqtt_failure *brisa_mqtt_last_failure(const brisa_mqtt_client *c);

/** True while a packet has been partly received (a broker that stalls in
 *  the middle of one): its type, the bytes of it received so far and its
 *  total size (0 while the length itself is incomplete). Any pointer may
 *  be NULL. */
bool brisa_mqtt_rx_partial(const brisa_mqtt_client *c, uint8_t *type, size_t *have,
                           size_t *total);

/** Replaces the transport (after the caller reconnected TCP/TLS). A live
 *  connection is ended first (BRISA_ERR_CLOSED). The in-flight table is
 *  kept, for resuming a session. */
void brisa_mqtt_set_transport(brisa_mqtt_client *c, const brisa_transport *t);

/**
 * Sends CONNECT and waits up to @p timeout_ms for CONNACK (@p result may
 * be NULL). Returns BRISA_OK when accepted; BRISA_ERR_REFUSED with the
 * broker's code in @p result->return_code (name it with
 * brisa_mqtt_connack_str()); BRISA_ERR_TIMEOUT (the transport is then
 * closed); BRISA_ERR_INVALID_ARG (empty client id without clean session,
 * password without user name, bad will); BRISA_ERR_NO_SPACE (CONNECT does
 * not fit tx_buf); BRISA_ERR_STATE (already connected); or a transport
 * error. With clean_session false and a session present, unfinished QoS
 * 1/2 flows are resumed in their original order (PUBLISH with DUP,
 * PUBREL); with no session kept they are dropped (BRISA_MQTT_EVT_DROPPED).
 */
brisa_err brisa_mqtt_connect(brisa_mqtt_client *c, const brisa_mqtt_connect_options *o,
                             uint32_t timeout_ms, brisa_mqtt_connack *result);

/** Event-loop form of connect: sends CONNECT and returns; CONNACK arrives
 *  as BRISA_MQTT_EVT_CONNACK from brisa_mqtt_process(), which gives up
 *  after o->connack_timeout_ms (BRISA_ERR_TIMEOUT). */
brisa_err brisa_mqtt_connect_start(brisa_mqtt_client *c, const brisa_mqtt_connect_options *o);

/**
 * Publishes @p payload on @p topic (NUL-terminated, no wildcards).
 * QoS 0 is done when this returns. QoS 1/2 take an in-flight slot and
 * return their packet id in @p packet_id (may be NULL); completion is
 * BRISA_MQTT_EVT_PUBLISHED or brisa_mqtt_wait(). For QoS 1/2 @p topic and
 * @p payload must stay valid until completion if the session may be
 * resumed after a reconnect; otherwise they may be reused on return.
 * A payload that does not fit tx_buf after the header is written straight
 * from @p payload (no copy). Returns BRISA_OK, BRISA_ERR_BUSY (no free
 * slot), BRISA_ERR_INVALID_ARG (bad topic or QoS), BRISA_ERR_NO_SPACE
 * (topic does not fit tx_buf), BRISA_ERR_TOO_LARGE (over 268435455 bytes),
 * BRISA_ERR_STATE (not connected) or a transport error (the connection is
 * then closed, and the message is not in flight).
 */
brisa_err brisa_mqtt_publish(brisa_mqtt_client *c, const char *topic,
                             const void *payload, size_t payload_len, uint8_t qos,
                             bool retain, uint16_t *packet_id);

/** Sends SUBSCRIBE for @p count (>= 1) filters; SUBACK arrives as
 *  BRISA_MQTT_EVT_SUBACK (one code per filter). Takes an in-flight slot
 *  until then. Returns as brisa_mqtt_publish(). A SUBACK whose code count
 *  differs from the filter count ends the connection (BRISA_ERR_PROTOCOL). */
brisa_err brisa_mqtt_subscribe(brisa_mqtt_client *c, const brisa_mqtt_subscription *subs,
                               size_t count, uint16_t *packet_id);

/** Blocking subscribe: waits for SUBACK and copies one return code per
 *  filter into @p granted (granted QoS, or a failure: 0x80
 *  BRISA_MQTT_SUBACK_FAILURE, and with MQTT 5 any reason code >= 0x80).
 *  Returns BRISA_OK when every filter was granted, BRISA_ERR_REFUSED when
 *  the broker refused at least one (@p granted says which; the others are
 *  subscribed), or an error as brisa_mqtt_subscribe() and brisa_mqtt_wait()
 *  (@p granted is then not written). */
brisa_err brisa_mqtt_subscribe_sync(brisa_mqtt_client *c, const brisa_mqtt_subscription *subs,
                                    size_t count, uint8_t *granted, uint32_t timeout_ms);

/** Sends UNSUBSCRIBE for @p count (>= 1) filters; UNSUBACK arrives as
 *  BRISA_MQTT_EVT_UNSUBACK. Returns as brisa_mqtt_subscribe(). */
brisa_err brisa_mqtt_unsubscribe(brisa_mqtt_client *c, const char *const *filters,
                                 size_t count, uint16_t *packet_id);

/**
 * Runs the client for at most @p timeout_ms: reads and handles whatever
 * packets arrive (delivering messages, answering QoS flows, reporting
 * events), sends PINGREQ when nothing was sent or received for keepalive,
 * and detects a broker that stays silent (no PINGRESP) within 1.5 x
 * keepalive. Returns early, once the packets that arrived have been
 * handled and nothing more is waiting; 0 only handles what is already
 * there. Receive waits never pass the deadline; a send (an ack, PINGREQ)
 * may take up to io_timeout_ms when the transport has no room.
 *
 * An acknowledgement for a packet id nothing waits for (PUBACK, PUBCOMP,
 * SUBACK, UNSUBACK) breaks the protocol: the connection ends with
 * BRISA_ERR_PROTOCOL and brisa_mqtt_last_failure() names the packet and
 * id. A PUBREC for an unknown id is still answered with PUBREL and a
 * PUBREL with PUBCOMP, so the broker can finish its side (they can
 * legitimately follow a resend).
 * A malformed packet, or one a broker may not send (a second CONNACK,
 * SUBSCRIBE, PINGREQ...), ends the connection with BRISA_ERR_MALFORMED or
 * BRISA_ERR_PROTOCOL.
 *
 * Callbacks may call publish, subscribe, unsubscribe and disconnect, but
 * not process, wait, connect or subscribe_sync (BRISA_ERR_STATE).
 * Returns BRISA_OK; BRISA_ERR_STATE when not connected; or a negative
 * brisa_err when the connection is lost (the client is then disconnected
 * and on_event has been told).
 */
brisa_err brisa_mqtt_process(brisa_mqtt_client *c, uint32_t timeout_ms);

/** Processes until the flow of @p packet_id completes (PUBACK, PUBCOMP,
 *  SUBACK or UNSUBACK) or @p timeout_ms passes (BRISA_ERR_TIMEOUT; the
 *  connection stays up). Returns BRISA_OK when it completed and was
 *  accepted, and at once when nothing with that id is in flight;
 *  BRISA_ERR_REFUSED when the broker refused it (a SUBACK code 0x80 or
 *  above for any filter; MQTT 5: a PUBACK, PUBREC or UNSUBACK reason code
 *  0x80 or above; the codes come with the BRISA_MQTT_EVT_PUBLISHED,
 *  _SUBACK or _UNSUBACK event); or the error that ended the connection. */
brisa_err brisa_mqtt_wait(brisa_mqtt_client *c, uint16_t packet_id, uint32_t timeout_ms);

/** Processes until none of our flows (QoS 1/2 PUBLISH, SUBSCRIBE,
 *  UNSUBSCRIBE) is outstanding; returns as brisa_mqtt_wait()
 *  (BRISA_ERR_REFUSED when any flow that completed meanwhile was
 *  refused). */
brisa_err brisa_mqtt_wait_all(brisa_mqtt_client *c, uint32_t timeout_ms);

/** Sends DISCONNECT (the broker then discards the will) and closes the
 *  transport; on_event gets BRISA_MQTT_EVT_DISCONNECTED with err 0.
 *  Returns BRISA_OK (also when already disconnected) or the send error. */
brisa_err brisa_mqtt_disconnect(brisa_mqtt_client *c);

/** MQTT 5: publish with properties (@p props: built with
 *  brisa_mqtt_prop_put(), one segment; NULL: none; for QoS 1/2 it must
 *  stay valid as the topic and payload do). Beyond brisa_mqtt_publish()'s
 *  errors: BRISA_ERR_UNSUPPORTED (QoS above the server's Maximum QoS,
 *  retain where Retain Available is 0), BRISA_ERR_TOO_LARGE (larger than
 *  the server's Maximum Packet Size), BRISA_ERR_BUSY (the server's Receive
 *  Maximum of QoS 1/2 messages is in flight), BRISA_ERR_INVALID_ARG (a
 *  property not allowed in PUBLISH, or Payload Format Indicator 1 with a
 *  payload that is not UTF-8). A topic alias is added when
 *  brisa_mqtt_config.aliases allows. With 3.x, @p props must be NULL. */
brisa_err brisa_mqtt_publish_props(brisa_mqtt_client *c, const char *topic,
                                   const void *payload, size_t payload_len, uint8_t qos,
                                   bool retain, const brisa_mqtt_properties *props,
                                   uint16_t *packet_id);

/** MQTT 5: subscribe with properties (Subscription Identifier, user
 *  properties; NULL: none) and the options in each subscription's qos
 *  byte. BRISA_ERR_UNSUPPORTED when the server said it has no wildcard,
 *  shared or subscription identifier support and one is asked for. */
brisa_err brisa_mqtt_subscribe_props(brisa_mqtt_client *c, const brisa_mqtt_subscription *subs,
                                     size_t count, const brisa_mqtt_properties *props,
                                     uint16_t *packet_id);

/** MQTT 5: unsubscribe with properties (user properties; NULL: none). */
brisa_err brisa_mqtt_unsubscribe_props(brisa_mqtt_client *c, const char *const *filters,
                                       size_t count, const brisa_mqtt_properties *props,
                                       uint16_t *packet_id);

/** MQTT 5: DISCONNECT with @p reason (0: normal, 0x04: with will
 *  message...) and properties (session expiry, reason string; may be
 *  NULL), then closes. 3.x: as brisa_mqtt_disconnect() (reason must be 0). */
brisa_err brisa_mqtt_disconnect_reason(brisa_mqtt_client *c, uint8_t reason,
                                       const brisa_mqtt_properties *props);

/** MQTT 5: starts re-authentication (AUTH 0x19) with the method the
 *  connection was made with. Returns BRISA_ERR_STATE without one. */
brisa_err brisa_mqtt_reauthenticate(brisa_mqtt_client *c);

/** MQTT 5: the limits the server set in CONNACK (NULL before one). */
const brisa_mqtt_limits *brisa_mqtt_server_limits(const brisa_mqtt_client *c);

/** The broker's answer to the last CONNECT (zeroed until one came); for
 *  the event-loop form of connect. Never NULL for a non-NULL client. */
const brisa_mqtt_connack *brisa_mqtt_last_connack(const brisa_mqtt_client *c);

/** True between an accepted CONNACK and the end of the connection. */
bool brisa_mqtt_is_connected(const brisa_mqtt_client *c);

/** Number of in-flight slots in use (incoming QoS 2 ids included). */
size_t brisa_mqtt_inflight_used(const brisa_mqtt_client *c);

/** Adds a route: incoming messages matching @p filter call @p cb (the
 *  first added matching route wins; messages no route matches go to
 *  on_message). Adding an existing filter again replaces its callback.
 *  Returns BRISA_OK, BRISA_ERR_BUSY when the table is full, or
 *  BRISA_ERR_INVALID_ARG for an invalid filter. */
brisa_err brisa_mqtt_route_add(brisa_mqtt_client *c, const char *filter,
                               brisa_mqtt_message_cb cb, void *user);

/** Removes the route for exactly @p filter (string comparison). Returns
 *  BRISA_OK or BRISA_ERR_NOT_FOUND. */
brisa_err brisa_mqtt_route_remove(brisa_mqtt_client *c, const char *filter);

/** True when @p topic (a PUBLISH topic name) matches @p filter, following
 *  MQTT 3.1.1 section 4.7 ('+', '#', and '$' topics not matched by a
 *  leading wildcard). */
bool brisa_mqtt_topic_matches(const char *filter, size_t filter_len,
                              const char *topic, size_t topic_len);

/** Validates a topic name for PUBLISH (non-empty, UTF-8, no wildcards, no
 *  U+0000, at most 65535 bytes). */
bool brisa_mqtt_topic_valid(const char *topic, size_t len);

/** Validates a topic filter for SUBSCRIBE ('#' last and alone in its
 *  level, '+' alone in its level). */
bool brisa_mqtt_filter_valid(const char *filter, size_t len);

BRISA_END_DECLS

#endif /* BRISA_MQTT_H */
