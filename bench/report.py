#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turns the raw output of bench/run.sh into results.csv, report.md and the
data files bench/plot.gp draws; or (--splice) copies report.md into the
results section of BENCH.md.

Every figure pools the samples of every round of a cell (so a median is
that of all samples, not a median of medians); a throughput sample is the
rate of one burst."""
import argparse
import collections
import csv
import math
import os
import sys

TLS_NAMES = {"none": "no TLS", "oneway": "TLS one-way", "twoway": "TLS two-way"}
PEERS_FOR_TARGET = ("mosquitto", "paho", "paho-nodelay")
BEGIN, END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"


def size_name(size):
    size = int(size)
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} KiB"
    return f"{size} B"


def percentile(sorted_values, pct):
    """Nearest-rank percentile, as the programs compute it."""
    rank = max(1, math.ceil(pct / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2.0


def fmt(x, digits=1):
    if x is None:
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def load(args):
    pooled = collections.defaultdict(list)  # (lib, tls, qos, size, metric) -> values
    with open(args.samples, newline="") as f:
        for row in csv.reader(f):
            if len(row) != 8:
                continue
            lib, _backend, tls, qos, size, metric, _round, value = row
            if metric == "connect":
                qos, size = "-", "-"
            pooled[(lib, tls, qos, size, metric)].append(float(value))
    counts = collections.defaultdict(lambda: [0, 0])  # lib -> [sent, received]
    with open(args.runs, newline="") as f:
        for row in csv.DictReader(f, fieldnames=RUN_FIELDS):
            if row["lib"] == "lib" or row["received"] is None:
                continue
            if row["metric"] in ("read", "throughput"):
                counts[row["lib"]][0] += int(row["sent"])
                counts[row["lib"]][1] += int(row["received"])
    stats = {}
    for key, values in pooled.items():
        v = sorted(values)
        stats[key] = {"n": len(v), "median": median(v), "mean": sum(v) / len(v),
                      "p99": None if key[4] == "throughput" else percentile(v, 99)}
    return stats, counts


RUN_FIELDS = ["lib", "backend", "tls", "qos", "size", "metric", "round", "count", "median",
              "p99", "mean", "min", "max", "unit", "sent", "received"]
UNITS = {"write": "us", "read": "us", "connect": "ms", "throughput": "msg/s"}


def axes(stats, libs):
    tls = [t for t in ("none", "oneway", "twoway") if any(k[1] == t for k in stats)]
    qos = sorted({k[2] for k in stats if k[4] in ("write", "read")}, key=int)
    sizes = sorted({k[3] for k in stats if k[4] in ("write", "read", "throughput")}, key=int)
    return tls, qos, sizes


def get(stats, lib, tls, qos, size, metric, field="median"):
    s = stats.get((lib, tls, qos, size, metric))
    return None if s is None else s[field]


def write_csv(stats, libs, path):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["lib", "tls", "qos", "size", "metric", "unit", "n", "median", "p99", "mean",
                    "brisa_over_lib"])
        for key in sorted(stats, key=lambda k: (k[4], k[1], k[2], k[3], libs.index(k[0])
                                                  if k[0] in libs else 99)):
            lib, tls, qos, size, metric = key
            s = stats[key]
            r = None
            if lib != "brisa":
                r = ratio(get(stats, "brisa", tls, qos, size, metric), s["median"])
            w.writerow([lib, tls, qos, size, metric, UNITS[metric], s["n"],
                        f"{s['median']:.3f}", "" if s["p99"] is None else f"{s['p99']:.3f}",
                        f"{s['mean']:.3f}", "" if r is None else f"{r:.3f}"])


def env_lines(path):
    env = {}
    if path and os.path.exists(path):
        for line in open(path):
            k, _, v = line.rstrip("\n").partition("=")
            env[k] = v
    return env


def report(stats, counts, libs, env, failures):
    tls_modes, qos_list, sizes = axes(stats, libs)
    peers = [l for l in libs if l != "brisa"]
    have_brisa = "brisa" in libs
    out = []
    p = out.append

    p(f"Measured {env.get('date', '?')} at commit `{env.get('commit', '?')}` on "
      f"{env.get('nproc', '?')} CPUs ({env.get('cpu', '?')}), {env.get('kernel', '?')}, "
      f"load average {env.get('loadavg', '?')} at the end; {env.get('compiler', '?')}, "
      f"{env.get('build', '')}. Idle CPUs: {env.get('pmqos', '?')}.")
    p("")
    p(f"Broker Mosquitto {env.get('mosquitto', '?')}; libmosquitto {env.get('libmosquitto', '?')}; "
      f"Paho MQTT C {env.get('paho', '?')}; mbedTLS {env.get('mbedtls', '?')}; "
      f"OpenSSL {env.get('openssl', '?')}. Certificates: {env.get('pki', '?')}; "
      f"{env.get('tls', '')} (an OpenSSL client gets: {env.get('negotiated', '?')}). Matrix: {env.get('matrix', '?')}; {env.get('elapsed_s', '?')} s.")
    p("")

    # -- write / read ----------------------------------------------------
    for metric, what in (("write", "Write: publish call until it returns (QoS 0) or until "
                                   "PUBACK/PUBCOMP has come (QoS 1/2)."),
                         ("read", "Read: publish call until the same message is back "
                                  "through the subscription.")):
        p(f"### {metric.capitalize()} time per packet (µs, median / p99)")
        p("")
        p(what + " Ratio: brisa's median over the peer's (below 1: brisa faster).")
        p("")
        head = ["TLS", "QoS", "payload"] + libs + ([f"brisa/{l}" for l in peers] if have_brisa else [])
        p("| " + " | ".join(head) + " |")
        p("|" + "|".join(["---"] * 3 + ["---:"] * (len(head) - 3)) + "|")
        for t in tls_modes:
            for q in qos_list:
                for s in sizes:
                    row = [TLS_NAMES[t], q, size_name(s)]
                    for l in libs:
                        m = get(stats, l, t, q, s, metric)
                        p99 = get(stats, l, t, q, s, metric, "p99")
                        row.append("–" if m is None else f"{fmt(m)} / {fmt(p99)}")
                    if have_brisa:
                        b = get(stats, "brisa", t, q, s, metric)
                        for l in peers:
                            r = ratio(b, get(stats, l, t, q, s, metric))
                            row.append("–" if r is None else f"{r:.2f}")
                    p("| " + " | ".join(row) + " |")
        p("")

    # -- throughput ------------------------------------------------------
    p("### QoS 0 throughput (messages/s, median of every burst of every round)")
    p("")
    head = ["TLS", "payload"] + libs + ([f"brisa/{l}" for l in peers] if have_brisa else [])
    p("| " + " | ".join(head) + " |")
    p("|" + "|".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + "|")
    for t in tls_modes:
        for s in sizes:
            row = [TLS_NAMES[t], size_name(s)]
            for l in libs:
                row.append(fmt(get(stats, l, t, "0", s, "throughput"), 0))
            if have_brisa:
                b = get(stats, "brisa", t, "0", s, "throughput")
                for l in peers:
                    r = ratio(b, get(stats, l, t, "0", s, "throughput"))
                    row.append("–" if r is None else f"{r:.2f}")
            if any(get(stats, l, t, "0", s, "throughput") for l in libs):
                p("| " + " | ".join(row) + " |")
    p("")

    # -- connect ---------------------------------------------------------
    p("### Connect time (ms, median / p99): TCP + TLS handshake + CONNECT/CONNACK")
    p("")
    head = ["TLS"] + libs + ([f"brisa/{l}" for l in peers] if have_brisa else [])
    p("| " + " | ".join(head) + " |")
    p("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
    for t in tls_modes:
        row = [TLS_NAMES[t]]
        for l in libs:
            m = get(stats, l, t, "-", "-", "connect")
            row.append("–" if m is None else
                       f"{fmt(m, 3)} / {fmt(get(stats, l, t, '-', '-', 'connect', 'p99'), 3)}")
        if have_brisa:
            b = get(stats, "brisa", t, "-", "-", "connect")
            for l in peers:
                r = ratio(b, get(stats, l, t, "-", "-", "connect"))
                row.append("–" if r is None else f"{r:.2f}")
        p("| " + " | ".join(row) + " |")
    p("")

    # -- TLS cost --------------------------------------------------------
    if "none" in tls_modes and len(tls_modes) > 1:
        p("### What TLS adds per message (read median with TLS minus without; µs and %)")
        p("")
        modes = [t for t in tls_modes if t != "none"]
        head = ["QoS", "payload"] + [f"{l} {TLS_NAMES[t]}" for t in modes
                                      for l in libs]
        p("| " + " | ".join(head) + " |")
        p("|" + "|".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + "|")
        for q in qos_list:
            for s in sizes:
                row = [q, size_name(s)]
                for t in modes:
                    for l in libs:
                        base = get(stats, l, "none", q, s, "read")
                        tls = get(stats, l, t, q, s, "read")
                        if base is None or tls is None:
                            row.append("–")
                        else:
                            row.append(f"{tls - base:+.1f} ({(tls - base) / base * 100:+.0f}%)")
                p("| " + " | ".join(row) + " |")
        p("")

    # -- targets ---------------------------------------------------------
    if have_brisa:
        p("### Targets")
        p("")
        misses, cells = [], 0
        target_peers = [l for l in PEERS_FOR_TARGET if l in libs]
        for t in tls_modes:
            for q in qos_list:
                for s in sizes:
                    b = get(stats, "brisa", t, q, s, "read")
                    best = [get(stats, l, t, q, s, "read") for l in target_peers]
                    best = [x for x in best if x is not None]
                    if b is None or not best:
                        continue
                    cells += 1
                    if b > min(best):
                        misses.append(f"read {TLS_NAMES[t]}, QoS {q}, {size_name(s)}: brisa "
                                      f"{fmt(b)} µs vs best peer {fmt(min(best))} µs "
                                      f"({b / min(best):.2f}x)")
        p(f"- Read median no worse than the fastest of {', '.join(target_peers)}: "
          f"{cells - len(misses)} of {cells} cells.")
        for m in misses:
            p(f"  - behind: {m}")
        if "mosquitto" in libs:
            tcells, tmiss = 0, []
            for t in tls_modes:
                for s in sizes:
                    b = get(stats, "brisa", t, "0", s, "throughput")
                    m = get(stats, "mosquitto", t, "0", s, "throughput")
                    if b is None or m is None:
                        continue
                    tcells += 1
                    if b < m:
                        tmiss.append(f"{TLS_NAMES[t]}, {size_name(s)}: {fmt(b, 0)} vs {fmt(m, 0)} msg/s")
            p(f"- QoS 0 throughput at least libmosquitto's: {tcells - len(tmiss)} of {tcells} cells.")
            for m in tmiss:
                p(f"  - behind: {m}")
            for t in tls_modes:
                if t == "none":
                    continue
                b = get(stats, "brisa", t, "-", "-", "connect")
                m = get(stats, "mosquitto", t, "-", "-", "connect")
                if b is not None and m is not None:
                    verdict = "met" if b <= m else "behind"
                    p(f"- Connect with {TLS_NAMES[t]} no worse than libmosquitto/OpenSSL: "
                      f"{verdict} ({fmt(b, 3)} vs {fmt(m, 3)} ms).")
        p("")

    p("### Integrity")
    p("")
    for l in libs:
        sent, received = counts.get(l, (0, 0))
        p(f"- {l}: {received} of {sent} messages came back"
          + ("" if sent == received else " **(loss!)**"))
    if failures:
        p("- failed runs: " + "; ".join(failures))
    p("")
    return "\n".join(out)


def plot_data(stats, libs, out_dir):
    tls_modes, qos_list, sizes = axes(stats, libs)
    header = "cell " + " ".join(libs) + "\n"

    def val(x):
        return "NaN" if x is None else f"{x:.3f}"

    for metric in ("write", "read"):
        for t in ("none", "oneway"):
            with open(os.path.join(out_dir, f"rw_{metric}_{t}.dat"), "w") as f:
                f.write(header)
                for q in qos_list:
                    for s in sizes:
                        cell = f'"QoS{q} {size_name(s).replace(" ", "")}"'
                        f.write(cell + " " + " ".join(
                            val(get(stats, l, t, q, s, metric)) for l in libs) + "\n")
    with open(os.path.join(out_dir, "tput.dat"), "w") as f:
        f.write(header)
        for t in tls_modes:
            for s in sizes:
                cell = f'"{t} {size_name(s).replace(" ", "")}"'
                f.write(cell + " " + " ".join(
                    val(get(stats, l, t, "0", s, "throughput")) for l in libs) + "\n")
    has = lambda metric, t: any(get(stats, l, t, q, s, metric) is not None
                                for l in libs for q in qos_list for s in sizes)
    with open(os.path.join(out_dir, "plot.cfg"), "w") as f:
        f.write(f"has_none = {int(has('read', 'none'))}\n")
        f.write(f"has_oneway = {int(has('read', 'oneway'))}\n")
        f.write(f"has_tput = {int(any(k[4] == 'throughput' for k in stats))}\n")
        f.write(f"has_connect = {int(any(k[4] == 'connect' for k in stats))}\n")
    with open(os.path.join(out_dir, "connect.dat"), "w") as f:
        f.write(header)
        for t in tls_modes:
            f.write(f'"{t}" ' + " ".join(
                val(get(stats, l, t, "-", "-", "connect")) for l in libs) + "\n")


def splice(doc, out_dir):
    text = open(doc).read()
    if BEGIN not in text or END not in text:
        sys.exit(f"report.py: {doc} has no {BEGIN} ... {END} section")
    body = open(os.path.join(out_dir, "report.md")).read()
    rel = os.path.relpath(out_dir, os.path.dirname(os.path.abspath(doc)))
    images = (f"\n![Write and read time, with and without TLS]({rel}/rw.png)\n\n"
              f"![QoS 0 throughput and connect time]({rel}/tput_connect.png)\n\n"
              f"SVG: [{rel}/rw.svg]({rel}/rw.svg), [{rel}/tput_connect.svg]({rel}/tput_connect.svg); "
              f"CSV: [{rel}/results.csv]({rel}/results.csv).\n\n")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    open(doc, "w").write(head + BEGIN + "\n" + images + body + "\n" + END + tail)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples")
    ap.add_argument("--runs")
    ap.add_argument("--env")
    ap.add_argument("--libs", default="brisa brisa-openssl mosquitto paho paho-nodelay")
    ap.add_argument("--out", required=True)
    ap.add_argument("--failures")
    ap.add_argument("--splice", help="BENCH.md to update from OUT/report.md")
    args = ap.parse_args()
    if args.splice:
        splice(args.splice, args.out)
        return
    libs = args.libs.split()
    stats, counts = load(args)
    failures = []
    if args.failures and os.path.exists(args.failures):
        failures = [l.strip() for l in open(args.failures) if l.strip()]
    write_csv(stats, libs, os.path.join(args.out, "results.csv"))
    text = report(stats, counts, libs, env_lines(args.env), failures)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write(text + "\n")
    plot_data(stats, libs, args.out)


if __name__ == "__main__":
    main()
