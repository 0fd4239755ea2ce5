#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A program outside the tree against the *installed* brisa: `cmake --install`
# into a scratch prefix, then examples/tls_two_way.c built once per TLS
# engine with pkg-config and once with find_package(brisa), each run over
# two-way TLS against a real mosquitto. A program linked with one engine
# must not depend on the other engine's library, nor offer it.
source "$BRISA_SRC/tests/harness/lib.sh"
source "$BRISA_SRC/tests/integration/tls_common.sh"
PREFIX=$TEST_DIR/prefix
EXAMPLE=$BRISA_SRC/examples

cmake --install "$BRISA_BUILD" --prefix "$PREFIX" >"$TEST_DIR/install.log" 2>&1 ||
    fail "cmake --install: $(tail -n 5 "$TEST_DIR/install.log")"
for f in include/brisa/version.h include/brisa/mqtt.h bin/brisa-pub lib/cmake/brisa/brisaConfig.cmake; do
    [ -e "$PREFIX/$f" ] || fail "installed tree has no $f"
done
LIBDIR=$(dirname "$(find "$PREFIX" -name libbrisa_core.so.0 | head -n 1)")
[ -d "$LIBDIR" ] || fail "no libbrisa_core.so.0 installed"
export PKG_CONFIG_PATH=$LIBDIR/pkgconfig
pass "installed into $PREFIX"

tls_pki pki ecdsa
QUIET=1 "$PKI" device "$TEST_DIR/pki" plain
DEV=$TEST_DIR/pki/devices/plain
L="$TEST_DIR/listeners.conf"
tls_listener "$TEST_DIR/pki" two-way broker >>"$L"
broker_start broker "$(cat "$L")"
wait_port "$TLS_PORT"

# run_example WHAT ENGINE BINARY: the TLS round trip must succeed.
run_example() {
    local what=$1 engine=$2 bin=$3 out rc=0
    out=$(timeout 20 "$bin" "$engine" 127.0.0.1 "$TLS_PORT" "$TEST_DIR/pki/ca.crt" \
              "$DEV/plain.crt" "$DEV/plain.key" "install/$engine" 2>&1) || rc=$?
    [ "$rc" -eq 0 ] || fail "$what: exit $rc: $out"
    expect_contains "$out" "received on install/$engine: hello from an installed brisa" "$what"
}

# only_engine WHAT ENGINE BINARY: linked with ENGINE alone.
only_engine() {
    local what=$1 engine=$2 bin=$3 other needed rc=0
    if [ "$engine" = mbedtls ]; then other=openssl; else other=mbedtls; fi
    needed=$(readelf -d "$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')
    expect_contains "$needed" "libbrisa_tls_$engine.so.0" "$what: links libbrisa_tls_$engine"
    case "$engine:$needed" in
        mbedtls:*libssl*|mbedtls:*libbrisa_tls_openssl*) fail "$what: needs OpenSSL: $needed" ;;
        openssl:*libmbed*|openssl:*libbrisa_tls_mbedtls*) fail "$what: needs mbedTLS: $needed" ;;
    esac
    # ldd: the libraries' own dependencies, too.
    needed=$(LD_LIBRARY_PATH=$LIBDIR ldd "$bin")
    case "$engine:$needed" in
        mbedtls:*libssl*) fail "$what: pulls in OpenSSL through a library: $needed" ;;
        openssl:*libmbed*) fail "$what: pulls in mbedTLS through a library: $needed" ;;
    esac
    LD_LIBRARY_PATH=$LIBDIR timeout 20 "$bin" "$other" 127.0.0.1 "$TLS_PORT" x x x >/dev/null 2>&1 || rc=$?
    [ "$rc" -eq 3 ] || fail "$what: engine $other should be absent (exit 3), got $rc"
    pass "$what: only $engine's TLS library"
}

for engine in mbedtls openssl; do
    module=brisa-tls-$engine
    flags=$(pkg-config --cflags --libs brisa-core brisa-posix "$module") ||
        fail "pkg-config $module failed"
    bin=$TEST_DIR/pc-$engine
    # shellcheck disable=SC2086
    cc -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L "$EXAMPLE/tls_two_way.c" \
        -o "$bin" $flags 2>"$TEST_DIR/cc.log" || fail "pkg-config build ($engine): $(cat "$TEST_DIR/cc.log")"
    LD_LIBRARY_PATH=$LIBDIR run_example "pkg-config $module" "$engine" "$bin"
    only_engine "pkg-config $module" "$engine" "$bin"

    dir=$TEST_DIR/cmake-$engine
    { cmake -S "$EXAMPLE" -B "$dir" -DCMAKE_PREFIX_PATH="$PREFIX" -DBRISA_EXAMPLE_TLS="$engine" &&
      cmake --build "$dir"; } >"$TEST_DIR/cmake.log" 2>&1 ||
        fail "find_package build ($engine): $(tail -n 20 "$TEST_DIR/cmake.log")"
    run_example "find_package brisa::tls_$engine" "$engine" "$dir/tls_two_way"
    only_engine "find_package brisa::tls_$engine" "$engine" "$dir/tls_two_way"
done
