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

typedef struct brisa_rng {
    void *ctx;
    /** Fills @p buf with @p len unpredictable bytes. Returns 0 or a
     *  negative brisa_err. */
    int (*fill)(void *ctx, uint8_t *buf, size_t len);
} brisa_rng;

BRISA_END_DECLS

#endif /* BRISA_RNG_H */
