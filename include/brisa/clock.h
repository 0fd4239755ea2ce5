// SPDX-License-Identifier: MIT
/**
 * @file clock.h
 * The clock interface, and a software real-time clock built on it.
 *
 * The core never reads a system clock. Timers (keepalive, retries, leases)
 * use the monotonic milliseconds; certificate validity and the published
 * date use the wall clock, which on a device is unknown until NTP sets it.
 */
#ifndef BRISA_CLOCK_H
#define BRISA_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "brisa/export.h"

BRISA_BEGIN_DECLS

/** Time as the library asks for it: a monotonic count for timeouts and
 *  the wall clock for certificates and logs. Copied by value; @p ctx and
 *  what it points to must outlive every user of the clock. */
typedef struct brisa_clock {
    void *ctx; /**< passed to both functions */
    /** Milliseconds from an arbitrary origin; never goes backwards. */
    uint64_t (*monotonic_ms)(void *ctx);
    /** Milliseconds since 1970-01-01T00:00:00Z (UTC). Returns false if the
     *  wall-clock time is not known (not yet synchronised). */
    bool (*wall_ms)(void *ctx, int64_t *unix_ms);
} brisa_clock;

/**
 * A software RTC: wall time = monotonic time + an offset set by NTP (or by
 * hand). It never touches any system clock. Freestanding; the storage is
 * the caller's.
 */
typedef struct brisa_softclock {
    brisa_clock base;     /**< supplies monotonic_ms */
    int64_t offset_ms;    /**< unix_ms - monotonic_ms, valid when synced */
    bool synced;          /**< an offset has been set */
} brisa_softclock;

/** Starts an unsynchronised software RTC over @p base (copied). */
void brisa_softclock_init(brisa_softclock *sc, const brisa_clock *base);

/** Declares that the wall-clock time is now @p unix_ms. */
void brisa_softclock_set(brisa_softclock *sc, int64_t unix_ms);

/** Shifts the wall clock by @p delta_ms (an NTP offset). Marks it synced. */
void brisa_softclock_adjust(brisa_softclock *sc, int64_t delta_ms);

/** A clock interface whose monotonic time is the base's and whose wall
 *  time is the software RTC's. @p sc must outlive the returned clock. */
brisa_clock brisa_softclock_clock(brisa_softclock *sc);

BRISA_END_DECLS

#endif /* BRISA_CLOCK_H */
