// SPDX-License-Identifier: MIT
/* brisa-net ntp SERVER[:PORT] [--samples N] [--timeout MS] [--attempts N]
 *                             [--gmt-offset H[:MM]]
 *
 * Asks an NTP server for the time with brisa's SNTP client and prints the
 * offset of this machine's clock, the round-trip delay and the corrected
 * local time. The corrected time lives in a software clock: the system
 * clock is never touched. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "brisa/err.h"
#include "brisa/port/posix.h"
#include "brisa/port/posix_udp.h"
#include "brisa/sntp.h"
#include "commands.h"
#include "dns_cmd.h"

#define MAX_SERVERS 8
#define DEFAULT_SAMPLES 4u
#define DEFAULT_TIMEOUT_MS 1000u
#define DEFAULT_ATTEMPTS 3u

static void usage(void)
{
    fprintf(stderr,
            "usage: brisa-net ntp SERVER[:PORT] [--samples N] [--timeout MS]\n"
            "                     [--attempts N] [--gmt-offset H[:MM]]\n"
            "  SERVER        address or host name (looked up with /etc/resolv.conf)\n"
            "  --samples     replies to take; the one with the lowest delay wins (default %u)\n"
            "  --timeout     wait per request in ms (default %u)\n"
            "  --attempts    requests per sample before giving up (default %u)\n"
            "  --gmt-offset  time zone for the local time shown, e.g. +1 or -3:30\n",
            DEFAULT_SAMPLES, DEFAULT_TIMEOUT_MS, DEFAULT_ATTEMPTS);
}

/* "[+-]H[:MM]" -> minutes east of Greenwich. */
static bool parse_gmt_offset(void *ctx, const char *text)
{
    int *minutes = ctx;
    int sign = 1;
    char hours[4];
    const char *colon = strchr(text, ':');
    unsigned long h, m = 0;

    if (*text == '+' || *text == '-')
        sign = *text++ == '-' ? -1 : 1;
    size_t len = colon ? (size_t)(colon - text) : strlen(text);
    if (len == 0 || len >= sizeof hours)
        return false;
    memcpy(hours, text, len);
    hours[len] = '\0';
    if (!bri_net_parse_uint(hours, 0, 14, &h))
        return false;
    if (colon && (strlen(colon + 1) != 2 || !bri_net_parse_uint(colon + 1, 0, 59, &m)))
        return false;
    *minutes = sign * (int)(h * 60 + m);
    return true;
}

/* SERVER[:PORT] where SERVER may be a name: fills the server list. */
static int servers_from(const char *arg, brisa_sntp_server *servers, size_t *count)
{
    brisa_ip_addr ip;
    uint16_t port;
    memset(servers, 0, sizeof *servers * MAX_SERVERS);
    if (bri_net_parse_server(arg, BRISA_SNTP_PORT, &ip, &port)) {
        servers[0].addr = ip;
        servers[0].port = port;
        *count = 1;
        return 0;
    }
    char host[256];
    const char *colon = strchr(arg, ':');
    size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
    unsigned long p = BRISA_SNTP_PORT;
    if (len == 0 || len >= sizeof host ||
        (colon && !bri_net_parse_uint(colon + 1, 1, 65535, &p))) {
        fprintf(stderr, "brisa-net: ntp: bad server '%s'\n", arg);
        usage();
        return 2;
    }
    memcpy(host, arg, len);
    host[len] = '\0';
    brisa_ip_addr addrs[MAX_SERVERS];
    char why[512];
    int n = bri_net_lookup(host, addrs, MAX_SERVERS, why, sizeof why);
    if (n < 0) {
        fprintf(stderr, "brisa-net: ntp: %s\n", why);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        servers[i].addr = addrs[i];
        servers[i].port = (uint16_t)p;
    }
    *count = (size_t)n;
    return 0;
}

static void print_ms(const char *label, int64_t ns, bool sign)
{
    int64_t mag = ns < 0 ? -ns : ns;
    bool neg = ns < 0 && mag >= 1000; /* no "-0.000" */
    printf("%s%s%lld.%03lld ms\n", label, neg ? "-" : sign ? "+" : "",
           (long long)(mag / 1000000), (long long)(mag / 1000 % 1000));
}

static void print_result(const brisa_sntp_result *res, const brisa_sntp_server *srv,
                         brisa_softclock *sc, uint8_t samples, int gmt_min)
{
    char ip[BRISA_IP_STR_MAX], ref[BRISA_IP_STR_MAX];
    brisa_ip_format(&srv->addr, ip, sizeof ip);
    brisa_ip_addr ref_ip = brisa_ip_v4(res->ref_id[0], res->ref_id[1], res->ref_id[2], res->ref_id[3]);
    brisa_ip_format(&ref_ip, ref, sizeof ref);
    printf("server:  %s port %u (stratum %u, reference %s)\n", ip,
           (unsigned)(srv->port ? srv->port : BRISA_SNTP_PORT), (unsigned)res->stratum, ref);
    printf("samples: %u of %u\n", (unsigned)res->samples, (unsigned)samples);
    if (res->offset_known)
        print_ms("offset:  ", res->offset_ns, true);
    print_ms("delay:   ", res->delay_ns, false);
    brisa_clock clk = brisa_softclock_clock(sc);
    int64_t now;
    char text[48];
    if (clk.wall_ms(clk.ctx, &now) && brisa_sntp_format_time(now, gmt_min, text, sizeof text) > 0)
        printf("time:    %s\n", text);
}

static void print_failure(int rc, const char *server, const brisa_sntp_result *res)
{
    char kiss[5];
    switch (rc) {
    case BRISA_ERR_TIMEOUT:
        fprintf(stderr, "brisa-net: ntp: %s: no reply after %u attempt%s\n", server,
                res->requests, res->requests == 1 ? "" : "s");
        break;
    case BRISA_ERR_NTP_REJECTED:
        fprintf(stderr, "brisa-net: ntp: %s: reply rejected: %s (%u attempt%s)\n", server,
                brisa_sntp_verdict_str(res->last_reject), res->requests,
                res->requests == 1 ? "" : "s");
        break;
    case BRISA_ERR_NTP_KOD:
        for (int i = 0; i < 4; i++)
            kiss[i] = res->kiss[i] >= 0x20 && res->kiss[i] < 0x7f ? (char)res->kiss[i] : '?';
        kiss[4] = '\0';
        fprintf(stderr, "brisa-net: ntp: %s: kiss-o'-death %s (%s)\n", server, kiss,
                brisa_sntp_kiss_classify(res->kiss) == BRISA_SNTP_KISS_RATE
                    ? "asked to slow down"
                    : "server refuses service");
        break;
    default:
        fprintf(stderr, "brisa-net: ntp: %s: %s\n", server, brisa_err_str(rc));
    }
}

int bri_net_cmd_ntp(int argc, char **argv)
{
    static brisa_sntp_server servers[MAX_SERVERS];
    const char *server = NULL;
    unsigned long samples = DEFAULT_SAMPLES, timeout_ms = DEFAULT_TIMEOUT_MS;
    unsigned long attempts = DEFAULT_ATTEMPTS;
    int gmt_min = 0;

    const brisa_net_opt opts[] = {
        { "--samples", "bad --samples (1..64)", 1, 64, &samples, NULL, NULL },
        { "--timeout", "bad --timeout (1..600000 ms)", 1, 600000, &timeout_ms, NULL, NULL },
        { "--attempts", "bad --attempts (1..20)", 1, 20, &attempts, NULL, NULL },
        { "--gmt-offset", "bad --gmt-offset (e.g. +1, -3:30)", 0, 0, NULL, parse_gmt_offset,
          &gmt_min },
    };
    int rc = bri_net_parse_args("ntp", argc, argv, opts, sizeof opts / sizeof opts[0],
                                  "SERVER", &server, usage);
    if (rc >= 0)
        return rc;
    size_t count = 0;
    rc = servers_from(server, servers, &count);
    if (rc != 0)
        return rc;

    static brisa_posix_udp_opener udp;
    brisa_softclock sc;
    brisa_clock mono = brisa_posix_monotonic_clock();
    brisa_softclock_init(&sc, &mono);
    brisa_sntp_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.servers = servers;
    cfg.server_count = count;
    cfg.udp = brisa_posix_udp_opener_init(&udp, NULL);
    cfg.clock = brisa_posix_clock(); /* the offset is against the host's clock */
    cfg.fine = brisa_posix_fine_clock(true);
    cfg.rng = brisa_posix_rng();
    cfg.softclock = &sc;
    cfg.timeout_ms = (uint32_t)timeout_ms;
    cfg.attempts = (uint8_t)attempts;
    cfg.samples = (uint8_t)samples;
    brisa_sntp_client c;
    brisa_sntp_result res;
    memset(&res, 0, sizeof res);
    rc = brisa_sntp_init(&c, &cfg);
    if (rc == BRISA_OK)
        rc = brisa_sntp_sync(&c, &res);
    brisa_posix_udp_close(&udp.udp);
    if (rc < 0) {
        if (rc == BRISA_ERR_IO && udp.udp.msg[0])
            fprintf(stderr, "brisa-net: ntp: %s: %s\n", server, brisa_posix_udp_error(&udp.udp));
        else
            print_failure(rc, server, &res);
        return 1;
    }
    print_result(&res, &servers[res.server], &sc, (uint8_t)samples, gmt_min);
    return 0;
}
