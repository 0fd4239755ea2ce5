// SPDX-License-Identifier: MIT
/* Private to src/web: the bits of HTTP/1.1 that the WebSocket upgrade and
 * the CONNECT proxy share -- building a request in a caller's buffer,
 * reading an answer's head from a transport, finding its status and
 * headers. Freestanding. */
#ifndef BRISA_WEB_HTTP_INTERNAL_H
#define BRISA_WEB_HTTP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/clock.h"
#include "brisa/transport.h"

/* Text appended to a fixed buffer; overflow is remembered, not written. */
typedef struct http_text {
    char *p;
    size_t cap, len;
    bool overflow;
} http_text;

void http_text_init(http_text *t, char *buf, size_t cap);
void http_text_add(http_text *t, const char *s);
void http_text_addn(http_text *t, const char *s, size_t n);
void http_text_uint(http_text *t, unsigned long v);
/* Appends @p sep and then at most 60 of the @p n bytes of @p s in single
 * quotes, each outside printable ASCII as '?' (peer text in an error
 * line). Nothing if @p s is NULL. */
void http_text_quote(http_text *t, const char *sep, const uint8_t *s, size_t n);

/* Milliseconds left until @p deadline (0 once past it). */
uint32_t http_left_ms(const brisa_clock *clk, uint64_t deadline);

/* Writes all of @p buf before @p deadline. Returns BRISA_OK, or the
 * transport's error; *sent says how much went out. */
int http_send_all(const brisa_transport *t, const brisa_clock *clk, uint64_t deadline,
                  const uint8_t *buf, size_t len, size_t *sent);

/* Reads into @p buf until it holds a blank line (the end of an answer's
 * head). With @p exact, one byte per read so nothing after the head is
 * taken from the stream. Returns the head's length (through "\r\n\r\n");
 * *got is how many bytes @p buf holds. BRISA_ERR_TOO_LARGE if the head
 * does not fit in @p cap, or the transport's error. */
int http_read_head(const brisa_transport *t, const brisa_clock *clk, uint64_t deadline,
                   uint8_t *buf, size_t cap, bool exact, size_t *got);

/* The status code of "HTTP/1.x NNN reason", or -1 if the first line is not
 * one. *line_len is the first line's length without CRLF. */
int http_status(const uint8_t *head, size_t len, size_t *line_len);

/* Finds header @p name (case-insensitive) in @p head; its value with
 * surrounding blanks trimmed. False if absent. */
bool http_header(const uint8_t *head, size_t len, const char *name,
                 const uint8_t **value, size_t *value_len);

/* True if the comma-separated @p value lists @p token (case-insensitive). */
bool http_has_token(const uint8_t *value, size_t len, const char *token);

/* True if @p a (n bytes) equals the C string @p b, ignoring ASCII case. */
bool http_equal_nocase(const uint8_t *a, size_t n, const char *b);

#endif /* BRISA_WEB_HTTP_INTERNAL_H */
