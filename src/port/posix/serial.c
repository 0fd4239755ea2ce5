// SPDX-License-Identifier: MIT
/* A brisa_transport over a serial port (termios): raw 8N1, a baud rate,
 * optional RTS/CTS, exclusive open. Works on a tty and on a pty. */
#include "brisa/port/posix_serial.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "brisa/err.h"
#include "posix_internal.h"

static const struct {
    uint32_t rate;
    speed_t speed;
} rates[] = {
    { 1200, B1200 }, { 2400, B2400 }, { 4800, B4800 }, { 9600, B9600 },
    { 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 }, { 115200, B115200 },
    { 230400, B230400 }, { 460800, B460800 }, { 921600, B921600 },
    { 1000000, B1000000 }, { 1500000, B1500000 }, { 2000000, B2000000 },
    { 3000000, B3000000 }, { 4000000, B4000000 },
};

static int fail(brisa_posix_serial *s, const char *path, const char *what, int err)
{
    s->sys_errno = errno;
    snprintf(s->msg, sizeof s->msg, "%s: %s%s%s", path, what, what[0] ? ": " : "",
             strerror(errno));
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
    return err;
}

brisa_err brisa_posix_serial_open(brisa_posix_serial *s, const char *path, uint32_t baud,
                                  bool rtscts)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    speed_t speed = 0;
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
        if (rates[i].rate == baud)
            speed = rates[i].speed;
    if (!speed) {
        snprintf(s->msg, sizeof s->msg, "%s: baud rate %u not supported", path, (unsigned)baud);
        return BRISA_ERR_INVALID_ARG;
    }
    s->fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (s->fd < 0)
        return fail(s, path, "", errno == ENOENT ? BRISA_ERR_NOT_FOUND
                                 : errno == EBUSY ? BRISA_ERR_BUSY : BRISA_ERR_IO);
    /* flock keeps out programs that also lock (ModemManager, minicom...);
     * TIOCEXCL refuses any further open() of the tty but root's. */
    if (flock(s->fd, LOCK_EX | LOCK_NB) < 0)
        return fail(s, path, "in use by another program", BRISA_ERR_BUSY);
    struct termios tio;
    if (tcgetattr(s->fd, &tio) < 0)
        return fail(s, path, "not a terminal", BRISA_ERR_IO);
    if (ioctl(s->fd, TIOCEXCL) < 0)
        return fail(s, path, "TIOCEXCL", BRISA_ERR_IO);
    cfmakeraw(&tio);
    tio.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CSIZE | CRTSCTS);
    tio.c_cflag |= CS8 | CLOCAL | CREAD | (rtscts ? CRTSCTS : 0);
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 0;
    if (cfsetispeed(&tio, speed) < 0 || cfsetospeed(&tio, speed) < 0 ||
        tcsetattr(s->fd, TCSANOW, &tio) < 0)
        return fail(s, path, "cannot set 8N1 raw mode", BRISA_ERR_IO);
    tcflush(s->fd, TCIOFLUSH);
    return BRISA_OK;
}

brisa_err brisa_posix_serial_parse(const char *spec, char *path, size_t size, uint32_t *baud)
{
    const char *colon = strrchr(spec, ':');
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    *baud = 115200;
    if (colon) {
        char *end;
        unsigned long v = strtoul(colon + 1, &end, 10);
        if (!colon[1] || *end || v == 0 || v > 4000000)
            return BRISA_ERR_INVALID_ARG;
        *baud = (uint32_t)v;
    }
    if (n == 0 || n >= size)
        return BRISA_ERR_INVALID_ARG;
    memcpy(path, spec, n);
    path[n] = 0;
    return BRISA_OK;
}

static int wait_fd(int fd, short events, uint32_t timeout_ms)
{
    struct pollfd p = { .fd = fd, .events = events };
    int n;
    do
        n = poll(&p, 1, timeout_ms > 0x7fffffffu ? -1 : (int)timeout_ms);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return BRISA_ERR_IO;
    if (n == 0)
        return BRISA_ERR_TIMEOUT;
    /* A pty whose other side is gone reports POLLHUP. The caller read
     * everything before waiting (raw mode with VMIN 0 reads 0 bytes when
     * there are none), so a hang-up now means the line is closed. */
    if (p.revents & (POLLHUP | POLLERR))
        return BRISA_ERR_CLOSED;
    return BRISA_OK;
}

static int serial_send(void *ctx, const uint8_t *buf, size_t len, unsigned flags,
                       uint32_t timeout_ms)
{
    brisa_posix_serial *s = ctx;
    (void)flags;
    if (s->fd < 0)
        return BRISA_ERR_CLOSED;
    for (;;) {
        ssize_t n = write(s->fd, buf, len);
        if (n > 0)
            return (int)(n > 0x7fffffff ? 0x7fffffff : n);
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            return errno == EIO ? BRISA_ERR_CLOSED : BRISA_ERR_IO;
        int w = wait_fd(s->fd, POLLOUT, timeout_ms);
        if (w)
            return w;
    }
}

static int serial_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    brisa_posix_serial *s = ctx;
    if (s->fd < 0)
        return BRISA_ERR_CLOSED;
    uint64_t deadline = bri_posix_mono_ms() + timeout_ms;
    for (;;) {
        ssize_t n = read(s->fd, buf, len);
        if (n > 0)
            return (int)n;
        /* A pty master that went away reads as EIO. */
        if (n < 0 && errno == EIO)
            return BRISA_ERR_CLOSED;
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            return BRISA_ERR_IO;
        uint64_t now = bri_posix_mono_ms();
        if (now >= deadline)
            return BRISA_ERR_TIMEOUT;
        int w = wait_fd(s->fd, POLLIN, (uint32_t)(deadline - now));
        if (w)
            return w;
    }
}

void brisa_posix_serial_close(brisa_posix_serial *s)
{
    if (s->fd >= 0) {
        close(s->fd); /* also drops the flock */
        s->fd = -1;
    }
}

static void serial_close(void *ctx)
{
    brisa_posix_serial_close(ctx);
}

brisa_transport brisa_posix_serial_transport(brisa_posix_serial *s)
{
    brisa_transport t = { s, serial_send, serial_recv, serial_close };
    return t;
}

const char *brisa_posix_serial_error(const brisa_posix_serial *s)
{
    return s->msg[0] ? s->msg : "no error";
}
