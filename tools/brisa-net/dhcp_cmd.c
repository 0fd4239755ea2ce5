// SPDX-License-Identifier: MIT
/* brisa-net dhcp IFACE [options]: obtains a lease with brisa's DHCP client,
 * applies it to IFACE over netlink, prints it, and optionally stays to
 * renew and rebind, and releases it on the way out. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/dhcp.h"
#include "brisa/err.h"
#include "brisa/port/posix.h"
#include "brisa/port/posix_netif.h"
#include "commands.h"
#include "dns_cmd.h"

#define STEP_MS 200u

typedef struct options {
    const char *iface;
    unsigned long attempts, retry_base_ms, probe_ms, stay_s;
    bool stay, apply, probe, release, renew_test;
    bool has_static, has_inform;
    brisa_dhcp_lease fallback;
    brisa_ip_addr inform_addr;
    uint8_t inform_prefix;
    const char *host_name;
} options;

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

static void help(FILE *out)
{
    fprintf(out,
        "usage: brisa-net dhcp IFACE [options]\n"
        "Obtains an IPv4 lease on IFACE, applies it (address, prefix, default route)\n"
        "and prints it. Needs root (netlink, port 68, ARP).\n\n"
        "  --attempts N         DISCOVERs before giving up (default 4; 0: never)\n"
        "  --retry-base MS      first retransmission wait, doubling (default 4000)\n"
        "  --static A/P[,GW[,DNS...]]  configuration to use when the attempts run out\n"
        "  --inform A/P         use A/P statically; ask the server for options (DHCPINFORM)\n"
        "  --hostname NAME      send NAME as option 12\n"
        "  --no-apply           print the lease only; leave IFACE alone\n"
        "  --no-probe           skip the ARP check of the offered address\n"
        "  --probe-ms MS        ARP check window (default 1000)\n"
        "  --stay SECONDS       keep running to renew at T1 and rebind at T2 (0: until\n"
        "                       SIGINT/SIGTERM)\n"
        "  --renew-test         renew once right after binding and report it\n"
        "  --release            send DHCPRELEASE and remove the address on exit\n");
}

/* "A.B.C.D/P" */
static bool parse_prefix(const char *text, brisa_ip_addr *addr, uint8_t *prefix)
{
    char buf[BRISA_IP_STR_MAX + 4];
    unsigned long p;
    const char *slash = strchr(text, '/');
    if (slash == NULL || (size_t)(slash - text) >= BRISA_IP_STR_MAX ||
        !bri_net_parse_uint(slash + 1, 0, 32, &p))
        return false;
    memcpy(buf, text, (size_t)(slash - text));
    buf[slash - text] = '\0';
    if (!brisa_ip_parse(buf, addr) || addr->family != BRISA_IP_V4)
        return false;
    *prefix = (uint8_t)p;
    return true;
}

/* "A/P[,GW[,DNS...]]" into a fallback configuration. */
static bool parse_static(const char *text, brisa_dhcp_lease *l)
{
    char buf[256];
    if (strlen(text) >= sizeof buf)
        return false;
    strcpy(buf, text);
    memset(l, 0, sizeof *l);
    char *save = NULL;
    char *field = strtok_r(buf, ",", &save);
    if (field == NULL || !parse_prefix(field, &l->address, &l->prefix_len))
        return false;
    if ((field = strtok_r(NULL, ",", &save)) != NULL) {
        if (!brisa_ip_parse(field, &l->router) || l->router.family != BRISA_IP_V4)
            return false;
    }
    while ((field = strtok_r(NULL, ",", &save)) != NULL) {
        if (l->dns_count >= BRISA_DHCP_MAX_SERVERS)
            return false;
        brisa_ip_addr *d = &l->dns[l->dns_count++];
        if (!brisa_ip_parse(field, d) || d->family != BRISA_IP_V4)
            return false;
    }
    return true;
}

static int parse_args(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->attempts = 4;
    o->retry_base_ms = 4000;
    o->probe_ms = 1000;
    o->apply = o->probe = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        bool ok = true;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help(stdout);
            return 0;
        } else if (strcmp(a, "--attempts") == 0) {
            ok = bri_net_parse_uint(v, 0, 255, &o->attempts);
        } else if (strcmp(a, "--retry-base") == 0) {
            ok = bri_net_parse_uint(v, 1, 600000, &o->retry_base_ms);
        } else if (strcmp(a, "--probe-ms") == 0) {
            ok = bri_net_parse_uint(v, 1, 60000, &o->probe_ms);
        } else if (strcmp(a, "--stay") == 0) {
            ok = bri_net_parse_uint(v, 0, 10u * 365 * 86400, &o->stay_s);
            o->stay = true;
        } else if (strcmp(a, "--static") == 0) {
            ok = v && parse_static(v, &o->fallback);
            o->has_static = true;
        } else if (strcmp(a, "--inform") == 0) {
            ok = v && parse_prefix(v, &o->inform_addr, &o->inform_prefix);
            o->has_inform = true;
        } else if (strcmp(a, "--hostname") == 0) {
            ok = v && *v && strlen(v) <= 255;
            o->host_name = v;
        } else {
            takes = false;
            if (strcmp(a, "--no-apply") == 0)
                o->apply = false;
            else if (strcmp(a, "--no-probe") == 0)
                o->probe = false;
            else if (strcmp(a, "--release") == 0)
                o->release = true;
            else if (strcmp(a, "--renew-test") == 0)
                o->renew_test = true;
            else if (a[0] == '-' || o->iface) {
                fprintf(stderr, "brisa-net dhcp: unexpected argument '%s'\n", a);
                return 2;
            } else
                o->iface = a;
        }
        if (!ok) {
            fprintf(stderr, "brisa-net dhcp: bad value for %s: '%s'\n", a, v ? v : "(missing)");
            return 2;
        }
        if (takes)
            i++;
    }
    if (o->iface == NULL) {
        fprintf(stderr, "brisa-net dhcp: no interface given (see --help)\n");
        return 2;
    }
    return -1;
}

static void print_ip(const char *key, const brisa_ip_addr *ip, int prefix)
{
    char text[BRISA_IP_STR_MAX];
    if (brisa_ip_format(ip, text, sizeof text) < 0)
        return;
    if (prefix >= 0)
        printf("%s: %s/%d\n", key, text, prefix);
    else
        printf("%s: %s\n", key, text);
}

static void print_list(const char *key, const brisa_ip_addr *list, uint8_t n)
{
    if (n == 0)
        return;
    printf("%s:", key);
    for (uint8_t i = 0; i < n; i++) {
        char text[BRISA_IP_STR_MAX];
        if (brisa_ip_format(&list[i], text, sizeof text) > 0)
            printf(" %s", text);
    }
    printf("\n");
}

static void print_secs(const char *key, uint32_t s)
{
    if (s == BRISA_DHCP_INFINITE)
        printf("%s: infinite\n", key);
    else
        printf("%s: %u s\n", key, s);
}

static void print_lease(const brisa_dhcp_lease *l)
{
    static const char *const sources[] = { "none", "server", "static", "inform" };
    printf("source: %s\n", sources[l->source < 4 ? l->source : 0]);
    print_ip("address", &l->address, l->prefix_len);
    print_ip("mask", &l->mask, -1);
    print_ip("router", &l->router, -1);
    print_list("dns", l->dns, l->dns_count);
    print_list("ntp", l->ntp, l->ntp_count);
    if (l->domain[0])
        printf("domain: %s\n", l->domain);
    if (l->host_name[0])
        printf("hostname: %s\n", l->host_name);
    if (l->source == BRISA_DHCP_SOURCE_SERVER) {
        print_secs("lease", l->lease_s);
        print_secs("t1", l->t1_s);
        print_secs("t2", l->t2_s);
        print_ip("server", &l->server_id, -1);
    }
}

typedef struct session {
    options *o;
    brisa_posix_netif nif;
    brisa_dhcp_client client;
    brisa_clock clock;
    uint64_t t0;
    bool applied;
} session;

static uint64_t elapsed(session *s)
{
    return s->clock.monotonic_ms(NULL) - s->t0;
}

static int apply(session *s)
{
    brisa_dhcp_lease l = *brisa_dhcp_get_lease(&s->client);
    if (!s->o->apply)
        return 0;
    /* With INFORM the address and its prefix are the user's, not the server's. */
    if (l.source == BRISA_DHCP_SOURCE_INFORM) {
        l.prefix_len = s->o->inform_prefix;
        l.mask = brisa_dhcp_prefix_mask(l.prefix_len);
    }
    if (brisa_posix_netif_apply(&s->nif, &l) != BRISA_OK) {
        fprintf(stderr, "brisa-net dhcp: %s\n", s->nif.error);
        return 1;
    }
    s->applied = true;
    return 0;
}

static int unapply(session *s)
{
    if (!s->applied)
        return 0;
    s->applied = false;
    if (brisa_posix_netif_flush(&s->nif) != BRISA_OK) {
        fprintf(stderr, "brisa-net dhcp: %s\n", s->nif.error);
        return 1;
    }
    return 0;
}

/* Reports one event; returns an exit status, or -1 to keep going. */
static int handle_event(session *s, int ev, bool *configured)
{
    options *o = s->o;
    const brisa_dhcp_lease *l = brisa_dhcp_get_lease(&s->client);
    switch (ev) {
    case BRISA_DHCP_EVENT_BOUND:
    case BRISA_DHCP_EVENT_INFORMED:
    case BRISA_DHCP_EVENT_FALLBACK:
        if (ev == BRISA_DHCP_EVENT_FALLBACK)
            printf("fallback: no DHCP lease after %lu attempts; using the static configuration\n",
                   o->attempts);
        if (apply(s) != 0)
            return 1;
        printf("%s: %s in %llu ms\n", brisa_dhcp_event_name(ev), o->iface,
               (unsigned long long)elapsed(s));
        print_lease(l);
        *configured = true;
        return -1;
    case BRISA_DHCP_EVENT_RENEWED:
        if (apply(s) != 0) /* refreshes the address lifetime */
            return 1;
        printf("renewed: lease %u s, t1 %u s, t2 %u s (at %llu ms)\n", l->lease_s, l->t1_s,
               l->t2_s, (unsigned long long)elapsed(s));
        return -1;
    case BRISA_DHCP_EVENT_LOST:
        printf("lost: lease on %s ended; starting over\n", o->iface);
        *configured = false;
        return unapply(s) ? 1 : -1;
    case BRISA_DHCP_EVENT_NAK:
        printf("nak: %s\n", brisa_dhcp_nak_message(&s->client)[0]
                                ? brisa_dhcp_nak_message(&s->client) : "(no message)");
        return -1;
    case BRISA_DHCP_EVENT_DECLINED:
        printf("declined: offered address is in use; DHCPDECLINE sent\n");
        return -1;
    default:
        return -1;
    }
}

static int run(session *s, brisa_posix_dhcp_socket *sock)
{
    options *o = s->o;
    brisa_dhcp_client *c = &s->client;
    bool configured = false, renew_asked = false;
    uint64_t stay_until = 0;
    int last_state = -1;
    if (o->has_inform) {
        brisa_dhcp_lease own;
        memset(&own, 0, sizeof own);
        own.address = o->inform_addr;
        own.prefix_len = o->inform_prefix;
        own.source = BRISA_DHCP_SOURCE_STATIC;
        if (o->apply && brisa_posix_netif_apply(&s->nif, &own) != BRISA_OK) {
            fprintf(stderr, "brisa-net dhcp: %s\n", s->nif.error);
            return 1;
        }
        s->applied = o->apply;
        brisa_dhcp_inform(c, &o->inform_addr);
    } else {
        brisa_dhcp_start(c);
    }
    while (!stop_signal) {
        int ev = brisa_dhcp_step(c, STEP_MS);
        if (ev == BRISA_ERR_DHCP_NO_LEASE) {
            fprintf(stderr, "brisa-net dhcp: no %s on %s after %lu attempts\n",
                    o->has_inform ? "answer to DHCPINFORM" : "lease", o->iface, o->attempts);
            return 1;
        }
        if (ev < 0) {
            fprintf(stderr, "brisa-net dhcp: %s: %s\n", brisa_err_str(ev), sock->error);
            return 1;
        }
        int state = brisa_dhcp_get_state(c);
        if (state != last_state && (state == BRISA_DHCP_RENEWING || state == BRISA_DHCP_REBINDING))
            printf("state: %s (at %llu ms)\n", brisa_dhcp_state_name(state),
                   (unsigned long long)elapsed(s));
        last_state = state;
        bool was = configured;
        int rc = handle_event(s, ev, &configured);
        if (rc >= 0)
            return rc;
        if (configured && !was && stay_until == 0)
            stay_until = s->clock.monotonic_ms(NULL) + o->stay_s * 1000u;
        if (!configured)
            continue;
        if (o->renew_test && !renew_asked && state == BRISA_DHCP_BOUND) {
            renew_asked = true;
            if (brisa_dhcp_renew(c) != BRISA_OK) {
                fprintf(stderr, "brisa-net dhcp: --renew-test needs a server lease\n");
                return 1;
            }
            continue;
        }
        if (o->renew_test && ev != BRISA_DHCP_EVENT_RENEWED
            && (state == BRISA_DHCP_RENEWING || state == BRISA_DHCP_REBINDING))
            continue; /* wait for the answer to the forced renewal */
        if (!o->stay || (o->stay_s && s->clock.monotonic_ms(NULL) >= stay_until))
            return 0;
    }
    printf("signal %d: stopping\n", (int)stop_signal);
    return configured ? 0 : 1;
}

int bri_net_cmd_dhcp(int argc, char **argv)
{
    options o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    setvbuf(stdout, NULL, _IOLBF, 0);

    session s;
    memset(&s, 0, sizeof s);
    s.o = &o;
    s.clock = brisa_posix_monotonic_clock();
    s.t0 = s.clock.monotonic_ms(NULL);
    if (brisa_posix_netif_open(&s.nif, o.iface) != BRISA_OK) {
        fprintf(stderr, "brisa-net dhcp: %s\n", s.nif.error);
        return 1;
    }
    s.nif.probe_ms = (uint32_t)o.probe_ms;
    if (o.apply && brisa_posix_netif_set_up(&s.nif) != BRISA_OK) {
        fprintf(stderr, "brisa-net dhcp: %s\n", s.nif.error);
        brisa_posix_netif_close(&s.nif);
        return 1;
    }
    /* Sending before the link runs would lose the first DISCOVER. */
    if (brisa_posix_netif_wait_running(&s.nif, 5000) != BRISA_OK)
        fprintf(stderr, "brisa-net dhcp: warning: %s; trying anyway\n", s.nif.error);
    brisa_posix_dhcp_socket sock;
    brisa_datagram dg;
    if (brisa_posix_dhcp_socket_open(&sock, o.iface, &dg) != BRISA_OK) {
        fprintf(stderr, "brisa-net dhcp: %s\n", sock.error);
        brisa_posix_netif_close(&s.nif);
        return 1;
    }

    brisa_dhcp_config cfg;
    memset(&cfg, 0, sizeof cfg);
    memcpy(cfg.mac, s.nif.mac, 6);
    cfg.host_name = o.host_name;
    cfg.attempts = (uint8_t)o.attempts;
    cfg.retry_base_ms = (uint32_t)o.retry_base_ms;
    cfg.fallback = o.has_static ? &o.fallback : NULL;
    if (o.probe && o.apply) {
        cfg.address_in_use = brisa_posix_netif_address_in_use;
        cfg.address_in_use_ctx = &s.nif;
    }
    brisa_rng rng = brisa_posix_rng();
    static uint8_t buf[1500];
    brisa_dhcp_init(&s.client, &cfg, &dg, &s.clock, &rng, buf, sizeof buf);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    rc = run(&s, &sock);

    if (o.release) {
        int rel = brisa_dhcp_release(&s.client);
        if (rel == BRISA_OK)
            printf("released: %s\n", o.iface);
        else if (rel != BRISA_ERR_STATE) {
            fprintf(stderr, "brisa-net dhcp: release: %s: %s\n", brisa_err_str(rel), sock.error);
            rc = 1;
        }
        if (unapply(&s) != 0)
            rc = 1;
    }
    dg.close(dg.ctx);
    brisa_posix_netif_close(&s.nif);
    return rc;
}
