// SPDX-License-Identifier: MIT
/* DHCP, DNS and NTP for the device, on brisa's own clients and the
 * platform's endpoints: what the seed's board does before it can reach
 * its broker. */
#include "netboot.h"

#include <stdio.h>
#include <string.h>

#include "brisa/err.h"
#include "log.h"

void net_init(device_net *n, const device_config *cfg)
{
    memset(n, 0, sizeof *n);
    n->cfg = cfg;
    n->mono = plat_mono_clock();
    n->rng = plat_rng();
    brisa_softclock_init(&n->rtc, &n->mono);
    int64_t now;
    if (cfg->host_clock && plat_host_wall_ms(&now))
        brisa_softclock_set(&n->rtc, now); /* the PC's own clock stands in for NTP */
    n->clock = brisa_softclock_clock(&n->rtc);
    plat_net_init(&n->port);
}

static void ip_text(const brisa_ip_addr *ip, char *buf, size_t len)
{
    if (brisa_ip_format(ip, buf, len) < 0)
        snprintf(buf, len, "-");
}

/* "10.0.0.1, 10.0.0.2" */
static void ip_list(const brisa_ip_addr *ips, size_t count, char *buf, size_t len)
{
    size_t pos = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < count && pos < len; i++) {
        char one[BRISA_IP_STR_MAX];
        ip_text(&ips[i], one, sizeof one);
        pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", i ? ", " : "", one);
    }
    if (count == 0)
        snprintf(buf, len, "none");
}

static void log_lease(const brisa_dhcp_lease *l, const char *how, uint64_t ms)
{
    char addr[BRISA_IP_STR_MAX], router[BRISA_IP_STR_MAX], dns[128], ntp[128];
    ip_text(&l->address, addr, sizeof addr);
    ip_text(&l->router, router, sizeof router);
    ip_list(l->dns, l->dns_count, dns, sizeof dns);
    ip_list(l->ntp, l->ntp_count, ntp, sizeof ntp);
    log_info("DHCP", "%s %s/%u router %s dns %s ntp %s%s%s (%llu ms)", how, addr,
             (unsigned)l->prefix_len, router, dns, ntp, l->domain[0] ? " domain " : "",
             l->domain, (unsigned long long)ms);
    if (l->source == BRISA_DHCP_SOURCE_SERVER) {
        char server[BRISA_IP_STR_MAX];
        ip_text(&l->server_id, server, sizeof server);
        log_debug("DHCP", "lease %lu s, T1 %lu s, T2 %lu s from server %s",
                  (unsigned long)l->lease_s, (unsigned long)l->t1_s, (unsigned long)l->t2_s,
                  server);
    }
}

static void make_fallback(device_net *n)
{
    const device_config *c = n->cfg;
    brisa_dhcp_lease *f = &n->fallback;
    memset(f, 0, sizeof *f);
    f->address = c->static_address;
    f->prefix_len = (uint8_t)c->static_prefix;
    f->mask = brisa_dhcp_prefix_mask((uint8_t)c->static_prefix);
    f->router = c->static_gateway;
    if (c->static_dns.family == BRISA_IP_V4) {
        f->dns[0] = c->static_dns;
        f->dns_count = 1;
    }
    f->lease_s = BRISA_DHCP_INFINITE;
    f->t1_s = BRISA_DHCP_INFINITE;
    f->t2_s = BRISA_DHCP_INFINITE;
    f->source = BRISA_DHCP_SOURCE_STATIC;
}

static int apply_lease(device_net *n, char *why, size_t why_len)
{
    return plat_netif_apply(&n->port, &n->lease, why, why_len);
}

static int open_interface(device_net *n, char *why, size_t why_len)
{
    int rc = plat_netif_open(&n->port, n->cfg->interface, n->mac, why, why_len);
    /* Opened even when it failed later (no carrier): close it at the end. */
    n->nif_open = rc != BRISA_ERR_NOT_FOUND;
    return rc;
}

static int start_dhcp(device_net *n, char *why, size_t why_len)
{
    const device_config *c = n->cfg;
    int rc = plat_dhcp_open(&n->port, c->interface, &n->dhcp_dgram, why, why_len);
    if (rc < 0)
        return rc;
    brisa_dhcp_config dc;
    memset(&dc, 0, sizeof dc);
    memcpy(dc.mac, n->mac, sizeof dc.mac);
    dc.host_name = c->platform;
    dc.attempts = (uint8_t)c->dhcp_attempts;
    dc.retry_base_ms = (uint32_t)c->dhcp_timeout_ms;
    dc.fallback = c->have_static ? &n->fallback : NULL;
    dc.address_in_use = plat_address_in_use;
    dc.address_in_use_ctx = &n->port;
    brisa_dhcp_init(&n->dhcp, &dc, &n->dhcp_dgram, &n->mono, &n->rng, n->dhcp_buf, sizeof n->dhcp_buf);
    n->dhcp_running = true;
    return BRISA_OK;
}

int net_configure(device_net *n, char *why, size_t why_len)
{
    const device_config *c = n->cfg;
    uint64_t t0 = log_now_ms();
    if (!c->interface[0]) {
        log_info("DHCP", "skipped: no [network] interface, using the host's network");
        return BRISA_OK;
    }
    n->managed = true;
    make_fallback(n);
    if (!n->nif_open) {
        int rc = open_interface(n, why, why_len);
        if (rc < 0)
            return rc;
    }
    if (c->dhcp_attempts == 0) {
        n->lease = n->fallback;
        n->have_lease = true;
        int rc = apply_lease(n, why, why_len);
        if (rc == BRISA_OK)
            log_lease(&n->lease, "static", log_now_ms() - t0);
        return rc;
    }
    if (!n->dhcp_running) {
        int rc = start_dhcp(n, why, why_len);
        if (rc < 0)
            return rc;
    }
    log_debug("DHCP", "DISCOVER on %s (up to %d attempts)", c->interface, c->dhcp_attempts);
    int ev = brisa_dhcp_obtain(&n->dhcp, 0);
    if (ev == BRISA_ERR_DHCP_NO_LEASE) {
        snprintf(why, why_len, "no DHCP server answered after %d attempts and no "
                 "static_address is configured", c->dhcp_attempts);
        return ev;
    }
    if (ev < 0) {
        snprintf(why, why_len, "DHCP on %s: %s", c->interface, brisa_err_str(ev));
        return ev;
    }
    n->lease = *brisa_dhcp_get_lease(&n->dhcp);
    n->have_lease = true;
    int rc = apply_lease(n, why, why_len);
    if (rc < 0)
        return rc;
    log_lease(&n->lease, ev == BRISA_DHCP_EVENT_FALLBACK ? "attempts ran out, static" : "bound",
              log_now_ms() - t0);
    return BRISA_OK;
}

/* DNS servers, in order of precedence: the configuration's, the lease's,
 * the host's resolv.conf (when the host's network is used). */
static int setup_resolver(device_net *n, char *why, size_t why_len)
{
    const device_config *c = n->cfg;
    n->dns_count = 0;
    if (c->dns_server.family != BRISA_IP_NONE) {
        n->dns[n->dns_count].addr = c->dns_server;
        n->dns[n->dns_count++].port = (uint16_t)c->dns_port;
    } else if (n->have_lease) {
        for (size_t i = 0; i < n->lease.dns_count && n->dns_count < NET_MAX_DNS; i++) {
            n->dns[n->dns_count].addr = n->lease.dns[i];
            n->dns[n->dns_count++].port = (uint16_t)c->dns_port;
        }
    } else if (!n->managed) {
        n->dns_count = plat_system_dns(n->dns, NET_MAX_DNS);
    }
    if (n->dns_count == 0) {
        snprintf(why, why_len, "no DNS server: set [network] dns_server or get one by DHCP");
        return BRISA_ERR_NOT_FOUND;
    }
    brisa_dns_config dc;
    memset(&dc, 0, sizeof dc);
    dc.servers = n->dns;
    dc.server_count = n->dns_count;
    dc.udp = plat_dns_udp(&n->port);
    dc.tcp = plat_dns_tcp(&n->port);
    dc.clock = n->mono;
    dc.rng = n->rng;
    dc.buf = n->dns_buf;
    dc.buf_size = sizeof n->dns_buf;
    dc.cache = n->dns_cache;
    dc.cache_count = sizeof n->dns_cache / sizeof n->dns_cache[0];
    if (brisa_dns_init(&n->resolver, &dc) != BRISA_OK) {
        snprintf(why, why_len, "DNS resolver: bad server list");
        return BRISA_ERR_INVALID_ARG;
    }
    n->resolver_ready = true;
    return BRISA_OK;
}

int net_resolve(device_net *n, const char *name, brisa_ip_addr *out, char *why, size_t why_len)
{
    if (brisa_ip_parse(name, out)) {
        log_debug("DNS", "%s is an address, nothing to resolve", name);
        return BRISA_OK;
    }
    if (!n->resolver_ready) {
        int rc = setup_resolver(n, why, why_len);
        if (rc < 0)
            return rc;
    }
    uint64_t t0 = log_now_ms();
    brisa_dns_addr addrs[4];
    brisa_dns_result res;
    memset(&res, 0, sizeof res);
    res.addrs = addrs;
    res.addr_cap = 4;
    int rc = brisa_dns_resolve(&n->resolver, name, BRISA_DNS_TYPE_A, &res, 0);
    char server[BRISA_IP_STR_MAX];
    ip_text(&n->dns[res.server < n->dns_count ? res.server : 0].addr, server, sizeof server);
    if (rc == BRISA_ERR_DNS_RCODE) {
        snprintf(why, why_len, "%s: %s (rcode %u) from %s", name, brisa_dns_rcode_str(res.rcode),
                 (unsigned)res.rcode, server);
        return rc;
    }
    if (rc == BRISA_OK && res.addr_count == 0)
        rc = BRISA_ERR_DNS_NO_ANSWER;
    if (rc < 0) {
        snprintf(why, why_len, "%s: %s (asked %s)", name, brisa_err_str(rc), server);
        return rc;
    }
    *out = addrs[0].ip;
    char addr[BRISA_IP_STR_MAX];
    ip_text(out, addr, sizeof addr);
    log_info("DNS", "%s -> %s (ttl %lu s, %s %s, %llu ms)", name, addr,
             (unsigned long)addrs[0].ttl, res.from_cache ? "cache," : "server", res.from_cache ? "" : server,
             (unsigned long long)(log_now_ms() - t0));
    return BRISA_OK;
}

int net_sync_time(device_net *n, char *why, size_t why_len)
{
    const device_config *c = n->cfg;
    if (c->host_clock) {
        log_info("NTP", "skipped: [time] host_clock = true, the host's clock is trusted");
        return BRISA_OK;
    }
    n->ntp_count = 0;
    char label[CFG_NAME_MAX];
    if (c->ntp_server[0]) {
        char host[CFG_NAME_MAX];
        uint16_t port;
        /* Checked when the configuration was loaded. */
        (void)device_config_host_port(c->ntp_server, BRISA_SNTP_PORT, host, sizeof host, &port);
        int rc = net_resolve(n, host, &n->ntp[0].addr, why, why_len);
        if (rc < 0)
            return rc;
        n->ntp[0].port = port;
        n->ntp_count = 1;
        snprintf(label, sizeof label, "%s", c->ntp_server);
    } else if (n->have_lease && n->lease.ntp_count > 0) {
        for (size_t i = 0; i < n->lease.ntp_count && i < NET_MAX_NTP; i++) {
            memset(&n->ntp[i], 0, sizeof n->ntp[i]);
            n->ntp[i].addr = n->lease.ntp[i];
            n->ntp_count++;
        }
        ip_text(&n->ntp[0].addr, label, sizeof label);
        log_debug("NTP", "server from DHCP option 42: %s", label);
    } else {
        snprintf(why, why_len, "no NTP server: set [time] ntp_server, or get one by DHCP "
                 "(option 42), or set host_clock = true");
        return BRISA_ERR_NOT_FOUND;
    }

    uint64_t t0 = log_now_ms();
    brisa_sntp_config sc;
    memset(&sc, 0, sizeof sc);
    sc.servers = n->ntp;
    sc.server_count = n->ntp_count;
    sc.udp = plat_ntp_udp(&n->port);
    sc.clock = n->clock;           /* offsets are against the device's clock */
    sc.fine = plat_fine_clock();
    sc.rng = n->rng;
    sc.softclock = &n->rtc;
    sc.samples = 4;
    brisa_sntp_client client;
    brisa_sntp_result res;
    memset(&res, 0, sizeof res);
    if (brisa_sntp_init(&client, &sc) != BRISA_OK) {
        snprintf(why, why_len, "NTP client: bad configuration");
        return BRISA_ERR_INVALID_ARG;
    }
    int rc = brisa_sntp_sync(&client, &res);
    if (rc < 0) {
        if (rc == BRISA_ERR_NTP_REJECTED)
            snprintf(why, why_len, "%s: reply rejected: %s", label,
                     brisa_sntp_verdict_str(res.last_reject));
        else if (rc == BRISA_ERR_NTP_KOD)
            snprintf(why, why_len, "%s: kiss-o'-death %.4s", label, (const char *)res.kiss);
        else
            snprintf(why, why_len, "%s: %s after %u requests", label, brisa_err_str(rc),
                     res.requests);
        return rc;
    }
    int64_t now = 0;
    char text[64] = "";
    if (n->clock.wall_ms(n->clock.ctx, &now))
        brisa_sntp_format_time(now, c->gmt_offset_min, text, sizeof text);
    log_info("NTP", "%s stratum %u: %s (delay %.3f ms, %u samples, %llu ms)", label,
             (unsigned)res.stratum, text, (double)res.delay_ns / 1e6, (unsigned)res.samples,
             (unsigned long long)(log_now_ms() - t0));
    return BRISA_OK;
}

void net_poll(device_net *n)
{
    if (!n->dhcp_running)
        return;
    int ev = brisa_dhcp_step(&n->dhcp, 0);
    if (ev <= BRISA_DHCP_EVENT_NONE)
        return;
    char why[256];
    switch (ev) {
    case BRISA_DHCP_EVENT_RENEWED:
    case BRISA_DHCP_EVENT_BOUND:
        n->lease = *brisa_dhcp_get_lease(&n->dhcp);
        if (apply_lease(n, why, sizeof why) < 0)
            log_error("DHCP", "%s", why);
        else
            log_lease(&n->lease, ev == BRISA_DHCP_EVENT_RENEWED ? "renewed" : "bound", 0);
        break;
    case BRISA_DHCP_EVENT_LOST:
        log_error("DHCP", "lease lost; asking again");
        break;
    default:
        log_debug("DHCP", "%s", brisa_dhcp_event_name(ev));
        break;
    }
}

void net_shutdown(device_net *n)
{
    if (n->dhcp_running) {
        brisa_dhcp_state st = brisa_dhcp_get_state(&n->dhcp);
        bool server_lease = st == BRISA_DHCP_BOUND || st == BRISA_DHCP_RENEWING ||
                            st == BRISA_DHCP_REBINDING;
        if (n->cfg->dhcp_release && server_lease) {
            int rc = brisa_dhcp_release(&n->dhcp);
            if (rc == BRISA_OK)
                log_info("DHCP", "lease released");
            else
                log_error("DHCP", "RELEASE: %s", brisa_err_str(rc));
        }
        n->dhcp_dgram.close(n->dhcp_dgram.ctx);
        n->dhcp_running = false;
    }
    if (n->nif_open) {
        plat_netif_close(&n->port, n->have_lease && n->cfg->dhcp_release);
        n->nif_open = false;
    }
}
