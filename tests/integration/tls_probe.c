// SPDX-License-Identifier: MIT
/* tls_probe: drives the TLS transport the way an application would -- TCP,
 * TLS handshake, MQTT CONNECT/CONNACK, optionally one PUBLISH -- with every
 * TLS option on the command line, and prints one line: "ok: <version>
 * <suite>" or "tls_probe: error <code>: <detail>". The TLS integration
 * tests and the capture test run it against real mosquitto listeners.
 *
 *   tls_probe -h HOST -p PORT --cafile F [--cert F --key F] [--engine E (mbedtls)]
 *             [--time UNIX|none] [--mem] [--plain] [-t TOPIC -m MSG] ...
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/connect.h"
#include "brisa/mqtt.h"
#include "brisa/port/posix.h"
#include "brisa/port/posix_tcp.h"
#include "brisa/tls.h"

typedef struct probe {
    const char *host, *connect_host, *topic, *message, *client_id;
    unsigned port;
    bool plain, mem, no_time, handshake_only;
    long long fake_time;     /* -1: the host's clock */
    uint32_t timeout_ms;
    brisa_tls_config cfg;
    brisa_clock base, clock;
} probe;

static bool fake_wall(void *ctx, int64_t *unix_ms)
{
    const probe *p = ctx;
    if (p->no_time)
        return false;
    *unix_ms = p->fake_time * 1000;
    return true;
}

static uint64_t base_mono(void *ctx)
{
    const probe *p = ctx;
    return p->base.monotonic_ms(p->base.ctx);
}

static void usage(void)
{
    puts("usage: tls_probe -h HOST -p PORT [--connect-host A] [--engine mbedtls|openssl]\n"
         "  [--cafile F] [--capath D] [--cert F] [--key F] [--keyform pem|der]\n"
         "  [--key-password P] [--crlfile F] [--insecure] [--tls-version V]\n"
         "  [--ciphers S] [--keylog F] [--debug N] [--time UNIX|none]\n"
         "  [--no-time-check] [--timeout MS] [--mem] [--plain] [-i ID] [-t T -m M]\n"
         "  [--alpn LIST] [--ocsp prefer|require] [--handshake-only]");
}

/* --mem: the files are read here and handed over as memory blobs, the way
 * firmware embeds its credentials. */
static brisa_tls_blob slurp(const char **path)
{
    brisa_tls_blob b = { NULL, 0 };
    if (*path == NULL)
        return b;
    FILE *f = fopen(*path, "rb");
    if (f == NULL) {
        perror(*path);
        exit(2);
    }
    static uint8_t store[8][65536];
    static int used;
    size_t n = fread(store[used], 1, sizeof store[used], f);
    fclose(f);
    b.data = store[used++];
    b.len = n;
    *path = NULL;
    return b;
}

static int parse(probe *p, int argc, char **argv)
{
    enum { O_CAFILE = 256, O_CAPATH, O_CERT, O_KEY, O_KEYFORM, O_KEYPW, O_CRL, O_INSECURE,
           O_VERSION, O_CIPHERS, O_KEYLOG, O_DEBUG, O_TIME, O_NOTIME, O_TIMEOUT, O_MEM,
           O_PLAIN, O_ENGINE, O_CONNECT, O_ALPN, O_OCSP, O_HSONLY };
    static const struct option longs[] = {
        { "cafile", 1, 0, O_CAFILE }, { "capath", 1, 0, O_CAPATH }, { "cert", 1, 0, O_CERT },
        { "key", 1, 0, O_KEY }, { "keyform", 1, 0, O_KEYFORM }, { "key-password", 1, 0, O_KEYPW },
        { "crlfile", 1, 0, O_CRL }, { "insecure", 0, 0, O_INSECURE },
        { "tls-version", 1, 0, O_VERSION }, { "ciphers", 1, 0, O_CIPHERS },
        { "keylog", 1, 0, O_KEYLOG }, { "debug", 1, 0, O_DEBUG }, { "time", 1, 0, O_TIME },
        { "no-time-check", 0, 0, O_NOTIME }, { "timeout", 1, 0, O_TIMEOUT },
        { "mem", 0, 0, O_MEM }, { "plain", 0, 0, O_PLAIN }, { "engine", 1, 0, O_ENGINE },
        { "connect-host", 1, 0, O_CONNECT }, { "alpn", 1, 0, O_ALPN }, { "ocsp", 1, 0, O_OCSP },
        { "handshake-only", 0, 0, O_HSONLY }, { "help", 0, 0, 'H' }, { 0, 0, 0, 0 },
    };
    brisa_tls_config *c = &p->cfg;
    int opt;
    while ((opt = getopt_long(argc, argv, "h:p:t:m:i:", longs, NULL)) != -1) {
        switch (opt) {
        case 'h': p->host = optarg; break;
        case 'p': p->port = (unsigned)atoi(optarg); break;
        case 't': p->topic = optarg; break;
        case 'm': p->message = optarg; break;
        case 'i': p->client_id = optarg; break;
        case O_CONNECT: p->connect_host = optarg; break;
        case O_CAFILE: c->ca_file = optarg; break;
        case O_CAPATH: c->ca_path = optarg; break;
        case O_CERT: c->cert_file = optarg; break;
        case O_KEY: c->key_file = optarg; break;
        case O_KEYFORM:
            c->key_form = strcmp(optarg, "der") == 0 ? BRISA_TLS_FORM_DER : BRISA_TLS_FORM_PEM;
            break;
        case O_KEYPW: c->key_password = optarg; break;
        case O_CRL: c->crl_file = optarg; break;
        case O_INSECURE: c->insecure = true; break;
        case O_VERSION:
            if (brisa_tls_version_parse(optarg, &c->version) < 0) {
                fprintf(stderr, "tls_probe: bad --tls-version %s\n", optarg);
                return 2;
            }
            break;
        case O_CIPHERS: c->ciphers = optarg; break;
        case O_KEYLOG: c->keylog_file = optarg; break;
        case O_DEBUG: c->debug_level = atoi(optarg); break;
        case O_TIME:
            if (strcmp(optarg, "none") == 0)
                p->no_time = true;
            else
                p->fake_time = atoll(optarg);
            break;
        case O_NOTIME: c->skip_time_check = true; break;
        case O_TIMEOUT: p->timeout_ms = (uint32_t)atol(optarg); break;
        case O_MEM: p->mem = true; break;
        case O_PLAIN: p->plain = true; break;
        case O_ALPN: c->alpn = optarg; break;
        case O_OCSP:
            c->ocsp = strcmp(optarg, "require") == 0 ? BRISA_TLS_OCSP_REQUIRE
                      : strcmp(optarg, "prefer") == 0 ? BRISA_TLS_OCSP_PREFER
                                                      : BRISA_TLS_OCSP_OFF;
            break;
        case O_HSONLY: p->handshake_only = true; break;
        case O_ENGINE:
            if (brisa_tls_backend_parse(optarg, &c->backend) < 0) {
                fprintf(stderr, "tls_probe: bad --engine %s\n", optarg);
                return 2;
            }
            break;
        case 'H': usage(); exit(0);
        default: usage(); return 2;
        }
    }
    if (p->host == NULL || p->port == 0) {
        usage();
        return 2;
    }
    return 0;
}

static int report(const char *stage, int err, const char *detail)
{
    if (detail != NULL && detail[0] != '\0')
        fprintf(stderr, "tls_probe: %s: error %d: %s\n", stage, err, detail);
    else
        fprintf(stderr, "tls_probe: %s: error %d: %s\n", stage, err, brisa_err_str(err));
    return 1;
}

/* CONNECT, CONNACK, and the optional PUBLISH over @p t. */
static int mqtt_exchange(probe *p, brisa_transport t, brisa_tls *tls)
{
    static uint8_t tx[1024], rx[1024];
    static brisa_mqtt_inflight inflight[4];
    brisa_mqtt_config mc;
    memset(&mc, 0, sizeof mc);
    mc.transport = t;
    mc.clock = p->base;
    mc.tx_buf = tx;
    mc.tx_size = sizeof tx;
    mc.rx_buf = rx;
    mc.rx_size = sizeof rx;
    mc.inflight = inflight;
    mc.inflight_count = 4;
    brisa_mqtt_client client;
    int rc = brisa_mqtt_init(&client, &mc);
    brisa_mqtt_connect_options co;
    memset(&co, 0, sizeof co);
    co.client_id = p->client_id;
    co.clean_session = true;
    co.keepalive_s = 30;
    brisa_mqtt_connack ack;
    if (rc == BRISA_OK)
        rc = brisa_mqtt_connect(&client, &co, p->timeout_ms, &ack);
    if (rc == BRISA_OK && p->topic != NULL) {
        const char *m = p->message ? p->message : "";
        uint16_t id;
        rc = brisa_mqtt_publish(&client, p->topic, m, strlen(m), 1, false, &id);
        if (rc == BRISA_OK)
            rc = brisa_mqtt_wait(&client, id, p->timeout_ms);
    }
    if (rc != BRISA_OK) {
        if (rc == BRISA_ERR_REFUSED)
            return report("mqtt", rc, brisa_mqtt_connack_str(ack.return_code));
        return report("mqtt", rc, tls ? brisa_tls_last_error(tls) : NULL);
    }
    brisa_mqtt_disconnect(&client);
    return 0;
}

int main(int argc, char **argv)
{
    probe p;
    memset(&p, 0, sizeof p);
    p.fake_time = -1;
    p.timeout_ms = 5000;
    p.client_id = "tls_probe";
    brisa_tls_config_init(&p.cfg);
    /* mbedTLS unless --engine says otherwise: the probe's tests name the
     * engine whose behaviour they check (the tools test the library's). */
    p.cfg.backend = BRISA_TLS_MBEDTLS;
    int rc = parse(&p, argc, argv);
    if (rc != 0)
        return rc;
    p.base = brisa_posix_clock();
    p.clock = p.base;
    if (p.fake_time >= 0 || p.no_time) {
        p.clock.ctx = &p;
        p.clock.monotonic_ms = base_mono;
        p.clock.wall_ms = fake_wall;
    }
    brisa_tls_config *c = &p.cfg;
    c->server_name = p.host;
    c->clock = &p.clock;
    c->handshake_timeout_ms = p.timeout_ms;
    c->debug_cb = brisa_tls_log_file;
    c->debug_user = stderr;
    c->no_keylog_env = c->keylog_file != NULL;
    if (p.mem) {
        c->ca = slurp(&c->ca_file);
        c->cert = slurp(&c->cert_file);
        c->key = slurp(&c->key_file);
        c->crl = slurp(&c->crl_file);
    }

    brisa_posix_tcp tcp;
    brisa_posix_tcp_init(&tcp);
    brisa_posix_tcp_options to = { .connect_timeout_ms = p.timeout_ms, .family = 0 };
    rc = brisa_posix_tcp_connect(&tcp, p.connect_host ? p.connect_host : p.host,
                                 (uint16_t)p.port, &to);
    if (rc < 0)
        return report("tcp", rc, brisa_posix_tcp_error(&tcp));
    brisa_transport inner = brisa_posix_tcp_transport(&tcp);
    if (p.plain) {
        rc = mqtt_exchange(&p, inner, NULL);
        if (rc == 0)
            puts("ok: plain");
        return rc;
    }

    brisa_tls *tls = brisa_tls_new();
    if (tls == NULL)
        return report("tls", BRISA_ERR_NO_SPACE, "out of memory");
    rc = brisa_tls_setup(tls, c);
    if (rc < 0) {
        report("setup", rc, brisa_tls_last_error(tls));
        brisa_tls_free(tls);
        brisa_posix_tcp_close(&tcp);
        return 1;
    }
    /* The layers as the tools and the device open them (brisa/connect.h). */
    brisa_connect_config cc = { .host = p.host, .port = (uint16_t)p.port, .tls = tls };
    brisa_connect conn;
    rc = brisa_connect_layers(&conn, &cc, &inner);
    if (rc < 0) {
        report("handshake", rc, conn.detail);
        brisa_tls_free(tls);
        return 1;
    }
    /* --handshake-only: for servers that speak TLS but not MQTT (s_server) */
    rc = p.handshake_only ? 0 : mqtt_exchange(&p, conn.transport, tls);
    if (rc == 0)
        printf("ok: %s %s alpn=%s ocsp=%s\n", brisa_tls_version_str(tls),
               brisa_tls_cipher_str(tls), brisa_tls_alpn(tls), brisa_tls_ocsp_status(tls));
    brisa_tls_free(tls);
    return rc;
}
