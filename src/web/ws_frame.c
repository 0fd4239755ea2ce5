// SPDX-License-Identifier: MIT
/* WebSocket frame headers and the accept key (RFC 6455 sections 4.2.2 and
 * 5.2): pure functions, total on any input. */
#include <string.h>

#include "brisa/err.h"
#include "brisa/sha1.h"
#include "brisa/ws.h"

int brisa_ws_frame_parse(const uint8_t *buf, size_t len, brisa_ws_frame *f,
                         const char **why)
{
    static const char *const no_reason = "";
    *why = no_reason;
    if (len < 2)
        return 0;
    f->fin = (buf[0] & 0x80u) != 0;
    f->opcode = buf[0] & 0x0Fu;
    f->masked = (buf[1] & 0x80u) != 0;
    if (buf[0] & 0x70u) {
        *why = "reserved bits set (no extension was agreed)";
        return BRISA_ERR_MALFORMED;
    }
    bool control = f->opcode >= 0x8;
    if ((f->opcode > BRISA_WS_OP_BINARY && !control) || f->opcode > BRISA_WS_OP_PONG) {
        *why = "unknown opcode";
        return BRISA_ERR_MALFORMED;
    }
    size_t need = 2;
    uint64_t n = buf[1] & 0x7Fu;
    size_t ext = n == 126 ? 2 : n == 127 ? 8 : 0;
    need += ext + (f->masked ? 4u : 0u);
    if (control && (!f->fin || n > 125)) {
        *why = !f->fin ? "fragmented control frame" : "control frame longer than 125 bytes";
        return BRISA_ERR_MALFORMED;
    }
    if (len < need)
        return 0;
    if (ext != 0) {
        n = 0;
        for (size_t i = 0; i < ext; i++)
            n = n << 8 | buf[2 + i];
        if (ext == 8 && (n >> 63) != 0) {
            *why = "payload length above 2^63";
            return BRISA_ERR_MALFORMED;
        }
    }
    f->len = n;
    if (f->masked)
        memcpy(f->mask, buf + 2 + ext, 4);
    else
        memset(f->mask, 0, 4);
    f->header_len = need;
    return (int)need;
}

size_t brisa_ws_frame_header(uint8_t *out, uint8_t opcode, uint64_t len, const uint8_t *mask)
{
    size_t n = 0;
    out[n++] = (uint8_t)(0x80u | (opcode & 0x0Fu));
    uint8_t m = mask != NULL ? 0x80u : 0u;
    if (len < 126) {
        out[n++] = (uint8_t)(m | len);
    } else if (len <= 0xFFFFu) {
        out[n++] = (uint8_t)(m | 126u);
        out[n++] = (uint8_t)(len >> 8);
        out[n++] = (uint8_t)len;
    } else {
        out[n++] = (uint8_t)(m | 127u);
        for (int shift = 56; shift >= 0; shift -= 8)
            out[n++] = (uint8_t)(len >> shift);
    }
    if (mask != NULL) {
        memcpy(out + n, mask, 4);
        n += 4;
    }
    return n;
}

void brisa_ws_accept_for(const char *key, char out[29])
{
    static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    brisa_sha1 s;
    uint8_t digest[BRISA_SHA1_LEN];
    brisa_sha1_init(&s);
    brisa_sha1_update(&s, key, strlen(key));
    brisa_sha1_update(&s, guid, sizeof guid - 1);
    brisa_sha1_final(&s, digest);
    (void)brisa_base64_encode(digest, sizeof digest, out, 29);
}
