# SPDX-License-Identifier: MIT
brisa_unit_test(test_posix_tcp SOURCES unit/test_posix_tcp.c LIBS brisa_posix)
target_compile_definitions(test_posix_tcp PRIVATE _GNU_SOURCE)
brisa_unit_test(test_posix_store SOURCES unit/test_posix_store.c LIBS brisa_posix)
target_compile_definitions(test_posix_store PRIVATE _GNU_SOURCE)
