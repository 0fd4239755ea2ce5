// SPDX-License-Identifier: MIT
/* brisa/config.h: a user file named at build time (BRISA_CONFIG_FILE, here
 * tests/unit/config/user_config.h) overrides tunables, and library code
 * compiled with it obeys -- the DHCP codec is built into this test with
 * it -- while everything it leaves alone keeps its default. */
#include "cmocka_all.h"

#include <string.h>

#include "brisa/config.h"
#include "brisa/dhcp.h"
#include "brisa/err.h"
#include "brisa/mqtt.h"

#ifndef BRISA_TEST_USER_CONFIG
#error "BRISA_CONFIG_FILE was not included"
#endif

/* A DHCPOFFER with three DNS servers and the given domain name. */
static size_t offer(uint8_t *buf, size_t cap, const char *domain)
{
    memset(buf, 0, cap);
    buf[0] = 2; /* BOOTREPLY */
    buf[1] = 1;
    buf[2] = 6;
    static const uint8_t yiaddr[4] = { 10, 0, 0, 7 };
    memcpy(buf + 16, yiaddr, 4);
    static const uint8_t cookie[4] = { 99, 130, 83, 99 };
    memcpy(buf + 236, cookie, 4);
    size_t n = BRISA_DHCP_OPTIONS_OFFSET;
    static const uint8_t head[] = { 53, 1, 2, /* OFFER */
                                    6, 12, 10, 0, 0, 1, 10, 0, 0, 2, 10, 0, 0, 3 };
    memcpy(buf + n, head, sizeof head);
    n += sizeof head;
    size_t len = strlen(domain);
    buf[n++] = 15;
    buf[n++] = (uint8_t)len;
    memcpy(buf + n, domain, len);
    n += len;
    buf[n++] = 255;
    return n < BRISA_DHCP_MIN_MSG_LEN ? BRISA_DHCP_MIN_MSG_LEN : n;
}

static void test_override_sizes_public_structures(void **state)
{
    (void)state;
    brisa_dhcp_lease l;
    assert_int_equal(sizeof l.dns / sizeof l.dns[0], 1);
    assert_int_equal(sizeof l.domain, 8 + 1);
}

static void test_override_reaches_the_library(void **state)
{
    (void)state;
    uint8_t buf[400];
    brisa_dhcp_msg m;
    assert_int_equal(brisa_dhcp_parse(buf, offer(buf, sizeof buf, "lan.ex"), 2, &m), BRISA_OK);
    assert_int_equal(m.lease.dns_count, 1); /* three sent, one kept */
    brisa_ip_addr first = brisa_ip_v4(10, 0, 0, 1);
    assert_true(brisa_ip_equal(&m.lease.dns[0], &first));
    assert_string_equal(m.lease.domain, "lan.ex");
    /* nine characters: longer than BRISA_DHCP_NAME_MAX, so absent */
    assert_int_equal(brisa_dhcp_parse(buf, offer(buf, sizeof buf, "lan.local"), 2, &m), BRISA_OK);
    assert_string_equal(m.lease.domain, "");
}

static void test_the_rest_keeps_its_defaults(void **state)
{
    (void)state;
    assert_int_equal(BRISA_MQTT_ALIAS_TOPIC_MAX, 64);
    assert_int_equal(BRISA_MQTT_AUTH_DATA_MAX, 256);
    assert_int_equal(BRISA_TLS_PREFER_OPENSSL, 1);
    assert_int_equal(BRISA_POSIX_TCP_READ_AHEAD, 2048);
    assert_int_equal(BRISA_MQTT5, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_override_sizes_public_structures),
        cmocka_unit_test(test_override_reaches_the_library),
        cmocka_unit_test(test_the_rest_keeps_its_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
