// SPDX-License-Identifier: MIT
/* SNTP packet codec, reply validation and timestamp arithmetic (RFC 4330,
 * RFC 5905). Pure functions, total on any input. */
#include <string.h>

#include "brisa/err.h"
#include "brisa/sntp.h"

#define NS_PER_S 1000000000ull

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)(v >> 32));
    put32(p + 4, (uint32_t)v);
}

const char *brisa_sntp_verdict_str(int verdict)
{
    switch ((brisa_sntp_verdict)verdict) {
    case BRISA_SNTP_VALID: return "valid";
    case BRISA_SNTP_SHORT: return "shorter than 48 bytes";
    case BRISA_SNTP_BAD_MODE: return "not a server reply (mode is not 4)";
    case BRISA_SNTP_BAD_VERSION: return "unsupported NTP version";
    case BRISA_SNTP_BAD_ORIGIN: return "origin timestamp does not match the request";
    case BRISA_SNTP_KISS: return "kiss-o'-death";
    case BRISA_SNTP_UNSYNCHRONISED: return "server clock not synchronised (leap indicator 3)";
    case BRISA_SNTP_BAD_STRATUM: return "stratum above 15";
    case BRISA_SNTP_ZERO_TRANSMIT: return "transmit timestamp is zero";
    case BRISA_SNTP_WRONG_SOURCE: return "not from the server asked";
    }
    return "unknown verdict";
}

int brisa_sntp_encode(const brisa_sntp_packet *p, uint8_t *buf, size_t cap)
{
    if (!p || !buf)
        return BRISA_ERR_INVALID_ARG;
    if (cap < BRISA_SNTP_PACKET_LEN)
        return BRISA_ERR_NO_SPACE;
    buf[0] = (uint8_t)((p->leap & 3u) << 6 | (p->version & 7u) << 3 | (p->mode & 7u));
    buf[1] = p->stratum;
    buf[2] = (uint8_t)p->poll;
    buf[3] = (uint8_t)p->precision;
    put32(buf + 4, p->root_delay);
    put32(buf + 8, p->root_dispersion);
    memcpy(buf + 12, p->ref_id, 4);
    put64(buf + 16, p->ref_ts);
    put64(buf + 24, p->origin_ts);
    put64(buf + 32, p->receive_ts);
    put64(buf + 40, p->transmit_ts);
    return BRISA_SNTP_PACKET_LEN;
}

brisa_err brisa_sntp_decode(const uint8_t *buf, size_t len, brisa_sntp_packet *p)
{
    if (!buf || !p || len < BRISA_SNTP_PACKET_LEN)
        return BRISA_ERR_MALFORMED;
    p->leap = buf[0] >> 6;
    p->version = (buf[0] >> 3) & 7u;
    p->mode = buf[0] & 7u;
    p->stratum = buf[1];
    p->poll = (int8_t)buf[2];
    p->precision = (int8_t)buf[3];
    p->root_delay = get32(buf + 4);
    p->root_dispersion = get32(buf + 8);
    memcpy(p->ref_id, buf + 12, 4);
    p->ref_ts = get64(buf + 16);
    p->origin_ts = get64(buf + 24);
    p->receive_ts = get64(buf + 32);
    p->transmit_ts = get64(buf + 40);
    return BRISA_OK;
}

int brisa_sntp_request_build(brisa_ntp_time nonce, uint8_t *buf, size_t cap)
{
    brisa_sntp_packet p;
    memset(&p, 0, sizeof p);
    p.version = 4;
    p.mode = BRISA_SNTP_MODE_CLIENT;
    p.transmit_ts = nonce;
    return brisa_sntp_encode(&p, buf, cap);
}

static int reject(brisa_sntp_verdict *verdict, brisa_sntp_verdict why)
{
    *verdict = why;
    return why == BRISA_SNTP_KISS ? BRISA_ERR_NTP_KOD : BRISA_ERR_NTP_REJECTED;
}

brisa_err brisa_sntp_reply_check(const uint8_t *buf, size_t len, brisa_ntp_time nonce,
                                 brisa_sntp_packet *out, brisa_sntp_verdict *verdict)
{
    if (brisa_sntp_decode(buf, len, out) < 0)
        return reject(verdict, BRISA_SNTP_SHORT);
    if (out->mode != BRISA_SNTP_MODE_SERVER)
        return reject(verdict, BRISA_SNTP_BAD_MODE);
    if (out->version < 1 || out->version > 4)
        return reject(verdict, BRISA_SNTP_BAD_VERSION);
    /* Before anything the server says about itself: only a reply that
     * echoes our nonce can be the server's, so only it may kiss us off. */
    if (out->origin_ts != nonce)
        return reject(verdict, BRISA_SNTP_BAD_ORIGIN);
    if (out->stratum == 0)
        return reject(verdict, BRISA_SNTP_KISS);
    if (out->leap == BRISA_SNTP_LEAP_ALARM)
        return reject(verdict, BRISA_SNTP_UNSYNCHRONISED);
    if (out->stratum > 15)
        return reject(verdict, BRISA_SNTP_BAD_STRATUM);
    if (out->transmit_ts == 0)
        return reject(verdict, BRISA_SNTP_ZERO_TRANSMIT);
    *verdict = BRISA_SNTP_VALID;
    return BRISA_OK;
}

brisa_sntp_kiss brisa_sntp_kiss_classify(const uint8_t code[4])
{
    if (memcmp(code, "DENY", 4) == 0 || memcmp(code, "RSTR", 4) == 0)
        return BRISA_SNTP_KISS_DENY;
    if (memcmp(code, "RATE", 4) == 0)
        return BRISA_SNTP_KISS_RATE;
    return BRISA_SNTP_KISS_OTHER;
}

brisa_ntp_time brisa_ntp_from_unix_ms(int64_t unix_ms)
{
    int64_t s = unix_ms / 1000, ms = unix_ms % 1000;
    if (ms < 0) {
        ms += 1000;
        s--;
    }
    /* Unsigned arithmetic wraps modulo 2^32: that is the era. */
    uint32_t sec = (uint32_t)((uint64_t)s + BRISA_NTP_UNIX_OFFSET);
    uint32_t frac = (uint32_t)(((uint64_t)ms << 32) / 1000u);
    return (uint64_t)sec << 32 | frac;
}

/* 32.32 fixed-point fraction -> nanoseconds, rounded down. */
static int64_t frac_ns(uint32_t frac)
{
    return (int64_t)(((uint64_t)frac * NS_PER_S) >> 32);
}

int64_t brisa_ntp_to_unix_ns(brisa_ntp_time t)
{
    uint32_t sec = (uint32_t)(t >> 32);
    int64_t s = (int64_t)sec - (int64_t)BRISA_NTP_UNIX_OFFSET;
    if (!(sec & 0x80000000u))
        s += (int64_t)1 << 32; /* era 1: 2036-02-07 onwards */
    return s * (int64_t)NS_PER_S + frac_ns((uint32_t)t);
}

int64_t brisa_ntp_diff_ns(brisa_ntp_time a, brisa_ntp_time b)
{
    /* Modular difference, then read as two's complement without relying
     * on an implementation-defined conversion. */
    uint64_t d = a - b;
    bool neg = d >> 63;
    uint64_t mag = neg ? ~d + 1u : d;
    int64_t ns = (int64_t)(mag >> 32) * (int64_t)NS_PER_S + frac_ns((uint32_t)mag);
    return neg ? -ns : ns;
}

void brisa_sntp_offset_delay(brisa_ntp_time t1, brisa_ntp_time t2, brisa_ntp_time t3,
                             brisa_ntp_time t4, int64_t *offset_ns, int64_t *delay_ns)
{
    int64_t a = brisa_ntp_diff_ns(t2, t1), b = brisa_ntp_diff_ns(t3, t4);
    *offset_ns = (a + b) / 2;
    *delay_ns = brisa_ntp_diff_ns(t4, t1) - brisa_ntp_diff_ns(t3, t2);
}
