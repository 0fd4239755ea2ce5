#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# brisa/config.h overridden the way a user does it: a build configured with
# -DBRISA_CONFIG_FILE=FILE (the CMake cache variable) compiles the library
# with FILE's tunables, and a program built with the same file against that
# library sees them take effect (tests/unit/test_config_file.c: a DHCP lease
# keeps one DNS server, not three). Only the two libraries it needs are built.
source "$BRISA_SRC/tests/harness/lib.sh"
USER_CONFIG=$BRISA_SRC/tests/unit/config/user_config.h
B=$TEST_DIR/build

cmake -S "$BRISA_SRC" -B "$B" -DBRISA_INTEGRATION=OFF -DBRISA_CONFIG_FILE="$USER_CONFIG" \
    >"$TEST_DIR/configure.log" 2>&1 || fail "configure: $(tail -n 20 "$TEST_DIR/configure.log")"
cmake --build "$B" --target brisa_net brisa_common -j 2 >"$TEST_DIR/build.log" 2>&1 ||
    fail "build: $(tail -n 20 "$TEST_DIR/build.log")"
grep -q "BRISA_CONFIG_FILE=.*user_config.h" "$B/src/net/CMakeFiles/brisa_net.dir/flags.make" ||
    fail "the cache variable did not reach the library's compile flags"
pass "-DBRISA_CONFIG_FILE reaches the library's compile flags"

# The unit test's checks, this time against the library built above.
cc -std=c11 -Wall -Wextra -Werror -I"$BRISA_SRC/include" -I"$B/include" -I"$BRISA_SRC/tests/unit" \
    -DBRISA_CONFIG_FILE="\"$USER_CONFIG\"" "$BRISA_SRC/tests/unit/test_config_file.c" \
    "$B/src/net/libbrisa_net.a" "$B/src/common/libbrisa_common.a" -lcmocka \
    -o "$TEST_DIR/config_check" 2>"$TEST_DIR/cc.log" || fail "program build: $(cat "$TEST_DIR/cc.log")"
out=$("$TEST_DIR/config_check" 2>&1) || fail "the override did not take effect in the library: $out"
pass "a library built with BRISA_CONFIG_FILE keeps one DHCP DNS server and 8-byte names"
