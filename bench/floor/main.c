// SPDX-License-Identifier: MIT
/* bench_floor: the floor of the benchmark. A minimal raw MQTT 3.1.1 client
 * with nothing a library adds: one blocking TCP_NODELAY socket, packets
 * encoded by hand into one buffer, OpenSSL called directly for TLS, and one
 * blocking read() / SSL_read() per wake-up into a large buffer from which
 * every whole packet is handled. No session state, no keepalive, no
 * retries, no checks beyond what the measurement needs: what is left is
 * the cost of the kernel, the broker and the crypto library, which any
 * client pays.
 *
 * Connects (--connect-kind): reuse keeps one SSL_CTX (credentials loaded
 * once) and makes a full handshake each time; fresh builds a new SSL_CTX
 * per connect; resume offers the previous connection's session. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bench.h"

#define RX_SIZE (256u * 1024u)
#define TX_SIZE (65u * 1024u + 512u)

typedef struct fctx {
    const bench_opts *o;
    int fd;
    SSL_CTX *ctx;
    SSL *ssl;
    SSL_SESSION *session;
    uint16_t next_id;
    bool acked;          /* the flow of want_id completed */
    uint16_t want_id;
    uint8_t *rx, *tx;
    size_t rx_pos, rx_end;
    char err[256];
} fctx;

__attribute__((format(printf, 2, 3)))
static int fail(fctx *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->err, sizeof x->err, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *ssl_reason(void)
{
    unsigned long e = ERR_get_error();
    return e ? ERR_reason_error_string(e) : strerror(errno);
}

static SSL_CTX *make_ctx(fctx *x)
{
    const bench_opts *o = x->o;
    SSL_CTX *c = SSL_CTX_new(TLS_client_method());
    if (c == NULL)
        return NULL;
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER, NULL);
    if (SSL_CTX_load_verify_locations(c, o->cafile, NULL) != 1)
        goto bad;
    if (o->tls == BENCH_TLS_TWOWAY &&
        (SSL_CTX_use_certificate_chain_file(c, o->certfile) != 1 ||
         SSL_CTX_use_PrivateKey_file(c, o->keyfile, SSL_FILETYPE_PEM) != 1))
        goto bad;
    /* Sessions are offered only when asked for (resume). */
    SSL_CTX_set_session_cache_mode(c, o->connect_kind == BENCH_CONNECT_RESUME
                                          ? SSL_SESS_CACHE_CLIENT
                                          : SSL_SESS_CACHE_OFF);
    if (o->connect_kind != BENCH_CONNECT_RESUME)
        SSL_CTX_set_options(c, SSL_OP_NO_TICKET);
    return c;
bad:
    SSL_CTX_free(c);
    return NULL;
}

/* Writes everything, blocking. */
static int put(fctx *x, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    if (x->ssl != NULL) {
        /* One SSL_write: the records are as large as TLS allows. */
        if (b != NULL && blen > 0) {
            memcpy(x->tx + alen, b, blen);
            alen += blen;
            a = x->tx;
        }
        size_t done = 0;
        if (SSL_write_ex(x->ssl, a, alen, &done) != 1 || done != alen)
            return fail(x, "SSL_write: %s", ssl_reason());
        return 0;
    }
    /* iovec has no const; writev() only reads. */
    struct iovec v[2] = { { (void *)(uintptr_t)a, alen }, { (void *)(uintptr_t)b, blen } };
    int cnt = b != NULL && blen > 0 ? 2 : 1;
    size_t left = alen + (cnt == 2 ? blen : 0);
    while (left > 0) {
        ssize_t n = writev(x->fd, v, cnt);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(x, "write: %s", strerror(errno));
        }
        left -= (size_t)n;
        for (int i = 0; i < cnt && n > 0; i++) {
            size_t k = (size_t)n < v[i].iov_len ? (size_t)n : v[i].iov_len;
            v[i].iov_base = (uint8_t *)v[i].iov_base + k;
            v[i].iov_len -= k;
            n -= (ssize_t)k;
        }
    }
    return 0;
}

static size_t put_len(uint8_t *p, size_t len)
{
    size_t i = 0;
    do {
        uint8_t b = (uint8_t)(len % 128);
        len /= 128;
        p[i++] = b | (len ? 0x80 : 0);
    } while (len);
    return i;
}

static int send_ack(fctx *x, uint8_t first, uint16_t id)
{
    uint8_t p[4] = { first, 2, (uint8_t)(id >> 8), (uint8_t)id };
    return put(x, p, sizeof p, NULL, 0);
}

/* One blocking read (or a look without waiting) into the buffer.
 * Returns 1 with bytes added, 0 when nothing came in time, -1 on failure. */
static int fill(fctx *x, bool wait)
{
    if (x->rx_pos == x->rx_end)
        x->rx_pos = x->rx_end = 0;
    else if (x->rx_end == RX_SIZE) {
        memmove(x->rx, x->rx + x->rx_pos, x->rx_end - x->rx_pos);
        x->rx_end -= x->rx_pos;
        x->rx_pos = 0;
    }
    size_t room = RX_SIZE - x->rx_end;
    if (!wait && (x->ssl == NULL || SSL_pending(x->ssl) == 0)) {
        struct pollfd p = { x->fd, POLLIN, 0 };
        if (poll(&p, 1, 0) <= 0)
            return 0;
    }
    if (x->ssl != NULL) {
        size_t n = 0;
        if (SSL_read_ex(x->ssl, x->rx + x->rx_end, room, &n) != 1) {
            int e = SSL_get_error(x->ssl, 0);
            if (e == SSL_ERROR_WANT_READ && (errno == EAGAIN || errno == EWOULDBLOCK))
                return fail(x, "%s", "timed out");
            return fail(x, "SSL_read: %s", ssl_reason());
        }
        x->rx_end += n;
        return 1;
    }
    for (;;) {
        ssize_t n = read(x->fd, x->rx + x->rx_end, room);
        if (n > 0) {
            x->rx_end += (size_t)n;
            return 1;
        }
        if (n == 0)
            return fail(x, "%s", "connection closed by the broker");
        if (errno != EINTR)
            return fail(x, "read: %s", strerror(errno));
    }
}

/* The next whole packet in the buffer: its first byte, body and length.
 * Returns 1 when there is one, 0 when more bytes are needed. */
static int next_packet(fctx *x, uint8_t *type, const uint8_t **body, size_t *len)
{
    const uint8_t *p = x->rx + x->rx_pos;
    size_t have = x->rx_end - x->rx_pos, rem = 0, i = 1;
    unsigned shift = 0;
    for (;;) {
        if (i >= have || i > 4)
            return 0;
        rem |= (size_t)(p[i] & 0x7f) << shift;
        shift += 7;
        if (!(p[i++] & 0x80))
            break;
    }
    if (have - i < rem)
        return 0;
    *type = p[0];
    *body = p + i;
    *len = rem;
    x->rx_pos += i + rem;
    return 1;
}

static uint16_t id_of(const uint8_t *b)
{
    return (uint16_t)(b[0] << 8 | b[1]);
}

/* Handles one packet. Returns 0, or -1 on failure. */
static int handle(fctx *x, uint8_t first, const uint8_t *b, size_t len)
{
    switch (first >> 4) {
    case 3: { /* PUBLISH */
        int qos = (first >> 1) & 3;
        if (len < 2)
            return fail(x, "%s", "short PUBLISH");
        size_t off = 2 + (size_t)id_of(b) + (qos ? 2 : 0);
        if (off > len)
            return fail(x, "%s", "bad PUBLISH");
        size_t plen = len - off;
        bench_message(b + off, plen < BENCH_HEADER_LEN ? plen : BENCH_HEADER_LEN, plen);
        if (qos == 1)
            return send_ack(x, 0x40, id_of(b + 2 + id_of(b)));
        if (qos == 2)
            return send_ack(x, 0x50, id_of(b + 2 + id_of(b)));
        return 0;
    }
    case 6: /* PUBREL */
        return len < 2 ? fail(x, "%s", "short PUBREL") : send_ack(x, 0x70, id_of(b));
    case 5: /* PUBREC */
        if (len < 2)
            return fail(x, "%s", "short PUBREC");
        return send_ack(x, 0x62, id_of(b));
    case 4: /* PUBACK */
    case 7: /* PUBCOMP */
    case 9: /* SUBACK */
    case 2: /* CONNACK */
        if (len >= 2 && (first >> 4 == 2 || id_of(b) == x->want_id)) {
            if (first >> 4 == 2 && b[1] != 0)
                return fail(x, "%s", "CONNACK refused");
            if (first >> 4 == 9 && len >= 3 && b[2] == 0x80)
                return fail(x, "%s", "SUBACK refused");
            x->acked = true;
        }
        return 0;
    default:
        return 0;
    }
}

/* Reads once (waiting or not) and handles every whole packet buffered. */
static int pump(fctx *x, bool wait)
{
    uint8_t first;
    const uint8_t *body;
    size_t len;
    bool handled = false;
    while (next_packet(x, &first, &body, &len)) {
        if (handle(x, first, body, len) != 0)
            return -1;
        handled = true;
    }
    if (handled)
        return 0; /* left over from an earlier read: no need to wait */
    int rc = fill(x, wait);
    if (rc <= 0)
        return rc;
    while (next_packet(x, &first, &body, &len))
        if (handle(x, first, body, len) != 0)
            return -1;
    return 0;
}

/* Blocks until the flow of @p id (or CONNACK) has completed. */
static int await(fctx *x, uint16_t id)
{
    x->want_id = id;
    x->acked = false;
    uint8_t first;
    const uint8_t *body;
    size_t len;
    while (!x->acked) {
        if (next_packet(x, &first, &body, &len)) {
            if (handle(x, first, body, len) != 0)
                return -1;
            continue;
        }
        if (fill(x, true) < 0)
            return -1;
    }
    return 0;
}

static void drop(fctx *x)
{
    if (x->ssl != NULL) {
        SSL_free(x->ssl);
        x->ssl = NULL;
    }
    if (x->fd >= 0) {
        close(x->fd);
        x->fd = -1;
    }
    x->rx_pos = x->rx_end = 0;
}

static int f_connect(void *ctx, const bench_opts *o, const char *client_id)
{
    fctx *x = ctx;
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(o->port) };
    if (inet_pton(AF_INET, o->host, &sa.sin_addr) != 1)
        return fail(x, "host %s: an IPv4 address is needed", o->host);
    x->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (x->fd < 0)
        return fail(x, "socket: %s", strerror(errno));
    int one = 1;
    struct timeval tv = { (time_t)(o->timeout_ms / 1000), (long)(o->timeout_ms % 1000) * 1000 };
    setsockopt(x->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(x->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(x->fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        fail(x, "connect: %s", strerror(errno));
        drop(x);
        return -1;
    }
    if (o->tls != BENCH_TLS_NONE) {
        if (o->connect_kind == BENCH_CONNECT_FRESH || x->ctx == NULL) {
            SSL_CTX_free(x->ctx);
            x->ctx = make_ctx(x);
            if (x->ctx == NULL) {
                fail(x, "TLS context: %s", ssl_reason());
                drop(x);
                return -1;
            }
        }
        x->ssl = SSL_new(x->ctx);
        if (x->ssl == NULL || SSL_set_fd(x->ssl, x->fd) != 1 ||
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(x->ssl), o->host) != 1 ||
            (x->session != NULL && SSL_set_session(x->ssl, x->session) != 1) ||
            SSL_connect(x->ssl) != 1) {
            fail(x, "TLS handshake: %s", ssl_reason());
            drop(x);
            return -1;
        }
    }
    /* CONNECT, MQTT 3.1.1, clean session, keepalive 60 s. */
    size_t idlen = strlen(client_id);
    uint8_t *p = x->tx;
    size_t n = 0;
    p[n++] = 0x10;
    n += put_len(p + n, 10 + 2 + idlen);
    memcpy(p + n, "\0\4MQTT\4\2\0\74", 10);
    n += 10;
    p[n++] = (uint8_t)(idlen >> 8);
    p[n++] = (uint8_t)idlen;
    memcpy(p + n, client_id, idlen);
    n += idlen;
    if (put(x, p, n, NULL, 0) != 0 || await(x, 0) != 0) {
        drop(x);
        return -1;
    }
    x->next_id = 0;
    return 0;
}

static uint16_t new_id(fctx *x)
{
    if (++x->next_id == 0)
        x->next_id = 1;
    return x->next_id;
}

static int f_subscribe(void *ctx, const char *topic, int qos)
{
    fctx *x = ctx;
    size_t tl = strlen(topic);
    uint16_t id = new_id(x);
    uint8_t *p = x->tx;
    size_t n = 0;
    p[n++] = 0x82;
    n += put_len(p + n, 2 + 2 + tl + 1);
    p[n++] = (uint8_t)(id >> 8);
    p[n++] = (uint8_t)id;
    p[n++] = (uint8_t)(tl >> 8);
    p[n++] = (uint8_t)tl;
    memcpy(p + n, topic, tl);
    n += tl;
    p[n++] = (uint8_t)qos;
    return put(x, p, n, NULL, 0) != 0 ? -1 : await(x, id);
}

static int f_publish(void *ctx, const char *topic, const uint8_t *payload, size_t len, int qos)
{
    fctx *x = ctx;
    size_t tl = strlen(topic);
    uint16_t id = qos ? new_id(x) : 0;
    uint8_t h[512];
    size_t n = 0;
    if (tl > sizeof h - 16)
        return fail(x, "%s", "topic too long");
    h[n++] = (uint8_t)(0x30 | qos << 1);
    n += put_len(h + n, 2 + tl + (qos ? 2 : 0) + len);
    h[n++] = (uint8_t)(tl >> 8);
    h[n++] = (uint8_t)tl;
    memcpy(h + n, topic, tl);
    n += tl;
    if (qos) {
        h[n++] = (uint8_t)(id >> 8);
        h[n++] = (uint8_t)id;
    }
    if (x->ssl != NULL)
        memcpy(x->tx, h, n); /* put() appends the payload after it */
    if (put(x, x->ssl != NULL ? x->tx : h, n, payload, len) != 0)
        return -1;
    return qos ? await(x, id) : 0;
}

static int f_poll(void *ctx, unsigned timeout_ms)
{
    fctx *x = ctx;
    return pump(x, timeout_ms > 0) < 0 ? -1 : 0;
}

static void f_disconnect(void *ctx)
{
    fctx *x = ctx;
    static const uint8_t d[2] = { 0xe0, 0 };
    (void)put(x, d, sizeof d, NULL, 0);
    if (x->ssl != NULL) {
        if (x->o->connect_kind == BENCH_CONNECT_RESUME) {
            /* Taken last: a TLS 1.3 ticket arrives after the handshake. */
            SSL_SESSION_free(x->session);
            x->session = SSL_get1_session(x->ssl);
        }
        SSL_shutdown(x->ssl); /* close_notify, as the libraries send it */
    }
    drop(x);
}

static const char *f_error(void *ctx)
{
    return ((fctx *)ctx)->err;
}

int main(int argc, char **argv)
{
    bench_opts o;
    bench_parse(&o, "floor", "openssl", false, argc, argv);
    if (o.threaded) {
        bench_log("the floor has no network thread: --model loop only");
        return 2;
    }
    static fctx x;
    x.o = &o;
    x.fd = -1;
    x.rx = malloc(RX_SIZE);
    x.tx = malloc(TX_SIZE);
    if (x.rx == NULL || x.tx == NULL) {
        bench_log("out of memory for the buffers");
        return 1;
    }
    if (o.size > TX_SIZE - 512) {
        bench_log("payload larger than %u bytes", TX_SIZE - 512);
        return 2;
    }
    bench_client c = { &x, f_connect, f_subscribe, f_publish, f_poll, f_disconnect, f_error };
    int rc = bench_run(&o, &c);
    SSL_SESSION_free(x.session);
    SSL_CTX_free(x.ctx);
    free(x.rx);
    free(x.tx);
    return rc;
}
