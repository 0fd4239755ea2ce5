// SPDX-License-Identifier: MIT
/* TCP stream transport over BSD sockets. Every wait is bounded by the
 * caller's timeout, so a broker that stops answering can never hang the
 * caller. A socket connected here waits for data in one blocking recv()
 * bounded by SO_RCVTIMEO -- one system call per wake-up, where a poll()
 * would cost a look, the poll and the read; everything else (sends, looks
 * without waiting) passes MSG_DONTWAIT. An adopted socket stays
 * non-blocking and waits with poll(). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "posix_internal.h"
#include "brisa/err.h"
#include "brisa/port/posix_tcp.h"

#define DEFAULT_CONNECT_TIMEOUT_MS BRISA_TCP_CONNECT_TIMEOUT_MS

_Static_assert(BRISA_POSIX_TCP_READ_AHEAD > 0 && BRISA_POSIX_TCP_READ_AHEAD <= 65535,
               "read-ahead positions are 16-bit");


/* How often a wait with a cancel hook looks at it, besides on EINTR: a
 * button read by polling has no signal to wake the wait. */
#define CANCEL_SLICE_MS 20

#define WAIT_CANCELLED (-2)

/* Waits for @p events on @p fd until @p deadline (monotonic ms), asking
 * @p cancel (if any) on every EINTR and slice. Returns 1 when ready, 0 on
 * timeout, WAIT_CANCELLED, or -1 with errno set on failure. EINTR
 * restarts the wait with whatever time is left. */
static int wait_fd(int fd, short events, uint64_t deadline, brisa_posix_cancel_fn cancel,
                   void *user)
{
    for (;;) {
        if (cancel != NULL && cancel(user))
            return WAIT_CANCELLED;
        uint64_t now = bri_posix_mono_ms();
        uint64_t left = deadline > now ? deadline - now : 0;
        if (cancel != NULL && left > CANCEL_SLICE_MS)
            left = CANCEL_SLICE_MS;
        struct pollfd p = { .fd = fd, .events = events, .revents = 0 };
        int rc = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
        if (rc > 0)
            return 1;
        if (rc == 0) {
            if (bri_posix_mono_ms() >= deadline)
                return 0;
            continue; /* clamped wait ended early */
        }
        if (errno != EINTR)
            return -1;
    }
}

/* Records the last failure in words; long host names are cut, not lost. */
__attribute__((format(printf, 2, 3)))
static void set_msg(brisa_posix_tcp *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->msg, sizeof t->msg, fmt, ap);
    va_end(ap);
}

static void fail_sys(brisa_posix_tcp *t, int err, const char *what)
{
    t->sys_errno = err;
    t->gai_error = 0;
    set_msg(t, "%s: %s", what, strerror(err));
}

/* An errno from send/recv/poll as a brisa_err, kept for messages. */
static int io_error(brisa_posix_tcp *t, int err, const char *what)
{
    fail_sys(t, err, what);
    if (err == EPIPE)
        return BRISA_ERR_CLOSED;
    return BRISA_ERR_IO;
}

static int cancelled(brisa_posix_tcp *t)
{
    t->sys_errno = 0;
    set_msg(t, "stopped while waiting for the peer");
    return BRISA_ERR_CANCELLED;
}

void brisa_posix_tcp_set_cancel(brisa_posix_tcp *t, brisa_posix_cancel_fn cancel, void *user)
{
    t->cancel = cancel;
    t->cancel_user = user;
}

void brisa_posix_tcp_init(brisa_posix_tcp *t)
{
    memset(t, 0, sizeof *t);
    t->fd = -1;
}

static void describe_addr(const struct addrinfo *ai, char *out, size_t out_len)
{
    char host[NI_MAXHOST];
    if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof host, NULL, 0,
                    NI_NUMERICHOST) != 0)
        snprintf(host, sizeof host, "?");
    snprintf(out, out_len, "%s", host);
}

static int set_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -1;
    return 0;
}

/* One connection attempt. Returns the connected fd, or -1 with errno set
 * (ETIMEDOUT when the peer did not answer within @p timeout_ms, ECANCELED
 * when @p t's cancel hook ended the wait). */
static int try_connect(const brisa_posix_tcp *t, const struct addrinfo *ai, uint32_t timeout_ms)
{
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                    ai->ai_protocol);
    if (fd < 0)
        return -1;
    int err = 0;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        /* EINTR leaves the connect running, exactly like EINPROGRESS. */
        if (errno != EINPROGRESS && errno != EINTR) {
            err = errno;
        } else {
            int rc = wait_fd(fd, POLLOUT, bri_posix_mono_ms() + timeout_ms, t->cancel,
                             t->cancel_user);
            socklen_t len = sizeof err;
            if (rc == 0)
                err = ETIMEDOUT;
            else if (rc == WAIT_CANCELLED)
                err = ECANCELED;
            else if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
                err = errno;
        }
    }
    if (err != 0) {
        close(fd);
        errno = err;
        return -1;
    }
    /* Blocking for recv() waits only (see the top); a failure here just
     * leaves the poll() path. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    int one = 1;
    /* MQTT packets are small and latency matters; coalescing is asked
     * for explicitly with BRISA_SEND_MORE (MSG_MORE). */
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

brisa_err brisa_posix_tcp_connect(brisa_posix_tcp *t, const char *host, uint16_t port,
                                  const brisa_posix_tcp_options *opt)
{
    if (t == NULL || host == NULL || host[0] == '\0' || port == 0)
        return BRISA_ERR_INVALID_ARG;
    if (t->fd >= 0)
        return BRISA_ERR_STATE;
    uint32_t timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
    int family = AF_UNSPEC;
    t->cancel = opt != NULL ? opt->cancel : NULL;
    t->cancel_user = opt != NULL ? opt->cancel_user : NULL;
    if (opt != NULL) {
        if (opt->connect_timeout_ms != 0)
            timeout_ms = opt->connect_timeout_ms;
        if (opt->family == BRISA_POSIX_TCP_IPV4)
            family = AF_INET;
        else if (opt->family == BRISA_POSIX_TCP_IPV6)
            family = AF_INET6;
        else if (opt->family != BRISA_POSIX_TCP_ANY)
            return BRISA_ERR_INVALID_ARG;
    }
    t->sys_errno = 0;
    t->gai_error = 0;
    t->msg[0] = '\0';

    char service[8];
    snprintf(service, sizeof service, "%u", (unsigned)port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    struct addrinfo *list = NULL;
    int gai = getaddrinfo(host, service, &hints, &list);
    if (gai != 0) {
        t->gai_error = gai;
        t->sys_errno = gai == EAI_SYSTEM ? errno : 0;
        set_msg(t, "resolve '%s': %s", host, brisa_posix_tcp_reason(t));
        return BRISA_ERR_RESOLVE;
    }

    int result = BRISA_ERR_RESOLVE;
    for (const struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next) {
        int fd = try_connect(t, ai, timeout_ms);
        if (fd >= 0) {
            t->fd = fd;
            t->blocking_rx = (fcntl(fd, F_GETFL) & O_NONBLOCK) == 0;
            t->rcvtimeo_ms = 0;
            t->sys_errno = 0;
            t->msg[0] = '\0';
            result = BRISA_OK;
            break;
        }
        int err = errno;
        char addr[NI_MAXHOST], what[NI_MAXHOST + 32];
        describe_addr(ai, addr, sizeof addr);
        snprintf(what, sizeof what, "connect to %s port %u", addr, (unsigned)port);
        if (err == ECANCELED) {
            t->sys_errno = 0;
            set_msg(t, "%s: stopped while waiting for an answer", what);
            result = BRISA_ERR_CANCELLED;
            break;
        }
        if (err == ETIMEDOUT) {
            t->sys_errno = err;
            set_msg(t, "%s: no answer within %u ms", what, (unsigned)timeout_ms);
            result = BRISA_ERR_TIMEOUT;
        } else {
            fail_sys(t, err, what);
            result = BRISA_ERR_CONNECT;
        }
    }
    freeaddrinfo(list);
    if (result == BRISA_ERR_RESOLVE)
        set_msg(t, "resolve '%s': no address", host);
    return result;
}

brisa_err brisa_posix_tcp_adopt(brisa_posix_tcp *t, int fd)
{
    if (t == NULL || fd < 0 || t->fd >= 0)
        return BRISA_ERR_INVALID_ARG;
    if (set_nonblocking(fd) != 0) {
        fail_sys(t, errno, "adopt socket");
        return BRISA_ERR_INVALID_ARG;
    }
    t->fd = fd;
    t->sys_errno = 0;
    t->gai_error = 0;
    t->msg[0] = '\0';
    return BRISA_OK;
}

static int tcp_send(void *ctx, const uint8_t *buf, size_t len, unsigned flags,
                    uint32_t timeout_ms)
{
    brisa_posix_tcp *t = ctx;
    if (t->fd < 0)
        return BRISA_ERR_CLOSED;
    if (len == 0)
        return 0;
    if (len > INT_MAX)
        len = INT_MAX; /* the return type bounds one write */
    int sflags = MSG_NOSIGNAL | MSG_DONTWAIT;
    if (flags & BRISA_SEND_MORE)
        sflags |= MSG_MORE;
    t->drained_ms = 0; /* what we send may be answered at once */
    uint64_t deadline = bri_posix_mono_ms() + timeout_ms;
    for (;;) {
        ssize_t n = send(t->fd, buf, len, sflags);
        if (n >= 0)
            return (int)n;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return io_error(t, errno, "send");
        int rc = wait_fd(t->fd, POLLOUT, deadline, t->cancel, t->cancel_user);
        if (rc == 0)
            return BRISA_ERR_TIMEOUT;
        if (rc == WAIT_CANCELLED)
            return cancelled(t);
        if (rc < 0)
            return io_error(t, errno, "poll");
    }
}

/* Hands out up to @p len bytes already read ahead; 0 when there are none. */
static size_t take_ahead(brisa_posix_tcp *t, uint8_t *buf, size_t len)
{
    size_t have = (size_t)(t->ahead_end - t->ahead_pos);
    if (have == 0)
        return 0;
    if (len > have)
        len = have;
    memcpy(buf, t->ahead + t->ahead_pos, len);
    t->ahead_pos = (uint16_t)(t->ahead_pos + len);
    if (t->ahead_pos == t->ahead_end)
        t->ahead_pos = t->ahead_end = 0;
    return len;
}

/* Arms SO_RCVTIMEO to at most @p left_ms, so a blocking recv() never
 * outlasts the caller's deadline (it may end early; the caller then waits
 * again for what is left). The armed value is a power of two of ms, kept
 * while it is at least half of what is left, so a loop of waits with
 * shrinking deadlines rarely pays for a setsockopt(). Returns false when
 * the socket must be waited for with poll() instead. */
static bool arm_rcvtimeo(brisa_posix_tcp *t, uint64_t left_ms)
{
    if (!t->blocking_rx || left_ms == 0 || t->cancel != NULL)
        return false; /* a cancel hook is asked between poll() slices */
    if (t->rcvtimeo_ms != 0 && t->rcvtimeo_ms <= left_ms && 2u * (uint64_t)t->rcvtimeo_ms > left_ms)
        return true;
    uint32_t v = 1;
    while ((uint64_t)v * 2u <= left_ms && v < (1u << 30))
        v *= 2u;
    struct timeval tv = { .tv_sec = (time_t)(v / 1000u), .tv_usec = (suseconds_t)(v % 1000u) * 1000 };
    if (setsockopt(t->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) {
        t->blocking_rx = false;
        return false;
    }
    t->rcvtimeo_ms = v;
    return true;
}

static int tcp_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    brisa_posix_tcp *t = ctx;
    if (t->fd < 0)
        return BRISA_ERR_CLOSED;
    if (len == 0)
        return BRISA_ERR_INVALID_ARG;
    if (len > INT_MAX)
        len = INT_MAX;
    size_t got = take_ahead(t, buf, len);
    if (got > 0)
        return (int)got;
    /* A look without waiting in the same millisecond as a recv() that
     * emptied the socket, with nothing sent since, would only meet EAGAIN:
     * answer for it once, saving that syscall at the end of every
     * brisa_mqtt_process() in a burst. */
    uint64_t now = bri_posix_mono_ms();
    if (timeout_ms == 0 && t->drained_ms == now + 1) {
        t->drained_ms = 0;
        return BRISA_ERR_TIMEOUT;
    }
    /* A read smaller than the read-ahead buffer fills the buffer instead;
     * a larger one goes straight to the caller's memory, uncopied. */
    bool ahead = len < sizeof t->ahead;
    uint8_t *dst = ahead ? t->ahead : buf;
    size_t want = ahead ? sizeof t->ahead : len;
    uint64_t deadline = now + timeout_ms;
    for (;;) {
        bool block = timeout_ms != 0 && arm_rcvtimeo(t, deadline > now ? deadline - now : 0);
        ssize_t n = recv(t->fd, dst, want, block ? 0 : MSG_DONTWAIT);
        int err = errno;
        if (block)
            now = bri_posix_mono_ms(); /* the wait took time */
        if (n > 0) {
            t->drained_ms = (size_t)n < want ? now + 1 : 0; /* +1: never 0 */
            if (!ahead)
                return (int)n;
            t->ahead_pos = 0;
            t->ahead_end = (uint16_t)n;
            return (int)take_ahead(t, buf, len);
        }
        if (n == 0) {
            set_msg(t, "recv: connection closed by peer");
            return BRISA_ERR_CLOSED;
        }
        if (err == EINTR)
            continue;
        if (err != EAGAIN && err != EWOULDBLOCK)
            return io_error(t, err, "recv");
        if (timeout_ms == 0)
            return BRISA_ERR_TIMEOUT;
        if (block) {
            /* SO_RCVTIMEO ran out: wait again for whatever is left. */
            if (now >= deadline)
                return BRISA_ERR_TIMEOUT;
            continue;
        }
        int rc = wait_fd(t->fd, POLLIN, deadline, t->cancel, t->cancel_user);
        if (rc == 0)
            return BRISA_ERR_TIMEOUT;
        if (rc == WAIT_CANCELLED)
            return cancelled(t);
        if (rc < 0)
            return io_error(t, errno, "poll");
        now = bri_posix_mono_ms(); /* for drained_ms: the wait took time */
    }
}

void brisa_posix_tcp_close(brisa_posix_tcp *t)
{
    if (t == NULL)
        return;
    if (t->fd >= 0) {
        close(t->fd);
        t->fd = -1;
    }
    t->ahead_pos = t->ahead_end = 0; /* nothing read ahead survives the socket */
    t->drained_ms = 0;
    t->rcvtimeo_ms = 0;
    t->blocking_rx = false;
}

static void tcp_close(void *ctx)
{
    brisa_posix_tcp_close(ctx);
}

brisa_transport brisa_posix_tcp_transport(brisa_posix_tcp *t)
{
    brisa_transport tr = { t, tcp_send, tcp_recv, tcp_close };
    return tr;
}

const char *brisa_posix_tcp_error(const brisa_posix_tcp *t)
{
    return t->msg;
}

const char *brisa_posix_tcp_reason(const brisa_posix_tcp *t)
{
    if (t->gai_error != 0 && t->gai_error != EAI_SYSTEM)
        return gai_strerror(t->gai_error);
    if (t->sys_errno != 0)
        return strerror(t->sys_errno);
    return "";
}
