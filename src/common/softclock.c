// SPDX-License-Identifier: MIT
/* Software real-time clock: wall time as an offset over a monotonic clock,
 * so NTP can set the device's notion of time without touching the host's. */
#include "brisa/clock.h"

void brisa_softclock_init(brisa_softclock *sc, const brisa_clock *base)
{
    sc->base = *base;
    sc->offset_ms = 0;
    sc->synced = false;
}

void brisa_softclock_set(brisa_softclock *sc, int64_t unix_ms)
{
    sc->offset_ms = unix_ms - (int64_t)sc->base.monotonic_ms(sc->base.ctx);
    sc->synced = true;
}

void brisa_softclock_adjust(brisa_softclock *sc, int64_t delta_ms)
{
    if (!sc->synced) {
        /* Unsynchronised: start from the base's own wall clock if it has one. */
        int64_t now = 0;
        if (sc->base.wall_ms && sc->base.wall_ms(sc->base.ctx, &now))
            sc->offset_ms = now - (int64_t)sc->base.monotonic_ms(sc->base.ctx);
        else
            sc->offset_ms = 0;
    }
    sc->offset_ms += delta_ms;
    sc->synced = true;
}

static uint64_t soft_monotonic(void *ctx)
{
    brisa_softclock *sc = ctx;
    return sc->base.monotonic_ms(sc->base.ctx);
}

static bool soft_wall(void *ctx, int64_t *unix_ms)
{
    brisa_softclock *sc = ctx;
    if (!sc->synced)
        return false;
    *unix_ms = (int64_t)sc->base.monotonic_ms(sc->base.ctx) + sc->offset_ms;
    return true;
}

brisa_clock brisa_softclock_clock(brisa_softclock *sc)
{
    brisa_clock c = { sc, soft_monotonic, soft_wall };
    return c;
}
