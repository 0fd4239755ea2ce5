// SPDX-License-Identifier: MIT
/* Command line of every benchmark program: one set of flags, so the runner
 * can call bench_brisa, bench_mosquitto and bench_paho the same way. Host
 * and port follow mosquitto_pub (-h, -p). */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static const char *prog_lib = "bench";

void bench_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "bench_%s: ", prog_lib);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: bench_%s [options]\n"
            "  -h HOST          broker address (127.0.0.1)\n"
            "  -p PORT          broker port (1883)\n"
            "  --tls MODE       none | oneway | twoway (none)\n"
            "  --cafile FILE    CA certificate(s) that sign the broker's chain\n"
            "  --cert FILE      client certificate chain (two-way)\n"
            "  --key FILE       client private key (two-way)\n"
            "  --backend NAME   TLS backend label / choice (brisa: mbedtls|openssl)\n"
            "  -t TOPIC         topic (bench/<lib>/<pid>)\n"
            "  -q QOS           0, 1 or 2 (0)\n"
            "  -s BYTES         payload size, k suffix = KiB (16)\n"
            "  -n CYCLES        timed write/read cycles (1000)\n"
            "  -w CYCLES        untimed warm-up cycles (50)\n"
            "  -m MESSAGES      throughput burst length (10000)\n"
            "  --bursts N       timed throughput bursts per run (5)\n"
            "  -k CONNECTS      timed connects (50)\n"
            "  --mode LIST      comma list of rw, throughput, connect (rw)\n"
            "  --timeout MS     longest wait for one event (10000)\n"
            "  --round N        round label for the output (0)\n"
            "  --label NAME     library label for the output (the program's)\n"
            "  --samples FILE   append every raw sample to FILE\n"
            "  --model M        loop: the caller drives the library (brisa, mosquitto\n"
            "                   default); thread: the library's own network thread\n"
            "                   calls back (paho default)\n"
            "  --rxbuf BYTES    brisa: receive buffer (65 KiB: whole 64 KiB messages)\n"
            "  --txbuf BYTES    brisa: transmit buffer (4 KiB)\n"
            "  --connect-kind K reuse: one TLS context, full handshakes (default);\n"
            "                   fresh: a new context per connect; resume: resumed\n"
            "                   sessions (brisa and floor; metric connect-K)\n"
            "  --header         print the CSV header first\n"
            "Output: CSV rows lib,backend,tls,qos,size,metric,round,count,median,\n"
            "p99,mean,min,max,unit,sent,received (write/read in us, connect in ms,\n"
            "throughput in msg/s).\n",
            prog_lib);
}

static void bad(const char *what, const char *value)
{
    bench_log("invalid %s '%s' (try --help)", what, value);
    exit(2);
}

static unsigned long parse_num(const char *what, const char *s, unsigned long max)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || s[0] == '-')
        bad(what, s);
    if (*end == 'k' || *end == 'K') {
        v *= 1024u;
        end++;
    }
    if (*end != '\0' || v > max)
        bad(what, s);
    return v;
}

static unsigned parse_modes(const char *s)
{
    unsigned modes = 0;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok != NULL;
         tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "rw") == 0)
            modes |= BENCH_MODE_RW;
        else if (strcmp(tok, "throughput") == 0)
            modes |= BENCH_MODE_THROUGHPUT;
        else if (strcmp(tok, "connect") == 0)
            modes |= BENCH_MODE_CONNECT;
        else
            bad("mode", tok);
    }
    if (modes == 0)
        bad("mode", s);
    return modes;
}

static bench_tls parse_tls(const char *s)
{
    if (strcmp(s, "none") == 0)
        return BENCH_TLS_NONE;
    if (strcmp(s, "oneway") == 0)
        return BENCH_TLS_ONEWAY;
    if (strcmp(s, "twoway") == 0)
        return BENCH_TLS_TWOWAY;
    bad("TLS mode", s);
    return BENCH_TLS_NONE;
}

enum { OPT_TLS = 256, OPT_CAFILE, OPT_CERT, OPT_KEY, OPT_BACKEND, OPT_MODE,
       OPT_TIMEOUT, OPT_ROUND, OPT_SAMPLES, OPT_MODEL, OPT_LABEL, OPT_RXBUF, OPT_TXBUF, OPT_BURSTS, OPT_HEADER, OPT_HELP,
       OPT_CONNECT_KIND };

void bench_parse(bench_opts *o, const char *lib, const char *backend, bool threaded,
                 int argc, char **argv)
{
    static const struct option longs[] = {
        { "tls", required_argument, NULL, OPT_TLS },
        { "cafile", required_argument, NULL, OPT_CAFILE },
        { "cert", required_argument, NULL, OPT_CERT },
        { "key", required_argument, NULL, OPT_KEY },
        { "backend", required_argument, NULL, OPT_BACKEND },
        { "mode", required_argument, NULL, OPT_MODE },
        { "timeout", required_argument, NULL, OPT_TIMEOUT },
        { "round", required_argument, NULL, OPT_ROUND },
        { "samples", required_argument, NULL, OPT_SAMPLES },
        { "model", required_argument, NULL, OPT_MODEL },
        { "label", required_argument, NULL, OPT_LABEL },
        { "rxbuf", required_argument, NULL, OPT_RXBUF },
        { "txbuf", required_argument, NULL, OPT_TXBUF },
        { "bursts", required_argument, NULL, OPT_BURSTS },
        { "header", no_argument, NULL, OPT_HEADER },
        { "connect-kind", required_argument, NULL, OPT_CONNECT_KIND },
        { "help", no_argument, NULL, OPT_HELP },
        { NULL, 0, NULL, 0 },
    };
    prog_lib = lib;
    memset(o, 0, sizeof *o);
    o->lib = lib;
    o->backend = backend;
    o->host = "127.0.0.1";
    o->port = 1883;
    o->size = 16;
    o->cycles = 1000;
    o->warmup = 50;
    o->messages = 10000;
    o->bursts = 5;
    o->connects = 50;
    o->modes = BENCH_MODE_RW;
    o->timeout_ms = 10000;
    o->threaded = threaded;

    int ch;
    while ((ch = getopt_long(argc, argv, "h:p:t:q:s:n:w:m:k:", longs, NULL)) != -1) {
        switch (ch) {
        case 'h': o->host = optarg; break;
        case 'p': o->port = (uint16_t)parse_num("port", optarg, 65535); break;
        case 't': o->topic = optarg; break;
        case 'q': o->qos = (int)parse_num("QoS", optarg, 2); break;
        case 's': o->size = parse_num("size", optarg, 256ul * 1024 * 1024); break;
        case 'n': o->cycles = (unsigned)parse_num("cycles", optarg, 100000000); break;
        case 'w': o->warmup = (unsigned)parse_num("warm-up", optarg, 100000000); break;
        case 'm': o->messages = (unsigned)parse_num("messages", optarg, 100000000); break;
        case 'k': o->connects = (unsigned)parse_num("connects", optarg, 1000000); break;
        case OPT_TLS: o->tls = parse_tls(optarg); break;
        case OPT_CAFILE: o->cafile = optarg; break;
        case OPT_CERT: o->certfile = optarg; break;
        case OPT_KEY: o->keyfile = optarg; break;
        case OPT_BACKEND: o->backend = optarg; break;
        case OPT_MODE: o->modes = parse_modes(optarg); break;
        case OPT_TIMEOUT: o->timeout_ms = (unsigned)parse_num("timeout", optarg, 3600000); break;
        case OPT_ROUND: o->round = (unsigned)parse_num("round", optarg, 1000000); break;
        case OPT_SAMPLES: o->samples = optarg; break;
        case OPT_MODEL:
            if (strcmp(optarg, "loop") != 0 && strcmp(optarg, "thread") != 0)
                bad("model", optarg);
            o->threaded = optarg[0] == 't';
            break;
        case OPT_LABEL: o->lib = optarg; break;
        case OPT_RXBUF: o->rxbuf = parse_num("rxbuf", optarg, 256ul * 1024 * 1024); break;
        case OPT_BURSTS: o->bursts = (unsigned)parse_num("bursts", optarg, 100000); break;
        case OPT_TXBUF: o->txbuf = parse_num("txbuf", optarg, 256ul * 1024 * 1024); break;
        case OPT_HEADER: o->header = true; break;
        case OPT_CONNECT_KIND:
            if (strcmp(optarg, "reuse") == 0)
                o->connect_kind = BENCH_CONNECT_REUSE;
            else if (strcmp(optarg, "fresh") == 0)
                o->connect_kind = BENCH_CONNECT_FRESH;
            else if (strcmp(optarg, "resume") == 0)
                o->connect_kind = BENCH_CONNECT_RESUME;
            else
                bad("connect kind", optarg);
            break;
        case OPT_HELP: usage(stdout); exit(0);
        default: usage(stderr); exit(2);
        }
    }
    if (optind < argc)
        bad("argument", argv[optind]);
    if (o->size < BENCH_HEADER_LEN) {
        bench_log("payload size must be at least %d bytes", BENCH_HEADER_LEN);
        exit(2);
    }
    if (o->port == 0)
        bad("port", "0");
    if (o->tls != BENCH_TLS_NONE && o->cafile == NULL) {
        bench_log("--tls needs --cafile");
        exit(2);
    }
    if (o->tls == BENCH_TLS_TWOWAY && (o->certfile == NULL || o->keyfile == NULL)) {
        bench_log("--tls twoway needs --cert and --key");
        exit(2);
    }
    if (o->cycles == 0 || o->messages == 0 || o->bursts == 0 || o->connects == 0 || o->timeout_ms == 0)
        bad("count", "0");
}
