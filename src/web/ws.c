// SPDX-License-Identifier: MIT
/* The WebSocket transport: the upgrade, then binary frames both ways. */
#include <string.h>

#include "brisa/err.h"
#include "brisa/sha1.h"
#include "brisa/ws.h"
#include "http_internal.h"

#define KEY_BYTES 16
#define KEY_TEXT BRISA_BASE64_SIZE(KEY_BYTES) /* 25 with the NUL */

static int fail(brisa_ws *ws, int err, const char *what, const char *why)
{
    http_text t;
    http_text_init(&t, ws->detail, sizeof ws->detail);
    http_text_add(&t, what);
    if (why[0] != '\0') {
        http_text_add(&t, ": ");
        http_text_add(&t, why);
    }
    return err;
}

/* What is wrong with @p cfg, or NULL. */
static const char *config_problem(const brisa_ws_config *cfg)
{
    if (cfg == NULL)
        return "no configuration";
    if (cfg->host == NULL || cfg->host[0] == '\0')
        return "no host";
    if (cfg->clock == NULL || cfg->rng == NULL)
        return "no clock or random number source";
    if (cfg->rx_buf == NULL || cfg->rx_size < BRISA_WS_MIN_BUF || cfg->tx_buf == NULL ||
        cfg->tx_size < BRISA_WS_MIN_BUF)
        return "rx and tx buffers of at least 256 bytes are needed";
    return NULL;
}

brisa_err brisa_ws_init(brisa_ws *ws, const brisa_ws_config *cfg)
{
    memset(ws, 0, sizeof *ws);
    const char *bad = config_problem(cfg);
    if (bad != NULL || cfg == NULL)
        return fail(ws, BRISA_ERR_INVALID_ARG, "WebSocket configuration", bad ? bad : "");
    ws->cfg = *cfg;
    ws->clock = *cfg->clock;
    ws->rng = *cfg->rng;
    if (ws->cfg.path == NULL)
        ws->cfg.path = "/mqtt";
    if (ws->cfg.protocol == NULL)
        ws->cfg.protocol = "mqtt";
    if (ws->cfg.handshake_timeout_ms == 0)
        ws->cfg.handshake_timeout_ms = 10000;
    if (ws->cfg.close_timeout_ms == 0)
        ws->cfg.close_timeout_ms = 1000;
    return BRISA_OK;
}

static uint64_t deadline_in(const brisa_ws *ws, uint32_t ms)
{
    return ws->clock.monotonic_ms(ws->clock.ctx) + ms;
}

static size_t build_request(brisa_ws *ws, const char *key)
{
    http_text t;
    http_text_init(&t, (char *)ws->cfg.tx_buf, ws->cfg.tx_size);
    http_text_add(&t, "GET ");
    http_text_add(&t, ws->cfg.path);
    http_text_add(&t, " HTTP/1.1\r\nHost: ");
    bool v6 = strchr(ws->cfg.host, ':') != NULL; /* an IPv6 literal goes in brackets */
    http_text_add(&t, v6 ? "[" : "");
    http_text_add(&t, ws->cfg.host);
    http_text_add(&t, v6 ? "]" : "");
    if (ws->cfg.port != 0) {
        http_text_add(&t, ":");
        http_text_uint(&t, ws->cfg.port);
    }
    http_text_add(&t, "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ");
    http_text_add(&t, key);
    http_text_add(&t, "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ");
    http_text_add(&t, ws->cfg.protocol);
    http_text_add(&t, "\r\n\r\n");
    return t.overflow ? 0 : t.len;
}

/* "WebSocket upgrade refused: <what> (server said '<quote>')" */
static int refuse(brisa_ws *ws, const char *what, const uint8_t *quote, size_t n)
{
    http_text t;
    http_text_init(&t, ws->detail, sizeof ws->detail);
    http_text_add(&t, "WebSocket upgrade refused: ");
    http_text_add(&t, what);
    http_text_quote(&t, " ", quote, n);
    return BRISA_ERR_WS_UPGRADE;
}

/* Checks the server's answer head (RFC 6455 section 4.1, the client's
 * duties on receiving the handshake). */
static int check_answer(brisa_ws *ws, const uint8_t *head, size_t len, const char *key)
{
    size_t line;
    ws->http_status = http_status(head, len, &line);
    if (ws->http_status < 0)
        return refuse(ws, "not an HTTP answer:", head, line);
    if (ws->http_status != 101)
        return refuse(ws, "the server answered", head, line);
    const uint8_t *v;
    size_t n;
    if (!http_header(head, len, "Upgrade", &v, &n) || !http_equal_nocase(v, n, "websocket"))
        return refuse(ws, "no 'Upgrade: websocket' in the answer", NULL, 0);
    if (!http_header(head, len, "Connection", &v, &n) || !http_has_token(v, n, "upgrade"))
        return refuse(ws, "no 'Connection: upgrade' in the answer", NULL, 0);
    char accept[29];
    brisa_ws_accept_for(key, accept);
    if (!http_header(head, len, "Sec-WebSocket-Accept", &v, &n))
        return refuse(ws, "no Sec-WebSocket-Accept in the answer", NULL, 0);
    if (n != strlen(accept) || memcmp(v, accept, n) != 0)
        return refuse(ws, "wrong Sec-WebSocket-Accept", v, n);
    if (!http_header(head, len, "Sec-WebSocket-Protocol", &v, &n))
        return refuse(ws, "the server chose no subprotocol (wanted mqtt)", NULL, 0);
    if (n != strlen(ws->cfg.protocol) || memcmp(v, ws->cfg.protocol, n) != 0)
        return refuse(ws, "the server chose another subprotocol:", v, n);
    if (http_header(head, len, "Sec-WebSocket-Extensions", &v, &n) && n > 0)
        return refuse(ws, "the server chose an extension we did not offer:", v, n);
    return BRISA_OK;
}

static int connect_failed(brisa_ws *ws, int rc, const char *doing)
{
    if (rc != BRISA_ERR_WS_UPGRADE)
        (void)fail(ws, rc, doing, rc == BRISA_ERR_TOO_LARGE ? "answer's head too large"
                                                             : brisa_err_str(rc));
    ws->inner.close(ws->inner.ctx);
    return rc;
}

brisa_err brisa_ws_connect(brisa_ws *ws, const brisa_transport *inner)
{
    if (ws->cfg.host == NULL || ws->open)
        return BRISA_ERR_STATE;
    if (inner == NULL)
        return BRISA_ERR_INVALID_ARG;
    ws->inner = *inner;
    ws->detail[0] = '\0';
    ws->broken = ws->peer_closed = ws->rx_failed = ws->in_message = false;
    ws->rpos = ws->rlen = ws->tx_fill = 0;
    ws->payload_left = 0;
    ws->http_status = 0;
    ws->close_code = 0;
    uint64_t deadline = deadline_in(ws, ws->cfg.handshake_timeout_ms);

    uint8_t raw[KEY_BYTES];
    char key[KEY_TEXT];
    int rc = ws->rng.fill(ws->rng.ctx, raw, sizeof raw);
    if (rc < 0)
        return connect_failed(ws, rc, "WebSocket key");
    (void)brisa_base64_encode(raw, sizeof raw, key, sizeof key);
    size_t req = build_request(ws, key);
    if (req == 0)
        return connect_failed(ws, BRISA_ERR_NO_SPACE, "WebSocket request");
    size_t sent;
    rc = http_send_all(&ws->inner, &ws->clock, deadline, ws->cfg.tx_buf, req, &sent);
    if (rc != BRISA_OK)
        return connect_failed(ws, rc, "sending the WebSocket upgrade");
    size_t got;
    rc = http_read_head(&ws->inner, &ws->clock, deadline, ws->cfg.rx_buf, ws->cfg.rx_size,
                        false, &got);
    if (rc < 0)
        return connect_failed(ws, rc, "reading the WebSocket upgrade answer");
    size_t head = (size_t)rc;
    rc = check_answer(ws, ws->cfg.rx_buf, head, key);
    if (rc != BRISA_OK)
        return connect_failed(ws, rc, "");
    /* frames sent right after the answer stay for recv */
    ws->rpos = head;
    ws->rlen = got;
    ws->open = true;
    return BRISA_OK;
}

/* Writes one whole frame; a frame cut short breaks the stream. */
static int write_frame(brisa_ws *ws, const uint8_t *frame, size_t len, uint64_t deadline)
{
    size_t sent;
    int rc = http_send_all(&ws->inner, &ws->clock, deadline, frame, len, &sent);
    if (rc != BRISA_OK && sent > 0) {
        ws->broken = true;
        (void)fail(ws, BRISA_ERR_IO, "WebSocket", "a frame was cut short; the stream is broken");
        return BRISA_ERR_IO;
    }
    return rc;
}

/* A control frame from a small buffer of its own, so data held in
 * tx_buf (BRISA_SEND_MORE) is not disturbed. */
static int send_control(brisa_ws *ws, uint8_t opcode, const uint8_t *payload, size_t len,
                        uint64_t deadline)
{
    uint8_t frame[BRISA_WS_MAX_HEADER + 125];
    uint8_t mask[4];
    int rc = ws->rng.fill(ws->rng.ctx, mask, sizeof mask);
    if (rc < 0)
        return rc;
    size_t h = brisa_ws_frame_header(frame, opcode, len, mask);
    for (size_t i = 0; i < len; i++)
        frame[h + i] = payload[i] ^ mask[i & 3u];
    return write_frame(ws, frame, h + len, deadline);
}

/* Sends the frame held in tx_buf (its payload starts at offset 14). */
static int flush(brisa_ws *ws, uint64_t deadline)
{
    if (ws->tx_fill == 0)
        return BRISA_OK;
    uint8_t header[BRISA_WS_MAX_HEADER];
    size_t h = brisa_ws_frame_header(header, BRISA_WS_OP_BINARY, ws->tx_fill, ws->mask);
    uint8_t *start = ws->cfg.tx_buf + BRISA_WS_MAX_HEADER - h;
    memcpy(start, header, h);
    int rc = write_frame(ws, start, h + ws->tx_fill, deadline);
    if (rc == BRISA_OK || ws->broken)
        ws->tx_fill = 0;
    return rc;
}

static int ws_send(void *ctx, const uint8_t *buf, size_t len, unsigned flags,
                   uint32_t timeout_ms)
{
    brisa_ws *ws = ctx;
    if (!ws->open)
        return ws->peer_closed ? BRISA_ERR_CLOSED : BRISA_ERR_STATE;
    if (ws->broken)
        return BRISA_ERR_IO;
    uint64_t deadline = deadline_in(ws, timeout_ms);
    size_t room = ws->cfg.tx_size - BRISA_WS_MAX_HEADER;
    if (ws->tx_fill == room) {
        int rc = flush(ws, deadline);
        if (rc != BRISA_OK)
            return rc;
    }
    if (ws->tx_fill == 0) {
        int rc = ws->rng.fill(ws->rng.ctx, ws->mask, sizeof ws->mask);
        if (rc < 0)
            return rc;
    }
    size_t n = len < room - ws->tx_fill ? len : room - ws->tx_fill;
    uint8_t *out = ws->cfg.tx_buf + BRISA_WS_MAX_HEADER + ws->tx_fill;
    for (size_t i = 0; i < n; i++)
        out[i] = buf[i] ^ ws->mask[(ws->tx_fill + i) & 3u];
    ws->tx_fill += n;
    if ((flags & BRISA_SEND_MORE) && ws->tx_fill < room)
        return (int)n;
    int rc = flush(ws, deadline);
    if (rc == BRISA_OK)
        return (int)n;
    if (!ws->broken)
        ws->tx_fill -= n; /* nothing left: the caller may try again */
    return rc;
}

/* Moves unread bytes to the front and reads more after them. */
static int fill_rx(brisa_ws *ws, uint64_t deadline)
{
    if (ws->rpos > 0) {
        memmove(ws->cfg.rx_buf, ws->cfg.rx_buf + ws->rpos, ws->rlen - ws->rpos);
        ws->rlen -= ws->rpos;
        ws->rpos = 0;
    }
    int rc = ws->inner.recv(ws->inner.ctx, ws->cfg.rx_buf + ws->rlen,
                            ws->cfg.rx_size - ws->rlen, http_left_ms(&ws->clock, deadline));
    if (rc > 0)
        ws->rlen += (size_t)rc;
    return rc;
}

static int protocol_error(brisa_ws *ws, const char *why)
{
    (void)fail(ws, BRISA_ERR_MALFORMED, "WebSocket frame from the server", why);
    ws->broken = true; /* no close frame either: the peer is not sane */
    ws->rx_failed = true;
    return BRISA_ERR_MALFORMED;
}

/* A complete control frame at rx_buf + rpos. */
static int handle_control(brisa_ws *ws, const brisa_ws_frame *f, uint64_t deadline)
{
    const uint8_t *payload = ws->cfg.rx_buf + ws->rpos + f->header_len;
    size_t len = (size_t)f->len;
    ws->rpos += f->header_len + len;
    if (f->opcode == BRISA_WS_OP_PING)
        return ws->broken ? BRISA_OK : send_control(ws, BRISA_WS_OP_PONG, payload, len, deadline);
    if (f->opcode == BRISA_WS_OP_PONG)
        return BRISA_OK;
    /* close: echo its status code, then the stream has ended */
    if (len == 1)
        return protocol_error(ws, "close frame with a one-byte body");
    ws->close_code = len >= 2 ? (uint16_t)(payload[0] << 8 | payload[1]) : 1005;
    if (!ws->broken)
        (void)send_control(ws, BRISA_WS_OP_CLOSE, payload, len >= 2 ? 2 : 0, deadline);
    ws->peer_closed = true;
    ws->open = false;
    http_text t;
    http_text_init(&t, ws->detail, sizeof ws->detail);
    http_text_add(&t, "WebSocket closed by the server (status ");
    http_text_uint(&t, ws->close_code);
    http_text_add(&t, ")");
    return BRISA_ERR_CLOSED;
}

/* Reads frame headers (and whole control frames) until a data frame's
 * payload is next. */
static int next_data(brisa_ws *ws, uint64_t deadline)
{
    for (;;) {
        brisa_ws_frame f;
        const char *why;
        int rc = brisa_ws_frame_parse(ws->cfg.rx_buf + ws->rpos, ws->rlen - ws->rpos, &f, &why);
        if (rc < 0)
            return protocol_error(ws, why);
        bool control = f.opcode >= BRISA_WS_OP_CLOSE;
        if (rc == 0 || (control && ws->rlen - ws->rpos < f.header_len + f.len)) {
            rc = fill_rx(ws, deadline);
            if (rc < 0)
                return rc;
            continue;
        }
        if (f.masked)
            return protocol_error(ws, "masked (a server must not mask)");
        if (control) {
            rc = handle_control(ws, &f, deadline);
            if (rc != BRISA_OK)
                return rc;
            continue;
        }
        if (f.opcode == BRISA_WS_OP_TEXT)
            return protocol_error(ws, "text frame (MQTT travels in binary frames)");
        if (f.opcode == BRISA_WS_OP_CONT && !ws->in_message)
            return protocol_error(ws, "continuation frame outside a message");
        if (f.opcode == BRISA_WS_OP_BINARY && ws->in_message)
            return protocol_error(ws, "new message before the last one ended");
        ws->in_message = !f.fin;
        ws->rpos += f.header_len;
        ws->payload_left = f.len;
        if (f.len > 0)
            return BRISA_OK;
    }
}

static int ws_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    brisa_ws *ws = ctx;
    if (!ws->open)
        return ws->peer_closed ? BRISA_ERR_CLOSED : BRISA_ERR_STATE;
    if (ws->rx_failed)
        return BRISA_ERR_MALFORMED;
    if (len == 0)
        return 0;
    uint64_t deadline = deadline_in(ws, timeout_ms);
    if (ws->payload_left == 0) {
        int rc = next_data(ws, deadline);
        if (rc != BRISA_OK)
            return rc;
    }
    size_t want = len;
    if (want > ws->payload_left)
        want = (size_t)ws->payload_left;
    size_t buffered = ws->rlen - ws->rpos;
    if (buffered > 0) {
        size_t n = want < buffered ? want : buffered;
        memcpy(buf, ws->cfg.rx_buf + ws->rpos, n);
        ws->rpos += n;
        ws->payload_left -= n;
        return (int)n;
    }
    /* nothing buffered: straight into the caller's buffer */
    ws->rpos = ws->rlen = 0;
    int rc = ws->inner.recv(ws->inner.ctx, buf, want, http_left_ms(&ws->clock, deadline));
    if (rc > 0)
        ws->payload_left -= (size_t)rc;
    return rc;
}

size_t brisa_ws_pending(const brisa_ws *ws)
{
    size_t buffered = ws->rlen - ws->rpos;
    return ws->payload_left < buffered ? (size_t)ws->payload_left : buffered;
}

void brisa_ws_close(brisa_ws *ws)
{
    if (ws->open && !ws->broken) {
        uint64_t deadline = deadline_in(ws, ws->cfg.close_timeout_ms);
        static const uint8_t normal[2] = { 0x03, 0xE8 }; /* 1000 */
        if (flush(ws, deadline) == BRISA_OK)
            (void)send_control(ws, BRISA_WS_OP_CLOSE, normal, sizeof normal, deadline);
    }
    if (ws->open || ws->peer_closed || ws->broken) {
        ws->open = false;
        ws->peer_closed = false;
        ws->broken = false;
        ws->inner.close(ws->inner.ctx);
    }
}

static void ws_close(void *ctx)
{
    brisa_ws_close(ctx);
}

brisa_transport brisa_ws_transport(brisa_ws *ws)
{
    brisa_transport t = { .ctx = ws, .send = ws_send, .recv = ws_recv, .close = ws_close };
    return t;
}

const char *brisa_ws_last_error(const brisa_ws *ws)
{
    return ws->detail;
}
