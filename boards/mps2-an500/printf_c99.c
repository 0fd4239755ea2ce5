// SPDX-License-Identifier: MIT
/* newlib as Debian builds it for arm-none-eabi lacks C99's printf length
 * modifiers: "%zu" prints "zu" and shifts every later argument. brisa's
 * code (and mbedTLS's debug lines) use them, so the firmware links the
 * printf family through these wrappers (ld --wrap), which rewrite the
 * format first: 'z' and 't' are dropped (size_t and ptrdiff_t are int-sized
 * here), 'j' becomes "ll". Formats without them pass untouched. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FORMAT_MAX 256

int __real_vsnprintf(char *s, size_t n, const char *fmt, va_list ap);
int __real_vfprintf(FILE *f, const char *fmt, va_list ap);
int __wrap_vsnprintf(char *s, size_t n, const char *fmt, va_list ap);
int __wrap_vfprintf(FILE *f, const char *fmt, va_list ap);
int __wrap_snprintf(char *s, size_t n, const char *fmt, ...);
int __wrap_fprintf(FILE *f, const char *fmt, ...);
int __wrap_printf(const char *fmt, ...);
int __wrap_vprintf(const char *fmt, va_list ap);

/* The format newlib understands, in @p buf when it had to change. */
static const char *c99_format(const char *fmt, char *buf, size_t cap)
{
    if (!strpbrk(fmt, "ztj"))
        return fmt;
    size_t o = 0;
    for (const char *p = fmt; *p; p++) {
        if (o + 3 >= cap)
            return fmt; /* too long to rewrite: print it as it is */
        buf[o++] = *p;
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            buf[o++] = *++p;
            continue;
        }
        while (p[1] && strchr("-+ #0123456789.*", p[1]) && o + 3 < cap)
            buf[o++] = *++p;
        if (p[1] == 'z' || p[1] == 't') {
            p++;
        } else if (p[1] == 'j') {
            p++;
            buf[o++] = 'l';
            buf[o++] = 'l';
        }
    }
    buf[o] = '\0';
    return buf;
}

int __wrap_vsnprintf(char *s, size_t n, const char *fmt, va_list ap)
{
    char buf[FORMAT_MAX];
    return __real_vsnprintf(s, n, c99_format(fmt, buf, sizeof buf), ap);
}

int __wrap_vfprintf(FILE *f, const char *fmt, va_list ap)
{
    char buf[FORMAT_MAX];
    return __real_vfprintf(f, c99_format(fmt, buf, sizeof buf), ap);
}

int __wrap_snprintf(char *s, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __wrap_vsnprintf(s, n, fmt, ap);
    va_end(ap);
    return r;
}

int __wrap_fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __wrap_vfprintf(f, fmt, ap);
    va_end(ap);
    return r;
}

int __wrap_vprintf(const char *fmt, va_list ap)
{
    return __wrap_vfprintf(stdout, fmt, ap);
}

int __wrap_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __wrap_vfprintf(stdout, fmt, ap);
    va_end(ap);
    return r;
}
