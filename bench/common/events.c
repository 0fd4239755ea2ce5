// SPDX-License-Identifier: MIT
/* Condition-variable wake-up for the threaded wrappers (see bench.h). */
#include <time.h>

#include "bench.h"

void bench_events_init(bench_events *e)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_mutex_init(&e->lock, NULL);
    pthread_cond_init(&e->cond, &attr);
    pthread_condattr_destroy(&attr);
    e->events = 0;
    e->seen = 0;
}

void bench_events_bump(bench_events *e)
{
    e->events++;
    pthread_cond_broadcast(&e->cond);
}

void bench_events_wait(bench_events *e, unsigned timeout_ms)
{
    uint64_t until_ns = bench_now_ns() + (uint64_t)timeout_ms * 1000000u;
    struct timespec until = { (time_t)(until_ns / 1000000000u),
                              (long)(until_ns % 1000000000u) };
    pthread_mutex_lock(&e->lock);
    while (e->events == e->seen && timeout_ms > 0)
        if (pthread_cond_timedwait(&e->cond, &e->lock, &until) != 0)
            break;
    e->seen = e->events;
    pthread_mutex_unlock(&e->lock);
}
