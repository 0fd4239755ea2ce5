// SPDX-License-Identifier: MIT
/* Timestamped console lines for the device application. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

#include "platform.h"

static uint64_t start_us;
static bool debug_on;

uint64_t log_now_us(void)
{
    return plat_now_us();
}

uint64_t log_now_ms(void)
{
    return (log_now_us() - start_us) / 1000u;
}

void log_init(bool debug)
{
    start_us = log_now_us();
    debug_on = debug;
}

bool log_debug_enabled(void)
{
    return debug_on;
}

static void emit(FILE *f, const char *step, const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void emit(FILE *f, const char *step, const char *prefix, const char *fmt, va_list ap)
{
    uint64_t us = log_now_us() - start_us;
    fprintf(f, "[%4llu.%03llu] %-6s %s", (unsigned long long)(us / 1000000u),
            (unsigned long long)(us / 1000u % 1000u), step, prefix);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    fflush(f);
}

void log_info(const char *step, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(stdout, step, "", fmt, ap);
    va_end(ap);
}

void log_debug(const char *step, const char *fmt, ...)
{
    if (!debug_on)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(stdout, step, "", fmt, ap);
    va_end(ap);
}

void log_error(const char *step, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(stdout, step, "error: ", fmt, ap);
    va_end(ap);
    if (!plat_errors_separate())
        return;
    va_start(ap, fmt);
    emit(stderr, step, "error: ", fmt, ap);
    va_end(ap);
}
