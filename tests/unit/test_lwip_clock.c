// SPDX-License-Identifier: MIT
/* Tests for src/port/lwip/stack.c: the hooks a board supplies, driven by a
 * fake millisecond tick that only moves when the port sleeps -- so waits
 * take no real time, and the tick can be started just before it wraps. */
#include "cmocka_all.h"

#include <string.h>

#include "lwip/sys.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"

#include "brisa/err.h"
#include "brisa/port/lwip_port.h"
#include "brisa/port/lwip_udp.h"

static uint32_t tick = 0xffffffffu - 1500u; /* wraps 1.5 s in */
static unsigned polls, idles;
static uint32_t longest_idle;

static uint32_t tick_ms(void *ctx)
{
    (void)ctx;
    return tick;
}

static void poll_hook(void *ctx)
{
    (void)ctx;
    polls++;
}

static void idle_hook(void *ctx, uint32_t max_ms)
{
    (void)ctx;
    idles++;
    if (max_ms > longest_idle)
        longest_idle = max_ms;
    tick += max_ms; /* "slept" until the deadline or lwIP's next timer */
}

static int fill(void *ctx, uint8_t *buf, size_t len)
{
    unsigned *n = ctx;
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(++*n * 37u);
    return 0;
}

static unsigned drawn;

static int start(void **state)
{
    (void)state;
    brisa_lwip_platform p = { NULL, tick_ms, poll_hook, idle_hook, { &drawn, fill } };
    p.poll = NULL;
    if (brisa_lwip_start(&p) != BRISA_ERR_INVALID_ARG)
        return -1; /* a missing hook is refused */
    p.poll = poll_hook;
    p.rng.fill = NULL;
    if (brisa_lwip_start(&p) != BRISA_ERR_INVALID_ARG)
        return -1;
    p.rng.fill = fill;
    return brisa_lwip_start(&p) == BRISA_OK ? 0 : -1;
}

static void test_monotonic_across_the_tick_wrap(void **state)
{
    (void)state;
    uint64_t before = brisa_lwip_now_ms();
    brisa_clock c = brisa_lwip_clock();
    assert_int_equal(c.monotonic_ms(c.ctx), before);
    int64_t wall;
    assert_false(c.wall_ms(c.ctx, &wall)); /* only SNTP knows the date */
    uint64_t last = before;
    for (int i = 0; i < 40; i++) { /* 40 x 100 ms: through the wrap */
        brisa_lwip_wait(100);
        uint64_t now = brisa_lwip_now_ms();
        assert_true(now >= last);
        last = now;
    }
    assert_true(tick < 5000u); /* the 32-bit tick did wrap */
    assert_true(last - before >= 4000u);
    assert_true(last - before < 4100u);
    assert_int_equal(sys_now(), tick); /* lwIP's own clock is the tick */
}

static void test_waits_sleep_through_the_idle_hook(void **state)
{
    (void)state;
    brisa_lwip_udp u;
    brisa_lwip_udp_init(&u);
    assert_int_equal(brisa_lwip_udp_open(&u, NULL, BRISA_IP_V4, NULL), BRISA_OK);
    brisa_datagram d = brisa_lwip_udp_datagram(&u);
    uint8_t buf[8];
    unsigned p0 = polls, i0 = idles;
    uint64_t t0 = brisa_lwip_now_ms();
    longest_idle = 0;
    assert_int_equal(d.recv_from(d.ctx, NULL, NULL, buf, sizeof buf, 5000), BRISA_ERR_TIMEOUT);
    uint64_t took = brisa_lwip_now_ms() - t0;
    assert_true(took >= 5000 && took < 5100);
    /* The stack was turned between sleeps, and no sleep outlasted lwIP's
     * next timer (ARP's, every second) or the deadline. */
    assert_true(polls - p0 >= 5);
    assert_true(idles - i0 >= 5);
    assert_true(longest_idle <= 1000);
    /* A wait of 0 turns the stack once and never sleeps. */
    p0 = polls;
    i0 = idles;
    assert_int_equal(d.recv_from(d.ctx, NULL, NULL, buf, sizeof buf, 0), BRISA_ERR_TIMEOUT);
    assert_int_equal(polls - p0, 1);
    assert_int_equal(idles - i0, 0);
    d.close(d.ctx);
}

static void test_rng_is_the_boards(void **state)
{
    (void)state;
    brisa_rng r = brisa_lwip_rng();
    unsigned before = drawn;
    uint8_t b[4];
    assert_int_equal(r.fill(r.ctx, b, sizeof b), 0);
    assert_int_equal(drawn, before + 4);
    assert_true(drawn > 4); /* lwIP drew its first random ports at start */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_monotonic_across_the_tick_wrap),
        cmocka_unit_test(test_waits_sleep_through_the_idle_hook),
        cmocka_unit_test(test_rng_is_the_boards),
    };
    return cmocka_run_group_tests(tests, start, NULL);
}
