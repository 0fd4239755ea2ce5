// SPDX-License-Identifier: MIT
/* Host clock and kernel randomness for the POSIX port. */
#include <errno.h>
#include <sys/random.h>
#include <time.h>

#include "brisa/err.h"
#include "brisa/port/posix.h"
#include "posix_internal.h"

uint64_t bri_posix_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint64_t mono_ms(void *ctx)
{
    (void)ctx;
    return bri_posix_mono_ms();
}

static bool host_wall_ms(void *ctx, int64_t *unix_ms)
{
    (void)ctx;
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return false;
    *unix_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    return true;
}

brisa_clock brisa_posix_clock(void)
{
    brisa_clock c = { NULL, mono_ms, host_wall_ms };
    return c;
}

static bool no_wall(void *ctx, int64_t *unix_ms)
{
    (void)ctx;
    (void)unix_ms;
    return false;
}

brisa_clock brisa_posix_monotonic_clock(void)
{
    brisa_clock c = { NULL, mono_ms, no_wall };
    return c;
}

static uint64_t mono_ns(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool wall_ns(void *ctx, int64_t *ns)
{
    (void)ctx;
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return false;
    *ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    return true;
}

brisa_sntp_fine_clock brisa_posix_fine_clock(bool with_wall)
{
    brisa_sntp_fine_clock f = { NULL, mono_ns, with_wall ? wall_ns : NULL };
    return f;
}

static int kernel_random(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    while (len > 0) {
        ssize_t n = getrandom(buf, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return BRISA_ERR_IO;
        }
        buf += n;
        len -= (size_t)n;
    }
    return BRISA_OK;
}

brisa_rng brisa_posix_rng(void)
{
    brisa_rng r = { NULL, kernel_random };
    return r;
}
