// SPDX-License-Identifier: MIT
/* brisa_tls_crypto(): the hashes of the backend asked for. */
#include "brisa/err.h"
#include "crypto_internal.h"

/* Weak, as the ops in tls.c: a backend not linked in has no hashes. */
#pragma weak bri_tls_mbedtls_crypto
#pragma weak bri_tls_openssl_crypto

brisa_err brisa_tls_crypto(brisa_tls_backend backend, brisa_crypto *out)
{
    if (out == NULL)
        return BRISA_ERR_INVALID_ARG;
    switch (backend) {
    case BRISA_TLS_MBEDTLS:
        if (!bri_tls_mbedtls_crypto)
            return BRISA_ERR_UNSUPPORTED;
        bri_tls_mbedtls_crypto(out);
        return BRISA_OK;
    case BRISA_TLS_OPENSSL:
        if (!bri_tls_openssl_crypto)
            return BRISA_ERR_UNSUPPORTED;
        bri_tls_openssl_crypto(out);
        return BRISA_OK;
    }
    return BRISA_ERR_INVALID_ARG;
}
