// SPDX-License-Identifier: MIT
/**
 * @file connect.h
 * The layers of a connection to a broker over an open TCP stream, in the
 * one order they go: an HTTP CONNECT tunnel (a proxy), TLS, WebSockets.
 *
 * The device, the tools and the benchmark open TCP their own way (POSIX
 * sockets with a cancel hook, lwIP on the board) and hand the stream here;
 * what comes back is the transport MQTT runs over. Typical use:
 *
 *     brisa_connect_config cc = { .host = "broker.lan", .port = 8883,
 *                                 .clock = &clock, .tls = tls };
 *     brisa_connect conn;
 *     if (brisa_connect_layers(&conn, &cc, &tcp) < 0)
 *         fprintf(stderr, "%s: %s\n", brisa_connect_step_name(conn.failed),
 *                 conn.detail);
 *     brisa_mqtt_set_transport(&client, &conn.transport);
 *
 * Nothing is allocated: the TLS state, the WebSocket and their buffers
 * are the caller's.
 */
#ifndef BRISA_CONNECT_H
#define BRISA_CONNECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/clock.h"
#include "brisa/err.h"
#include "brisa/export.h"
#include "brisa/tls.h"
#include "brisa/transport.h"
#include "brisa/ws.h"

BRISA_BEGIN_DECLS

/** Which layer failed. */
typedef enum brisa_connect_step {
    BRISA_CONNECT_NONE = 0,   /**< nothing failed */
    BRISA_CONNECT_TUNNEL = 1, /**< the proxy's CONNECT tunnel */
    BRISA_CONNECT_TLS = 2,    /**< the TLS handshake */
    BRISA_CONNECT_WS = 3      /**< the WebSocket upgrade */
} brisa_connect_step;

/** What to put over the TCP stream. Zeroed fields mean "no such layer". */
typedef struct brisa_connect_config {
    const char *host;         /**< the broker, as the proxy should reach it */
    uint16_t port;            /**< the broker's port */
    const brisa_clock *clock; /**< required with a tunnel */
    uint32_t timeout_ms;      /**< the tunnel's answer; 0: 10 000 */
    bool tunnel;              /**< the TCP stream reaches an HTTP proxy */
    const char *proxy_user;   /**< NULL: no Proxy-Authorization */
    const char *proxy_password; /**< NULL: empty */
    uint8_t *proxy_buf;       /**< the tunnel's request and answer; >= 256 bytes */
    size_t proxy_buf_size;    /**< bytes at @c proxy_buf */
    brisa_tls *tls;           /**< set up (brisa_tls_setup) by the caller; NULL: no TLS */
    brisa_ws *ws;             /**< NULL: no WebSockets */
    const brisa_ws_config *ws_cfg; /**< with @c ws: its configuration */
} brisa_connect_config;

/** The connection's layers once open, or which one failed and why. */
typedef struct brisa_connect {
    brisa_transport transport;  /**< the top layer: what MQTT runs over */
    brisa_connect_step failed;  /**< BRISA_CONNECT_NONE after success */
    char detail[256];           /**< why it failed, in words; "" if it did not */
} brisa_connect;

/**
 * Opens the configured layers over @p tcp in order: tunnel, TLS,
 * WebSockets. Returns BRISA_OK with @p c->transport the top layer, or the
 * failing layer's error, with @p c->failed and @p c->detail saying which
 * and why; then everything, @p tcp included, is closed.
 */
brisa_err brisa_connect_layers(brisa_connect *c, const brisa_connect_config *cfg,
                               const brisa_transport *tcp);

/** "proxy tunnel", "TLS", "WebSocket", or "" for @p step. */
const char *brisa_connect_step_name(brisa_connect_step step);

BRISA_END_DECLS

#endif /* BRISA_CONNECT_H */
