// SPDX-License-Identifier: MIT
/* Calendar arithmetic for showing SNTP time to people: no libc time
 * functions, so it runs freestanding with a fixed GMT offset (the seed
 * device's "zona horaria GMT" setting). */
#include <string.h>

#include "brisa/err.h"
#include "brisa/sntp.h"

#define MS_PER_DAY 86400000LL

/* Floor division: calendars must not round towards zero before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void brisa_sntp_civil_from_unix_ms(int64_t unix_ms, brisa_civil_time *out)
{
    int64_t days = unix_ms / MS_PER_DAY, ms = unix_ms % MS_PER_DAY;
    if (ms < 0) { /* floor, not truncation, before 1970 */
        ms += MS_PER_DAY;
        days--;
    }

    /* Count from 0000-03-01 so the leap day ends each year; 400-year
     * cycles have exactly 146097 days. */
    int64_t z = days + 719468;
    int64_t cycle = floor_div(z, 146097);
    int64_t doc = z - cycle * 146097;                                   /* 0..146096 */
    int64_t yoc = (doc - doc / 1460 + doc / 36524 - doc / 146096) / 365; /* 0..399 */
    int64_t doy = doc - (365 * yoc + yoc / 4 - yoc / 100);              /* 0..365 */
    int64_t mp = (5 * doy + 2) / 153;                                   /* 0 = March */
    int64_t month = mp < 10 ? mp + 3 : mp - 9;

    out->year = (int32_t)(yoc + cycle * 400 + (month <= 2));
    out->month = (uint8_t)month;
    out->day = (uint8_t)(doy - (153 * mp + 2) / 5 + 1);
    out->hour = (uint8_t)(ms / 3600000);
    out->minute = (uint8_t)(ms / 60000 % 60);
    out->second = (uint8_t)(ms / 1000 % 60);
    out->ms = (uint16_t)(ms % 1000);
    out->weekday = (uint8_t)(days - floor_div(days + 4, 7) * 7 + 4); /* 1970-01-01: Thursday */
}

/* Appends v in decimal with at least `width` digits. */
static void put_num(char *buf, size_t *pos, uint32_t v, int width)
{
    char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    while (n)
        buf[(*pos)++] = tmp[--n];
}

int brisa_sntp_format_time(int64_t unix_ms, int gmt_offset_min, char *buf, size_t cap)
{
    char tmp[48];
    size_t pos = 0;
    brisa_civil_time t;

    if (!buf || gmt_offset_min < -24 * 60 || gmt_offset_min > 24 * 60)
        return BRISA_ERR_INVALID_ARG;
    /* Keep the shift from overflowing at the very ends of int64. */
    int64_t shift = (int64_t)gmt_offset_min * 60000;
    if ((shift > 0 && unix_ms > INT64_MAX - shift) || (shift < 0 && unix_ms < INT64_MIN - shift))
        return BRISA_ERR_INVALID_ARG;
    brisa_sntp_civil_from_unix_ms(unix_ms + shift, &t);

    if (t.year < 0)
        tmp[pos++] = '-';
    put_num(tmp, &pos, (uint32_t)(t.year < 0 ? -(int64_t)t.year : t.year), 4);
    tmp[pos++] = '-';
    put_num(tmp, &pos, t.month, 2);
    tmp[pos++] = '-';
    put_num(tmp, &pos, t.day, 2);
    tmp[pos++] = ' ';
    put_num(tmp, &pos, t.hour, 2);
    tmp[pos++] = ':';
    put_num(tmp, &pos, t.minute, 2);
    tmp[pos++] = ':';
    put_num(tmp, &pos, t.second, 2);
    memcpy(tmp + pos, " GMT", 4); // NOLINT(bugprone-not-null-terminated-result): buf gets the NUL
    pos += 4;
    if (gmt_offset_min != 0) {
        unsigned off = (unsigned)(gmt_offset_min < 0 ? -gmt_offset_min : gmt_offset_min);
        tmp[pos++] = gmt_offset_min < 0 ? '-' : '+';
        put_num(tmp, &pos, off / 60u, 1);
        if (off % 60u) {
            tmp[pos++] = ':';
            put_num(tmp, &pos, off % 60u, 2);
        }
    }
    if (pos + 1 > cap)
        return BRISA_ERR_NO_SPACE;
    memcpy(buf, tmp, pos);
    buf[pos] = '\0';
    return (int)pos;
}
