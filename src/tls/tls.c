// SPDX-License-Identifier: MIT
/* The TLS transport, independent of the library underneath: configuration,
 * deadlines, record coalescing, close, and the helpers both backends share
 * (inner I/O, error wording, debug and key log sinks). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef BRISA_TLS_NO_FILES
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "brisa/ip.h"
#include "tls_internal.h"

#define DEFAULT_HANDSHAKE_MS BRISA_TLS_HANDSHAKE_TIMEOUT_MS
#define DEFAULT_CLOSE_MS BRISA_TLS_CLOSE_TIMEOUT_MS
#define MAX_FILE_BYTES BRISA_TLS_MAX_FILE_BYTES

void brisa_tls_config_init(brisa_tls_config *cfg)
{
    if (cfg == NULL)
        return;
    memset(cfg, 0, sizeof *cfg);
    /* OpenSSL where it is linked in (a PC: TLS 1.3, the CPU's AES and GCM
     * instructions; see docs/tls.md), else mbedTLS (the board). */
    cfg->backend = BRISA_TLS_PREFER_OPENSSL && brisa_tls_backend_available(BRISA_TLS_OPENSSL)
                       ? BRISA_TLS_OPENSSL : BRISA_TLS_MBEDTLS;
    cfg->handshake_timeout_ms = DEFAULT_HANDSHAKE_MS;
    cfg->close_timeout_ms = DEFAULT_CLOSE_MS;
}

/* Each backend is a library of its own (brisa_tls_mbedtls, brisa_tls_openssl)
 * so that a program pulls in only the TLS library it uses. The references
 * are weak: a backend not linked in has no ops, and is "not built in". Each
 * backend library asks the linker to keep its ops (-u) in a static link. */
#pragma weak bri_tls_mbedtls_ops
#pragma weak bri_tls_openssl_ops

static const bri_tls_ops *ops_for(brisa_tls_backend backend)
{
    switch (backend) {
    case BRISA_TLS_MBEDTLS: return &bri_tls_mbedtls_ops;
    case BRISA_TLS_OPENSSL: return &bri_tls_openssl_ops;
    }
    return NULL;
}

bool brisa_tls_backend_available(brisa_tls_backend backend)
{
    return ops_for(backend) != NULL;
}

const char *brisa_tls_backend_name(brisa_tls_backend backend)
{
    return backend == BRISA_TLS_OPENSSL ? "openssl" : "mbedtls";
}

brisa_err brisa_tls_backend_parse(const char *name, brisa_tls_backend *out)
{
    if (name == NULL || out == NULL)
        return BRISA_ERR_INVALID_ARG;
    if (strcmp(name, "mbedtls") == 0)
        *out = BRISA_TLS_MBEDTLS;
    else if (strcmp(name, "openssl") == 0)
        *out = BRISA_TLS_OPENSSL;
    else
        return BRISA_ERR_INVALID_ARG;
    return BRISA_OK;
}

brisa_err brisa_tls_version_parse(const char *name, brisa_tls_version *out)
{
    if (name == NULL || out == NULL)
        return BRISA_ERR_INVALID_ARG;
    if (strcmp(name, "tlsv1.2") == 0 || strcmp(name, "1.2") == 0)
        *out = BRISA_TLS_VERSION_1_2;
    else if (strcmp(name, "tlsv1.3") == 0 || strcmp(name, "1.3") == 0)
        *out = BRISA_TLS_VERSION_1_3;
    else
        return BRISA_ERR_INVALID_ARG;
    return BRISA_OK;
}

brisa_tls *brisa_tls_new(void)
{
    return calloc(1, sizeof(brisa_tls));
}

/* ---- shared helpers ---- */

int bri_tls_fail(brisa_tls *t, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->err, sizeof t->err, fmt, ap);
    va_end(ap);
    return err;
}

void bri_tls_log(brisa_tls *t, int level, const char *fmt, ...)
{
    if (t->debug_cb == NULL || level > t->debug_level)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    t->debug_cb(t->debug_user, level, line);
}

void brisa_tls_log_file(void *file, int level, const char *line)
{
    (void)level;
    if (file != NULL)
        fprintf((FILE *)file, "tls: %s\n", line);
}

void bri_tls_keylog(brisa_tls *t, const char *line)
{
    if (t->keylog != NULL) {
        fprintf(t->keylog, "%s\n", line);
        fflush(t->keylog);
    }
    if (t->keylog_cb != NULL)
        t->keylog_cb(t->keylog_user, line);
}

int brisa_tls_keylog_format(char *buf, size_t cap, const char *label,
                            const uint8_t *client_random, size_t random_len,
                            const uint8_t *secret, size_t secret_len)
{
    static const char hex[] = "0123456789abcdef";
    if (buf == NULL || label == NULL || client_random == NULL || secret == NULL ||
        random_len == 0 || secret_len == 0)
        return BRISA_ERR_INVALID_ARG;
    size_t label_len = strlen(label);
    size_t need = label_len + 1 + 2 * random_len + 1 + 2 * secret_len + 1;
    if (need > cap)
        return BRISA_ERR_NO_SPACE;
    char *p = buf;
    memcpy(p, label, label_len);
    p += label_len;
    *p++ = ' ';
    for (size_t i = 0; i < random_len; i++) {
        *p++ = hex[client_random[i] >> 4];
        *p++ = hex[client_random[i] & 15];
    }
    *p++ = ' ';
    for (size_t i = 0; i < secret_len; i++) {
        *p++ = hex[secret[i] >> 4];
        *p++ = hex[secret[i] & 15];
    }
    *p = '\0';
    return (int)(p - buf);
}

#ifdef BRISA_TLS_NO_FILES
/* A firmware build: credentials are compiled in and given in memory. */
int bri_tls_read_file(brisa_tls *t, const char *what, const char *path,
                         uint8_t **data, size_t *len)
{
    (void)data;
    (void)len;
    return bri_tls_fail(t, BRISA_ERR_TLS_CREDENTIALS,
                           "%s: %s %s: no file system in this build (give it in memory)",
                           brisa_err_str(BRISA_ERR_TLS_CREDENTIALS), what, path);
}
#else
int bri_tls_read_file(brisa_tls *t, const char *what, const char *path,
                         uint8_t **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return bri_tls_fail(t, BRISA_ERR_TLS_CREDENTIALS, "%s: %s %s: %s",
                               brisa_err_str(BRISA_ERR_TLS_CREDENTIALS), what, path,
                               strerror(errno));
    struct stat st;
    const char *why = NULL;
    if (fstat(fileno(f), &st) != 0)
        why = strerror(errno);
    else if (S_ISDIR(st.st_mode))
        why = "is a directory";
    else if (st.st_size <= 0)
        why = "file is empty";
    else if ((unsigned long long)st.st_size > MAX_FILE_BYTES)
        why = "file is larger than 4 MiB";
    uint8_t *buf = NULL;
    size_t n = 0;
    if (why == NULL) {
        buf = malloc((size_t)st.st_size + 1);
        if (buf == NULL)
            why = "out of memory";
        else
            n = fread(buf, 1, (size_t)st.st_size, f);
        if (buf != NULL && n != (size_t)st.st_size)
            why = ferror(f) ? strerror(errno) : "file shrank while read";
    }
    fclose(f);
    if (why != NULL) {
        free(buf);
        return bri_tls_fail(t, BRISA_ERR_TLS_CREDENTIALS, "%s: %s %s: %s",
                               brisa_err_str(BRISA_ERR_TLS_CREDENTIALS), what, path, why);
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return BRISA_OK;
}
#endif

static uint64_t now_ms(const brisa_tls *t)
{
    return t->clock.monotonic_ms(t->clock.ctx);
}

static uint32_t time_left(const brisa_tls *t)
{
    uint64_t now = now_ms(t);
    if (now >= t->deadline)
        return 0;
    uint64_t left = t->deadline - now;
    return left > UINT32_MAX ? UINT32_MAX : (uint32_t)left;
}

static void set_deadline(brisa_tls *t, uint32_t timeout_ms)
{
    t->deadline = now_ms(t) + timeout_ms;
}

static bool deadline_passed(const brisa_tls *t)
{
    return now_ms(t) >= t->deadline;
}

int bri_tls_inner_recv(brisa_tls *t, uint8_t *buf, size_t len)
{
    int rc = t->inner.recv(t->inner.ctx, buf, len, time_left(t));
    if (rc > 0) {
        for (size_t i = 0; i < (size_t)rc && t->rx_total + i < sizeof t->rx_head; i++)
            t->rx_head[t->rx_total + i] = buf[i];
        t->rx_total += (size_t)rc;
        return rc;
    }
    if (rc == BRISA_ERR_TIMEOUT || rc == BRISA_ERR_WOULD_BLOCK)
        return TLSI_AGAIN;
    t->inner_err = rc == 0 ? BRISA_ERR_CLOSED : rc;
    return t->inner_err;
}

int bri_tls_inner_send(brisa_tls *t, const uint8_t *buf, size_t len)
{
    int rc = t->inner.send(t->inner.ctx, buf, len, 0, time_left(t));
    if (rc > 0)
        return rc;
    if (rc == BRISA_ERR_TIMEOUT || rc == BRISA_ERR_WOULD_BLOCK)
        return TLSI_AGAIN;
    t->inner_err = rc == 0 ? BRISA_ERR_IO : rc;
    return t->inner_err;
}

static void clock_words(const brisa_tls *t, char *buf, size_t cap)
{
    if (t->skip_time_check) {
        snprintf(buf, cap, "time not checked");
        return;
    }
    bri_tls_tm now = bri_tls_gmtime(t->verify_ms / 1000);
    char when[32];
    bri_tls_tm_format(&now, when, sizeof when);
    snprintf(buf, cap, "clock %s", when);
}

int bri_tls_cert_fail(brisa_tls *t, int err, const bri_tls_cert_facts *f)
{
    const char *what = brisa_err_str(err);
    const char *subject = f->subject != NULL ? f->subject : "(no subject)";
    char date[32], clock[48];
    clock_words(t, clock, sizeof clock);
    switch (err) {
    case BRISA_ERR_TLS_EXPIRED:
        bri_tls_tm_format(&f->not_after, date, sizeof date);
        return bri_tls_fail(t, err, "%s: %s, notAfter %s (%s)", what, subject, date, clock);
    case BRISA_ERR_TLS_NOT_YET_VALID:
        bri_tls_tm_format(&f->not_before, date, sizeof date);
        return bri_tls_fail(t, err, "%s: %s, notBefore %s (%s)", what, subject, date, clock);
    case BRISA_ERR_TLS_UNKNOWN_CA:
        return bri_tls_fail(t, err, "%s: %s, issued by %s, which is not among the trusted CAs",
                               what, subject, f->issuer != NULL ? f->issuer : "(unknown)");
    case BRISA_ERR_TLS_HOSTNAME:
        return bri_tls_fail(t, err, "%s: %s is for %s, not '%s'", what, subject,
                               f->names != NULL && f->names[0] != '\0' ? f->names : "no name",
                               t->server_name != NULL ? t->server_name : "");
    case BRISA_ERR_TLS_REVOKED:
        return bri_tls_fail(t, err, "%s: %s (serial %s) is on the CRL of %s", what, subject,
                               f->serial != NULL ? f->serial : "?",
                               f->issuer != NULL ? f->issuer : "its issuer");
    default:
        return bri_tls_fail(t, err, "%s: %s: %s", what, subject,
                               f->reason != NULL ? f->reason : "verification failed");
    }
}

static const char *alert_hint(int alert, bool sent_cert)
{
    switch (alert) {
    case 42: case 43: case 44: case 45: case 46: case 48: case 49:
        return sent_cert ? " -- the broker refused our client certificate" : "";
    case 40: return " -- no cipher suite or parameters in common?";
    case 70: return " -- no TLS version in common";
    case 112: return " -- the server does not know the name we sent (SNI)";
    default: return "";
    }
}

int bri_tls_alert_fail(brisa_tls *t, int alert, bool cert_requested)
{
    if (alert == 120) /* no_application_protocol */
        return bri_tls_fail(t, BRISA_ERR_TLS_ALPN,
                               "%s: the server wants none of the protocols offered (first: %s)",
                               brisa_err_str(BRISA_ERR_TLS_ALPN),
                               t->alpn_list[0] != NULL ? t->alpn_list[0] : "none offered");
    if (cert_requested && !t->have_client_cert &&
        (alert == 40 || alert == 42 || alert == 116))
        return bri_tls_fail(t, BRISA_ERR_TLS_NO_CLIENT_CERT,
                               "%s: none is configured (the broker asked for one, then "
                               "answered with alert %s)",
                               brisa_err_str(BRISA_ERR_TLS_NO_CLIENT_CERT),
                               bri_tls_alert_name(alert));
    return bri_tls_fail(t, BRISA_ERR_TLS_PEER_ALERT, "%s: %s (%d)%s",
                           brisa_err_str(BRISA_ERR_TLS_PEER_ALERT), bri_tls_alert_name(alert),
                           alert, alert_hint(alert, cert_requested && t->have_client_cert));
}

int bri_tls_unread_alert(brisa_tls *t)
{
    uint8_t buf[512];
    int n = t->inner.recv(t->inner.ctx, buf, sizeof buf, 0);
    for (size_t off = 0; n > 0 && off + 7 <= (size_t)n;) {
        size_t len = (size_t)buf[off + 3] << 8 | buf[off + 4];
        if (buf[off] == 21 && buf[off + 1] == 3 && len == 2)
            return buf[off + 6];
        off += 5 + len;
    }
    return -1;
}

int bri_tls_transport_lost(brisa_tls *t, bool handshake, bool cert_requested)
{
    int nt = handshake ? bri_tls_check_not_tls(t) : 0;
    if (nt != 0)
        return nt;
    int alert = handshake ? bri_tls_unread_alert(t) : -1;
    if (alert >= 0)
        return bri_tls_alert_fail(t, alert, cert_requested);
    int err = t->inner_err != 0 ? t->inner_err : BRISA_ERR_CLOSED;
    /* Some brokers refuse a client certificate by just hanging up. */
    if (handshake && cert_requested && t->have_client_cert &&
        (err == BRISA_ERR_CLOSED || err == BRISA_ERR_IO))
        return bri_tls_fail(t, BRISA_ERR_TLS_HANDSHAKE,
                               "%s: the broker closed the connection after receiving our "
                               "client certificate (refused?)",
                               brisa_err_str(BRISA_ERR_TLS_HANDSHAKE));
    return bri_tls_fail(t, err, "%s%s", brisa_err_str(err),
                           handshake ? " during the TLS handshake" : "");
}

int bri_tls_check_not_tls(brisa_tls *t)
{
    const char *what = brisa_err_str(BRISA_ERR_TLS_NOT_TLS);
    if (t->rx_total == 0 && (t->inner_err == BRISA_ERR_CLOSED || t->inner_err == BRISA_ERR_IO))
        return bri_tls_fail(t, BRISA_ERR_TLS_NOT_TLS,
                               "%s: the server closed the connection without answering our "
                               "ClientHello (a plain MQTT port? or a relay or load balancer "
                               "with no server behind it)", what);
    if (t->rx_total > 0) {
        const uint8_t *h = t->rx_head;
        bool record = h[0] >= 20 && h[0] <= 24 && (t->rx_total < 2 || h[1] == 3);
        if (!record) {
            char bytes[24] = "";
            size_t n = t->rx_total < sizeof t->rx_head ? t->rx_total : sizeof t->rx_head;
            for (size_t i = 0, at = 0; i < n; i++, at = strlen(bytes))
                snprintf(bytes + at, sizeof bytes - at, "%s%02x", i ? " " : "", h[i]);
            return bri_tls_fail(t, BRISA_ERR_TLS_NOT_TLS,
                                   "%s: it answered with bytes %s, which are not a TLS record "
                                   "(a plain MQTT port?)", what, bytes);
        }
    }
    return 0;
}

/* ---- public API ---- */

static int check_config(brisa_tls *t, const brisa_tls_config *cfg)
{
    const char *bad = NULL;
    if (cfg->clock == NULL || cfg->clock->monotonic_ms == NULL)
        bad = "a clock is required (deadlines and certificate dates)";
    else if (!cfg->insecure && (cfg->server_name == NULL || cfg->server_name[0] == '\0'))
        bad = "no server name to check the certificate against (give one, or insecure)";
    else if (cfg->ca_file == NULL && cfg->ca_path == NULL && cfg->ca.data == NULL)
        bad = "no trusted CA given (CA file, CA directory or CA in memory)";
    else if ((cfg->cert_file != NULL || cfg->cert.data != NULL) !=
             (cfg->key_file != NULL || cfg->key.data != NULL))
        bad = "a client certificate needs its private key, and a key its certificate";
    else if (cfg->version != BRISA_TLS_VERSION_ANY && cfg->version != BRISA_TLS_VERSION_1_2 &&
             cfg->version != BRISA_TLS_VERSION_1_3)
        bad = "unknown TLS version";
    if (bad != NULL)
        return bri_tls_fail(t, BRISA_ERR_INVALID_ARG, "%s: %s",
                               brisa_err_str(BRISA_ERR_INVALID_ARG), bad);
    return BRISA_OK;
}

/* "mqtt,x-amzn-mqtt-ca" into the three forms the backends take. */
static int parse_alpn(brisa_tls *t, const char *list)
{
    size_t names = 0, used = 0, wire = 0;
    const char *p = list;
    while (*p != '\0') {
        const char *end = strchr(p, ',');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        if (n == 0 || n > 255 || names == 8 || wire + 1 + n > sizeof t->alpn_wire ||
            used + n + 1 > sizeof t->alpn_names)
            return bri_tls_fail(t, BRISA_ERR_INVALID_ARG,
                                   "%s: ALPN list '%s': at most 8 non-empty names, 255 bytes",
                                   brisa_err_str(BRISA_ERR_INVALID_ARG), list);
        t->alpn_wire[wire++] = (uint8_t)n;
        memcpy(t->alpn_wire + wire, p, n);
        wire += n;
        memcpy(t->alpn_names + used, p, n);
        t->alpn_names[used + n] = '\0';
        t->alpn_list[names++] = t->alpn_names + used;
        used += n + 1;
        p += n + (end != NULL ? 1 : 0);
        if (end != NULL && *p == '\0')
            return parse_alpn(t, ""); /* a trailing comma: an empty name */
    }
    if (names == 0)
        return bri_tls_fail(t, BRISA_ERR_INVALID_ARG, "%s: empty ALPN list",
                               brisa_err_str(BRISA_ERR_INVALID_ARG));
    t->alpn_list[names] = NULL;
    t->alpn_wire_len = wire;
    return BRISA_OK;
}

static int open_keylog(brisa_tls *t, const brisa_tls_config *cfg)
{
#ifdef BRISA_TLS_NO_FILES
    if (cfg->keylog_file != NULL)
        return bri_tls_fail(t, BRISA_ERR_INVALID_ARG,
                               "%s: key log file %s: no file system in this build (use keylog_cb)",
                               brisa_err_str(BRISA_ERR_INVALID_ARG), cfg->keylog_file);
    return BRISA_OK;
#else
    const char *path = cfg->keylog_file;
    if (path == NULL && !cfg->no_keylog_env)
        path = getenv("SSLKEYLOGFILE");
    if (path == NULL || path[0] == '\0')
        return BRISA_OK;
    /* Session secrets: readable by the owner only. */
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0)
        t->keylog = fdopen(fd, "a");
    if (t->keylog == NULL) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return bri_tls_fail(t, BRISA_ERR_INVALID_ARG, "%s: key log file %s: %s",
                               brisa_err_str(BRISA_ERR_INVALID_ARG), path, strerror(e));
    }
    bri_tls_log(t, 1, "writing TLS session secrets to %s", path);
    return BRISA_OK;
#endif
}

brisa_err brisa_tls_setup(brisa_tls *t, const brisa_tls_config *cfg)
{
    if (t == NULL || cfg == NULL)
        return BRISA_ERR_INVALID_ARG;
    t->err[0] = '\0';
    if (t->configured || t->ops != NULL)
        return bri_tls_fail(t, BRISA_ERR_STATE, "%s: TLS already set up",
                               brisa_err_str(BRISA_ERR_STATE));
    const bri_tls_ops *ops = ops_for(cfg->backend);
    if (ops == NULL)
        return bri_tls_fail(t, BRISA_ERR_UNSUPPORTED, "%s: the %s backend is not built in",
                               brisa_err_str(BRISA_ERR_UNSUPPORTED),
                               brisa_tls_backend_name(cfg->backend));
    int rc = check_config(t, cfg);
    if (rc < 0)
        return rc;

    t->clock = *cfg->clock;
    if (cfg->rng != NULL && cfg->rng->fill != NULL) {
        t->rng = *cfg->rng;
        t->has_rng = true;
    }
    t->insecure = cfg->insecure;
    t->resume = !cfg->no_session_resume;
    t->skip_time_check = cfg->skip_time_check;
    t->version = cfg->version;
    t->handshake_timeout_ms = cfg->handshake_timeout_ms ? cfg->handshake_timeout_ms
                                                        : DEFAULT_HANDSHAKE_MS;
    t->close_timeout_ms = cfg->close_timeout_ms ? cfg->close_timeout_ms : DEFAULT_CLOSE_MS;
    t->debug_level = cfg->debug_level < 0 ? 0 : cfg->debug_level > 4 ? 4 : cfg->debug_level;
    t->debug_cb = cfg->debug_cb;
    t->debug_user = cfg->debug_user;
    t->keylog_cb = cfg->keylog_cb;
    t->keylog_user = cfg->keylog_user;
    t->have_client_cert = cfg->cert_file != NULL || cfg->cert.data != NULL;
    if (cfg->server_name != NULL && cfg->server_name[0] != '\0') {
        size_t n = strlen(cfg->server_name);
        t->server_name = malloc(n + 1);
        if (t->server_name == NULL)
            return bri_tls_fail(t, BRISA_ERR_NO_SPACE, "out of memory");
        memcpy(t->server_name, cfg->server_name, n + 1);
        brisa_ip_addr ip;
        t->server_is_ip = brisa_ip_parse(t->server_name, &ip);
    }
    if (cfg->alpn != NULL && (rc = parse_alpn(t, cfg->alpn)) < 0)
        return rc;
    t->ocsp = cfg->ocsp;
    rc = open_keylog(t, cfg);
    if (rc < 0)
        return rc;
    t->ops = ops;
    rc = ops->setup(t, cfg);
    if (rc < 0)
        return rc;
    t->configured = true;
    return BRISA_OK;
}

static void close_inner(brisa_tls *t)
{
    if (t->open && t->inner.close != NULL)
        t->inner.close(t->inner.ctx);
    t->open = false;
    t->established = false;
}

brisa_err brisa_tls_connect(brisa_tls *t, const brisa_transport *inner)
{
    if (t == NULL)
        return BRISA_ERR_INVALID_ARG;
    if (!t->configured)
        return bri_tls_fail(t, BRISA_ERR_STATE, "%s: brisa_tls_setup() has not succeeded",
                               brisa_err_str(BRISA_ERR_STATE));
    if (t->open)
        return bri_tls_fail(t, BRISA_ERR_STATE, "%s: already connected",
                               brisa_err_str(BRISA_ERR_STATE));
    if (inner == NULL || inner->send == NULL || inner->recv == NULL)
        return bri_tls_fail(t, BRISA_ERR_INVALID_ARG, "%s: no inner transport",
                               brisa_err_str(BRISA_ERR_INVALID_ARG));
    t->inner = *inner;
    t->open = true;
    t->established = false;
    t->broken = false;
    t->inner_err = 0;
    t->rx_total = 0;
    t->hold_len = 0;
    t->inflight = 0;
    t->err[0] = '\0';
    t->version_str[0] = '\0';
    t->cipher_str[0] = '\0';
    t->alpn[0] = '\0';
    t->ocsp_status = "";

    int rc = BRISA_OK;
    if (!t->skip_time_check &&
        (t->clock.wall_ms == NULL || !t->clock.wall_ms(t->clock.ctx, &t->verify_ms)))
        rc = bri_tls_fail(t, BRISA_ERR_CLOCK,
                             "%s: certificate dates cannot be checked before the clock is "
                             "set (NTP); skip the time check to connect anyway",
                             brisa_err_str(BRISA_ERR_CLOCK));
    t->resumed = false;
    if (rc == BRISA_OK) {
        set_deadline(t, t->handshake_timeout_ms);
        rc = t->ops->begin(t);
    }
    while (rc >= 0 || rc == TLSI_AGAIN) {
        rc = t->ops->handshake(t);
        if (rc >= 0)
            break;
        if (rc == TLSI_AGAIN && deadline_passed(t))
            rc = bri_tls_fail(t, BRISA_ERR_TIMEOUT,
                                 "%s: TLS handshake with %s not finished after %u ms%s",
                                 brisa_err_str(BRISA_ERR_TIMEOUT),
                                 t->server_name ? t->server_name : "the server",
                                 (unsigned)t->handshake_timeout_ms,
                                 t->rx_total == 0 ? " (the server sent nothing)" : "");
    }
    if (rc < 0) {
        bri_tls_log(t, 1, "%s", t->err);
        close_inner(t);
        return rc;
    }
    t->established = true;
    bri_tls_log(t, 2, "handshake done: %s, %s%s%s", t->version_str, t->cipher_str,
                   t->alpn[0] ? ", ALPN " : "", t->alpn);
    return BRISA_OK;
}

/* A broker that refuses us after a TLS 1.3 handshake (our certificate)
 * sends an alert and resets the connection, so our next write fails while
 * the alert that says why is still unread. Lets the backend read it
 * without waiting; returns the alert's error if there was one, else @p rc
 * (and its message) unchanged. */
static int explain_write_failure(brisa_tls *t, int rc)
{
    if (t->inner_err == 0)
        return rc;
    char saved[sizeof t->err];
    memcpy(saved, t->err, sizeof saved);
    int inner = t->inner_err;
    uint8_t scratch[256];
    t->deadline = now_ms(t);
    /* the connection is lost: data read ahead before the alert is dropped */
    int why = t->ops->read(t, scratch, sizeof scratch);
    for (int i = 0; why > 0 && i < 64; i++)
        why = t->ops->read(t, scratch, sizeof scratch);
    if (why == BRISA_ERR_TLS_PEER_ALERT || why == BRISA_ERR_TLS_NO_CLIENT_CERT)
        return why;
    memcpy(t->err, saved, sizeof saved);
    t->inner_err = inner;
    return rc;
}

/* Pushes the held bytes out, waiting until t->deadline. A write the
 * backend has begun must be retried with the very same bytes, so those
 * (t->inflight) stay put while later bytes queue behind them. Returns 0
 * when all is sent, TLSI_AGAIN if still under way, or an error. */
static int flush_hold(brisa_tls *t)
{
    while (t->hold_len > 0) {
        size_t n = t->inflight ? t->inflight : t->hold_len;
        int rc = t->ops->write(t, t->hold, n);
        if (rc == TLSI_AGAIN) {
            t->inflight = n;
            if (deadline_passed(t))
                return TLSI_AGAIN;
            continue;
        }
        if (rc < 0) {
            t->broken = true;
            return explain_write_failure(t, rc);
        }
        t->inflight = 0;
        size_t done = (size_t)rc < n ? (size_t)rc : n;
        memmove(t->hold, t->hold + done, t->hold_len - done);
        t->hold_len -= done;
    }
    return 0;
}

/* Checks that I/O is possible now and starts its deadline. */
static int start_io(brisa_tls *t, const void *buf, size_t len, uint32_t timeout_ms)
{
    if (!t->established)
        return t->open ? BRISA_ERR_STATE : BRISA_ERR_CLOSED;
    if (t->broken)
        return BRISA_ERR_IO;
    if (buf == NULL || len == 0)
        return BRISA_ERR_INVALID_ARG;
    set_deadline(t, timeout_ms);
    return BRISA_OK;
}

/* Encrypts @p len bytes straight from the caller's buffer, in records as
 * large as the backend makes them (16 KiB), without copying them first.
 * A record the backend has begun must be finished with the same bytes,
 * which the caller may reuse once we return: so if the deadline passes
 * part-way, the connection is marked broken (as tls.h says). */
static int write_direct(brisa_tls *t, const uint8_t *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        int rc = t->ops->write(t, buf + done, len - done);
        if (rc == TLSI_AGAIN) {
            if (!deadline_passed(t))
                continue;
            t->broken = true;
            return bri_tls_fail(t, BRISA_ERR_TIMEOUT,
                                   "send timed out part-way through a TLS record");
        }
        if (rc < 0) {
            t->broken = true;
            return explain_write_failure(t, rc);
        }
        done += (size_t)rc;
    }
    return (int)done;
}

/* Small sends are gathered in the hold buffer, so that an MQTT header sent
 * with BRISA_SEND_MORE leaves in one record with what follows; bytes are
 * accepted once they are there, and a record under way is completed by
 * later calls, as a kernel socket buffer would. A send too large for the
 * hold buffer tops it up (header and the start of the payload travel
 * together) and then encrypts the rest from the caller's buffer. */
static int tls_send(void *ctx, const uint8_t *buf, size_t len, unsigned flags,
                    uint32_t timeout_ms)
{
    brisa_tls *t = ctx;
    int rc = start_io(t, buf, len, timeout_ms);
    if (rc < 0)
        return rc;
    if (t->inflight > 0 || t->hold_len == TLSI_TX_HOLD) {
        /* finish what was accepted before taking more */
        rc = flush_hold(t);
        if (rc != 0)
            return rc == TLSI_AGAIN ? BRISA_ERR_TIMEOUT : rc;
    }
    size_t room = TLSI_TX_HOLD - t->hold_len;
    if (len <= room) {
        memcpy(t->hold + t->hold_len, buf, len);
        t->hold_len += len;
        if ((flags & BRISA_SEND_MORE) && t->hold_len < TLSI_TX_HOLD)
            return (int)len;
        rc = flush_hold(t);
        if (rc < 0 && rc != TLSI_AGAIN)
            return rc;
        return (int)len;
    }
    size_t taken = 0;
    if (t->hold_len > 0) {
        taken = room;
        memcpy(t->hold + t->hold_len, buf, taken);
        t->hold_len += taken;
        rc = flush_hold(t);
        if (rc == TLSI_AGAIN)
            return (int)taken; /* accepted; the record is under way */
        if (rc < 0)
            return rc;
    }
    rc = write_direct(t, buf + taken, len - taken);
    return rc < 0 ? rc : (int)(taken + (size_t)rc);
}

static int tls_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    brisa_tls *t = ctx;
    int rc = start_io(t, buf, len, timeout_ms);
    if (rc < 0)
        return rc;
    rc = flush_hold(t);
    if (rc != 0)
        return rc == TLSI_AGAIN ? BRISA_ERR_TIMEOUT : rc;
    for (;;) {
        rc = t->ops->read(t, buf, len);
        if (rc > 0)
            return rc;
        if (rc == 0)
            return BRISA_ERR_CLOSED;
        if (rc != TLSI_AGAIN) {
            bri_tls_log(t, 1, "%s", t->err);
            return rc;
        }
        if (deadline_passed(t))
            return BRISA_ERR_TIMEOUT;
    }
}

void brisa_tls_close(brisa_tls *t)
{
    if (t == NULL || !t->open)
        return;
    if (t->established && !t->broken) {
        set_deadline(t, t->close_timeout_ms);
        int rc = flush_hold(t);
        while (rc == 0) {
            rc = t->ops->shutdown(t);
            if (rc == TLSI_AGAIN && !deadline_passed(t))
                rc = 0;
            else
                break;
        }
        bri_tls_log(t, 2, "close_notify %s", rc >= 0 ? "sent" : "not sent");
    }
    close_inner(t);
}

static void tls_close(void *ctx)
{
    brisa_tls_close(ctx);
}

brisa_transport brisa_tls_transport(brisa_tls *t)
{
    brisa_transport tr = { t, tls_send, tls_recv, tls_close };
    return tr;
}

bool brisa_tls_resumed(const brisa_tls *t)
{
    return t != NULL && t->established && t->resumed;
}

size_t brisa_tls_pending(const brisa_tls *t)
{
    if (t == NULL || !t->established)
        return 0;
    return t->ops->pending(t);
}

const char *brisa_tls_last_error(const brisa_tls *t)
{
    return t != NULL ? t->err : "out of memory";
}

const char *brisa_tls_version_str(const brisa_tls *t)
{
    return t != NULL ? t->version_str : "";
}

const char *brisa_tls_alpn(const brisa_tls *t)
{
    return t != NULL ? t->alpn : "";
}

const char *brisa_tls_ocsp_status(const brisa_tls *t)
{
    return t != NULL && t->ocsp_status != NULL ? t->ocsp_status : "";
}

const char *brisa_tls_cipher_str(const brisa_tls *t)
{
    return t != NULL ? t->cipher_str : "";
}

void brisa_tls_free(brisa_tls *t)
{
    if (t == NULL)
        return;
    brisa_tls_close(t);
    if (t->ops != NULL)
        t->ops->destroy(t);
    if (t->keylog != NULL)
        fclose(t->keylog);
    free(t->server_name);
    free(t);
}
