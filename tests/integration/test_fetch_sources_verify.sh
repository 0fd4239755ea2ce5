#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/fetch-sources.sh's checks, offline, on a source package made up
# here: a .dsc matching its pin and its files passes; a wrong pin, a file
# changed by one byte, a missing file and a .dsc without checksums are
# each refused with a line naming what is wrong. (The real fetch runs at
# every configure; these are the checks it relies on.)
source "$(dirname "$0")/../harness/lib.sh"
fetch="$BRISA_SRC/scripts/fetch-sources.sh"

pkg="$TEST_DIR/pkg"
mkdir -p "$pkg"
printf 'lwIP, as it were\n' >"$pkg/demo_1.0.orig.tar.xz"
printf 'debian dir\n' >"$pkg/demo_1.0-1.debian.tar.xz"
sums() {
    for f in demo_1.0.orig.tar.xz demo_1.0-1.debian.tar.xz; do
        echo " $(sha256sum "$pkg/$f" | cut -d' ' -f1) $(stat -c %s "$pkg/$f") $f"
    done
}
{
    echo "Format: 3.0 (quilt)"
    echo "Source: demo"
    echo "Version: 1.0-1"
    echo "Checksums-Sha256:"
    sums
    echo "Files:"
    echo " 00000000000000000000000000000000 1 ignored"
} >"$pkg/demo_1.0-1.dsc"
pin=$(sha256sum "$pkg/demo_1.0-1.dsc" | cut -d' ' -f1)

bash "$fetch" --verify "$pkg/demo_1.0-1.dsc" "$pin" || fail "a good package was refused"
pass "a .dsc matching its pin, and its files matching the .dsc, pass"

expect_fails "a wrong pin" bash "$fetch" --verify "$pkg/demo_1.0-1.dsc" "$(printf "%064d" 0)"
expect_contains "$LAST_STDERR" "demo_1.0-1.dsc: SHA-256 is not the pinned" "the pin is named"

cp "$pkg/demo_1.0.orig.tar.xz" "$TEST_DIR/orig.keep"
printf 'X' >>"$pkg/demo_1.0.orig.tar.xz"
expect_fails "a tarball changed by one byte" bash "$fetch" --verify "$pkg/demo_1.0-1.dsc" "$pin"
expect_contains "$LAST_STDERR" "demo_1.0.orig.tar.xz: SHA-256 differs from the one in demo_1.0-1.dsc" \
    "the changed file is named"

rm "$pkg/demo_1.0.orig.tar.xz"
expect_fails "a missing tarball" bash "$fetch" --verify "$pkg/demo_1.0-1.dsc" "$pin"
expect_contains "$LAST_STDERR" "demo_1.0.orig.tar.xz (named in demo_1.0-1.dsc): missing" \
    "the missing file is named"
cp "$TEST_DIR/orig.keep" "$pkg/demo_1.0.orig.tar.xz"

grep -v '^ [0-9a-f]\{64\} ' "$pkg/demo_1.0-1.dsc" >"$pkg/bare.dsc"
expect_fails "a .dsc without checksums" bash "$fetch" --verify "$pkg/bare.dsc" \
    "$(sha256sum "$pkg/bare.dsc" | cut -d' ' -f1)"
expect_contains "$LAST_STDERR" "bare.dsc lists no SHA-256 checksums" "the empty list is named"
