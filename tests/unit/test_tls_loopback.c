// SPDX-License-Identifier: MIT
/* Loopback handshakes: a brisa_tls client (each backend) against an
 * in-process OpenSSL server over a socketpair, with certificates brisa-pki
 * makes when the test starts. Covers what needs a real handshake but no
 * network: validity checked against a fake device clock (2001, 2099, not
 * set), host names (DNS, IP, CN fallback off), record coalescing, receive
 * timeouts, close_notify, reads served ahead (pending bytes), credentials
 * from memory, reconnecting. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "cmocka_all.h"
#include "tls_pki.h"

#include "brisa/port/posix.h"
#include "brisa/port/posix_tcp.h"
#include "brisa/tls.h"

static char g_dir[64];
static char g_path[256];

static const char *pki(const char *rel)
{
    snprintf(g_path, sizeof g_path, "%s/%s", g_dir, rel);
    return g_path;
}

static int make_pki(void **state)
{
    (void)state;
    return tls_pki_make(g_dir, sizeof g_dir, "brisa-tls-unit",
                        "bash $P init $D/p --ecdsa;"
                        "bash $P broker $D/p broker --dns broker.test --ip 127.0.0.1;"
                        "bash $P device $D/p dev1");
}

static int remove_pki(void **state)
{
    (void)state;
    return tls_pki_remove(g_dir);
}

/* ---- the server ---- */

typedef struct server {
    int fd;
    SSL_CTX *ctx;
    pthread_t thread;
    bool accepted;
    bool counting;
    int records;          /* application records received after the handshake */
    int records_at_six;   /* ... when the first 6 bytes had arrived */
    char got[64];
    size_t got_len;
    bool close_notify;
    bool reused;          /* the server saw a resumed session */
    int tickets;          /* NewSessionTicket messages the server sent */
    bool shared_ctx;      /* ctx belongs to the test, not to this server */
    const uint8_t *script; /* sent after the handshake, then close_notify */
    size_t script_len;
} server;

/* What the next server sends unasked (NULL: it only echoes). */
static const uint8_t *g_script;
static size_t g_script_len;

static void count_records(int write_p, int version, int content_type, const void *buf,
                          size_t len, SSL *ssl, void *arg)
{
    (void)version, (void)ssl;
    server *s = arg;
    if (write_p && content_type == SSL3_RT_HANDSHAKE && len >= 1 &&
        ((const uint8_t *)buf)[0] == SSL3_MT_NEWSESSION_TICKET)
        s->tickets++;
    if (!write_p && s->counting && content_type == SSL3_RT_HEADER && len >= 1 &&
        ((const uint8_t *)buf)[0] == SSL3_RT_APPLICATION_DATA)
        s->records++;
}

static void *serve(void *arg)
{
    server *s = arg;
    SSL *ssl = SSL_new(s->ctx);
    SSL_set_fd(ssl, s->fd);
    SSL_set_msg_callback(ssl, count_records);
    SSL_set_msg_callback_arg(ssl, s);
    if (SSL_accept(ssl) == 1) {
        s->accepted = true;
        s->reused = SSL_session_reused(ssl) == 1;
        s->counting = true;
        if (s->script != NULL) {
            SSL_write(ssl, s->script, (int)s->script_len);
            SSL_shutdown(ssl);
        }
        char buf[64];
        int n;
        while ((n = SSL_read(ssl, buf, sizeof buf)) > 0) {
            if (s->got_len + (size_t)n <= sizeof s->got) {
                memcpy(s->got + s->got_len, buf, (size_t)n);
                s->got_len += (size_t)n;
            }
            if (s->got_len >= 6 && s->records_at_six == 0)
                s->records_at_six = s->records;
            SSL_write(ssl, buf, n); /* echo */
        }
        s->close_notify = SSL_get_error(ssl, n) == SSL_ERROR_ZERO_RETURN;
    }
    SSL_free(ssl);
    close(s->fd);
    return NULL;
}

static SSL_CTX *server_ctx(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    assert_int_equal(SSL_CTX_use_certificate_chain_file(ctx, pki("p/brokers/broker/broker-chain.crt")), 1);
    assert_int_equal(SSL_CTX_use_PrivateKey_file(ctx, pki("p/brokers/broker/broker.key"),
                                                 SSL_FILETYPE_PEM), 1);
    return ctx;
}

/* Starts a server on @p ctx (NULL: its own); returns the client's end of
 * the socketpair. A shared ctx keeps its session cache across servers. */
static int server_start_on(server *s, SSL_CTX *ctx)
{
    memset(s, 0, sizeof *s);
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    s->fd = sv[0];
    s->script = g_script;
    s->script_len = g_script_len;
    s->shared_ctx = ctx != NULL;
    s->ctx = ctx != NULL ? ctx : server_ctx();
    assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
    return sv[1];
}

static int server_start(server *s)
{
    return server_start_on(s, NULL);
}

static void server_join(server *s)
{
    pthread_join(s->thread, NULL);
    if (!s->shared_ctx)
        SSL_CTX_free(s->ctx);
}

/* ---- the client ---- */

typedef struct fake_clock {
    brisa_clock host;
    bool set;
    int64_t unix_s;
} fake_clock;

static uint64_t fake_mono(void *ctx)
{
    fake_clock *f = ctx;
    return f->host.monotonic_ms(f->host.ctx);
}

static bool fake_wall(void *ctx, int64_t *ms)
{
    fake_clock *f = ctx;
    *ms = f->unix_s * 1000;
    return f->set;
}

typedef struct client {
    fake_clock fc;
    brisa_clock clock;
    brisa_tls_config cfg;
    brisa_posix_tcp tcp;
    brisa_tls *tls;
    int keylog_lines;
} client;

static void count_keylog(void *user, const char *line)
{
    client *c = user;
    if (strchr(line, ' ') != NULL)
        c->keylog_lines++;
}

static void client_init(client *c, brisa_tls_backend backend, const char *name)
{
    memset(c, 0, sizeof *c);
    c->fc.host = brisa_posix_clock();
    c->fc.set = true;
    c->fc.unix_s = (int64_t)time(NULL);
    c->clock = (brisa_clock){ &c->fc, fake_mono, fake_wall };
    brisa_tls_config_init(&c->cfg);
    c->cfg.backend = backend;
    c->cfg.server_name = name;
    c->cfg.ca_file = strdup(pki("p/ca.crt"));
    c->cfg.clock = &c->clock;
    c->cfg.handshake_timeout_ms = 5000;
    c->cfg.no_keylog_env = true;
    c->cfg.keylog_cb = count_keylog;
    c->cfg.keylog_user = c;
}

/* Sets up and connects over a fresh server; returns brisa_tls_connect's
 * result. The server thread is joined by client_done(). */
static int client_connect(client *c, server *s)
{
    c->tls = brisa_tls_new();
    assert_non_null(c->tls);
    int rc = brisa_tls_setup(c->tls, &c->cfg);
    assert_int_equal(rc, BRISA_OK);
    int fd = server_start(s);
    brisa_posix_tcp_init(&c->tcp);
    assert_int_equal(brisa_posix_tcp_adopt(&c->tcp, fd), BRISA_OK);
    brisa_transport inner = brisa_posix_tcp_transport(&c->tcp);
    return brisa_tls_connect(c->tls, &inner);
}

static void client_done(client *c, server *s)
{
    brisa_tls_free(c->tls);
    server_join(s);
    free((void *)(uintptr_t)c->cfg.ca_file);
}

static void expect_refusal(brisa_tls_backend backend, const char *name, int64_t when, bool set,
                           bool skip, int want, const char *words)
{
    client c;
    server s;
    client_init(&c, backend, name);
    c.fc.unix_s = when;
    c.fc.set = set;
    c.cfg.skip_time_check = skip;
    int rc = client_connect(&c, &s);
    if (rc != want)
        fail_msg("%s: got %d (%s), want %d", brisa_tls_backend_name(backend), rc,
                 brisa_tls_last_error(c.tls), want);
    if (words != NULL && strstr(brisa_tls_last_error(c.tls), words) == NULL)
        fail_msg("'%s' not in '%s'", words, brisa_tls_last_error(c.tls));
    client_done(&c, &s);
}

static void roundtrip(brisa_tls_backend backend)
{
    client c;
    server s;
    client_init(&c, backend, "broker.test");
    assert_int_equal(client_connect(&c, &s), BRISA_OK);
    assert_true(c.keylog_lines >= 1);
    brisa_transport t = brisa_tls_transport(c.tls);

    /* nothing to read: a bounded wait, and the connection survives it */
    uint8_t buf[16];
    assert_int_equal(t.recv(t.ctx, buf, sizeof buf, 30), BRISA_ERR_TIMEOUT);

    /* an MQTT header then its payload: one TLS record */
    assert_int_equal(t.send(t.ctx, (const uint8_t *)"abc", 3, BRISA_SEND_MORE, 1000), 3);
    assert_int_equal(t.send(t.ctx, (const uint8_t *)"def", 3, 0, 1000), 3);
    size_t have = 0;
    while (have < 6) {
        int n = t.recv(t.ctx, buf + have, sizeof buf - have, 2000);
        assert_true(n > 0);
        have += (size_t)n;
    }
    assert_memory_equal(buf, "abcdef", 6);
    assert_int_equal(brisa_tls_pending(c.tls), 0);
    brisa_tls_close(c.tls);
    brisa_tls_close(c.tls); /* twice is harmless */
    assert_int_equal(t.recv(t.ctx, buf, sizeof buf, 0), BRISA_ERR_CLOSED);
    client_done(&c, &s);
    assert_true(s.accepted);
    assert_int_equal(s.records_at_six, 1);
    assert_true(s.close_notify);
}

/* A header held with BRISA_SEND_MORE, then a payload far larger than the
 * hold buffer: the bytes arrive intact, in a few full-size records rather
 * than one small record per hold buffer. */
static void large_send(brisa_tls_backend backend)
{
    enum { PAYLOAD = 100 * 1024 };
    client c;
    server s;
    client_init(&c, backend, "broker.test");
    assert_int_equal(client_connect(&c, &s), BRISA_OK);
    brisa_transport t = brisa_tls_transport(c.tls);
    uint8_t *out = malloc(PAYLOAD + 5), *back = malloc(PAYLOAD + 5);
    assert_non_null(out);
    assert_non_null(back);
    for (size_t i = 0; i < PAYLOAD + 5; i++)
        out[i] = (uint8_t)(i * 7u + 3u);
    assert_int_equal(t.send(t.ctx, out, 5, BRISA_SEND_MORE, 1000), 5);
    size_t sent = 5;
    while (sent < PAYLOAD + 5) {
        int n = t.send(t.ctx, out + sent, PAYLOAD + 5 - sent, 0, 5000);
        assert_true(n > 0);
        sent += (size_t)n;
    }
    size_t have = 0;
    while (have < PAYLOAD + 5) {
        int n = t.recv(t.ctx, back + have, PAYLOAD + 5 - have, 5000);
        assert_true(n > 0);
        have += (size_t)n;
    }
    assert_memory_equal(back, out, PAYLOAD + 5);
    brisa_tls_close(c.tls);
    client_done(&c, &s);
    /* 16 KiB records: 1 (header + start) + 7; 2 KiB ones would be 51. */
    if (s.records > 9)
        fail_msg("%s: %d records for %d bytes", brisa_tls_backend_name(backend), s.records,
                 PAYLOAD + 5);
    free(out);
    free(back);
}

/* Reads @p len bytes, in as many calls as it takes. */
static void recv_all(brisa_transport *t, uint8_t *buf, size_t len)
{
    size_t have = 0;
    while (have < len) {
        int n = t->recv(t->ctx, buf + have, len - have, 2000);
        if (n <= 0)
            fail_msg("recv: %d after %zu of %zu bytes", n, have, len);
        have += (size_t)n;
    }
}

/* The server sends one small record and closes: a 1-byte read takes the
 * whole record in, the rest counts as pending and is served even with a
 * zero timeout, and the close comes only after the last byte. */
static void small_reads(brisa_tls_backend backend)
{
    client c;
    server s;
    client_init(&c, backend, "broker.test");
    g_script = (const uint8_t *)"0123456789";
    g_script_len = 10;
    assert_int_equal(client_connect(&c, &s), BRISA_OK);
    g_script = NULL;
    brisa_transport t = brisa_tls_transport(c.tls);
    uint8_t buf[64];
    assert_int_equal(t.recv(t.ctx, buf, 1, 2000), 1);
    assert_int_equal(buf[0], '0');
    assert_int_equal(brisa_tls_pending(c.tls), 9);
    assert_int_equal(t.recv(t.ctx, buf, 3, 0), 3);
    assert_memory_equal(buf, "123", 3);
    assert_int_equal(brisa_tls_pending(c.tls), 6);
    assert_int_equal(t.recv(t.ctx, buf, sizeof buf, 0), 6);
    assert_memory_equal(buf, "456789", 6);
    assert_int_equal(brisa_tls_pending(c.tls), 0);
    int rc = t.recv(t.ctx, buf, sizeof buf, 2000);
    if (rc != BRISA_ERR_CLOSED)
        fail_msg("%s: after the data: %d (%s), want closed", brisa_tls_backend_name(backend),
                 rc, brisa_tls_last_error(c.tls));
    client_done(&c, &s);
}

/* A small read, then a read larger than any read-ahead: every byte comes
 * once and in order, and all of a record counts as pending. */
static void split_reads(brisa_tls_backend backend)
{
    enum { LEN = 6000 };
    static uint8_t out[LEN], back[LEN];
    for (size_t i = 0; i < LEN; i++)
        out[i] = (uint8_t)(i * 13u + 1u);
    client c;
    server s;
    client_init(&c, backend, "broker.test");
    g_script = out;
    g_script_len = LEN;
    assert_int_equal(client_connect(&c, &s), BRISA_OK);
    g_script = NULL;
    brisa_transport t = brisa_tls_transport(c.tls);
    recv_all(&t, back, 2);
    assert_int_equal(brisa_tls_pending(c.tls), LEN - 2);
    recv_all(&t, back + 2, 1);
    recv_all(&t, back + 3, LEN - 3);
    assert_memory_equal(back, out, LEN);
    assert_int_equal(brisa_tls_pending(c.tls), 0);
    assert_int_equal(t.recv(t.ctx, back, sizeof back, 2000), BRISA_ERR_CLOSED);
    client_done(&c, &s);
}

static void test_read_ahead_mbedtls(void **state)
{
    (void)state;
    small_reads(BRISA_TLS_MBEDTLS);
    split_reads(BRISA_TLS_MBEDTLS);
}

static void test_read_ahead_openssl(void **state)
{
    (void)state;
    small_reads(BRISA_TLS_OPENSSL);
    split_reads(BRISA_TLS_OPENSSL);
}

static void test_large_send_mbedtls(void **state)
{
    (void)state;
    large_send(BRISA_TLS_MBEDTLS);
}

static void test_large_send_openssl(void **state)
{
    (void)state;
    large_send(BRISA_TLS_OPENSSL);
}

static void test_roundtrip_mbedtls(void **state)
{
    (void)state;
    roundtrip(BRISA_TLS_MBEDTLS);
}

static void test_roundtrip_openssl(void **state)
{
    (void)state;
    roundtrip(BRISA_TLS_OPENSSL);
}

static void fake_clock_cases(brisa_tls_backend b)
{
    /* certificates valid today, device clocks elsewhere */
    expect_refusal(b, "broker.test", 978307200, true, false, BRISA_ERR_TLS_NOT_YET_VALID,
                   "(clock 2001-01-01 00:00:00 UTC)");
    expect_refusal(b, "broker.test", 4070908800, true, false, BRISA_ERR_TLS_EXPIRED,
                   "(clock 2099-01-01 00:00:00 UTC)");
    expect_refusal(b, "broker.test", 0, false, false, BRISA_ERR_CLOCK, "clock is set (NTP)");
    expect_refusal(b, "broker.test", 0, false, true, BRISA_OK, NULL);
    expect_refusal(b, "broker.test", 4070908800, true, true, BRISA_OK, NULL);
    expect_refusal(b, "broker.test", (int64_t)time(NULL), true, false, BRISA_OK, NULL);
}

static void test_fake_clock_mbedtls(void **state)
{
    (void)state;
    fake_clock_cases(BRISA_TLS_MBEDTLS);
}

static void test_fake_clock_openssl(void **state)
{
    (void)state;
    fake_clock_cases(BRISA_TLS_OPENSSL);
}

static void host_name_cases(brisa_tls_backend b)
{
    int64_t now = (int64_t)time(NULL);
    expect_refusal(b, "BROKER.test", now, true, false, BRISA_OK, NULL);
    expect_refusal(b, "127.0.0.1", now, true, false, BRISA_OK, NULL);
    expect_refusal(b, "127.0.0.2", now, true, false, BRISA_ERR_TLS_HOSTNAME,
                   "is for DNS:broker.test, IP:127.0.0.1, not '127.0.0.2'");
    expect_refusal(b, "other.test", now, true, false, BRISA_ERR_TLS_HOSTNAME, NULL);
    /* the CN ("broker") does not count when the certificate has names */
    expect_refusal(b, "broker", now, true, false, BRISA_ERR_TLS_HOSTNAME, NULL);
}

static void test_host_names_mbedtls(void **state)
{
    (void)state;
    host_name_cases(BRISA_TLS_MBEDTLS);
}

static void test_host_names_openssl(void **state)
{
    (void)state;
    host_name_cases(BRISA_TLS_OPENSSL);
}

static uint8_t *read_exact(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t *buf = malloc(65536);
    *len = fread(buf, 1, 65536, f);
    fclose(f);
    return realloc(buf, *len); /* no NUL after the PEM text */
}

/* One connection on @p c->tls to a server on @p ctx, with an echo so a
 * TLS 1.3 ticket is read; returns whether the client resumed. */
static bool connect_echo(client *c, SSL_CTX *ctx, server *s)
{
    int fd = server_start_on(s, ctx);
    brisa_posix_tcp_init(&c->tcp);
    assert_int_equal(brisa_posix_tcp_adopt(&c->tcp, fd), BRISA_OK);
    brisa_transport inner = brisa_posix_tcp_transport(&c->tcp);
    assert_int_equal(brisa_tls_connect(c->tls, &inner), BRISA_OK);
    bool resumed = brisa_tls_resumed(c->tls);
    brisa_transport t = brisa_tls_transport(c->tls);
    uint8_t buf[8];
    assert_int_equal(t.send(t.ctx, (const uint8_t *)"ping", 4, 0, 2000), 4);
    size_t have = 0;
    while (have < 4) {
        int n = t.recv(t.ctx, buf + have, sizeof buf - have, 2000);
        assert_true(n > 0);
        have += (size_t)n;
    }
    brisa_tls_close(c->tls);
    server_join(s);
    return resumed;
}

/* A reconnect on the same brisa_tls resumes the session (no certificate
 * exchange); the server agrees; no_session_resume turns it off. */
static void resume_cases(brisa_tls_backend backend, brisa_tls_version version)
{
    for (int off = 0; off < 2; off++) {
        SSL_CTX *ctx = server_ctx();
        client c;
        server s;
        client_init(&c, backend, "broker.test");
        c.cfg.version = version;
        c.cfg.no_session_resume = off;
        c.tls = brisa_tls_new();
        assert_int_equal(brisa_tls_setup(c.tls, &c.cfg), BRISA_OK);
        assert_false(connect_echo(&c, ctx, &s));
        assert_false(s.reused);
        /* TLS 1.2: no ticket asked for when it would never be used (a
         * TLS 1.3 server sends its tickets unasked) */
        if (strcmp(brisa_tls_version_str(c.tls), "TLSv1.2") == 0 && s.tickets != !off)
            fail_msg("%s: %d tickets, want %d", brisa_tls_backend_name(backend), s.tickets, !off);
        bool resumed = connect_echo(&c, ctx, &s);
        if (resumed != !off || s.reused != !off)
            fail_msg("%s %s: resumed %d (server %d), want %d", brisa_tls_backend_name(backend),
                     brisa_tls_version_str(c.tls), resumed, s.reused, !off);
        brisa_tls_free(c.tls);
        free((void *)(uintptr_t)c.cfg.ca_file);
        SSL_CTX_free(ctx);
    }
}

static void test_resume_mbedtls(void **state)
{
    (void)state;
    resume_cases(BRISA_TLS_MBEDTLS, BRISA_TLS_VERSION_ANY);
}

static void test_resume_openssl(void **state)
{
    (void)state;
    resume_cases(BRISA_TLS_OPENSSL, BRISA_TLS_VERSION_1_2);
    resume_cases(BRISA_TLS_OPENSSL, BRISA_TLS_VERSION_1_3);
}

static void test_memory_ca_and_reconnect(void **state)
{
    (void)state;
    for (int b = 0; b < 2; b++) {
        client c;
        server s;
        client_init(&c, b ? BRISA_TLS_OPENSSL : BRISA_TLS_MBEDTLS, "broker.test");
        free((void *)(uintptr_t)c.cfg.ca_file);
        c.cfg.ca_file = NULL;
        size_t len;
        uint8_t *ca = read_exact(pki("p/ca.crt"), &len);
        c.cfg.ca.data = ca;
        c.cfg.ca.len = len;
        assert_int_equal(client_connect(&c, &s), BRISA_OK);
        free(ca); /* read during setup only */
        brisa_tls_close(c.tls);
        server_join(&s);

        /* the same brisa_tls again, over a new connection */
        int fd = server_start(&s);
        brisa_posix_tcp_init(&c.tcp);
        assert_int_equal(brisa_posix_tcp_adopt(&c.tcp, fd), BRISA_OK);
        brisa_transport inner = brisa_posix_tcp_transport(&c.tcp);
        assert_int_equal(brisa_tls_connect(c.tls, &inner), BRISA_OK);
        assert_string_not_equal(brisa_tls_version_str(c.tls), "");
        brisa_tls_free(c.tls);
        server_join(&s);
    }
}

static void copy_file(const char *from, const char *to)
{
    size_t len;
    uint8_t *data = read_exact(from, &len);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    free(data);
}

static void spoil_file(const char *path)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n", f);
    fclose(f);
}

/* The CA, the client certificate and its key are parsed once, at setup:
 * after the files are spoiled, full handshakes on the same brisa_tls
 * still succeed (a re-parse per connect would fail on them). */
static void test_credentials_parsed_once(void **state)
{
    (void)state;
    for (int b = 0; b < 2; b++) {
        brisa_tls_backend backend = b ? BRISA_TLS_OPENSSL : BRISA_TLS_MBEDTLS;
        char ca[300], crt[300], key[300];
        snprintf(ca, sizeof ca, "%s/once-ca.crt", g_dir);
        snprintf(crt, sizeof crt, "%s/once-dev1.crt", g_dir);
        snprintf(key, sizeof key, "%s/once-dev1.key", g_dir);
        copy_file(pki("p/ca.crt"), ca);
        copy_file(pki("p/devices/dev1/dev1.crt"), crt);
        copy_file(pki("p/devices/dev1/dev1.key"), key);
        client c;
        server s;
        client_init(&c, backend, "broker.test");
        free((void *)(uintptr_t)c.cfg.ca_file);
        c.cfg.ca_file = ca;
        c.cfg.cert_file = crt;
        c.cfg.key_file = key;
        c.cfg.no_session_resume = true; /* every connect checks the chain */
        c.tls = brisa_tls_new();
        assert_int_equal(brisa_tls_setup(c.tls, &c.cfg), BRISA_OK);
        spoil_file(ca);
        spoil_file(crt);
        spoil_file(key);
        for (int i = 0; i < 3; i++) {
            assert_false(connect_echo(&c, NULL, &s));
            assert_false(s.reused);
            assert_true(s.accepted);
        }
        brisa_tls_free(c.tls);
        /* the same spoiled files do fail a setup: the check can fail */
        c.tls = brisa_tls_new();
        assert_int_not_equal(brisa_tls_setup(c.tls, &c.cfg), BRISA_OK);
        brisa_tls_free(c.tls);
        remove(ca);
        remove(crt);
        remove(key);
    }
}

int main(void)
{
    /* the test server writes with write(2): a refused client is gone */
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_mbedtls),
        cmocka_unit_test(test_roundtrip_openssl),
        cmocka_unit_test(test_large_send_mbedtls),
        cmocka_unit_test(test_large_send_openssl),
        cmocka_unit_test(test_read_ahead_mbedtls),
        cmocka_unit_test(test_read_ahead_openssl),
        cmocka_unit_test(test_resume_mbedtls),
        cmocka_unit_test(test_resume_openssl),
        cmocka_unit_test(test_fake_clock_mbedtls),
        cmocka_unit_test(test_fake_clock_openssl),
        cmocka_unit_test(test_host_names_mbedtls),
        cmocka_unit_test(test_host_names_openssl),
        cmocka_unit_test(test_memory_ca_and_reconnect),
        cmocka_unit_test(test_credentials_parsed_once),
    };
    return cmocka_run_group_tests(tests, make_pki, remove_pki);
}
