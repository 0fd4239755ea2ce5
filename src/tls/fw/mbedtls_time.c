// SPDX-License-Identifier: MIT
/* mbedTLS's clock in the firmware configuration: the brisa_clock of the TLS
 * configuration (NTP time on a device), never the C library's time(),
 * which a board without an RTC cannot answer. */
#include <stdbool.h>
#include <stddef.h>

#include "brisa/clock.h"
#include "brisa_mbedtls_config.h"

static brisa_clock source;
static bool have_source;

void bri_mbedtls_time_source(const struct brisa_clock *clock)
{
    have_source = clock != NULL;
    if (have_source)
        source = *clock;
}

time_t bri_mbedtls_time(time_t *out)
{
    int64_t ms = 0;
    if (!have_source || source.wall_ms == NULL || !source.wall_ms(source.ctx, &ms) || ms < 0)
        ms = 0; /* unknown: 1970, which brisa's own checks refuse with BRISA_ERR_CLOCK */
    time_t t = (time_t)(ms / 1000);
    if (out != NULL)
        *out = t;
    return t;
}
