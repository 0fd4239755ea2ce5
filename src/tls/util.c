// SPDX-License-Identifier: MIT
/* Pure helpers of the TLS layer: alert names, UTC dates, host-name
 * matching. No TLS library here, so the unit tests reach every branch. */
#include <string.h>

#include "brisa/ip.h"
#include "tls_internal.h"

const char *bri_tls_alert_name(int alert)
{
    switch (alert) {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 22: return "record_overflow";
    case 40: return "handshake_failure";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 44: return "certificate_revoked";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 49: return "access_denied";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";
    case 90: return "user_canceled";
    case 100: return "no_renegotiation";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 112: return "unrecognized_name";
    case 115: return "unknown_psk_identity";
    case 116: return "certificate_required";
    case 120: return "no_application_protocol";
    default: return "unknown alert";
    }
}

bri_tls_tm bri_tls_gmtime(int64_t unix_s)
{
    bri_tls_tm tm;
    int64_t days = unix_s / 86400;
    int64_t secs = unix_s % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    tm.hour = (int)(secs / 3600);
    tm.min = (int)(secs / 60 % 60);
    tm.sec = (int)(secs % 60);

    /* Proleptic Gregorian calendar counted in 400-year eras of 146097 days
     * starting on 0000-03-01, so that the leap day ends each year. */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    tm.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    tm.mon = (int)(mp < 10 ? mp + 3 : mp - 9);
    tm.year = (int)(yoe + era * 400 + (tm.mon <= 2 ? 1 : 0));
    return tm;
}

int bri_tls_tm_cmp(const bri_tls_tm *a, const bri_tls_tm *b)
{
    const int av[6] = { a->year, a->mon, a->day, a->hour, a->min, a->sec };
    const int bv[6] = { b->year, b->mon, b->day, b->hour, b->min, b->sec };
    for (int i = 0; i < 6; i++) {
        if (av[i] != bv[i])
            return av[i] < bv[i] ? -1 : 1;
    }
    return 0;
}

static void put_num(char **p, int value, int width)
{
    char digits[12];
    int n = 0;
    unsigned v = value < 0 ? 0u : (unsigned)value;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && n < (int)sizeof digits);
    while (n < width)
        digits[n++] = '0';
    while (n > 0)
        *(*p)++ = digits[--n];
}

void bri_tls_tm_format(const bri_tls_tm *tm, char *buf, size_t cap)
{
    char tmp[40];
    char *p = tmp;
    put_num(&p, tm->year, 4);
    *p++ = '-';
    put_num(&p, tm->mon, 2);
    *p++ = '-';
    put_num(&p, tm->day, 2);
    *p++ = ' ';
    put_num(&p, tm->hour, 2);
    *p++ = ':';
    put_num(&p, tm->min, 2);
    *p++ = ':';
    put_num(&p, tm->sec, 2);
    memcpy(p, " UTC", 5);
    if (cap == 0)
        return;
    size_t n = strlen(tmp);
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, tmp, n);
    buf[n] = '\0';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool same_ci(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

bool bri_tls_dns_match(const char *pattern, size_t plen, const char *host)
{
    size_t hlen = strlen(host);
    if (plen == 0 || hlen == 0 || memchr(pattern, '\0', plen) != NULL)
        return false;
    if (plen >= 3 && pattern[0] == '*' && pattern[1] == '.') {
        /* "*.example.com": the suffix needs a dot of its own, so "*.com"
         * never matches; the star stands for one whole, non-empty label. */
        const char *suffix = pattern + 1;
        size_t slen = plen - 1;
        if (memchr(suffix + 1, '.', slen - 1) == NULL || hlen <= slen)
            return false;
        const char *host_suffix = host + (hlen - slen);
        if (memchr(host, '.', hlen - slen) != NULL)
            return false;
        return same_ci(host_suffix, suffix, slen);
    }
    return plen == hlen && same_ci(pattern, host, plen);
}

bool bri_tls_is_pem(const uint8_t *data, size_t len)
{
    static const char tag[] = "-----BEGIN ";
    size_t tl = sizeof tag - 1;
    for (size_t i = 0; i + tl <= len; i++) {
        if (memcmp(data + i, tag, tl) == 0)
            return true;
    }
    return false;
}

void bri_tls_list_add(char *buf, size_t cap, const char *prefix,
                         const char *item, size_t item_len)
{
    size_t used = cap > 0 ? strlen(buf) : 0;
    if (cap == 0 || used >= cap - 1)
        return;
    char *p = buf + used;
    size_t room = cap - 1 - used;
    const char *parts[3] = { used > 0 ? ", " : "", prefix, item };
    size_t lens[3] = { used > 0 ? 2u : 0u, strlen(prefix), item_len };
    for (int i = 0; i < 3 && room > 0; i++) {
        size_t n = lens[i] < room ? lens[i] : room;
        memcpy(p, parts[i], n);
        p += n;
        room -= n;
    }
    *p = '\0';
}

void bri_tls_printable(char *dst, size_t cap, const uint8_t *src, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++)
        dst[n++] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : '?';
    if (cap > 0)
        dst[n] = '\0';
}

void bri_tls_list_san(char *buf, size_t cap, bool is_ip, const uint8_t *p, size_t len)
{
    char item[BRISA_IP_STR_MAX + 80];
    if (!is_ip) {
        bri_tls_printable(item, sizeof item, p, len);
        bri_tls_list_add(buf, cap, "DNS:", item, strlen(item));
        return;
    }
    brisa_ip_addr ip;
    memset(&ip, 0, sizeof ip);
    if (len == 4 || len == 16) {
        ip.family = len == 4 ? BRISA_IP_V4 : BRISA_IP_V6;
        memcpy(ip.bytes, p, len);
    }
    int n = brisa_ip_format(&ip, item, sizeof item);
    if (n < 0)
        memcpy(item, "(bad address)", 14);
    bri_tls_list_add(buf, cap, "IP:", item, strlen(item));
}

const char *bri_tls_hs_name(int type)
{
    switch (type) {
    case 0: return "HelloRequest";
    case 1: return "ClientHello";
    case 2: return "ServerHello";
    case 4: return "NewSessionTicket";
    case 5: return "EndOfEarlyData";
    case 8: return "EncryptedExtensions";
    case 11: return "Certificate";
    case 12: return "ServerKeyExchange";
    case 13: return "CertificateRequest";
    case 14: return "ServerHelloDone";
    case 15: return "CertificateVerify";
    case 16: return "ClientKeyExchange";
    case 20: return "Finished";
    case 24: return "KeyUpdate";
    default: return "handshake message";
    }
}
