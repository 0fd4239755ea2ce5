# SPDX-License-Identifier: MIT
brisa_unit_test(test_ip SOURCES unit/test_ip.c LIBS brisa_common)
brisa_unit_test(test_softclock SOURCES unit/test_softclock.c LIBS brisa_common)
brisa_unit_test(test_err SOURCES unit/test_err.c LIBS brisa_common)
brisa_unit_test(test_version SOURCES unit/test_version.c LIBS brisa_common)
