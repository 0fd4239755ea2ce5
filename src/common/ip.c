// SPDX-License-Identifier: MIT
/* IP address text <-> bytes, without the OS's inet_pton/inet_ntop so the
 * core stays freestanding. */
#include "brisa/ip.h"

#include <string.h>

#include "brisa/err.h"

brisa_ip_addr brisa_ip_v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    brisa_ip_addr ip;
    memset(&ip, 0, sizeof ip);
    ip.family = BRISA_IP_V4;
    ip.bytes[0] = a;
    ip.bytes[1] = b;
    ip.bytes[2] = c;
    ip.bytes[3] = d;
    return ip;
}

/* Parses exactly a dotted quad at the start of s, up to end. */
static bool parse_v4(const char *s, const char *end, uint8_t out[4])
{
    for (int i = 0; i < 4; i++) {
        if (i > 0) {
            if (s >= end || *s != '.')
                return false;
            s++;
        }
        unsigned v = 0;
        int digits = 0;
        while (s < end && *s >= '0' && *s <= '9') {
            if (digits > 0 && v == 0)
                return false; /* no leading zeros: "01" is ambiguous (octal) */
            v = v * 10u + (unsigned)(*s - '0');
            if (++digits > 3 || v > 255)
                return false;
            s++;
        }
        if (digits == 0)
            return false;
        out[i] = (uint8_t)v;
    }
    return s == end;
}

static int hex_value(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static bool parse_v6(const char *s, const char *end, uint8_t out[16])
{
    uint8_t words[16];
    int n = 0;          /* bytes written to words */
    int gap = -1;       /* byte index where "::" stands */

    if (end - s >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        s += 2;
        if (s == end)
            goto done;
    } else if (s < end && *s == ':') {
        return false;
    }

    for (;;) {
        /* An embedded IPv4 tail: only when a '.' follows before any ':'. */
        const char *p = s;
        while (p < end && *p != ':' && *p != '.')
            p++;
        if (p < end && *p == '.') {
            if (n > 12)
                return false;
            if (!parse_v4(s, end, &words[n]))
                return false;
            n += 4;
            break;
        }
        unsigned v = 0;
        int digits = 0;
        while (s < end && hex_value(*s) >= 0) {
            v = (v << 4) | (unsigned)hex_value(*s);
            if (++digits > 4)
                return false;
            s++;
        }
        if (digits == 0 || n > 14)
            return false;
        words[n++] = (uint8_t)(v >> 8);
        words[n++] = (uint8_t)v;
        if (s == end)
            break;
        if (*s != ':')
            return false;
        s++;
        if (s < end && *s == ':') {
            if (gap >= 0)
                return false; /* a second "::" */
            gap = n;
            s++;
            if (s == end)
                break;
        } else if (s == end) {
            return false; /* trailing single ':' */
        }
    }

done:
    if (gap < 0) {
        if (n != 16)
            return false;
        memcpy(out, words, 16);
        return true;
    }
    if (n > 14)
        return false; /* "::" must stand for at least one group */
    memset(out, 0, 16);
    memcpy(out, words, (size_t)gap);
    memcpy(out + 16 - (n - gap), words + gap, (size_t)(n - gap));
    return true;
}

bool brisa_ip_parse(const char *text, brisa_ip_addr *out)
{
    if (!text || !out)
        return false;
    const char *end = text + strlen(text);
    brisa_ip_addr ip;
    memset(&ip, 0, sizeof ip);
    if (memchr(text, ':', (size_t)(end - text))) {
        if (!parse_v6(text, end, ip.bytes))
            return false;
        ip.family = BRISA_IP_V6;
    } else {
        if (!parse_v4(text, end, ip.bytes))
            return false;
        ip.family = BRISA_IP_V4;
    }
    *out = ip;
    return true;
}

/* Appends decimal v to buf at *pos. */
static void put_dec(char *buf, size_t *pos, unsigned v)
{
    char tmp[4];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (n)
        buf[(*pos)++] = tmp[--n];
}

static void put_hex(char *buf, size_t *pos, unsigned v)
{
    static const char digits[] = "0123456789abcdef";
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
        unsigned d = (v >> shift) & 0xfu;
        if (d || started || shift == 0) {
            buf[(*pos)++] = digits[d];
            started = true;
        }
    }
}

int brisa_ip_format(const brisa_ip_addr *ip, char *buf, size_t cap)
{
    char tmp[BRISA_IP_STR_MAX];
    size_t pos = 0;

    if (!ip || !buf)
        return BRISA_ERR_INVALID_ARG;
    if (ip->family == BRISA_IP_V4) {
        for (int i = 0; i < 4; i++) {
            if (i)
                tmp[pos++] = '.';
            put_dec(tmp, &pos, ip->bytes[i]);
        }
    } else if (ip->family == BRISA_IP_V6) {
        /* RFC 5952: compress the longest run (>= 2) of zero groups. */
        int best = -1, best_len = 0;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && ip->bytes[2 * j] == 0 && ip->bytes[2 * j + 1] == 0)
                j++;
            if (j - i > best_len && j - i >= 2) {
                best = i;
                best_len = j - i;
            }
            i = (j == i) ? i + 1 : j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == best) {
                tmp[pos++] = ':';
                tmp[pos++] = ':';
                i += best_len - 1;
                continue;
            }
            if (i && !(best >= 0 && i == best + best_len))
                tmp[pos++] = ':';
            put_hex(tmp, &pos, (unsigned)(ip->bytes[2 * i] << 8 | ip->bytes[2 * i + 1]));
        }
    } else {
        return BRISA_ERR_INVALID_ARG;
    }
    if (pos + 1 > cap)
        return BRISA_ERR_NO_SPACE;
    memcpy(buf, tmp, pos);
    buf[pos] = '\0';
    return (int)pos;
}

bool brisa_ip_equal(const brisa_ip_addr *a, const brisa_ip_addr *b)
{
    if (a->family != b->family)
        return false;
    size_t n = a->family == BRISA_IP_V4 ? 4 : a->family == BRISA_IP_V6 ? 16 : 0;
    return memcmp(a->bytes, b->bytes, n) == 0;
}
