// SPDX-License-Identifier: MIT
/* What the device application needs from the system under it, so that the
 * boot sequence, the two modes, the commands and the link are one code on
 * Linux (posix/: sockets, netlink, signals) and on a board (lwip/: lwIP
 * raw API, the board's clock and console). Each platform directory holds a
 * plat_types.h with the storage these functions work on. */
#ifndef BRISA_DEVICE_PLATFORM_H
#define BRISA_DEVICE_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/clock.h"
#include "brisa/datagram.h"
#include "brisa/dhcp.h"
#include "brisa/dns.h"
#include "brisa/ip.h"
#include "brisa/mqtt_store.h"
#include "brisa/rng.h"
#include "brisa/sntp.h"
#include "brisa/transport.h"
#include "plat_types.h"

/* --- time and control */

/** Monotonic microseconds (log lines, test-mode timings). */
uint64_t plat_now_us(void);

/** Sleeps about @p ms, keeping the network stack turning where it must. */
void plat_sleep_ms(unsigned ms);

/** True once the system asked the program to stop (SIGINT/SIGTERM). */
bool plat_stop_requested(void);

/** True when error lines must also go to a separate error stream. */
bool plat_errors_separate(void);

/** Logs the memory high-water marks so far (heap, stack) where the
 *  platform can measure them; @p when names the moment. */
void plat_memory_report(const char *when);

/* --- TCP to the broker */

void plat_tcp_init(plat_tcp *t);
/** Connects to @p ip : @p port within @p timeout_ms. Returns BRISA_OK or a
 *  brisa_err; plat_tcp_error() says why. */
int plat_tcp_connect(plat_tcp *t, const brisa_ip_addr *ip, uint16_t port, uint32_t timeout_ms);
/** The same to @p host, a name the platform resolves or an address
 *  ([mqtt] proxy). */
int plat_tcp_connect_host(plat_tcp *t, const char *host, uint16_t port, uint32_t timeout_ms);
/** Until set back to NULL, @p t's waits (connect, and the reads and writes
 *  of the TLS handshake over it) end early with BRISA_ERR_CANCELLED once
 *  @p cancel returns true: a signal or the button ends the link setup at
 *  once. Set before plat_tcp_connect(). */
void plat_tcp_set_cancel(plat_tcp *t, bool (*cancel)(void *user), void *user);
brisa_transport plat_tcp_transport(plat_tcp *t);
const char *plat_tcp_error(const plat_tcp *t);
void plat_tcp_close(plat_tcp *t);

/* --- the network interface and the service clients' endpoints */

/** Prepares @p p (nothing is sent). */
void plat_net_init(plat_net *p);
brisa_clock plat_mono_clock(void);
brisa_rng plat_rng(void);
/** A clock for SNTP's fine timestamps. */
brisa_sntp_fine_clock plat_fine_clock(void);
/** The host's wall clock ([time] host_clock); false when there is none. */
bool plat_host_wall_ms(int64_t *unix_ms);

/** Opens interface @p ifname, brings it up and waits for its carrier;
 *  fills @p mac. On failure writes why. */
int plat_netif_open(plat_net *p, const char *ifname, uint8_t mac[6], char *why, size_t why_len);
/** Applies @p lease to the interface. */
int plat_netif_apply(plat_net *p, const brisa_dhcp_lease *lease, char *why, size_t why_len);
/** Releases the interface, first removing its addresses if @p flush. */
void plat_netif_close(plat_net *p, bool flush);
/** brisa_dhcp_config.address_in_use for the open interface. */
int plat_address_in_use(void *p, const brisa_ip_addr *addr);

/** The DHCP endpoint (port 68, able to send before an address exists). */
int plat_dhcp_open(plat_net *p, const char *ifname, brisa_datagram *out, char *why, size_t why_len);
/** UDP endpoints for DNS and for NTP (one opener each). */
brisa_datagram_opener plat_dns_udp(plat_net *p);
brisa_datagram_opener plat_ntp_udp(plat_net *p);
/** TCP for DNS answers too long for UDP. */
brisa_dns_tcp_opener plat_dns_tcp(plat_net *p);
/** Randomness for TLS, or NULL for the TLS library's own source. */
const brisa_rng *plat_tls_rng(void);

/** The system's DNS servers when the host's network is used as it is
 *  (resolv.conf); 0 where there is no such thing. */
size_t plat_system_dns(brisa_dns_server *out, size_t cap);

/* --- [mqtt] store: unacknowledged QoS 1/2 messages kept across restarts */

/** Opens the store in directory @p dir and fills @p iface with it.
 *  Returns BRISA_OK or a brisa_err; plat_store_error() says why. */
int plat_store_open(plat_store *s, const char *dir, brisa_mqtt_store *iface);
const char *plat_store_error(const plat_store *s);

#endif
