// SPDX-License-Identifier: MIT
/* tls_handshake: times N connects -- TCP connect, TLS handshake, MQTT
 * CONNECT/CONNACK -- against a broker, and (in the tls_handshake_mem build,
 * linked with mbedTLS archives whose calloc/free are redirected to the
 * counters below) the heap mbedTLS holds per connection. Prints one line
 * of key=value pairs; bench/tls-handshake/run.sh makes the table.
 *
 *   tls_handshake -p PORT [-h HOST] [--engine E] [--cafile F] [--cert F
 *                 --key F] [--tls-version V] [--connects N] [--plain]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "brisa/mqtt.h"
#include "brisa/port/posix.h"
#include "brisa/port/posix_tcp.h"
#include "brisa/tls.h"

#ifdef BENCH_COUNT_MBEDTLS_HEAP
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_internal.h>

#include "tls/mbedtls_be.h"
#include "tls/tls_internal.h"

/* mbedTLS 2.28 in Debian is built without MBEDTLS_PLATFORM_MEMORY, so
 * mbedtls_platform_set_calloc_free() does not exist; instead the archives
 * are copied with calloc/free renamed to these (see CMakeLists.txt). */
static size_t heap_now, heap_peak, heap_allocs;

void *bench_mbedtls_calloc(size_t n, size_t size);
void bench_mbedtls_free(void *p);

void *bench_mbedtls_calloc(size_t n, size_t size)
{
    if (size != 0 && n > (SIZE_MAX - 16) / size)
        return NULL;
    size_t bytes = n * size;
    unsigned char *p = calloc(1, bytes + 16);
    if (p == NULL)
        return NULL;
    memcpy(p, &bytes, sizeof bytes);
    heap_now += bytes;
    heap_allocs++;
    if (heap_now > heap_peak)
        heap_peak = heap_now;
    return p + 16;
}

void bench_mbedtls_free(void *q)
{
    if (q == NULL)
        return;
    unsigned char *p = (unsigned char *)q - 16;
    size_t bytes;
    memcpy(&bytes, p, sizeof bytes);
    heap_now -= bytes;
    free(p);
}
#endif

typedef struct run {
    const char *host;
    unsigned port, connects;
    bool plain;
    bool resume; /* resumed handshakes after the first, not full ones */
    brisa_tls_config cfg;
} run;

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int die(const char *what, int err, const char *detail)
{
    fprintf(stderr, "tls_handshake: %s: %s\n", what,
            detail && detail[0] ? detail : brisa_err_str(err));
    return 1;
}

/* CONNECT/CONNACK over @p t (the caller then closes the transport). */
static int mqtt_once(brisa_transport t, const brisa_clock *clock)
{
    static uint8_t tx[512], rx[512];
    static brisa_mqtt_inflight inflight[2];
    brisa_mqtt_config mc;
    memset(&mc, 0, sizeof mc);
    mc.transport = t;
    mc.clock = *clock;
    mc.tx_buf = tx;
    mc.tx_size = sizeof tx;
    mc.rx_buf = rx;
    mc.rx_size = sizeof rx;
    mc.inflight = inflight;
    mc.inflight_count = 2;
    brisa_mqtt_client c;
    brisa_mqtt_connect_options co = { .client_id = "tls-bench", .clean_session = true,
                                      .keepalive_s = 30 };
    brisa_mqtt_connack ack;
    int rc = brisa_mqtt_init(&c, &mc);
    if (rc == BRISA_OK)
        rc = brisa_mqtt_connect(&c, &co, 5000, &ack);
    return rc;
}

static int parse(run *r, int argc, char **argv)
{
    enum { O_ENGINE = 256, O_CAFILE, O_CERT, O_KEY, O_VERSION, O_CONNECTS, O_PLAIN, O_RESUME };
    static const struct option longs[] = {
        { "engine", 1, 0, O_ENGINE }, { "cafile", 1, 0, O_CAFILE }, { "cert", 1, 0, O_CERT },
        { "key", 1, 0, O_KEY }, { "tls-version", 1, 0, O_VERSION },
        { "connects", 1, 0, O_CONNECTS }, { "plain", 0, 0, O_PLAIN },
        { "resume", 0, 0, O_RESUME }, { 0, 0, 0, 0 },
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "h:p:", longs, NULL)) != -1) {
        switch (opt) {
        case 'h': r->host = optarg; break;
        case 'p': r->port = (unsigned)atoi(optarg); break;
        case O_ENGINE:
            if (brisa_tls_backend_parse(optarg, &r->cfg.backend) < 0)
                return die("--engine", BRISA_ERR_INVALID_ARG, "mbedtls or openssl");
            break;
        case O_CAFILE: r->cfg.ca_file = optarg; break;
        case O_CERT: r->cfg.cert_file = optarg; break;
        case O_KEY: r->cfg.key_file = optarg; break;
        case O_VERSION:
            if (brisa_tls_version_parse(optarg, &r->cfg.version) < 0)
                return die("--tls-version", BRISA_ERR_INVALID_ARG, "tlsv1.2 or tlsv1.3");
            break;
        case O_CONNECTS: r->connects = (unsigned)atoi(optarg); break;
        case O_PLAIN: r->plain = true; break;
        case O_RESUME: r->resume = true; break;
        default: return 2;
        }
    }
    if (r->port == 0 || r->connects == 0)
        return die("usage", BRISA_ERR_INVALID_ARG, "-p PORT [--connects N] ...");
    return 0;
}

int main(int argc, char **argv)
{
    run r = { .host = "127.0.0.1", .connects = 50 };
    brisa_tls_config_init(&r.cfg);
    int rc = parse(&r, argc, argv);
    if (rc != 0)
        return rc;
    brisa_clock clock = brisa_posix_clock();
    brisa_rng rng = brisa_posix_rng();
    r.cfg.server_name = r.host;
    r.cfg.clock = &clock;
    r.cfg.rng = &rng;
    r.cfg.no_keylog_env = true;
    r.cfg.no_session_resume = !r.resume;

    /* Credentials are loaded once, as on a device that reconnects. */
    brisa_tls *tls = NULL;
    if (!r.plain) {
        tls = brisa_tls_new();
        if (tls == NULL || (rc = brisa_tls_setup(tls, &r.cfg)) < 0)
            return die("setup", rc, brisa_tls_last_error(tls));
    }
#ifdef BENCH_COUNT_MBEDTLS_HEAP
    size_t heap_setup = heap_now, allocs_setup = heap_allocs;
    size_t heap_connected = 0, peak_handshake = 0;
#endif
    uint64_t *us = calloc(r.connects, sizeof *us);
    if (us == NULL)
        return die("memory", BRISA_ERR_NO_SPACE, "out of memory");
    for (unsigned i = 0; i < r.connects; i++) {
        uint64_t t0 = now_us();
        brisa_posix_tcp tcp;
        brisa_posix_tcp_init(&tcp);
        rc = brisa_posix_tcp_connect(&tcp, r.host, (uint16_t)r.port, NULL);
        if (rc < 0)
            return die("tcp", rc, brisa_posix_tcp_error(&tcp));
        brisa_transport t = brisa_posix_tcp_transport(&tcp);
#ifdef BENCH_COUNT_MBEDTLS_HEAP
        heap_peak = heap_now;
#endif
        if (tls != NULL) {
            rc = brisa_tls_connect(tls, &t);
            if (rc < 0)
                return die("handshake", rc, brisa_tls_last_error(tls));
            t = brisa_tls_transport(tls);
        }
        rc = mqtt_once(t, &clock);
        if (rc < 0)
            return die("mqtt", rc, tls ? brisa_tls_last_error(tls) : NULL);
        us[i] = now_us() - t0;
#ifdef BENCH_COUNT_MBEDTLS_HEAP
        heap_connected = heap_now;
        peak_handshake = heap_peak;
#endif
        t.close(t.ctx); /* DISCONNECT is not part of the figure */
    }
    qsort(us, r.connects, sizeof *us, cmp_u64);
    double sum = 0;
    for (unsigned i = 0; i < r.connects; i++)
        sum += (double)us[i];
    printf("version=%s suite=%s n=%u median_ms=%.2f p10_ms=%.2f p90_ms=%.2f mean_ms=%.2f",
           tls ? brisa_tls_version_str(tls) : "none", tls ? brisa_tls_cipher_str(tls) : "none",
           r.connects, (double)us[r.connects / 2] / 1000.0,
           (double)us[r.connects / 10] / 1000.0, (double)us[r.connects * 9 / 10] / 1000.0,
           sum / r.connects / 1000.0);
#ifdef BENCH_COUNT_MBEDTLS_HEAP
    printf(" heap_setup=%zu heap_peak=%zu heap_connected=%zu allocs_per_connect=%zu"
           " in_buf=%d out_buf=%d sizeof_ssl_context=%zu sizeof_ssl_config=%zu"
           " sizeof_brisa_tls=%zu sizeof_backend=%zu",
           heap_setup, peak_handshake, heap_connected, (heap_allocs - allocs_setup) / r.connects,
           (int)MBEDTLS_SSL_IN_BUFFER_LEN, (int)MBEDTLS_SSL_OUT_BUFFER_LEN,
           sizeof(mbedtls_ssl_context), sizeof(mbedtls_ssl_config), sizeof(brisa_tls),
           sizeof(bri_tls_mbed));
#endif
    printf("\n");
    free(us);
    brisa_tls_free(tls);
    return 0;
}
