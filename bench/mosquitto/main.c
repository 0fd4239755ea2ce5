// SPDX-License-Identifier: MIT
/* bench_mosquitto: the benchmark driven through libmosquitto.
 *
 * Default model: single-threaded, the application calling mosquitto_loop()
 * (what mosquitto_loop_forever() does inside), which is how brisa is driven
 * too. --model thread uses mosquitto_loop_start() instead, the callbacks
 * then running on libmosquitto's thread. TCP_NODELAY is asked for
 * (MOSQ_OPT_TCP_NODELAY); TLS goes through mosquitto_tls_set() with
 * OpenSSL, as every libmosquitto user gets it. */
#include <mosquitto.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

typedef struct mctx {
    struct mosquitto *m;
    bool threaded;
    bench_events ev;           /* its lock guards the fields below */
    bool connected;
    int connack;               /* -1 until CONNACK */
    int sub_mid, sub_done_mid;
    int pub_mid, pub_done_mid;
    bool lost;
    unsigned timeout_ms;
    char err[160];
} mctx;

static void on_connect(struct mosquitto *m, void *user, int rc)
{
    (void)m;
    mctx *x = user;
    pthread_mutex_lock(&x->ev.lock);
    x->connack = rc;
    x->connected = rc == 0;
    bench_events_bump(&x->ev);
    pthread_mutex_unlock(&x->ev.lock);
}

static void on_disconnect(struct mosquitto *m, void *user, int rc)
{
    (void)m;
    mctx *x = user;
    pthread_mutex_lock(&x->ev.lock);
    if (rc != 0) {
        x->lost = true;
        snprintf(x->err, sizeof x->err, "disconnected: %s", mosquitto_strerror(rc));
    }
    x->connected = false;
    bench_events_bump(&x->ev);
    pthread_mutex_unlock(&x->ev.lock);
}

static void on_subscribe(struct mosquitto *m, void *user, int mid, int n, const int *granted)
{
    (void)m;
    mctx *x = user;
    pthread_mutex_lock(&x->ev.lock);
    x->sub_done_mid = (n > 0 && granted[0] <= 2) ? mid : -mid;
    bench_events_bump(&x->ev);
    pthread_mutex_unlock(&x->ev.lock);
}

static void on_publish(struct mosquitto *m, void *user, int mid)
{
    (void)m;
    mctx *x = user;
    pthread_mutex_lock(&x->ev.lock);
    x->pub_done_mid = mid;
    bench_events_bump(&x->ev);
    pthread_mutex_unlock(&x->ev.lock);
}

static void on_message(struct mosquitto *m, void *user, const struct mosquitto_message *msg)
{
    (void)m;
    mctx *x = user;
    bench_message(msg->payload, (size_t)msg->payloadlen, (size_t)msg->payloadlen);
    pthread_mutex_lock(&x->ev.lock);
    bench_events_bump(&x->ev);
    pthread_mutex_unlock(&x->ev.lock);
}

static int fail(mctx *x, const char *what, int rc)
{
    snprintf(x->err, sizeof x->err, "%s: %s", what, mosquitto_strerror(rc));
    return -1;
}

static int m_poll(void *ctx, unsigned timeout_ms)
{
    mctx *x = ctx;
    if (!x->threaded) {
        int rc = mosquitto_loop(x->m, (int)timeout_ms, 1);
        if (rc != MOSQ_ERR_SUCCESS)
            return fail(x, "loop", rc);
        return x->lost ? -1 : 0;
    }
    bench_events_wait(&x->ev, timeout_ms);
    pthread_mutex_lock(&x->ev.lock);
    bool lost = x->lost;
    pthread_mutex_unlock(&x->ev.lock);
    return lost ? -1 : 0;
}

/* Polls until *field == want (read under the lock). */
static int wait_field(mctx *x, const int *field, int want, unsigned timeout_ms)
{
    uint64_t deadline = bench_now_ns() + (uint64_t)timeout_ms * 1000000u;
    for (;;) {
        pthread_mutex_lock(&x->ev.lock);
        int v = *field;
        pthread_mutex_unlock(&x->ev.lock);
        if (v == want)
            return 0;
        uint64_t now = bench_now_ns();
        if (now >= deadline) {
            snprintf(x->err, sizeof x->err, "timed out");
            return -1;
        }
        if (m_poll(x, (unsigned)((deadline - now + 999999u) / 1000000u)) != 0)
            return -1;
    }
}

static int m_connect(void *ctx, const bench_opts *o, const char *client_id)
{
    mctx *x = ctx;
    /* One object for every connect, as a reconnecting application keeps
     * it (and libmosquitto keeps its SSL_CTX). */
    if (x->m == NULL) {
        x->m = mosquitto_new(client_id, true, x);
        if (x->m == NULL)
            return fail(x, "mosquitto_new", MOSQ_ERR_NOMEM);
        mosquitto_int_option(x->m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
        mosquitto_int_option(x->m, MOSQ_OPT_TCP_NODELAY, 1);
        mosquitto_connect_callback_set(x->m, on_connect);
        mosquitto_disconnect_callback_set(x->m, on_disconnect);
        mosquitto_subscribe_callback_set(x->m, on_subscribe);
        mosquitto_publish_callback_set(x->m, on_publish);
        mosquitto_message_callback_set(x->m, on_message);
        if (o->tls != BENCH_TLS_NONE) {
            int rc = mosquitto_tls_set(x->m, o->cafile, NULL,
                                       o->tls == BENCH_TLS_TWOWAY ? o->certfile : NULL,
                                       o->tls == BENCH_TLS_TWOWAY ? o->keyfile : NULL, NULL);
            if (rc != MOSQ_ERR_SUCCESS)
                return fail(x, "tls_set", rc);
        }
    }
    pthread_mutex_lock(&x->ev.lock);
    x->connack = -1;
    x->lost = false;
    pthread_mutex_unlock(&x->ev.lock);
    int rc = mosquitto_connect(x->m, o->host, o->port, 60);
    if (rc != MOSQ_ERR_SUCCESS)
        return fail(x, "connect", rc);
    if (x->threaded && (rc = mosquitto_loop_start(x->m)) != MOSQ_ERR_SUCCESS)
        return fail(x, "loop_start", rc);
    if (wait_field(x, &x->connack, 0, x->timeout_ms) != 0) {
        if (x->connack > 0)
            snprintf(x->err, sizeof x->err, "CONNACK: %s", mosquitto_connack_string(x->connack));
        return -1;
    }
    return 0;
}

static int m_subscribe(void *ctx, const char *topic, int qos)
{
    mctx *x = ctx;
    int mid = 0;
    int rc = mosquitto_subscribe(x->m, &mid, topic, qos);
    if (rc != MOSQ_ERR_SUCCESS)
        return fail(x, "subscribe", rc);
    return wait_field(x, &x->sub_done_mid, mid, x->timeout_ms);
}

static int m_publish(void *ctx, const char *topic, const uint8_t *payload, size_t len, int qos)
{
    mctx *x = ctx;
    int mid = 0;
    int rc = mosquitto_publish(x->m, &mid, topic, (int)len, payload, qos, false);
    if (rc != MOSQ_ERR_SUCCESS)
        return fail(x, "publish", rc);
    if (qos == 0)
        return 0;
    return wait_field(x, &x->pub_done_mid, mid, x->timeout_ms);
}

static void m_disconnect(void *ctx)
{
    mctx *x = ctx;
    mosquitto_disconnect(x->m);
    if (x->threaded)
        mosquitto_loop_stop(x->m, false);
    else
        mosquitto_loop(x->m, 0, 1); /* lets the library close the socket */
}

static const char *m_error(void *ctx)
{
    return ((mctx *)ctx)->err;
}

int main(int argc, char **argv)
{
    bench_opts o;
    bench_parse(&o, "mosquitto", "openssl", false, argc, argv);
    if (o.connect_kind != BENCH_CONNECT_REUSE) {
        bench_log("--connect-kind: reuse only (the library keeps its own TLS context)");
        return 2;
    }
    mosquitto_lib_init();
    mctx x;
    memset(&x, 0, sizeof x);
    x.threaded = o.threaded;
    x.timeout_ms = o.timeout_ms;
    bench_events_init(&x.ev);
    bench_client c = { &x, m_connect, m_subscribe, m_publish, m_poll, m_disconnect, m_error };
    int rc = bench_run(&o, &c);
    if (x.m != NULL)
        mosquitto_destroy(x.m);
    mosquitto_lib_cleanup();
    return rc;
}
