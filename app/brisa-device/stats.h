// SPDX-License-Identifier: MIT
/* Summary statistics of the test mode's timings. */
#ifndef BRISA_DEVICE_STATS_H
#define BRISA_DEVICE_STATS_H

#include <stddef.h>

typedef struct stats_summary {
    size_t count;
    double min, median, mean, p99, max;
} stats_summary;

/* Summarises @p n samples; sorts @p samples in place. With n == 0 every
 * figure is 0. p99 is the nearest-rank 99th percentile. */
stats_summary stats_summarise(double *samples, size_t n);

#endif
