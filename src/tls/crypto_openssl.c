// SPDX-License-Identifier: MIT
/* SHA-256, HMAC-SHA-256 and PBKDF2 from OpenSSL, for brisa_tls_crypto(). */
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "brisa/err.h"
#include "crypto_internal.h"

static int sha256(void *ctx, const uint8_t *data, size_t len, uint8_t out[BRISA_SHA256_LEN])
{
    (void)ctx;
    return EVP_Digest(data, len, out, NULL, EVP_sha256(), NULL) == 1 ? BRISA_OK : BRISA_ERR_TLS;
}

static int hmac(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                uint8_t out[BRISA_SHA256_LEN])
{
    (void)ctx;
    unsigned int n = 0;
    return HMAC(EVP_sha256(), key, (int)key_len, data, len, out, &n) && n == BRISA_SHA256_LEN
               ? BRISA_OK
               : BRISA_ERR_TLS;
}

static int pbkdf2(void *ctx, const uint8_t *pass, size_t pass_len, const uint8_t *salt,
                  size_t salt_len, uint32_t iterations, uint8_t *out, size_t out_len)
{
    (void)ctx;
    return PKCS5_PBKDF2_HMAC((const char *)pass, (int)pass_len, salt, (int)salt_len,
                             (int)iterations, EVP_sha256(), (int)out_len, out) == 1
               ? BRISA_OK
               : BRISA_ERR_TLS;
}

void bri_tls_openssl_crypto(brisa_crypto *out)
{
    out->ctx = NULL;
    out->sha256 = sha256;
    out->hmac_sha256 = hmac;
    out->pbkdf2_sha256 = pbkdf2;
}
