// SPDX-License-Identifier: MIT
/* Test helper: writes DHCP server replies byte by byte (RFC 2131 figure 1,
 * RFC 2132 TLV options), independently of the codec under test. */
#ifndef BRISA_TEST_DHCP_SERVER_H
#define BRISA_TEST_DHCP_SERVER_H

#include <stddef.h>
#include <stdint.h>

typedef struct srv_pkt {
    uint8_t buf[1024];
    size_t len;
} srv_pkt;

/* A BOOTREPLY header answering @p xid / @p mac, offering @p yiaddr, with
 * the magic cookie and option 53 = @p type (0: no option 53). */
void srv_begin(srv_pkt *p, uint8_t type, uint32_t xid, const uint8_t mac[6],
               const uint8_t yiaddr[4]);
/* Appends one option. */
void srv_opt(srv_pkt *p, uint8_t code, uint8_t len, const void *data);
void srv_opt_ip(srv_pkt *p, uint8_t code, uint8_t a, uint8_t b, uint8_t c, uint8_t d);
void srv_opt32(srv_pkt *p, uint8_t code, uint32_t v);
/* Appends END and pads with zeros to 300 bytes. */
void srv_end(srv_pkt *p);
/* The usual lease options of the tests' server 10.0.0.1. */
void srv_lease_opts(srv_pkt *p, uint32_t lease, uint32_t t1, uint32_t t2);

#endif
