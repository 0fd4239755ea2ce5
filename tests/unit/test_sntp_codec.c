// SPDX-License-Identifier: MIT
/* Tests for src/net/sntp_codec.c and src/net/sntp_time.c: the packet
 * layout of RFC 4330 section 4, timestamps and eras, the offset/delay
 * formula, each validation rule, and the calendar. */
#include "cmocka_all.h"

#include <string.h>

#include "brisa/err.h"
#include "brisa/sntp.h"

#define NONCE 0x0123456789abcdefULL

static void test_request_layout(void **state)
{
    (void)state;
    uint8_t buf[48];
    memset(buf, 0xaa, sizeof buf);
    assert_int_equal(brisa_sntp_request_build(NONCE, buf, sizeof buf), 48);
    /* LI 0, VN 4, Mode 3: 00 100 011 */
    assert_int_equal(buf[0], 0x23);
    for (int i = 1; i < 40; i++)
        assert_int_equal(buf[i], 0);
    static const uint8_t tx[] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
    assert_memory_equal(buf + 40, tx, 8);
    assert_int_equal(brisa_sntp_request_build(NONCE, buf, 47), BRISA_ERR_NO_SPACE);
}

/* A server reply laid out field by field as in the RFC 4330 figure. */
static const uint8_t reply_bytes[48] = {
    0x24, 0x02, 0x06, 0xe9,             /* LI 0 VN 4 Mode 4, stratum 2, poll 6, precision -23 */
    0x00, 0x00, 0x01, 0x80,             /* root delay 0x0180 / 65536 s */
    0x00, 0x00, 0x02, 0x00,             /* root dispersion */
    0xc0, 0x00, 0x02, 0x01,             /* reference id 192.0.2.1 */
    0xec, 0xd2, 0x3a, 0x00, 0, 0, 0, 0, /* reference timestamp */
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, /* origin = our nonce */
    0xee, 0xae, 0xc6, 0x55, 0x80, 0, 0, 0,          /* receive 4004431445.5 */
    0xee, 0xae, 0xc6, 0x55, 0x81, 0, 0, 0,          /* transmit */
};

static void test_decode_reply_layout(void **state)
{
    (void)state;
    brisa_sntp_packet p;
    assert_int_equal(brisa_sntp_decode(reply_bytes, sizeof reply_bytes, &p), BRISA_OK);
    assert_int_equal(p.leap, 0);
    assert_int_equal(p.version, 4);
    assert_int_equal(p.mode, BRISA_SNTP_MODE_SERVER);
    assert_int_equal(p.stratum, 2);
    assert_int_equal(p.poll, 6);
    assert_int_equal(p.precision, -23);
    assert_int_equal(p.root_delay, 0x180);
    assert_int_equal(p.root_dispersion, 0x200);
    assert_memory_equal(p.ref_id, "\xc0\x00\x02\x01", 4);
    assert_true(p.ref_ts == 0xecd23a0000000000ULL);
    assert_true(p.origin_ts == NONCE);
    assert_true(p.receive_ts == 0xeeaec65580000000ULL);
    assert_true(p.transmit_ts == 0xeeaec65581000000ULL);

    uint8_t again[48];
    assert_int_equal(brisa_sntp_encode(&p, again, sizeof again), 48);
    assert_memory_equal(again, reply_bytes, 48);

    assert_int_equal(brisa_sntp_decode(reply_bytes, 47, &p), BRISA_ERR_MALFORMED);
    /* Extension fields or a MAC after the 48 bytes are allowed. */
    uint8_t longer[68];
    memcpy(longer, reply_bytes, 48);
    memset(longer + 48, 0x55, 20);
    assert_int_equal(brisa_sntp_decode(longer, sizeof longer, &p), BRISA_OK);
}

static void test_timestamp_conversions(void **state)
{
    (void)state;
    /* The Unix epoch is 2208988800 s after the NTP epoch (0x83aa7e80). */
    assert_true(brisa_ntp_from_unix_ms(0) == 0x83aa7e8000000000ULL);
    assert_true(brisa_ntp_to_unix_ns(0x83aa7e8000000000ULL) == 0);
    /* Half a second is 0x80000000 in the fraction. */
    assert_true(brisa_ntp_from_unix_ms(500) == 0x83aa7e8080000000ULL);
    assert_true(brisa_ntp_to_unix_ns(0x83aa7e8080000000ULL) == 500000000LL);
    /* 2026-11-23 14:04:05 UTC = Unix 1795442645 = NTP 4004431445. */
    assert_true(brisa_ntp_from_unix_ms(1795442645000LL) >> 32 == 4004431445u);
    assert_true(brisa_ntp_to_unix_ns(0xeeaec65580000000ULL) == 1795442645500000000LL);
    /* Era 1 starts 2036-02-07 06:28:16 UTC (Unix 2085978496): seconds
     * wrap to 0 and still mean after 2036. */
    assert_true(brisa_ntp_from_unix_ms(2085978496000LL) == 0);
    assert_true(brisa_ntp_to_unix_ns(0) == 2085978496000000000LL);
    assert_true(brisa_ntp_to_unix_ns(1ULL << 32) == 2085978497000000000LL);
    /* Before 1970: the last second of 1969. */
    assert_true(brisa_ntp_from_unix_ms(-1000) == 0x83aa7e7f00000000ULL);
    /* ms round trip */
    for (int64_t ms = 1795442645000LL; ms < 1795442645000LL + 1000; ms += 7) {
        int64_t back = brisa_ntp_to_unix_ns(brisa_ntp_from_unix_ms(ms));
        assert_true(back / 1000000 == ms || back / 1000000 == ms - 1);
        assert_true(ms * 1000000 - back < 1000000);
    }
}

static void test_diff_across_era(void **state)
{
    (void)state;
    brisa_ntp_time before = brisa_ntp_from_unix_ms(2085978496000LL - 1500);
    brisa_ntp_time after = brisa_ntp_from_unix_ms(2085978496000LL + 500);
    assert_true(before >> 32 == 0xfffffffeu);
    assert_true(brisa_ntp_diff_ns(after, before) == 2000000000LL);
    assert_true(brisa_ntp_diff_ns(before, after) == -2000000000LL);
    assert_true(brisa_ntp_diff_ns(after, after) == 0);
}

/* ms -> 32.32 fractions are inexact: allow a few ns of rounding. */
static void near(int64_t got, int64_t want)
{
    assert_true(got - want <= 2 && want - got <= 2);
}

static brisa_ntp_time at_ms(int64_t ms)
{
    return brisa_ntp_from_unix_ms(1795442645000LL + ms);
}

static void test_offset_delay_formula(void **state)
{
    (void)state;
    int64_t offset, delay;
    /* The server is 500 ms ahead; 100 ms each way; 10 ms inside it:
     * T1 = 0, T2 = 0 + 100 + 500, T3 = T2 + 10, T4 = T3 - 500 + 100. */
    brisa_sntp_offset_delay(at_ms(0), at_ms(600), at_ms(610), at_ms(210), &offset, &delay);
    near(offset, 500000000LL);
    near(delay, 200000000LL);
    /* Asymmetric paths show up as offset error of half the asymmetry. */
    brisa_sntp_offset_delay(at_ms(0), at_ms(40), at_ms(40), at_ms(100), &offset, &delay);
    near(offset, -10000000LL);
    near(delay, 100000000LL);
    /* The server behind us, across the era boundary. */
    brisa_ntp_time t1 = brisa_ntp_from_unix_ms(2085978496000LL + 1000);
    brisa_ntp_time t2 = brisa_ntp_from_unix_ms(2085978496000LL - 2000 + 5);
    brisa_ntp_time t4 = brisa_ntp_from_unix_ms(2085978496000LL + 1010);
    brisa_sntp_offset_delay(t1, t2, t2, t4, &offset, &delay);
    near(offset, -3000000000LL);
    near(delay, 10000000LL);
}

static void reply_with(uint8_t b[48], int li, int vn, int mode, int stratum)
{
    memcpy(b, reply_bytes, 48);
    b[0] = (uint8_t)(li << 6 | vn << 3 | mode);
    b[1] = (uint8_t)stratum;
}

static int check(const uint8_t *b, size_t len, brisa_sntp_verdict *why)
{
    brisa_sntp_packet p;
    return brisa_sntp_reply_check(b, len, NONCE, &p, why);
}

static void test_validation_rules(void **state)
{
    (void)state;
    uint8_t b[48];
    brisa_sntp_verdict why;

    reply_with(b, 0, 4, 4, 2);
    assert_int_equal(check(b, 48, &why), BRISA_OK);
    assert_int_equal(why, BRISA_SNTP_VALID);
    reply_with(b, 1, 3, 4, 15); /* leap 1 (61 s minute), v3, stratum 15: fine */
    assert_int_equal(check(b, 48, &why), BRISA_OK);

    assert_int_equal(check(b, 47, &why), BRISA_ERR_NTP_REJECTED);
    assert_int_equal(why, BRISA_SNTP_SHORT);

    static const int bad_modes[] = { 0, 1, 2, 3, 5, 6, 7 };
    for (size_t i = 0; i < sizeof bad_modes / sizeof bad_modes[0]; i++) {
        reply_with(b, 0, 4, bad_modes[i], 2);
        assert_int_equal(check(b, 48, &why), BRISA_ERR_NTP_REJECTED);
        assert_int_equal(why, BRISA_SNTP_BAD_MODE);
    }
    reply_with(b, 0, 0, 4, 2);
    assert_int_equal(check(b, 48, &why), BRISA_ERR_NTP_REJECTED);
    assert_int_equal(why, BRISA_SNTP_BAD_VERSION);
    reply_with(b, 0, 5, 4, 2);
    assert_int_equal(check(b, 48, &why), BRISA_ERR_NTP_REJECTED);

    reply_with(b, 0, 4, 4, 2);
    b[31] ^= 1; /* origin differs from our nonce by one bit */
    assert_int_equal(check(b, 48, &why), BRISA_ERR_NTP_REJECTED);
    assert_int_equal(why, BRISA_SNTP_BAD_ORIGIN);

    reply_with(b, 3, 4, 4, 2);
    assert_int_equal(check(b, 48, &why), BRISA_ERR_NTP_REJECTED);
    assert_int_equal(why, BRISA_SNTP_UNSYNCHRONISED);

    reply_with(b, 0, 4, 4, 16);
    assert_int_equal(check(b, 48, &why), BRISA_ERR_NTP_REJECTED);
    assert_int_equal(why, BRISA_SNTP_BAD_STRATUM);

    reply_with(b, 0, 4, 4, 2);
    memset(b + 40, 0, 8);
    assert_int_equal(check(b, 48, &why), BRISA_ERR_NTP_REJECTED);
    assert_int_equal(why, BRISA_SNTP_ZERO_TRANSMIT);
    assert_string_equal(brisa_sntp_verdict_str(BRISA_SNTP_BAD_ORIGIN),
                        "origin timestamp does not match the request");
}

static void test_kiss_of_death(void **state)
{
    (void)state;
    uint8_t b[48];
    brisa_sntp_verdict why;
    brisa_sntp_packet p;

    /* KoD replies carry leap 3 and stratum 0; the code is the ref id. */
    reply_with(b, 3, 4, 4, 0);
    memcpy(b + 12, "DENY", 4);
    assert_int_equal(brisa_sntp_reply_check(b, 48, NONCE, &p, &why), BRISA_ERR_NTP_KOD);
    assert_int_equal(why, BRISA_SNTP_KISS);
    assert_memory_equal(p.ref_id, "DENY", 4);
    assert_int_equal(brisa_sntp_kiss_classify(p.ref_id), BRISA_SNTP_KISS_DENY);
    assert_int_equal(brisa_sntp_kiss_classify((const uint8_t *)"RSTR"), BRISA_SNTP_KISS_DENY);
    assert_int_equal(brisa_sntp_kiss_classify((const uint8_t *)"RATE"), BRISA_SNTP_KISS_RATE);
    assert_int_equal(brisa_sntp_kiss_classify((const uint8_t *)"INIT"), BRISA_SNTP_KISS_OTHER);

    /* A KoD that does not echo our nonce is forged: just rejected. */
    b[24] ^= 0xff;
    assert_int_equal(brisa_sntp_reply_check(b, 48, NONCE, &p, &why), BRISA_ERR_NTP_REJECTED);
    assert_int_equal(why, BRISA_SNTP_BAD_ORIGIN);
}

static void civil(int64_t ms, int y, int mo, int d, int h, int mi, int s, int wd)
{
    brisa_civil_time t;
    brisa_sntp_civil_from_unix_ms(ms, &t);
    assert_int_equal(t.year, y);
    assert_int_equal(t.month, mo);
    assert_int_equal(t.day, d);
    assert_int_equal(t.hour, h);
    assert_int_equal(t.minute, mi);
    assert_int_equal(t.second, s);
    assert_int_equal(t.weekday, wd);
}

static void test_civil_from_unix(void **state)
{
    (void)state;
    civil(0, 1970, 1, 1, 0, 0, 0, 4);
    civil(1795442645000LL, 2026, 11, 23, 14, 4, 5, 1);
    civil(951825600000LL, 2000, 2, 29, 12, 0, 0, 2);
    civil(4107542400000LL, 2100, 3, 1, 0, 0, 0, 1); /* 2100 is no leap year */
    civil(4107542400000LL - 1000, 2100, 2, 28, 23, 59, 59, 0);
    civil(2085978496000LL, 2036, 2, 7, 6, 28, 16, 4);
    civil(-1, 1969, 12, 31, 23, 59, 59, 3);
    civil(-2208988800000LL, 1900, 1, 1, 0, 0, 0, 1);
    civil(-11644473600000LL, 1601, 1, 1, 0, 0, 0, 1);
    brisa_civil_time t;
    brisa_sntp_civil_from_unix_ms(-1, &t);
    assert_int_equal(t.ms, 999);
}

static void test_format_time(void **state)
{
    (void)state;
    char buf[48];
    int64_t t = 1795442645123LL; /* 2026-11-23 14:04:05.123 UTC */
    assert_int_equal(brisa_sntp_format_time(t, 60, buf, sizeof buf), 25);
    assert_string_equal(buf, "2026-11-23 15:04:05 GMT+1");
    brisa_sntp_format_time(t, 0, buf, sizeof buf);
    assert_string_equal(buf, "2026-11-23 14:04:05 GMT");
    brisa_sntp_format_time(t, 330, buf, sizeof buf);
    assert_string_equal(buf, "2026-11-23 19:34:05 GMT+5:30");
    brisa_sntp_format_time(t, -15 * 60, buf, sizeof buf);
    assert_string_equal(buf, "2026-11-22 23:04:05 GMT-15");
    brisa_sntp_format_time(1795442645000LL - 14 * 3600 * 1000 - 4 * 60000 - 5000, 0, buf, sizeof buf);
    assert_string_equal(buf, "2026-11-23 00:00:00 GMT");
    assert_int_equal(brisa_sntp_format_time(t, 60, buf, 25), BRISA_ERR_NO_SPACE);
    assert_int_equal(brisa_sntp_format_time(t, 60, buf, 26), 25);
    assert_int_equal(brisa_sntp_format_time(t, 25 * 60, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_sntp_format_time(INT64_MAX, 60, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_true(brisa_sntp_format_time(INT64_MIN, 0, buf, sizeof buf) > 0);
    assert_true(brisa_sntp_format_time(INT64_MAX, 0, buf, sizeof buf) > 0);
}

/* A time zone shift that would overflow at either end of the range, and
 * no buffer, are refused instead of wrapping. */
static void test_format_time_extremes(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(brisa_sntp_format_time(INT64_MAX - 1000, 60, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_sntp_format_time(INT64_MIN + 1000, -60, buf, sizeof buf),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_sntp_format_time(0, 0, NULL, 64), BRISA_ERR_INVALID_ARG);
    assert_true(brisa_sntp_format_time(0, -60, buf, sizeof buf) > 0);
    assert_non_null(strstr(buf, "1969-12-31 23:00:00"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_layout),
        cmocka_unit_test(test_decode_reply_layout),
        cmocka_unit_test(test_timestamp_conversions),
        cmocka_unit_test(test_diff_across_era),
        cmocka_unit_test(test_offset_delay_formula),
        cmocka_unit_test(test_validation_rules),
        cmocka_unit_test(test_kiss_of_death),
        cmocka_unit_test(test_civil_from_unix),
        cmocka_unit_test(test_format_time),
        cmocka_unit_test(test_format_time_extremes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
