// SPDX-License-Identifier: MIT
/**
 * @file rng.h
 * The random-number interface: DNS query ids, DHCP transaction ids, SNTP
 * transmit timestamps and generated client ids come from here, so a device
 * can plug in its hardware RNG and tests can plug in a fixed sequence.
 */
#ifndef BRISA_RNG_H
#define BRISA_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "brisa/export.h"

BRISA_BEGIN_DECLS

/** A source of unpredictable bytes (DNS ids and ports, DHCP xids, NTP
 *  nonces, TLS): a port's /dev/urandom or a board's hardware RNG. */
typedef struct brisa_rng {
    void *ctx; /**< passed to fill */
    /** Fills @p buf with @p len unpredictable bytes. Returns 0 or a
     *  negative brisa_err. */
    int (*fill)(void *ctx, uint8_t *buf, size_t len);
} brisa_rng;

BRISA_END_DECLS

#endif /* BRISA_RNG_H */
