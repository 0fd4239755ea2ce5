// SPDX-License-Identifier: MIT
/**
 * @file crypto.h
 * The few hashes the core needs (SCRAM-SHA-256 for MQTT 5 enhanced
 * authentication), asked of whoever has them: the TLS backend on Linux
 * and on the board (see tls_crypto.h), so the core carries no copy.
 */
#ifndef BRISA_CRYPTO_H
#define BRISA_CRYPTO_H

#include "brisa/export.h"
#include <stddef.h>
#include <stdint.h>

BRISA_BEGIN_DECLS

/** Bytes of a SHA-256 digest. */
#define BRISA_SHA256_LEN 32

/** The hash functions a TLS engine lends the core (SCRAM): a context and
 *  functions, copied by value; the context must outlive every copy. */
typedef struct brisa_crypto {
    void *ctx;  /**< passed to every function */
    /** SHA-256 of @p data into @p out. Returns 0 or a negative brisa_err. */
    int (*sha256)(void *ctx, const uint8_t *data, size_t len, uint8_t out[BRISA_SHA256_LEN]);
    /** HMAC-SHA-256 of @p data under @p key into @p out. */
    int (*hmac_sha256)(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *data,
                       size_t len, uint8_t out[BRISA_SHA256_LEN]);
    /** PBKDF2 with HMAC-SHA-256 (RFC 8018): @p out_len bytes into @p out. */
    int (*pbkdf2_sha256)(void *ctx, const uint8_t *pass, size_t pass_len, const uint8_t *salt,
                         size_t salt_len, uint32_t iterations, uint8_t *out, size_t out_len);
} brisa_crypto;

BRISA_END_DECLS

#endif /* BRISA_CRYPTO_H */
