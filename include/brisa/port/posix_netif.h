// SPDX-License-Identifier: MIT
/**
 * @file posix_netif.h
 * Linux interface-level helpers for the DHCP client: a datagram endpoint
 * usable before the interface has an address, an ARP probe for the
 * client's "address in use" hook, and netlink (libmnl) calls that bring
 * the link up and apply or remove a lease. All need CAP_NET_ADMIN /
 * CAP_NET_RAW (root).
 *
 * Every function returns BRISA_OK or a negative brisa_err and, on error,
 * leaves a one-line explanation with the errno text in the struct's
 * @c error field.
 */
#ifndef BRISA_POSIX_NETIF_H
#define BRISA_POSIX_NETIF_H

#include <stdint.h>

#include "brisa/err.h"
#include "brisa/export.h"
#include "brisa/datagram.h"
#include "brisa/dhcp.h"
#include "brisa/ip.h"

BRISA_BEGIN_DECLS

/** Size of the one-line error text kept by the netif and DHCP socket. */
#define BRISA_POSIX_NETIF_ERR_MAX 160

/** One network interface, opened by name. Fields are read-only. */
typedef struct brisa_posix_netif {
    char name[16];          /**< IFNAMSIZ */
    int index;              /**< ifindex */
    uint8_t mac[6];         /**< hardware address */
    void *nl;               /**< struct mnl_socket *, private */
    uint32_t seq;           /**< netlink sequence number, private */
    uint32_t probe_ms;      /**< ARP probe window (default 1000 ms) */
    char error[BRISA_POSIX_NETIF_ERR_MAX]; /**< why the last call failed */
} brisa_posix_netif;

/** Looks up @p ifname (index, MAC) and opens a netlink socket.
 *  Returns BRISA_OK, BRISA_ERR_NOT_FOUND (no such interface) or BRISA_ERR_IO. */
brisa_err brisa_posix_netif_open(brisa_posix_netif *nif, const char *ifname);

/** Closes the netlink socket. Safe to call twice. */
void brisa_posix_netif_close(brisa_posix_netif *nif);

/** Sets the link administratively up. Returns BRISA_OK, or BRISA_ERR_IO
 *  (BRISA_ERR_STATE when not open) with the reason in nif->error. */
brisa_err brisa_posix_netif_set_up(brisa_posix_netif *nif);

/** Waits up to @p timeout_ms until the link is operationally up (carrier,
 *  and the kernel ready to transmit: right after "up" a packet sent too
 *  soon is silently dropped). Returns BRISA_OK or BRISA_ERR_TIMEOUT. */
brisa_err brisa_posix_netif_wait_running(brisa_posix_netif *nif, uint32_t timeout_ms);

/** Adds or replaces @p addr / @p prefix_len (broadcast derived), valid for
 *  @p lifetime_s seconds (BRISA_DHCP_INFINITE: forever) so the kernel
 *  drops it if the client dies and the lease runs out. Returns BRISA_OK, or
 *  BRISA_ERR_IO (BRISA_ERR_STATE when not open) with the reason in
 *  nif->error. */
brisa_err brisa_posix_netif_add_address(brisa_posix_netif *nif, const brisa_ip_addr *addr,
                                        uint8_t prefix_len, uint32_t lifetime_s);

/** Removes @p addr / @p prefix_len. Returns BRISA_OK, or BRISA_ERR_IO
 *  (BRISA_ERR_STATE when not open) with the reason in nif->error. */
brisa_err brisa_posix_netif_del_address(brisa_posix_netif *nif, const brisa_ip_addr *addr,
                                        uint8_t prefix_len);

/** Adds or replaces the IPv4 default route via @p gateway on this link.
 *  Returns BRISA_OK, or BRISA_ERR_IO (BRISA_ERR_STATE when not open) with the
 *  reason in nif->error. */
brisa_err brisa_posix_netif_set_default_route(brisa_posix_netif *nif, const brisa_ip_addr *gateway);

/** Removes every IPv4 address of the interface, and with them its
 *  routes (the default route through it included). Returns BRISA_OK, or
 *  BRISA_ERR_IO (BRISA_ERR_STATE when not open) with the reason in
 *  nif->error. */
brisa_err brisa_posix_netif_flush(brisa_posix_netif *nif);

/** Applies a configuration: link up, other IPv4 addresses removed, the
 *  lease's address and prefix (with the lease as lifetime), and the
 *  default route via its router when it has one. Calling it again on
 *  renewal only refreshes the lifetime. Returns BRISA_OK, or BRISA_ERR_IO
 *  (BRISA_ERR_STATE when not open) with the reason in nif->error. */
brisa_err brisa_posix_netif_apply(brisa_posix_netif *nif, const brisa_dhcp_lease *lease);

/**
 * The DHCP client's address_in_use hook (ctx: a brisa_posix_netif):
 * sends RFC 5227 ARP probes for @p addr (sender address 0.0.0.0) and
 * listens for nif->probe_ms. Returns 1 when another host answers for
 * @p addr or probes for it too, 0 when nobody does, a negative brisa_err
 * when the probe cannot be made.
 */
int brisa_posix_netif_address_in_use(void *nif, const brisa_ip_addr *addr);

/** A UDP endpoint for DHCP: 0.0.0.0:68 bound to one interface with
 *  SO_BINDTODEVICE and SO_BROADCAST, so that it can send from 0.0.0.0 to
 *  255.255.255.255 and receive broadcast replies before the interface has
 *  an address. */
typedef struct brisa_posix_dhcp_socket {
    int fd;                                /**< the socket; -1 when closed */
    char error[BRISA_POSIX_NETIF_ERR_MAX]; /**< why the last call failed */
} brisa_posix_dhcp_socket;

/** Opens @p s on @p ifname and fills @p out with a datagram over it
 *  (@p s must outlive @p out; out->close closes it). Returns BRISA_OK,
 *  BRISA_ERR_INVALID_ARG or BRISA_ERR_IO (the reason in s->error). */
brisa_err brisa_posix_dhcp_socket_open(brisa_posix_dhcp_socket *s, const char *ifname,
                                       brisa_datagram *out);

BRISA_END_DECLS

#endif /* BRISA_POSIX_NETIF_H */
