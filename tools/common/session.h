// SPDX-License-Identifier: MIT
/* What brisa-pub and brisa-sub share once the options are parsed: opening
 * the transport to the broker, the MQTT client and its memory, CONNECT
 * with clear errors, DISCONNECT, and mosquitto-style debug output. */
#ifndef BRISA_TOOLS_SESSION_H
#define BRISA_TOOLS_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "brisa/mqtt.h"
#include "brisa/mqtt_reconnect.h"
#include "brisa/mqtt_scram.h"
#include "brisa/port/posix_store.h"
#include "brisa/port/posix_tcp.h"
#include "brisa/tls.h"
#include "brisa/ws.h"
#include "opts.h"

/* Outgoing packets except PUBLISH payloads (CONNECT with its will, a
 * SUBSCRIBE with every filter, a PUBLISH header with its topic). */
#define TOOLS_TX_SIZE 16384
/* Incoming packets; larger messages are delivered in chunks. */
#define TOOLS_RX_SIZE 4096

/* WebSocket frames: a PUBLISH header and a buffer's worth of payload fit
 * in one frame. */
#define TOOLS_WS_TX_SIZE (TOOLS_TX_SIZE + BRISA_WS_MAX_HEADER)
#define TOOLS_WS_RX_SIZE 1024

/* The byte stream to the broker: TCP (to the broker, or a tunnel through
 * an HTTP proxy), with TLS over it and WebSockets over that when asked
 * for; the rest of the tools only ever see `transport`. */
typedef struct tools_link {
    brisa_posix_tcp tcp;
    brisa_tls *tls;         /* NULL without TLS */
    brisa_clock clock;      /* certificate dates and deadlines of tls */
    brisa_rng rng;          /* WebSocket key and masks */
    bool ws_open;
    brisa_ws ws;
    uint8_t ws_rx[TOOLS_WS_RX_SIZE];
    uint8_t ws_tx[TOOLS_WS_TX_SIZE];
    brisa_transport transport;
} tools_link;

/**
 * Opens the transport to the broker that @p o names (host, port, address
 * family, TLS). Prints one line on stderr on failure.
 * Returns BRISA_OK or the brisa_err of the failure.
 */
int tools_open_transport(const tools_opts *o, tools_link *link);

/** Closes the transport (TLS close_notify, TCP FIN) and frees the TLS
 *  state. Safe to call more than once. */
void tools_link_close(tools_link *link);

/** The system's reason for the link's last failure ("Connection reset by
 *  peer"), or "" if it has none. */
const char *tools_link_reason(const tools_link *link);

typedef struct tools_session {
    const tools_opts *opts;
    tools_link link;
    brisa_mqtt_client client;
    brisa_mqtt_connect_options co;   /* for every (re)connection */
    brisa_mqtt_reconnect rc;         /* after tools_session_watch() */
    bool watched;
    brisa_posix_store store;         /* --store */
    uint8_t *store_arena;            /* --store: the restored flows' bytes */
    brisa_mqtt_event_cb on_event;    /* the tool's own, with user */
    brisa_mqtt_will will;
    brisa_mqtt_inflight inflight[TOOLS_INFLIGHT];
    uint8_t tx[TOOLS_TX_SIZE];
    uint8_t rx[TOOLS_RX_SIZE];
    brisa_mqtt_message_cb on_message; /* the tool's own, with its user */
    void *user;
#if BRISA_MQTT5
    brisa_mqtt_topic_alias aliases[8]; /* MQTT 5 outgoing topic aliases */
    brisa_mqtt_topic_alias aliases_in[8]; /* and the broker's */
    char reason[160];                /* the last DISCONNECT's reason string */
    brisa_scram scram;               /* --scram */
    brisa_mqtt_auth auth;
    uint64_t next_reauth_ms;         /* --scram-reauth: when next (0: not yet set) */
#endif
} tools_session;

/** MQTT 5: the properties -D gave for @p cmd, or NULL when none. */
const brisa_mqtt_properties *tools_props(const tools_opts *o, tools_prop_cmd cmd,
                                         brisa_mqtt_properties *out);

/** The exit status for a CONNECT the broker refused, as mosquitto_pub and
 *  mosquitto_sub have it: the CONNACK return code (3.1.1: 1-5) or reason
 *  code (5: 128-162) itself. */
int tools_refused_status(uint8_t return_code);

/** The name of a CONNACK code at the session's protocol level. */
const char *tools_connack_name(const tools_opts *o, uint8_t rc);

/**
 * Opens the transport, sets up the client with @p on_message / @p user,
 * and connects (CONNECT, CONNACK) with the options of @p o, which must
 * outlive @p s. Returns TOOLS_EXIT_OK, or TOOLS_EXIT_FAIL after printing
 * one line that says what went wrong (refused and why, no answer,
 * unreachable...).
 */
int tools_session_connect(tools_session *s, const tools_opts *o,
                          brisa_mqtt_message_cb on_message, void *user);

/**
 * From now on, reconnects by itself when the connection is lost (unless
 * --exit-on-loss), subscribing again to @p subs (may be NULL) when the
 * broker kept no session. @p on_event (may be NULL) gets the client's
 * events. Lost connections and attempts are told on stderr.
 */
void tools_session_watch(tools_session *s, const brisa_mqtt_subscription *subs,
                         size_t count, brisa_mqtt_event_cb on_event);

/**
 * Runs the session for at most @p ms (the client's process loop, or the
 * wait and attempts of a reconnection). Returns TOOLS_EXIT_OK, or
 * TOOLS_EXIT_FAIL after printing why (the connection was lost with
 * --exit-on-loss, or reconnecting was given up).
 */
int tools_session_run(tools_session *s, uint32_t ms);

/** Waits for the flow of @p id (SUBACK, UNSUBACK, PUBACK...) in short
 *  slices, so a signal is noticed at once. Returns TOOLS_EXIT_OK when it
 *  completed -- also refused by the broker (BRISA_ERR_REFUSED): the caller
 *  names what was refused from the acknowledgement's codes -- or a signal
 *  asked to stop (see tools_stop_requested()), or
 *  TOOLS_EXIT_FAIL after printing "<doing>: <why>". */
int tools_session_wait(tools_session *s, uint16_t id, const char *doing);

/** One line saying why the connection ended: what was waited for and how
 *  long, which packet broke the protocol, or the system's reason. */
const char *tools_session_why(tools_session *s, int err);

/** Prints "prog: <doing>: <what err means>", with the system's reason
 *  when the transport failed. Returns TOOLS_EXIT_FAIL. */
int tools_session_fail(tools_session *s, const char *doing, int err);

/** Sends DISCONNECT (if still connected) and closes the transport. */
void tools_session_end(tools_session *s);

/** The client's on_trace callback (@p user is the tools_session): prints
 *  each packet on stdout the way mosquitto's -d does. */
void tools_trace(void *user, const brisa_mqtt_trace *t);

/** Milliseconds of the monotonic clock. */
uint64_t tools_now_ms(void);

/** SIGINT and SIGTERM end the tool within 100 ms in any state: the main
 *  loop sees tools_stop_requested() and says goodbye (DISCONNECT); if it
 *  has not exited 80 ms later, or no connection is up, the process exits
 *  at once with @p status. */
void tools_signals_install(int status);

/** True once SIGINT or SIGTERM arrived. */
bool tools_stop_requested(void);

/** Tells the signal handler whether a connection is up (a goodbye is
 *  worth waiting for). */
void tools_set_connected(bool up);

#endif /* BRISA_TOOLS_SESSION_H */
