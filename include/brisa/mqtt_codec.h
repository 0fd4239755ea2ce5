// SPDX-License-Identifier: MIT
/**
 * @file mqtt_codec.h
 * MQTT control packets <-> structs: pure functions, no state, no I/O.
 *
 * Covers every MQTT 3.1.1 packet in both directions, and the CONNECT of
 * MQTT 3.1 ("MQIsdp", level 3). Decoders are total: any malformed input
 * gives a negative brisa_err and nothing is read outside the given buffer.
 * Decoded structs point into the caller's input buffer (no copies), so they
 * are valid only as long as that buffer is.
 *
 * MQTT 5.0 (level 5, unless built with BRISA_MQTT5 0): every packet
 * including AUTH, with its property block kept raw in the caller's buffer
 * and walked in place with brisa_mqtt_prop_next(). Decoding a v5 packet
 * checks every property against the packet it came in (allowed there,
 * not repeated when it may appear once, well-typed, in range) and every
 * reason code against its packet's list: BRISA_ERR_MALFORMED for broken
 * structure, BRISA_ERR_PROTOCOL for a rule broken in well-formed bytes
 * (a duplicate, a zero Receive Maximum...), so a client can answer with
 * DISCONNECT 0x81 or 0x82. Without MQTT 5 built, level 5 gives
 * BRISA_ERR_UNSUPPORTED.
 */
#ifndef BRISA_MQTT_CODEC_H
#define BRISA_MQTT_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/export.h"
#include "brisa/err.h"
#include "brisa/mqtt.h"

BRISA_BEGIN_DECLS

/** Largest remaining length a 4-byte variable-byte integer can carry. */
#define BRISA_MQTT_MAX_REMAINING 268435455u
/** Longest fixed header: the type byte and four length bytes. */
#define BRISA_MQTT_MAX_FIXED_HEADER 5u
/** Longest UTF-8 string or binary field (two-byte length prefix). */
#define BRISA_MQTT_MAX_STRING 65535u

/** What every encode/decode call needs to know about the connection. */
typedef struct brisa_mqtt_codec {
    uint8_t level; /**< BRISA_MQTT_V31, BRISA_MQTT_V311 (0: V311) or
                        BRISA_MQTT_V5 */
} brisa_mqtt_codec;

/** MQTT 5 property identifiers (MQTT 5.0 section 2.2.2.2). */
enum brisa_mqtt_prop_id {
    BRISA_MQTT_PROP_PAYLOAD_FORMAT = 0x01,
    BRISA_MQTT_PROP_MESSAGE_EXPIRY = 0x02,
    BRISA_MQTT_PROP_CONTENT_TYPE = 0x03,
    BRISA_MQTT_PROP_RESPONSE_TOPIC = 0x08,
    BRISA_MQTT_PROP_CORRELATION_DATA = 0x09,
    BRISA_MQTT_PROP_SUBSCRIPTION_ID = 0x0B,
    BRISA_MQTT_PROP_SESSION_EXPIRY = 0x11,
    BRISA_MQTT_PROP_ASSIGNED_CLIENT_ID = 0x12,
    BRISA_MQTT_PROP_SERVER_KEEPALIVE = 0x13,
    BRISA_MQTT_PROP_AUTH_METHOD = 0x15,
    BRISA_MQTT_PROP_AUTH_DATA = 0x16,
    BRISA_MQTT_PROP_REQUEST_PROBLEM_INFO = 0x17,
    BRISA_MQTT_PROP_WILL_DELAY = 0x18,
    BRISA_MQTT_PROP_REQUEST_RESPONSE_INFO = 0x19,
    BRISA_MQTT_PROP_RESPONSE_INFO = 0x1A,
    BRISA_MQTT_PROP_SERVER_REFERENCE = 0x1C,
    BRISA_MQTT_PROP_REASON_STRING = 0x1F,
    BRISA_MQTT_PROP_RECEIVE_MAXIMUM = 0x21,
    BRISA_MQTT_PROP_TOPIC_ALIAS_MAXIMUM = 0x22,
    BRISA_MQTT_PROP_TOPIC_ALIAS = 0x23,
    BRISA_MQTT_PROP_MAXIMUM_QOS = 0x24,
    BRISA_MQTT_PROP_RETAIN_AVAILABLE = 0x25,
    BRISA_MQTT_PROP_USER = 0x26,
    BRISA_MQTT_PROP_MAXIMUM_PACKET_SIZE = 0x27,
    BRISA_MQTT_PROP_WILDCARD_SUB_AVAILABLE = 0x28,
    BRISA_MQTT_PROP_SUB_ID_AVAILABLE = 0x29,
    BRISA_MQTT_PROP_SHARED_SUB_AVAILABLE = 0x2A
};

/** How a property's value is coded. */
enum brisa_mqtt_prop_type {
    BRISA_MQTT_PT_BYTE = 1,
    BRISA_MQTT_PT_U16,
    BRISA_MQTT_PT_U32,
    BRISA_MQTT_PT_VBI,
    BRISA_MQTT_PT_STR,
    BRISA_MQTT_PT_BIN,
    BRISA_MQTT_PT_PAIR  /**< user property: name and value strings */
};

/** One property. Integers are in value; a string or binary value in
 *  data; a user property's name in data and its value in value2. */
typedef struct brisa_mqtt_property {
    uint8_t id;              /**< brisa_mqtt_prop_id */
    uint32_t value;          /**< byte, two- or four-byte integer, VBI */
    brisa_mqtt_bytes data;   /**< string or binary data; a pair's name */
    brisa_mqtt_bytes value2; /**< a user property's value */
} brisa_mqtt_property;

/** Where a property block sits: each property is allowed in some only. */
typedef enum brisa_mqtt_prop_where {
    BRISA_MQTT_IN_CONNECT = 0,
    BRISA_MQTT_IN_CONNACK,
    BRISA_MQTT_IN_PUBLISH,
    BRISA_MQTT_IN_WILL,
    BRISA_MQTT_IN_ACK,          /**< PUBACK, PUBREC, PUBREL, PUBCOMP */
    BRISA_MQTT_IN_SUBSCRIBE,
    BRISA_MQTT_IN_SUBACK,
    BRISA_MQTT_IN_UNSUBSCRIBE,
    BRISA_MQTT_IN_UNSUBACK,
    BRISA_MQTT_IN_DISCONNECT,
    BRISA_MQTT_IN_AUTH
} brisa_mqtt_prop_where;

/** The fixed header: first byte split in two, and the remaining length. */
typedef struct brisa_mqtt_fixed_header {
    uint8_t type;        /**< brisa_mqtt_packet_type */
    uint8_t flags;       /**< low nibble of the first byte */
    uint8_t header_len;  /**< 2..5 */
    uint32_t remaining;  /**< bytes after the fixed header */
} brisa_mqtt_fixed_header;

/** CONNECT. Absent optional fields have their has_ flag false. */
typedef struct brisa_mqtt_connect_packet {
    uint8_t level;             /**< decode: level asked for; encode: unused
                                    (the codec context's level is sent) */
    bool clean_session;        /**< Clean Session (MQTT 5: Clean Start) */
    uint16_t keepalive_s;      /**< seconds; 0: none */
    brisa_mqtt_str client_id;  /**< may be empty */
    bool has_will;             /**< a will follows */
    brisa_mqtt_str will_topic; /**< with has_will */
    brisa_mqtt_bytes will_payload; /**< with has_will */
    uint8_t will_qos;          /**< with has_will: 0..2 */
    bool will_retain;          /**< with has_will */
    bool has_username;         /**< a user name follows */
    brisa_mqtt_str username;   /**< with has_username */
    bool has_password;         /**< a password follows */
    brisa_mqtt_bytes password; /**< with has_password */
    brisa_mqtt_properties props;      /**< MQTT 5 */
    brisa_mqtt_properties will_props; /**< MQTT 5 */
} brisa_mqtt_connect_packet;

/** CONNACK. */
typedef struct brisa_mqtt_connack_packet {
    bool session_present;         /**< the server resumed a session */
    uint8_t return_code; /**< brisa_mqtt_connack_rc (MQTT 5: reason code) */
    brisa_mqtt_properties props;  /**< MQTT 5 */
} brisa_mqtt_connack_packet;

/** PUBLISH. After a header-only decode, payload points at the payload
 *  bytes that were in the buffer and payload_len is the full length the
 *  remaining length announces (possibly more than was in the buffer). */
typedef struct brisa_mqtt_publish_packet {
    brisa_mqtt_str topic;     /**< topic name (empty with an MQTT 5 alias) */
    uint16_t packet_id;       /**< 0 for QoS 0 */
    uint8_t qos;              /**< 0..2 */
    bool retain;              /**< RETAIN flag */
    bool dup;                 /**< DUP flag */
    const uint8_t *payload;   /**< the payload bytes */
    size_t payload_len;       /**< the payload's full length */
    brisa_mqtt_properties props; /**< MQTT 5 */
} brisa_mqtt_publish_packet;

/** PUBACK, PUBREC, PUBREL, PUBCOMP. */
typedef struct brisa_mqtt_ack_packet {
    uint16_t packet_id;           /**< the flow's id */
    uint8_t reason_code;          /**< MQTT 5; 0 for 3.x */
    brisa_mqtt_properties props;  /**< MQTT 5 */
} brisa_mqtt_ack_packet;

/** The filters of a decoded SUBSCRIBE or UNSUBSCRIBE, already validated;
 *  walk them with brisa_mqtt_filter_list_next(). */
typedef struct brisa_mqtt_filter_list {
    const uint8_t *data; /**< the filters as on the wire */
    size_t len;          /**< bytes at data */
    size_t count;        /**< number of filters */
    bool has_options;    /**< SUBSCRIBE: each filter is followed by a byte */
} brisa_mqtt_filter_list;

/** SUBSCRIBE and UNSUBSCRIBE. */
typedef struct brisa_mqtt_subscribe_packet {
    uint16_t packet_id;              /**< the flow's id */
    brisa_mqtt_filter_list filters;  /**< one or more filters */
    brisa_mqtt_properties props;     /**< MQTT 5 */
} brisa_mqtt_subscribe_packet;

/** SUBACK, and UNSUBACK (which has no codes in MQTT 3.x: count is 0). */
typedef struct brisa_mqtt_suback_packet {
    uint16_t packet_id;    /**< the flow's id */
    const uint8_t *codes;  /**< granted QoS 0..2 or 0x80, one per filter */
    size_t count;          /**< entries at codes */
    brisa_mqtt_properties props; /**< MQTT 5 */
} brisa_mqtt_suback_packet;

/** MQTT 5 DISCONNECT and AUTH: a reason code and properties. */
typedef struct brisa_mqtt_reason_packet {
    uint8_t reason_code;          /**< the packet's reason code */
    brisa_mqtt_properties props;  /**< its properties */
} brisa_mqtt_reason_packet;

/** Any decoded packet: type and flags, and the member named after type
 *  (ack for PUBACK/PUBREC/PUBREL/PUBCOMP, subscribe for UNSUBSCRIBE too,
 *  suback for UNSUBACK too, reason for DISCONNECT and AUTH; none for
 *  PINGREQ, PINGRESP). */
typedef struct brisa_mqtt_packet {
    uint8_t type;   /**< brisa_mqtt_packet_type */
    uint8_t flags;  /**< low nibble of the first byte */
    /** The packet's fields, by type. */
    union {
        brisa_mqtt_connect_packet connect;     /**< CONNECT */
        brisa_mqtt_connack_packet connack;     /**< CONNACK */
        brisa_mqtt_publish_packet publish;     /**< PUBLISH */
        brisa_mqtt_ack_packet ack;             /**< PUBACK, PUBREC, PUBREL, PUBCOMP */
        brisa_mqtt_subscribe_packet subscribe; /**< SUBSCRIBE, UNSUBSCRIBE */
        brisa_mqtt_suback_packet suback;       /**< SUBACK, UNSUBACK */
        brisa_mqtt_reason_packet reason;       /**< DISCONNECT, AUTH */
    } u;
} brisa_mqtt_packet;

/* ---- building blocks ------------------------------------------------- */

/** Number of bytes @p value takes as a variable-byte integer (1..4), or 0
 *  when it exceeds BRISA_MQTT_MAX_REMAINING. */
size_t brisa_mqtt_vbi_size(uint32_t value);

/** Writes @p value as a variable-byte integer into @p buf. Returns the
 *  bytes written (1..4), BRISA_ERR_TOO_LARGE or BRISA_ERR_NO_SPACE. */
int brisa_mqtt_vbi_encode(uint32_t value, uint8_t *buf, size_t size);

/** Reads a variable-byte integer from @p buf. Returns the bytes used
 *  (1..4), 0 when @p buf ends before the last byte, or BRISA_ERR_MALFORMED
 *  when a fifth byte would be needed. */
int brisa_mqtt_vbi_decode(const uint8_t *buf, size_t len, uint32_t *value);

/** True when @p s is well-formed UTF-8 as MQTT wants it: no overlong
 *  forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, and no
 *  U+0000. */
bool brisa_mqtt_utf8_valid(const uint8_t *s, size_t len);

/* ---- MQTT 5 properties and reason codes -------------------------------- */

/** The coding of property @p id (enum brisa_mqtt_prop_type), or 0 for an
 *  identifier MQTT 5 does not define. */
int brisa_mqtt_prop_type(uint8_t id);

/**
 * Appends property @p p to the block being built in @p buf (@p size
 * bytes, *@p used of them already filled; *@p used grows). Returns
 * BRISA_OK, BRISA_ERR_NO_SPACE, BRISA_ERR_TOO_LARGE (a string over 65535
 * bytes, an integer too large for its type) or BRISA_ERR_INVALID_ARG
 * (unknown id, invalid UTF-8). Where the block may go is checked when a
 * packet is encoded with it.
 */
brisa_err brisa_mqtt_prop_put(uint8_t *buf, size_t size, size_t *used,
                              const brisa_mqtt_property *p);

/**
 * Checks a property block as the decoder does for @p where: every
 * property defined, allowed there, well-formed, in range and not repeated
 * when it may appear once. Returns BRISA_OK, BRISA_ERR_MALFORMED or
 * BRISA_ERR_PROTOCOL.
 */
brisa_err brisa_mqtt_props_check(brisa_mqtt_prop_where where, const brisa_mqtt_properties *pr);

/**
 * Steps through a property block (data, then extra): start with *@p pos
 * = 0; each call fills @p out (pointing into the block) and returns true,
 * or returns false after the last (or at bytes that do not parse).
 */
bool brisa_mqtt_prop_next(const brisa_mqtt_properties *pr, size_t *pos,
                          brisa_mqtt_property *out);

/** The first property @p id in @p pr, into @p out; false when absent. */
bool brisa_mqtt_prop_find(const brisa_mqtt_properties *pr, uint8_t id,
                          brisa_mqtt_property *out);

/** True when MQTT 5 lets a packet of @p type carry reason code @p code
 *  (type: CONNACK, PUBACK..PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH). */
bool brisa_mqtt_reason_allowed(uint8_t type, uint8_t code);

/** Name of MQTT 5 reason code @p code as sent in a packet of @p type
 *  ("No matching subscribers"; 0 is "Success", "Normal disconnection" or
 *  "Granted QoS 0" by packet); never NULL. */
const char *brisa_mqtt_reason_str(uint8_t type, uint8_t code);

/* ---- decoding -------------------------------------------------------- */

/**
 * Parses the fixed header at the start of @p buf (a stream's framing
 * step) and checks the type and its reserved flag bits.
 * Returns the header length (2..5) with @p fh filled; 0 when @p buf ends
 * inside the header (read more); BRISA_ERR_MALFORMED (type 0 or 15,
 * reserved flags, QoS 3, DUP at QoS 0, a fifth length byte) or
 * BRISA_ERR_UNSUPPORTED (an MQTT 5 context).
 */
int brisa_mqtt_fixed_header_decode(const brisa_mqtt_codec *cx, const uint8_t *buf,
                                   size_t len, brisa_mqtt_fixed_header *fh);

/**
 * Decodes the body of one packet: @p first_byte is the packet's first
 * byte, @p body its @p len bytes after the fixed header (exactly the
 * remaining length). @p p points into @p body afterwards.
 * Returns BRISA_OK, BRISA_ERR_MALFORMED, or BRISA_ERR_UNSUPPORTED (a
 * CONNECT for a protocol level not built, MQTT 5 context).
 */
brisa_err brisa_mqtt_body_decode(const brisa_mqtt_codec *cx, uint8_t first_byte,
                                 const uint8_t *body, size_t len, brisa_mqtt_packet *p);

/**
 * Decodes the packet at the start of @p buf, which must hold all of it
 * (a packet cut short is malformed here; stream readers frame with
 * brisa_mqtt_fixed_header_decode() first). Bytes after the packet are
 * left alone. Returns the packet's total length (> 0) or a negative
 * brisa_err as for brisa_mqtt_body_decode().
 */
int brisa_mqtt_packet_decode(const brisa_mqtt_codec *cx, const uint8_t *buf, size_t len,
                             brisa_mqtt_packet *p);

/**
 * Header-only view of a PUBLISH, for payloads streamed through a small
 * buffer: @p body holds the first @p avail bytes of a body whose
 * remaining length is @p remaining. Fills topic, packet id and flags,
 * sets payload to body + header and payload_len to the payload's full
 * length. Returns the variable header's length (> 0); 0 when @p avail
 * ends before the topic and packet id (read more, if there is room);
 * BRISA_ERR_MALFORMED.
 */
int brisa_mqtt_publish_header_decode(const brisa_mqtt_codec *cx, uint8_t first_byte,
                                     const uint8_t *body, size_t avail, size_t remaining,
                                     brisa_mqtt_publish_packet *p);

/**
 * Steps through a decoded filter list: start with *@p pos = 0; each call
 * gives the next filter (and its options byte for SUBSCRIBE, else 0) and
 * returns true, or returns false after the last.
 */
bool brisa_mqtt_filter_list_next(const brisa_mqtt_filter_list *l, size_t *pos,
                                 brisa_mqtt_str *filter, uint8_t *options);

/** @name Encoders
 * Every encoder writes one whole packet into the caller's @p buf of
 * @p size bytes and returns its length (> 0), or: BRISA_ERR_NO_SPACE
 * (buf too small; nothing useful written), BRISA_ERR_TOO_LARGE (a string
 * over 65535 bytes or a remaining length over 268435455),
 * BRISA_ERR_INVALID_ARG (invalid UTF-8, bad topic or filter, QoS > 2,
 * packet id 0 where one is needed, empty filter list), or
 * BRISA_ERR_UNSUPPORTED (protocol level).
 * @{ */

/** CONNECT, with the protocol name and level of @p cx ("MQIsdp"/3 or
 *  "MQTT"/4). A password needs a username. */
int brisa_mqtt_connect_encode(const brisa_mqtt_codec *cx, const brisa_mqtt_connect_packet *p,
                              uint8_t *buf, size_t size);

/** CONNACK (a broker's packet; used by tests and fake brokers). */
int brisa_mqtt_connack_encode(const brisa_mqtt_codec *cx, const brisa_mqtt_connack_packet *p,
                              uint8_t *buf, size_t size);

/** PUBLISH with its payload copied after the header. */
int brisa_mqtt_publish_encode(const brisa_mqtt_codec *cx, const brisa_mqtt_publish_packet *p,
                              uint8_t *buf, size_t size);

/** PUBLISH fixed header, topic and packet id only, with a remaining length
 *  that counts p->payload_len: the caller sends the payload itself right
 *  after (zero copy). p->payload is not read. */
int brisa_mqtt_publish_encode_header(const brisa_mqtt_codec *cx,
                                     const brisa_mqtt_publish_packet *p,
                                     uint8_t *buf, size_t size);

/** PUBACK, PUBREC, PUBREL (flags 0x2 added) or PUBCOMP, per @p type. */
int brisa_mqtt_ack_encode(const brisa_mqtt_codec *cx, uint8_t type,
                          const brisa_mqtt_ack_packet *p, uint8_t *buf, size_t size);

/** SUBSCRIBE for @p count (>= 1) filters with their maximum QoS. */
int brisa_mqtt_subscribe_encode(const brisa_mqtt_codec *cx, uint16_t packet_id,
                                const brisa_mqtt_subscription *subs, size_t count,
                                uint8_t *buf, size_t size);

/** SUBACK (a broker's packet): one code (0, 1, 2 or 0x80) per filter. */
int brisa_mqtt_suback_encode(const brisa_mqtt_codec *cx, const brisa_mqtt_suback_packet *p,
                             uint8_t *buf, size_t size);

/** UNSUBSCRIBE for @p count (>= 1) NUL-terminated filters. */
int brisa_mqtt_unsubscribe_encode(const brisa_mqtt_codec *cx, uint16_t packet_id,
                                  const char *const *filters, size_t count,
                                  uint8_t *buf, size_t size);

/** UNSUBACK (a broker's packet); p->codes are ignored for MQTT 3.x. */
int brisa_mqtt_unsuback_encode(const brisa_mqtt_codec *cx, const brisa_mqtt_suback_packet *p,
                               uint8_t *buf, size_t size);

/** PINGREQ, PINGRESP or DISCONNECT (two bytes), per @p type. */
int brisa_mqtt_empty_encode(const brisa_mqtt_codec *cx, uint8_t type,
                            uint8_t *buf, size_t size);

/** SUBSCRIBE with MQTT 5 properties (@p props may be NULL; ignored for
 *  3.x, where each subscription's options must be 0). */
int brisa_mqtt_subscribe_encode_props(const brisa_mqtt_codec *cx, uint16_t packet_id,
                                      const brisa_mqtt_subscription *subs, size_t count,
                                      const brisa_mqtt_properties *props,
                                      uint8_t *buf, size_t size);

/** UNSUBSCRIBE with MQTT 5 properties (@p props may be NULL). */
int brisa_mqtt_unsubscribe_encode_props(const brisa_mqtt_codec *cx, uint16_t packet_id,
                                        const char *const *filters, size_t count,
                                        const brisa_mqtt_properties *props,
                                        uint8_t *buf, size_t size);

/** MQTT 5 DISCONNECT or AUTH (per @p type) with a reason code and
 *  properties; the shortest form the specification allows is written
 *  (no bytes at all for reason 0 without properties). */
int brisa_mqtt_reason_encode(const brisa_mqtt_codec *cx, uint8_t type,
                             const brisa_mqtt_reason_packet *p, uint8_t *buf, size_t size);
/** @} */

BRISA_END_DECLS

#endif /* BRISA_MQTT_CODEC_H */
