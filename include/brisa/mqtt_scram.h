// SPDX-License-Identifier: MIT
/**
 * @file mqtt_scram.h
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) as an MQTT 5 enhanced
 * authentication method (brisa_mqtt_auth), client side. Freestanding:
 * the hashes come from a brisa_crypto (the TLS backend's, tls_crypto.h),
 * the nonce from a brisa_rng, the memory from the caller.
 *
 * @code
 * brisa_scram scram;
 * brisa_scram_init(&scram, &crypto, &rng, "user", (const uint8_t *)"pencil", 6, NULL);
 * brisa_mqtt_auth auth;
 * brisa_scram_auth(&scram, &auth);
 * options.auth = &auth;   // with protocol_level BRISA_MQTT_V5
 * @endcode
 */
#ifndef BRISA_MQTT_SCRAM_H
#define BRISA_MQTT_SCRAM_H

#include "brisa/err.h"
#include "brisa/export.h"
#include <stddef.h>
#include <stdint.h>

#include "brisa/crypto.h"
#include "brisa/mqtt.h"
#include "brisa/rng.h"

BRISA_BEGIN_DECLS

/** The method name sent in CONNECT and AUTH. */
#define BRISA_SCRAM_METHOD "SCRAM-SHA-256"
/** Room for the AuthMessage (client-first-bare, server-first, client-final
 *  without proof); a longer exchange is refused. */
#define BRISA_SCRAM_MSG_MAX 512

/** One SCRAM-SHA-256 exchange, client side. Caller-allocated; fields are
 *  private; it must outlive the connection whose brisa_mqtt_auth points
 *  to it. */
typedef struct brisa_scram {
    /** @cond PRIVATE */
    brisa_crypto crypto;
    brisa_rng rng;
    const char *user;
    const uint8_t *password;
    size_t password_len;
    const char *fixed_nonce;  /**< tests only: this nonce instead of a random one */
    char nonce[32];
    uint8_t server_signature[BRISA_SHA256_LEN];
    char msg[BRISA_SCRAM_MSG_MAX];
    size_t msg_len;
    uint8_t state;
    /** @endcond */
} brisa_scram;

/** Prepares @p s for @p user / @p password (both must outlive it; the
 *  password is used as given: ASCII, or already SASLprep'ed). @p nonce
 *  NULL draws a fresh nonce from @p rng for each exchange. Returns
 *  BRISA_OK or BRISA_ERR_INVALID_ARG. */
brisa_err brisa_scram_init(brisa_scram *s, const brisa_crypto *crypto, const brisa_rng *rng,
                           const char *user, const uint8_t *password, size_t password_len,
                           const char *nonce);

/** The brisa_mqtt_auth that runs @p s. */
void brisa_scram_auth(brisa_scram *s, brisa_mqtt_auth *out);

/** The step function of brisa_scram_auth() (see brisa_mqtt_auth):
 *  client-first, client-final from server-first, then the check of the
 *  server's signature. Returns the bytes written, or BRISA_ERR_REFUSED
 *  (wrong server signature or an "e=" error), BRISA_ERR_MALFORMED (a
 *  server message that does not parse, a nonce that does not extend
 *  ours), BRISA_ERR_NO_SPACE, BRISA_ERR_STATE. */
int brisa_scram_step(void *ctx, uint8_t reason, const uint8_t *in, size_t in_len,
                     uint8_t *out, size_t out_size);

BRISA_END_DECLS

#endif /* BRISA_MQTT_SCRAM_H */
