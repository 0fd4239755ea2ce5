// SPDX-License-Identifier: MIT
/* The version the headers announce is the one the library reports, and its
 * parts agree with the string and the number. */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "brisa/version.h"

static void test_library_matches_headers(void **state)
{
    (void)state;
    assert_string_equal(brisa_version(), BRISA_VERSION_STRING);
}

static void test_parts_agree(void **state)
{
    (void)state;
    char built[32];
    snprintf(built, sizeof built, "%d.%d.%d", BRISA_VERSION_MAJOR, BRISA_VERSION_MINOR,
             BRISA_VERSION_PATCH);
    assert_string_equal(built, BRISA_VERSION_STRING);
    assert_int_equal(BRISA_VERSION_NUMBER >> 16, BRISA_VERSION_MAJOR);
    assert_int_equal((BRISA_VERSION_NUMBER >> 8) & 0xff, BRISA_VERSION_MINOR);
    assert_int_equal(BRISA_VERSION_NUMBER & 0xff, BRISA_VERSION_PATCH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_library_matches_headers),
        cmocka_unit_test(test_parts_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
