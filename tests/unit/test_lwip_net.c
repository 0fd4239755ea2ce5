// SPDX-License-Identifier: MIT
/* Tests for src/port/lwip/udp.c and netif.c: brisa's datagrams over lwIP
 * raw UDP pcbs, and brisa's own DNS, SNTP and DHCP clients running over them,
 * against raw-API responders on the same stack across an in-memory
 * Ethernet wire (lwip_wire.c). DHCP starts with no address at all: the
 * DISCOVER leaves from 0.0.0.0, the OFFER comes back broadcast, the ACK
 * unicast to the address not yet configured. */
#define _POSIX_C_SOURCE 200809L
#include "cmocka_all.h"

#include <string.h>

#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"
#include "lwip_wire.h"
#include "test_dhcp_server.h"

#include "brisa/dhcp.h"
#include "brisa/dns.h"
#include "brisa/err.h"
#include "brisa/port/lwip_port.h"
#include "brisa/port/lwip_udp.h"
#include "brisa/sntp.h"

enum { PORT_ECHO = 9000, PORT_BURST = 9001, BURST = 6 };

/* ---- responders (raw API, on wire_srv) ------------------------------------- */

static struct {
    struct udp_pcb *echo, *burst, *dns, *dhcp, *ntp;
} srv;

/* What the DHCP server saw. */
static struct {
    int discovers, requests, releases;
    ip_addr_t discover_src;
    u16_t discover_port;
    ip_addr_t release_src;
} dhcp_seen;

static void reply(struct udp_pcb *pcb, const void *data, size_t len, const ip_addr_t *to,
                  u16_t port)
{
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
    assert_non_null(p);
    pbuf_take(p, data, (u16_t)len);
    assert_int_equal(udp_sendto(pcb, p, to, port), ERR_OK);
    pbuf_free(p);
}

/* Copies a received datagram out and frees it. */
static u16_t drain(struct pbuf *p, void *buf, u16_t cap)
{
    u16_t n = pbuf_copy_partial(p, buf, cap, 0);
    pbuf_free(p);
    return n;
}

static void echo_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                      u16_t port)
{
    (void)arg;
    uint8_t buf[1500];
    u16_t n = drain(p, buf, sizeof buf);
    if (pcb == srv.burst) {
        for (int i = 0; i < BURST; i++) {
            uint8_t b = (uint8_t)('a' + i);
            reply(pcb, &b, 1, addr, port);
        }
        return;
    }
    reply(pcb, buf, n, addr, port);
}

/* Answers every A query with 10.0.0.1, TTL 60. */
static void dns_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                     u16_t port)
{
    (void)arg;
    uint8_t q[512], a[600];
    u16_t n = drain(p, q, sizeof q);
    size_t end = 12; /* past the question's name */
    while (end < n && q[end] != 0)
        end += 1u + q[end];
    end += 1 + 4; /* root label, type, class */
    assert_true(end <= n);
    memcpy(a, q, end);
    a[2] = 0x81; /* response, recursion desired */
    a[3] = 0x80; /* recursion available, NOERROR */
    a[6] = 0;
    a[7] = 1; /* one answer */
    static const uint8_t rr[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1 };
    memcpy(a + end, rr, sizeof rr);
    reply(pcb, a, end + sizeof rr, addr, port);
}

/* The NTP server's clock: 2030-01-01T00:00:00Z, standing still. */
#define NTP_UNIX_MS INT64_C(1893456000000)

static void ntp_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                     u16_t port)
{
    (void)arg;
    uint8_t buf[64];
    u16_t n = drain(p, buf, sizeof buf);
    brisa_sntp_packet q, r;
    if (brisa_sntp_decode(buf, n, &q) != BRISA_OK)
        return;
    memset(&r, 0, sizeof r);
    r.version = 4;
    r.mode = BRISA_SNTP_MODE_SERVER;
    r.stratum = 2;
    r.precision = -20;
    memcpy(r.ref_id, "GPS\0", 4);
    r.origin_ts = q.transmit_ts;
    r.ref_ts = r.receive_ts = r.transmit_ts = brisa_ntp_from_unix_ms(NTP_UNIX_MS);
    assert_int_equal(brisa_sntp_encode(&r, buf, sizeof buf), BRISA_SNTP_PACKET_LEN);
    reply(pcb, buf, BRISA_SNTP_PACKET_LEN, addr, port);
}

static const uint8_t offered[4] = { 10, 0, 0, 50 };

static void dhcp_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                      u16_t port)
{
    (void)arg;
    uint8_t buf[600];
    u16_t n = drain(p, buf, sizeof buf);
    brisa_dhcp_msg m;
    assert_int_equal(brisa_dhcp_parse(buf, n, BRISA_DHCP_BOOTREQUEST, &m), BRISA_OK);
    srv_pkt r;
    ip_addr_t to;
    if (m.type == BRISA_DHCP_DISCOVER) {
        dhcp_seen.discovers++;
        ip_addr_copy(dhcp_seen.discover_src, *addr);
        dhcp_seen.discover_port = port;
        srv_begin(&r, BRISA_DHCP_OFFER, m.xid, m.chaddr, offered);
        srv_lease_opts(&r, 3600, 0, 0);
        srv_end(&r);
        /* The OFFER broadcast... */
        reply(pcb, r.buf, r.len, IP4_ADDR_BROADCAST, BRISA_DHCP_CLIENT_PORT);
    } else if (m.type == BRISA_DHCP_REQUEST) {
        dhcp_seen.requests++;
        srv_begin(&r, BRISA_DHCP_ACK, m.xid, m.chaddr, offered);
        srv_lease_opts(&r, 3600, 0, 0);
        srv_end(&r);
        /* ...the ACK unicast to the address the client does not have yet,
         * at its hardware address, as dnsmasq does. */
        IP4_ADDR(ip_2_ip4(&to), offered[0], offered[1], offered[2], offered[3]);
        struct eth_addr mac;
        memcpy(mac.addr, m.chaddr, 6);
        assert_int_equal(etharp_add_static_entry(ip_2_ip4(&to), &mac), ERR_OK);
        reply(pcb, r.buf, r.len, &to, BRISA_DHCP_CLIENT_PORT);
        etharp_remove_static_entry(ip_2_ip4(&to));
    } else if (m.type == BRISA_DHCP_RELEASE) {
        dhcp_seen.releases++;
        ip_addr_copy(dhcp_seen.release_src, *addr);
    }
}

static struct udp_pcb *responder(uint16_t port, udp_recv_fn fn)
{
    struct udp_pcb *pcb = udp_new_ip_type(IPADDR_TYPE_V4);
    assert_non_null(pcb);
    udp_bind_netif(pcb, &wire_srv);
    assert_int_equal(udp_bind(pcb, IP4_ADDR_ANY, port), ERR_OK);
    ip_set_option(pcb, SOF_BROADCAST);
    udp_recv(pcb, fn, NULL);
    return pcb;
}

static int setup(void **state)
{
    (void)state;
    wire_start();
    if (srv.echo == NULL) {
        srv.echo = responder(PORT_ECHO, echo_recv);
        srv.burst = responder(PORT_BURST, echo_recv);
        srv.dns = responder(BRISA_DNS_PORT, dns_recv);
        srv.dhcp = responder(BRISA_DHCP_SERVER_PORT, dhcp_recv);
        srv.ntp = responder(BRISA_SNTP_PORT, ntp_recv);
    }
    return 0;
}

static brisa_ip_addr srv_ip(void)
{
    return brisa_ip_v4(10, 0, 0, 1);
}

/* ---- datagrams -------------------------------------------------------------- */

static void test_opener_binds_random_ports(void **state)
{
    (void)state;
    brisa_lwip_udp_opener op;
    brisa_datagram_opener o = brisa_lwip_udp_opener_init(&op, &wire_dev);
    uint16_t ports[8];
    int distinct = 0;
    for (int i = 0; i < 8; i++) {
        brisa_datagram d;
        assert_int_equal(o.open(o.ctx, BRISA_IP_V4, &d), BRISA_OK);
        ports[i] = brisa_lwip_udp_port(&op.udp);
        assert_true(ports[i] >= 1024);
        d.close(d.ctx);
        d.close(d.ctx); /* twice is fine */
        assert_int_equal(brisa_lwip_udp_port(&op.udp), 0);
        bool seen = false;
        for (int k = 0; k < i; k++)
            seen = seen || ports[k] == ports[i];
        distinct += !seen;
    }
    assert_true(distinct >= 6); /* 8 draws from 64512 ports */
    brisa_datagram d;
    assert_int_equal(o.open(o.ctx, BRISA_IP_V6, &d), BRISA_ERR_INVALID_ARG);
}

static void test_send_receive_truncate_timeout(void **state)
{
    (void)state;
    brisa_lwip_udp u;
    brisa_lwip_udp_init(&u);
    assert_int_equal(brisa_lwip_udp_open(&u, &wire_dev, BRISA_IP_V4, NULL), BRISA_OK);
    assert_int_equal(brisa_lwip_udp_open(&u, &wire_dev, BRISA_IP_V4, NULL), BRISA_ERR_STATE);
    brisa_datagram d = brisa_lwip_udp_datagram(&u);
    brisa_ip_addr to = srv_ip();

    assert_int_equal(d.send_to(d.ctx, &to, PORT_ECHO, (const uint8_t *)"hello", 5), BRISA_OK);
    uint8_t buf[200];
    brisa_ip_addr src;
    uint16_t port = 0;
    assert_int_equal(d.recv_from(d.ctx, &src, &port, buf, sizeof buf, 2000), 5);
    assert_memory_equal(buf, "hello", 5);
    assert_true(brisa_ip_equal(&src, &to));
    assert_int_equal(port, PORT_ECHO);

    /* Longer than the buffer: its first bytes, and TOO_LARGE. */
    uint8_t big[100];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)i;
    assert_int_equal(d.send_to(d.ctx, &to, PORT_ECHO, big, sizeof big), BRISA_OK);
    assert_int_equal(d.recv_from(d.ctx, NULL, NULL, buf, 10, 2000), BRISA_ERR_TOO_LARGE);
    assert_memory_equal(buf, big, 10);

    uint64_t t0 = wire_ms();
    assert_int_equal(d.recv_from(d.ctx, NULL, NULL, buf, sizeof buf, 120), BRISA_ERR_TIMEOUT);
    assert_true(wire_ms() - t0 >= 120);
    assert_true(wire_ms() - t0 < 1000);

    /* Broadcast is refused unless asked for. */
    brisa_ip_addr bcast = brisa_ip_v4(255, 255, 255, 255);
    assert_int_equal(d.send_to(d.ctx, &bcast, PORT_ECHO, buf, 1), BRISA_ERR_IO);
    assert_non_null(strstr(brisa_lwip_udp_error(&u), "255.255.255.255 port 9000"));

    d.close(d.ctx);
    assert_int_equal(d.send_to(d.ctx, &to, PORT_ECHO, buf, 1), BRISA_ERR_STATE);
    assert_int_equal(d.recv_from(d.ctx, NULL, NULL, buf, 1, 0), BRISA_ERR_STATE);
}

static void test_a_flood_is_dropped_not_queued(void **state)
{
    (void)state;
    brisa_lwip_udp u;
    brisa_lwip_udp_init(&u);
    assert_int_equal(brisa_lwip_udp_open(&u, &wire_dev, BRISA_IP_V4, NULL), BRISA_OK);
    brisa_datagram d = brisa_lwip_udp_datagram(&u);
    brisa_ip_addr to = srv_ip();
    assert_int_equal(d.send_to(d.ctx, &to, PORT_BURST, (const uint8_t *)"go", 2), BRISA_OK);
    wire_run(100); /* the whole burst arrives while nobody reads */
    uint8_t b;
    for (int i = 0; i < BRISA_LWIP_UDP_QUEUE; i++) {
        assert_int_equal(d.recv_from(d.ctx, NULL, NULL, &b, 1, 100), 1);
        assert_int_equal(b, 'a' + i); /* oldest first */
    }
    assert_int_equal(d.recv_from(d.ctx, NULL, NULL, &b, 1, 50), BRISA_ERR_TIMEOUT);
    assert_int_equal(brisa_lwip_udp_dropped(&u), BURST - BRISA_LWIP_UDP_QUEUE);
    /* Closing with datagrams queued frees them (lwIP would run out of
     * pbufs otherwise; the next tests would see it). */
    assert_int_equal(d.send_to(d.ctx, &to, PORT_BURST, (const uint8_t *)"go", 2), BRISA_OK);
    wire_run(50);
    d.close(d.ctx);
}

/* ---- brisa's DNS and DHCP clients over the port ---------------------------- */

static void test_dns_resolver_over_the_port(void **state)
{
    (void)state;
    brisa_dhcp_lease lease;
    memset(&lease, 0, sizeof lease);
    lease.dns[0] = srv_ip();
    lease.dns[1] = brisa_ip_v4(0, 0, 0, 0);
    lease.dns[1].family = BRISA_IP_NONE; /* absent entries are skipped */
    lease.dns_count = 2;
    brisa_dns_server servers[3];
    assert_int_equal(brisa_lwip_dns_servers(&lease, servers, 3), 1);
    assert_int_equal(servers[0].port, 53);
    assert_int_equal(brisa_lwip_dns_servers(&lease, servers, 0), 0);

    brisa_lwip_udp_opener op;
    brisa_lwip_tcp tcp;
    brisa_lwip_tcp_init(&tcp, &wire_dev);
    static uint8_t buf[512];
    brisa_dns_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.servers = servers;
    cfg.server_count = 1;
    cfg.udp = brisa_lwip_udp_opener_init(&op, &wire_dev);
    cfg.tcp = brisa_lwip_dns_tcp_opener(&tcp);
    cfg.clock = brisa_lwip_clock();
    cfg.rng = brisa_lwip_rng();
    cfg.buf = buf;
    cfg.buf_size = sizeof buf;
    cfg.timeout_ms = 1000;
    brisa_dns_resolver r;
    assert_int_equal(brisa_dns_init(&r, &cfg), BRISA_OK);
    brisa_dns_addr addrs[2];
    brisa_dns_result res;
    memset(&res, 0, sizeof res);
    res.addrs = addrs;
    res.addr_cap = 2;
    assert_int_equal(brisa_dns_resolve(&r, "broker.lan", BRISA_DNS_TYPE_A, &res, 3000), BRISA_OK);
    assert_int_equal(res.addr_count, 1);
    brisa_ip_addr want = srv_ip();
    assert_true(brisa_ip_equal(&addrs[0].ip, &want));
    assert_int_equal(addrs[0].ttl, 60);
}

static void test_sntp_sets_the_softclock(void **state)
{
    (void)state;
    brisa_softclock sc;
    brisa_clock mono = brisa_lwip_clock();
    brisa_softclock_init(&sc, &mono);
    brisa_clock clock = brisa_softclock_clock(&sc);
    int64_t ms;
    assert_false(clock.wall_ms(clock.ctx, &ms)); /* no date before NTP */

    brisa_sntp_server server;
    memset(&server, 0, sizeof server);
    server.addr = srv_ip();
    brisa_lwip_udp_opener op;
    brisa_sntp_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.servers = &server;
    cfg.server_count = 1;
    cfg.udp = brisa_lwip_udp_opener_init(&op, &wire_dev);
    cfg.clock = clock;
    cfg.rng = brisa_lwip_rng();
    cfg.softclock = &sc;
    cfg.samples = 2;
    brisa_sntp_client c;
    brisa_sntp_result res;
    assert_int_equal(brisa_sntp_init(&c, &cfg), BRISA_OK);
    assert_int_equal(brisa_sntp_sync(&c, &res), BRISA_OK);
    assert_int_equal(res.samples, 2);
    assert_int_equal(res.stratum, 2);
    assert_true(clock.wall_ms(clock.ctx, &ms));
    /* The server's time, give or take the round trip over the wire. */
    assert_true(ms >= NTP_UNIX_MS - 1000 && ms <= NTP_UNIX_MS + 1000);
}

static void test_dhcp_from_no_address_then_release(void **state)
{
    (void)state;
    brisa_lwip_clear_address(&wire_dev);
    assert_true(ip4_addr_isany_val(*netif_ip4_addr(&wire_dev)));
    memset(&dhcp_seen, 0, sizeof dhcp_seen);

    brisa_lwip_udp ep;
    brisa_datagram dg;
    assert_int_equal(brisa_lwip_dhcp_open(&ep, &wire_dev, &dg), BRISA_OK);
    assert_int_equal(brisa_lwip_udp_port(&ep), BRISA_DHCP_CLIENT_PORT);
    brisa_dhcp_config cfg;
    memset(&cfg, 0, sizeof cfg);
    assert_int_equal(brisa_lwip_netif_mac(&wire_dev, cfg.mac), BRISA_OK);
    cfg.retry_base_ms = 500;
    brisa_lwip_arp_probe probe = { &wire_dev, 200 }; /* nobody has 10.0.0.50 */
    cfg.address_in_use = brisa_lwip_address_in_use;
    cfg.address_in_use_ctx = &probe;
    brisa_clock clock = brisa_lwip_clock();
    brisa_rng rng = brisa_lwip_rng();
    static uint8_t buf[BRISA_DHCP_MIN_BUFFER];
    brisa_dhcp_client c;
    assert_int_equal(brisa_dhcp_init(&c, &cfg, &dg, &clock, &rng, buf, sizeof buf), BRISA_OK);
    assert_int_equal(brisa_dhcp_obtain(&c, 5000), BRISA_DHCP_EVENT_BOUND);
    assert_int_equal(dhcp_seen.discovers, 1);
    assert_int_equal(dhcp_seen.requests, 1);
    assert_true(ip4_addr_isany_val(*ip_2_ip4(&dhcp_seen.discover_src)));
    assert_int_equal(dhcp_seen.discover_port, BRISA_DHCP_CLIENT_PORT);

    const brisa_dhcp_lease *lease = brisa_dhcp_get_lease(&c);
    assert_int_equal(brisa_lwip_apply_lease(&wire_dev, lease), BRISA_OK);
    ip4_addr_t want;
    IP4_ADDR(&want, 10, 0, 0, 50);
    assert_true(ip4_addr_cmp(netif_ip4_addr(&wire_dev), &want));
    IP4_ADDR(&want, 255, 255, 255, 0);
    assert_true(ip4_addr_cmp(netif_ip4_netmask(&wire_dev), &want));
    IP4_ADDR(&want, 10, 0, 0, 1);
    assert_true(ip4_addr_cmp(netif_ip4_gw(&wire_dev), &want));

    /* The new address works: an echo through the opener comes back. */
    brisa_lwip_udp_opener op;
    brisa_datagram_opener o = brisa_lwip_udp_opener_init(&op, &wire_dev);
    brisa_datagram d;
    assert_int_equal(o.open(o.ctx, BRISA_IP_V4, &d), BRISA_OK);
    brisa_ip_addr to = srv_ip();
    assert_int_equal(d.send_to(d.ctx, &to, PORT_ECHO, (const uint8_t *)"hi", 2), BRISA_OK);
    uint8_t b[4];
    assert_int_equal(d.recv_from(d.ctx, NULL, NULL, b, sizeof b, 2000), 2);
    d.close(d.ctx);

    /* RELEASE goes unicast from the leased address. */
    assert_int_equal(brisa_dhcp_release(&c), BRISA_OK);
    uint64_t until = wire_ms() + 100;
    while (wire_ms() < until && dhcp_seen.releases == 0)
        brisa_lwip_wait(5);
    assert_int_equal(dhcp_seen.releases, 1);
    IP4_ADDR(&want, 10, 0, 0, 50);
    assert_true(ip4_addr_cmp(ip_2_ip4(&dhcp_seen.release_src), &want));
    dg.close(dg.ctx);
    brisa_lwip_clear_address(&wire_dev);
    assert_true(ip4_addr_isany_val(*netif_ip4_addr(&wire_dev)));
}

static void test_arp_probe_of_an_offered_address(void **state)
{
    (void)state;
    brisa_lwip_clear_address(&wire_dev); /* as before a lease is applied */
    brisa_lwip_arp_probe probe = { &wire_dev, 3000 };
    brisa_ip_addr taken = srv_ip(), free_ip = brisa_ip_v4(10, 0, 0, 77);
    uint64_t t0 = wire_ms();
    assert_int_equal(brisa_lwip_address_in_use(&probe, &taken), 1);
    assert_true(wire_ms() - t0 < 3000); /* the answer ends the wait */
    probe.probe_ms = 300;
    t0 = wire_ms();
    assert_int_equal(brisa_lwip_address_in_use(&probe, &free_ip), 0);
    assert_true(wire_ms() - t0 >= 300);
    brisa_ip_addr v6;
    memset(&v6, 0, sizeof v6);
    v6.family = BRISA_IP_V6;
    assert_int_equal(brisa_lwip_address_in_use(&probe, &v6), BRISA_ERR_INVALID_ARG);
    brisa_lwip_arp_probe none = { NULL, 0 };
    assert_int_equal(brisa_lwip_address_in_use(&none, &taken), BRISA_ERR_INVALID_ARG);
}

static void test_lease_checks(void **state)
{
    (void)state;
    brisa_dhcp_lease lease;
    memset(&lease, 0, sizeof lease);
    assert_int_equal(brisa_lwip_apply_lease(&wire_dev, &lease), BRISA_ERR_INVALID_ARG);
    lease.address = brisa_ip_v4(10, 0, 0, 3);
    lease.prefix_len = 33;
    assert_int_equal(brisa_lwip_apply_lease(&wire_dev, &lease), BRISA_ERR_INVALID_ARG);
    lease.mask = brisa_ip_v4(255, 255, 0, 0); /* an explicit mask wins */
    assert_int_equal(brisa_lwip_apply_lease(&wire_dev, &lease), BRISA_OK);
    ip4_addr_t want;
    IP4_ADDR(&want, 255, 255, 0, 0);
    assert_true(ip4_addr_cmp(netif_ip4_netmask(&wire_dev), &want));
    assert_true(ip4_addr_isany_val(*netif_ip4_gw(&wire_dev))); /* no router: no gateway */
    uint8_t mac[6];
    assert_int_equal(brisa_lwip_netif_mac(&wire_dev, mac), BRISA_OK);
    assert_memory_equal(mac, wire_dev.hwaddr, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_opener_binds_random_ports, setup),
        cmocka_unit_test_setup(test_send_receive_truncate_timeout, setup),
        cmocka_unit_test_setup(test_a_flood_is_dropped_not_queued, setup),
        cmocka_unit_test_setup(test_dns_resolver_over_the_port, setup),
        cmocka_unit_test_setup(test_sntp_sets_the_softclock, setup),
        cmocka_unit_test_setup(test_dhcp_from_no_address_then_release, setup),
        cmocka_unit_test_setup(test_arp_probe_of_an_offered_address, setup),
        cmocka_unit_test_setup(test_lease_checks, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
