// SPDX-License-Identifier: MIT
/* lwIP options for brisa's port: NO_SYS (one polled main loop, no OS), one
 * Ethernet netif, IPv4, a few TCP and UDP pcbs. brisa's own DHCP, DNS and
 * SNTP clients run over raw UDP pcbs, so lwIP's are off. The TCP window and
 * send buffer hold several full segments, enough to keep a TLS record of a
 * few KiB (max_fragment_length 4096) moving without stalls. A board may use
 * its own file instead (BRISA_LWIP_OPTS_DIR). */
#ifndef BRISA_LWIPOPTS_H
#define BRISA_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0       /* nothing runs lwIP from interrupts */
#define LWIP_TIMERS 1
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_NETIF_API 0

#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 0                  /* brisa's src/net/dhcp.c instead */
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define LWIP_DNS 0                   /* brisa's src/net/dns.c instead */
#define LWIP_ALTCP 0                 /* brisa's TLS layer, not altcp_tls */
#define IP_REASSEMBLY 0
#define IP_FRAG 0
#define LWIP_NETIF_LOOPBACK 0
#define LWIP_HAVE_LOOPIF 0
#define LWIP_STATS 0
#define LWIP_NETIF_HOSTNAME 0
#define LWIP_NETIF_LINK_CALLBACK 1   /* the driver reports carrier changes */
#define LWIP_NETIF_STATUS_CALLBACK 0

/* DHCP replies come before the netif has an address: let UDP to the
 * client port through (what LWIP_DHCP would do for its own client). */
#define LWIP_IP_ACCEPT_UDP_PORT(port) ((port) == PP_NTOHS(68))
#define IP_SOF_BROADCAST 1           /* broadcast only where asked (DHCP) */
#define IP_SOF_BROADCAST_RECV 0
#define SO_REUSE 0

/* Unpredictable initial sequence numbers (RFC 6528's aim) from the board's
 * entropy; lwIP's default counts up. */
#define LWIP_HOOK_TCP_ISN(local_ip, local_port, remote_ip, remote_port) \
    ((u32_t)bri_lwip_rand32())
#define LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS 1

/* Memory: lwIP's own heap for copied TCP data and a pool for received
 * frames. */
/* 4 on the Cortex-M, 8 for the host tests (pointers inside pools). */
#define MEM_ALIGNMENT __SIZEOF_POINTER__
#define MEM_SIZE (24 * 1024)
#define MEMP_NUM_PBUF 16
#define MEMP_NUM_UDP_PCB 8           /* DHCP, DNS, SNTP, spares (the host tests' responders) */
#define MEMP_NUM_TCP_PCB 4           /* broker, DNS over TCP, spares */
#define MEMP_NUM_TCP_PCB_LISTEN 4    /* the host tests' servers; none on the board */
#define MEMP_NUM_TCP_SEG 32
#define MEMP_NUM_ARP_QUEUE 8
#define PBUF_POOL_SIZE 24
#define PBUF_POOL_BUFSIZE LWIP_MEM_ALIGN_SIZE(TCP_MSS + 40 + PBUF_LINK_ENCAPSULATION_HLEN + PBUF_LINK_HLEN)
#define ARP_TABLE_SIZE 8
#define ARP_QUEUEING 1
#define ETHARP_SUPPORT_STATIC_ENTRIES 1 /* host tests: a DHCP server answering by MAC */

#define TCP_MSS 1460
#define TCP_WND (4 * TCP_MSS)
#define TCP_SND_BUF (4 * TCP_MSS)
#define TCP_SND_QUEUELEN ((4 * (TCP_SND_BUF) + (TCP_MSS - 1)) / (TCP_MSS))
#define TCP_QUEUE_OOSEQ 1
#define LWIP_TCP_KEEPALIVE 0         /* MQTT has its own keepalive */
#define LWIP_WND_SCALE 0

#define LWIP_CHECKSUM_CTRL_PER_NETIF 0
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_UDP 1
#define CHECKSUM_CHECK_TCP 1

#endif
