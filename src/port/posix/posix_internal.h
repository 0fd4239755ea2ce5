// SPDX-License-Identifier: MIT
/* Shared by the POSIX port's files; not part of the public API. */
#ifndef BRISA_POSIX_INTERNAL_H
#define BRISA_POSIX_INTERNAL_H

#include <stdint.h>

/** Milliseconds of CLOCK_MONOTONIC: every timeout in the port counts in it. */
uint64_t bri_posix_mono_ms(void);

#endif /* BRISA_POSIX_INTERNAL_H */
