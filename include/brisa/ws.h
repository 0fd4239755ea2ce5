// SPDX-License-Identifier: MIT
/**
 * @file ws.h
 * MQTT over WebSockets (RFC 6455): a brisa_transport that wraps another.
 *
 * brisa_ws_connect() sends the HTTP/1.1 Upgrade request (with
 * "Sec-WebSocket-Protocol: mqtt", a random Sec-WebSocket-Key) over the
 * inner transport -- TCP for ws://, TLS for wss:// -- and checks the
 * server's 101 answer, its Sec-WebSocket-Accept and the protocol chosen.
 * Then the transport carries the byte stream in binary frames: sends are
 * masked (a new random key per frame) into the caller's tx buffer, one
 * frame per send (a send flagged BRISA_SEND_MORE is held and joined to the
 * next in one frame); receives take the frames' payloads as one stream,
 * whatever the framing (an MQTT packet split across frames or fragments,
 * several in one frame), answer pings, skip pongs and answer a close.
 * Freestanding: no allocation, memory is the caller's.
 *
 *     brisa_ws ws;
 *     brisa_ws_config c = { .host = "broker.lan", .port = 8080,
 *                           .clock = &clock, .rng = &rng,
 *                           .rx_buf = rx, .rx_size = sizeof rx,
 *                           .tx_buf = tx, .tx_size = sizeof tx };
 *     if (brisa_ws_init(&ws, &c) < 0 || brisa_ws_connect(&ws, &tcp) < 0)
 *         report(brisa_ws_last_error(&ws));
 *     brisa_transport t = brisa_ws_transport(&ws);
 */
#ifndef BRISA_WS_H
#define BRISA_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/clock.h"
#include "brisa/err.h"
#include "brisa/export.h"
#include "brisa/rng.h"
#include "brisa/transport.h"

BRISA_BEGIN_DECLS

/** Smallest rx and tx buffers accepted (the handshake's request and
 *  answer must fit; control frames are at most 125 bytes). */
#define BRISA_WS_MIN_BUF 256u
/** Largest frame header (2 + 8 length + 4 mask). */
#define BRISA_WS_MAX_HEADER 14u

/** Frame opcodes (RFC 6455 section 5.2). */
enum {
    BRISA_WS_OP_CONT = 0x0,   /**< continuation of a fragmented message */
    BRISA_WS_OP_TEXT = 0x1,   /**< text (never MQTT) */
    BRISA_WS_OP_BINARY = 0x2, /**< binary: MQTT's bytes */
    BRISA_WS_OP_CLOSE = 0x8,  /**< close, with an optional status code */
    BRISA_WS_OP_PING = 0x9,   /**< ping: answered with a pong */
    BRISA_WS_OP_PONG = 0xA    /**< pong */
};

/** A decoded frame header. */
typedef struct brisa_ws_frame {
    bool fin;            /**< the last frame of its message */
    uint8_t opcode;      /**< BRISA_WS_OP_... */
    bool masked;         /**< a masking key follows the length */
    uint8_t mask[4];     /**< the masking key; zeros if not masked */
    uint64_t len;        /**< payload length */
    size_t header_len;   /**< bytes of header before the payload */
} brisa_ws_frame;

/**
 * Decodes the frame header at the start of @p buf (@p len bytes).
 * Returns the header length (>0) when complete, 0 if more bytes are
 * needed, or BRISA_ERR_MALFORMED with a static reason in *why (reserved
 * bits, unknown opcode, fragmented or long control frame, length above
 * 2^63). Total on any input.
 */
int brisa_ws_frame_parse(const uint8_t *buf, size_t len, brisa_ws_frame *f,
                         const char **why);

/**
 * Writes a final frame's header (FIN set, @p opcode, @p len, masked with
 * @p mask unless NULL) to @p out, which has room for BRISA_WS_MAX_HEADER
 * bytes. Returns its length.
 */
size_t brisa_ws_frame_header(uint8_t *out, uint8_t opcode, uint64_t len,
                             const uint8_t *mask);

/**
 * The Sec-WebSocket-Accept value for @p key (base64 of the SHA-1 of the
 * key and RFC 6455's GUID) into @p out (29 bytes with the NUL).
 */
void brisa_ws_accept_for(const char *key, char out[29]);

/** How to open a WebSocket. Strings and buffers must outlive the brisa_ws. */
typedef struct brisa_ws_config {
    const char *host;        /**< Host header; required */
    uint16_t port;           /**< added to Host as ":port" unless 0 */
    const char *path;        /**< request target; NULL: "/mqtt" */
    const char *protocol;    /**< Sec-WebSocket-Protocol; NULL: "mqtt" */
    const brisa_clock *clock;/**< required: deadlines */
    const brisa_rng *rng;    /**< required: the key and the masks */
    uint8_t *rx_buf;         /**< the answer's head, frame headers, control
                                  frames; >= BRISA_WS_MIN_BUF */
    size_t rx_size;          /**< bytes at rx_buf */
    uint8_t *tx_buf;         /**< the request, then each masked frame: a
                                  send larger than tx_size - 14 leaves in
                                  several frames; >= BRISA_WS_MIN_BUF */
    size_t tx_size;          /**< bytes at tx_buf */
    uint32_t handshake_timeout_ms; /**< 0: 10 000 */
    uint32_t close_timeout_ms;     /**< for the close frame; 0: 1 000 */
} brisa_ws_config;

/** One WebSocket connection. Fields are private. */
typedef struct brisa_ws {
    brisa_ws_config cfg; /**< as given, defaults filled in */
    brisa_clock clock;   /**< copy of *cfg.clock */
    brisa_rng rng;       /**< copy of *cfg.rng */
    brisa_transport inner; /**< the transport underneath */
    bool open;           /**< handshake done, not closed */
    bool broken;         /**< a frame left half-sent: no more sends */
    bool peer_closed;    /**< close frame received */
    bool rx_failed;      /**< the peer broke the protocol */
    size_t rpos;         /**< first unread byte in rx_buf */
    size_t rlen;         /**< end of the bytes in rx_buf */
    uint64_t payload_left;  /**< of the current data frame */
    bool in_message;     /**< continuation frames expected */
    size_t tx_fill;      /**< payload bytes held in tx_buf */
    uint8_t mask[4];     /**< of the held frame */
    int http_status;     /**< of the upgrade answer; 0 before */
    uint16_t close_code; /**< sent by the peer; 0: none */
    char detail[128];    /**< brisa_ws_last_error() */
} brisa_ws;

/** Checks @p cfg and prepares @p ws (no I/O). Returns BRISA_OK or
 *  BRISA_ERR_INVALID_ARG (the detail names the field). */
brisa_err brisa_ws_init(brisa_ws *ws, const brisa_ws_config *cfg);

/**
 * Makes the upgrade over @p inner (copied; open; closed by the brisa_ws
 * from now on). Returns BRISA_OK; BRISA_ERR_WS_UPGRADE (not 101, or the
 * accept key, upgrade or protocol wrong: the detail quotes the server);
 * BRISA_ERR_TOO_LARGE (answer's head over rx_size); BRISA_ERR_TIMEOUT; or
 * the inner transport's error. On failure @p inner has been closed.
 */
brisa_err brisa_ws_connect(brisa_ws *ws, const brisa_transport *inner);

/** The transport over an open WebSocket. @p ws must outlive it. A frame
 *  the peer breaks the rules with gives BRISA_ERR_MALFORMED (the detail
 *  says which rule); a close frame, BRISA_ERR_CLOSED. */
brisa_transport brisa_ws_transport(brisa_ws *ws);

/** Payload bytes already read from the inner transport and not yet
 *  delivered (a poller must drain these first). */
size_t brisa_ws_pending(const brisa_ws *ws);

/** Sends a close frame (status 1000, bounded by close_timeout_ms) and
 *  closes the inner transport. Safe to call more than once. */
void brisa_ws_close(brisa_ws *ws);

/** The last failure in one line; "" if none. */
const char *brisa_ws_last_error(const brisa_ws *ws);

BRISA_END_DECLS

#endif /* BRISA_WS_H */
