// SPDX-License-Identifier: MIT
/* Each TLS backend's hashes, gathered by brisa_tls_crypto() (crypto.c). */
#ifndef BRISA_TLS_CRYPTO_INTERNAL_H
#define BRISA_TLS_CRYPTO_INTERNAL_H

#include "brisa/tls_crypto.h"

void bri_tls_mbedtls_crypto(brisa_crypto *out);
void bri_tls_openssl_crypto(brisa_crypto *out);

#endif /* BRISA_TLS_CRYPTO_INTERNAL_H */
