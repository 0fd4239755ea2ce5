// SPDX-License-Identifier: MIT
/* Address conflict detection for the DHCP client's final check (RFC 2131
 * 4.4.1, probes as in RFC 5227 2.1.1): ARP requests with sender address
 * 0.0.0.0 on a packet socket, then listening for anyone claiming it. */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "posix_internal.h"
#include "brisa/err.h"
#include "brisa/port/posix_netif.h"

enum { ARP_LEN = 28, ARP_REQUEST = 1 };


static int send_probe(int fd, const brisa_posix_netif *nif, const brisa_ip_addr *addr)
{
    uint8_t p[ARP_LEN];
    memset(p, 0, sizeof p);
    p[1] = 1;    /* Ethernet */
    p[2] = 0x08; /* IPv4 */
    p[4] = 6;
    p[5] = 4;
    p[7] = ARP_REQUEST;
    memcpy(p + 8, nif->mac, 6); /* sender MAC; sender IP stays 0.0.0.0 */
    memcpy(p + 24, addr->bytes, 4);
    struct sockaddr_ll to;
    memset(&to, 0, sizeof to);
    to.sll_family = AF_PACKET;
    to.sll_protocol = htons(ETH_P_ARP);
    to.sll_ifindex = nif->index;
    to.sll_halen = 6;
    memset(to.sll_addr, 0xff, 6);
    return sendto(fd, p, sizeof p, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)sizeof p ? 0 : -1;
}

/* True when an ARP packet says another host has or wants @p addr. */
static bool conflicts(const uint8_t *p, size_t n, const brisa_posix_netif *nif,
                      const brisa_ip_addr *addr)
{
    static const uint8_t zero[4];
    if (n < ARP_LEN || p[0] != 0 || p[1] != 1 || p[2] != 0x08 || p[3] != 0 || p[4] != 6 || p[5] != 4)
        return false;
    const uint8_t *sha = p + 8, *spa = p + 14, *tpa = p + 24;
    if (memcmp(sha, nif->mac, 6) == 0)
        return false;
    if (memcmp(spa, addr->bytes, 4) == 0)
        return true; /* a reply, or any packet from the address's owner */
    return p[7] == ARP_REQUEST && memcmp(spa, zero, 4) == 0 && memcmp(tpa, addr->bytes, 4) == 0;
}

int brisa_posix_netif_address_in_use(void *ctx, const brisa_ip_addr *addr)
{
    brisa_posix_netif *nif = ctx;
    if (addr == NULL || addr->family != BRISA_IP_V4)
        return BRISA_ERR_INVALID_ARG;
    int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
    if (fd < 0) {
        snprintf(nif->error, sizeof nif->error, "ARP socket: %s", strerror(errno));
        return BRISA_ERR_IO;
    }
    struct sockaddr_ll me;
    memset(&me, 0, sizeof me);
    me.sll_family = AF_PACKET;
    me.sll_protocol = htons(ETH_P_ARP);
    me.sll_ifindex = nif->index;
    if (bind(fd, (struct sockaddr *)&me, sizeof me) != 0) {
        snprintf(nif->error, sizeof nif->error, "ARP bind on %s: %s", nif->name, strerror(errno));
        close(fd);
        return BRISA_ERR_IO;
    }
    uint32_t window = nif->probe_ms ? nif->probe_ms : 1000;
    uint64_t start = bri_posix_mono_ms(), second = start + window / 2, end = start + window;
    int sent = 0, result = 0;
    for (;;) {
        uint64_t t = bri_posix_mono_ms();
        if (sent < 2 && t >= (sent == 0 ? start : second)) {
            if (send_probe(fd, nif, addr) != 0) {
                snprintf(nif->error, sizeof nif->error, "ARP probe on %s: %s", nif->name,
                         strerror(errno));
                result = BRISA_ERR_IO;
                break;
            }
            sent++;
            continue;
        }
        if (t >= end)
            break;
        uint64_t until = sent < 2 ? second : end;
        struct pollfd pfd = { fd, POLLIN, 0 };
        int r = poll(&pfd, 1, (int)(until - t));
        if (r < 0 && errno != EINTR) {
            result = BRISA_ERR_IO;
            break;
        }
        if (r <= 0)
            continue;
        uint8_t buf[64];
        struct sockaddr_ll from = { 0 }; /* all zero if the kernel fills less */
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
        if (n > 0 && from.sll_pkttype != PACKET_OUTGOING && conflicts(buf, (size_t)n, nif, addr)) {
            result = 1;
            break;
        }
    }
    close(fd);
    return result;
}
