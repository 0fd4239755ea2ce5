// SPDX-License-Identifier: MIT
/* SHA-256, HMAC-SHA-256 and PBKDF2 from mbedTLS, for brisa_tls_crypto(). */
#include <mbedtls/md.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/sha256.h>

#include "brisa/err.h"
#include "crypto_internal.h"

static int sha256(void *ctx, const uint8_t *data, size_t len, uint8_t out[BRISA_SHA256_LEN])
{
    (void)ctx;
    return mbedtls_sha256_ret(data, len, out, 0) == 0 ? BRISA_OK : BRISA_ERR_TLS;
}

static int hmac(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                uint8_t out[BRISA_SHA256_LEN])
{
    (void)ctx;
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    return mbedtls_md_hmac(md, key, key_len, data, len, out) == 0 ? BRISA_OK : BRISA_ERR_TLS;
}

static int pbkdf2(void *ctx, const uint8_t *pass, size_t pass_len, const uint8_t *salt,
                  size_t salt_len, uint32_t iterations, uint8_t *out, size_t out_len)
{
    (void)ctx;
    mbedtls_md_context_t md;
    mbedtls_md_init(&md);
    int rc = mbedtls_md_setup(&md, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), 1);
    if (rc == 0)
        rc = mbedtls_pkcs5_pbkdf2_hmac(&md, pass, pass_len, salt, salt_len, iterations,
                                       (uint32_t)out_len, out);
    mbedtls_md_free(&md);
    return rc == 0 ? BRISA_OK : BRISA_ERR_TLS;
}

void bri_tls_mbedtls_crypto(brisa_crypto *out)
{
    out->ctx = NULL;
    out->sha256 = sha256;
    out->hmac_sha256 = hmac;
    out->pbkdf2_sha256 = pbkdf2;
}
