// SPDX-License-Identifier: MIT
/* The AT command engine: line framing, final results, the data prompt and
 * URC dispatch over a byte stream. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "brisa/at.h"

#define DEFAULT_TIMEOUT_MS BRISA_AT_TIMEOUT_MS

static size_t text_len(const char *s)
{
    return strlen(s);
}

static bool equals(const char *l, size_t n, const char *word)
{
    size_t w = text_len(word);
    return n == w && memcmp(l, word, w) == 0;
}

static bool has_prefix(const char *l, size_t n, const char *prefix)
{
    size_t p = text_len(prefix);
    return n >= p && memcmp(l, prefix, p) == 0;
}

static char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* The echo of a command (ATE1): the module repeats what it received, and
 * the case of "at" may differ from what was sent. */
static bool is_echo(const brisa_at *at, const char *l, size_t n)
{
    if (n != at->cmd_len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (upper(l[i]) != upper(at->cmd->text[i]))
            return false;
    return true;
}

/* "+CME ERROR: 10" -> 10; a verbose text ("SIM not inserted") -> -1. */
static int error_code(const char *l, size_t n, size_t skip)
{
    size_t i = skip;
    while (i < n && l[i] == ' ')
        i++;
    if (i == n)
        return -1;
    int v = 0;
    for (; i < n; i++) {
        if (l[i] < '0' || l[i] > '9' || v > 99999)
            return -1;
        v = v * 10 + (l[i] - '0');
    }
    return v;
}

static void trace(brisa_at *at, bool out, const char *l, size_t n)
{
    if (at->cfg.on_trace)
        at->cfg.on_trace(at->cfg.user, out, l, n);
}

static uint64_t now_ms(const brisa_at *at)
{
    return at->cfg.clock.monotonic_ms(at->cfg.clock.ctx);
}

static uint32_t left_ms(const brisa_at *at, uint64_t deadline)
{
    uint64_t now = now_ms(at);
    if (now >= deadline)
        return 0;
    uint64_t d = deadline - now;
    return d > 0x7fffffffu ? 0x7fffffffu : (uint32_t)d;
}

static int send_all(brisa_at *at, const uint8_t *p, size_t len, uint64_t deadline)
{
    while (len) {
        int n = at->cfg.transport.send(at->cfg.transport.ctx, p, len, 0,
                                       left_ms(at, deadline));
        if (n < 0)
            return n;
        if (n == 0 || (size_t)n > len)
            return BRISA_ERR_IO;
        p += n;
        len -= (size_t)n;
    }
    return BRISA_OK;
}

static void final_result(brisa_at *at, const char *l, size_t n)
{
    if (equals(l, n, "OK")) {
        /* OK without the prompt: the data never went out. */
        at->final = at->prompt_wanted ? BRISA_ERR_PROTOCOL : 1;
    } else if (equals(l, n, "ERROR")) {
        at->final = BRISA_ERR_REFUSED;
        at->cme = -1;
    } else {
        at->final = BRISA_ERR_REFUSED;
        at->cme = error_code(l, n, 11); /* after "+CME ERROR:" */
    }
}

static bool is_final(const char *l, size_t n)
{
    return equals(l, n, "OK") || equals(l, n, "ERROR") ||
           has_prefix(l, n, "+CME ERROR:") || has_prefix(l, n, "+CMS ERROR:");
}

static void handle_line(brisa_at *at)
{
    const char *l = at->cfg.line_buf;
    size_t n = at->line_len;
    const brisa_at_command *c = at->cmd;
    trace(at, false, l, n);
    bool waiting = c && at->final == 0;
    if (waiting && is_final(l, n)) {
        final_result(at, l, n);
        return;
    }
    if (waiting && is_echo(at, l, n))
        return;
    if (c && c->done_prefix && !at->done_seen && at->final >= 0 &&
        has_prefix(l, n, c->done_prefix)) {
        at->done_seen = true;
        if (c->on_line)
            c->on_line(c->user, l, n);
        return;
    }
    size_t raw = 0;
    if (at->cfg.on_urc && at->cfg.on_urc(at->cfg.user, l, n, &raw)) {
        at->raw_left = raw;
        return;
    }
    if (waiting && c->on_line)
        c->on_line(c->user, l, n);
}

static void end_line(brisa_at *at)
{
    if (at->line_len && !at->overflow)
        handle_line(at);
    at->line_len = 0;
    at->overflow = false;
}

static void send_data(brisa_at *at)
{
    const brisa_at_command *c = at->cmd;
    trace(at, true, (const char *)c->data, c->data_len);
    int err = send_all(at, c->data, c->data_len, at->deadline_ms);
    if (err)
        at->io_err = err;
}

void brisa_at_input(brisa_at *at, const uint8_t *data, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (at->skip_lf) {
            at->skip_lf = false;
            if (data[i] == '\n') {
                i++;
                continue;
            }
        }
        if (at->raw_left) {
            size_t n = len - i < at->raw_left ? len - i : at->raw_left;
            if (at->cfg.on_raw)
                at->cfg.on_raw(at->cfg.user, data + i, n);
            at->raw_left -= n;
            i += n;
            continue;
        }
        uint8_t b = data[i++];
        if (at->skip_space) {
            at->skip_space = false;
            if (b == ' ')
                continue;
        }
        if (b == '\r' || b == '\n') {
            at->skip_lf = (b == '\r');
            end_line(at);
            continue;
        }
        /* The prompt has no line end after it: act on the byte itself. */
        if (b == '>' && at->line_len == 0 && at->prompt_wanted && at->final == 0) {
            at->prompt_wanted = false;
            at->skip_space = true;
            send_data(at);
            continue;
        }
        if (at->line_len + 1 < at->cfg.line_size)
            at->cfg.line_buf[at->line_len++] = (char)b;
        else
            at->overflow = true;
    }
}

brisa_err brisa_at_init(brisa_at *at, const brisa_at_config *cfg)
{
    if (!at || !cfg || !cfg->transport.send || !cfg->transport.recv ||
        !cfg->clock.monotonic_ms || !cfg->line_buf || cfg->line_size < 64)
        return BRISA_ERR_INVALID_ARG;
    memset(at, 0, sizeof *at);
    at->cfg = *cfg;
    return BRISA_OK;
}

int brisa_at_cme(const brisa_at *at)
{
    return at->cme;
}

static bool finished(const brisa_at *at)
{
    if (at->final < 0 || at->io_err)
        return true;
    return at->final == 1 && (!at->cmd->done_prefix || at->done_seen);
}

brisa_err brisa_at_command_run(brisa_at *at, const brisa_at_command *cmd)
{
    if (at->busy)
        return BRISA_ERR_STATE;
    if (!cmd || !cmd->text)
        return BRISA_ERR_INVALID_ARG;
    size_t len = cmd->len ? cmd->len : text_len(cmd->text);
    if (len == 0)
        return BRISA_ERR_INVALID_ARG;
    at->busy = true;
    at->cmd = cmd;
    at->cmd_len = len;
    at->final = 0;
    at->cme = 0;
    at->io_err = 0;
    at->done_seen = false;
    at->prompt_wanted = cmd->data != NULL;
    at->deadline_ms = now_ms(at) + (cmd->timeout_ms ? cmd->timeout_ms : DEFAULT_TIMEOUT_MS);

    trace(at, true, cmd->text, len);
    int err = send_all(at, (const uint8_t *)cmd->text, len, at->deadline_ms);
    if (!err)
        err = send_all(at, (const uint8_t *)"\r", 1, at->deadline_ms);
    while (!err && !finished(at)) {
        uint32_t wait = left_ms(at, at->deadline_ms);
        if (wait == 0) {
            err = BRISA_ERR_TIMEOUT;
            break;
        }
        int n = at->cfg.transport.recv(at->cfg.transport.ctx, at->rx, sizeof at->rx, wait);
        if (n == BRISA_ERR_TIMEOUT)
            continue;
        if (n < 0) {
            err = n;
            break;
        }
        brisa_at_input(at, at->rx, (size_t)n);
    }
    if (!err)
        err = at->io_err ? at->io_err : (at->final < 0 ? at->final : BRISA_OK);
    at->cmd = NULL;
    at->prompt_wanted = false;
    at->busy = false;
    return err;
}

brisa_err brisa_at_poll(brisa_at *at, uint32_t timeout_ms)
{
    if (at->busy)
        return BRISA_ERR_STATE;
    at->busy = true;
    uint64_t deadline = now_ms(at) + timeout_ms;
    uint32_t wait = timeout_ms;
    int err = BRISA_OK;
    for (;;) {
        int n = at->cfg.transport.recv(at->cfg.transport.ctx, at->rx, sizeof at->rx, wait);
        if (n == BRISA_ERR_TIMEOUT)
            break;
        if (n < 0) {
            err = n;
            break;
        }
        brisa_at_input(at, at->rx, (size_t)n);
        /* Half a line or half a URC's data: wait for the rest. */
        wait = (at->line_len || at->raw_left) ? left_ms(at, deadline) : 0;
    }
    at->busy = false;
    return err;
}
