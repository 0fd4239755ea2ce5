// SPDX-License-Identifier: MIT
/* State of the mbedTLS backend, shared by mbedtls.c (session, I/O,
 * credentials) and mbedtls_verify.c (certificate checks). */
#ifndef BRISA_TLS_MBEDTLS_BE_H
#define BRISA_TLS_MBEDTLS_BE_H

#include <stdbool.h>
#include <stdint.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

#include "tls_internal.h"

typedef struct bri_tls_mbed {
    mbedtls_ssl_config conf;
    mbedtls_ssl_context ssl;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_entropy_context *entropy; /* only without a brisa_rng */
    mbedtls_x509_crt ca;
    mbedtls_x509_crl crl;
    mbedtls_x509_crt own_cert;
    mbedtls_pk_context own_key;
    int *suites;                      /* from cfg->ciphers; NULL: default */
    mbedtls_ecp_group_id curves[MBEDTLS_ECP_DP_MAX + 1]; /* fastest first */
    bool used;                        /* a session ran: reset first */
    int verify_err;                   /* first failure the callback saw */
    bool verify_called;               /* a certificate came in this handshake */
    mbedtls_ssl_session saved;        /* the last session, to resume */
    bool have_saved;
} bri_tls_mbed;

/* mbedTLS verify callback (see mbedtls_ssl_conf_verify). Re-checks the
 * dates against the configured clock instead of the host's, checks the
 * host name itself (subjectAltName DNS and IP, CN fallback), and records
 * the first failure with its one-line detail. @p ctx is the brisa_tls. */
int bri_tls_mbedtls_verify(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags);

/* The brisa_err for a set of MBEDTLS_X509_BADCERT_/BADCRL_ flags (0 if
 * none is set), most fundamental cause first. */
int bri_tls_mbedtls_flags_err(uint32_t flags);

/* True if @p crt is valid for the connection's server name. */
bool bri_tls_mbedtls_name_ok(const brisa_tls *t, const mbedtls_x509_crt *crt);

#endif /* BRISA_TLS_MBEDTLS_BE_H */
