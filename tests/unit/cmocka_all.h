// SPDX-License-Identifier: MIT
/* cmocka needs these headers first, in this order. */
#ifndef BRISA_TEST_CMOCKA_ALL_H
#define BRISA_TEST_CMOCKA_ALL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#endif
