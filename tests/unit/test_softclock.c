// SPDX-License-Identifier: MIT
/* Tests for src/common/softclock.c with a fake monotonic clock. */
#include "cmocka_all.h"

#include "brisa/clock.h"

static uint64_t fake_now;

static uint64_t fake_mono(void *ctx)
{
    (void)ctx;
    return fake_now;
}

static bool fake_wall(void *ctx, int64_t *unix_ms)
{
    (void)ctx;
    *unix_ms = 1000000 + (int64_t)fake_now;
    return true;
}

static void test_unsynced_has_no_wall_time(void **state)
{
    (void)state;
    brisa_clock base = { NULL, fake_mono, fake_wall };
    brisa_softclock sc;
    brisa_softclock_init(&sc, &base);
    brisa_clock c = brisa_softclock_clock(&sc);
    int64_t t = -1;
    assert_false(c.wall_ms(c.ctx, &t));
    assert_int_equal(t, -1);
}

static void test_set_then_advance(void **state)
{
    (void)state;
    brisa_clock base = { NULL, fake_mono, fake_wall };
    brisa_softclock sc;
    fake_now = 5000;
    brisa_softclock_init(&sc, &base);
    brisa_softclock_set(&sc, 1700000000000LL);
    brisa_clock c = brisa_softclock_clock(&sc);
    int64_t t;
    assert_true(c.wall_ms(c.ctx, &t));
    assert_int_equal(t, 1700000000000LL);
    fake_now += 2500;
    assert_true(c.wall_ms(c.ctx, &t));
    assert_int_equal(t, 1700000002500LL);
    assert_int_equal(c.monotonic_ms(c.ctx), 7500);
}

static void test_adjust_from_base_wall(void **state)
{
    (void)state;
    brisa_clock base = { NULL, fake_mono, fake_wall };
    brisa_softclock sc;
    fake_now = 100;
    brisa_softclock_init(&sc, &base);
    brisa_softclock_adjust(&sc, -40);
    brisa_clock c = brisa_softclock_clock(&sc);
    int64_t t;
    assert_true(c.wall_ms(c.ctx, &t));
    assert_int_equal(t, 1000000 + 100 - 40);
    brisa_softclock_adjust(&sc, 10);
    assert_true(c.wall_ms(c.ctx, &t));
    assert_int_equal(t, 1000000 + 100 - 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unsynced_has_no_wall_time),
        cmocka_unit_test(test_set_then_advance),
        cmocka_unit_test(test_adjust_from_base_wall),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
