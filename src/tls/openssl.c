// SPDX-License-Identifier: MIT
/* The OpenSSL 3 backend: TLS 1.2 and 1.3 over the inner transport through
 * a custom BIO, never a socket. Validity dates are checked at the time of
 * the configured clock (X509_VERIFY_PARAM_set_time). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "openssl_ocsp.h"
#include "tls_internal.h"

#define READ_AHEAD BRISA_TLS_READ_AHEAD
_Static_assert(READ_AHEAD >= 0 && READ_AHEAD <= INT_MAX, "BRISA_TLS_READ_AHEAD out of range");

typedef struct ossl_be {
    SSL_CTX *ctx;
    SSL *ssl;
    BIO_METHOD *meth;
    int verify_err;       /* first failure the verify callback saw */
    int alert_rx;         /* fatal alert received, -1 if none */
    bool cert_requested;  /* the server sent CertificateRequest */
    SSL_SESSION *saved;   /* the last session (or TLS 1.3 ticket), to resume */
    size_t ahead_pos;     /* next unread byte in ahead[] */
    size_t ahead_end;     /* end of the decrypted bytes read ahead */
    uint8_t ahead[READ_AHEAD > 0 ? READ_AHEAD : 1];
} ossl_be;

static ossl_be *be_of(const brisa_tls *t)
{
    return t->be;
}

static const char *err_words(void)
{
    unsigned long code = ERR_peek_last_error();
    const char *r = code ? ERR_reason_error_string(code) : NULL;
    return r != NULL ? r : "unknown OpenSSL error";
}

/* ---- BIO over the inner transport ---- */

static int bio_write(BIO *b, const char *buf, int len)
{
    BIO_clear_retry_flags(b);
    int rc = bri_tls_inner_send(BIO_get_data(b), (const uint8_t *)buf, (size_t)len);
    if (rc == TLSI_AGAIN) {
        BIO_set_retry_write(b);
        return -1;
    }
    return rc < 0 ? -1 : rc;
}

static int bio_read(BIO *b, char *buf, int len)
{
    BIO_clear_retry_flags(b);
    int rc = bri_tls_inner_recv(BIO_get_data(b), (uint8_t *)buf, (size_t)len);
    if (rc == TLSI_AGAIN) {
        BIO_set_retry_read(b);
        return -1;
    }
    if (rc == BRISA_ERR_CLOSED)
        return 0;
    return rc < 0 ? -1 : rc;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    (void)b, (void)num, (void)ptr;
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int bio_create(BIO *b)
{
    BIO_set_init(b, 1);
    return 1;
}

/* ---- callbacks ---- */

static brisa_tls *tls_of(const SSL *ssl)
{
    return SSL_get_app_data(ssl);
}

static void keylog_line(const SSL *ssl, const char *line)
{
    bri_tls_keylog(tls_of(ssl), line);
}

/* Watches the handshake messages: a CertificateRequest and a fatal alert
 * from the server explain failures better than OpenSSL's error queue. */
static void msg_cb(int write_p, int version, int content_type, const void *buf, size_t len,
                   SSL *ssl, void *arg)
{
    (void)version, (void)arg;
    brisa_tls *t = tls_of(ssl);
    ossl_be *be = be_of(t);
    const uint8_t *p = buf;
    if (len == 0)
        return;
    if (content_type == SSL3_RT_HANDSHAKE) {
        if (!write_p && p[0] == SSL3_MT_CERTIFICATE_REQUEST)
            be->cert_requested = true;
        bri_tls_log(t, 3, "%s %s (%zu bytes)", write_p ? "sent" : "received",
                       bri_tls_hs_name(p[0]), len);
    } else if (content_type == SSL3_RT_ALERT && len >= 2) {
        if (!write_p && p[0] == SSL3_AL_FATAL)
            be->alert_rx = p[1];
        bri_tls_log(t, 3, "%s alert %s", write_p ? "sent" : "received",
                       bri_tls_alert_name(p[1]));
    }
    if (t->debug_level >= 4 && content_type != SSL3_RT_HEADER) {
        char hex[3 * 32 + 1] = "";
        for (size_t i = 0; i < len && i < 32; i++)
            snprintf(hex + 3 * i, sizeof hex - 3 * i, "%02x ", p[i]);
        bri_tls_log(t, 4, "  %s", hex);
    }
}

static void info_cb(const SSL *ssl, int where, int ret)
{
    brisa_tls *t = tls_of(ssl);
    if (where & SSL_CB_LOOP)
        bri_tls_log(t, 2, "state: %s", SSL_state_string_long(ssl));
    else if (where & SSL_CB_ALERT)
        bri_tls_log(t, 2, "alert %s: %s", (where & SSL_CB_READ) ? "received" : "sent",
                       SSL_alert_desc_string_long(ret));
}

static void name_words(char *buf, size_t cap, const X509_NAME *name)
{
    int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (i >= 0) {
        const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
        char value[128];
        bri_tls_printable(value, sizeof value, ASN1_STRING_get0_data(s),
                             (size_t)ASN1_STRING_length(s));
        snprintf(buf, cap, "CN=%s", value);
    } else if (X509_NAME_oneline(name, buf, (int)cap) == NULL) {
        snprintf(buf, cap, "(unnamed)");
    }
}

static bri_tls_tm tm_of(const ASN1_TIME *at)
{
    struct tm tm;
    bri_tls_tm out = { 0, 0, 0, 0, 0, 0 };
    if (at != NULL && ASN1_TIME_to_tm(at, &tm) == 1) {
        out.year = tm.tm_year + 1900;
        out.mon = tm.tm_mon + 1;
        out.day = tm.tm_mday;
        out.hour = tm.tm_hour;
        out.min = tm.tm_min;
        out.sec = tm.tm_sec;
    }
    return out;
}

static void san_words(char *buf, size_t cap, X509 *c)
{
    GENERAL_NAMES *gens = X509_get_ext_d2i(c, NID_subject_alt_name, NULL, NULL);
    for (int i = 0; gens != NULL && i < sk_GENERAL_NAME_num(gens); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        if (g->type == GEN_DNS)
            bri_tls_list_san(buf, cap, false, ASN1_STRING_get0_data(g->d.dNSName),
                                (size_t)ASN1_STRING_length(g->d.dNSName));
        else if (g->type == GEN_IPADD)
            bri_tls_list_san(buf, cap, true, ASN1_STRING_get0_data(g->d.iPAddress),
                                (size_t)ASN1_STRING_length(g->d.iPAddress));
    }
    GENERAL_NAMES_free(gens);
}

static int verify_code_err(int code)
{
    switch (code) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
        return BRISA_ERR_TLS_UNKNOWN_CA;
    case X509_V_ERR_CERT_HAS_EXPIRED: return BRISA_ERR_TLS_EXPIRED;
    case X509_V_ERR_CERT_NOT_YET_VALID: return BRISA_ERR_TLS_NOT_YET_VALID;
    case X509_V_ERR_CERT_REVOKED: return BRISA_ERR_TLS_REVOKED;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return BRISA_ERR_TLS_HOSTNAME;
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
        return BRISA_ERR_TLS_CREDENTIALS; /* our CRL file is missing or stale */
    default:
        return BRISA_ERR_TLS_BAD_CERT;
    }
}

static int describe(brisa_tls *t, X509 *c, int code)
{
    int err = verify_code_err(code);
    char subject[160] = "(no certificate)", issuer[160] = "", names[256] = "", serial[80] = "?";
    const char *reason = X509_verify_cert_error_string(code);
    bri_tls_cert_facts f = { .reason = reason };
    if (c != NULL) {
        name_words(subject, sizeof subject, X509_get_subject_name(c));
        name_words(issuer, sizeof issuer, X509_get_issuer_name(c));
        san_words(names, sizeof names, c);
        if (names[0] == '\0')
            snprintf(names, sizeof names, "%s", subject);
        bri_tls_ossl_serial(c, serial, sizeof serial);
        f.not_before = tm_of(X509_get0_notBefore(c));
        f.not_after = tm_of(X509_get0_notAfter(c));
    }
    f.subject = subject;
    f.issuer = issuer;
    f.names = names;
    f.serial = serial;
    if (err == BRISA_ERR_TLS_CREDENTIALS)
        return bri_tls_fail(t, err, "%s: the CRL for %s: %s", brisa_err_str(err), subject,
                               reason);
    return bri_tls_cert_fail(t, err, &f);
}

static int verify_cb(int ok, X509_STORE_CTX *xs)
{
    SSL *ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
    brisa_tls *t = tls_of(ssl);
    ossl_be *be = be_of(t);
    X509 *c = X509_STORE_CTX_get_current_cert(xs);
    if (t->debug_level >= 3) {
        char subject[160] = "?";
        if (c != NULL)
            name_words(subject, sizeof subject, X509_get_subject_name(c));
        bri_tls_log(t, 3, "certificate depth %d: %s: %s", X509_STORE_CTX_get_error_depth(xs),
                       subject, ok ? "ok" : X509_verify_cert_error_string(
                                                X509_STORE_CTX_get_error(xs)));
    }
    if (!ok && be->verify_err == 0)
        be->verify_err = describe(t, c, X509_STORE_CTX_get_error(xs));
    return ok;
}

/* ---- credentials ---- */

typedef struct password {
    const char *text;
    bool asked;
} password;

/* Never lets OpenSSL prompt on a terminal: no password configured means
 * the read fails, and we say why. */
static int password_cb(char *buf, int size, int rwflag, void *u)
{
    (void)rwflag;
    password *pw = u;
    pw->asked = true;
    if (pw->text == NULL)
        return -1;
    size_t n = strlen(pw->text);
    if (n > (size_t)size)
        n = (size_t)size;
    memcpy(buf, pw->text, n);
    return (int)n;
}

/* A memory BIO over a file's bytes or a blob; *owned must be freed. */
static BIO *open_source(brisa_tls *t, const char *what, const char *path,
                        const brisa_tls_blob *blob, uint8_t **owned, int *rc)
{
    const uint8_t *data = blob->data;
    size_t len = blob->len;
    *owned = NULL;
    if (path != NULL) {
        *rc = bri_tls_read_file(t, what, path, owned, &len);
        if (*rc < 0)
            return NULL;
        data = *owned;
    }
    BIO *bio = len <= INT_MAX ? BIO_new_mem_buf(data, (int)len) : NULL;
    *rc = bio != NULL ? BRISA_OK
                      : bri_tls_fail(t, BRISA_ERR_NO_SPACE, "%s: %s %s: cannot buffer",
                                        brisa_err_str(BRISA_ERR_NO_SPACE), what,
                                        path ? path : "(memory)");
    return bio;
}

static void close_source(BIO *bio, uint8_t *owned, size_t secret_len)
{
    BIO_free(bio);
    if (owned != NULL && secret_len > 0)
        OPENSSL_cleanse(owned, secret_len);
    free(owned);
}

static int bad_file(brisa_tls *t, const char *what, const char *path, const char *why)
{
    return bri_tls_fail(t, BRISA_ERR_TLS_CREDENTIALS, "%s: %s %s: %s",
                           brisa_err_str(BRISA_ERR_TLS_CREDENTIALS), what,
                           path ? path : "(memory)", why);
}

/* Reads every certificate (PEM: all of them; DER: one) and hands each to
 * @p take, which keeps its own reference. Returns how many, or an error. */
static int read_certs(brisa_tls *t, const char *what, const char *path, const brisa_tls_blob *blob,
                      int (*take)(brisa_tls *t, X509 *x, int index))
{
    uint8_t *owned;
    int rc;
    BIO *bio = open_source(t, what, path, blob, &owned, &rc);
    if (bio == NULL)
        return rc;
    char *mem;
    long mlen = BIO_get_mem_data(bio, &mem);
    bool pem = bri_tls_is_pem((const uint8_t *)mem, (size_t)mlen);
    int count = 0;
    for (;;) {
        X509 *x = pem ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : d2i_X509_bio(bio, NULL);
        if (x == NULL)
            break;
        rc = take(t, x, count++);
        X509_free(x);
        if (rc < 0)
            break;
        if (!pem)
            break;
    }
    if (rc >= 0 && count == 0)
        rc = bad_file(t, what, path, "no certificate in it");
    close_source(bio, owned, 0);
    ERR_clear_error(); /* the end of a PEM file is reported as an error */
    return rc < 0 ? rc : count;
}

static int take_ca(brisa_tls *t, X509 *x, int index)
{
    (void)index;
    X509_STORE *store = SSL_CTX_get_cert_store(be_of(t)->ctx);
    if (X509_STORE_add_cert(store, x) != 1)
        ERR_clear_error(); /* the same CA twice is harmless */
    return 0;
}

static int take_own(brisa_tls *t, X509 *x, int index)
{
    SSL_CTX *ctx = be_of(t)->ctx;
    int ok = index == 0 ? SSL_CTX_use_certificate(ctx, x) : SSL_CTX_add1_chain_cert(ctx, x);
    return ok == 1 ? 0 : bad_file(t, "client certificate", "", err_words());
}

static int load_crls(brisa_tls *t, const brisa_tls_config *cfg)
{
    uint8_t *owned;
    int rc;
    BIO *bio = open_source(t, "CRL file", cfg->crl_file, &cfg->crl, &owned, &rc);
    if (bio == NULL)
        return rc;
    char *mem;
    long mlen = BIO_get_mem_data(bio, &mem);
    bool pem = bri_tls_is_pem((const uint8_t *)mem, (size_t)mlen);
    X509_STORE *store = SSL_CTX_get_cert_store(be_of(t)->ctx);
    int count = 0;
    X509_CRL *crl;
    while ((crl = pem ? PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)
                      : d2i_X509_CRL_bio(bio, NULL)) != NULL) {
        X509_STORE_add_crl(store, crl);
        X509_CRL_free(crl);
        count++;
        if (!pem)
            break;
    }
    close_source(bio, owned, 0);
    ERR_clear_error();
    if (count == 0)
        return bad_file(t, "CRL file", cfg->crl_file, "no CRL in it");
    /* The leaf's issuer must have a CRL in the file, as in mosquitto. */
    X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
    return BRISA_OK;
}

static int load_trust(brisa_tls *t, const brisa_tls_config *cfg)
{
    int rc;
    if (cfg->ca_file != NULL || cfg->ca.data != NULL) {
        rc = read_certs(t, "CA file", cfg->ca_file, &cfg->ca, take_ca);
        if (rc < 0)
            return rc;
    }
    if (cfg->ca_path != NULL) {
        DIR *d = opendir(cfg->ca_path);
        if (d == NULL)
            return bad_file(t, "CA directory", cfg->ca_path, strerror(errno));
        closedir(d);
        if (SSL_CTX_load_verify_dir(be_of(t)->ctx, cfg->ca_path) != 1)
            return bad_file(t, "CA directory", cfg->ca_path, err_words());
    }
    if (cfg->crl_file != NULL || cfg->crl.data != NULL)
        return load_crls(t, cfg);
    return BRISA_OK;
}

static EVP_PKEY *read_key(BIO *bio, bool pem, password *pw)
{
    if (pem)
        return PEM_read_bio_PrivateKey(bio, NULL, password_cb, pw);
    EVP_PKEY *k = d2i_PrivateKey_bio(bio, NULL);
    if (k == NULL && BIO_reset(bio) == 0) /* encrypted PKCS#8 */
        k = d2i_PKCS8PrivateKey_bio(bio, NULL, password_cb, pw);
    return k;
}

static int load_identity(brisa_tls *t, const brisa_tls_config *cfg)
{
    if (!t->have_client_cert)
        return BRISA_OK;
    int rc = read_certs(t, "client certificate", cfg->cert_file, &cfg->cert, take_own);
    if (rc < 0)
        return rc;
    uint8_t *owned;
    BIO *bio = open_source(t, "client key", cfg->key_file, &cfg->key, &owned, &rc);
    if (bio == NULL)
        return rc;
    char *mem;
    long mlen = BIO_get_mem_data(bio, &mem);
    bool pem = bri_tls_is_pem((const uint8_t *)mem, (size_t)mlen);
    password pw = { cfg->key_password, false };
    EVP_PKEY *key = NULL;
    const char *why = NULL;
    if (cfg->key_form == BRISA_TLS_FORM_PEM && !pem)
        why = "not PEM";
    else if (cfg->key_form == BRISA_TLS_FORM_DER && pem)
        why = "PEM, not DER";
    else if ((key = read_key(bio, pem, &pw)) == NULL)
        why = pw.asked ? (pw.text == NULL ? "the key is encrypted and no password was given"
                                          : "wrong password")
                       : "not a private key (PEM or DER, RSA or EC)";
    close_source(bio, owned, (size_t)mlen);
    ERR_clear_error();
    if (why != NULL)
        return bad_file(t, "client key", cfg->key_file, why);
    SSL_CTX *ctx = be_of(t)->ctx;
    if (X509_check_private_key(SSL_CTX_get0_certificate(ctx), key) != 1) {
        EVP_PKEY_free(key);
        ERR_clear_error();
        return bri_tls_fail(t, BRISA_ERR_TLS_KEY_MISMATCH,
                               "%s: key %s does not belong to certificate %s",
                               brisa_err_str(BRISA_ERR_TLS_KEY_MISMATCH),
                               cfg->key_file ? cfg->key_file : "(memory)",
                               cfg->cert_file ? cfg->cert_file : "(memory)");
    }
    int ok = SSL_CTX_use_PrivateKey(ctx, key);
    EVP_PKEY_free(key);
    return ok == 1 ? BRISA_OK : bad_file(t, "client key", cfg->key_file, err_words());
}

/* Splits a cipher string: TLS 1.3 suite names ("TLS_AES_...") go to the
 * TLS 1.3 list, the rest is an OpenSSL cipher string for TLS 1.2. */
static int set_ciphers(brisa_tls *t, const char *list)
{
    size_t n = strlen(list);
    char *v12 = calloc(1, n + 1), *v13 = calloc(1, n + 1);
    if (v12 == NULL || v13 == NULL) {
        free(v12);
        free(v13);
        return bri_tls_fail(t, BRISA_ERR_NO_SPACE, "out of memory");
    }
    int rc = BRISA_OK;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ":");
        char *dst = strncmp(p, "TLS_", 4) == 0 ? v13 : v12;
        if (len > 0) {
            if (dst[0] != '\0')
                strcat(dst, ":");
            strncat(dst, p, len);
        }
        p += len + (p[len] == ':');
    }
    SSL_CTX *ctx = be_of(t)->ctx;
    if (rc == BRISA_OK && ((v12[0] && SSL_CTX_set_cipher_list(ctx, v12) != 1) ||
                           (v13[0] && SSL_CTX_set_ciphersuites(ctx, v13) != 1)))
        rc = bri_tls_fail(t, BRISA_ERR_INVALID_ARG, "%s: cipher list '%s': %s",
                             brisa_err_str(BRISA_ERR_INVALID_ARG), list, err_words());
    free(v12);
    free(v13);
    return rc;
}

/* Keeps the newest session the server gave us (TLS 1.3 tickets arrive
 * after the handshake), taking the reference OpenSSL hands over. */
/* The server's stapled OCSP response (or its absence): 1 accepts, 0 ends
 * the handshake with the cause kept for map_error. */
static int status_cb(SSL *ssl, void *arg)
{
    (void)arg;
    brisa_tls *t = tls_of(ssl);
    ossl_be *be = be_of(t);
    int rc = bri_tls_ossl_check_staple(t, ssl);
    if (rc != BRISA_OK && be->verify_err == 0)
        be->verify_err = rc;
    return rc == BRISA_OK ? 1 : 0;
}

static int new_session_cb(SSL *ssl, SSL_SESSION *sess)
{
    brisa_tls *t = SSL_get_app_data(ssl);
    if (t == NULL || !t->resume)
        return 0;
    ossl_be *be = be_of(t);
    SSL_SESSION_free(be->saved);
    be->saved = sess;
    return 1;
}

static int os_setup(brisa_tls *t, const brisa_tls_config *cfg)
{
    ossl_be *be = calloc(1, sizeof *be);
    if (be == NULL)
        return bri_tls_fail(t, BRISA_ERR_NO_SPACE, "out of memory");
    t->be = be;
    ERR_clear_error();
    be->ctx = SSL_CTX_new(TLS_client_method());
    be->meth = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "brisa transport");
    if (be->ctx == NULL || be->meth == NULL)
        return bri_tls_fail(t, BRISA_ERR_TLS, "%s: %s", brisa_err_str(BRISA_ERR_TLS),
                               err_words());
    BIO_meth_set_write(be->meth, bio_write);
    BIO_meth_set_read(be->meth, bio_read);
    BIO_meth_set_ctrl(be->meth, bio_ctrl);
    BIO_meth_set_create(be->meth, bio_create);

    SSL_CTX *ctx = be->ctx;
    SSL_CTX_set_min_proto_version(ctx, cfg->version == BRISA_TLS_VERSION_1_3 ? TLS1_3_VERSION
                                                                              : TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, cfg->version == BRISA_TLS_VERSION_1_2 ? TLS1_2_VERSION
                                       : cfg->version == BRISA_TLS_VERSION_1_3 ? TLS1_3_VERSION
                                                                                : 0);
    int rc;
    if (cfg->ciphers != NULL && (rc = set_ciphers(t, cfg->ciphers)) < 0)
        return rc;
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_cb);
    if (t->resume) {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT |
                                                SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(ctx, new_session_cb);
    } else {
        /* A ticket we would never use costs the server its encryption
         * (two-way: our certificate in it) and the link 600 bytes. */
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    }
    SSL_CTX_set_msg_callback(ctx, msg_cb);
    if (cfg->ocsp != BRISA_TLS_OCSP_OFF)
        SSL_CTX_set_tlsext_status_cb(ctx, status_cb);
    if (t->debug_cb != NULL && t->debug_level >= 2)
        SSL_CTX_set_info_callback(ctx, info_cb);
    if (t->keylog != NULL || t->keylog_cb != NULL)
        SSL_CTX_set_keylog_callback(ctx, keylog_line);
    /* SSL_CTX_set_alpn_protos returns 0 on success */
    if (t->alpn_wire_len > 0 &&
        SSL_CTX_set_alpn_protos(ctx, t->alpn_wire, (unsigned)t->alpn_wire_len) != 0)
        return bri_tls_fail(t, BRISA_ERR_INVALID_ARG, "%s: ALPN list: %s",
                               brisa_err_str(BRISA_ERR_INVALID_ARG), err_words());
    if ((rc = load_trust(t, cfg)) < 0 || (rc = load_identity(t, cfg)) < 0)
        return rc;
    return BRISA_OK;
}

/* ---- session ---- */

static int os_begin(brisa_tls *t)
{
    ossl_be *be = be_of(t);
    SSL_free(be->ssl);
    be->verify_err = 0;
    be->alert_rx = -1;
    be->cert_requested = false;
    be->ahead_pos = be->ahead_end = 0;
    ERR_clear_error();
    be->ssl = SSL_new(be->ctx);
    BIO *bio = be->ssl != NULL ? BIO_new(be->meth) : NULL;
    if (bio == NULL)
        return bri_tls_fail(t, BRISA_ERR_NO_SPACE, "%s: %s", brisa_err_str(BRISA_ERR_NO_SPACE),
                               err_words());
    BIO_set_data(bio, t);
    SSL_set_bio(be->ssl, bio, bio);
    SSL_set_app_data(be->ssl, t);
    SSL_set_connect_state(be->ssl);
    if (t->resume && be->saved != NULL && SSL_SESSION_is_resumable(be->saved))
        SSL_set_session(be->ssl, be->saved);
    if (t->ocsp != BRISA_TLS_OCSP_OFF)
        SSL_set_tlsext_status_type(be->ssl, TLSEXT_STATUSTYPE_ocsp);

    X509_VERIFY_PARAM *param = SSL_get0_param(be->ssl);
    if (t->skip_time_check)
        X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
    else
        X509_VERIFY_PARAM_set_time(param, (time_t)(t->verify_ms / 1000));
    int ok = 1;
    if (!t->insecure && t->server_is_ip) {
        ok = X509_VERIFY_PARAM_set1_ip_asc(param, t->server_name);
    } else if (!t->insecure) {
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        ok = X509_VERIFY_PARAM_set1_host(param, t->server_name, 0);
    }
    if (ok == 1 && t->server_name != NULL && !t->server_is_ip)
        ok = SSL_set_tlsext_host_name(be->ssl, t->server_name);
    if (ok != 1)
        return bri_tls_fail(t, BRISA_ERR_INVALID_ARG, "%s: server name '%s': %s",
                               brisa_err_str(BRISA_ERR_INVALID_ARG), t->server_name, err_words());
    return BRISA_OK;
}

/* Turns an OpenSSL failure into the brisa_err that names its cause. */
static int map_error(brisa_tls *t, int ssl_err, bool handshake)
{
    ossl_be *be = be_of(t);
    if (be->verify_err != 0)
        return be->verify_err;
    if (be->alert_rx >= 0)
        return bri_tls_alert_fail(t, be->alert_rx, be->cert_requested);
    if (ssl_err == SSL_ERROR_ZERO_RETURN)
        return bri_tls_fail(t, BRISA_ERR_CLOSED, "%s (TLS close_notify)",
                               brisa_err_str(BRISA_ERR_CLOSED));
    if (t->inner_err != 0)
        return bri_tls_transport_lost(t, handshake, be->cert_requested);
    int nt = handshake ? bri_tls_check_not_tls(t) : 0;
    if (nt != 0)
        return nt;
    int err = handshake ? BRISA_ERR_TLS_HANDSHAKE : BRISA_ERR_TLS;
    return bri_tls_fail(t, err, "%s: %s", brisa_err_str(err), err_words());
}

static int os_handshake(brisa_tls *t)
{
    ossl_be *be = be_of(t);
    ERR_clear_error();
    int rc = SSL_connect(be->ssl);
    if (rc == 1) {
        t->resumed = SSL_session_reused(be->ssl) == 1;
        snprintf(t->version_str, sizeof t->version_str, "%s", SSL_get_version(be->ssl));
        snprintf(t->cipher_str, sizeof t->cipher_str, "%s", SSL_get_cipher_name(be->ssl));
        const unsigned char *alpn = NULL;
        unsigned alpn_len = 0;
        SSL_get0_alpn_selected(be->ssl, &alpn, &alpn_len);
        snprintf(t->alpn, sizeof t->alpn, "%.*s", (int)alpn_len, alpn != NULL ? (const char *)alpn : "");
        return BRISA_OK;
    }
    int e = SSL_get_error(be->ssl, rc);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
        return TLSI_AGAIN;
    SSL_SESSION_free(be->saved); /* next time, start afresh */
    be->saved = NULL;
    return map_error(t, e, true);
}

/* The outcome of an SSL_read or SSL_write that returned @p rc. */
static int io_result(brisa_tls *t, int rc)
{
    if (rc > 0)
        return rc;
    int e = SSL_get_error(be_of(t)->ssl, rc);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
        return TLSI_AGAIN;
    return map_error(t, e, false);
}

/* SSL_get_error() needs an empty error queue before each call; it
 * nearly always is, and clearing it costs about 1 000 instructions in
 * OpenSSL 3 -- a quarter of brisa's own cost per TLS message (callgrind). */
static void clear_errors(void)
{
    if (ERR_peek_error() != 0)
        ERR_clear_error();
}

static int ssl_read(brisa_tls *t, uint8_t *buf, size_t len)
{
    clear_errors();
    return io_result(t, SSL_read(be_of(t)->ssl, buf, len > INT_MAX ? INT_MAX : (int)len));
}

/* An MQTT packet is read as its header, its length and its body: small
 * reads are served from one SSL_read() into ahead[] (one call into OpenSSL
 * per packet instead of three or four); a read at least as large as
 * ahead[] goes straight to the caller. Bytes read ahead are reported by
 * os_pending(), and a close or alert comes once they are used up. */
static int os_read(brisa_tls *t, uint8_t *buf, size_t len)
{
#if READ_AHEAD == 0
    return ssl_read(t, buf, len);
#else
    ossl_be *be = be_of(t);
    if (be->ahead_pos == be->ahead_end) {
        if (len >= READ_AHEAD)
            return ssl_read(t, buf, len);
        int rc = ssl_read(t, be->ahead, READ_AHEAD);
        if (rc <= 0)
            return rc;
        be->ahead_pos = 0;
        be->ahead_end = (size_t)rc;
    }
    size_t n = be->ahead_end - be->ahead_pos;
    if (n > len)
        n = len;
    memcpy(buf, be->ahead + be->ahead_pos, n);
    be->ahead_pos += n;
    return (int)n;
#endif
}

static int os_write(brisa_tls *t, const uint8_t *buf, size_t len)
{
    clear_errors();
    return io_result(t, SSL_write(be_of(t)->ssl, buf, len > INT_MAX ? INT_MAX : (int)len));
}

static int os_shutdown(brisa_tls *t)
{
    ossl_be *be = be_of(t);
    ERR_clear_error();
    int rc = SSL_shutdown(be->ssl);
    if (rc >= 0)
        return BRISA_OK; /* sent; the peer's answer is not awaited */
    int e = SSL_get_error(be->ssl, rc);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
        return TLSI_AGAIN;
    return BRISA_ERR_TLS;
}

static size_t os_pending(const brisa_tls *t)
{
    const ossl_be *be = be_of(t);
    int n = SSL_pending(be->ssl);
    return (be->ahead_end - be->ahead_pos) + (n > 0 ? (size_t)n : 0);
}

static void os_destroy(brisa_tls *t)
{
    ossl_be *be = be_of(t);
    if (be == NULL)
        return;
    SSL_free(be->ssl);
    SSL_SESSION_free(be->saved);
    SSL_CTX_free(be->ctx);
    BIO_meth_free(be->meth);
    free(be);
    t->be = NULL;
}

const bri_tls_ops bri_tls_openssl_ops = {
    os_setup, os_begin, os_handshake, os_read, os_write, os_shutdown, os_pending, os_destroy,
};
