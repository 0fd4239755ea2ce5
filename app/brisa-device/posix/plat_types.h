// SPDX-License-Identifier: MIT
/* The Linux platform's storage (see platform.h). */
#ifndef BRISA_DEVICE_PLAT_TYPES_H
#define BRISA_DEVICE_PLAT_TYPES_H

#include <signal.h>

#include "brisa/port/posix_netif.h"
#include "brisa/port/posix_store.h"
#include "brisa/port/posix_tcp.h"
#include "brisa/port/posix_udp.h"

typedef brisa_posix_tcp plat_tcp;
typedef brisa_posix_store plat_store;

typedef struct plat_net {
    brisa_posix_netif nif;
    brisa_posix_dhcp_socket dhcp_sock;
    brisa_posix_udp_opener dns_udp;
    brisa_posix_udp_opener ntp_udp;
    brisa_posix_tcp dns_tcp;
} plat_net;

/* Set by the SIGINT / SIGTERM handler (main.c). */
extern volatile sig_atomic_t plat_signal_stop;

#endif
