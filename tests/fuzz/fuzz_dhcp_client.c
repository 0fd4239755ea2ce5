// SPDX-License-Identifier: MIT
/* Fuzz target: the DHCP client state machine (src/net/dhcp.c) fed with
 * hostile replies. The input is a script of records:
 *   [len_hi len_lo flags advance_100ms] [len bytes of reply]
 * flags bit 0 patches the reply's xid and chaddr to the client's (so it
 * gets past the filters), bit 1 makes the ARP check say "in use", bit 2
 * calls renew(), bit 3 release(). The clock moves by advance * 100 ms and
 * timers run before each reply is delivered. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/dhcp.h"
#include "brisa/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t now_ms;
static uint32_t rng_state;
static int in_use;

static uint64_t fake_now(void *ctx)
{
    (void)ctx;
    return now_ms;
}

static int fake_fill(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        rng_state = rng_state * 1103515245u + 12345u;
        buf[i] = (uint8_t)(rng_state >> 16);
    }
    return BRISA_OK;
}

static int fake_send(void *ctx, const brisa_ip_addr *dst, uint16_t port, const uint8_t *buf,
                     size_t len)
{
    (void)ctx;
    (void)dst;
    brisa_dhcp_msg m;
    /* Whatever the client sends must be a well-formed request. */
    if (port != BRISA_DHCP_SERVER_PORT || len < BRISA_DHCP_MIN_MSG_LEN
        || brisa_dhcp_parse(buf, len, BRISA_DHCP_BOOTREQUEST, &m) != BRISA_OK)
        abort();
    return BRISA_OK;
}

static int fake_recv(void *ctx, brisa_ip_addr *src, uint16_t *port, uint8_t *buf, size_t cap,
                     uint32_t timeout_ms)
{
    (void)ctx;
    (void)src;
    (void)port;
    (void)buf;
    (void)cap;
    now_ms += timeout_ms;
    return BRISA_ERR_TIMEOUT;
}

static int fake_in_use(void *ctx, const brisa_ip_addr *addr)
{
    (void)ctx;
    (void)addr;
    return in_use;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const brisa_dhcp_lease fallback = {
        .address = { BRISA_IP_V4, { 192, 168, 1, 50 } }, .prefix_len = 24,
    };
    brisa_dhcp_config cfg;
    memset(&cfg, 0, sizeof cfg);
    static const uint8_t mac[6] = { 2, 0, 0x5e, 0, 0, 0x42 };
    memcpy(cfg.mac, mac, 6);
    cfg.attempts = 3;
    cfg.fallback = &fallback;
    cfg.address_in_use = fake_in_use;
    brisa_datagram dg = { NULL, fake_send, fake_recv, NULL };
    brisa_clock clk = { NULL, fake_now, NULL };
    brisa_rng rng = { NULL, fake_fill };
    static uint8_t buf[600];
    static uint8_t pkt[1024];
    brisa_dhcp_client c;
    now_ms = 1000;
    rng_state = 1;
    if (brisa_dhcp_init(&c, &cfg, &dg, &clk, &rng, buf, sizeof buf) != BRISA_OK)
        abort();
    brisa_dhcp_start(&c);
    brisa_dhcp_poll(&c);

    size_t i = 0;
    while (size - i >= 4) {
        size_t len = (size_t)data[i] << 8 | data[i + 1];
        uint8_t flags = data[i + 2];
        now_ms += (uint64_t)data[i + 3] * 100u;
        i += 4;
        if (len > size - i)
            len = size - i;
        if (len > sizeof pkt)
            len = sizeof pkt;
        memcpy(pkt, data + i, len);
        i += len;
        in_use = (flags & 2) != 0;
        if ((flags & 1) && len >= 34) {
            pkt[4] = (uint8_t)(c.xid >> 24);
            pkt[5] = (uint8_t)(c.xid >> 16);
            pkt[6] = (uint8_t)(c.xid >> 8);
            pkt[7] = (uint8_t)c.xid;
            memcpy(pkt + 28, mac, 6);
        }
        if (flags & 4)
            brisa_dhcp_renew(&c);
        if (flags & 8)
            brisa_dhcp_release(&c);
        int ev = brisa_dhcp_poll(&c);
        if (ev < 0 && ev != BRISA_ERR_DHCP_NO_LEASE)
            abort();
        ev = brisa_dhcp_input(&c, pkt, len);
        if (ev < 0 || ev > BRISA_DHCP_EVENT_INFORMED)
            abort();
        if (brisa_dhcp_get_state(&c) > BRISA_DHCP_STATIC)
            abort();
    }
    /* Whatever happened, the client still runs its timers sanely. */
    for (int k = 0; k < 8; k++)
        brisa_dhcp_step(&c, 3600u * 1000u);
    return 0;
}
