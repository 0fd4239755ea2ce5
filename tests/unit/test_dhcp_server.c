// SPDX-License-Identifier: MIT
/* Test helper: DHCP server replies written byte by byte. */
#include "test_dhcp_server.h"

#include <string.h>

void srv_begin(srv_pkt *p, uint8_t type, uint32_t xid, const uint8_t mac[6],
               const uint8_t yiaddr[4])
{
    memset(p, 0, sizeof *p);
    p->buf[0] = 2; /* BOOTREPLY */
    p->buf[1] = 1; /* Ethernet */
    p->buf[2] = 6;
    p->buf[4] = (uint8_t)(xid >> 24);
    p->buf[5] = (uint8_t)(xid >> 16);
    p->buf[6] = (uint8_t)(xid >> 8);
    p->buf[7] = (uint8_t)xid;
    if (yiaddr)
        memcpy(p->buf + 16, yiaddr, 4);
    if (mac)
        memcpy(p->buf + 28, mac, 6);
    p->buf[236] = 99;
    p->buf[237] = 130;
    p->buf[238] = 83;
    p->buf[239] = 99;
    p->len = 240;
    if (type)
        srv_opt(p, 53, 1, &type);
}

void srv_opt(srv_pkt *p, uint8_t code, uint8_t len, const void *data)
{
    p->buf[p->len++] = code;
    p->buf[p->len++] = len;
    if (len)
        memcpy(p->buf + p->len, data, len);
    p->len += len;
}

void srv_opt_ip(srv_pkt *p, uint8_t code, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    uint8_t ip[4] = { a, b, c, d };
    srv_opt(p, code, 4, ip);
}

void srv_opt32(srv_pkt *p, uint8_t code, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    srv_opt(p, code, 4, b);
}

void srv_end(srv_pkt *p)
{
    p->buf[p->len++] = 255;
    if (p->len < 300)
        p->len = 300;
}

void srv_lease_opts(srv_pkt *p, uint32_t lease, uint32_t t1, uint32_t t2)
{
    static const uint8_t dns[8] = { 10, 0, 0, 1, 10, 0, 0, 2 };
    srv_opt_ip(p, 54, 10, 0, 0, 1);
    srv_opt_ip(p, 1, 255, 255, 255, 0);
    srv_opt_ip(p, 3, 10, 0, 0, 1);
    srv_opt(p, 6, sizeof dns, dns);
    srv_opt_ip(p, 42, 10, 0, 0, 5);
    srv_opt(p, 15, 10, "brisa.test");
    srv_opt32(p, 51, lease);
    if (t1)
        srv_opt32(p, 58, t1);
    if (t2)
        srv_opt32(p, 59, t2);
}
