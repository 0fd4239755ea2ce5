// SPDX-License-Identifier: MIT
/* The timed loops shared by every benchmark program. The library wrappers
 * only publish, poll and report messages; timing, checking and statistics
 * happen here, identically for all of them. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define BENCH_MAGIC 0x42524953u /* "BRIS" */

/* What the receive side saw. Written by whichever thread the library
 * delivers messages on, read by the measuring thread. */
static struct {
    atomic_uint_fast64_t received; /* well-formed messages of our size */
    atomic_uint_fast64_t bad;      /* wrong size or foreign payload */
    atomic_uint_fast64_t last_ns;  /* arrival of the last good message */
    atomic_uint_fast32_t last_seq; /* its sequence number, +1 (0: none) */
    size_t size;                   /* payload size expected */
} rx;

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

void bench_message(const uint8_t *head, size_t head_len, size_t total)
{
    uint64_t t = bench_now_ns();
    if (total != rx.size || head_len < BENCH_HEADER_LEN || get_u32(head) != BENCH_MAGIC) {
        atomic_fetch_add(&rx.bad, 1);
        return;
    }
    atomic_store_explicit(&rx.last_ns, t, memory_order_relaxed);
    atomic_store_explicit(&rx.last_seq, get_u32(head + 4) + 1u, memory_order_release);
    atomic_fetch_add_explicit(&rx.received, 1, memory_order_release);
}

static void stamp(uint8_t *payload, uint32_t seq)
{
    put_u32(payload, BENCH_MAGIC);
    put_u32(payload + 4, seq);
}

/* A payload that is neither all zeros nor trivially compressible. */
static uint8_t *make_payload(size_t size)
{
    uint8_t *p = malloc(size);
    if (p == NULL)
        return NULL;
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < size; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)x;
    }
    return p;
}

typedef bool (*cond_fn)(uint64_t arg);

static bool seq_arrived(uint64_t seq)
{
    return atomic_load_explicit(&rx.last_seq, memory_order_acquire) == (uint32_t)seq + 1u;
}

static bool count_reached(uint64_t count)
{
    return atomic_load_explicit(&rx.received, memory_order_acquire) >= count;
}

/* Polls the library until @p done holds or the run's timeout passes. */
static int wait_until(const bench_opts *o, const bench_client *c, cond_fn done,
                      uint64_t arg)
{
    uint64_t deadline = bench_now_ns() + (uint64_t)o->timeout_ms * 1000000u;
    while (!done(arg)) {
        uint64_t now = bench_now_ns();
        if (now >= deadline) {
            bench_log("timed out after %u ms waiting for the broker", o->timeout_ms);
            return -1;
        }
        unsigned left_ms = (unsigned)((deadline - now + 999999u) / 1000000u);
        if (c->poll(c->ctx, left_ms) != 0) {
            bench_log("connection lost: %s", c->error(c->ctx));
            return -1;
        }
    }
    return 0;
}

/* --- statistics and output ------------------------------------------- */

typedef struct stats {
    double median, p99, mean, min, max;
} stats;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts @p v in place. p99 is the nearest-rank percentile. */
static stats summarize(double *v, size_t n)
{
    stats s = { 0, 0, 0, 0, 0 };
    if (n == 0)
        return s;
    qsort(v, n, sizeof *v, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    s.mean = sum / (double)n;
    s.min = v[0];
    s.max = v[n - 1];
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    size_t rank = (size_t)((99 * n + 99) / 100); /* ceil(0.99 n) */
    s.p99 = v[rank - 1];
    return s;
}

static const char *tls_name(bench_tls t)
{
    static const char *const names[] = { "none", "oneway", "twoway" };
    return names[t];
}

static void print_header(void)
{
    printf("lib,backend,tls,qos,size,metric,round,count,median,p99,mean,min,max,"
           "unit,sent,received\n");
}

/* Appends raw samples (before summarize() sorts them) to --samples. */
static void save_samples(const bench_opts *o, const char *metric, const double *v,
                         size_t n)
{
    if (o->samples == NULL)
        return;
    FILE *f = fopen(o->samples, "a");
    if (f == NULL) {
        bench_log("cannot append to %s", o->samples);
        return;
    }
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s,%s,%s,%d,%zu,%s,%u,%.3f\n", o->lib, o->backend,
                tls_name(o->tls), o->qos, o->size, metric, o->round, v[i]);
    fclose(f);
}

static void report(const bench_opts *o, const char *metric, const char *unit,
                   double *v, size_t n, uint64_t sent, uint64_t received)
{
    save_samples(o, metric, v, n);
    stats s = summarize(v, n);
    printf("%s,%s,%s,%d,%zu,%s,%u,%zu,%.3f,%.3f,%.3f,%.3f,%.3f,%s,%llu,%llu\n",
           o->lib, o->backend, tls_name(o->tls), o->qos, o->size, metric,
           o->round, n, s.median, s.p99, s.mean, s.min, s.max, unit,
           (unsigned long long)sent, (unsigned long long)received);
    fflush(stdout);
}

/* --- the three measurements ------------------------------------------ */

static int run_rw(const bench_opts *o, const bench_client *c, const char *topic,
                  uint8_t *payload, uint32_t *seq)
{
    size_t n = o->cycles;
    double *wr = calloc(n, sizeof *wr), *rd = calloc(n, sizeof *rd);
    if (wr == NULL || rd == NULL) {
        free(wr);
        free(rd);
        bench_log("out of memory");
        return -1;
    }
    uint64_t base = atomic_load(&rx.received);
    uint64_t sent = 0;
    int rc = 0;
    for (unsigned i = 0; i < o->warmup + o->cycles; i++) {
        uint32_t s = (*seq)++;
        stamp(payload, s);
        uint64_t t0 = bench_now_ns();
        if (c->publish(c->ctx, topic, payload, o->size, o->qos) != 0) {
            bench_log("publish: %s", c->error(c->ctx));
            rc = -1;
            break;
        }
        uint64_t t1 = bench_now_ns();
        sent++;
        if (wait_until(o, c, seq_arrived, s) != 0) {
            rc = -1;
            break;
        }
        uint64_t t2 = atomic_load_explicit(&rx.last_ns, memory_order_relaxed);
        if (i >= o->warmup) {
            wr[i - o->warmup] = (double)(t1 - t0) / 1e3;
            rd[i - o->warmup] = (double)(t2 - t0) / 1e3;
        }
    }
    uint64_t got = atomic_load(&rx.received) - base;
    if (rc == 0) {
        report(o, "write", "us", wr, n, sent, got);
        report(o, "read", "us", rd, n, sent, got);
    }
    free(wr);
    free(rd);
    return rc;
}

/* One burst of @p count QoS 0 messages; returns messages/s or -1. */
static double burst(const bench_opts *o, const bench_client *c, const char *topic,
                    uint8_t *payload, uint32_t *seq, unsigned count, uint64_t *got)
{
    uint64_t base = atomic_load(&rx.received);
    uint64_t t0 = bench_now_ns();
    for (unsigned i = 0; i < count; i++) {
        stamp(payload, (*seq)++);
        if (c->publish(c->ctx, topic, payload, o->size, 0) != 0) {
            bench_log("publish: %s", c->error(c->ctx));
            return -1;
        }
        /* Read what is already back, as any client must, so neither side's
         * socket buffer fills up while the other waits. */
        if (c->poll(c->ctx, 0) != 0) {
            bench_log("connection lost: %s", c->error(c->ctx));
            return -1;
        }
    }
    int rc = wait_until(o, c, count_reached, base + count);
    uint64_t t1 = bench_now_ns();
    *got = atomic_load(&rx.received) - base;
    if (rc != 0)
        return -1;
    return (double)count * 1e9 / (double)(t1 - t0);
}

static int run_throughput(const bench_opts *o, const bench_client *c, const char *topic,
                          uint8_t *payload, uint32_t *seq)
{
    uint64_t got = 0, received = 0;
    if (o->warmup > 0 && burst(o, c, topic, payload, seq, o->warmup, &got) < 0)
        return -1;
    double *rates = calloc(o->bursts, sizeof *rates);
    if (rates == NULL)
        return -1;
    for (unsigned i = 0; i < o->bursts; i++) {
        rates[i] = burst(o, c, topic, payload, seq, o->messages, &got);
        received += got;
        if (rates[i] < 0) {
            bench_log("throughput: %llu of %u messages came back",
                      (unsigned long long)got, o->messages);
            free(rates);
            return -1;
        }
    }
    report(o, "throughput", "msg/s", rates, o->bursts, (uint64_t)o->messages * o->bursts,
           received);
    free(rates);
    return 0;
}

static int run_connect(const bench_opts *o, const bench_client *c)
{
    size_t n = o->connects;
    unsigned warm = o->warmup < 5 ? o->warmup : 5;
    double *v = calloc(n, sizeof *v);
    if (v == NULL)
        return -1;
    int rc = 0;
    for (unsigned i = 0; i < warm + o->connects; i++) {
        char id[64];
        snprintf(id, sizeof id, "bench-%s-%ld-c%u", o->lib, (long)getpid(), i);
        uint64_t t0 = bench_now_ns();
        if (c->connect(c->ctx, o, id) != 0) {
            bench_log("connect: %s", c->error(c->ctx));
            rc = -1;
            break;
        }
        uint64_t t1 = bench_now_ns();
        c->disconnect(c->ctx);
        if (i >= warm)
            v[i - warm] = (double)(t1 - t0) / 1e6;
    }
    static const char *const metric[] = { "connect", "connect-fresh", "connect-resume" };
    if (rc == 0)
        report(o, metric[o->connect_kind], "ms", v, n, n, n);
    free(v);
    return rc;
}

int bench_run(const bench_opts *o, const bench_client *c)
{
    if (o->header)
        print_header();
    rx.size = o->size;
    int rc = 0;
    if ((o->modes & BENCH_MODE_CONNECT) && run_connect(o, c) != 0)
        rc = -1;
    if (rc == 0 && (o->modes & (BENCH_MODE_RW | BENCH_MODE_THROUGHPUT))) {
        char topic_buf[96], id[64];
        const char *topic = o->topic;
        if (topic == NULL) {
            snprintf(topic_buf, sizeof topic_buf, "bench/%s/%ld", o->lib, (long)getpid());
            topic = topic_buf;
        }
        snprintf(id, sizeof id, "bench-%s-%ld", o->lib, (long)getpid());
        uint8_t *payload = make_payload(o->size);
        uint32_t seq = 0;
        if (payload == NULL) {
            bench_log("out of memory for a %zu-byte payload", o->size);
            rc = -1;
        } else if (c->connect(c->ctx, o, id) != 0) {
            bench_log("connect to %s:%u: %s", o->host, o->port, c->error(c->ctx));
            rc = -1;
        } else {
            if (c->subscribe(c->ctx, topic, o->qos) != 0) {
                bench_log("subscribe: %s", c->error(c->ctx));
                rc = -1;
            }
            if (rc == 0 && (o->modes & BENCH_MODE_RW))
                rc = run_rw(o, c, topic, payload, &seq);
            if (rc == 0 && (o->modes & BENCH_MODE_THROUGHPUT))
                rc = run_throughput(o, c, topic, payload, &seq);
            c->disconnect(c->ctx);
        }
        free(payload);
    }
    uint64_t bad = atomic_load(&rx.bad);
    if (bad != 0) {
        bench_log("%llu malformed or foreign messages received", (unsigned long long)bad);
        rc = -1;
    }
    return rc == 0 ? 0 : 1;
}
