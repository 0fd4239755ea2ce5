/* brisa_tls_crypto(): the hashes of the backend asked for. */
#include "brisa/err.h"
#include "crypto_internal.h"

int brisa_tls_crypto(brisa_tls_backend backend, brisa_crypto *out)
{
    if (out == NULL)
        return BRISA_ERR_INVALID_ARG;
    switch (backend) {
    case BRISA_TLS_MBEDTLS:
        brisa_tlsi_mbedtls_crypto(out);
        return BRISA_OK;
    case BRISA_TLS_OPENSSL:
#ifdef BRISA_TLS_HAVE_OPENSSL
        brisa_tlsi_openssl_crypto(out);
        return BRISA_OK;
#else
        return BRISA_ERR_UNSUPPORTED;
#endif
    }
    return BRISA_ERR_INVALID_ARG;
}
