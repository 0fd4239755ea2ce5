// SPDX-License-Identifier: MIT
/* Test doubles for the MQTT client: a fake monotonic clock and a scripted
 * in-memory transport. The transport delivers a queue of byte chunks, each
 * readable from a given fake time on, and captures everything the client
 * sends. Waiting is simulated: a recv() that has nothing to deliver yet
 * moves the fake clock forward (to the next chunk's time, or by the whole
 * timeout), so timer behaviour is exact and tests run instantly. */
#ifndef BRISA_TEST_MQTT_FAKES_H
#define BRISA_TEST_MQTT_FAKES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/clock.h"
#include "brisa/transport.h"

typedef struct fake_clock {
    uint64_t now;
} fake_clock;

/** A clock interface reading @p fc (wall time: unknown). */
brisa_clock fake_clock_iface(fake_clock *fc);

typedef struct fake_chunk {
    uint64_t at;     /* readable from this fake time on */
    uint8_t *data;
    size_t len, off;
    int err;         /* when non-zero, recv() returns it instead */
} fake_chunk;

typedef struct fake_send {
    uint64_t at;
    size_t off, len;
    unsigned flags;
    const uint8_t *ptr;    /* the caller's buffer (proves zero copy) */
} fake_send;

typedef struct fake_transport {
    fake_clock *clock;
    fake_chunk *chunks;
    size_t nchunks, cap_chunks, cur;
    size_t max_read;       /* partial reads: at most this per recv (0: any) */
    size_t max_write;      /* partial writes: at most this per send (0: any) */
    size_t fail_send_call; /* this send call (1-based) fails... */
    int fail_send_err;     /* ...with this error */
    bool eof_when_empty;   /* recv() gives BRISA_ERR_CLOSED once drained */
    uint8_t *out;          /* everything sent, in order */
    size_t out_len, out_cap;
    fake_send *sends;
    size_t nsends, cap_sends;
    size_t recv_calls;
    uint32_t max_recv_timeout; /* the longest wait any recv() was given */
    int close_calls;
    bool closed;
} fake_transport;

void fake_transport_init(fake_transport *t, fake_clock *clk);
void fake_transport_free(fake_transport *t);
brisa_transport fake_transport_iface(fake_transport *t);

/** Queues @p len bytes readable from fake time @p at. */
void fake_feed(fake_transport *t, uint64_t at, const void *data, size_t len);
/** Queues an error that recv() returns at fake time @p at. */
void fake_feed_err(fake_transport *t, uint64_t at, int err);
/** Bytes queued but not read yet. */
size_t fake_unread(const fake_transport *t);

/** One packet of the captured output. */
typedef struct fake_pkt {
    uint8_t type;
    uint8_t flags;
    const uint8_t *bytes;  /* whole packet, into t->out */
    size_t len;
    uint64_t at;           /* fake time of the send that began it */
} fake_pkt;

/** Splits the captured output into packets; returns how many (at most
 *  @p max filled). Fails the test on a malformed stream. */
size_t fake_out_packets(const fake_transport *t, fake_pkt *out, size_t max);

/** Compares the packets @p t sent from the @p first on with @p count
 *  packets given in hex; there must be no others. Returns NULL when equal,
 *  else what differs (static text). */
const char *fake_sent_mismatch(const fake_transport *t, size_t first,
                               const char *const *want, size_t count);

/** Drops the captured output (after a test has checked it). */
void fake_out_clear(fake_transport *t);

/** Parses a hex byte vector ("30 07 00 03 61"; spaces ignored) into
 *  @p out; aborts on a malformed string so a typo cannot pass silently.
 *  Returns the number of bytes. */
size_t hex(const char *s, uint8_t *out, size_t max);

/* ---- a client wired to the fakes, with logs of what it reported ------- */

#include "brisa/mqtt.h"

#define ENV_MAX_EVENTS 64
#define ENV_MAX_MSGS 512
#define ENV_MAX_TRACES 256

typedef struct env_event {
    brisa_mqtt_event e;
    uint8_t codes[16];     /* copy of e.return_codes */
    uint64_t at;
} env_event;

typedef struct env_msg {
    char topic[64];
    size_t topic_len;
    size_t offset, len, total;
    size_t payload_at;     /* where its bytes are in mqtt_env.payload */
    uint8_t qos;
    bool dup, retain;
    uint16_t packet_id;
    size_t out_len_at;     /* bytes the client had sent at delivery */
    int route;             /* 0: on_message, else the route tag */
} env_msg;

typedef struct env_trace {
    bool outgoing;
    uint8_t type;
    uint16_t packet_id;
    size_t payload_len;
    uint64_t at;
} env_trace;

typedef struct mqtt_env mqtt_env;
typedef void (*env_hook)(mqtt_env *e, const brisa_mqtt_message *m);

struct mqtt_env {
    fake_clock clk;
    fake_transport ft;
    brisa_mqtt_client c;
    brisa_mqtt_config cfg;
    uint8_t *tx, *rx;
    brisa_mqtt_inflight inflight[16];
    brisa_mqtt_route routes[8];
    env_event events[ENV_MAX_EVENTS];
    size_t nevents;
    env_msg msgs[ENV_MAX_MSGS];
    size_t nmsgs;
    uint8_t *payload;      /* every delivered payload byte, in order */
    size_t payload_len, payload_cap;
    env_trace traces[ENV_MAX_TRACES];
    size_t ntraces;
    env_hook on_msg_hook;  /* runs inside the message callback */
    int hook_result;
};

/** Sets up a client with buffers of the given sizes and @p inflight
 *  slots (at most 16); returns brisa_mqtt_init()'s result. */
int env_init(mqtt_env *e, size_t tx_size, size_t rx_size, size_t inflight);
void env_free(mqtt_env *e);
/** env_init() on the heap; NULL when init fails. */
mqtt_env *env_new(size_t tx_size, size_t rx_size, size_t inflight);
void env_delete(mqtt_env *e);
/** Compares the captured output with @p count packets given in hex, in
 *  order. Returns NULL when equal, else what differs (static text). */
const char *env_sent_mismatch(const mqtt_env *e, const char *const *want, size_t count);
/** Queues broker bytes (hex) readable from fake time @p at. */
void env_feed(mqtt_env *e, uint64_t at, const char *hexbytes);
/** Connects (CONNACK accepted, fed at the current time) and clears the
 *  captured output and logs. Returns brisa_mqtt_connect()'s result. */
int env_connect(mqtt_env *e, uint16_t keepalive_s, bool clean_session);
/** How many logged events have @p type. */
size_t env_events_of(const mqtt_env *e, int type);
/** The last logged event of @p type, or NULL. */
const env_event *env_last_event(const mqtt_env *e, int type);
/** Route callbacks that tag the message with route 1 / 2. */
void env_route1(void *user, const brisa_mqtt_message *m);
void env_route2(void *user, const brisa_mqtt_message *m);

#endif /* BRISA_TEST_MQTT_FAKES_H */
