#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every failure is one clear line on stderr and a non-zero status: broker
# unreachable, name not resolvable, invalid topic, bad options.
source "$BRISA_SRC/tests/harness/lib.sh"
PUB=$BRISA_BIN/brisa-pub
SUB=$BRISA_BIN/brisa-sub

one_line() { expect_eq "$(printf '%s\n' "$LAST_STDERR" | wc -l)" 1 "$1: a single line"; }

# Nobody listens on this port.
port=$(free_port)
expect_fails "unreachable broker" "$PUB" -h 127.0.0.1 -p "$port" -t t -m x
expect_eq "$LAST_STDERR" "brisa-pub: cannot connect to 127.0.0.1 port $port: Connection refused" \
    "refused connection explained"
expect_fails "unreachable broker (sub)" "$SUB" -h 127.0.0.1 -p "$port" -t t
one_line "unreachable broker (sub)"

# A 70-byte label cannot go into a DNS query, so resolution fails locally
# without any packet leaving; a private network namespace makes sure.
bad_name="$(printf 'x%.0s' $(seq 70)).invalid"
isolate=()
if unshare -n true 2>/dev/null; then isolate=(unshare -n); fi
expect_fails "unresolvable name" "${isolate[@]}" "$PUB" -h "$bad_name" -t t -m x
expect_contains "$LAST_STDERR" "brisa-pub: cannot resolve '$bad_name': " "resolution failure explained"
one_line "unresolvable name"

# Invalid topics are caught before connecting (status 1, as mosquitto_pub).
expect_fails "wildcard in a publish topic" "$PUB" -p "$port" -t 'a/+' -m x
expect_eq "$LAST_STDERR" \
    "brisa-pub: invalid topic 'a/+': wildcards '+' and '#' are not allowed when publishing" \
    "publish topic rejected"
expect_fails "misplaced '#'" "$SUB" -p "$port" -t ok -t 'a/#/b'
expect_contains "$LAST_STDERR" "brisa-sub: invalid topic 'a/#/b'" "filter rejected"
expect_fails "misplaced '+'" "$SUB" -p "$port" -t 'a/b+'
one_line "misplaced '+'"
expect_fails "empty topic" "$PUB" -p "$port" -t '' -m x
expect_contains "$LAST_STDERR" "may not be empty" "empty topic rejected"
expect_fails "invalid will topic" "$PUB" -p "$port" -t t -m x --will-topic 'w/#'
expect_contains "$LAST_STDERR" "invalid will topic" "will topic rejected"

# Bad command lines (status 1 as mosquitto's clients, one line, no usage dump).
bad() {
    local what=$1 needle=$2; shift 2
    local rc=0
    "$@" >"$TEST_DIR/bad.out" 2>"$TEST_DIR/bad.err" || rc=$?
    LAST_STDERR=$(cat "$TEST_DIR/bad.err")
    expect_eq "$rc" 1 "$what: status 1"
    expect_contains "$LAST_STDERR" "$needle" "$what: message"
    one_line "$what"
}
bad "unknown option" "brisa-pub: unknown option '-Z'" "$PUB" -Z -t t -m x
bad "unknown long option" "unknown option '--nope'" "$SUB" --nope -t t
bad "missing argument" "option -t needs an argument" "$PUB" -m x -t
bad "MQTT 5 option at 3.1.1" "-x needs MQTT 5: add -V 5" "$SUB" -x 5 -t t
bad "MQTT 5 unknown property" "unknown property 'nope'" "$SUB" -V mqttv5 -D subscribe nope 1 -t t
bad "MQTT 5 property misplaced" "topic-alias may not be given in publish" \
    "$PUB" -V 5 -D publish topic-alias 1 -t t -m x
bad "unknown version" "unknown protocol version '4'" "$PUB" -V 4 -t t -m x
bad "QoS 3" "invalid value '3' for -q" "$PUB" -q 3 -t t -m x
bad "port 0" "invalid value '0' for -p" "$PUB" -p 0 -t t -m x
bad "port text" "invalid value '18x3' for -p" "$SUB" -p 18x3 -t t
bad "no topic" "no topic given" "$PUB" -m x
bad "no message" "no message given" "$PUB" -t t
bad "two messages" "only one of -m, -f, -l, -n, -s" "$PUB" -t t -m x -n
bad "two topics to publish" "only one -t" "$PUB" -t a -t b -m x
bad "-c without id" "-c (persistent session) needs a client id" "$SUB" -c -t t
bad "password without user" "needs a user name" "$PUB" -P x -t t -m x
bad "will payload without topic" "need --will-topic" "$PUB" --will-payload x -t t -m x
bad "sub-only option in pub" "unknown option '-v'" "$PUB" -v -t t -m x
bad "stray argument" "unexpected argument 'extra'" "$SUB" -t t extra
bad "-C 0" "invalid value '0' for -C" "$SUB" -t t -C 0
expect_fails "missing file" "$PUB" -p "$port" -t t -f "$TEST_DIR/no-such-file"
expect_eq "$LAST_STDERR" "brisa-pub: cannot read '$TEST_DIR/no-such-file': No such file or directory" \
    "missing file explained"

# --help: usage on stdout, status 0; a table row per option.
help=$("$PUB" --help)
expect_contains "$help" "Usage: brisa-pub" "brisa-pub --help"
expect_contains "$help" "--will-topic topic" "help lists long options"
expect_contains "$help" "-l " "help lists -l"
help=$("$SUB" --help)
expect_contains "$help" "-W seconds" "brisa-sub --help lists -W"
case "$help" in *" -m "*) fail "brisa-sub --help lists pub-only -m" ;; esac
pass "brisa-sub --help omits pub-only options"
