// SPDX-License-Identifier: MIT
/* The HTTP/1.1 pieces shared by the WebSocket upgrade and CONNECT. */
#include "http_internal.h"

#include <string.h>

#include "brisa/err.h"

void http_text_init(http_text *t, char *buf, size_t cap)
{
    t->p = buf;
    t->cap = cap;
    t->len = 0;
    t->overflow = cap == 0;
    if (cap > 0)
        buf[0] = '\0';
}

void http_text_addn(http_text *t, const char *s, size_t n)
{
    if (t->overflow || n >= t->cap - t->len) {
        t->overflow = true;
        return;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

void http_text_add(http_text *t, const char *s)
{
    http_text_addn(t, s, strlen(s));
}

void http_text_uint(http_text *t, unsigned long v)
{
    char digits[24];
    size_t n = sizeof digits;
    do {
        digits[--n] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    http_text_addn(t, digits + n, sizeof digits - n);
}

void http_text_quote(http_text *t, const char *sep, const uint8_t *s, size_t n)
{
    if (s == NULL)
        return;
    http_text_add(t, sep);
    http_text_add(t, "'");
    for (size_t i = 0; i < n && i < 60; i++) {
        char c = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
        http_text_addn(t, &c, 1);
    }
    http_text_add(t, "'");
}

uint32_t http_left_ms(const brisa_clock *clk, uint64_t deadline)
{
    uint64_t now = clk->monotonic_ms(clk->ctx);
    if (now >= deadline)
        return 0;
    uint64_t left = deadline - now;
    return left > UINT32_MAX ? UINT32_MAX : (uint32_t)left;
}

int http_send_all(const brisa_transport *t, const brisa_clock *clk, uint64_t deadline,
                  const uint8_t *buf, size_t len, size_t *sent)
{
    *sent = 0;
    while (*sent < len) {
        int rc = t->send(t->ctx, buf + *sent, len - *sent, 0, http_left_ms(clk, deadline));
        if (rc < 0)
            return rc;
        if (rc == 0)
            return BRISA_ERR_IO;
        *sent += (size_t)rc;
    }
    return BRISA_OK;
}

/* Offset just past "\r\n\r\n" in buf[0..len), or 0. */
static size_t head_end(const uint8_t *buf, size_t len)
{
    for (size_t i = 3; i < len; i++)
        if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r')
            return i + 1;
    return 0;
}

int http_read_head(const brisa_transport *t, const brisa_clock *clk, uint64_t deadline,
                   uint8_t *buf, size_t cap, bool exact, size_t *got)
{
    *got = 0;
    for (;;) {
        if (*got == cap)
            return BRISA_ERR_TOO_LARGE;
        size_t want = exact ? 1 : cap - *got;
        int rc = t->recv(t->ctx, buf + *got, want, http_left_ms(clk, deadline));
        if (rc < 0)
            return rc;
        /* only the new bytes (and the three before) can complete the end */
        size_t from = *got > 3 ? *got - 3 : 0;
        *got += (size_t)rc;
        size_t end = head_end(buf + from, *got - from);
        if (end != 0)
            return (int)(from + end);
    }
}

static uint8_t lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

bool http_equal_nocase(const uint8_t *a, size_t n, const char *b)
{
    if (strlen(b) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(a[i]) != lower((uint8_t)b[i]))
            return false;
    return true;
}

static size_t line_length(const uint8_t *p, size_t len)
{
    size_t i = 0;
    while (i + 1 < len && !(p[i] == '\r' && p[i + 1] == '\n'))
        i++;
    return i + 1 < len ? i : len;
}

int http_status(const uint8_t *head, size_t len, size_t *line_len)
{
    size_t n = line_length(head, len);
    *line_len = n;
    /* "HTTP/1.1 101" at least */
    if (n < 12 || memcmp(head, "HTTP/1.", 7) != 0 || head[8] != ' ')
        return -1;
    int code = 0;
    for (size_t i = 9; i < 12; i++) {
        if (head[i] < '0' || head[i] > '9')
            return -1;
        code = code * 10 + (head[i] - '0');
    }
    if (n > 12 && head[12] != ' ')
        return -1;
    return code;
}

static void trim(const uint8_t **p, size_t *n)
{
    while (*n > 0 && ((*p)[0] == ' ' || (*p)[0] == '\t')) {
        (*p)++;
        (*n)--;
    }
    while (*n > 0 && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
        (*n)--;
}

bool http_header(const uint8_t *head, size_t len, const char *name,
                 const uint8_t **value, size_t *value_len)
{
    size_t pos = line_length(head, len) + 2; /* past the status line */
    size_t name_len = strlen(name);
    while (pos < len) {
        size_t n = line_length(head + pos, len - pos);
        const uint8_t *line = head + pos;
        const uint8_t *colon = memchr(line, ':', n);
        if (colon != NULL && http_equal_nocase(line, (size_t)(colon - line), name) &&
            (size_t)(colon - line) == name_len) {
            *value = colon + 1;
            *value_len = n - (size_t)(colon + 1 - line);
            trim(value, value_len);
            return true;
        }
        pos += n + 2;
    }
    return false;
}

bool http_has_token(const uint8_t *value, size_t len, const char *token)
{
    size_t start = 0;
    while (start <= len) {
        size_t end = start;
        while (end < len && value[end] != ',')
            end++;
        const uint8_t *item = value + start;
        size_t n = end - start;
        trim(&item, &n);
        if (http_equal_nocase(item, n, token))
            return true;
        start = end + 1;
    }
    return false;
}
