// SPDX-License-Identifier: MIT
/* The firmware's TLS stack on the host: brisa's TLS layer built with the
 * firmware's mbedTLS configuration (brisa_tls_fw: credentials from memory,
 * no file system) over brisa's lwIP TCP transport, across the in-memory
 * wire (lwip_wire.c), to a real OpenSSL server. A raw-API relay on the
 * server netif hands the bytes to the server thread through a socketpair.
 * Checks: TLS 1.2 with ECDHE-ECDSA and ECDHE-RSA AES-GCM, two-way
 * authentication, max_fragment_length agreed and our records within it,
 * host name, unknown CA, dates against the brisa clock (and mbedTLS's own
 * time read from it), a file name refused in words. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "cmocka_all.h"

#include "lwip/tcp.h"
#include "lwip_wire.h"
#include "tls_pki.h"

#include "brisa/err.h"
#include "brisa/port/lwip_port.h"
#include "brisa/port/lwip_tcp.h"
#include "brisa/tls.h"
#include "brisa_mbedtls_config.h"
#include "mbedtls/ssl.h"

enum { PORT_TLS = 8883 };

static char g_dir[64];

static char *path_of(const char *rel)
{
    static char p[256];
    snprintf(p, sizeof p, "%s/%s", g_dir, rel);
    return p;
}

static brisa_tls_blob load(const char *rel)
{
    FILE *f = fopen(path_of(rel), "rb");
    assert_non_null(f);
    static uint8_t store[8][8192];
    static int next;
    uint8_t *buf = store[next++ % 8];
    size_t n = fread(buf, 1, sizeof store[0], f);
    fclose(f);
    assert_true(n > 0 && n < sizeof store[0]);
    brisa_tls_blob b = { buf, n };
    return b;
}

static int make_pki(void **state)
{
    (void)state;
    return tls_pki_make(g_dir, sizeof g_dir, "brisa-tls-fw",
                        "bash $P init $D/ec --ecdsa; bash $P broker $D/ec broker --dns broker.test;"
                        "bash $P device $D/ec dev1;"
                        "bash $P init $D/rsa --rsa; bash $P broker $D/rsa broker --dns broker.test");
}

static int remove_pki(void **state)
{
    (void)state;
    return tls_pki_remove(g_dir);
}

/* ---- the OpenSSL server (a thread on one end of a socketpair) ----------- */

typedef struct server {
    SSL_CTX *ctx;
    int fd;
    pthread_t thread;
    bool accepted;
    bool client_cert;     /* the client presented a certificate */
    int mfl;              /* max_fragment_length code agreed (0: none) */
    size_t max_record;    /* longest record received from the client */
    char cipher[64];
} server;

static server srv_state;

static void watch(int write_p, int version, int content_type, const void *buf, size_t len,
                  SSL *ssl, void *arg)
{
    (void)version, (void)ssl;
    server *s = arg;
    if (!write_p && content_type == SSL3_RT_HEADER && len >= 5) {
        const uint8_t *h = buf;
        size_t rec = ((size_t)h[3] << 8) | h[4];
        if (h[0] == SSL3_RT_APPLICATION_DATA && rec > s->max_record)
            s->max_record = rec;
    }
}

static void *serve(void *arg)
{
    server *s = arg;
    SSL *ssl = SSL_new(s->ctx);
    SSL_set_fd(ssl, s->fd);
    SSL_set_msg_callback(ssl, watch);
    SSL_set_msg_callback_arg(ssl, s);
    if (SSL_accept(ssl) == 1) {
        s->accepted = true;
        X509 *peer = SSL_get1_peer_certificate(ssl);
        s->client_cert = peer != NULL;
        X509_free(peer);
        s->mfl = SSL_SESSION_get_max_fragment_length(SSL_get_session(ssl));
        snprintf(s->cipher, sizeof s->cipher, "%s", SSL_get_cipher_name(ssl));
        char buf[4096];
        int n;
        while ((n = SSL_read(ssl, buf, sizeof buf)) > 0)
            SSL_write(ssl, buf, n); /* echo */
    }
    SSL_free(ssl);
    close(s->fd);
    return NULL;
}

static SSL_CTX *server_ctx(const char *pki, bool want_client_cert)
{
    char a[128], b[128];
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    snprintf(a, sizeof a, "%s/brokers/broker/broker-chain.crt", pki);
    snprintf(b, sizeof b, "%s/brokers/broker/broker.key", pki);
    assert_int_equal(SSL_CTX_use_certificate_chain_file(ctx, path_of(a)), 1);
    assert_int_equal(SSL_CTX_use_PrivateKey_file(ctx, path_of(b), SSL_FILETYPE_PEM), 1);
    if (want_client_cert) {
        snprintf(a, sizeof a, "%s/ca-chain.crt", pki);
        assert_int_equal(SSL_CTX_load_verify_locations(ctx, path_of(a), NULL), 1);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    }
    return ctx;
}

/* ---- the relay: lwIP pcb on wire_srv <-> the server's socket -------------- */

static struct {
    struct tcp_pcb *pcb;
    int fd;               /* our end of the socketpair; -1: none */
    uint8_t buf[8192];    /* read from the server, not yet taken by lwIP */
    size_t len;
    bool server_done;
} relay = { NULL, -1, { 0 }, 0, false };

static void relay_pump(void)
{
    if (relay.fd < 0 || relay.pcb == NULL)
        return;
    if (relay.len == 0 && !relay.server_done) {
        ssize_t n = read(relay.fd, relay.buf, sizeof relay.buf);
        if (n > 0)
            relay.len = (size_t)n;
        else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            relay.server_done = true;
    }
    if (relay.len > 0) {
        size_t room = tcp_sndbuf(relay.pcb);
        size_t n = relay.len < room ? relay.len : room;
        if (n > 0 && tcp_write(relay.pcb, relay.buf, (u16_t)n, TCP_WRITE_FLAG_COPY) == ERR_OK) {
            memmove(relay.buf, relay.buf + n, relay.len - n);
            relay.len -= n;
        }
        tcp_output(relay.pcb);
    }
    if (relay.server_done && relay.len == 0) {
        tcp_arg(relay.pcb, NULL);
        tcp_recv(relay.pcb, NULL);
        tcp_err(relay.pcb, NULL);
        tcp_close(relay.pcb);
        relay.pcb = NULL;
    }
}

static err_t relay_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    (void)arg, (void)err;
    if (p == NULL) {
        shutdown(relay.fd, SHUT_WR); /* the client closed: so does the server's peer */
        return ERR_OK;
    }
    for (struct pbuf *q = p; q != NULL; q = q->next) {
        const uint8_t *d = q->payload;
        size_t left = q->len;
        while (left > 0) { /* the socketpair's buffer is far larger than a window */
            ssize_t n = write(relay.fd, d, left);
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                break;
            if (n > 0) {
                d += n;
                left -= (size_t)n;
            }
        }
    }
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    return ERR_OK;
}

static void relay_err(void *arg, err_t err)
{
    (void)arg, (void)err;
    relay.pcb = NULL;
}

static err_t relay_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg;
    if (err != ERR_OK || relay.pcb != NULL || relay.fd < 0)
        return ERR_VAL;
    relay.pcb = pcb;
    relay.len = 0;
    relay.server_done = false;
    tcp_recv(pcb, relay_recv);
    tcp_err(pcb, relay_err);
    return ERR_OK;
}

/* Starts a server thread on @p ctx behind the relay. */
static void server_start(SSL_CTX *ctx)
{
    memset(&srv_state, 0, sizeof srv_state);
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    srv_state.ctx = ctx;
    srv_state.fd = sv[0];
    relay.fd = sv[1];
    relay.pcb = NULL;
    assert_int_equal(fcntl(relay.fd, F_SETFL, O_NONBLOCK), 0);
    assert_int_equal(pthread_create(&srv_state.thread, NULL, serve, &srv_state), 0);
}

static void server_join(void)
{
    /* A refused handshake leaves the server waiting for more: close it. */
    if (relay.pcb != NULL) {
        tcp_arg(relay.pcb, NULL);
        tcp_recv(relay.pcb, NULL);
        tcp_err(relay.pcb, NULL);
        tcp_abort(relay.pcb);
        relay.pcb = NULL;
    }
    close(relay.fd);
    relay.fd = -1;
    pthread_join(srv_state.thread, NULL);
    SSL_CTX_free(srv_state.ctx);
}

static int setup(void **state)
{
    (void)state;
    static bool listening;
    wire_start();
    if (!listening) {
        assert_true(wire_listen(PORT_TLS, relay_accept, NULL));
        wire_set_poll_hook(relay_pump);
        listening = true;
    }
    return 0;
}

/* ---- the device side ------------------------------------------------------ */

typedef struct fake_wall {
    bool set;
    int64_t unix_s;
} fake_wall;

static uint64_t mono(void *ctx)
{
    (void)ctx;
    return brisa_lwip_now_ms();
}

static bool wall(void *ctx, int64_t *ms)
{
    fake_wall *w = ctx;
    *ms = w->unix_s * 1000;
    return w->set;
}

typedef struct device {
    fake_wall w;
    brisa_clock clock;
    brisa_rng rng;
    brisa_tls_config cfg;
    brisa_lwip_tcp tcp;
    brisa_tls *tls;
} device;

static void device_init(device *d, const char *pki)
{
    memset(d, 0, sizeof *d);
    d->w.set = true;
    d->w.unix_s = (int64_t)time(NULL);
    d->clock = (brisa_clock){ &d->w, mono, wall };
    d->rng = brisa_lwip_rng(); /* the board's entropy hook */
    brisa_tls_config_init(&d->cfg);
    d->cfg.server_name = "broker.test";
    char rel[64];
    snprintf(rel, sizeof rel, "%s/ca.crt", pki);
    d->cfg.ca = load(rel);
    d->cfg.clock = &d->clock;
    d->cfg.rng = &d->rng;
    d->cfg.handshake_timeout_ms = 10000;
    d->cfg.no_keylog_env = true;
}

/* Connects TCP over lwIP, then TLS; returns brisa_tls_connect's result (or
 * brisa_tls_setup's when that fails). */
static int device_connect(device *d)
{
    d->tls = brisa_tls_new();
    assert_non_null(d->tls);
    int rc = brisa_tls_setup(d->tls, &d->cfg);
    if (rc != BRISA_OK)
        return rc;
    brisa_ip_addr ip = brisa_ip_v4(10, 0, 0, 1);
    brisa_lwip_tcp_init(&d->tcp, &wire_dev);
    assert_int_equal(brisa_lwip_tcp_connect(&d->tcp, &ip, PORT_TLS, 2000), BRISA_OK);
    brisa_transport inner = brisa_lwip_tcp_transport(&d->tcp);
    return brisa_tls_connect(d->tls, &inner);
}

static void device_done(device *d)
{
    brisa_tls_free(d->tls);
    wire_run(20); /* let the FIN cross */
    server_join();
}

static void echo_roundtrip(device *d, size_t len)
{
    brisa_transport t = brisa_tls_transport(d->tls);
    static uint8_t out[20000], back[20000];
    assert_true(len <= sizeof out);
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)(i * 13u + 1u);
    size_t sent = 0, got = 0;
    while (got < len) {
        if (sent < len) {
            int n = t.send(t.ctx, out + sent, len - sent, 0, 5000);
            assert_true(n > 0);
            sent += (size_t)n;
        }
        int n = t.recv(t.ctx, back + got, len - got, sent < len ? 0 : 5000);
        if (n != BRISA_ERR_TIMEOUT) {
            assert_true(n > 0);
            got += (size_t)n;
        }
    }
    assert_memory_equal(back, out, len);
}

/* ---- tests ------------------------------------------------------------------ */

static void test_ecdsa_two_way_small_records(void **state)
{
    (void)state;
    device d;
    device_init(&d, "ec");
    d.cfg.cert = load("ec/devices/dev1/dev1-chain.crt");
    d.cfg.key = load("ec/devices/dev1/dev1.key");
    server_start(server_ctx("ec", true));
    int rc = device_connect(&d);
    if (rc != BRISA_OK)
        fail_msg("connect: %s", brisa_tls_last_error(d.tls));
    assert_string_equal(brisa_tls_version_str(d.tls), "TLSv1.2");
    echo_roundtrip(&d, 20000);
    /* mbedTLS's time is the device clock's, not the host's. */
    assert_int_equal(bri_mbedtls_time(NULL), d.w.unix_s);
    brisa_tls_close(d.tls);
    device_done(&d);
    assert_true(srv_state.accepted);
    assert_true(srv_state.client_cert);
    assert_non_null(strstr(srv_state.cipher, "ECDHE-ECDSA"));
    assert_non_null(strstr(srv_state.cipher, "GCM"));
    /* mbedTLS's codes are RFC 6066's, as OpenSSL's are. */
    assert_int_equal(srv_state.mfl, BRISA_MBEDTLS_MFL);
    /* The agreed length of data + the GCM nonce and tag: no record of ours
     * is larger, nor larger than the output buffer. */
    size_t mfl_len = (size_t)512 << (BRISA_MBEDTLS_MFL - 1);
    assert_true(srv_state.max_record > 1000);
    assert_true(srv_state.max_record <= mfl_len + 8 + 16);
    assert_true(srv_state.max_record <= MBEDTLS_SSL_OUT_CONTENT_LEN + 8 + 16);
}

static void test_rsa_one_way(void **state)
{
    (void)state;
    device d;
    device_init(&d, "rsa");
    server_start(server_ctx("rsa", false));
    int rc = device_connect(&d);
    if (rc != BRISA_OK)
        fail_msg("connect: %s", brisa_tls_last_error(d.tls));
    echo_roundtrip(&d, 100);
    brisa_tls_close(d.tls);
    device_done(&d);
    assert_false(srv_state.client_cert);
    assert_non_null(strstr(srv_state.cipher, "ECDHE-RSA"));
    assert_non_null(strstr(srv_state.cipher, "GCM"));
}

static void expect_refusal(device *d, const char *server_pki, int want, const char *words)
{
    server_start(server_ctx(server_pki, false));
    int rc = device_connect(d);
    if (rc != want)
        fail_msg("got %d (%s), want %d", rc, brisa_tls_last_error(d->tls), want);
    if (strstr(brisa_tls_last_error(d->tls), words) == NULL)
        fail_msg("'%s' not in '%s'", words, brisa_tls_last_error(d->tls));
    device_done(d);
    assert_false(srv_state.accepted);
}

static void test_wrong_ca_and_wrong_name(void **state)
{
    (void)state;
    device d;
    device_init(&d, "rsa"); /* trusts the RSA PKI; the server is the ECDSA one's */
    expect_refusal(&d, "ec", BRISA_ERR_TLS_UNKNOWN_CA, "");
    device_init(&d, "ec");
    d.cfg.server_name = "other.test";
    expect_refusal(&d, "ec", BRISA_ERR_TLS_HOSTNAME, "other.test");
}

static void test_dates_follow_the_device_clock(void **state)
{
    (void)state;
    device d;
    device_init(&d, "ec");
    d.w.unix_s = 4102444800; /* 2100-01-01 */
    expect_refusal(&d, "ec", BRISA_ERR_TLS_EXPIRED, "expired");
    device_init(&d, "ec");
    d.w.set = false; /* no NTP yet */
    server_start(server_ctx("ec", false));
    assert_int_equal(device_connect(&d), BRISA_ERR_CLOCK);
    device_done(&d);
    assert_int_equal(bri_mbedtls_time(NULL), 0);
}

static void test_files_are_refused_in_words(void **state)
{
    (void)state;
    device d;
    device_init(&d, "ec");
    d.cfg.ca.data = NULL;
    d.cfg.ca_file = "/etc/ssl/certs/ca.crt";
    d.tls = brisa_tls_new();
    assert_int_equal(brisa_tls_setup(d.tls, &d.cfg), BRISA_ERR_TLS_CREDENTIALS);
    assert_non_null(strstr(brisa_tls_last_error(d.tls), "no file system in this build"));
    brisa_tls_free(d.tls);
    device_init(&d, "ec");
    d.cfg.keylog_file = "/tmp/keys";
    d.tls = brisa_tls_new();
    assert_int_equal(brisa_tls_setup(d.tls, &d.cfg), BRISA_ERR_INVALID_ARG);
    brisa_tls_free(d.tls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_ecdsa_two_way_small_records, setup),
        cmocka_unit_test_setup(test_rsa_one_way, setup),
        cmocka_unit_test_setup(test_wrong_ca_and_wrong_name, setup),
        cmocka_unit_test_setup(test_dates_follow_the_device_clock, setup),
        cmocka_unit_test_setup(test_files_are_refused_in_words, setup),
    };
    return cmocka_run_group_tests(tests, make_pki, remove_pki);
}
