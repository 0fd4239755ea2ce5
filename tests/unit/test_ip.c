// SPDX-License-Identifier: MIT
/* Tests for src/common/ip.c: text <-> address round trips and rejects. */
#include "cmocka_all.h"

#include <string.h>

#include "brisa/err.h"
#include "brisa/ip.h"

static void roundtrip(const char *in, const char *canonical)
{
    brisa_ip_addr ip;
    char out[BRISA_IP_STR_MAX];
    assert_true(brisa_ip_parse(in, &ip));
    assert_int_equal(brisa_ip_format(&ip, out, sizeof out), (int)strlen(canonical));
    assert_string_equal(out, canonical);
}

static void test_v4(void **state)
{
    (void)state;
    roundtrip("0.0.0.0", "0.0.0.0");
    roundtrip("192.168.5.1", "192.168.5.1");
    roundtrip("255.255.255.255", "255.255.255.255");
    brisa_ip_addr ip;
    assert_true(brisa_ip_parse("10.1.2.3", &ip));
    assert_int_equal(ip.family, BRISA_IP_V4);
    assert_int_equal(ip.bytes[0], 10);
    assert_int_equal(ip.bytes[3], 3);
    brisa_ip_addr built = brisa_ip_v4(10, 1, 2, 3);
    assert_true(brisa_ip_equal(&ip, &built));
}

static void test_v6(void **state)
{
    (void)state;
    roundtrip("::", "::");
    roundtrip("::1", "::1");
    roundtrip("fe80::1", "fe80::1");
    roundtrip("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1");
    roundtrip("2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1");
    roundtrip("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8");
    roundtrip("1::", "1::");
    roundtrip("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7");
    brisa_ip_addr ip;
    assert_true(brisa_ip_parse("::ffff:192.0.2.1", &ip));
    assert_int_equal(ip.family, BRISA_IP_V6);
    assert_int_equal(ip.bytes[10], 0xff);
    assert_int_equal(ip.bytes[12], 192);
    assert_int_equal(ip.bytes[15], 1);
}

static void test_rejects(void **state)
{
    (void)state;
    static const char *bad[] = {
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.04", "1..2.3", "a.b.c.d",
        "1.2.3.4 ", ":", ":::", "1:2", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9",
        "::1:", ":1::", "g::1", "1:2:3:4:5:6:7::8:9", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        brisa_ip_addr ip;
        if (brisa_ip_parse(bad[i], &ip))
            fail_msg("accepted \"%s\"", bad[i]);
    }
}

static void test_format_space(void **state)
{
    (void)state;
    brisa_ip_addr ip = brisa_ip_v4(192, 168, 100, 200);
    char small[15];
    assert_int_equal(brisa_ip_format(&ip, small, sizeof small), BRISA_ERR_NO_SPACE);
    char exact[16];
    assert_int_equal(brisa_ip_format(&ip, exact, sizeof exact), 15);
    brisa_ip_addr none;
    memset(&none, 0, sizeof none);
    assert_int_equal(brisa_ip_format(&none, exact, sizeof exact), BRISA_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v4),
        cmocka_unit_test(test_v6),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_format_space),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
