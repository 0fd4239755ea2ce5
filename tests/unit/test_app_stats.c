// SPDX-License-Identifier: MIT
/* Tests for app/brisa-device/stats.c. */
#include "cmocka_all.h"

#include "stats.h"

static void test_empty(void **state)
{
    (void)state;
    stats_summary s = stats_summarise(NULL, 0);
    assert_int_equal(s.count, 0);
    assert_true(s.mean == 0.0 && s.p99 == 0.0);
}

static void test_odd_and_even(void **state)
{
    (void)state;
    double a[] = { 5, 1, 3 };
    stats_summary s = stats_summarise(a, 3);
    assert_true(s.min == 1 && s.max == 5 && s.median == 3 && s.mean == 3);
    double b[] = { 4, 1, 3, 2 };
    s = stats_summarise(b, 4);
    assert_true(s.median == 2.5);
    assert_true(s.mean == 2.5);
}

static void test_p99_nearest_rank(void **state)
{
    (void)state;
    double v[200];
    for (int i = 0; i < 200; i++)
        v[i] = 200 - i; /* 1..200, reversed */
    stats_summary s = stats_summarise(v, 200);
    assert_true(s.p99 == 198); /* rank ceil(0.99 * 200) = 198 */
    double one[] = { 7 };
    s = stats_summarise(one, 1);
    assert_true(s.p99 == 7 && s.median == 7);
    double hundred[100];
    for (int i = 0; i < 100; i++)
        hundred[i] = i + 1;
    s = stats_summarise(hundred, 100);
    assert_true(s.p99 == 99);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_odd_and_even),
        cmocka_unit_test(test_p99_nearest_rank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
