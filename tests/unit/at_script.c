// SPDX-License-Identifier: MIT
/* Golden-transcript replay for the AT engine and SIM7600 driver tests. */
#include "at_script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/err.h"

static void append(at_step *st, const void *p, size_t n)
{
    st->bytes = realloc(st->bytes, st->len + n + 1);
    if (!st->bytes)
        abort();
    memcpy(st->bytes + st->len, p, n);
    st->len += n;
}

static at_step *step(at_script *s, bool out, bool join)
{
    if (join && s->nsteps && s->steps[s->nsteps - 1].out == out)
        return &s->steps[s->nsteps - 1];
    s->steps = realloc(s->steps, (s->nsteps + 1) * sizeof *s->steps);
    if (!s->steps)
        abort();
    at_step *st = &s->steps[s->nsteps++];
    memset(st, 0, sizeof *st);
    st->out = out;
    return st;
}

void at_script_load(at_script *s, fake_clock *clk, const char *path)
{
    memset(s, 0, sizeof *s);
    s->clock = clk;
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "at_script: cannot read %s\n", path);
        abort();
    }
    char line[4096];
    bool raw_next = false, in_data = false;
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\n");
        line[n] = 0;
        if (line[0] == '#' || n == 0)
            continue;
        if (!strncmp(line, ">>", 2)) {
            const char *d = line[2] == ' ' ? line + 3 : line + 2;
            at_step *st = step(s, true, in_data);
            if (in_data)
                append(st, "\n", 1);
            append(st, d, strlen(d));
            in_data = true;
            continue;
        }
        in_data = false;
        if (!strncmp(line, "> ", 2)) {
            at_step *st = step(s, true, false);
            append(st, line + 2, n - 2);
            append(st, "\r", 1);
        } else if (!strncmp(line, "< ", 2)) {
            at_step *st = step(s, false, true);
            const char *t = line + 2;
            if (raw_next) {
                append(st, t, strlen(t));
                append(st, "\r\n", 2);
            } else if (!strcmp(t, ">")) {
                append(st, "\r\n> ", 4);
            } else {
                append(st, "\r\n", 2);
                append(st, t, strlen(t));
                append(st, "\r\n", 2);
            }
            raw_next = !raw_next && (!strncmp(t, "+CMQTTRXTOPIC:", 14) ||
                                     !strncmp(t, "+CMQTTRXPAYLOAD:", 16));
        } else {
            fprintf(stderr, "at_script: %s: bad line '%s'\n", path, line);
            abort();
        }
    }
    fclose(f);
}

void at_script_free(at_script *s)
{
    for (size_t i = 0; i < s->nsteps; i++)
        free(s->steps[i].bytes);
    free(s->steps);
    memset(s, 0, sizeof *s);
}

static int sc_send(void *ctx, const uint8_t *buf, size_t len, unsigned flags, uint32_t timeout_ms)
{
    at_script *s = ctx;
    (void)flags;
    (void)timeout_ms;
    for (size_t i = 0; i < len; i++) {
        if (s->mismatch)
            return (int)len;
        at_step *st = s->cur < s->nsteps ? &s->steps[s->cur] : NULL;
        if (!st || !st->out || st->bytes[st->off] != buf[i]) {
            s->mismatch = true;
            if (!st || !st->out)
                snprintf(s->why, sizeof s->why, "step %zu: sent '%.*s' when nothing was due",
                         s->cur, (int)(len - i), (const char *)buf + i);
            else
                snprintf(s->why, sizeof s->why, "step %zu byte %zu: sent '%.*s', want '%.*s'",
                         s->cur, st->off, (int)(len - i), (const char *)buf + i,
                         (int)(st->len - st->off), (const char *)st->bytes + st->off);
            return (int)len;
        }
        if (++st->off == st->len)
            s->cur++;
    }
    return (int)len;
}

static int sc_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    at_script *s = ctx;
    at_step *st = s->cur < s->nsteps ? &s->steps[s->cur] : NULL;
    if (!st || st->out || s->mismatch) {
        s->clock->now += timeout_ms;
        return BRISA_ERR_TIMEOUT;
    }
    size_t n = st->len - st->off;
    if (n > len)
        n = len;
    if (s->max_read && n > s->max_read)
        n = s->max_read;
    memcpy(buf, st->bytes + st->off, n);
    st->off += n;
    if (st->off == st->len)
        s->cur++;
    return (int)n;
}

static void sc_close(void *ctx)
{
    (void)ctx;
}

brisa_transport at_script_iface(at_script *s)
{
    brisa_transport t = { s, sc_send, sc_recv, sc_close };
    return t;
}

bool at_script_done(const at_script *s)
{
    return !s->mismatch && s->cur == s->nsteps;
}
