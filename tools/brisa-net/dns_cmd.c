// SPDX-License-Identifier: MIT
/* brisa-net dns NAME [--server IP[:PORT]]... [--type A|AAAA] [--timeout MS]
 *                   [--retries N]
 *
 * Resolves NAME with brisa's own stub resolver and prints the answer the
 * way dig does (owner, TTL, class, type, data), CNAME chain first. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/dns.h"
#include "brisa/err.h"
#include "brisa/port/posix.h"
#include "brisa/port/posix_udp.h"
#include "commands.h"
#include "dns_cmd.h"

#define MAX_SERVERS 8
#define MAX_ADDRS 64
#define DEFAULT_TIMEOUT_MS 2000u
#define DEFAULT_RETRIES 1u
#define RESOLV_CONF "/etc/resolv.conf"

bool bri_net_parse_uint(const char *text, unsigned long min, unsigned long max,
                          unsigned long *out)
{
    char *end;
    if (!text || *text < '0' || *text > '9')
        return false;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno || *end != '\0' || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool bri_net_parse_server(const char *text, uint16_t default_port, brisa_ip_addr *ip,
                            uint16_t *port)
{
    char host[BRISA_IP_STR_MAX];
    const char *port_text = NULL;
    size_t len;

    if (text[0] == '[') { /* [v6]:port */
        const char *close = strchr(text, ']');
        if (!close || (close[1] != '\0' && close[1] != ':'))
            return false;
        len = (size_t)(close - text - 1);
        text++;
        if (close[1] == ':')
            port_text = close + 2;
    } else {
        const char *colon = strchr(text, ':');
        /* One colon: v4:port. More: a bare IPv6 address. */
        if (colon && !strchr(colon + 1, ':')) {
            len = (size_t)(colon - text);
            port_text = colon + 1;
        } else {
            len = strlen(text);
        }
    }
    if (len == 0 || len >= sizeof host)
        return false;
    memcpy(host, text, len);
    host[len] = '\0';
    if (!brisa_ip_parse(host, ip))
        return false;
    unsigned long p = default_port;
    if (port_text && !bri_net_parse_uint(port_text, 1, 65535, &p))
        return false;
    *port = (uint16_t)p;
    return true;
}

int bri_net_parse_args(const char *cmd, int argc, char **argv, const brisa_net_opt *opts,
                         size_t count, const char *operand, const char **out,
                         void (*usage)(void))
{
    const char *bad = NULL, *value = "";
    *out = NULL;
    for (int i = 1; i < argc && !bad; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage();
            return 0;
        }
        if (a[0] != '-' || a[1] == '\0') {
            if (*out) {
                bad = "more than one";
                value = a;
            }
            *out = a;
            continue;
        }
        const brisa_net_opt *o = NULL;
        for (size_t k = 0; k < count && !o; k++)
            if (strcmp(a, opts[k].name) == 0)
                o = &opts[k];
        if (!o) {
            bad = "unknown option";
            value = a;
        } else if (i + 1 >= argc) {
            bad = o->what;
        } else {
            value = argv[++i];
            bool ok = o->parse ? o->parse(o->ctx, value)
                               : bri_net_parse_uint(value, o->min, o->max, o->num);
            if (!ok)
                bad = o->what;
        }
    }
    if (!bad && !*out) {
        bad = "missing";
        value = operand;
    }
    if (!bad)
        return -1;
    if (strcmp(bad, "more than one") == 0)
        fprintf(stderr, "brisa-net: %s: more than one %s: '%s'\n", cmd, operand, value);
    else
        fprintf(stderr, "brisa-net: %s: %s '%s'\n", cmd, bad, value);
    usage();
    return 2;
}

/* The resolver and the POSIX pieces it runs on. */
typedef struct dns_setup {
    brisa_posix_udp_opener udp;
    brisa_posix_tcp tcp;
    uint8_t buf[8192];
    brisa_dns_resolver r;
} dns_setup;

static int setup_init(dns_setup *s, const brisa_dns_server *servers, size_t count,
                      uint32_t timeout_ms, uint8_t attempts)
{
    brisa_dns_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.servers = servers;
    cfg.server_count = count;
    cfg.udp = brisa_posix_udp_opener_init(&s->udp, NULL);
    brisa_posix_tcp_init(&s->tcp);
    cfg.tcp = brisa_posix_dns_tcp_opener(&s->tcp);
    cfg.clock = brisa_posix_clock();
    cfg.rng = brisa_posix_rng();
    cfg.buf = s->buf;
    cfg.buf_size = sizeof s->buf;
    cfg.timeout_ms = timeout_ms;
    cfg.attempts = attempts;
    return brisa_dns_init(&s->r, &cfg);
}

static void setup_close(dns_setup *s)
{
    brisa_posix_udp_close(&s->udp.udp);
    brisa_posix_tcp_close(&s->tcp);
}

static void server_text(const brisa_dns_server *s, char *buf, size_t cap)
{
    char ip[BRISA_IP_STR_MAX];
    brisa_ip_format(&s->addr, ip, sizeof ip);
    snprintf(buf, cap, "%s port %u", ip, (unsigned)(s->port ? s->port : BRISA_DNS_PORT));
}

/* One line saying why the lookup of @p name failed. */
static void describe(int rc, const char *name, uint16_t qtype, const brisa_dns_result *res,
                     const dns_setup *s, const brisa_dns_server *servers, size_t count,
                     char *why, size_t cap)
{
    char where[BRISA_IP_STR_MAX + 16];
    server_text(&servers[res->server < count ? res->server : 0], where, sizeof where);
    switch (rc) {
    case BRISA_ERR_DNS_RCODE:
        snprintf(why, cap, "%s: %s (rcode %u)", name, brisa_dns_rcode_str(res->rcode),
                 (unsigned)res->rcode);
        break;
    case BRISA_ERR_DNS_NO_ANSWER:
        snprintf(why, cap, "%s: no %s record", name, brisa_dns_type_str(qtype));
        break;
    case BRISA_ERR_TIMEOUT:
        if (count == 1)
            snprintf(why, cap, "%s: no answer from %s after %u attempt%s", name, where,
                     res->queries, res->queries == 1 ? "" : "s");
        else
            snprintf(why, cap, "%s: no answer from %zu servers after %u queries", name, count,
                     res->queries);
        break;
    case BRISA_ERR_MALFORMED:
        snprintf(why, cap, "%s: malformed reply from %s", name, where);
        break;
    case BRISA_ERR_TOO_LARGE:
        snprintf(why, cap, "%s: answer too large or CNAME chain longer than %d", name,
                 BRISA_DNS_CNAME_MAX);
        break;
    case BRISA_ERR_IO:
    case BRISA_ERR_CONNECT:
        snprintf(why, cap, "%s: %s", name,
                 s->udp.udp.msg[0] ? brisa_posix_udp_error(&s->udp.udp)
                                   : brisa_posix_tcp_error(&s->tcp));
        break;
    default:
        snprintf(why, cap, "%s: %s", name, brisa_err_str(rc));
    }
}

int bri_net_lookup(const char *name, brisa_ip_addr *out, size_t cap, char *why, size_t why_cap)
{
    static dns_setup s;
    brisa_dns_server servers[MAX_SERVERS];
    brisa_dns_addr addrs[MAX_ADDRS];
    brisa_dns_result res;

    size_t count = brisa_posix_resolv_conf(RESOLV_CONF, servers, MAX_SERVERS);
    if (count == 0) { /* what the C library assumes too */
        servers[0].addr = brisa_ip_v4(127, 0, 0, 1);
        servers[0].port = BRISA_DNS_PORT;
        count = 1;
    }
    int rc = setup_init(&s, servers, count, DEFAULT_TIMEOUT_MS, DEFAULT_RETRIES + 1);
    if (rc < 0)
        return rc;
    memset(&res, 0, sizeof res);
    res.addrs = addrs;
    res.addr_cap = MAX_ADDRS;
    rc = brisa_dns_resolve(&s.r, name, BRISA_DNS_TYPE_A, &res, 0);
    if (rc < 0)
        describe(rc, name, BRISA_DNS_TYPE_A, &res, &s, servers, count, why, why_cap);
    setup_close(&s);
    if (rc < 0)
        return rc;
    size_t n = res.addr_count < cap ? res.addr_count : cap;
    for (size_t i = 0; i < n; i++)
        out[i] = addrs[i].ip;
    return (int)n;
}

static void print_name(const brisa_dns_name *n)
{
    char text[BRISA_DNS_TEXT_MAX];
    brisa_dns_name_to_text(n, text, sizeof text);
    printf("%s%s", text, strcmp(text, ".") == 0 ? "" : ".");
}

static void print_answer(const brisa_dns_question *q, const brisa_dns_result *res)
{
    const brisa_dns_name *owner = &q->name;
    size_t shown = res->cname_count < res->cname_cap ? res->cname_count : res->cname_cap;
    for (size_t i = 0; i < shown; i++) {
        print_name(owner);
        printf("\t%u\tIN\tCNAME\t", (unsigned)res->cnames[i].ttl);
        print_name(&res->cnames[i].target);
        printf("\n");
        owner = &res->cnames[i].target;
    }
    for (size_t i = 0; i < res->addr_count; i++) {
        char ip[BRISA_IP_STR_MAX];
        brisa_ip_format(&res->addrs[i].ip, ip, sizeof ip);
        print_name(owner);
        printf("\t%u\tIN\t%s\t%s\n", (unsigned)res->addrs[i].ttl,
               res->addrs[i].ip.family == BRISA_IP_V4 ? "A" : "AAAA", ip);
    }
    if (res->addr_total > res->addr_count)
        printf(";; %zu more addresses not shown\n", res->addr_total - res->addr_count);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: brisa-net dns NAME [--server IP[:PORT]]... [--type A|AAAA]\n"
            "                          [--timeout MS] [--retries N]\n"
            "  --server   DNS server to ask (repeatable; default: /etc/resolv.conf)\n"
            "  --type     record type (default A)\n"
            "  --timeout  wait per query in ms (default %u)\n"
            "  --retries  extra rounds over the servers (default %u)\n",
            DEFAULT_TIMEOUT_MS, DEFAULT_RETRIES);
}

/* The --server list being built. */
typedef struct server_list {
    brisa_dns_server s[MAX_SERVERS];
    size_t count;
} server_list;

static bool add_server(void *ctx, const char *v)
{
    server_list *l = ctx;
    if (l->count == MAX_SERVERS ||
        !bri_net_parse_server(v, BRISA_DNS_PORT, &l->s[l->count].addr, &l->s[l->count].port))
        return false;
    l->count++;
    return true;
}

static bool parse_type(void *ctx, const char *v)
{
    uint16_t *qtype = ctx;
    if (strcmp(v, "A") == 0 || strcmp(v, "a") == 0)
        *qtype = BRISA_DNS_TYPE_A;
    else if (strcmp(v, "AAAA") == 0 || strcmp(v, "aaaa") == 0)
        *qtype = BRISA_DNS_TYPE_AAAA;
    else
        return false;
    return true;
}

int bri_net_cmd_dns(int argc, char **argv)
{
    static dns_setup s;
    static server_list list;
    const char *name = NULL;
    uint16_t qtype = BRISA_DNS_TYPE_A;
    unsigned long timeout_ms = DEFAULT_TIMEOUT_MS, retries = DEFAULT_RETRIES;
    const brisa_net_opt opts[] = {
        { "--server", "bad or too many --server", 0, 0, NULL, add_server, &list },
        { "--type", "unsupported --type", 0, 0, NULL, parse_type, &qtype },
        { "--timeout", "bad --timeout (1..600000 ms)", 1, 600000, &timeout_ms, NULL, NULL },
        { "--retries", "bad --retries (0..20)", 0, 20, &retries, NULL, NULL },
    };

    list.count = 0;
    int rc = bri_net_parse_args("dns", argc, argv, opts, sizeof opts / sizeof opts[0], "NAME",
                                  &name, usage);
    if (rc >= 0)
        return rc;
    brisa_dns_server *servers = list.s;
    size_t count = list.count;
    brisa_dns_question q;
    if (brisa_dns_name_encode(name, &q.name) < 0) {
        fprintf(stderr, "brisa-net: dns: %s: not a valid domain name\n", name);
        return 2;
    }
    if (count == 0) {
        count = brisa_posix_resolv_conf(RESOLV_CONF, servers, MAX_SERVERS);
        if (count == 0) {
            fprintf(stderr, "brisa-net: dns: no --server and no nameserver in %s\n", RESOLV_CONF);
            return 1;
        }
    }

    rc = setup_init(&s, servers, count, (uint32_t)timeout_ms, (uint8_t)(retries + 1));
    if (rc < 0) {
        fprintf(stderr, "brisa-net: dns: %s\n", brisa_err_str(rc));
        return 1;
    }
    static brisa_dns_addr addrs[MAX_ADDRS];
    static brisa_dns_cname cnames[BRISA_DNS_CNAME_MAX];
    brisa_dns_result res;
    memset(&res, 0, sizeof res);
    res.addrs = addrs;
    res.addr_cap = MAX_ADDRS;
    res.cnames = cnames;
    res.cname_cap = BRISA_DNS_CNAME_MAX;
    brisa_clock clk = brisa_posix_clock();
    uint64_t t0 = clk.monotonic_ms(clk.ctx);
    rc = brisa_dns_resolve(&s.r, name, qtype, &res, 0);
    uint64_t took = clk.monotonic_ms(clk.ctx) - t0;
    if (rc == BRISA_OK || rc == BRISA_ERR_DNS_NO_ANSWER)
        print_answer(&q, &res);
    if (rc < 0) {
        char why[512];
        describe(rc, name, qtype, &res, &s, servers, count, why, sizeof why);
        fprintf(stderr, "brisa-net: dns: %s\n", why);
        setup_close(&s);
        return 1;
    }
    char where[BRISA_IP_STR_MAX + 16];
    server_text(&servers[res.server], where, sizeof where);
    printf(";; from %s over %s in %llu ms, %u %s\n", where, res.via_tcp ? "TCP" : "UDP",
           (unsigned long long)took, res.queries, res.queries == 1 ? "query" : "queries");
    setup_close(&s);
    return 0;
}
