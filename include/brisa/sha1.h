// SPDX-License-Identifier: MIT
/**
 * @file sha1.h
 * SHA-1 (RFC 3174) and base64 (RFC 4648), freestanding.
 *
 * SHA-1 is here only because the WebSocket handshake (RFC 6455) names it
 * for Sec-WebSocket-Accept; it is not used for anything that needs a
 * collision-resistant hash. Base64 serves the same handshake and HTTP
 * basic authentication.
 */
#ifndef BRISA_SHA1_H
#define BRISA_SHA1_H

#include <stddef.h>
#include <stdint.h>

#include "brisa/export.h"

BRISA_BEGIN_DECLS

/** Bytes in a SHA-1 digest. */
#define BRISA_SHA1_LEN 20

/** A running SHA-1 computation (fields private). */
typedef struct brisa_sha1 {
    uint32_t h[5];      /**< the chaining state H0..H4 */
    uint64_t total;     /**< bytes hashed so far */
    uint8_t block[64];  /**< a partial block */
    size_t used;        /**< bytes in @p block */
} brisa_sha1;

/** Starts a new digest in @p s. */
void brisa_sha1_init(brisa_sha1 *s);
/** Hashes @p len bytes of @p data (any length, any number of calls). */
void brisa_sha1_update(brisa_sha1 *s, const void *data, size_t len);
/** Writes the 20-byte digest to @p out; @p s must be initialised again
 *  before reuse. */
void brisa_sha1_final(brisa_sha1 *s, uint8_t out[BRISA_SHA1_LEN]);

/** Bytes brisa_base64_encode() writes for @p len input bytes, with the
 *  terminating NUL. */
#define BRISA_BASE64_SIZE(len) ((((len) + 2u) / 3u) * 4u + 1u)

/**
 * Encodes @p len bytes of @p in as padded base64 into @p out
 * (NUL-terminated). Returns the text length, or BRISA_ERR_NO_SPACE if
 * @p cap is below BRISA_BASE64_SIZE(len).
 */
int brisa_base64_encode(const uint8_t *in, size_t len, char *out, size_t cap);

BRISA_END_DECLS

#endif /* BRISA_SHA1_H */
