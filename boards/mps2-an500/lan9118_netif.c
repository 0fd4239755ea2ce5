// SPDX-License-Identifier: MIT
/* LAN9118 <-> lwIP: whole frames through one bounce buffer (the FIFOs are
 * word registers, so a pbuf chain is copied out, not walked). */
#include "lan9118_netif.h"

#include <string.h>

#include "lan9118.h"
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "mps2.h"

#define FRAMES_PER_POLL 8  /* then let the application run */
#define LINK_CHECK_MS 500

static uint8_t frame[BRISA_LAN9118_MTU_FRAME];
static uint32_t no_pbuf;
static uint64_t next_link_check;

static err_t link_output(struct netif *netif, struct pbuf *p)
{
    (void)netif;
    if (p->tot_len > sizeof frame)
        return ERR_BUF;
    pbuf_copy_partial(p, frame, p->tot_len, 0);
    return bri_lan9118_send(frame, p->tot_len) == 0 ? ERR_OK : ERR_MEM;
}

err_t bri_lan9118_netif_init(struct netif *netif)
{
    uint8_t mac[6];
    if (bri_lan9118_init(mac) != 0)
        return ERR_IF;
    netif->name[0] = 'e';
    netif->name[1] = 'n';
    netif->hwaddr_len = 6;
    memcpy(netif->hwaddr, mac, 6);
    netif->mtu = 1500;
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    netif->output = etharp_output;
    netif->linkoutput = link_output;
    next_link_check = 0;
    return ERR_OK;
}

void bri_lan9118_netif_poll(struct netif *netif)
{
    uint64_t now = bri_mps2_ms();
    if (now >= next_link_check) {
        next_link_check = now + LINK_CHECK_MS;
        if (bri_lan9118_link_up())
            netif_set_link_up(netif);
        else
            netif_set_link_down(netif);
    }
    for (int i = 0; i < FRAMES_PER_POLL; i++) {
        int len = bri_lan9118_recv(frame, sizeof frame);
        if (len == 0)
            break;
        if (len < 0)
            continue; /* counted by the driver */
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
        if (!p) {
            no_pbuf++;
            continue;
        }
        pbuf_take(p, frame, (u16_t)len);
        if (netif->input(p, netif) != ERR_OK)
            pbuf_free(p);
    }
}

uint32_t bri_lan9118_netif_no_pbuf(void)
{
    return no_pbuf;
}
