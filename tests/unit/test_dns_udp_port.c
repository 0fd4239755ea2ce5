// SPDX-License-Identifier: MIT
/* Tests for src/port/posix/udp.c over real loopback sockets: random
 * ports, send/receive, timeouts, oversized datagrams, IPv6, errors. */
#define _POSIX_C_SOURCE 200809L
#include "cmocka_all.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "brisa/err.h"
#include "brisa/port/posix_udp.h"

static uint64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void test_random_ports(void **state)
{
    (void)state;
    brisa_posix_udp_opener op;
    brisa_datagram_opener o = brisa_posix_udp_opener_init(&op, NULL);
    uint16_t ports[8];
    int distinct = 0;
    for (int i = 0; i < 8; i++) {
        brisa_datagram d;
        assert_int_equal(o.open(o.ctx, BRISA_IP_V4, &d), BRISA_OK);
        ports[i] = brisa_posix_udp_port(&op.udp);
        assert_true(ports[i] >= 1024);
        d.close(d.ctx);
        d.close(d.ctx); /* twice is fine */
        assert_int_equal(brisa_posix_udp_port(&op.udp), 0);
        bool seen = false;
        for (int k = 0; k < i; k++)
            seen = seen || ports[k] == ports[i];
        distinct += !seen;
    }
    assert_true(distinct >= 6); /* 8 draws from 64512 ports */
}

static void test_send_receive_v4(void **state)
{
    (void)state;
    brisa_posix_udp a, b;
    brisa_ip_addr lo = brisa_ip_v4(127, 0, 0, 1);
    brisa_posix_udp_options opt = { &lo, 0, NULL, false };
    brisa_posix_udp_init(&a);
    brisa_posix_udp_init(&b);
    assert_int_equal(brisa_posix_udp_open(&a, BRISA_IP_V4, &opt), BRISA_OK);
    assert_int_equal(brisa_posix_udp_open(&b, BRISA_IP_V4, &opt), BRISA_OK);
    assert_int_equal(brisa_posix_udp_open(&b, BRISA_IP_V4, &opt), BRISA_ERR_STATE);
    brisa_datagram da = brisa_posix_udp_datagram(&a), db = brisa_posix_udp_datagram(&b);

    assert_int_equal(da.send_to(da.ctx, &lo, brisa_posix_udp_port(&b), (const uint8_t *)"hello", 5),
                     BRISA_OK);
    uint8_t buf[16];
    brisa_ip_addr src;
    uint16_t port = 0;
    assert_int_equal(db.recv_from(db.ctx, &src, &port, buf, sizeof buf, 1000), 5);
    assert_memory_equal(buf, "hello", 5);
    assert_true(brisa_ip_equal(&src, &lo));
    assert_int_equal(port, brisa_posix_udp_port(&a));

    /* Longer than the buffer: reported, not silently cut. */
    uint8_t big[100];
    memset(big, 7, sizeof big);
    assert_int_equal(da.send_to(da.ctx, &lo, brisa_posix_udp_port(&b), big, sizeof big), BRISA_OK);
    assert_int_equal(db.recv_from(db.ctx, NULL, NULL, buf, sizeof buf, 1000), BRISA_ERR_TOO_LARGE);
    assert_int_equal(buf[15], 7);

    /* Nothing comes: the timeout is honoured. */
    uint64_t t0 = ms_now();
    assert_int_equal(db.recv_from(db.ctx, NULL, NULL, buf, sizeof buf, 80), BRISA_ERR_TIMEOUT);
    uint64_t took = ms_now() - t0;
    assert_true(took >= 79 && took < 1000);
    assert_int_equal(db.recv_from(db.ctx, NULL, NULL, buf, sizeof buf, 0), BRISA_ERR_TIMEOUT);

    /* An IPv6 destination on an IPv4 socket. */
    brisa_ip_addr v6;
    brisa_ip_parse("::1", &v6);
    assert_int_equal(da.send_to(da.ctx, &v6, 53, big, 1), BRISA_ERR_INVALID_ARG);

    /* The port taken: a clear reason. */
    brisa_posix_udp c;
    brisa_posix_udp_init(&c);
    brisa_posix_udp_options same = { &lo, brisa_posix_udp_port(&b), NULL, false };
    assert_int_equal(brisa_posix_udp_open(&c, BRISA_IP_V4, &same), BRISA_ERR_IO);
    assert_non_null(strstr(brisa_posix_udp_error(&c), "bind to 127.0.0.1 port"));
    assert_non_null(strstr(brisa_posix_udp_error(&c), "in use"));

    brisa_posix_udp_close(&a);
    brisa_posix_udp_close(&b);
    assert_int_equal(db.recv_from(db.ctx, NULL, NULL, buf, sizeof buf, 0), BRISA_ERR_STATE);
}

static void test_send_receive_v6(void **state)
{
    (void)state;
    brisa_posix_udp a, b;
    brisa_ip_addr lo;
    brisa_ip_parse("::1", &lo);
    brisa_posix_udp_init(&a);
    brisa_posix_udp_init(&b);
    if (brisa_posix_udp_open(&a, BRISA_IP_V6, NULL) != BRISA_OK)
        skip(); /* no IPv6 on this machine */
    assert_int_equal(brisa_posix_udp_open(&b, BRISA_IP_V6, NULL), BRISA_OK);
    brisa_datagram da = brisa_posix_udp_datagram(&a), db = brisa_posix_udp_datagram(&b);
    assert_int_equal(da.send_to(da.ctx, &lo, brisa_posix_udp_port(&b), (const uint8_t *)"v6", 2),
                     BRISA_OK);
    uint8_t buf[8];
    brisa_ip_addr src;
    uint16_t port;
    assert_int_equal(db.recv_from(db.ctx, &src, &port, buf, sizeof buf, 1000), 2);
    assert_int_equal(src.family, BRISA_IP_V6);
    assert_true(brisa_ip_equal(&src, &lo));
    brisa_posix_udp_close(&a);
    brisa_posix_udp_close(&b);
}

static void test_options(void **state)
{
    (void)state;
    brisa_posix_udp u;
    brisa_posix_udp_init(&u);
    brisa_posix_udp_options bad = { NULL, 0, "no-such-if0", true };
    assert_int_equal(brisa_posix_udp_open(&u, BRISA_IP_V4, &bad), BRISA_ERR_IO);
    assert_non_null(strstr(brisa_posix_udp_error(&u), "no-such-if0"));
    if (geteuid() == 0) {
        brisa_posix_udp_options lo = { NULL, 0, "lo", true };
        assert_int_equal(brisa_posix_udp_open(&u, BRISA_IP_V4, &lo), BRISA_OK);
        brisa_posix_udp_close(&u);
    }
    brisa_ip_addr v6;
    brisa_ip_parse("::1", &v6);
    brisa_posix_udp_options mismatch = { &v6, 0, NULL, false };
    assert_int_equal(brisa_posix_udp_open(&u, BRISA_IP_V4, &mismatch), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_posix_udp_open(&u, 5, NULL), BRISA_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_ports),
        cmocka_unit_test(test_send_receive_v4),
        cmocka_unit_test(test_send_receive_v6),
        cmocka_unit_test(test_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
