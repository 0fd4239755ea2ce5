// SPDX-License-Identifier: MIT
/* Example: a device's network boot with brisa's DHCP, DNS and SNTP clients.
 *
 * Obtains an IPv4 lease on IFACE and applies it (address, prefix, default
 * route), resolves NAME with the DNS servers the lease names (a name
 * without a dot gets the lease's domain appended), then sets a software
 * clock from the lease's NTP servers. The system clock is never touched.
 *
 *   net_boot IFACE NAME
 *
 * Needs root (netlink, port 68, ARP). Prints the lease, the address of
 * NAME and the time; exit status 0 when all three steps succeeded. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "brisa/dhcp.h"
#include "brisa/dns.h"
#include "brisa/err.h"
#include "brisa/port/posix.h"
#include "brisa/port/posix_netif.h"
#include "brisa/port/posix_tcp.h"
#include "brisa/port/posix_udp.h"
#include "brisa/sntp.h"

static void print_ip(const char *label, const brisa_ip_addr *ip)
{
    char text[BRISA_IP_STR_MAX];
    if (brisa_ip_format(ip, text, sizeof text) > 0)
        printf("%s%s\n", label, text);
}

/* Step 1: DHCP. The socket works before the interface has an address. */
static int get_lease(brisa_posix_netif *nif, const char *iface, brisa_dhcp_lease *out)
{
    if (brisa_posix_netif_open(nif, iface) != BRISA_OK || brisa_posix_netif_set_up(nif) != BRISA_OK) {
        fprintf(stderr, "dhcp: %s\n", nif->error);
        return 1;
    }
    /* A DISCOVER sent before the link runs is silently lost. */
    if (brisa_posix_netif_wait_running(nif, 5000) != BRISA_OK)
        fprintf(stderr, "dhcp: warning: %s\n", nif->error);
    static brisa_posix_dhcp_socket sock;
    brisa_datagram dg;
    if (brisa_posix_dhcp_socket_open(&sock, iface, &dg) != BRISA_OK) {
        fprintf(stderr, "dhcp: %s\n", sock.error);
        return 1;
    }
    brisa_dhcp_config cfg = { .attempts = 4, .retry_base_ms = 1000 };
    memcpy(cfg.mac, nif->mac, sizeof cfg.mac);
    /* Probe with ARP that nobody else uses the offered address. */
    cfg.address_in_use = brisa_posix_netif_address_in_use;
    cfg.address_in_use_ctx = nif;
    /* The client keeps pointers to these: they must outlive it. */
    static brisa_clock clock;
    static brisa_rng rng;
    static brisa_dhcp_client client;
    static uint8_t buf[1500];
    clock = brisa_posix_monotonic_clock();
    rng = brisa_posix_rng();
    brisa_dhcp_init(&client, &cfg, &dg, &clock, &rng, buf, sizeof buf);
    int rc = brisa_dhcp_obtain(&client, 30000);
    if (rc != BRISA_DHCP_EVENT_BOUND) {
        fprintf(stderr, "dhcp: no lease on %s: %s\n", iface, rc < 0 ? brisa_err_str(rc) : "?");
        dg.close(dg.ctx);
        return 1;
    }
    *out = *brisa_dhcp_get_lease(&client);
    /* A real device keeps stepping the client to renew; this one is done. */
    dg.close(dg.ctx);
    if (brisa_posix_netif_apply(nif, out) != BRISA_OK) {
        fprintf(stderr, "dhcp: %s\n", nif->error);
        return 1;
    }
    char text[BRISA_IP_STR_MAX];
    brisa_ip_format(&out->address, text, sizeof text);
    printf("dhcp: %s/%u on %s, lease %u s\n", text, (unsigned)out->prefix_len, iface,
           (unsigned)out->lease_s);
    print_ip("dhcp: router ", &out->router);
    for (uint8_t i = 0; i < out->dns_count; i++)
        print_ip("dhcp: dns ", &out->dns[i]);
    for (uint8_t i = 0; i < out->ntp_count; i++)
        print_ip("dhcp: ntp ", &out->ntp[i]);
    if (out->domain[0])
        printf("dhcp: domain %s\n", out->domain);
    return 0;
}

/* Step 2: DNS, with the servers of the lease. */
static int lookup(const brisa_dhcp_lease *lease, const char *name, brisa_ip_addr *out)
{
    if (lease->dns_count == 0) {
        fprintf(stderr, "dns: the lease names no DNS server\n");
        return 1;
    }
    char fqdn[256];
    if (strchr(name, '.') == NULL && lease->domain[0])
        snprintf(fqdn, sizeof fqdn, "%s.%s", name, lease->domain);
    else
        snprintf(fqdn, sizeof fqdn, "%s", name);

    static brisa_dns_server servers[BRISA_DHCP_MAX_SERVERS];
    for (uint8_t i = 0; i < lease->dns_count; i++)
        servers[i] = (brisa_dns_server){ .addr = lease->dns[i], .port = 0 };
    static brisa_posix_udp_opener udp;
    static brisa_posix_tcp tcp; /* for answers too long for UDP */
    static uint8_t buf[4096];
    brisa_posix_tcp_init(&tcp);
    brisa_dns_config cfg = {
        .servers = servers, .server_count = lease->dns_count,
        .udp = brisa_posix_udp_opener_init(&udp, NULL),
        .tcp = brisa_posix_dns_tcp_opener(&tcp),
        .clock = brisa_posix_monotonic_clock(),
        .rng = brisa_posix_rng(),
        .buf = buf, .buf_size = sizeof buf,
        .timeout_ms = 2000, .attempts = 2,
    };
    static brisa_dns_resolver r;
    static brisa_dns_addr addrs[4];
    static brisa_dns_cname cnames[4];
    brisa_dns_result res = { .addrs = addrs, .addr_cap = 4, .cnames = cnames, .cname_cap = 4 };
    int rc = brisa_dns_init(&r, &cfg);
    if (rc == BRISA_OK)
        rc = brisa_dns_resolve(&r, fqdn, BRISA_DNS_TYPE_A, &res, 0);
    brisa_posix_udp_close(&udp.udp);
    brisa_posix_tcp_close(&tcp);
    if (rc != BRISA_OK) {
        /* An error answer names its RCODE (NXDOMAIN...); anything else is ours. */
        fprintf(stderr, "dns: %s: %s\n", fqdn,
                rc == BRISA_ERR_DNS_RCODE ? brisa_dns_rcode_str(res.rcode) : brisa_err_str(rc));
        return 1;
    }
    for (size_t i = 0; i < res.cname_count && i < res.cname_cap; i++) {
        char alias[256];
        brisa_dns_name_to_text(&cnames[i].target, alias, sizeof alias);
        printf("dns: %s is an alias of %s\n", fqdn, alias);
    }
    *out = addrs[0].ip;
    char text[BRISA_IP_STR_MAX];
    brisa_ip_format(out, text, sizeof text);
    printf("dns: %s = %s (ttl %u s)\n", fqdn, text, (unsigned)res.ttl);
    return 0;
}

/* Step 3: SNTP, with the servers of the lease, into a software clock. */
static int set_time(const brisa_dhcp_lease *lease, brisa_softclock *sc)
{
    if (lease->ntp_count == 0) {
        fprintf(stderr, "sntp: the lease names no NTP server\n");
        return 1;
    }
    static brisa_sntp_server servers[BRISA_DHCP_MAX_SERVERS];
    for (uint8_t i = 0; i < lease->ntp_count; i++)
        servers[i] = (brisa_sntp_server){ .addr = lease->ntp[i] };
    static brisa_posix_udp_opener udp;
    brisa_sntp_config cfg = {
        .servers = servers, .server_count = lease->ntp_count,
        .udp = brisa_posix_udp_opener_init(&udp, NULL),
        /* Monotonic only, like a board without a battery-backed clock:
         * there is no wall time to measure an offset against. */
        .clock = brisa_posix_monotonic_clock(),
        .rng = brisa_posix_rng(),
        .softclock = sc,
        .timeout_ms = 1000, .attempts = 3, .samples = 2,
    };
    static brisa_sntp_client c;
    brisa_sntp_result res;
    memset(&res, 0, sizeof res);
    int rc = brisa_sntp_init(&c, &cfg);
    if (rc == BRISA_OK)
        rc = brisa_sntp_sync(&c, &res);
    brisa_posix_udp_close(&udp.udp);
    if (rc != BRISA_OK) {
        fprintf(stderr, "sntp: %s\n", brisa_err_str(rc));
        return 1;
    }
    brisa_clock now = brisa_softclock_clock(sc);
    int64_t ms;
    char text[48];
    if (!now.wall_ms(now.ctx, &ms) || brisa_sntp_format_time(ms, 0, text, sizeof text) <= 0) {
        fprintf(stderr, "sntp: the software clock is not set\n");
        return 1;
    }
    char ip[BRISA_IP_STR_MAX];
    brisa_ip_format(&servers[res.server].addr, ip, sizeof ip);
    printf("sntp: %s stratum %u, delay %lld us\n", ip, (unsigned)res.stratum,
           (long long)(res.delay_ns / 1000));
    printf("sntp: time %s\n", text);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s IFACE NAME\n", argv[0]);
        return 2;
    }
    static brisa_posix_netif nif;
    static brisa_dhcp_lease lease;
    brisa_ip_addr addr;
    static brisa_softclock sc;
    static brisa_clock mono;
    mono = brisa_posix_monotonic_clock();
    brisa_softclock_init(&sc, &mono);

    int rc = get_lease(&nif, argv[1], &lease);
    if (rc == 0)
        rc = lookup(&lease, argv[2], &addr);
    if (rc == 0)
        rc = set_time(&lease, &sc);
    brisa_posix_netif_close(&nif);
    if (rc == 0)
        printf("boot: done\n");
    return rc;
}
