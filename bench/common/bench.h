// SPDX-License-Identifier: MIT
/**
 * @file bench.h
 * The measurement driver shared by every benchmark program (brisa,
 * libmosquitto, Paho). Each program only wraps its library behind
 * bench_client; the options, the timed loops, the statistics and the CSV
 * output live here, so the three programs do exactly the same work and
 * print exactly the same rows.
 *
 * What is measured (all with CLOCK_MONOTONIC, warm-up cycles excluded):
 *  - write: from the publish call until it returns (QoS 0), or until the
 *    QoS 1 / QoS 2 flow has completed (PUBACK / PUBCOMP seen);
 *  - read: from the publish call until the same message has come back from
 *    the broker through the subscription (whole payload received);
 *  - throughput: M QoS 0 messages published back-to-back, until all have
 *    come back, in messages per second (several bursts per run);
 *  - connect: TCP connect + TLS handshake + CONNECT/CONNACK, K times.
 */
#ifndef BRISA_BENCH_H
#define BRISA_BENCH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Which TLS listener of the broker a run talks to. */
typedef enum bench_tls {
    BENCH_TLS_NONE = 0,   /**< plain TCP */
    BENCH_TLS_ONEWAY = 1, /**< the client checks the broker's certificate */
    BENCH_TLS_TWOWAY = 2  /**< ...and presents its own */
} bench_tls;

/** What a run measures; a run may do several (bit set). */
#define BENCH_MODE_RW 0x1u
#define BENCH_MODE_THROUGHPUT 0x2u
#define BENCH_MODE_CONNECT 0x4u

/** How the connect measurement treats TLS state between connects. */
typedef enum bench_connect_kind {
    BENCH_CONNECT_REUSE = 0,  /**< one TLS context, full handshake each time */
    BENCH_CONNECT_FRESH = 1,  /**< a new context (credentials loaded) each time */
    BENCH_CONNECT_RESUME = 2  /**< one context, the session resumed */
} bench_connect_kind;

/** Options shared by every benchmark program (same flags everywhere). */
typedef struct bench_opts {
    const char *lib;        /**< label in the output ("brisa", ...) */
    const char *backend;    /**< TLS backend label ("openssl", "mbedtls") */
    const char *host;
    uint16_t port;
    bench_tls tls;
    const char *cafile;     /**< trust anchor for the broker's chain */
    const char *certfile;   /**< client chain, two-way TLS */
    const char *keyfile;    /**< client key, two-way TLS */
    const char *topic;      /**< NULL: bench/<lib>/<pid> */
    int qos;
    size_t size;            /**< payload bytes (>= BENCH_HEADER_LEN) */
    unsigned cycles;        /**< timed write/read cycles */
    unsigned warmup;        /**< untimed cycles before them */
    unsigned messages;      /**< throughput: messages per burst */
    unsigned bursts;        /**< throughput: timed bursts per run */
    unsigned connects;      /**< connect: timed connects */
    unsigned modes;         /**< BENCH_MODE_* */
    unsigned timeout_ms;    /**< longest wait for any one event */
    unsigned round;         /**< label: which round of the runner */
    const char *samples;    /**< append raw samples here (NULL: none) */
    bool threaded;          /**< --model thread: the library's own network
                                 thread calls back (else: --model loop) */
    bool header;            /**< print the CSV header first */
    size_t rxbuf, txbuf;    /**< brisa's buffer sizes (0: its default);
                                 the other libraries size their own */
    bench_connect_kind connect_kind; /**< --connect-kind (reuse) */
} bench_opts;

/**
 * One client library behind a common face. Every function returns 0 on
 * success or -1 on failure (with the reason available from error()).
 * Incoming messages are reported with bench_message() from wherever the
 * library delivers them.
 */
typedef struct bench_client {
    void *ctx;
    /** Connects (TCP, TLS per the options, CONNECT) and returns only once
     *  CONNACK has accepted the session. */
    int (*connect)(void *ctx, const bench_opts *o, const char *client_id);
    /** Subscribes to @p topic and returns once SUBACK has granted it. */
    int (*subscribe)(void *ctx, const char *topic, int qos);
    /** Publishes; returns when the library has written a QoS 0 message,
     *  or when the QoS 1/2 flow has completed. */
    int (*publish)(void *ctx, const char *topic, const uint8_t *payload,
                   size_t len, int qos);
    /** Lets the library handle whatever has arrived, waiting up to
     *  @p timeout_ms for something to; 0 means do not wait. */
    int (*poll)(void *ctx, unsigned timeout_ms);
    /** Sends DISCONNECT and closes the connection. */
    void (*disconnect)(void *ctx);
    /** The last failure, in words. */
    const char *(*error)(void *ctx);
} bench_client;

/** Bytes at the start of every payload that identify it (magic + seq). */
#define BENCH_HEADER_LEN 8

/**
 * Parses the command line into @p o (defaults first). @p lib labels the
 * calling program, @p backend is its default TLS backend and @p threaded
 * its default model (the library's usual one). Prints usage and exits on
 * --help or bad input.
 */
void bench_parse(bench_opts *o, const char *lib, const char *backend, bool threaded,
                 int argc, char **argv);

/** Reports one incoming message. @p head holds the first @p head_len bytes
 *  of the payload (at least BENCH_HEADER_LEN, or the whole payload when
 *  shorter); @p total is the full payload length. Thread-safe against the
 *  measuring thread. */
void bench_message(const uint8_t *head, size_t head_len, size_t total);

/** Runs every mode asked for in @p o against @p c, printing one CSV row
 *  per result on stdout. Returns the process exit status (0 or 1). */
int bench_run(const bench_opts *o, const bench_client *c);

/**
 * A wake-up for wrappers whose library calls back on its own thread: the
 * callbacks bump() under the lock, the measuring thread waits for a bump
 * it has not seen yet. In single-threaded use it is just a lock.
 */
typedef struct bench_events {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    unsigned long events;
    unsigned long seen;
} bench_events;

/** Initialises @p e (monotonic condition clock). */
void bench_events_init(bench_events *e);

/** Records one event and wakes the waiter; call with e->lock held. */
void bench_events_bump(bench_events *e);

/** Waits up to @p timeout_ms for an event not yet seen (returns at once
 *  if one already happened); call without the lock. */
void bench_events_wait(bench_events *e, unsigned timeout_ms);

/** Nanoseconds of CLOCK_MONOTONIC. */
uint64_t bench_now_ns(void);

/** Prints "bench_<lib>: <message>" to stderr. */
void bench_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* BRISA_BENCH_H */
