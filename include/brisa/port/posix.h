// SPDX-License-Identifier: MIT
/**
 * @file posix.h
 * POSIX implementations of the clock and random-number interfaces.
 */
#ifndef BRISA_POSIX_H
#define BRISA_POSIX_H

#include "brisa/export.h"
#include "brisa/clock.h"
#include "brisa/rng.h"
#include "brisa/sntp.h"

BRISA_BEGIN_DECLS

/** The host's clocks: CLOCK_MONOTONIC, and CLOCK_REALTIME as wall time. */
brisa_clock brisa_posix_clock(void);

/** Like brisa_posix_clock() but with no wall time: for a device whose time
 *  must come from NTP (wrap it in a brisa_softclock). */
brisa_clock brisa_posix_monotonic_clock(void);

/** getrandom(2)-backed randomness. */
brisa_rng brisa_posix_rng(void);

/** Nanosecond timestamps for SNTP (loopback and LAN round trips are well
 *  under a millisecond): CLOCK_MONOTONIC, and CLOCK_REALTIME as wall time
 *  when @p with_wall (else the SNTP client falls back to its brisa_clock's
 *  wall time, e.g. a software RTC). */
brisa_sntp_fine_clock brisa_posix_fine_clock(bool with_wall);

BRISA_END_DECLS

#endif /* BRISA_POSIX_H */
