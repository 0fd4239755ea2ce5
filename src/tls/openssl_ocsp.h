// SPDX-License-Identifier: MIT
/* Private to the OpenSSL backend: checking a stapled OCSP response. */
#ifndef BRISA_TLS_OPENSSL_OCSP_H
#define BRISA_TLS_OPENSSL_OCSP_H

#include <openssl/ssl.h>

#include "tls_internal.h"

/* Checks the staple of the handshake on @p ssl (from its status callback)
 * against t->ocsp: BRISA_OK (good, or none and not required; sets
 * t->ocsp_status), or BRISA_ERR_TLS_REVOKED, _NO_STAPLE or _OCSP with the
 * detail set. */
int bri_tls_ossl_check_staple(brisa_tls *t, SSL *ssl);

/* The serial number of @p c in hex into @p buf (left as it is if it
 * cannot be had). */
void bri_tls_ossl_serial(const X509 *c, char *buf, size_t cap);

#endif /* BRISA_TLS_OPENSSL_OCSP_H */
