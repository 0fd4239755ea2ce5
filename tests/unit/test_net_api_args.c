// SPDX-License-Identifier: MIT
/* The DHCP, DNS and SNTP clients' init functions refuse each unusable
 * argument with BRISA_ERR_INVALID_ARG, and fill in the documented defaults
 * for the fields left zero. */
#include "cmocka_all.h"

#include <string.h>

#include "brisa/dhcp.h"
#include "brisa/err.h"
#include "brisa/dns.h"
#include "brisa/sntp.h"

/* Stand-ins: init only checks that they are there, never calls them. */
static uint64_t mono(void *ctx) { (void)ctx; return 0; }
static int fill(void *ctx, uint8_t *buf, size_t len) { (void)ctx; memset(buf, 0, len); return 0; }
static int open_udp(void *ctx, uint8_t family, brisa_datagram *out)
{
    (void)ctx; (void)family; (void)out;
    return BRISA_ERR_IO;
}
static int send_to(void *ctx, const brisa_ip_addr *dst, uint16_t port, const uint8_t *buf,
                   size_t len)
{
    (void)ctx; (void)dst; (void)port; (void)buf; (void)len;
    return BRISA_ERR_IO;
}
static int recv_from(void *ctx, brisa_ip_addr *src, uint16_t *port, uint8_t *buf, size_t cap,
                     uint32_t timeout_ms)
{
    (void)ctx; (void)src; (void)port; (void)buf; (void)cap; (void)timeout_ms;
    return BRISA_ERR_TIMEOUT;
}

static const brisa_clock clock_ok = { NULL, mono, NULL };
static const brisa_rng rng_ok = { NULL, fill };

static void test_dns_init(void **state)
{
    (void)state;
    static brisa_dns_server servers[1];
    static uint8_t buf[BRISA_DNS_UDP_MAX];
    static brisa_dns_cache_entry cache[2];
    static brisa_dns_resolver r;
    const brisa_dns_config good = {
        .servers = servers, .server_count = 1, .udp = { NULL, open_udp },
        .clock = clock_ok, .rng = rng_ok, .buf = buf, .buf_size = sizeof buf,
        .cache = cache, .cache_count = 2,
    };
    brisa_dns_config bad[9];
    for (size_t i = 0; i < 9; i++)
        bad[i] = good;
    bad[0].servers = NULL;
    bad[1].server_count = 0;
    bad[2].server_count = BRISA_DNS_MAX_SERVERS + 1;
    bad[3].udp.open = NULL;
    bad[4].clock.monotonic_ms = NULL;
    bad[5].rng.fill = NULL;
    bad[6].buf = NULL;
    bad[7].buf_size = BRISA_DNS_UDP_MAX - 1;
    bad[8].cache = NULL;
    for (size_t i = 0; i < 9; i++)
        assert_int_equal(brisa_dns_init(&r, &bad[i]), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_init(NULL, &good), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_init(&r, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_init(&r, &good), BRISA_OK);
    brisa_dns_config no_cache = good;
    no_cache.cache = NULL;
    no_cache.cache_count = 0;
    assert_int_equal(brisa_dns_init(&r, &no_cache), BRISA_OK);
}

static void test_sntp_init(void **state)
{
    (void)state;
    static brisa_sntp_server servers[1];
    static brisa_sntp_client c;
    const brisa_sntp_config good = {
        .servers = servers, .server_count = 1, .udp = { NULL, open_udp },
        .clock = clock_ok, .rng = rng_ok,
    };
    brisa_sntp_config bad[5];
    for (size_t i = 0; i < 5; i++)
        bad[i] = good;
    bad[0].servers = NULL;
    bad[1].server_count = 0;
    bad[2].udp.open = NULL;
    bad[3].clock.monotonic_ms = NULL;
    bad[4].rng.fill = NULL;
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(brisa_sntp_init(&c, &bad[i]), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_sntp_init(NULL, &good), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_sntp_init(&c, NULL), BRISA_ERR_INVALID_ARG);
    /* Zero means the documented default. */
    assert_int_equal(brisa_sntp_init(&c, &good), BRISA_OK);
    assert_int_equal(c.cfg.timeout_ms, 1000);
    assert_int_equal(c.cfg.attempts, 3);
    assert_int_equal(c.cfg.samples, 4);
    assert_int_equal(c.cfg.rate_hold_ms, 64000);
    brisa_sntp_config set = good;
    set.timeout_ms = 5;
    set.attempts = 1;
    set.samples = 2;
    set.rate_hold_ms = 7;
    assert_int_equal(brisa_sntp_init(&c, &set), BRISA_OK);
    assert_int_equal(c.cfg.timeout_ms, 5);
    assert_int_equal(c.cfg.rate_hold_ms, 7);
}

static void test_dhcp_init(void **state)
{
    (void)state;
    static brisa_dhcp_client c;
    static uint8_t buf[BRISA_DHCP_MIN_BUFFER];
    const brisa_dhcp_config cfg = { .mac = { 2, 0, 0, 0, 0, 1 } };
    const brisa_datagram dg = { NULL, send_to, recv_from, NULL };
    brisa_datagram no_send = dg, no_recv = dg;
    no_send.send_to = NULL;
    no_recv.recv_from = NULL;
    brisa_clock no_mono = clock_ok;
    no_mono.monotonic_ms = NULL;
    brisa_rng no_fill = rng_ok;
    no_fill.fill = NULL;
    static const uint8_t short_id[1] = { 1 };
    brisa_dhcp_config bad_id = cfg;
    bad_id.client_id = short_id;
    bad_id.client_id_len = 1;
    const brisa_clock *clk = &clock_ok;
    const brisa_rng *rng = &rng_ok;
    assert_int_equal(brisa_dhcp_init(NULL, &cfg, &dg, clk, rng, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_init(&c, NULL, &dg, clk, rng, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_init(&c, &cfg, NULL, clk, rng, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_init(&c, &cfg, &dg, NULL, rng, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_init(&c, &cfg, &dg, clk, NULL, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_init(&c, &cfg, &dg, clk, rng, NULL, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_init(&c, &cfg, &dg, clk, rng, buf, sizeof buf - 1),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_init(&c, &cfg, &no_send, clk, rng, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_init(&c, &cfg, &no_recv, clk, rng, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_init(&c, &cfg, &dg, &no_mono, rng, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_init(&c, &cfg, &dg, clk, &no_fill, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_init(&c, &bad_id, &dg, clk, rng, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    /* The default client id is hardware type 1 and the MAC. */
    assert_int_equal(brisa_dhcp_init(&c, &cfg, &dg, clk, rng, buf, sizeof buf), BRISA_OK);
    assert_int_equal(c.cfg.client_id_len, 7);
    assert_int_equal(c.cfg.client_id[0], 1);
    assert_memory_equal(c.cfg.client_id + 1, cfg.mac, 6);
    /* A retransmission cap below the first wait is raised to it. */
    brisa_dhcp_config capped = cfg;
    capped.retry_base_ms = 8000;
    capped.retry_max_ms = 100;
    assert_int_equal(brisa_dhcp_init(&c, &capped, &dg, clk, rng, buf, sizeof buf), BRISA_OK);
    assert_int_equal(c.cfg.retry_max_ms, 8000);
}

/* Every record type and RCODE has its name; others a generic one. */
static void test_dns_names(void **state)
{
    (void)state;
    static const struct { int v; const char *name; } types[] = {
        { BRISA_DNS_TYPE_A, "A" }, { BRISA_DNS_TYPE_NS, "NS" }, { BRISA_DNS_TYPE_CNAME, "CNAME" },
        { BRISA_DNS_TYPE_SOA, "SOA" }, { BRISA_DNS_TYPE_PTR, "PTR" }, { BRISA_DNS_TYPE_MX, "MX" },
        { BRISA_DNS_TYPE_TXT, "TXT" }, { BRISA_DNS_TYPE_AAAA, "AAAA" }, { 99, "TYPE" },
    };
    static const struct { int v; const char *name; } rcodes[] = {
        { BRISA_DNS_RCODE_NOERROR, "NOERROR" }, { BRISA_DNS_RCODE_FORMERR, "FORMERR" },
        { BRISA_DNS_RCODE_SERVFAIL, "SERVFAIL" }, { BRISA_DNS_RCODE_NXDOMAIN, "NXDOMAIN" },
        { BRISA_DNS_RCODE_NOTIMP, "NOTIMP" }, { BRISA_DNS_RCODE_REFUSED, "REFUSED" },
        { 9, "RCODE" },
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        assert_string_equal(brisa_dns_type_str(types[i].v), types[i].name);
    for (size_t i = 0; i < sizeof rcodes / sizeof rcodes[0]; i++)
        assert_string_equal(brisa_dns_rcode_str(rcodes[i].v), rcodes[i].name);
}

/* Names back to text: escapes, the root, and every buffer too small. */
static void test_dns_name_to_text(void **state)
{
    (void)state;
    brisa_dns_name n;
    char buf[32];
    assert_int_equal(brisa_dns_name_encode(".", &n), BRISA_OK);
    assert_int_equal(brisa_dns_name_to_text(&n, buf, sizeof buf), 1);
    assert_string_equal(buf, ".");
    assert_int_equal(brisa_dns_name_to_text(&n, buf, 1), BRISA_ERR_NO_SPACE);
    assert_int_equal(brisa_dns_name_to_text(NULL, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_name_to_text(&n, NULL, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_name_encode(NULL, &n), BRISA_ERR_INVALID_ARG);
    /* A label holding a dot and a space: "a\.b\032c.lab" */
    static const uint8_t wire[] = { 5, 'a', '.', 'b', ' ', 'c', 3, 'l', 'a', 'b', 0 };
    n.len = sizeof wire;
    memcpy(n.wire, wire, sizeof wire);
    assert_int_equal(brisa_dns_name_to_text(&n, buf, sizeof buf), 13);
    assert_string_equal(buf, "a\\.b\\032c.lab");
    for (size_t cap = 0; cap < 14; cap++)
        assert_int_equal(brisa_dns_name_to_text(&n, buf, cap), BRISA_ERR_NO_SPACE);
    brisa_dns_header h;
    assert_int_equal(brisa_dns_header_parse(wire, 5, &h), BRISA_ERR_MALFORMED);
}

/* A client that never started: what needs a lease is refused. */
static void test_dhcp_without_lease(void **state)
{
    (void)state;
    static brisa_dhcp_client c;
    static uint8_t buf[BRISA_DHCP_MIN_BUFFER];
    const brisa_dhcp_config cfg = { .mac = { 2, 0, 0, 0, 0, 1 } };
    const brisa_datagram dg = { NULL, send_to, recv_from, NULL };
    assert_int_equal(brisa_dhcp_init(&c, &cfg, &dg, &clock_ok, &rng_ok, buf, sizeof buf), BRISA_OK);
    assert_int_equal(brisa_dhcp_get_state(&c), BRISA_DHCP_STOPPED);
    assert_int_equal(brisa_dhcp_renew(&c), BRISA_ERR_STATE);
    assert_int_equal(brisa_dhcp_release(&c), BRISA_ERR_STATE);
    assert_int_equal(brisa_dhcp_lease_remaining_ms(&c), 0);
    assert_string_equal(brisa_dhcp_nak_message(&c), "");
    assert_int_equal(brisa_dhcp_inform(&c, NULL), BRISA_ERR_INVALID_ARG);
    brisa_ip_addr none = { 0 };
    assert_int_equal(brisa_dhcp_inform(&c, &none), BRISA_ERR_INVALID_ARG);
    assert_string_equal(brisa_dhcp_state_name(BRISA_DHCP_STOPPED), "stopped");
    assert_string_equal(brisa_dhcp_state_name(-1), "unknown");
    assert_string_equal(brisa_dhcp_state_name(99), "unknown");
    assert_string_equal(brisa_dhcp_event_name(0), "none");
    assert_string_equal(brisa_dhcp_event_name(-1), "unknown");
    assert_string_equal(brisa_dhcp_event_name(99), "unknown");
}

/* SNTP: every verdict has its own words; the codec refuses NULLs. */
static void test_sntp_words_and_codec(void **state)
{
    (void)state;
    const char *seen[16];
    int n = 0;
    for (int v = BRISA_SNTP_VALID; v <= BRISA_SNTP_WRONG_SOURCE; v++) {
        const char *w = brisa_sntp_verdict_str(v);
        assert_string_not_equal(w, "unknown verdict");
        for (int i = 0; i < n; i++)
            assert_string_not_equal(w, seen[i]);
        seen[n++] = w;
    }
    assert_string_equal(brisa_sntp_verdict_str(-1), "unknown verdict");
    brisa_sntp_packet p;
    memset(&p, 0, sizeof p);
    uint8_t buf[BRISA_SNTP_PACKET_LEN];
    assert_int_equal(brisa_sntp_encode(NULL, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_sntp_encode(&p, NULL, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_sntp_encode(&p, buf, sizeof buf - 1), BRISA_ERR_NO_SPACE);
    assert_int_equal(brisa_sntp_decode(NULL, sizeof buf, &p), BRISA_ERR_MALFORMED);
    assert_int_equal(brisa_sntp_decode(buf, sizeof buf, NULL), BRISA_ERR_MALFORMED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dns_init),
        cmocka_unit_test(test_sntp_init),
        cmocka_unit_test(test_dhcp_init),
        cmocka_unit_test(test_dns_names),
        cmocka_unit_test(test_dns_name_to_text),
        cmocka_unit_test(test_dhcp_without_lease),
        cmocka_unit_test(test_sntp_words_and_codec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
