// SPDX-License-Identifier: MIT
/* The device's platform on a board with lwIP and no OS (see platform.h):
 * one netif, brisa's lwIP port for TCP and UDP, every wait turning the
 * stack. */
#include "platform.h"

#include <stdio.h>

#include "brisa/err.h"
#include "brisa/port/lwip_port.h"
#include "lwip/netif.h"

uint64_t plat_now_us(void)
{
    return plat_board_us();
}

void plat_sleep_ms(unsigned ms)
{
    uint64_t end = brisa_lwip_now_ms() + ms;
    for (uint64_t now = brisa_lwip_now_ms(); now < end; now = brisa_lwip_now_ms())
        brisa_lwip_wait((uint32_t)(end - now));
}

bool plat_stop_requested(void)
{
    return false; /* no signals: the button is the only way to stop */
}

bool plat_errors_separate(void)
{
    return false; /* one console */
}

void plat_tcp_init(plat_tcp *t)
{
    brisa_lwip_tcp_init(t, plat_board_netif());
}

int plat_tcp_connect(plat_tcp *t, const brisa_ip_addr *ip, uint16_t port, uint32_t timeout_ms)
{
    return brisa_lwip_tcp_connect(t, ip, port, timeout_ms);
}

/* The board resolves names only for the boot's steps: a proxy is given by
 * its address. */
int plat_tcp_connect_host(plat_tcp *t, const char *host, uint16_t port, uint32_t timeout_ms)
{
    brisa_ip_addr ip;
    if (!brisa_ip_parse(host, &ip))
        return BRISA_ERR_RESOLVE;
    return brisa_lwip_tcp_connect(t, &ip, port, timeout_ms);
}

/* lwIP's waits turn the stack themselves and are bounded by their
 * timeouts; the board's button is read between the link's steps. */
void plat_tcp_set_cancel(plat_tcp *t, bool (*cancel)(void *user), void *user)
{
    (void)t;
    (void)cancel;
    (void)user;
}

brisa_transport plat_tcp_transport(plat_tcp *t)
{
    return brisa_lwip_tcp_transport(t);
}

const char *plat_tcp_error(const plat_tcp *t)
{
    return brisa_lwip_tcp_error(t);
}

void plat_tcp_close(plat_tcp *t)
{
    brisa_lwip_tcp_close(t);
}

void plat_net_init(plat_net *p)
{
    p->netif = plat_board_netif();
    brisa_lwip_udp_init(&p->dhcp_udp);
    brisa_lwip_tcp_init(&p->dns_tcp, p->netif);
}

brisa_clock plat_mono_clock(void)
{
    return brisa_lwip_clock();
}

brisa_rng plat_rng(void)
{
    return brisa_lwip_rng();
}

const brisa_rng *plat_tls_rng(void)
{
    static brisa_rng rng; /* the TLS layer keeps the pointer */
    rng = brisa_lwip_rng();
    return &rng;
}

static uint64_t fine_ns(void *ctx)
{
    (void)ctx;
    return plat_board_us() * 1000u;
}

brisa_sntp_fine_clock plat_fine_clock(void)
{
    brisa_sntp_fine_clock f = { NULL, fine_ns, NULL };
    return f;
}

bool plat_host_wall_ms(int64_t *unix_ms)
{
    (void)unix_ms;
    return false; /* no battery-backed clock: NTP it is */
}

/* The board has one interface, whatever the configuration calls it. */
int plat_netif_open(plat_net *p, const char *ifname, uint8_t mac[6], char *why, size_t why_len)
{
    uint64_t end = brisa_lwip_now_ms() + 5000;
    while (!netif_is_link_up(p->netif) && brisa_lwip_now_ms() < end)
        brisa_lwip_wait(50);
    if (!netif_is_link_up(p->netif)) {
        snprintf(why, why_len, "%s has no carrier", ifname);
        return BRISA_ERR_TIMEOUT;
    }
    return brisa_lwip_netif_mac(p->netif, mac);
}

int plat_netif_apply(plat_net *p, const brisa_dhcp_lease *lease, char *why, size_t why_len)
{
    int rc = brisa_lwip_apply_lease(p->netif, lease);
    if (rc < 0)
        snprintf(why, why_len, "cannot configure the interface: %s", brisa_err_str(rc));
    return rc;
}

void plat_netif_close(plat_net *p, bool flush)
{
    if (flush)
        brisa_lwip_clear_address(p->netif);
}

int plat_address_in_use(void *p, const brisa_ip_addr *addr)
{
    plat_net *n = p;
    n->probe.netif = n->netif;
    n->probe.probe_ms = 1000; /* as the Linux port's probe */
    return brisa_lwip_address_in_use(&n->probe, addr);
}

int plat_dhcp_open(plat_net *p, const char *ifname, brisa_datagram *out, char *why, size_t why_len)
{
    int rc = brisa_lwip_dhcp_open(&p->dhcp_udp, p->netif, out);
    if (rc < 0)
        snprintf(why, why_len, "DHCP endpoint on %s: %s", ifname, brisa_lwip_udp_error(&p->dhcp_udp));
    return rc;
}

brisa_datagram_opener plat_dns_udp(plat_net *p)
{
    return brisa_lwip_udp_opener_init(&p->dns_udp, p->netif);
}

brisa_datagram_opener plat_ntp_udp(plat_net *p)
{
    return brisa_lwip_udp_opener_init(&p->ntp_udp, p->netif);
}

brisa_dns_tcp_opener plat_dns_tcp(plat_net *p)
{
    return brisa_lwip_dns_tcp_opener(&p->dns_tcp);
}

size_t plat_system_dns(brisa_dns_server *out, size_t cap)
{
    (void)out;
    (void)cap;
    return 0;
}

int plat_store_open(plat_store *s, const char *dir, brisa_mqtt_store *iface)
{
    (void)iface;
    snprintf(s->msg, sizeof s->msg, "[mqtt] store %s: this board has no file system", dir);
    return BRISA_ERR_UNSUPPORTED;
}

const char *plat_store_error(const plat_store *s)
{
    return s->msg;
}
