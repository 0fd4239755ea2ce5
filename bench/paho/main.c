// SPDX-License-Identifier: MIT
/* bench_paho: the benchmark driven through Eclipse Paho MQTT C, the
 * synchronous MQTTClient API (libpaho-mqtt3cs, OpenSSL).
 *
 * Default model (--model thread), as in Paho's own examples: callbacks
 * are set, so Paho's receive thread delivers messages and completions.
 * --model loop sets none: the application drives the network with
 * MQTTClient_receive() and ends QoS 1/2 publishes with
 * MQTTClient_waitForCompletion() -- which, in that mode, always spends at
 * least one 100 ms MQTTClient_yield() cycle, so it is no fair default.
 * Paho offers no TCP_NODELAY switch: its sockets keep Nagle's algorithm,
 * as every Paho user gets (see nodelay.c for the variant without it). */
#include <MQTTClient.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

typedef struct pctx {
    MQTTClient c;
    bool threaded;
    unsigned timeout_ms;
    bench_events ev;                /* its lock guards the two below */
    MQTTClient_deliveryToken done;  /* last completed QoS 1/2 token */
    bool lost;
    char err[160];
} pctx;

static int fail(pctx *x, const char *what, int rc)
{
    snprintf(x->err, sizeof x->err, "%s: %s (%d)", what, MQTTClient_strerror(rc), rc);
    return -1;
}

static void deliver(MQTTClient_message *m)
{
    size_t len = m->payloadlen > 0 ? (size_t)m->payloadlen : 0;
    bench_message(m->payload, len, len);
}

/* --- threaded mode: Paho's thread calls these -------------------------- */

static int on_message(void *ctx, char *topic, int topic_len, MQTTClient_message *m)
{
    (void)topic_len;
    pctx *x = ctx;
    deliver(m);
    MQTTClient_freeMessage(&m);
    MQTTClient_free(topic);
    pthread_mutex_lock(&x->ev.lock);
    bench_events_bump(&x->ev);
    pthread_mutex_unlock(&x->ev.lock);
    return 1;
}

static void on_delivered(void *ctx, MQTTClient_deliveryToken dt)
{
    pctx *x = ctx;
    pthread_mutex_lock(&x->ev.lock);
    x->done = dt;
    bench_events_bump(&x->ev);
    pthread_mutex_unlock(&x->ev.lock);
}

static void on_lost(void *ctx, char *cause)
{
    pctx *x = ctx;
    pthread_mutex_lock(&x->ev.lock);
    x->lost = true;
    snprintf(x->err, sizeof x->err, "connection lost: %s", cause ? cause : "?");
    bench_events_bump(&x->ev);
    pthread_mutex_unlock(&x->ev.lock);
}

/* --- the bench_client face -------------------------------------------- */

static int p_poll(void *ctx, unsigned timeout_ms)
{
    pctx *x = ctx;
    if (x->threaded) {
        bench_events_wait(&x->ev, timeout_ms);
        pthread_mutex_lock(&x->ev.lock);
        bool lost = x->lost;
        pthread_mutex_unlock(&x->ev.lock);
        return lost ? -1 : 0;
    }
    /* One message per call: wait for the first, then take whatever else is
     * already queued without waiting. */
    for (unsigned long wait = timeout_ms;; wait = 0) {
        char *topic = NULL;
        int topic_len = 0;
        MQTTClient_message *m = NULL;
        int rc = MQTTClient_receive(x->c, &topic, &topic_len, &m, wait);
        if (rc != MQTTCLIENT_SUCCESS && rc != MQTTCLIENT_TOPICNAME_TRUNCATED)
            return fail(x, "receive", rc);
        if (m == NULL)
            return 0;
        deliver(m);
        MQTTClient_freeMessage(&m);
        MQTTClient_free(topic);
    }
}

static int p_connect(void *ctx, const bench_opts *o, const char *client_id)
{
    pctx *x = ctx;
    /* One handle for every connect, as a reconnecting application keeps it. */
    if (x->c == NULL) {
        char uri[300];
        snprintf(uri, sizeof uri, "%s://%s:%u", o->tls == BENCH_TLS_NONE ? "tcp" : "ssl",
                 o->host, o->port);
        int rc = MQTTClient_create(&x->c, uri, client_id, MQTTCLIENT_PERSISTENCE_NONE, NULL);
        if (rc != MQTTCLIENT_SUCCESS)
            return fail(x, "create", rc);
        if (x->threaded &&
            (rc = MQTTClient_setCallbacks(x->c, x, on_lost, on_message, on_delivered)) !=
                MQTTCLIENT_SUCCESS)
            return fail(x, "setCallbacks", rc);
    }
    MQTTClient_connectOptions co = MQTTClient_connectOptions_initializer;
    MQTTClient_SSLOptions ssl = MQTTClient_SSLOptions_initializer;
    co.keepAliveInterval = 60;
    co.cleansession = 1;
    co.MQTTVersion = MQTTVERSION_3_1_1;
    co.connectTimeout = (int)((o->timeout_ms + 999) / 1000);
    if (o->tls != BENCH_TLS_NONE) {
        ssl.trustStore = o->cafile;
        ssl.enableServerCertAuth = 1;
        ssl.verify = 1; /* host name check, as libmosquitto and brisa do */
        if (o->tls == BENCH_TLS_TWOWAY) {
            ssl.keyStore = o->certfile;
            ssl.privateKey = o->keyfile;
        }
        co.ssl = &ssl;
    }
    x->lost = false;
    int rc = MQTTClient_connect(x->c, &co);
    if (rc != MQTTCLIENT_SUCCESS)
        return fail(x, "connect", rc);
    return 0;
}

static int p_subscribe(void *ctx, const char *topic, int qos)
{
    pctx *x = ctx;
    int rc = MQTTClient_subscribe(x->c, topic, qos);
    if (rc != MQTTCLIENT_SUCCESS)
        return fail(x, "subscribe", rc);
    return 0;
}

static int p_publish(void *ctx, const char *topic, const uint8_t *payload, size_t len, int qos)
{
    pctx *x = ctx;
    MQTTClient_deliveryToken dt = 0;
    int rc = MQTTClient_publish(x->c, topic, (int)len, payload, qos, 0, &dt);
    if (rc != MQTTCLIENT_SUCCESS)
        return fail(x, "publish", rc);
    if (qos == 0)
        return 0;
    if (!x->threaded) {
        rc = MQTTClient_waitForCompletion(x->c, dt, x->timeout_ms);
        return rc == MQTTCLIENT_SUCCESS ? 0 : fail(x, "waitForCompletion", rc);
    }
    uint64_t deadline = bench_now_ns() + (uint64_t)x->timeout_ms * 1000000u;
    for (;;) {
        pthread_mutex_lock(&x->ev.lock);
        bool done = x->done == dt, lost = x->lost;
        pthread_mutex_unlock(&x->ev.lock);
        if (done)
            return 0;
        uint64_t now = bench_now_ns();
        if (lost || now >= deadline) {
            if (!lost)
                snprintf(x->err, sizeof x->err, "no PUBACK/PUBCOMP in time");
            return -1;
        }
        bench_events_wait(&x->ev, (unsigned)((deadline - now + 999999u) / 1000000u));
    }
}

static void p_disconnect(void *ctx)
{
    pctx *x = ctx;
    MQTTClient_disconnect(x->c, 0);
}

static const char *p_error(void *ctx)
{
    return ((pctx *)ctx)->err;
}

int main(int argc, char **argv)
{
    bench_opts o;
    bench_parse(&o, "paho", "openssl", true, argc, argv);
    if (o.connect_kind != BENCH_CONNECT_REUSE) {
        bench_log("--connect-kind: reuse only (the library keeps its own TLS context)");
        return 2;
    }
    pctx x;
    memset(&x, 0, sizeof x);
    x.threaded = o.threaded;
    x.timeout_ms = o.timeout_ms;
    bench_events_init(&x.ev);
    bench_client c = { &x, p_connect, p_subscribe, p_publish, p_poll, p_disconnect, p_error };
    int rc = bench_run(&o, &c);
    if (x.c != NULL)
        MQTTClient_destroy(&x.c);
    return rc;
}
