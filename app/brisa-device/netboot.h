// SPDX-License-Identifier: MIT
/* The device's network services: the first four steps of the seed's boot
 * sequence (DHCP -> DNS -> NTP -> DNS), and the lease kept alive after. */
#ifndef BRISA_DEVICE_NETBOOT_H
#define BRISA_DEVICE_NETBOOT_H

#include <stdbool.h>
#include <stddef.h>

#include "brisa/clock.h"
#include "brisa/dhcp.h"
#include "brisa/dns.h"
#include "brisa/rng.h"
#include "brisa/sntp.h"
#include "config.h"
#include "platform.h"

#define NET_MAX_DNS 4
#define NET_MAX_NTP 4

typedef struct device_net {
    const device_config *cfg;
    brisa_clock mono;          /* host monotonic, no wall time */
    brisa_rng rng;
    brisa_softclock rtc;       /* the device's clock, set by NTP */
    brisa_clock clock;         /* rtc as a clock interface (for TLS) */

    /* DHCP and the interface (when [network] interface is set) */
    bool managed;
    plat_net port;             /* the interface and endpoints */
    uint8_t mac[6];
    bool nif_open;
    brisa_datagram dhcp_dgram;
    bool dhcp_running;         /* a server lease to renew and release */
    brisa_dhcp_client dhcp;
    uint8_t dhcp_buf[1024];
    brisa_dhcp_lease fallback;
    brisa_dhcp_lease lease;    /* the configuration in use */
    bool have_lease;

    /* DNS */
    brisa_dns_server dns[NET_MAX_DNS];
    size_t dns_count;
    uint8_t dns_buf[4096];
    brisa_dns_cache_entry dns_cache[8];
    brisa_dns_resolver resolver;
    bool resolver_ready;

    /* NTP */
    brisa_sntp_server ntp[NET_MAX_NTP];
    size_t ntp_count;
} device_net;

/* Prepares @p n; nothing is sent. */
void net_init(device_net *n, const device_config *cfg);

/* Step 1, DHCP: brings the interface up and obtains a lease (or the
 * static fallback) and applies it. Without an interface in the
 * configuration the host's network is used as it is. */
int net_configure(device_net *n, char *why, size_t why_len);

/* DNS: resolves @p name (an IPv4 literal passes through) to @p out. */
int net_resolve(device_net *n, const char *name, brisa_ip_addr *out, char *why, size_t why_len);

/* Steps 2 and 3, DNS then NTP: finds the NTP server (configured name, or
 * DHCP option 42) and sets the device's clock from it. */
int net_sync_time(device_net *n, char *why, size_t why_len);

/* Keeps the lease alive (renew at T1, rebind at T2); call often. */
void net_poll(device_net *n);

/* RELEASE the lease (if configured) and remove the address. */
void net_shutdown(device_net *n);

#endif
