// SPDX-License-Identifier: MIT
/* Applying brisa's DHCP results to an lwIP netif: lwIP's own DHCP is off,
 * so the address, mask and gateway come from brisa_dhcp_get_lease(), and
 * the ARP probe of an offered address is done here. */
#include <string.h>

#include "lwip/etharp.h"
#include "lwip/netif.h"

#include "brisa/err.h"
#include "brisa/port/lwip_port.h"
#include "lwip_internal.h"

brisa_err brisa_lwip_apply_lease(struct netif *netif, const brisa_dhcp_lease *lease)
{
    ip_addr_t addr, mask, gw;
    if (netif == NULL || lease == NULL || !bri_lwip_to_lwip(&lease->address, &addr))
        return BRISA_ERR_INVALID_ARG;
    brisa_ip_addr m = lease->mask;
    if (m.family != BRISA_IP_V4) {
        if (lease->prefix_len > 32)
            return BRISA_ERR_INVALID_ARG;
        uint32_t bits = lease->prefix_len == 0 ? 0 : 0xffffffffu << (32 - lease->prefix_len);
        m = brisa_ip_v4((uint8_t)(bits >> 24), (uint8_t)(bits >> 16), (uint8_t)(bits >> 8),
                        (uint8_t)bits);
    }
    (void)bri_lwip_to_lwip(&m, &mask);
    if (!bri_lwip_to_lwip(&lease->router, &gw))
        ip_addr_set_zero_ip4(&gw);
    netif_set_addr(netif, ip_2_ip4(&addr), ip_2_ip4(&mask), ip_2_ip4(&gw));
    return BRISA_OK;
}

void brisa_lwip_clear_address(struct netif *netif)
{
    if (netif != NULL)
        netif_set_addr(netif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4);
}

brisa_err brisa_lwip_netif_mac(const struct netif *netif, uint8_t mac[6])
{
    if (netif == NULL || netif->hwaddr_len != 6)
        return BRISA_ERR_INVALID_ARG;
    memcpy(mac, netif->hwaddr, 6);
    return BRISA_OK;
}

size_t brisa_lwip_dns_servers(const brisa_dhcp_lease *lease, brisa_dns_server *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; lease != NULL && i < lease->dns_count && n < cap; i++) {
        if (lease->dns[i].family == BRISA_IP_NONE)
            continue;
        out[n].addr = lease->dns[i];
        out[n].port = BRISA_DNS_PORT;
        n++;
    }
    return n;
}

#define PROBES 3
#define DEFAULT_PROBE_MS BRISA_LWIP_ARP_PROBE_MS

int brisa_lwip_address_in_use(void *ctx, const brisa_ip_addr *addr)
{
    brisa_lwip_arp_probe *p = ctx;
    ip_addr_t ip;
    if (p == NULL || p->netif == NULL || !bri_lwip_to_lwip(addr, &ip))
        return BRISA_ERR_INVALID_ARG;
    uint32_t window = p->probe_ms != 0 ? p->probe_ms : DEFAULT_PROBE_MS;
    /* A pending ARP entry: an answer from the address's owner fills it in
     * (lwIP updates entries it is waiting for even while unconfigured). */
    if (etharp_query(p->netif, ip_2_ip4(&ip), NULL) != ERR_OK)
        return BRISA_ERR_IO;
    uint64_t start = brisa_lwip_now_ms();
    uint64_t deadline = start + window;
    unsigned sent = 1;
    for (;;) {
        brisa_lwip_service();
        struct eth_addr *mac;
        const ip4_addr_t *found;
        if (etharp_find_addr(p->netif, ip_2_ip4(&ip), &mac, &found) >= 0)
            return 1;
        /* The next probe a third of the window after the last (RFC 5227
         * spreads three probes). */
        uint64_t next = start + (uint64_t)window * sent / PROBES;
        uint64_t now = brisa_lwip_now_ms();
        if (now >= deadline)
            return 0;
        if (sent < PROBES && now >= next) {
            (void)etharp_request(p->netif, ip_2_ip4(&ip));
            sent++;
            continue;
        }
        (void)bri_lwip_idle_until(sent < PROBES ? next : deadline);
    }
}
