// SPDX-License-Identifier: MIT
/* bench_brisa: the benchmark driven through brisa -- the MQTT client over
 * the POSIX TCP transport, or over its TLS transport (the library's default
 * backend, or --backend mbedtls|openssl).
 *
 * Model: single-threaded, the application driving the client with
 * brisa_mqtt_process() and brisa_mqtt_wait() (brisa has no thread of its
 * own). The TCP transport sets TCP_NODELAY itself. Buffers: 4 KiB to send
 * (larger payloads go straight from the caller's memory) and 65 KiB to
 * receive, so a 64 KiB message arrives whole, as it does with the other
 * libraries; --rxbuf smaller exercises chunked delivery.
 * BRISA_BENCH_WS=1 puts WebSockets (brisa_ws, path /mqtt) over the TCP or
 * TLS transport: point -p at a websockets listener. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "brisa/connect.h"
#include "brisa/err.h"
#include "brisa/mqtt.h"
#include "brisa/port/posix.h"
#include "brisa/port/posix_tcp.h"
#include "brisa/ws.h"
#ifdef BENCH_HAVE_TLS
#include "brisa/tls.h"
#endif

#define DEFAULT_TXBUF 4096u
#define DEFAULT_RXBUF (65u * 1024u)
#define INFLIGHT 8

typedef struct bctx {
    const bench_opts *o;
    brisa_clock clock;
    brisa_posix_tcp tcp;
#ifdef BENCH_HAVE_TLS
    brisa_tls *tls;
#endif
    bool ws_on;
    brisa_ws ws;
    brisa_rng rng;
    uint8_t ws_rx[4096];
    uint8_t ws_tx[65u * 1024u];
    brisa_mqtt_client mqtt;
    brisa_mqtt_inflight inflight[INFLIGHT];
    uint8_t *tx, *rx;
    size_t tx_size, rx_size;
    uint8_t head[BENCH_HEADER_LEN]; /* start of a message arriving in chunks */
    size_t head_len;
    char err[256];
} bctx;

static int fail(bctx *x, const char *what, int rc, const char *detail)
{
    snprintf(x->err, sizeof x->err, "%s: %s%s%.200s", what, brisa_err_str(rc),
             detail && detail[0] ? ": " : "", detail ? detail : "");
    return -1;
}

#ifdef BENCH_HAVE_TLS
static int setup_tls(bctx *x, const bench_opts *o);
#endif

/* Messages arrive whole unless larger than rx; then the head is kept from
 * the first chunk and the message counts when the last one is in. */
static void on_message(void *user, const brisa_mqtt_message *m)
{
    bctx *x = user;
    if (m->payload_offset == 0 && m->payload_len == m->payload_total) {
        bench_message(m->payload, m->payload_len, m->payload_total);
        return;
    }
    if (m->payload_offset == 0) {
        x->head_len = m->payload_len < sizeof x->head ? m->payload_len : sizeof x->head;
        memcpy(x->head, m->payload, x->head_len);
    }
    if (m->payload_offset + m->payload_len == m->payload_total)
        bench_message(x->head, x->head_len, m->payload_total);
}

static int b_connect(void *ctx, const bench_opts *o, const char *client_id)
{
    bctx *x = ctx;
    int rc = brisa_posix_tcp_connect(&x->tcp, o->host, o->port, NULL);
    if (rc < 0)
        return fail(x, "tcp", rc, brisa_posix_tcp_error(&x->tcp));
    brisa_transport tcp = brisa_posix_tcp_transport(&x->tcp);
    brisa_connect_config cc = { .host = o->host, .port = o->port, .clock = &x->clock };
    if (o->tls != BENCH_TLS_NONE) {
#ifdef BENCH_HAVE_TLS
        /* Credentials are loaded once; each connect is a full handshake
         * over the same brisa_tls, as a reconnecting device does
         * (--connect-kind fresh: a new brisa_tls every time). */
        if (o->connect_kind == BENCH_CONNECT_FRESH) {
            brisa_tls_free(x->tls);
            x->tls = NULL;
            if (setup_tls(x, o) != 0) {
                brisa_posix_tcp_close(&x->tcp);
                return fail(x, "tls", BRISA_ERR_TLS, "setup");
            }
        }
        cc.tls = x->tls;
#else
        brisa_posix_tcp_close(&x->tcp);
        return fail(x, "tls", BRISA_ERR_UNSUPPORTED, "built without brisa_tls");
#endif
    }
    brisa_ws_config wc = { .host = o->host, .port = o->port, .clock = &x->clock,
                           .rng = &x->rng, .rx_buf = x->ws_rx, .rx_size = sizeof x->ws_rx,
                           .tx_buf = x->ws_tx, .tx_size = sizeof x->ws_tx,
                           .handshake_timeout_ms = o->timeout_ms };
    if (x->ws_on) {
        cc.ws = &x->ws;
        cc.ws_cfg = &wc;
    }
    brisa_connect conn;
    rc = brisa_connect_layers(&conn, &cc, &tcp);
    if (rc < 0)
        return fail(x, conn.failed == BRISA_CONNECT_TLS ? "tls" : "websocket", rc, conn.detail);
    brisa_transport t = conn.transport;
    brisa_mqtt_config cfg = {
        .transport = t,
        .clock = x->clock,
        .tx_buf = x->tx,
        .tx_size = x->tx_size,
        .rx_buf = x->rx,
        .rx_size = x->rx_size,
        .inflight = x->inflight,
        .inflight_count = INFLIGHT,
        .on_message = on_message,
        .user = x,
        .io_timeout_ms = o->timeout_ms,
    };
    rc = brisa_mqtt_init(&x->mqtt, &cfg);
    if (rc < 0) {
        t.close(t.ctx);
        return fail(x, "init", rc, NULL);
    }
    brisa_mqtt_connect_options co = { .client_id = client_id, .clean_session = true,
                                      .keepalive_s = 60 };
    /* BENCH_MQTT_VERSION=5 measures the same loops at MQTT 5. */
    const char *version = getenv("BENCH_MQTT_VERSION");
    co.protocol_level = version && strcmp(version, "5") == 0 ? 5 : 4;
    brisa_mqtt_connack ack = { .session_present = false };
    rc = brisa_mqtt_connect(&x->mqtt, &co, o->timeout_ms, &ack);
    if (rc < 0)
        return fail(x, "connect", rc,
                    rc == BRISA_ERR_REFUSED ? brisa_mqtt_connack_str(ack.return_code) : NULL);
    return 0;
}

static int b_subscribe(void *ctx, const char *topic, int qos)
{
    bctx *x = ctx;
    brisa_mqtt_subscription s = { topic, (uint8_t)qos };
    uint8_t granted = BRISA_MQTT_SUBACK_FAILURE;
    int rc = brisa_mqtt_subscribe_sync(&x->mqtt, &s, 1, &granted, x->o->timeout_ms);
    if (rc < 0)
        return fail(x, "subscribe", rc, NULL);
    if (granted == BRISA_MQTT_SUBACK_FAILURE) {
        snprintf(x->err, sizeof x->err, "subscribe: refused by the broker");
        return -1;
    }
    return 0;
}

static int b_publish(void *ctx, const char *topic, const uint8_t *payload, size_t len, int qos)
{
    bctx *x = ctx;
    uint16_t id = 0;
    int rc = brisa_mqtt_publish(&x->mqtt, topic, payload, len, (uint8_t)qos, false, &id);
    if (rc < 0)
        return fail(x, "publish", rc, NULL);
    if (qos == 0)
        return 0;
    rc = brisa_mqtt_wait(&x->mqtt, id, x->o->timeout_ms);
    return rc < 0 ? fail(x, "wait", rc, NULL) : 0;
}

static int b_poll(void *ctx, unsigned timeout_ms)
{
    bctx *x = ctx;
    int rc = brisa_mqtt_process(&x->mqtt, timeout_ms);
    return rc < 0 ? fail(x, "process", rc, NULL) : 0;
}

static void b_disconnect(void *ctx)
{
    bctx *x = ctx;
    brisa_mqtt_disconnect(&x->mqtt); /* closes TLS (close_notify) and TCP */
}

static const char *b_error(void *ctx)
{
    return ((bctx *)ctx)->err;
}

#ifdef BENCH_HAVE_TLS
static int setup_tls(bctx *x, const bench_opts *o)
{
    brisa_tls_config cfg;
    brisa_tls_config_init(&cfg);
    if (brisa_tls_backend_parse(o->backend, &cfg.backend) < 0 ||
        !brisa_tls_backend_available(cfg.backend)) {
        bench_log("TLS backend '%s' not available", o->backend);
        return -1;
    }
    cfg.server_name = o->host;
    cfg.ca_file = o->cafile;
    if (o->tls == BENCH_TLS_TWOWAY) {
        cfg.cert_file = o->certfile;
        cfg.key_file = o->keyfile;
    }
    cfg.clock = &x->clock;
    cfg.handshake_timeout_ms = o->timeout_ms;
    cfg.no_keylog_env = true;
    /* Full handshakes on every connect, as the peers make them; with
     * BRISA_BENCH_RESUME=1 reconnects resume the session instead. */
    const char *resume = getenv("BRISA_BENCH_RESUME");
    cfg.no_session_resume = !(o->connect_kind == BENCH_CONNECT_RESUME ||
                              (resume != NULL && strcmp(resume, "1") == 0));
    x->tls = brisa_tls_new();
    if (x->tls == NULL) {
        bench_log("out of memory");
        return -1;
    }
    int rc = brisa_tls_setup(x->tls, &cfg);
    if (rc < 0) {
        bench_log("TLS setup: %s: %s", brisa_err_str(rc), brisa_tls_last_error(x->tls));
        return -1;
    }
    return 0;
}
#endif

int main(int argc, char **argv)
{
    bench_opts o;
    /* Without --backend: the library's own default, so the "brisa" column
     * follows it (the runner's brisa-mbedtls/brisa-openssl name theirs). */
    const char *backend = "none";
#ifdef BENCH_HAVE_TLS
    brisa_tls_config dc;
    brisa_tls_config_init(&dc);
    backend = brisa_tls_backend_name(dc.backend);
#endif
    bench_parse(&o, "brisa", backend, false, argc, argv);
    if (o.threaded) {
        bench_log("brisa has no network thread: --model loop only");
        return 2;
    }
    static bctx x;
    x.o = &o;
    x.clock = brisa_posix_clock();
    x.rng = brisa_posix_rng();
    const char *ws = getenv("BRISA_BENCH_WS");
    x.ws_on = ws != NULL && strcmp(ws, "1") == 0;
    brisa_posix_tcp_init(&x.tcp);
    x.tx_size = o.txbuf ? o.txbuf : DEFAULT_TXBUF;
    x.rx_size = o.rxbuf ? o.rxbuf : DEFAULT_RXBUF;
    x.tx = malloc(x.tx_size);
    x.rx = malloc(x.rx_size);
    if (x.tx == NULL || x.rx == NULL) {
        bench_log("out of memory for the buffers");
        return 1;
    }
    if (o.tls != BENCH_TLS_NONE) {
#ifdef BENCH_HAVE_TLS
        if (setup_tls(&x, &o) != 0)
            return 1;
#else
        bench_log("built without brisa_tls: --tls none only");
        return 2;
#endif
    }
    bench_client c = { &x, b_connect, b_subscribe, b_publish, b_poll, b_disconnect, b_error };
    int rc = bench_run(&o, &c);
#ifdef BENCH_HAVE_TLS
    brisa_tls_free(x.tls);
#endif
    free(x.tx);
    free(x.rx);
    return rc;
}
