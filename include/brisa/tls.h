// SPDX-License-Identifier: MIT
/**
 * @file tls.h
 * TLS as a brisa_transport that wraps another brisa_transport.
 *
 * The MQTT client sees only a brisa_transport; whether TLS is underneath,
 * and which library implements it, is decided here. Two backends sit behind
 * this one header, chosen at run time in the configuration:
 *  - OpenSSL 3 (the default where it is linked in, i.e. on a PC): TLS 1.2
 *    and TLS 1.3, with the CPU's AES and carry-less multiply instructions;
 *  - mbedTLS 2.28 (the default elsewhere; the embedded choice): TLS 1.2.
 * Measured on a PC, mbedTLS takes 3-5x OpenSSL's time for a 64 KiB message
 * and 4x its connect time (docs/tls.md, "Which backend").
 * Both reach the network only through the inner transport (never a raw
 * socket), so TLS runs over TCP, over an lwIP port or over a test pipe.
 *
 * Typical use:
 *
 *     brisa_clock clock = brisa_posix_clock();
 *     brisa_tls_config cfg;
 *     brisa_tls_config_init(&cfg);
 *     cfg.server_name = "broker.lan";
 *     cfg.ca_file = "ca.crt";
 *     cfg.cert_file = "device.crt";   // two-way authentication only
 *     cfg.key_file = "device.key";
 *     cfg.clock = &clock;
 *     brisa_tls *tls = brisa_tls_new();
 *     if (brisa_tls_setup(tls, &cfg) < 0 || brisa_tls_connect(tls, &tcp) < 0)
 *         fprintf(stderr, "%s\n", brisa_tls_last_error(tls));
 *     brisa_transport t = brisa_tls_transport(tls);
 *
 * Verification is on by default: the chain must lead to a configured CA,
 * the host name must match the certificate (subjectAltName DNS or IP, else
 * the CN), no certificate may be on the CRL, and every certificate must be
 * valid at the time given by the configured clock -- the device's clock
 * (NTP), not silently the host's. The TLS layer allocates (mbedTLS and
 * OpenSSL both do); the MQTT core does not.
 *
 * Every failure returns a brisa_err naming its cause (BRISA_ERR_TLS_EXPIRED,
 * BRISA_ERR_TLS_UNKNOWN_CA, ...) and leaves one line for people in
 * brisa_tls_last_error(), e.g. "certificate has expired: CN=broker,
 * notAfter 2025-01-01 00:00:00 UTC".
 */
#ifndef BRISA_TLS_H
#define BRISA_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/export.h"
#include "brisa/config.h"
#include "brisa/clock.h"
#include "brisa/err.h"
#include "brisa/rng.h"
#include "brisa/transport.h"

BRISA_BEGIN_DECLS

/** The library that implements TLS. */
typedef enum brisa_tls_backend {
    BRISA_TLS_MBEDTLS = 0, /**< the default where OpenSSL is not linked in */
    BRISA_TLS_OPENSSL = 1  /**< the default where it is (BRISA_TLS_PREFER_OPENSSL) */
} brisa_tls_backend;

/** Protocol version to use. Versions below TLS 1.2 are never offered. */
typedef enum brisa_tls_version {
    BRISA_TLS_VERSION_ANY = 0,     /**< the best both sides have */
    BRISA_TLS_VERSION_1_2 = 0x0303,
    BRISA_TLS_VERSION_1_3 = 0x0304 /**< OpenSSL backend only */
} brisa_tls_version;

/** What to do about the server's stapled OCSP response. A staple that is
 *  present is always verified against the issuer of the server's
 *  certificate: a bad one fails with BRISA_ERR_TLS_OCSP, a "revoked" one
 *  with BRISA_ERR_TLS_REVOKED, whatever the policy. */
typedef enum brisa_tls_ocsp {
    BRISA_TLS_OCSP_OFF = 0,  /**< do not ask for a staple */
    BRISA_TLS_OCSP_PREFER,   /**< ask; go on without one */
    BRISA_TLS_OCSP_REQUIRE   /**< ask; none is BRISA_ERR_TLS_NO_STAPLE */
} brisa_tls_ocsp;

/** Encoding of a certificate or key. */
typedef enum brisa_tls_form {
    BRISA_TLS_FORM_AUTO = 0, /**< PEM if it looks like PEM, else DER */
    BRISA_TLS_FORM_PEM,
    BRISA_TLS_FORM_DER
} brisa_tls_form;

/** A certificate, key or CRL held in memory (PEM or DER); for devices
 *  that embed their credentials. PEM text need not be NUL-terminated. */
typedef struct brisa_tls_blob {
    const uint8_t *data; /**< NULL: not set */
    size_t len;          /**< bytes at data */
} brisa_tls_blob;

/** Receives one line of debug output (no trailing newline). */
typedef void (*brisa_tls_log_cb)(void *user, int level, const char *line);

/** Receives one NSS key log line (no trailing newline). */
typedef void (*brisa_tls_keylog_cb)(void *user, const char *line);

/**
 * How to set up TLS. Start from brisa_tls_config_init(). Strings and blobs
 * are read during brisa_tls_setup() only and may be freed afterwards; the
 * clock and rng contexts and the callbacks' user pointers must outlive the
 * brisa_tls.
 */
typedef struct brisa_tls_config {
    brisa_tls_backend backend; /**< TLS library (default: OpenSSL where linked in, else mbedTLS) */

    /** Name or IP literal of the server: sent as SNI (names only) and
     *  checked against its certificate. Required unless insecure. */
    const char *server_name;

    /* Whom to trust. At least one of these is required. */
    const char *ca_file;     /**< PEM (or DER) file of trusted CAs */
    const char *ca_path;     /**< directory of PEM CA files */
    brisa_tls_blob ca;       /**< trusted CAs in memory */

    /* Revocation: a revoked certificate in the chain is refused. */
    const char *crl_file;    /**< PEM or DER CRL(s) */
    brisa_tls_blob crl;      /**< CRL(s) in memory */

    /* Our own identity, for brokers that require a client certificate. The
     * certificate may be followed by its intermediate CAs. */
    const char *cert_file;   /**< our certificate, PEM or DER */
    brisa_tls_blob cert;     /**< our certificate in memory */
    const char *key_file;    /**< RSA or EC key, PEM or DER */
    brisa_tls_blob key;      /**< our key in memory */
    brisa_tls_form key_form; /**< AUTO: detected */
    const char *key_password;/**< for an encrypted key; NULL: none */

    /* Policy. */
    bool insecure;           /**< do not check the host name (the chain
                                  is still verified) */
    bool skip_time_check;    /**< do not check validity dates (a device
                                  with no time yet); else a clock without
                                  wall time fails with BRISA_ERR_CLOCK */
    bool no_session_resume;  /**< always make a full handshake; by default
                                  a reconnect on the same brisa_tls offers
                                  the previous session (ticket or id), which
                                  skips the certificate exchange and checks
                                  already made for that session */
    brisa_tls_version version; /**< protocol versions allowed */
    /** Cipher suites: an OpenSSL cipher string for OpenSSL (TLS 1.3 names
     *  "TLS_AES_..." go to the TLS 1.3 list); a list of IANA names
     *  ("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", ':' or ',' separated) for
     *  mbedTLS. NULL: the backend's secure default (ECDHE, AEAD). */
    const char *ciphers;
    /** Application protocols to offer (ALPN), most wanted first,
     *  comma-separated: "mqtt" or "x-amzn-mqtt-ca" (AWS IoT on port
     *  443). At most 8 names, 255 bytes in all. NULL: no ALPN. The one the
     *  server chose is brisa_tls_alpn(); a server that shares none refuses
     *  with BRISA_ERR_TLS_ALPN. */
    const char *alpn;
    /** OCSP stapling (OpenSSL backend; mbedTLS 2.28 cannot request or
     *  parse a staple, so anything but OFF is BRISA_ERR_UNSUPPORTED
     *  there). */
    brisa_tls_ocsp ocsp;

    /* Environment. */
    const brisa_clock *clock;      /**< required: deadlines and validity */
    const brisa_rng *rng;          /**< mbedTLS seed; NULL: the platform's */
    uint32_t handshake_timeout_ms; /**< 0: 10 000 */
    uint32_t close_timeout_ms;     /**< for close_notify; 0: 1 000 */

    /* Diagnostics. */
    int debug_level;               /**< 0 none .. 4 everything */
    brisa_tls_log_cb debug_cb;     /**< NULL: no debug output */
    void *debug_user;              /**< passed to debug_cb */
    /** Appends the session secrets in NSS key log format (for Wireshark).
     *  NULL: the SSLKEYLOGFILE environment variable, unless
     *  no_keylog_env. */
    const char *keylog_file;
    bool no_keylog_env;            /**< ignore SSLKEYLOGFILE */
    brisa_tls_keylog_cb keylog_cb; /**< also receives each key log line */
    void *keylog_user;             /**< passed to keylog_cb */
} brisa_tls_config;

/** One TLS connection (and its loaded credentials). Opaque. */
typedef struct brisa_tls brisa_tls;

/** Fills @p cfg with the defaults: OpenSSL if its backend is linked in
 *  (and BRISA_TLS_PREFER_OPENSSL, brisa/config.h), else mbedTLS; full
 *  verification, any version, default suites, 10 s handshake timeout
 *  (BRISA_TLS_HANDSHAKE_TIMEOUT_MS), no debug. */
void brisa_tls_config_init(brisa_tls_config *cfg);

/** True if @p backend was built into this library. */
bool brisa_tls_backend_available(brisa_tls_backend backend);

/** "mbedtls" or "openssl". */
const char *brisa_tls_backend_name(brisa_tls_backend backend);

/** Parses "mbedtls" / "openssl" into @p out. Returns BRISA_OK or
 *  BRISA_ERR_INVALID_ARG. */
brisa_err brisa_tls_backend_parse(const char *name, brisa_tls_backend *out);

/** Parses mosquitto's --tls-version words ("tlsv1.2", "tlsv1.3") into
 *  @p out. Returns BRISA_OK or BRISA_ERR_INVALID_ARG. */
brisa_err brisa_tls_version_parse(const char *name, brisa_tls_version *out);

/** Allocates an unconfigured connection. Returns NULL if out of memory. */
brisa_tls *brisa_tls_new(void);

/**
 * Loads CAs, CRLs and credentials and applies the policy of @p cfg.
 * Call once per brisa_tls. Returns BRISA_OK; BRISA_ERR_TLS_CREDENTIALS
 * (a file unreadable or unparsable: the detail names which and why);
 * BRISA_ERR_TLS_KEY_MISMATCH; BRISA_ERR_INVALID_ARG (bad option: the
 * detail says which); BRISA_ERR_UNSUPPORTED (backend not built, or TLS 1.3
 * asked of mbedTLS).
 */
brisa_err brisa_tls_setup(brisa_tls *tls, const brisa_tls_config *cfg);

/**
 * Performs the TLS handshake over @p inner, an open transport (copied; its
 * context must stay valid until brisa_tls_close()). The brisa_tls takes
 * charge of it: closing TLS closes it. Waits at most the configured
 * handshake timeout. May be called again after brisa_tls_close() to
 * reconnect with the same credentials.
 *
 * Returns BRISA_OK, or the cause: BRISA_ERR_CLOCK (no wall time and time
 * checks not skipped), BRISA_ERR_TLS_UNKNOWN_CA, _HOSTNAME, _EXPIRED,
 * _NOT_YET_VALID, _REVOKED, _BAD_CERT, _PEER_ALERT (the broker refused us;
 * the detail names the alert), _NO_CLIENT_CERT, _NOT_TLS, _HANDSHAKE,
 * BRISA_ERR_TIMEOUT, or the inner transport's error; then the inner
 * transport has been closed and brisa_tls_last_error() says why.
 * BRISA_ERR_STATE (not set up, or already connected) and
 * BRISA_ERR_INVALID_ARG (no inner transport) leave @p inner untouched.
 */
brisa_err brisa_tls_connect(brisa_tls *tls, const brisa_transport *inner);

/**
 * The transport over an established connection: send encrypts (a send
 * flagged BRISA_SEND_MORE is held back and joined to the next into one
 * record), recv decrypts, close sends close_notify and closes the inner
 * transport. @p tls must outlive it. A send that times out part-way
 * through a record leaves the connection unusable (a record cannot be
 * taken back), so later sends fail with BRISA_ERR_IO. Errors found after
 * the handshake (a TLS 1.3 broker refusing our certificate, a bad record)
 * are reported with the same codes and detail as brisa_tls_connect().
 */
brisa_transport brisa_tls_transport(brisa_tls *tls);

/** True if the current connection resumed an earlier session (an
 *  abbreviated handshake) instead of making a full one. */
bool brisa_tls_resumed(const brisa_tls *tls);

/** Bytes already decrypted and waiting to be read: a caller that polls
 *  the socket must read these first, the socket will not signal them. */
size_t brisa_tls_pending(const brisa_tls *tls);

/** The last failure in one line for people; "" if none. Points into
 *  @p tls, valid until the next call on it. */
const char *brisa_tls_last_error(const brisa_tls *tls);

/** Negotiated protocol ("TLSv1.2") and suite (the backend's name) of the
 *  current connection; "" before the handshake. Point into @p tls. */
const char *brisa_tls_version_str(const brisa_tls *tls);
/** The negotiated suite; see brisa_tls_version_str(). */
const char *brisa_tls_cipher_str(const brisa_tls *tls);

/** The application protocol the server chose (ALPN); "" if none was
 *  offered or chosen. Points into @p tls. */
const char *brisa_tls_alpn(const brisa_tls *tls);

/** "good" if the connection's certificate came with a valid stapled OCSP
 *  response saying so, "none" if no staple came; "" before the handshake
 *  or without OCSP. */
const char *brisa_tls_ocsp_status(const brisa_tls *tls);

/** Sends close_notify (bounded by close_timeout_ms) and closes the inner
 *  transport. Safe to call more than once. */
void brisa_tls_close(brisa_tls *tls);

/** Closes if still open and frees everything. NULL is allowed. */
void brisa_tls_free(brisa_tls *tls);

/** A brisa_tls_log_cb that writes "tls: <line>\n" to the stdio FILE
 *  passed as @p file (e.g. stderr). */
void brisa_tls_log_file(void *file, int level, const char *line);

/**
 * Formats one NSS key log line, "LABEL <hex random> <hex secret>", into
 * @p buf (NUL-terminated). Returns its length, or BRISA_ERR_NO_SPACE if
 * @p cap is too small, or BRISA_ERR_INVALID_ARG.
 */
int brisa_tls_keylog_format(char *buf, size_t cap, const char *label,
                            const uint8_t *client_random, size_t random_len,
                            const uint8_t *secret, size_t secret_len);

BRISA_END_DECLS

#endif /* BRISA_TLS_H */
