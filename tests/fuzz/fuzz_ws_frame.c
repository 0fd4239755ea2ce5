// SPDX-License-Identifier: MIT
/* Fuzz target: what a WebSocket server sends, through brisa_ws.
 *
 * Input: byte 0 chooses how the stream starts (bit 0: a valid 101 answer
 * is put before the rest, so the fuzzer reaches the frames at once) and
 * byte 1 the reader's buffer size; the rest is the server's bytes, handed
 * out in reads of varying length. The transport must never read or write
 * out of bounds, never hang, and everything it delivers must be payload
 * bytes of data frames in the input. Each frame header parsed is also
 * encoded back and must parse to the same values. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "brisa/err.h"
#include "brisa/ws.h"

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond))                                                        \
            __builtin_trap();                                               \
    } while (0)

typedef struct feed {
    const uint8_t *data;
    size_t len, pos, reads;
    uint64_t now;
    size_t sent;
} feed;

static int f_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    feed *f = ctx;
    f->now += 1;
    if (f->pos == f->len) {
        f->now += timeout_ms;
        return BRISA_ERR_CLOSED;
    }
    size_t n = f->len - f->pos;
    size_t step = 1 + (f->reads++ * 7) % 61; /* 1..61 bytes per read */
    if (n > step)
        n = step;
    if (n > len)
        n = len;
    memcpy(buf, f->data + f->pos, n);
    f->pos += n;
    return (int)n;
}

static int f_send(void *ctx, const uint8_t *buf, size_t len, unsigned flags, uint32_t timeout_ms)
{
    (void)buf;
    (void)flags;
    (void)timeout_ms;
    feed *f = ctx;
    f->sent += len;
    return (int)len;
}

static void f_close(void *ctx)
{
    (void)ctx;
}

static uint64_t f_now(void *ctx)
{
    return ((feed *)ctx)->now;
}

static int f_rng(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    memset(buf, 0x42, len);
    return 0;
}

static void parse_roundtrip(const uint8_t *data, size_t size)
{
    brisa_ws_frame f, g;
    const char *why;
    int n = brisa_ws_frame_parse(data, size, &f, &why);
    CHECK(n <= (int)size);
    if (n <= 0 || !f.fin)
        return;
    uint8_t h[BRISA_WS_MAX_HEADER];
    size_t m = brisa_ws_frame_header(h, f.opcode, f.len, f.masked ? f.mask : NULL);
    CHECK(brisa_ws_frame_parse(h, m, &g, &why) == (int)m);
    CHECK(g.len == f.len && g.opcode == f.opcode && g.masked == f.masked);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    parse_roundtrip(data + 2, size - 2);

    static uint8_t stream[1 << 16];
    size_t len = 0;
    if (data[0] & 1) {
        /* the rng gives 0x42 bytes: key "QkJCQkJCQkJCQkJCQkJCQg==" */
        char accept[29];
        brisa_ws_accept_for("QkJCQkJCQkJCQkJCQkJCQg==", accept);
        len = (size_t)snprintf((char *)stream, sizeof stream,
                               "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n",
                               accept);
    }
    size_t rest = size - 2 < sizeof stream - len ? size - 2 : sizeof stream - len;
    memcpy(stream + len, data + 2, rest);
    len += rest;

    feed f = { .data = stream, .len = len };
    brisa_transport inner = { &f, f_send, f_recv, f_close };
    brisa_clock clk = { &f, f_now, NULL };
    brisa_rng rng = { NULL, f_rng };
    static uint8_t rx[300], tx[300], out[256];
    brisa_ws ws;
    brisa_ws_config c = { .host = "h", .clock = &clk, .rng = &rng, .rx_buf = rx,
                          .rx_size = sizeof rx, .tx_buf = tx, .tx_size = sizeof tx };
    CHECK(brisa_ws_init(&ws, &c) == BRISA_OK);
    if (brisa_ws_connect(&ws, &inner) != BRISA_OK) {
        CHECK(brisa_ws_last_error(&ws)[0] != '\0');
        return 0;
    }
    brisa_transport t = brisa_ws_transport(&ws);
    size_t chunk = 1 + data[1] % sizeof out, delivered = 0;
    for (int i = 0; i < 100000; i++) {
        int rc = t.recv(t.ctx, out, chunk, 10);
        if (rc < 0)
            break;
        CHECK(rc > 0 && (size_t)rc <= chunk);
        delivered += (size_t)rc;
        CHECK(delivered <= len);
        if (i % 3 == 0)
            CHECK(t.send(t.ctx, out, (size_t)rc, 0, 10) == rc);
    }
    t.close(t.ctx);
    return 0;
}
