// SPDX-License-Identifier: MIT
/**
 * @file sim7600.h
 * The SIMCom SIM7600 driver: the modem's own MQTT(S) client, driven by AT
 * commands through the engine of brisa/at.h.
 *
 * Freestanding and allocation-free like brisa_mqtt: the caller supplies the
 * driver struct and the buffers incoming messages are reassembled in. The
 * API is shaped like brisa/mqtt.h (connect, publish, subscribe,
 * unsubscribe, disconnect, a process call, message and event callbacks)
 * so an application can swap its link; the differences come from the
 * module: two client indexes (0 and 1), one operation at a time per
 * client, topics up to 1024 bytes and payloads up to 10240 bytes.
 *
 * Every call is blocking: it returns once the module has answered (for
 * CONNECT, PUBLISH, SUBSCRIBE, UNSUBSCRIBE and DISCONNECT, once the
 * module's own "+CMQTT...: idx,err" result has come). Messages and
 * connection losses that arrive meanwhile, or during
 * brisa_sim7600_process(), go to the callbacks. Callbacks must not call
 * the driver (BRISA_ERR_STATE).
 *
 * When the module refuses, a call returns BRISA_ERR_REFUSED (or
 * BRISA_ERR_TIMEOUT) and brisa_sim7600_error() says which command and
 * which code: name the code with brisa_sim7600_err_str().
 *
 * @code
 * brisa_sim7600_bringup(&m, &net);
 * brisa_sim7600_mqtt_start(&m);
 * brisa_sim7600_server srv = { .host = "broker.lan", .port = 1883 };
 * brisa_mqtt_connect_options o = { .client_id = "dev1", .clean_session = true,
 *                                  .keepalive_s = 60 };
 * brisa_sim7600_connect(&m, 0, &srv, &o);
 * brisa_sim7600_publish(&m, 0, "/test/1", "HoLa", 4, 1, false);
 * @endcode
 */
#ifndef BRISA_SIM7600_H
#define BRISA_SIM7600_H

#include "brisa/err.h"
#include "brisa/export.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/at.h"
#include "brisa/mqtt.h"

BRISA_BEGIN_DECLS

#define BRISA_SIM7600_TOPIC_MAX 1024    /**< module's topic limit */
#define BRISA_SIM7600_PAYLOAD_MAX 10240 /**< module's payload limit */
#define BRISA_SIM7600_CLIENTS 2         /**< client indexes 0 and 1 */
#define BRISA_SIM7600_SSL_CONTEXTS 10   /**< SSL contexts 0..9 */
/* BRISA_SIM7600_CMD_MAX and BRISA_SIM7600_CERT_RECORDS: brisa/config.h */

/** Events reported to on_event. */
typedef enum brisa_sim7600_event_type {
    BRISA_SIM7600_EVT_CONNLOST,     /**< +CMQTTCONNLOST: code is the cause */
    BRISA_SIM7600_EVT_PING_FAILED,  /**< +CMQTTPING: keepalive failed (code) */
    BRISA_SIM7600_EVT_NO_NET,       /**< +CMQTTNONET: MQTT must be restarted */
    BRISA_SIM7600_EVT_RESET,        /**< RDY: the module restarted, all lost */
    BRISA_SIM7600_EVT_DROPPED       /**< an incoming message was malformed or
                                         larger than the buffers: dropped */
} brisa_sim7600_event_type;

/** Something the module reported on its own (a URC), for on_event. */
typedef struct brisa_sim7600_event {
    brisa_sim7600_event_type type; /**< what happened */
    int client;                 /**< client index, -1 for the whole module */
    int code;                   /**< the module's cause or error code */
} brisa_sim7600_event;

/** Receives an event; @p user is the config's; @p e is valid only during
 *  the call. */
typedef void (*brisa_sim7600_event_cb)(void *user, const brisa_sim7600_event *e);

/** An incoming message of client @p client; as brisa_mqtt_message (QoS,
 *  retain and packet id are not reported by the module: 0). Messages
 *  larger than payload_buf come in chunks with increasing offsets. */
typedef void (*brisa_sim7600_message_cb)(void *user, int client,
                                         const brisa_mqtt_message *m);

/** Driver settings: copied by brisa_sim7600_init(); the buffers and the
 *  serial stream's and clock's contexts stay the caller's and must outlive
 *  the driver. */
typedef struct brisa_sim7600_config {
    brisa_transport serial;     /**< open serial stream to the module */
    brisa_clock clock;          /**< monotonic time for timeouts */
    char *line_buf;             /**< the engine's line buffer (>= 64; 128 is ample) */
    size_t line_size;           /**< bytes at line_buf */
    char *topic_buf;            /**< incoming topics: 1024 bytes take any */
    size_t topic_size;          /**< bytes at topic_buf */
    uint8_t *payload_buf;       /**< incoming payloads (chunks if smaller
                                     than the message) */
    size_t payload_size;        /**< bytes at payload_buf */
    brisa_sim7600_message_cb on_message; /**< incoming messages; may be NULL */
    brisa_sim7600_event_cb on_event;     /**< URCs; may be NULL */
    brisa_at_trace_cb on_trace; /**< every line, for debug output */
    void *user;                 /**< passed to the three callbacks above */
    uint32_t cmd_timeout_ms;    /**< plain commands (0: 9 s) */
    uint16_t mqtt_timeout_s;    /**< the module's wait for PUBACK, SUBACK,
                                     DISCONNECT... (0: 60 s, the seed's) */
} brisa_sim7600_config;

/** Where a client connects. */
typedef struct brisa_sim7600_server {
    const char *host;           /**< name or address; the module resolves it */
    uint16_t port;              /**< 0: not given (the module's 1883) */
    bool tls;                   /**< ACCQ server type 1 and CMQTTSSLCFG */
    uint8_t ssl_ctx;            /**< SSL context for TLS (0..9) */
} brisa_sim7600_server;

/** Network bring-up. */
typedef struct brisa_sim7600_net {
    const char *apn;            /**< NULL: keep the module's PDP context */
    uint8_t cid;                /**< PDP context id (0: 1) */
    uint32_t register_timeout_ms; /**< wait for CREG/CGREG home or roaming
                                       (0: 60 s) */
} brisa_sim7600_net;

/** Settings of an SSL context (AT+CSSLCFG); -1 / NULL leaves one unset. */
typedef struct brisa_sim7600_ssl {
    int sslversion;             /**< 0 SSL3.0, 1 TLS1.0, 2 TLS1.1, 3 TLS1.2, 4 all */
    int authmode;               /**< 0 none, 1 server, 2 server and client */
    const char *cacert;         /**< file names on the module */
    const char *clientcert;     /**< the client's certificate file */
    const char *clientkey;      /**< the client's key file */
    int enable_sni;             /**< 0 or 1 */
    int ignore_local_time;      /**< 0 or 1 */
} brisa_sim7600_ssl;

/** An SSL settings struct with everything unset. */
brisa_sim7600_ssl brisa_sim7600_ssl_unset(void);

/** Which step failed last, and how. */
typedef struct brisa_sim7600_error {
    const char *command;        /**< "AT+CMQTTCONNECT", static text */
    int kind;                   /**< BRISA_SIM7600_ERRK_* */
    int code;                   /**< module's err code or +CME code */
} brisa_sim7600_error;

#define BRISA_SIM7600_ERRK_NONE 0    /**< no failure, or ours (an argument) */
#define BRISA_SIM7600_ERRK_ERROR 1   /**< plain ERROR */
#define BRISA_SIM7600_ERRK_CME 2     /**< +CME ERROR: code */
#define BRISA_SIM7600_ERRK_MQTT 3    /**< +CMQTT...: idx,code */
#define BRISA_SIM7600_ERRK_TIMEOUT 4 /**< no answer in time */
#define BRISA_SIM7600_ERRK_STATE 5   /**< unexpected answer (SIM, registration...) */

/** A file this driver uploaded since it started (see
 *  brisa_sim7600_cert_ensure()). Internal: part of brisa_sim7600. */
typedef struct brisa_sim7600_certrec {
    uint32_t name_hash; /**< FNV-1a of the file name */
    uint32_t data_hash; /**< FNV-1a of the content */
    size_t len;         /**< the content's length */
} brisa_sim7600_certrec;

/** The driver. Caller-allocated; fields are private. */
typedef struct brisa_sim7600 {
    /** @cond PRIVATE */
    brisa_sim7600_config cfg;
    brisa_at at;
    char cmd[BRISA_SIM7600_CMD_MAX];
    brisa_sim7600_error err;
    brisa_sim7600_certrec certs[BRISA_SIM7600_CERT_RECORDS];
    const brisa_sim7600_server *server[BRISA_SIM7600_CLIENTS];
    const brisa_mqtt_connect_options *opts[BRISA_SIM7600_CLIENTS];
    bool acquired[BRISA_SIM7600_CLIENTS];
    bool connected[BRISA_SIM7600_CLIENTS];
    int rssi;                   /**< last AT+CSQ (99: unknown) */
    /* incoming message being reassembled */
    int rx_client;              /**< -1: none */
    size_t rx_topic_total, rx_topic_have;
    size_t rx_payload_total, rx_payload_have, rx_payload_sent;
    uint8_t rx_stage;           /**< which raw bytes are coming */
    bool rx_bad;
    int result;                 /**< code of the last "+CMQTT...: idx,code" */
    /** @endcond */
} brisa_sim7600;

/** Prepares @p m from @p cfg (copied). Returns BRISA_OK or
 *  BRISA_ERR_INVALID_ARG (missing serial or clock, line buffer under 64,
 *  no topic or payload buffer). */
brisa_err brisa_sim7600_init(brisa_sim7600 *m, const brisa_sim7600_config *cfg);

/** AT until the module answers (10 tries, 1 s each), then ATE0: enough
 *  for certificate work. Returns BRISA_OK or the error. */
brisa_err brisa_sim7600_hello(brisa_sim7600 *m);

/**
 * Brings the module up: brisa_sim7600_hello(), AT+CPIN? (READY),
 * AT+CSQ, AT+CREG? and AT+CGREG? (until registered, home or roaming),
 * AT+CGDCONT with the APN, AT+NETOPEN (already open is fine).
 * Returns BRISA_OK, BRISA_ERR_TIMEOUT, BRISA_ERR_REFUSED or
 * BRISA_ERR_STATE (no SIM, not registered): see brisa_sim7600_error().
 */
brisa_err brisa_sim7600_bringup(brisa_sim7600 *m, const brisa_sim7600_net *net);

/**
 * The network's time, the cellular stand-in for NTP: with @p ntp_server
 * NULL, AT+CTZU=1 then AT+CCLK?; otherwise AT+CNTP="server",0, AT+CNTP
 * and AT+CCLK?. Stores UTC milliseconds in @p unix_ms. Returns BRISA_OK,
 * BRISA_ERR_CLOCK (the module does not know the time yet) or an error.
 */
brisa_err brisa_sim7600_time(brisa_sim7600 *m, const char *ntp_server, int64_t *unix_ms);

/** Uploads a file with AT+CCERTDOWN (always). Returns BRISA_OK or an
 *  error; @p len must be 1..10240. */
brisa_err brisa_sim7600_cert_download(brisa_sim7600 *m, const char *name,
                                      const uint8_t *data, size_t len);

/** Lists the module's files (AT+CCERTLIST): @p cb gets each name (not
 *  NUL-terminated). Returns BRISA_OK, or as the file's introduction says. */
brisa_err brisa_sim7600_cert_list(brisa_sim7600 *m,
                                  void (*cb)(void *user, const char *name, size_t len),
                                  void *user);

/** Deletes a file (AT+CCERTDELE). Returns BRISA_OK, or as the file's
 *  introduction says. */
brisa_err brisa_sim7600_cert_delete(brisa_sim7600 *m, const char *name);

/**
 * Uploads @p data as @p name only when the module lacks it or may hold
 * something else. A module cannot read a file back, so "the same" means:
 * the name carries the content's hash (made by brisa_sim7600_cert_name),
 * or this driver uploaded exactly this content (length and FNV-1a hash)
 * under this name since it started. Anything else is uploaded again.
 * @p uploaded (may be NULL) says whether it was.
 */
brisa_err brisa_sim7600_cert_ensure(brisa_sim7600 *m, const char *name,
                                    const uint8_t *data, size_t len, bool *uploaded);

/** Writes "<prefix>-<8 hex digits of the content's FNV-1a hash>.pem" into
 *  @p out. Returns BRISA_OK or BRISA_ERR_NO_SPACE. */
brisa_err brisa_sim7600_cert_name(char *out, size_t size, const char *prefix,
                                  const uint8_t *data, size_t len);

/** Sets one AT+CSSLCFG item of context @p ctx: a file name (cacert,
 *  clientcert, clientkey) ... Returns BRISA_OK, or as the file's introduction
 *  says. */
brisa_err brisa_sim7600_ssl_set_file(brisa_sim7600 *m, uint8_t ctx, const char *item,
                                     const char *file);
/** ... or a number (sslversion, authmode, enableSNI, ignorelocaltime).
 *  Returns BRISA_OK, or as the file's introduction says. */
brisa_err brisa_sim7600_ssl_set_int(brisa_sim7600 *m, uint8_t ctx, const char *item,
                                    int value);
/** Applies every set field of @p ssl to context @p ctx, in the order
 *  sslversion, cacert, clientcert, clientkey, authmode, enableSNI,
 *  ignorelocaltime. Returns BRISA_OK, or as the file's introduction says. */
brisa_err brisa_sim7600_ssl_configure(brisa_sim7600 *m, uint8_t ctx,
                                      const brisa_sim7600_ssl *ssl);

/** AT+CMQTTSTART (already started is fine). Returns BRISA_OK, or as the
 *  file's introduction says. */
brisa_err brisa_sim7600_mqtt_start(brisa_sim7600 *m);
/** AT+CMQTTSTOP. Returns BRISA_OK, or as the file's introduction says. */
brisa_err brisa_sim7600_mqtt_stop(brisa_sim7600 *m);

/**
 * Connects client @p client (0 or 1): AT+CMQTTACCQ (once), AT+CMQTTSSLCFG
 * for TLS, AT+CMQTTWILLTOPIC / WILLMSG for a will, AT+CMQTTCONNECT.
 * @p server and @p o must outlive the connection (brisa_sim7600_reconnect
 * uses them again). Refused before anything is sent, with
 * BRISA_ERR_INVALID_ARG: an empty client id, keepalive 0, MQTT 3.1, a will
 * with retain, a string with '"' in it; BRISA_ERR_TOO_LARGE: a will topic
 * over 1024 or message over 10240 bytes, a command over
 * BRISA_SIM7600_CMD_MAX. A refused CONNACK is BRISA_ERR_REFUSED with codes
 * 27..31 in brisa_sim7600_error(). Returns BRISA_OK once the broker accepted.
 */
brisa_err brisa_sim7600_connect(brisa_sim7600 *m, int client,
                                const brisa_sim7600_server *server,
                                const brisa_mqtt_connect_options *o);

/** Connects @p client again with what the last connect used (after
 *  BRISA_SIM7600_EVT_CONNLOST). Returns BRISA_OK, or as the file's
 *  introduction says. */
brisa_err brisa_sim7600_reconnect(brisa_sim7600 *m, int client);

/**
 * Publishes: AT+CMQTTTOPIC, AT+CMQTTPAYLOAD (left out for an empty
 * payload), AT+CMQTTPUB; returns when the module reports the flow done
 * (PUBACK/PUBCOMP for QoS 1/2). A topic over 1024 bytes or a payload
 * over 10240 is BRISA_ERR_TOO_LARGE before anything is sent; an invalid
 * topic or QoS is BRISA_ERR_INVALID_ARG.
 */
brisa_err brisa_sim7600_publish(brisa_sim7600 *m, int client, const char *topic,
                                const void *payload, size_t len, uint8_t qos, bool retain);

/** Subscribes: AT+CMQTTSUBTOPIC then AT+CMQTTSUB. Returns BRISA_OK, or as the
 *  file's introduction says. */
brisa_err brisa_sim7600_subscribe(brisa_sim7600 *m, int client, const char *filter, uint8_t qos);

/** Unsubscribes: AT+CMQTTUNSUBTOPIC then AT+CMQTTUNSUB. Returns BRISA_OK, or
 *  as the file's introduction says. */
brisa_err brisa_sim7600_unsubscribe(brisa_sim7600 *m, int client, const char *filter);

/** AT+CMQTTDISC (DISCONNECT to the broker; the client stays acquired).
 *  Returns BRISA_OK, or as the file's introduction says. */
brisa_err brisa_sim7600_disconnect(brisa_sim7600 *m, int client);

/** AT+CMQTTREL: releases the client index. Returns BRISA_OK, or as the file's
 *  introduction says. */
brisa_err brisa_sim7600_release(brisa_sim7600 *m, int client);

/** Handles what the module sends for at most @p timeout_ms (messages,
 *  connection losses). Returns BRISA_OK or the serial port's error. */
brisa_err brisa_sim7600_process(brisa_sim7600 *m, uint32_t timeout_ms);

/** True between a successful connect and its end (DISC, CONNLOST...). */
bool brisa_sim7600_is_connected(const brisa_sim7600 *m, int client);

/** The last failure. */
const brisa_sim7600_error *brisa_sim7600_error_get(const brisa_sim7600 *m);

/** Describes the last failure in @p buf (NUL-terminated; a piece that
 *  does not fit is left out):
 *  "AT+CMQTTCONNECT: handshake fail (error 32)", "AT+CPIN?: +CME ERROR:
 *  10", "AT+CMQTTPUB: over the module's limits (...)"; @p err is what the
 *  failed call returned. Returns the length written. */
size_t brisa_sim7600_describe(const brisa_sim7600 *m, int err, char *buf, size_t size);

/** Name of an MQTT result code of the module ("handshake fail"); never
 *  NULL. */
const char *brisa_sim7600_err_str(int code);

/** Name of a +CMQTTCONNLOST cause ("socket is reset"); never NULL. */
const char *brisa_sim7600_connlost_str(int cause);

BRISA_END_DECLS

#endif /* BRISA_SIM7600_H */
