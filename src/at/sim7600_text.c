// SPDX-License-Identifier: MIT
/* Writing AT commands and reading numbers out of answers, without stdio. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sim7600_internal.h"

void sim_text_on(sim_text *t, char *buf, size_t cap)
{
    t->buf = buf;
    t->cap = cap;
    t->len = 0;
    t->over = false;
    t->bad = false;
    if (cap)
        buf[0] = 0;
}

void sim_text_start(sim_text *t, brisa_sim7600 *m, const char *s)
{
    sim_text_on(t, m->cmd, sizeof m->cmd);
    sim_text_put(t, s);
}

static void put_n(sim_text *t, const char *s, size_t n)
{
    if (t->over || n >= t->cap - t->len) {
        t->over = true;
        return;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = 0;
}

void sim_text_put(sim_text *t, const char *s)
{
    put_n(t, s, strlen(s));
}

void sim_text_uint(sim_text *t, unsigned long v)
{
    char d[24];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put_n(t, d + i, sizeof d - i);
}

void sim_text_arg(sim_text *t, unsigned long v)
{
    sim_text_put(t, ",");
    sim_text_uint(t, v);
}

void sim_text_quoted(sim_text *t, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == '"' || (unsigned char)s[i] < 0x20)
            t->bad = true;
    put_n(t, "\"", 1);
    put_n(t, s, len);
    put_n(t, "\"", 1);
}

int sim_text_end(const sim_text *t)
{
    if (t->bad)
        return BRISA_ERR_INVALID_ARG;
    return t->over ? BRISA_ERR_TOO_LARGE : BRISA_OK;
}

size_t sim_parse_uints(const char *l, size_t n, size_t skip, unsigned long *out,
                       size_t max)
{
    size_t i = skip, count = 0;
    while (count < max) {
        while (i < n && l[i] == ' ')
            i++;
        if (i == n || l[i] < '0' || l[i] > '9')
            break;
        unsigned long v = 0;
        while (i < n && l[i] >= '0' && l[i] <= '9') {
            if (v > 100000000ul)
                return count;
            v = v * 10 + (unsigned long)(l[i++] - '0');
        }
        out[count++] = v;
        while (i < n && l[i] == ' ')
            i++;
        if (i == n || l[i] != ',')
            break;
        i++;
    }
    return count;
}

bool sim_prefix(const char *l, size_t n, const char *prefix)
{
    size_t p = strlen(prefix);
    return n >= p && memcmp(l, prefix, p) == 0;
}

uint32_t sim_fnv1a(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}
