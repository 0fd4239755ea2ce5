// SPDX-License-Identifier: MIT
/**
 * @file lwip_port.h
 * brisa over lwIP's raw API without an OS (NO_SYS): the platform hooks a
 * board supplies, the clock, and applying a DHCP lease to a netif.
 *
 * lwIP under NO_SYS is one global stack driven from one loop. Nothing runs
 * lwIP from interrupts: every blocking brisa call (a recv with a timeout, a
 * connect) turns the stack itself while it waits, through the board's
 * hooks:
 *
 *     for (;;) {
 *         hooks.poll(ctx);           // the driver feeds received frames to lwIP
 *         sys_check_timeouts();      // lwIP's timers (TCP, ARP)
 *         if (what we wait for happened || deadline passed) break;
 *         hooks.idle(ctx, ms);       // sleep until the next tick or frame (wfi)
 *     }
 *
 * Typical start on a board:
 *
 *     static const brisa_lwip_platform plat = { NULL, board_tick_ms,
 *         board_eth_poll, board_idle, { NULL, board_entropy } };
 *     brisa_lwip_start(&plat);                  // calls lwip_init()
 *     netif_add(&eth, ...); netif_set_default(&eth); netif_set_up(&eth);
 *     brisa_clock clock = brisa_lwip_clock();
 *
 * The other pieces: brisa/port/lwip_tcp.h (stream transport), brisa/port/lwip_udp.h
 * (datagrams, the opener for DNS/SNTP, the DHCP endpoint).
 */
#ifndef BRISA_LWIP_PORT_H
#define BRISA_LWIP_PORT_H

#include "brisa/err.h"
#include "brisa/export.h"
#include "brisa/config.h"
#include <stddef.h>
#include <stdint.h>

#include "brisa/clock.h"
#include "brisa/dhcp.h"
#include "brisa/dns.h"
#include "brisa/rng.h"

BRISA_BEGIN_DECLS

struct netif;

/** What the board gives the port. Copied by brisa_lwip_start(). */
typedef struct brisa_lwip_platform {
    void *ctx; /**< passed to every hook */
    /** A free-running millisecond counter (SysTick); may wrap at 2^32.
     *  Required. Also lwIP's sys_now(). */
    uint32_t (*tick_ms)(void *ctx);
    /** Moves frames the netif driver received into lwIP (netif->input)
     *  and, if it has to, reports link changes. Must not block. Called at
     *  the top of every wait. Required. */
    void (*poll)(void *ctx);
    /** Sleeps at most @p max_ms, returning early when something may have
     *  happened (the next tick, a frame): `wfi` on a Cortex-M. NULL: the
     *  waits spin. */
    void (*idle)(void *ctx, uint32_t max_ms);
    /** Unpredictable bytes for TCP initial sequence numbers, source ports
     *  and lwIP's LWIP_RAND(). Required; a board without a hardware RNG
     *  must say plainly that its source is not secure. */
    brisa_rng rng;
} brisa_lwip_platform;

/**
 * Installs @p plat and initialises lwIP (lwip_init()). Call once, before
 * adding any netif. Returns BRISA_OK, or BRISA_ERR_INVALID_ARG when a
 * required hook is missing.
 */
brisa_err brisa_lwip_start(const brisa_lwip_platform *plat);

/**
 * Turns the stack once without waiting: the board's poll hook, then lwIP's
 * due timers. The application's main loop calls it (or a blocking brisa
 * call does it for it) so that ARP, TCP retransmissions and received data
 * keep moving.
 */
void brisa_lwip_service(void);

/**
 * Turns the stack, then sleeps through the idle hook for at most
 * @p max_ms (less when an lwIP timer is due sooner).
 */
void brisa_lwip_wait(uint32_t max_ms);

/** Monotonic milliseconds: the board's tick widened to 64 bits. */
uint64_t brisa_lwip_now_ms(void);

/** A clock whose monotonic time is brisa_lwip_now_ms() and whose wall
 *  time is unknown (wrap it in a brisa_softclock set by SNTP). */
brisa_clock brisa_lwip_clock(void);

/** The platform's randomness as a brisa_rng (DNS ids, DHCP xids). */
brisa_rng brisa_lwip_rng(void);

/**
 * Applies @p lease to @p netif: address, mask (from prefix_len when the
 * mask is absent) and gateway (none when the lease has no router).
 * Returns BRISA_OK or BRISA_ERR_INVALID_ARG (no IPv4 address in @p lease).
 */
brisa_err brisa_lwip_apply_lease(struct netif *netif, const brisa_dhcp_lease *lease);

/** Removes @p netif's IPv4 address, mask and gateway (a lost lease). */
void brisa_lwip_clear_address(struct netif *netif);

/** Copies @p netif's 6-byte hardware address into @p mac (for
 *  brisa_dhcp_config.mac). Returns BRISA_OK or BRISA_ERR_INVALID_ARG when
 *  the netif has no 6-byte address. */
brisa_err brisa_lwip_netif_mac(const struct netif *netif, uint8_t mac[6]);

/** The state of brisa_lwip_address_in_use(): where and how long to probe. */
typedef struct brisa_lwip_arp_probe {
    struct netif *netif; /**< the interface to probe on */
    uint32_t probe_ms; /**< how long to wait for an answer; 0: 1000 ms */
} brisa_lwip_arp_probe;

/**
 * The DHCP client's "address in use" hook (brisa_dhcp_config's
 * address_in_use, with a brisa_lwip_arp_probe as its context): ARP
 * requests for @p addr (up to three, RFC 5227's probe: from 0.0.0.0 while
 * the netif has no address) and a wait of probe_ms for an answer. Returns
 * 1 when another host answered, 0 when none did, BRISA_ERR_INVALID_ARG
 * (not IPv4, no netif) or BRISA_ERR_IO (lwIP could not send).
 */
int brisa_lwip_address_in_use(void *ctx, const brisa_ip_addr *addr);

/**
 * The DNS servers of @p lease as the resolver's list, each on port 53.
 * Writes at most @p cap entries to @p out; returns how many.
 */
size_t brisa_lwip_dns_servers(const brisa_dhcp_lease *lease, brisa_dns_server *out, size_t cap);

/**
 * Called when lwIP's LWIP_ASSERT fails. The port's default does nothing
 * useful but stop: it spins. A board (or a host test) defines its own
 * (a strong symbol) to print @p msg at @p file : @p line.
 */
void brisa_lwip_assert_failed(const char *msg, const char *file, int line);

BRISA_END_DECLS

#endif /* BRISA_LWIP_PORT_H */
