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


PLACEMENTS = {"same": "the broker's CPU", "split": "another CPU than the broker's"}
CONNECT_KINDS = (("connect", "reused context"), ("connect-fresh", "fresh context"),
                 ("connect-resume", "resumed session"))


def is_brisa(lib):
    return lib == "brisa" or lib.startswith("brisa-")


def load(args):
    pooled = collections.defaultdict(list)  # (pl, lib, tls, qos, size, metric) -> values
    rounds = collections.defaultdict(lambda: collections.defaultdict(list))  # key -> round -> values
    with open(args.samples, newline="") as f:
        for row in csv.reader(f):
            if len(row) == 8:
                row = ["same"] + row
            if len(row) != 9:
                continue
            pl, lib, _backend, tls, qos, size, metric, rnd, value = row
            if metric.startswith("connect"):
                qos, size = "-", "-"
            key = (pl, lib, tls, qos, size, metric)
            pooled[key].append(float(value))
            rounds[key][rnd].append(float(value))
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
                      "p99": None if key[5] == "throughput" else percentile(v, 99),
                      "rounds": {r: median(x) for r, x in rounds[key].items()}}
    return stats, counts


RUN_FIELDS = ["lib", "backend", "tls", "qos", "size", "metric", "round", "count", "median",
              "p99", "mean", "min", "max", "unit", "sent", "received"]
UNITS = {"write": "us", "read": "us", "throughput": "msg/s"}


def axes(stats):
    tls = [t for t in ("none", "oneway", "twoway") if any(k[2] == t for k in stats)]
    qos = sorted({k[3] for k in stats if k[5] in ("write", "read")}, key=int)
    sizes = sorted({k[4] for k in stats if k[5] in ("write", "read", "throughput")}, key=int)
    pls = [p for p in PLACEMENTS if any(k[0] == p for k in stats)]
    return pls, tls, qos, sizes


def get(stats, pl, lib, tls, qos, size, metric, field="median"):
    s = stats.get((pl, lib, tls, qos, size, metric))
    return None if s is None else s[field]


def round_ratio(stats, pl, a, b, tls, qos, size, metric):
    """a's median over b's, per round; (median, min, max) over the rounds."""
    sa = stats.get((pl, a, tls, qos, size, metric))
    sb = stats.get((pl, b, tls, qos, size, metric))
    if sa is None or sb is None:
        return None
    r = [sa["rounds"][k] / sb["rounds"][k] for k in sa["rounds"]
         if k in sb["rounds"] and sb["rounds"][k] > 0]
    if not r:
        return None
    return median(r), min(r), max(r)


def fmt_ratio(r):
    if r is None:
        return "–"
    if r[1] == r[2]:
        return f"{r[0]:.2f}"
    return f"{r[0]:.2f} ({r[1]:.2f}–{r[2]:.2f})"


def ratio_pairs(libs):
    """(brisa column, other column) for every ratio shown: each brisa column
    over the floor, over the other brisa column (the crypto library's
    share) and over every peer."""
    brisas = [l for l in libs if is_brisa(l)]
    others = [l for l in libs if not is_brisa(l)]
    pairs = []
    for b in brisas:
        pairs += [(b, o) for o in others]
        pairs += [(b, o) for o in brisas if o != b and b.endswith("mbedtls")]
    return pairs


def write_csv(stats, libs, path):
    pairs = ratio_pairs(libs)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["placement", "lib", "tls", "qos", "size", "metric", "unit", "n", "median",
                    "p99", "mean", "over", "ratio_median", "ratio_min", "ratio_max"])
        for key in sorted(stats, key=lambda k: (k[0], k[5], k[2], k[3], k[4],
                                                  libs.index(k[1]) if k[1] in libs else 99)):
            pl, lib, tls, qos, size, metric = key
            s = stats[key]
            base = [pl, lib, tls, qos, size, metric, UNITS.get(metric, "ms"), s["n"],
                    f"{s['median']:.3f}", "" if s["p99"] is None else f"{s['p99']:.3f}",
                    f"{s['mean']:.3f}"]
            rows = [(o, round_ratio(stats, pl, lib, o, tls, qos, size, metric))
                    for (b, o) in pairs if b == lib]
            rows = [(o, r) for o, r in rows if r is not None] or [("", None)]
            for o, r in rows:
                w.writerow(base + ([o] + [f"{x:.3f}" for x in r] if r else ["", "", "", ""]))


def env_lines(path):
    env = {}
    if path and os.path.exists(path):
        for line in open(path):
            k, _, v = line.rstrip("\n").partition("=")
            env[k] = v
    return env


def table(p, head, rows, left):
    p("| " + " | ".join(head) + " |")
    p("|" + "|".join(["---"] * left + ["---:"] * (len(head) - left)) + "|")
    for r in rows:
        p("| " + " | ".join(r) + " |")
    p("")


def targets(stats, libs, pls, tls_modes, qos_list, sizes):
    """The issue's targets, per placement and brisa column."""
    out = []
    brisas = [l for l in libs if is_brisa(l)]
    if "floor" not in libs or not brisas:
        return out
    for pl in pls:
        for b in brisas:
            miss, cells = [], 0
            for t in tls_modes:
                for q in qos_list:
                    for s in sizes:
                        if int(s) > 1024 and t == "none":
                            continue
                        limit = 1.2 if int(s) > 1024 else (1.1 if q == "2" else 1.05)
                        r = round_ratio(stats, pl, b, "floor", t, q, s, "read")
                        if r is None:
                            continue
                        cells += 1
                        if r[0] > limit:
                            miss.append(f"{TLS_NAMES[t]} QoS {q} {size_name(s)}: "
                                        f"{fmt_ratio(r)} > {limit}")
            out.append(f"- {b}, client on {PLACEMENTS[pl]}: read within target of the floor in "
                       f"{cells - len(miss)} of {cells} cells"
                       + (": behind in " + "; ".join(miss) if miss else "."))
            miss, cells = [], 0
            for t in tls_modes:
                for s in sizes:
                    for o in ("floor", "mosquitto"):
                        r = round_ratio(stats, pl, b, o, t, "0", s, "throughput")
                        if r is None:
                            continue
                        cells += 1
                        if r[0] < 1.0:
                            miss.append(f"{TLS_NAMES[t]} {size_name(s)} vs {o}: {fmt_ratio(r)}")
            if cells:
                out.append(f"- {b}, client on {PLACEMENTS[pl]}: QoS 0 throughput at least the floor's "
                           f"and libmosquitto's in {cells - len(miss)} of {cells} comparisons"
                           + (": behind in " + "; ".join(miss) if miss else "."))
            miss, cells = [], 0
            for t in tls_modes:
                if t == "none":
                    continue
                for metric, what in CONNECT_KINDS[:2]:
                    r = round_ratio(stats, pl, b, "floor", t, "-", "-", metric)
                    if r is None:
                        continue
                    cells += 1
                    if r[0] > 1.1:
                        miss.append(f"{TLS_NAMES[t]} {what}: {fmt_ratio(r)}")
            if cells:
                out.append(f"- {b}, client on {PLACEMENTS[pl]}: TLS connect within 1.1x the floor's in "
                           f"{cells - len(miss)} of {cells} cells"
                           + (": behind in " + "; ".join(miss) if miss else "."))
    return out


def report(stats, counts, libs, env, failures):
    pls, tls_modes, qos_list, sizes = axes(stats)
    pairs = ratio_pairs(libs)
    rhead = [f"{b}/{o}" for b, o in pairs]
    out = []
    p = out.append

    p(f"Measured {env.get('date', '?')} at commit `{env.get('commit', '?')}` on "
      f"{env.get('nproc', '?')} CPUs ({env.get('cpu', '?')}), {env.get('kernel', '?')}, "
      f"load average {env.get('load_start', '?')} at the start and {env.get('loadavg', '?')} "
      f"at the end; {env.get('compiler', '?')}, "
      f"{env.get('build', '')}. Idle CPUs: {env.get('pmqos', '?')}. "
      f"Placement: {env.get('pinning', '?')}.")
    p("")
    p(f"Broker Mosquitto {env.get('mosquitto', '?')}; libmosquitto {env.get('libmosquitto', '?')}; "
      f"Paho MQTT C {env.get('paho', '?')}; mbedTLS {env.get('mbedtls', '?')}; "
      f"OpenSSL {env.get('openssl', '?')}. Certificates: {env.get('pki', '?')}; "
      f"{env.get('tls', '')} (an OpenSSL client gets: {env.get('negotiated', '?')}). "
      f"Matrix: {env.get('matrix', '?')}; {env.get('elapsed_s', '?')} s.")
    p("")
    p("Figures are medians / p99 pooling every sample of every round. A ratio is "
      "the median over the rounds of the two columns' per-round medians, with the "
      "lowest and highest round in brackets; for times below 1 means brisa is faster, "
      "for throughput above 1 means brisa is faster.")
    p("")

    for pl in pls:
        p(f"### Placement: client on {PLACEMENTS[pl]} ({pl})")
        p("")
        for metric, what in (("read", "Read: publish call until the same message is back "
                                      "through the subscription."),
                             ("write", "Write: publish call until it returns (QoS 0) or until "
                                       "PUBACK/PUBCOMP has come (QoS 1/2).")):
            p(f"#### {metric.capitalize()} time per packet, {pl} (µs, median / p99)")
            p("")
            p(what)
            p("")
            rows, rrows = [], []
            for t in tls_modes:
                for q in qos_list:
                    for s in sizes:
                        cell = [TLS_NAMES[t], q, size_name(s)]
                        row = list(cell)
                        for l in libs:
                            m = get(stats, pl, l, t, q, s, metric)
                            row.append("–" if m is None else
                                       f"{fmt(m)} / {fmt(get(stats, pl, l, t, q, s, metric, 'p99'))}")
                        rows.append(row)
                        rrows.append(cell + [fmt_ratio(round_ratio(stats, pl, b, o, t, q, s, metric))
                                             for b, o in pairs])
            table(p, ["TLS", "QoS", "payload"] + libs, rows, 3)
            if pairs:
                p(f"{metric.capitalize()} ratios, {pl}:")
                p("")
                table(p, ["TLS", "QoS", "payload"] + rhead, rrows, 3)

        p(f"#### QoS 0 throughput, {pl} (messages/s, median of every burst of every round)")
        p("")
        rows, rrows = [], []
        for t in tls_modes:
            for s in sizes:
                if not any(get(stats, pl, l, t, "0", s, "throughput") for l in libs):
                    continue
                cell = [TLS_NAMES[t], size_name(s)]
                rows.append(cell + [fmt(get(stats, pl, l, t, "0", s, "throughput"), 0) for l in libs])
                rrows.append(cell + [fmt_ratio(round_ratio(stats, pl, b, o, t, "0", s, "throughput"))
                                     for b, o in pairs])
        table(p, ["TLS", "payload"] + libs, rows, 2)
        if pairs and rrows:
            table(p, ["TLS", "payload"] + rhead, rrows, 2)

        p(f"#### Connect time, {pl} (ms, median / p99): TCP + TLS handshake + CONNECT/CONNACK")
        p("")
        p("Reused context: one TLS context for every connect, full handshakes (every "
          "library); fresh context: a new one, credentials loaded, per connect; resumed: "
          "the previous session offered (brisa and the floor only).")
        p("")
        rows, rrows = [], []
        for t in tls_modes:
            for metric, what in CONNECT_KINDS:
                if not any(get(stats, pl, l, t, "-", "-", metric) for l in libs):
                    continue
                cell = [TLS_NAMES[t], what]
                row = list(cell)
                for l in libs:
                    m = get(stats, pl, l, t, "-", "-", metric)
                    row.append("–" if m is None else
                               f"{fmt(m, 3)} / {fmt(get(stats, pl, l, t, '-', '-', metric, 'p99'), 3)}")
                rows.append(row)
                rrows.append(cell + [fmt_ratio(round_ratio(stats, pl, b, o, t, "-", "-", metric))
                                     for b, o in pairs])
        table(p, ["TLS", "connect"] + libs, rows, 2)
        if pairs and rrows:
            table(p, ["TLS", "connect"] + rhead, rrows, 2)

    lines = targets(stats, libs, pls, tls_modes, qos_list, sizes)
    if lines:
        p("### Targets (read ≤ 1.05x the floor at QoS 0/1, ≤ 1.1x at QoS 2, for 16 B and "
          "1 KiB; ≤ 1.2x at 64 KiB with TLS; QoS 0 throughput ≥ the floor's and "
          "libmosquitto's; TLS connect ≤ 1.1x the floor's, fresh and reused)")
        p("")
        out.extend(lines)
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
    pls, tls_modes, qos_list, sizes = axes(stats)
    header = "cell " + " ".join(libs) + "\n"

    def val(x):
        return "NaN" if x is None else f"{x:.3f}"

    def write_dat(name, rows):
        """One gnuplot data file: a quoted label, then one value per library."""
        with open(os.path.join(out_dir, name), "w") as f:
            f.write(header)
            for label, key in rows:
                f.write(f'"{label}" ' + " ".join(val(get(stats, pl, l, *key)) for l in libs) + "\n")

    def compact(s):
        return size_name(s).replace(" ", "")

    for pl in pls:
        for metric in ("write", "read"):
            for t in ("none", "oneway"):
                write_dat(f"rw_{metric}_{t}_{pl}.dat",
                          [(f"QoS{q} {compact(s)}", (t, q, s, metric))
                           for q in qos_list for s in sizes])
        write_dat(f"tput_{pl}.dat",
                  [(f"{t} {compact(s)}", (t, "0", s, "throughput"))
                   for t in tls_modes for s in sizes])
        write_dat(f"connect_{pl}.dat", [(t, (t, "-", "-", "connect")) for t in tls_modes])
    has = lambda metric, t: any(get(stats, pl, l, t, q, s, metric) is not None
                                for pl in pls for l in libs for q in qos_list for s in sizes)
    with open(os.path.join(out_dir, "plot.cfg"), "w") as f:
        f.write(f"has_none = {int(has('read', 'none'))}\n")
        f.write(f"has_oneway = {int(has('read', 'oneway'))}\n")
        f.write(f"has_tput = {int(any(k[5] == 'throughput' for k in stats))}\n")
        f.write(f"has_connect = {int(any(k[5] == 'connect' for k in stats))}\n")
        f.write(f"placements = \"{' '.join(pls)}\"\n")


def splice(doc, out_dir):
    text = open(doc).read()
    if BEGIN not in text or END not in text:
        sys.exit(f"report.py: {doc} has no {BEGIN} ... {END} section")
    body = open(os.path.join(out_dir, "report.md")).read()
    rel = os.path.relpath(out_dir, os.path.dirname(os.path.abspath(doc)))
    images, svgs = "\n", []
    for pl, where in PLACEMENTS.items():
        if not os.path.exists(os.path.join(out_dir, f"rw_{pl}.png")):
            continue
        images += (f"![Write and read time, client on {where}]({rel}/rw_{pl}.png)\n\n"
                   f"![QoS 0 throughput and connect time, client on {where}]"
                   f"({rel}/tput_connect_{pl}.png)\n\n")
        svgs += [f"[{rel}/rw_{pl}.svg]({rel}/rw_{pl}.svg)",
                 f"[{rel}/tput_connect_{pl}.svg]({rel}/tput_connect_{pl}.svg)"]
    images += (f"SVG: {', '.join(svgs)}; " if svgs else "") + \
        f"CSV: [{rel}/results.csv]({rel}/results.csv).\n\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    open(doc, "w").write(head + BEGIN + "\n" + images + body + "\n" + END + tail)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples")
    ap.add_argument("--runs")
    ap.add_argument("--env")
    ap.add_argument("--libs", default="floor brisa-mbedtls brisa-openssl mosquitto paho paho-nodelay")
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
