// SPDX-License-Identifier: MIT
/* Every error code has its own description. */
#include "cmocka_all.h"

#include <string.h>

#include "brisa/err.h"

static void test_every_code_named(void **state)
{
    (void)state;
    const char *unknown = brisa_err_str(-9999);
    assert_string_equal(unknown, "unknown error");
    int named = 0;
    for (int code = 0; code >= -119; code--) {
        const char *s = brisa_err_str(code);
        assert_non_null(s);
        if (strcmp(s, unknown) == 0)
            continue;
        named++;
        /* No two codes share a description. */
        for (int other = code - 1; other >= -119; other--)
            assert_string_not_equal(s, brisa_err_str(other));
    }
    assert_true(named >= 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_code_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
