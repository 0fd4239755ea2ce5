// SPDX-License-Identifier: MIT
/* Private to src/tls: the connection object, the backend interface and the
 * helpers both backends share (inner-transport I/O with deadlines, error
 * wording, key log and debug sinks). Unit tests include it too. */
#ifndef BRISA_TLS_INTERNAL_H
#define BRISA_TLS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "brisa/export.h"
#include "brisa/tls.h"

/* A backend step that must be retried: the inner transport had nothing (or
 * no room) before the deadline. Never returned to callers. */
#define TLSI_AGAIN (-1000)

/* Sends flagged BRISA_SEND_MORE are gathered up to this many bytes so an
 * MQTT header and its payload leave in one record. */
#define TLSI_TX_HOLD BRISA_TLS_TX_HOLD

/* Broken-down UTC time. */
typedef struct bri_tls_tm {
    int year, mon, day, hour, min, sec; /* mon 1..12 */
} bri_tls_tm;

/* What a failed certificate check knows about the certificate, for the
 * one-line message. Any string may be NULL. */
typedef struct bri_tls_cert_facts {
    const char *subject;   /* "CN=broker" */
    const char *issuer;
    const char *names;     /* "DNS:broker.lan, IP:127.0.0.1" */
    const char *serial;    /* hex */
    const char *reason;    /* the library's words, for other failures */
    bri_tls_tm not_before, not_after;
} bri_tls_cert_facts;

struct brisa_tls;

/* One backend. Steps return >= 0 when done, TLSI_AGAIN to be called again
 * (after the inner transport waited), or a negative brisa_err with the
 * detail already set. */
typedef struct bri_tls_ops {
    int (*setup)(struct brisa_tls *t, const brisa_tls_config *cfg);
    int (*begin)(struct brisa_tls *t);           /* new session on t->inner */
    int (*handshake)(struct brisa_tls *t);
    int (*read)(struct brisa_tls *t, uint8_t *buf, size_t len);
    int (*write)(struct brisa_tls *t, const uint8_t *buf, size_t len);
    int (*shutdown)(struct brisa_tls *t);        /* close_notify */
    size_t (*pending)(const struct brisa_tls *t);
    void (*destroy)(struct brisa_tls *t);        /* frees t->be */
} bri_tls_ops;

struct brisa_tls {
    const bri_tls_ops *ops;
    void *be;                      /* backend state */
    bool configured;

    /* policy kept from the configuration */
    char *server_name;             /* owned copy; NULL if none */
    bool server_is_ip;
    bool insecure;
    bool skip_time_check;
    bool resume;                   /* offer the last session on reconnect */
    brisa_tls_version version;
    uint32_t handshake_timeout_ms;
    uint32_t close_timeout_ms;
    brisa_clock clock;
    brisa_rng rng;
    bool has_rng;
    bool have_client_cert;
    int debug_level;
    brisa_tls_log_cb debug_cb;
    void *debug_user;
    FILE *keylog;
    brisa_tls_keylog_cb keylog_cb;
    void *keylog_user;

    /* the current connection */
    brisa_transport inner;
    bool open;                     /* inner transport not yet closed */
    bool established;
    bool resumed;                  /* this connection resumed a session */
    bool broken;                   /* a send failed mid-record */
    uint64_t deadline;             /* monotonic ms bounding inner waits */
    int inner_err;                 /* last error of the inner transport */
    size_t rx_total;               /* bytes received in this connection */
    uint8_t rx_head[5];            /* the first bytes the peer sent */
    int64_t verify_ms;             /* wall time certificates are checked at */
    uint8_t hold[TLSI_TX_HOLD];
    size_t hold_len;
    size_t inflight;               /* hold bytes a begun write covers */

    /* ALPN offered: each name NUL-terminated in alpn_names, listed in
     * alpn_list (NULL-terminated, for mbedTLS) and in wire form (OpenSSL) */
    char alpn_names[256];
    const char *alpn_list[9];
    uint8_t alpn_wire[256];
    size_t alpn_wire_len;
    brisa_tls_ocsp ocsp;

    char version_str[16];
    char cipher_str[64];
    char alpn[64];                 /* chosen by the server */
    const char *ocsp_status;       /* "good", "none" or "" */
    char err[384];
};
typedef struct brisa_tls brisa_tls;

/* Defined by the backend libraries; tls.c refers to them weakly. Visible
 * from a shared library (private prefix, not in the public API): a program
 * linking both engines' libraries reaches the second engine through them. */
BRISA_VISIBILITY_PUSH
extern const bri_tls_ops bri_tls_mbedtls_ops;
extern const bri_tls_ops bri_tls_openssl_ops;
BRISA_VISIBILITY_POP

/* --- tls.c: shared by the backends --- */

/* Reads from / writes to the inner transport, waiting no later than
 * t->deadline. Return bytes moved (> 0), TLSI_AGAIN when nothing moved in
 * the time left, or a negative brisa_err (also kept in t->inner_err). */
int bri_tls_inner_recv(brisa_tls *t, uint8_t *buf, size_t len);
int bri_tls_inner_send(brisa_tls *t, const uint8_t *buf, size_t len);

/* Sets the one-line error detail (printf-style). Returns @p err. */
int bri_tls_fail(brisa_tls *t, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Words a failed certificate check the same way for both backends. */
int bri_tls_cert_fail(brisa_tls *t, int err, const bri_tls_cert_facts *f);

/* A fatal alert from the peer: NO_CLIENT_CERT when it is the answer to our
 * missing certificate, PEER_ALERT otherwise; sets the detail. */
int bri_tls_alert_fail(brisa_tls *t, int alert, bool cert_requested);

/* A server that refuses us (TLS 1.2) sends its alert and closes at once,
 * so our next write fails (EPIPE) with the alert still unread. Reads what
 * is already there, without waiting, and returns the description of a
 * plaintext alert record in it, or -1. */
int bri_tls_unread_alert(brisa_tls *t);

/* If the peer's behaviour shows it does not speak TLS (closed without a
 * word, or answered with something that is not a TLS record), sets the
 * detail and returns BRISA_ERR_TLS_NOT_TLS; otherwise 0. */
int bri_tls_check_not_tls(brisa_tls *t);

/* The connection failed under TLS (peer hung up, transport error): names
 * the likeliest cause -- not a TLS server, an alert still unread, or the
 * transport's own error -- and records it. Returns the error. */
int bri_tls_transport_lost(brisa_tls *t, bool handshake, bool cert_requested);

/* Debug output at @p level (printf-style); nothing if above the level. */
void bri_tls_log(brisa_tls *t, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Hands one key log line to the file and the callback. */
void bri_tls_keylog(brisa_tls *t, const char *line);

/* Reads a whole file into a fresh NUL-terminated buffer. On failure sets
 * the detail ("<what> <path>: <reason>") and returns
 * BRISA_ERR_TLS_CREDENTIALS. */
int bri_tls_read_file(brisa_tls *t, const char *what, const char *path,
                         uint8_t **data, size_t *len);

/* --- util.c: pure helpers --- */

/* Name of a TLS alert description ("unknown_ca"); never NULL. */
const char *bri_tls_alert_name(int alert);

/* UTC broken-down time of a Unix time in seconds. */
bri_tls_tm bri_tls_gmtime(int64_t unix_s);

/* <0, 0, >0 as a is before, equal to, after b. */
int bri_tls_tm_cmp(const bri_tls_tm *a, const bri_tls_tm *b);

/* "2025-01-01 00:00:00 UTC" into buf (at least 24 bytes). */
void bri_tls_tm_format(const bri_tls_tm *tm, char *buf, size_t cap);

/* Host-name match of a certificate DNS name (with a leftmost "*" label
 * standing for exactly one label) against @p host, ignoring case. */
bool bri_tls_dns_match(const char *pattern, size_t plen, const char *host);

/* True if the data looks like PEM text. */
bool bri_tls_is_pem(const uint8_t *data, size_t len);

/* Appends to a ", "-separated list in buf (truncating quietly). */
void bri_tls_list_add(char *buf, size_t cap, const char *prefix,
                         const char *item, size_t item_len);

/* Copies @p src, replacing anything not printable ASCII (names come from
 * the peer). */
void bri_tls_printable(char *dst, size_t cap, const uint8_t *src, size_t len);

/* Appends "DNS:<name>" or "IP:<address>" (raw 4 or 16 bytes) to a list. */
void bri_tls_list_san(char *buf, size_t cap, bool is_ip, const uint8_t *p, size_t len);

/* Name of a handshake message type ("ClientHello"); never NULL. */
const char *bri_tls_hs_name(int type);

#endif /* BRISA_TLS_INTERNAL_H */
