// SPDX-License-Identifier: MIT
/* The LAN9118 as an lwIP netif (NO_SYS, polled). */
#ifndef BRISA_LAN9118_NETIF_H
#define BRISA_LAN9118_NETIF_H

#include <stdint.h>

#include "lwip/err.h"

struct netif;

/** netif_add()'s init function: resets the controller, takes its MAC,
 *  sets the MTU and flags (broadcast, ARP, Ethernet). ERR_IF when no
 *  LAN9118 answers. */
err_t bri_lan9118_netif_init(struct netif *netif);

/** Moves up to a few received frames into lwIP (netif->input) and follows
 *  the PHY's link state (at most every 500 ms). Never blocks. */
void bri_lan9118_netif_poll(struct netif *netif);

/** Frames lost because lwIP had no pbuf for them. */
uint32_t bri_lan9118_netif_no_pbuf(void);

#endif
