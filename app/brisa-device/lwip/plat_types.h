// SPDX-License-Identifier: MIT
/* The lwIP platform's storage (see platform.h), for a board running lwIP
 * without an OS (brisa's lwIP port). */
#ifndef BRISA_DEVICE_PLAT_TYPES_H
#define BRISA_DEVICE_PLAT_TYPES_H

#include <stdint.h>

#include "brisa/port/lwip_port.h"
#include "brisa/port/lwip_tcp.h"
#include "brisa/port/lwip_udp.h"

typedef brisa_lwip_tcp plat_tcp;

/* The board has no file system: [mqtt] store is refused in words. */
typedef struct plat_store {
    char msg[80];
} plat_store;

typedef struct plat_net {
    struct netif *netif;
    brisa_lwip_arp_probe probe;  /* DHCP's check of an offered address */
    brisa_lwip_udp dhcp_udp;
    brisa_lwip_udp_opener dns_udp;
    brisa_lwip_udp_opener ntp_udp;
    brisa_lwip_tcp dns_tcp;
} plat_net;

/* What the board's firmware supplies to the platform. */

/** The board's one network interface, added and up (lwIP started). */
struct netif *plat_board_netif(void);

/** Monotonic microseconds from the board's timer. */
uint64_t plat_board_us(void);

#endif
