#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The public prefix is for the public API (docs/api.md): every brisa_
# symbol the installed libraries define is declared in a public header
# (internal ones are bri_ or static), and the shared libraries export
# nothing else but the few bri_ ones a library shares with another (the
# TLS engines' tables, reached weakly across libbrisa_tls_*). The ports' headers are in include/brisa/port/, the core's
# include none of them.
source "$BRISA_SRC/tests/harness/lib.sh"
LIB=$BRISA_BUILD/lib
INC=$BRISA_SRC/include/brisa
compgen -G "$LIB/libbrisa_*.a" >/dev/null || fail "no libbrisa_*.a in $LIB"

grep -rhoE '\bbrisa_[a-z0-9_]+\b' "$INC" "$BRISA_BUILD/include/brisa" | sort -u >"$TEST_DIR/public"

# Symbols of kind T/D/B/R/C (defined, external) per library.
for a in "$LIB"/libbrisa_*.a; do
    nm -g --defined-only "$a" 2>/dev/null | awk '$2 ~ /^[TDBRCVW]$/ { print $3 }'
done | sort -u >"$TEST_DIR/defined"
grep '^brisa_' "$TEST_DIR/defined" | comm -23 - "$TEST_DIR/public" >"$TEST_DIR/stray"
[ -s "$TEST_DIR/stray" ] &&
    fail "brisa_ symbols with no public declaration (make them static or bri_): $(tr '\n' ' ' <"$TEST_DIR/stray")"
pass "every brisa_ symbol of the static libraries is declared in a public header"
grep -q '^bri_' "$TEST_DIR/defined" || fail "no bri_ symbol at all: is nm reading the libraries?"

for so in "$LIB"/libbrisa_*.so; do
    nm -D --defined-only "$so" | awk '{ print $3 }' | grep -v '^_' | sort -u >"$TEST_DIR/exported"
    [ -s "$TEST_DIR/exported" ] || fail "$(basename "$so") exports nothing"
    grep -v '^bri_' "$TEST_DIR/exported" | comm -23 - "$TEST_DIR/public" >"$TEST_DIR/stray"
    [ -s "$TEST_DIR/stray" ] &&
        fail "$(basename "$so") exports what no public header declares: $(tr '\n' ' ' <"$TEST_DIR/stray")"
    pass "$(basename "$so") exports only the public API ($(wc -l <"$TEST_DIR/exported") symbols)"
done

for h in "$INC"/*.h; do
    grep -qE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]brisa/port/' "$h" &&
        fail "$(basename "$h"): a core header includes a port's header"
done
[ -f "$INC/port/posix_tcp.h" ] || fail "no include/brisa/port/posix_tcp.h"
pass "the core's headers include no port's header"
