#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/run.sh on a tiny matrix -- the floor, brisa, libmosquitto and Paho, TLS one-way,
# QoS 0 and 1, two payload sizes, a few cycles -- then checks that every
# library produced every figure, that the figures are sane (positive,
# median <= p99) and that every message sent came back. Timing is never
# judged: a slow machine passes.
source "$(dirname "$0")/../harness/lib.sh"

for p in bench_floor bench_brisa bench_mosquitto bench_paho; do
    [ -x "$BRISA_BIN/$p" ] || fail "$BRISA_BIN/$p not built"
done

out="$TEST_DIR/results"
bash "$BRISA_SRC/bench/run.sh" --quick --no-build --build "$BRISA_BUILD" \
    --libs "floor brisa mosquitto paho" --tls oneway --qos "0 1" --sizes "16 1024" \
    --cycles 5 --warmup 2 --connects 3 --messages 100 --out "$out" \
    >"$TEST_DIR/run.log" 2>&1 || fail "bench/run.sh failed: $(tail -n 20 "$TEST_DIR/run.log")"
pass "bench/run.sh --quick ran"

for f in runs.csv results.csv report.md env.txt rw_same.png tput_connect_same.svg; do
    [ -s "$out/$f" ] || fail "$f missing or empty"
done
pass "CSV, report and plots written"

# Each library: write and read rows for 2 QoS x 2 sizes, 2 throughput rows,
# 1 connect row; every number positive, median <= p99, received == sent.
python3 - "$out/runs.csv" <<'PY' || fail "runs.csv checks failed"
import csv, sys
want = {"write": 4, "read": 4, "throughput": 2, "connect": 1}
fields = ["lib", "backend", "tls", "qos", "size", "metric", "round", "count", "median",
          "p99", "mean", "min", "max", "unit", "sent", "received"]
rows = list(csv.DictReader(open(sys.argv[1]), fieldnames=fields))
bad = []
for lib in ("floor", "brisa", "mosquitto", "paho"):
    mine = [r for r in rows if r["lib"] == lib]
    for metric, n in want.items():
        got = [r for r in mine if r["metric"] == metric]
        if len(got) != n:
            bad.append(f"{lib}: {len(got)} {metric} rows, want {n}")
    for r in mine:
        med, p99, lo = float(r["median"]), float(r["p99"]), float(r["min"])
        if not (lo > 0 and med >= lo and p99 >= med):
            bad.append(f"{lib} {r['metric']} q{r['qos']} {r['size']}: min {lo} median {med} p99 {p99}")
        if r["tls"] != "oneway":
            bad.append(f"{lib}: row for TLS mode {r['tls']}")
        if int(r["sent"]) <= 0 or r["sent"] != r["received"]:
            bad.append(f"{lib} {r['metric']} q{r['qos']} {r['size']}: sent {r['sent']} received {r['received']}")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
pass "every library: write, read, throughput, connect rows; sane; received == sent"

expect_file_contains "$out/report.md" "brisa/mosquitto" "report has brisa/peer ratios"
expect_file_contains "$out/report.md" "brisa/floor" "report has brisa/floor ratios"
for lib in floor brisa mosquitto paho; do
    grep -q "^- $lib: \([0-9]*\) of \1 messages came back" "$out/report.md" ||
        fail "report integrity line for $lib: $(grep "^- $lib:" "$out/report.md")"
done
pass "report integrity: everything sent came back"
