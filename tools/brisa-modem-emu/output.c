// SPDX-License-Identifier: MIT
/* Everything the emulator writes to the DTE goes through here, so the
 * faults that shape output (split fragments) and the log apply to all of
 * it alike. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"

uint64_t emu_now_ms(emu *e)
{
    return e->clock.monotonic_ms(e->clock.ctx);
}

void emu_log(emu *e, const char *dir, const char *fmt, ...)
{
    if (e->log == NULL && !e->verbose)
        return;
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char stamp[40];
    size_t n = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(stamp + n, sizeof stamp - n, ".%03ldZ", ts.tv_nsec / 1000000L);
    if (e->log != NULL) {
        fprintf(e->log, "%s %s %s\n", stamp, dir, text);
        fflush(e->log);
    }
    if (e->verbose)
        fprintf(stderr, "brisa-modem-emu: %s %s\n", dir, text);
}

/* Writes all of buf to the (non-blocking) pty master; a DTE that stops
 * reading for 2 s loses the rest rather than freezing the module, and
 * what follows is dropped at once until the line has room again. */
static void write_all(emu *e, const uint8_t *p, size_t len)
{
    if (e->out_stalled) {
        struct pollfd pfd = { .fd = e->pty, .events = POLLOUT };
        if (poll(&pfd, 1, 0) <= 0)
            return;
        e->out_stalled = false;
        emu_log(e, "err", "DTE reading again");
    }
    while (len > 0) {
        ssize_t n = write(e->pty, p, len);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN) {
            emu_log(e, "err", "write to the pty: %s", strerror(errno));
            return;
        }
        struct pollfd pfd = { .fd = e->pty, .events = POLLOUT };
        if (poll(&pfd, 1, 2000) <= 0) {
            emu_log(e, "err", "DTE not reading: output dropped until it does");
            e->out_stalled = true;
            return;
        }
    }
}

void emu_write(emu *e, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    if (e->split == 0) {
        write_all(e, p, len);
        return;
    }
    while (len > 0) {
        size_t n = len < e->split ? len : e->split;
        write_all(e, p, n);
        p += n;
        len -= n;
        if (len > 0) {
            struct timespec pause = { 0, 3 * 1000000L };
            nanosleep(&pause, NULL);
        }
    }
}

void emu_log_bytes(emu *e, const char *dir, const void *buf, size_t len)
{
    /* Logged as text where it is text: the first 64 bytes, escaped. */
    char shown[64 * 4 + 1];
    size_t n = 0;
    const uint8_t *p = buf;
    for (size_t i = 0; i < len && i < 64; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
            shown[n++] = (char)p[i];
        else
            n += (size_t)snprintf(shown + n, sizeof shown - n, "\\x%02x", p[i]);
    }
    shown[n] = '\0';
    emu_log(e, dir, "%s%s (%zu bytes)", shown, len > 64 ? "..." : "", len);
}

void emu_raw(emu *e, const void *buf, size_t len)
{
    emu_log_bytes(e, "out", buf, len);
    emu_write(e, buf, len);
}

void emu_line(emu *e, const char *fmt, ...)
{
    char text[EMU_LINE_MAX + 8];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text + 2, sizeof text - 4, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof text - 5 ? (size_t)n : sizeof text - 5;
    emu_log(e, "out", "%s", text + 2);
    /* Verbose result codes: <CR><LF>text<CR><LF> (V1, the module's default). */
    text[0] = '\r';
    text[1] = '\n';
    text[len + 2] = '\r';
    text[len + 3] = '\n';
    emu_write(e, text, len + 4);
}

void emu_ok(emu *e)
{
    emu_line(e, "OK");
}

void emu_error(emu *e)
{
    emu_line(e, "ERROR");
}

void emu_mqtt_error(emu *e, const char *name, int idx, int err)
{
    if (idx >= 0)
        emu_line(e, "+%s: %d,%d", name, idx, err);
    else
        emu_line(e, "+%s: %d", name, err);
    emu_error(e);
}

void emu_prompt(emu *e, emu_data_kind kind, size_t len)
{
    e->data_kind = kind;
    e->data_want = len;
    e->data_have = 0;
    e->data_deadline_ms = emu_now_ms(e) + e->data_timeout_ms;
    emu_log(e, "out", ">");
    emu_write(e, "\r\n>", 3);
}
