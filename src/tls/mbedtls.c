// SPDX-License-Identifier: MIT
/* The mbedTLS 2.28 backend: TLS 1.2 over the inner transport through
 * mbedtls_ssl_set_bio(), never a socket. */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/debug.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/ssl_ciphersuites.h>

#include "mbedtls_be.h"

/* ECDHE key exchange with AEAD ciphers only: forward secrecy, and the
 * seed's TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 among them. For a server
 * that follows the client's order, the faster cipher first: AES-128 (10
 * rounds) before AES-256 (14). ECDSA or RSA is the server's key's choice. */
static const int default_suites[] = {
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    0
};

static bri_tls_mbed *be_of(const brisa_tls *t)
{
    return t->be;
}

static void library_words(int rc, char *buf, size_t cap)
{
    mbedtls_strerror(rc, buf, cap);
}

/* ---- BIO over the inner transport ---- */

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    int rc = bri_tls_inner_send(ctx, buf, len);
    if (rc == TLSI_AGAIN)
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    return rc < 0 ? MBEDTLS_ERR_NET_SEND_FAILED : rc;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    int rc = bri_tls_inner_recv(ctx, buf, len);
    if (rc == TLSI_AGAIN)
        return MBEDTLS_ERR_SSL_WANT_READ;
    if (rc == BRISA_ERR_CLOSED)
        return 0; /* end of stream */
    return rc < 0 ? MBEDTLS_ERR_NET_RECV_FAILED : rc;
}

/* ---- callbacks ---- */

static int rng_entropy(void *ctx, unsigned char *out, size_t len)
{
    brisa_tls *t = ctx;
    return t->rng.fill(t->rng.ctx, out, len) == 0 ? 0 : MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
}

static void debug_line(void *ctx, int level, const char *file, int line, const char *str)
{
    (void)file;
    (void)line;
    char text[400];
    size_t n = strlen(str);
    while (n > 0 && (str[n - 1] == '\n' || str[n - 1] == '\r'))
        n--;
    if (n >= sizeof text)
        n = sizeof text - 1;
    memcpy(text, str, n);
    text[n] = '\0';
    bri_tls_log(ctx, level, "mbedtls: %s", text);
}

static int export_keys(void *ctx, const unsigned char *ms, const unsigned char *kb,
                       size_t maclen, size_t keylen, size_t ivlen,
                       const unsigned char client_random[32],
                       const unsigned char server_random[32],
                       mbedtls_tls_prf_types prf)
{
    (void)kb, (void)maclen, (void)keylen, (void)ivlen, (void)server_random, (void)prf;
    char line[256];
    if (brisa_tls_keylog_format(line, sizeof line, "CLIENT_RANDOM", client_random, 32, ms,
                                48) > 0)
        bri_tls_keylog(ctx, line);
    return 0;
}

/* ---- credentials ---- */

typedef int (*parse_fn)(brisa_tls *t, const brisa_tls_config *cfg, const unsigned char *data,
                        size_t len);

/* Runs @p parse over a file or a memory blob, NUL-terminating PEM text as
 * mbedTLS requires. Returns what parse returned, or a load error. */
static int load(brisa_tls *t, const brisa_tls_config *cfg, const char *what, const char *path,
                const brisa_tls_blob *blob, parse_fn parse, bool secret)
{
    uint8_t *owned = NULL;
    const uint8_t *data;
    size_t len;
    if (path != NULL) {
        int rc = bri_tls_read_file(t, what, path, &owned, &len);
        if (rc < 0)
            return rc;
        data = owned;
    } else {
        data = blob->data;
        len = blob->len;
    }
    if (len > 0 && bri_tls_is_pem(data, len) && data[len - 1] != '\0') {
        if (owned == NULL) {
            owned = malloc(len + 1);
            if (owned == NULL)
                return bri_tls_fail(t, BRISA_ERR_NO_SPACE, "out of memory");
            memcpy(owned, data, len);
            owned[len] = '\0';
            data = owned;
        }
        len++; /* the NUL written by read_file or just now */
    }
    int rc = parse(t, cfg, data, len);
    if (owned != NULL && secret)
        mbedtls_platform_zeroize(owned, len);
    free(owned);
    return rc;
}

static const char *src_name(const char *path)
{
    return path != NULL ? path : "(memory)";
}

static int parse_error(brisa_tls *t, const char *what, const char *path, int rc)
{
    char words[160];
    library_words(rc, words, sizeof words);
    return bri_tls_fail(t, BRISA_ERR_TLS_CREDENTIALS, "%s: %s %s: %s",
                           brisa_err_str(BRISA_ERR_TLS_CREDENTIALS), what, src_name(path),
                           words);
}

static int parse_ca(brisa_tls *t, const brisa_tls_config *cfg, const unsigned char *d,
                    size_t n)
{
    int rc = mbedtls_x509_crt_parse(&be_of(t)->ca, d, n);
    return rc < 0 ? parse_error(t, "CA file", cfg->ca_file, rc) : rc;
}

static int parse_crl(brisa_tls *t, const brisa_tls_config *cfg, const unsigned char *d,
                     size_t n)
{
    int rc = mbedtls_x509_crl_parse(&be_of(t)->crl, d, n);
    return rc < 0 ? parse_error(t, "CRL file", cfg->crl_file, rc) : rc;
}

static int parse_own_cert(brisa_tls *t, const brisa_tls_config *cfg, const unsigned char *d,
                          size_t n)
{
    int rc = mbedtls_x509_crt_parse(&be_of(t)->own_cert, d, n);
    if (rc > 0)
        rc = MBEDTLS_ERR_X509_INVALID_FORMAT; /* part of the chain is unreadable */
    return rc < 0 ? parse_error(t, "client certificate", cfg->cert_file, rc) : rc;
}

static int parse_key(brisa_tls *t, const brisa_tls_config *cfg, const unsigned char *d, size_t n)
{
    bool pem = bri_tls_is_pem(d, n);
    if (cfg->key_form == BRISA_TLS_FORM_PEM && !pem)
        return bri_tls_fail(t, BRISA_ERR_TLS_CREDENTIALS, "%s: client key %s: not PEM",
                               brisa_err_str(BRISA_ERR_TLS_CREDENTIALS),
                               src_name(cfg->key_file));
    if (cfg->key_form == BRISA_TLS_FORM_DER && pem)
        return bri_tls_fail(t, BRISA_ERR_TLS_CREDENTIALS, "%s: client key %s: PEM, not DER",
                               brisa_err_str(BRISA_ERR_TLS_CREDENTIALS),
                               src_name(cfg->key_file));
    const char *pw = cfg->key_password;
    int rc = mbedtls_pk_parse_key(&be_of(t)->own_key, d, n, (const unsigned char *)pw,
                                  pw != NULL ? strlen(pw) : 0);
    if (rc == 0)
        return 0;
    const char *why = NULL;
    if (rc == MBEDTLS_ERR_PK_PASSWORD_REQUIRED)
        why = "the key is encrypted and no password was given";
    else if (rc == MBEDTLS_ERR_PK_PASSWORD_MISMATCH)
        why = "wrong password";
    if (why == NULL)
        return parse_error(t, "client key", cfg->key_file, rc);
    return bri_tls_fail(t, BRISA_ERR_TLS_CREDENTIALS, "%s: client key %s: %s",
                           brisa_err_str(BRISA_ERR_TLS_CREDENTIALS), src_name(cfg->key_file),
                           why);
}

static int load_trust(brisa_tls *t, const brisa_tls_config *cfg)
{
    bri_tls_mbed *be = be_of(t);
    int rc;
    if (cfg->ca_file != NULL || cfg->ca.data != NULL) {
        rc = load(t, cfg, "CA file", cfg->ca_file, &cfg->ca, parse_ca, false);
        if (rc < 0)
            return rc;
        if (rc > 0)
            bri_tls_log(t, 1, "CA file %s: %d certificate(s) could not be parsed",
                           src_name(cfg->ca_file), rc);
    }
    if (cfg->ca_path != NULL) {
#if defined(MBEDTLS_FS_IO)
        rc = mbedtls_x509_crt_parse_path(&be->ca, cfg->ca_path);
#else
        rc = MBEDTLS_ERR_X509_FEATURE_UNAVAILABLE; /* a firmware build: no file system */
#endif
        if (rc < 0)
            return parse_error(t, "CA directory", cfg->ca_path, rc);
    }
    if (be->ca.version == 0)
        return bri_tls_fail(t, BRISA_ERR_TLS_CREDENTIALS, "%s: no CA certificate found in %s",
                               brisa_err_str(BRISA_ERR_TLS_CREDENTIALS),
                               cfg->ca_file ? cfg->ca_file : cfg->ca_path ? cfg->ca_path
                                                                          : "(memory)");
    if (cfg->crl_file != NULL || cfg->crl.data != NULL) {
        rc = load(t, cfg, "CRL file", cfg->crl_file, &cfg->crl, parse_crl, false);
        if (rc < 0)
            return rc;
    }
    mbedtls_ssl_conf_ca_chain(&be->conf, &be->ca, be->crl.version ? &be->crl : NULL);
    return BRISA_OK;
}

static int load_identity(brisa_tls *t, const brisa_tls_config *cfg)
{
    bri_tls_mbed *be = be_of(t);
    if (!t->have_client_cert)
        return BRISA_OK;
    int rc = load(t, cfg, "client certificate", cfg->cert_file, &cfg->cert, parse_own_cert,
                  false);
    if (rc < 0)
        return rc;
    rc = load(t, cfg, "client key", cfg->key_file, &cfg->key, parse_key, true);
    if (rc < 0)
        return rc;
    if (mbedtls_pk_check_pair(&be->own_cert.pk, &be->own_key) != 0)
        return bri_tls_fail(t, BRISA_ERR_TLS_KEY_MISMATCH,
                               "%s: key %s does not belong to certificate %s",
                               brisa_err_str(BRISA_ERR_TLS_KEY_MISMATCH),
                               src_name(cfg->key_file), src_name(cfg->cert_file));
    rc = mbedtls_ssl_conf_own_cert(&be->conf, &be->own_cert, &be->own_key);
    return rc == 0 ? BRISA_OK : parse_error(t, "client certificate", cfg->cert_file, rc);
}

/* "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:..." -> suite ids (IANA names;
 * mbedTLS spells them with '-'). */
static int parse_suites(brisa_tls *t, const char *list)
{
    bri_tls_mbed *be = be_of(t);
    size_t count = 1;
    for (const char *p = list; *p; p++)
        count += (*p == ':' || *p == ',' || *p == ' ');
    be->suites = calloc(count + 1, sizeof(int));
    if (be->suites == NULL)
        return bri_tls_fail(t, BRISA_ERR_NO_SPACE, "out of memory");
    size_t n = 0;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ":, ");
        if (len > 0) {
            char name[96];
            if (len >= sizeof name)
                len = sizeof name - 1;
            for (size_t i = 0; i < len; i++)
                name[i] = p[i] == '_' ? '-' : p[i];
            name[len] = '\0';
            int id = mbedtls_ssl_get_ciphersuite_id(name);
            if (id == 0)
                return bri_tls_fail(t, BRISA_ERR_INVALID_ARG,
                                       "%s: unknown cipher suite '%.*s' for mbedTLS (use IANA "
                                       "names, e.g. TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)",
                                       brisa_err_str(BRISA_ERR_INVALID_ARG), (int)len, p);
            be->suites[n++] = id;
        }
        p += len;
        if (*p)
            p++;
    }
    if (n == 0)
        return bri_tls_fail(t, BRISA_ERR_INVALID_ARG, "%s: empty cipher suite list",
                               brisa_err_str(BRISA_ERR_INVALID_ARG));
    return BRISA_OK;
}

/* Curves fastest first (X25519, then P-256), then the rest the library
 * has, in its order: mbedTLS's own list starts with P-521, and a server
 * that follows the client's order would pick it. The list also says which
 * curves the server's key may use, so none is dropped. */
static void order_curves(bri_tls_mbed *be)
{
    static const mbedtls_ecp_group_id fast[] = { MBEDTLS_ECP_DP_CURVE25519,
                                                 MBEDTLS_ECP_DP_SECP256R1 };
    size_t n = 0;
    for (size_t i = 0; i < 2; i++)
        if (mbedtls_ecp_curve_info_from_grp_id(fast[i]) != NULL)
            be->curves[n++] = fast[i];
    for (const mbedtls_ecp_group_id *g = mbedtls_ecp_grp_id_list();
         *g != MBEDTLS_ECP_DP_NONE && n + 1 < sizeof be->curves / sizeof be->curves[0]; g++)
        if (*g != fast[0] && *g != fast[1])
            be->curves[n++] = *g;
    be->curves[n] = MBEDTLS_ECP_DP_NONE;
    mbedtls_ssl_conf_curves(&be->conf, be->curves);
}

static int seed_rng(brisa_tls *t)
{
    bri_tls_mbed *be = be_of(t);
    static const unsigned char pers[] = "brisa-tls";
    int rc;
    if (t->has_rng) {
        rc = mbedtls_ctr_drbg_seed(&be->drbg, rng_entropy, t, pers, sizeof pers - 1);
    } else {
        be->entropy = calloc(1, sizeof *be->entropy);
        if (be->entropy == NULL)
            return bri_tls_fail(t, BRISA_ERR_NO_SPACE, "out of memory");
        mbedtls_entropy_init(be->entropy);
        rc = mbedtls_ctr_drbg_seed(&be->drbg, mbedtls_entropy_func, be->entropy, pers,
                                   sizeof pers - 1);
    }
    if (rc != 0) {
        char words[120];
        library_words(rc, words, sizeof words);
        return bri_tls_fail(t, BRISA_ERR_TLS, "%s: random generator: %s",
                               brisa_err_str(BRISA_ERR_TLS), words);
    }
    return BRISA_OK;
}

static int mb_setup(brisa_tls *t, const brisa_tls_config *cfg)
{
    bri_tls_mbed *be = calloc(1, sizeof *be);
    if (be == NULL)
        return bri_tls_fail(t, BRISA_ERR_NO_SPACE, "out of memory");
    t->be = be;
    mbedtls_ssl_config_init(&be->conf);
    mbedtls_ssl_init(&be->ssl);
    mbedtls_ssl_session_init(&be->saved);
    mbedtls_ctr_drbg_init(&be->drbg);
    mbedtls_x509_crt_init(&be->ca);
    mbedtls_x509_crl_init(&be->crl);
    mbedtls_x509_crt_init(&be->own_cert);
    mbedtls_pk_init(&be->own_key);

    if (cfg->version == BRISA_TLS_VERSION_1_3)
        return bri_tls_fail(t, BRISA_ERR_UNSUPPORTED,
                               "%s: mbedTLS 2.28 speaks TLS 1.2 only; use the OpenSSL "
                               "backend for TLS 1.3", brisa_err_str(BRISA_ERR_UNSUPPORTED));
    int rc = mbedtls_ssl_config_defaults(&be->conf, MBEDTLS_SSL_IS_CLIENT,
                                         MBEDTLS_SSL_TRANSPORT_STREAM,
                                         MBEDTLS_SSL_PRESET_DEFAULT);
    if (rc != 0)
        return parse_error(t, "configuration", NULL, rc);
    mbedtls_ssl_conf_min_version(&be->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(&be->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
    if (cfg->ciphers != NULL && (rc = parse_suites(t, cfg->ciphers)) < 0)
        return rc;
    mbedtls_ssl_conf_ciphersuites(&be->conf, be->suites ? be->suites : default_suites);
    order_curves(be);
#if defined(BRISA_MBEDTLS_FW_CONFIG)
    /* The firmware's mbedTLS reads the time through this clock, and keeps
     * its records small where the broker agrees. */
    bri_mbedtls_time_source(cfg->clock);
    mbedtls_ssl_conf_max_frag_len(&be->conf, BRISA_MBEDTLS_MFL);
#endif
    if ((rc = seed_rng(t)) < 0)
        return rc;
    mbedtls_ssl_conf_rng(&be->conf, mbedtls_ctr_drbg_random, &be->drbg);
    mbedtls_ssl_conf_authmode(&be->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_verify(&be->conf, bri_tls_mbedtls_verify, t);
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
    if (!t->resume) /* a ticket never used: server work and bytes for nothing */
        mbedtls_ssl_conf_session_tickets(&be->conf, MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
#endif
    if (t->debug_cb != NULL && t->debug_level > 0) {
        mbedtls_ssl_conf_dbg(&be->conf, debug_line, t);
        mbedtls_debug_set_threshold(t->debug_level); /* global in mbedTLS */
    }
    if (t->keylog != NULL || t->keylog_cb != NULL)
        mbedtls_ssl_conf_export_keys_ext_cb(&be->conf, export_keys, t);
    if (t->alpn_list[0] != NULL &&
        (rc = mbedtls_ssl_conf_alpn_protocols(&be->conf, t->alpn_list)) != 0)
        return parse_error(t, "ALPN list", NULL, rc);
    if (cfg->ocsp != BRISA_TLS_OCSP_OFF)
        return bri_tls_fail(t, BRISA_ERR_UNSUPPORTED,
                               "%s: mbedTLS 2.28 cannot ask for or check an OCSP staple; use "
                               "the OpenSSL backend", brisa_err_str(BRISA_ERR_UNSUPPORTED));
    if ((rc = load_trust(t, cfg)) < 0 || (rc = load_identity(t, cfg)) < 0)
        return rc;
    rc = mbedtls_ssl_setup(&be->ssl, &be->conf);
    if (rc != 0)
        return parse_error(t, "session", NULL, rc);
    return BRISA_OK;
}

/* ---- session ---- */

static int mb_begin(brisa_tls *t)
{
    bri_tls_mbed *be = be_of(t);
    if (be->used && mbedtls_ssl_session_reset(&be->ssl) != 0)
        return bri_tls_fail(t, BRISA_ERR_TLS, "%s: cannot reset the session",
                               brisa_err_str(BRISA_ERR_TLS));
    be->used = true;
    be->verify_err = 0;
    mbedtls_ssl_set_bio(&be->ssl, t, bio_send, bio_recv, NULL);
    /* SNI for names only; the name check itself is ours (see verify). */
    const char *sni = (t->server_name != NULL && !t->server_is_ip) ? t->server_name : NULL;
    if (mbedtls_ssl_set_hostname(&be->ssl, sni) != 0)
        return bri_tls_fail(t, BRISA_ERR_INVALID_ARG, "%s: server name too long",
                               brisa_err_str(BRISA_ERR_INVALID_ARG));
    be->verify_called = false;
    /* Offer the previous session; a server that declines it gets a full
     * handshake as if nothing had been offered. */
    if (t->resume && be->have_saved && mbedtls_ssl_set_session(&be->ssl, &be->saved) != 0)
        be->have_saved = false;
    return BRISA_OK;
}

/* Turns an mbedTLS failure into the brisa_err that names its cause. */
static int map_error(brisa_tls *t, int rc, bool handshake)
{
    bri_tls_mbed *be = be_of(t);
    if (rc == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
        if (be->verify_err != 0)
            return be->verify_err;
        uint32_t flags = mbedtls_ssl_get_verify_result(&be->ssl);
        int err = bri_tls_mbedtls_flags_err(flags);
        return bri_tls_fail(t, err ? err : BRISA_ERR_TLS_BAD_CERT, "%s: flags 0x%x",
                               brisa_err_str(err ? err : BRISA_ERR_TLS_BAD_CERT),
                               (unsigned)flags);
    }
    if (rc == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE)
        /* mbedTLS 2.28 has no accessor; the alert is still in in_msg. */
        return bri_tls_alert_fail(t, be->ssl.in_msg[1], be->ssl.client_auth != 0);
    if (rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || rc == MBEDTLS_ERR_SSL_CONN_EOF ||
        rc == MBEDTLS_ERR_NET_RECV_FAILED || rc == MBEDTLS_ERR_NET_SEND_FAILED)
        return bri_tls_transport_lost(t, handshake, be->ssl.client_auth != 0);
    if (handshake) {
        int nt = bri_tls_check_not_tls(t);
        if (nt != 0)
            return nt;
    }
    char words[160];
    library_words(rc, words, sizeof words);
    int err = handshake ? BRISA_ERR_TLS_HANDSHAKE : BRISA_ERR_TLS;
    return bri_tls_fail(t, err, "%s: %s", brisa_err_str(err), words);
}

static int mb_handshake(brisa_tls *t)
{
    bri_tls_mbed *be = be_of(t);
    int rc = mbedtls_ssl_handshake(&be->ssl);
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE)
        return TLSI_AGAIN;
    if (rc != 0) {
        be->have_saved = false; /* next time, start afresh */
        return map_error(t, rc, true);
    }
    /* A resumed handshake carries no Certificate message. */
    t->resumed = be->have_saved && !be->verify_called;
    if (t->resume) {
        mbedtls_ssl_session_free(&be->saved);
        mbedtls_ssl_session_init(&be->saved);
        be->have_saved = mbedtls_ssl_get_session(&be->ssl, &be->saved) == 0;
    }
    snprintf(t->version_str, sizeof t->version_str, "%s", mbedtls_ssl_get_version(&be->ssl));
    snprintf(t->cipher_str, sizeof t->cipher_str, "%s", mbedtls_ssl_get_ciphersuite(&be->ssl));
    const char *alpn = mbedtls_ssl_get_alpn_protocol(&be->ssl);
    snprintf(t->alpn, sizeof t->alpn, "%s", alpn != NULL ? alpn : "");
    return BRISA_OK;
}

static int mb_read(brisa_tls *t, uint8_t *buf, size_t len)
{
    int rc = mbedtls_ssl_read(&be_of(t)->ssl, buf, len);
    if (rc > 0)
        return rc;
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE)
        return TLSI_AGAIN;
    if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
        return bri_tls_fail(t, BRISA_ERR_CLOSED, "%s (TLS close_notify)",
                               brisa_err_str(BRISA_ERR_CLOSED));
    return map_error(t, rc, false);
}

static int mb_write(brisa_tls *t, const uint8_t *buf, size_t len)
{
    int rc = mbedtls_ssl_write(&be_of(t)->ssl, buf, len);
    if (rc >= 0)
        return rc;
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE)
        return TLSI_AGAIN;
    return map_error(t, rc, false);
}

static int mb_shutdown(brisa_tls *t)
{
    int rc = mbedtls_ssl_close_notify(&be_of(t)->ssl);
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE)
        return TLSI_AGAIN;
    return rc == 0 ? BRISA_OK : BRISA_ERR_TLS;
}

static size_t mb_pending(const brisa_tls *t)
{
    return mbedtls_ssl_get_bytes_avail(&be_of(t)->ssl);
}

static void mb_destroy(brisa_tls *t)
{
    bri_tls_mbed *be = be_of(t);
    if (be == NULL)
        return;
    mbedtls_ssl_free(&be->ssl);
    mbedtls_ssl_session_free(&be->saved);
    mbedtls_ssl_config_free(&be->conf);
    mbedtls_x509_crt_free(&be->own_cert);
    mbedtls_pk_free(&be->own_key);
    mbedtls_x509_crl_free(&be->crl);
    mbedtls_x509_crt_free(&be->ca);
    mbedtls_ctr_drbg_free(&be->drbg);
    if (be->entropy != NULL) {
        mbedtls_entropy_free(be->entropy);
        free(be->entropy);
    }
    free(be->suites);
    free(be);
    t->be = NULL;
}

const bri_tls_ops bri_tls_mbedtls_ops = {
    mb_setup, mb_begin, mb_handshake, mb_read, mb_write, mb_shutdown, mb_pending, mb_destroy,
};
