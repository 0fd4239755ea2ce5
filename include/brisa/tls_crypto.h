// SPDX-License-Identifier: MIT
/**
 * @file tls_crypto.h
 * The TLS backends' hashes as a brisa_crypto (crypto.h).
 */
#ifndef BRISA_TLS_CRYPTO_H
#define BRISA_TLS_CRYPTO_H

#include "brisa/err.h"
#include "brisa/export.h"
#include "brisa/crypto.h"
#include "brisa/tls.h"

BRISA_BEGIN_DECLS

/** Fills @p out with @p backend's SHA-256, HMAC-SHA-256 and PBKDF2.
 *  Returns BRISA_OK, or BRISA_ERR_UNSUPPORTED when that backend is not
 *  built in. */
brisa_err brisa_tls_crypto(brisa_tls_backend backend, brisa_crypto *out);

BRISA_END_DECLS

#endif /* BRISA_TLS_CRYPTO_H */
