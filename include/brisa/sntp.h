// SPDX-License-Identifier: MIT
/**
 * @file sntp.h
 * SNTP client (RFC 4330; client mode of RFC 5905).
 *
 * Three freestanding parts:
 *  - the codec (src/net/sntp_codec.c): the 48-byte packet, NTP timestamps,
 *    the validation rules a reply must pass, the offset/delay formula;
 *  - the client (src/net/sntp.c): sends requests whose transmit timestamp
 *    is a random nonce (never the real time, which would both leak it and
 *    make replies forgeable), takes several samples, keeps the one with the
 *    lowest round-trip delay, honours kiss-o'-death codes, and sets a
 *    brisa_softclock -- never the machine's clock;
 *  - calendar helpers (src/net/sntp_time.c) to show the result as local
 *    time with a fixed GMT offset.
 */
#ifndef BRISA_SNTP_H
#define BRISA_SNTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/err.h"
#include "brisa/export.h"
#include "brisa/config.h"
#include "brisa/clock.h"
#include "brisa/datagram.h"
#include "brisa/ip.h"
#include "brisa/rng.h"

BRISA_BEGIN_DECLS

#define BRISA_SNTP_PORT 123        /**< UDP port of NTP servers */
#define BRISA_SNTP_PACKET_LEN 48   /**< bytes of a packet without extensions */
/** Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01). */
#define BRISA_NTP_UNIX_OFFSET 2208988800u

/** An NTP timestamp: seconds since 1900 (modulo 2^32, so eras wrap every
 *  136 years) in the high 32 bits, fraction of a second in the low 32. */
typedef uint64_t brisa_ntp_time;

/** Association modes (RFC 5905 figure 10). */
typedef enum brisa_sntp_mode {
    BRISA_SNTP_MODE_CLIENT = 3,
    BRISA_SNTP_MODE_SERVER = 4,
    BRISA_SNTP_MODE_BROADCAST = 5
} brisa_sntp_mode;

/** Leap indicator 3: the server's clock is not synchronised. */
#define BRISA_SNTP_LEAP_ALARM 3

/** The fixed part of an NTP packet (RFC 4330 section 4). */
typedef struct brisa_sntp_packet {
    uint8_t leap;              /**< 0..3 */
    uint8_t version;           /**< 0..7 */
    uint8_t mode;              /**< brisa_sntp_mode */
    uint8_t stratum;           /**< 0: kiss-o'-death; 1..15; 16: unsynchronised */
    int8_t poll;               /**< log2 seconds */
    int8_t precision;          /**< log2 seconds */
    uint32_t root_delay;       /**< 16.16 seconds */
    uint32_t root_dispersion;  /**< 16.16 seconds */
    uint8_t ref_id[4];         /**< for stratum 0: the kiss code, ASCII */
    brisa_ntp_time ref_ts;      /**< when the server's clock was last set */
    brisa_ntp_time origin_ts;   /**< a reply: the request's transmit_ts (our nonce) */
    brisa_ntp_time receive_ts;  /**< when the server received the request */
    brisa_ntp_time transmit_ts; /**< when the packet left its sender */
} brisa_sntp_packet;

/** Why a reply was not used. */
typedef enum brisa_sntp_verdict {
    BRISA_SNTP_VALID = 0,
    BRISA_SNTP_SHORT,          /**< fewer than 48 bytes */
    BRISA_SNTP_BAD_MODE,       /**< not mode 4 (server) */
    BRISA_SNTP_BAD_VERSION,    /**< version not 1..4 */
    BRISA_SNTP_BAD_ORIGIN,     /**< origin is not our transmit timestamp */
    BRISA_SNTP_KISS,           /**< stratum 0: kiss-o'-death */
    BRISA_SNTP_UNSYNCHRONISED, /**< leap indicator 3 */
    BRISA_SNTP_BAD_STRATUM,    /**< stratum above 15 */
    BRISA_SNTP_ZERO_TRANSMIT,  /**< transmit timestamp is zero */
    BRISA_SNTP_WRONG_SOURCE    /**< not from the server asked */
} brisa_sntp_verdict;

/** English description of a verdict ("origin timestamp does not match
 *  the request"); never NULL. */
const char *brisa_sntp_verdict_str(int verdict);

/** Serialises @p p into @p buf (48 bytes). Returns 48 or BRISA_ERR_NO_SPACE. */
int brisa_sntp_encode(const brisa_sntp_packet *p, uint8_t *buf, size_t cap);

/** Decodes the first 48 bytes of @p buf (extension fields and MAC after
 *  them are ignored). Returns BRISA_OK or BRISA_ERR_MALFORMED if shorter. */
brisa_err brisa_sntp_decode(const uint8_t *buf, size_t len, brisa_sntp_packet *p);

/** Builds a client request (version 4, mode 3) whose transmit timestamp is
 *  @p nonce and every other field zero. Returns 48 or BRISA_ERR_NO_SPACE. */
int brisa_sntp_request_build(brisa_ntp_time nonce, uint8_t *buf, size_t cap);

/**
 * Decodes and validates the reply @p buf to the request that carried
 * @p nonce. Fills @p out (when the length allows) and @p verdict.
 * Returns BRISA_OK for a usable reply; BRISA_ERR_NTP_KOD for a kiss-o'-
 * death that echoes our nonce (the code is in out->ref_id);
 * BRISA_ERR_NTP_REJECTED otherwise, with the reason in @p verdict.
 * The origin is checked before the kiss code, so a forged KoD is just a
 * rejected reply.
 */
brisa_err brisa_sntp_reply_check(const uint8_t *buf, size_t len, brisa_ntp_time nonce,
                                 brisa_sntp_packet *out, brisa_sntp_verdict *verdict);

/** What a kiss code asks of the client. */
typedef enum brisa_sntp_kiss {
    BRISA_SNTP_KISS_OTHER = 0, /**< informational: treat as no reply */
    BRISA_SNTP_KISS_DENY,      /**< "DENY" or "RSTR": never ask this server again */
    BRISA_SNTP_KISS_RATE       /**< "RATE": ask less often */
} brisa_sntp_kiss;

/** Classifies the four-letter kiss code @p code. */
brisa_sntp_kiss brisa_sntp_kiss_classify(const uint8_t code[4]);

/** The NTP timestamp of @p unix_ms (era wrapped modulo 2^32 seconds). */
brisa_ntp_time brisa_ntp_from_unix_ms(int64_t unix_ms);

/** Unix nanoseconds of @p t, placing it in 1968..2104 by the rule of
 *  RFC 4330 section 3 (seconds below 2^31 belong to the era after 2036). */
int64_t brisa_ntp_to_unix_ns(brisa_ntp_time t);

/** @p a - @p b in nanoseconds, correct across an era boundary as long as
 *  the two are within 68 years of each other. */
int64_t brisa_ntp_diff_ns(brisa_ntp_time a, brisa_ntp_time b);

/** The clock offset ((T2 - T1) + (T3 - T4)) / 2 and round-trip delay
 *  (T4 - T1) - (T3 - T2) of RFC 5905 / RFC 4330 section 5, in ns.
 *  T1: request sent (our clock), T2: received (server), T3: reply sent
 *  (server), T4: reply received (our clock). */
void brisa_sntp_offset_delay(brisa_ntp_time t1, brisa_ntp_time t2, brisa_ntp_time t3,
                             brisa_ntp_time t4, int64_t *offset_ns, int64_t *delay_ns);

/* ---- client -------------------------------------------------------------- */

/** A server and what it told us about itself; the client updates it. */
typedef struct brisa_sntp_server {
    brisa_ip_addr addr;       /**< its address */
    uint16_t port;            /**< 0 means 123 */
    bool denied;              /**< sent DENY/RSTR: skipped from now on */
    uint64_t hold_until_ms;   /**< sent RATE: skipped until then (monotonic) */
} brisa_sntp_server;

/**
 * Optional finer timestamps for T1, T4 and the offset. brisa_clock ticks
 * in milliseconds, which hides a LAN's round trip entirely; a port with a
 * microsecond timer (CLOCK_MONOTONIC, a Cortex-M DWT counter) plugs it in
 * here so that delays can be told apart and the best sample chosen.
 */
typedef struct brisa_sntp_fine_clock {
    void *ctx;  /**< passed to both functions; must outlive the client */
    /** Nanoseconds from any fixed origin, never going backwards;
     *  NULL: the config's clock, in whole milliseconds. */
    uint64_t (*monotonic_ns)(void *ctx);
    /** Unix nanoseconds, false when unknown; NULL: clock.wall_ms. */
    bool (*wall_ns)(void *ctx, int64_t *unix_ns);
} brisa_sntp_fine_clock;

/** Client settings: copied by brisa_sntp_init(); what they point to stays
 *  the caller's and must outlive the client. */
typedef struct brisa_sntp_config {
    brisa_sntp_server *servers;  /**< tried in order; caller's, updated */
    size_t server_count;         /**< entries at servers */
    brisa_datagram_opener udp;   /**< one endpoint per server asked */
    brisa_clock clock;           /**< monotonic for timing; wall_ms, when
                                      known, is what the offset is against */
    brisa_sntp_fine_clock fine;  /**< optional; zeroed: use clock */
    brisa_rng rng;               /**< the transmit-timestamp nonces */
    brisa_softclock *softclock;  /**< set from the best sample; may be NULL */
    uint32_t timeout_ms;         /**< wait per request; 0: 1000 */
    uint8_t attempts;            /**< requests per sample before giving up; 0: 3 */
    uint8_t samples;             /**< good replies wanted per sync; 0: 4 */
    uint32_t interval_ms;        /**< pause between samples; 0: none */
    uint32_t rate_hold_ms;       /**< how long RATE silences a server; 0: 64 s */
} brisa_sntp_config;

/** The outcome of a synchronisation: the best sample. */
typedef struct brisa_sntp_result {
    int64_t unix_ms;          /**< corrected time at monotonic at_mono_ms */
    uint64_t at_mono_ms;      /**< the monotonic time unix_ms belongs to */
    int64_t offset_ns;        /**< corrected - our wall clock, if that was known */
    bool offset_known;        /**< our wall clock was known: offset_ns is valid */
    int64_t delay_ns;         /**< round trip, server time excluded, >= 0 */
    uint8_t stratum;          /**< the server's stratum (1..15) */
    uint8_t leap;             /**< leap indicator (3: unsynchronised) */
    int8_t precision;         /**< the server's precision, log2 seconds */
    uint8_t ref_id[4];        /**< server's reference (or last kiss code) */
    size_t server;            /**< index of the server used (or last asked) */
    uint8_t samples;          /**< good replies taken */
    unsigned requests;        /**< requests sent */
    unsigned ignored;         /**< datagrams rejected or from strangers */
    uint8_t last_reject;      /**< brisa_sntp_verdict of the last rejected reply */
    uint8_t kiss[4];          /**< code of the last kiss-o'-death, or zeros */
} brisa_sntp_result;

/** The client. Caller-allocated; fields are private. */
typedef struct brisa_sntp_client {
    /** @cond PRIVATE */
    brisa_sntp_config cfg;
    brisa_sntp_result *res;
    brisa_datagram sock;
    bool sock_open;
    bool busy;
    bool pausing;             /**< between two samples */
    bool rejected;            /**< this server sent a reply we rejected */
    size_t server;
    uint8_t attempt;          /**< requests sent for the current sample */
    brisa_ntp_time nonce;
    uint64_t t1_ms;           /**< monotonic send time of the request */
    uint64_t t1_ns;           /**< the same, from the fine clock if any */
    uint64_t deadline_ms;     /**< of the request, or of the pause */
    int64_t best_delay_ns;
    int last_err;
    /** @endcond */
} brisa_sntp_client;

/** Prepares @p c from @p cfg (copied; the server array is referenced and
 *  updated). Returns BRISA_OK or BRISA_ERR_INVALID_ARG. */
brisa_err brisa_sntp_init(brisa_sntp_client *c, const brisa_sntp_config *cfg);

/** Starts a synchronisation into @p res (which must stay valid until it
 *  ends). Returns BRISA_ERR_WOULD_BLOCK (call brisa_sntp_poll),
 *  BRISA_ERR_NTP_KOD when every server has been silenced by a kiss-o'-
 *  death, BRISA_ERR_BUSY, or the error of opening an endpoint. */
brisa_err brisa_sntp_start(brisa_sntp_client *c, brisa_sntp_result *res);

/**
 * Advances the synchronisation, waiting at most @p wait_ms. Returns
 * BRISA_ERR_WOULD_BLOCK while it goes on; BRISA_OK when at least one
 * sample was taken (res filled, the softclock set); otherwise the failure
 * of the last server tried: BRISA_ERR_TIMEOUT (no reply),
 * BRISA_ERR_NTP_REJECTED (replies came but failed validation; see
 * res->last_reject) or BRISA_ERR_NTP_KOD (see res->kiss). A reply that
 * fails validation, or comes from elsewhere, is ignored: the request goes
 * on waiting for a valid one until its timeout. A kiss-o'-death (which
 * must echo our nonce) DENY or RSTR marks the server denied, RATE holds it
 * for rate_hold_ms; either way the next server is asked.
 */
brisa_err brisa_sntp_poll(brisa_sntp_client *c, uint32_t wait_ms);

/** Blocking synchronisation: start, then poll until done. Returns as
 *  brisa_sntp_poll() does when done: never BRISA_ERR_WOULD_BLOCK. */
brisa_err brisa_sntp_sync(brisa_sntp_client *c, brisa_sntp_result *res);

/** Abandons the synchronisation in progress, if any. */
void brisa_sntp_cancel(brisa_sntp_client *c);

/** Sets @p sc to the time @p res measured, carried forward to now by
 *  @p sc's monotonic clock (the same one the client was given). */
void brisa_sntp_apply(const brisa_sntp_result *res, brisa_softclock *sc);

/* ---- calendar ------------------------------------------------------------ */

/** A broken-down UTC (or offset) time. */
typedef struct brisa_civil_time {
    int32_t year;    /**< e.g. 2026 */
    uint8_t month;   /**< 1..12 */
    uint8_t day;     /**< 1..31 */
    uint8_t hour;    /**< 0..23 */
    uint8_t minute;  /**< 0..59 */
    uint8_t second;  /**< 0..59 */
    uint8_t weekday; /**< 0 = Sunday */
    uint16_t ms;     /**< 0..999 */
} brisa_civil_time;

/** Breaks @p unix_ms down into the proleptic Gregorian calendar (any
 *  int64 millisecond count; before 1970 too). */
void brisa_sntp_civil_from_unix_ms(int64_t unix_ms, brisa_civil_time *out);

/**
 * Formats @p unix_ms shifted by @p gmt_offset_min minutes as
 * "2026-11-23 15:04:05 GMT+1" ("GMT" for zero, "GMT+5:30",
 * "GMT-3"). Returns the length, or BRISA_ERR_NO_SPACE (48 bytes always
 * suffice), or BRISA_ERR_INVALID_ARG for an offset beyond +-24 h.
 */
int brisa_sntp_format_time(int64_t unix_ms, int gmt_offset_min, char *buf, size_t cap);

BRISA_END_DECLS

#endif /* BRISA_SNTP_H */
