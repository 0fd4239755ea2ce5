// SPDX-License-Identifier: MIT
/* min / median / mean / p99 / max over timing samples. */
#include "stats.h"

#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

stats_summary stats_summarise(double *samples, size_t n)
{
    stats_summary s = { 0, 0, 0, 0, 0, 0 };
    if (n == 0)
        return s;
    qsort(samples, n, sizeof *samples, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += samples[i];
    s.count = n;
    s.min = samples[0];
    s.max = samples[n - 1];
    s.mean = sum / (double)n;
    s.median = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2.0;
    /* Nearest rank: the smallest value with at least 99 % of samples <= it. */
    size_t rank = (99 * n + 99) / 100;
    s.p99 = samples[rank - 1];
    return s;
}
