/* Timestamped console lines for the device application. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static uint64_t start_us;
static bool debug_on;

uint64_t log_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
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
    /* Errors also reach stderr, unless it is the same file as stdout. */
    struct stat out, err;
    if (fstat(STDOUT_FILENO, &out) == 0 && fstat(STDERR_FILENO, &err) == 0 &&
        out.st_dev == err.st_dev && out.st_ino == err.st_ino)
        return;
    va_start(ap, fmt);
    emit(stderr, step, "error: ", fmt, ap);
    va_end(ap);
}
