// SPDX-License-Identifier: MIT
/**
 * @file proxy.h
 * A tunnel through an HTTP proxy (HTTP/1.1 CONNECT, RFC 9110 section
 * 9.3.6), optionally with basic authentication (RFC 7617).
 *
 * Open a transport to the proxy, call brisa_proxy_connect(); on success
 * the same transport now reaches the broker: put TLS, WebSockets or MQTT
 * straight over it. The proxy's answer is read byte by byte, so nothing
 * of the broker's stream is taken from it. Freestanding: no allocation.
 */
#ifndef BRISA_PROXY_H
#define BRISA_PROXY_H

#include <stddef.h>
#include <stdint.h>

#include "brisa/clock.h"
#include "brisa/config.h"
#include "brisa/err.h"
#include "brisa/export.h"
#include "brisa/transport.h"

BRISA_BEGIN_DECLS

/** What to ask the proxy for, and with what. */
typedef struct brisa_proxy_config {
    const char *host;        /**< the broker, as the proxy should reach it */
    uint16_t port;           /**< the broker's port */
    const char *user;        /**< NULL: no Proxy-Authorization */
    const char *password;    /**< NULL: empty */
    const brisa_clock *clock;/**< required */
    uint8_t *buf;            /**< request and answer head; >= 256 bytes */
    size_t size;             /**< bytes at @p buf */
    uint32_t timeout_ms;     /**< 0: 10 000 */
} brisa_proxy_config;

/**
 * Asks the proxy behind @p inner for a tunnel to cfg->host:cfg->port.
 * Returns BRISA_OK (the tunnel is open); BRISA_ERR_PROXY_AUTH (407: no or
 * wrong credentials); BRISA_ERR_PROXY (another refusal: 403, 502...);
 * BRISA_ERR_MALFORMED (not an HTTP answer); BRISA_ERR_TOO_LARGE (answer's
 * head over cfg->size); BRISA_ERR_INVALID_ARG; BRISA_ERR_TIMEOUT or the
 * inner transport's error. @p detail (NUL-terminated, @p detail_size
 * bytes) receives one line for people. @p inner is not closed.
 */
brisa_err brisa_proxy_connect(const brisa_transport *inner, const brisa_proxy_config *cfg,
                              char *detail, size_t detail_size);

BRISA_END_DECLS

#endif /* BRISA_PROXY_H */
