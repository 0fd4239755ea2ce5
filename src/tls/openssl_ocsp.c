// SPDX-License-Identifier: MIT
/* OCSP stapling for the OpenSSL backend (RFC 6066 status_request, RFC 6960
 * responses): the staple must be a successful basic response signed by the
 * issuer of the server's certificate (or a responder it delegated to),
 * current at the configured clock's time, and name that certificate. */
#include "openssl_ocsp.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

void bri_tls_ossl_serial(const X509 *c, char *buf, size_t cap)
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(c), NULL);
    char *hex = bn != NULL ? BN_bn2hex(bn) : NULL;
    if (hex != NULL)
        snprintf(buf, cap, "%s", hex);
    OPENSSL_free(hex);
    BN_free(bn);
}

/* Clocks of responder and device may disagree a little. */
#define SKEW_S BRISA_TLS_OCSP_SKEW_S

static int bad(brisa_tls *t, const char *why)
{
    return bri_tls_fail(t, BRISA_ERR_TLS_OCSP, "%s: %s", brisa_err_str(BRISA_ERR_TLS_OCSP),
                           why);
}

/* The issuer of @p leaf: from the verified chain, else the chain sent. */
static X509 *issuer_of(SSL *ssl, X509 *leaf)
{
    STACK_OF(X509) *chain = SSL_get0_verified_chain(ssl);
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; chain != NULL && i < sk_X509_num(chain); i++) {
            X509 *c = sk_X509_value(chain, i);
            if (c != leaf && X509_check_issued(c, leaf) == X509_V_OK)
                return c;
        }
        chain = SSL_get_peer_cert_chain(ssl);
    }
    return NULL;
}

/* thisUpdate not ahead of the clock, nextUpdate (if any) not behind it. */
static int check_times(brisa_tls *t, ASN1_GENERALIZEDTIME *this_upd,
                       ASN1_GENERALIZEDTIME *next_upd)
{
    if (t->skip_time_check)
        return BRISA_OK;
    time_t ahead = (time_t)(t->verify_ms / 1000) + SKEW_S;
    time_t behind = (time_t)(t->verify_ms / 1000) - SKEW_S;
    if (this_upd == NULL || X509_cmp_time(this_upd, &ahead) > 0)
        return bad(t, "the response was made in the future (thisUpdate ahead of the clock)");
    if (next_upd != NULL && X509_cmp_time(next_upd, &behind) < 0)
        return bad(t, "the response is out of date (nextUpdate passed)");
    return BRISA_OK;
}

/* "certificate has been revoked: CN=broker (serial 1001), says the stapled
 * OCSP response: keyCompromise, at Dec  3 08:43:16 2026 GMT" */
static int revoked(brisa_tls *t, X509 *leaf, int reason, ASN1_GENERALIZEDTIME *at)
{
    char cn[128] = "?", serial[80] = "?", when[64] = "?";
    X509_NAME_get_text_by_NID(X509_get_subject_name(leaf), NID_commonName, cn, sizeof cn);
    bri_tls_ossl_serial(leaf, serial, sizeof serial);
    BIO *mem = BIO_new(BIO_s_mem());
    if (mem != NULL && at != NULL && ASN1_GENERALIZEDTIME_print(mem, at) == 1) {
        int n = BIO_read(mem, when, (int)sizeof when - 1);
        when[n > 0 ? n : 0] = '\0';
    }
    BIO_free(mem);
    return bri_tls_fail(t, BRISA_ERR_TLS_REVOKED,
                           "%s: CN=%s (serial %s), says the stapled OCSP response: %s, at %s",
                           brisa_err_str(BRISA_ERR_TLS_REVOKED), cn, serial,
                           reason >= 0 ? OCSP_crl_reason_str(reason) : "no reason given", when);
}

static int check_response(brisa_tls *t, SSL *ssl, OCSP_RESPONSE *resp, X509 *leaf)
{
    if (OCSP_response_status(resp) != OCSP_RESPONSE_STATUS_SUCCESSFUL)
        return bad(t, "the responder answered with an error status");
    OCSP_BASICRESP *bs = OCSP_response_get1_basic(resp);
    if (bs == NULL)
        return bad(t, "not a basic OCSP response");
    int rc = BRISA_OK;
    X509 *issuer = issuer_of(ssl, leaf);
    OCSP_CERTID *id = issuer != NULL ? OCSP_cert_to_id(NULL, leaf, issuer) : NULL;
    STACK_OF(X509) *sent = SSL_get_peer_cert_chain(ssl);
    X509_STORE *store = SSL_CTX_get_cert_store(SSL_get_SSL_CTX(ssl));
    int status = -1, reason = 0;
    ASN1_GENERALIZEDTIME *rev_at = NULL, *this_upd = NULL, *next_upd = NULL;
    if (id == NULL)
        rc = bad(t, "the issuer of the server's certificate is unknown");
    else if (OCSP_basic_verify(bs, sent, store, 0) <= 0)
        rc = bad(t, "its signature does not lead to a trusted CA or its signer may not sign "
                    "for this issuer");
    else if (OCSP_resp_find_status(bs, id, &status, &reason, &rev_at, &this_upd, &next_upd) != 1)
        rc = bad(t, "it says nothing about the server's certificate");
    else
        rc = check_times(t, this_upd, next_upd);
    if (rc == BRISA_OK && status == V_OCSP_CERTSTATUS_REVOKED)
        rc = revoked(t, leaf, reason, rev_at);
    else if (rc == BRISA_OK && status != V_OCSP_CERTSTATUS_GOOD) {
        rc = bad(t, "the responder does not know the server's certificate (status unknown)");
    }
    OCSP_CERTID_free(id);
    OCSP_BASICRESP_free(bs);
    return rc;
}

int bri_tls_ossl_check_staple(brisa_tls *t, SSL *ssl)
{
    const unsigned char *p = NULL;
    long len = SSL_get_tlsext_status_ocsp_resp(ssl, &p);
    X509 *leaf = SSL_get0_peer_certificate(ssl);
    if (p == NULL || len <= 0) {
        t->ocsp_status = "none";
        if (t->ocsp != BRISA_TLS_OCSP_REQUIRE)
            return BRISA_OK;
        return bri_tls_fail(t, BRISA_ERR_TLS_NO_STAPLE,
                               "%s: %s sent no OCSP response with its certificate, and one is "
                               "required", brisa_err_str(BRISA_ERR_TLS_NO_STAPLE),
                               t->server_name != NULL ? t->server_name : "the server");
    }
    if (leaf == NULL)
        return bad(t, "a response came but no certificate");
    OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &p, len);
    if (resp == NULL)
        return bad(t, "the stapled response does not parse");
    int rc = check_response(t, ssl, resp, leaf);
    OCSP_RESPONSE_free(resp);
    if (rc == BRISA_OK) {
        t->ocsp_status = "good";
        bri_tls_log(t, 2, "OCSP staple: good");
    }
    return rc;
}
