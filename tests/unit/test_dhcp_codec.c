// SPDX-License-Identifier: MIT
/* Tests for src/net/dhcp_codec.c: byte layouts from RFC 2131 (236-byte
 * header, magic cookie 99.130.83.99) and RFC 2132 (TLV options), and
 * rejection of malformed replies. Every parse gets an exact-size heap copy
 * so that AddressSanitizer catches any read past the end. */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "brisa/dhcp.h"
#include "brisa/err.h"
#include "test_dhcp_server.h"

static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
static const uint8_t yi[4] = { 10, 0, 0, 150 };

static int parse_exact(const uint8_t *bytes, size_t len, uint8_t op, brisa_dhcp_msg *m)
{
    uint8_t *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    if (len)
        memcpy(copy, bytes, len);
    int rc = brisa_dhcp_parse(copy, len, op, m);
    free(copy);
    return rc;
}

static int parse_reply(const srv_pkt *p, brisa_dhcp_msg *m)
{
    return parse_exact(p->buf, p->len, BRISA_DHCP_BOOTREPLY, m);
}

static void assert_ip(const brisa_ip_addr *ip, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    brisa_ip_addr want = brisa_ip_v4(a, b, c, d);
    assert_true(brisa_ip_equal(ip, &want));
}

/* ------------------------------------------------------------------ build */

static void test_build_discover_layout(void **state)
{
    (void)state;
    static const uint8_t params[] = { 1, 3, 6, 15, 42 };
    static const uint8_t cid[7] = { 1, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
    brisa_dhcp_request r;
    memset(&r, 0, sizeof r);
    r.type = BRISA_DHCP_DISCOVER;
    r.xid = 0x3903f326;
    r.secs = 3;
    r.broadcast = true;
    r.chaddr = mac;
    r.hlen = 6;
    r.client_id = cid;
    r.client_id_len = sizeof cid;
    r.host_name = "brisa";
    r.params = params;
    r.params_len = sizeof params;
    r.max_size = 1500;
    uint8_t buf[600];
    memset(buf, 0xee, sizeof buf);
    int len = brisa_dhcp_build(&r, buf, sizeof buf);
    assert_int_equal(len, BRISA_DHCP_MIN_MSG_LEN); /* padded to 300 */

    static const uint8_t head[12] = { 1, 1, 6, 0, 0x39, 0x03, 0xf3, 0x26, 0, 3, 0x80, 0 };
    assert_memory_equal(buf, head, sizeof head);
    for (int i = 12; i < 28; i++) /* ciaddr yiaddr siaddr giaddr */
        assert_int_equal(buf[i], 0);
    assert_memory_equal(buf + 28, mac, 6);
    for (int i = 34; i < 236; i++) /* rest of chaddr, sname, file */
        assert_int_equal(buf[i], 0);
    static const uint8_t cookie[4] = { 0x63, 0x82, 0x53, 0x63 };
    assert_memory_equal(buf + 236, cookie, 4);

    static const uint8_t opts[] = {
        53, 1, 1,
        61, 7, 1, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30,
        12, 5, 'b', 'r', 'i', 's', 'a',
        57, 2, 0x05, 0xdc,
        55, 5, 1, 3, 6, 15, 42,
        255,
    };
    assert_memory_equal(buf + 240, opts, sizeof opts);
    for (size_t i = 240 + sizeof opts; i < 300; i++)
        assert_int_equal(buf[i], 0);
    assert_int_equal(buf[300], 0xee); /* nothing written past the length */
}

static void test_build_request_and_roundtrip(void **state)
{
    (void)state;
    static const uint8_t params[] = { 1, 3, 6, 42, 58, 59 };
    brisa_dhcp_request r;
    memset(&r, 0, sizeof r);
    r.type = BRISA_DHCP_REQUEST;
    r.xid = 0x01020304;
    r.chaddr = mac;
    r.hlen = 6;
    r.requested = brisa_ip_v4(10, 0, 0, 150);
    r.server_id = brisa_ip_v4(10, 0, 0, 1);
    r.params = params;
    r.params_len = sizeof params;
    r.max_size = 576;
    r.message = "hello";
    static const uint8_t cid[3] = { 0, 'i', 'd' };
    r.client_id = cid;
    r.client_id_len = 3;
    uint8_t buf[400];
    int len = brisa_dhcp_build(&r, buf, sizeof buf);
    assert_int_equal(len, 300);
    assert_int_equal(buf[10], 0); /* no broadcast flag */
    static const uint8_t o50[] = { 50, 4, 10, 0, 0, 150, 54, 4, 10, 0, 0, 1 };
    assert_memory_equal(buf + 240 + 3 + 5, o50, sizeof o50);

    brisa_dhcp_msg m;
    assert_int_equal(parse_exact(buf, (size_t)len, BRISA_DHCP_BOOTREQUEST, &m), BRISA_OK);
    assert_int_equal(m.op, BRISA_DHCP_BOOTREQUEST);
    assert_int_equal(m.type, BRISA_DHCP_REQUEST);
    assert_int_equal(m.xid, 0x01020304);
    assert_ip(&m.requested, 10, 0, 0, 150);
    assert_ip(&m.lease.server_id, 10, 0, 0, 1);
    assert_int_equal(m.max_size, 576);
    assert_int_equal(m.params_len, sizeof params);
    assert_memory_equal(m.params, params, sizeof params);
    assert_int_equal(m.message_len, 5);
    assert_int_equal(m.client_id_len, 3);
    assert_true(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_MESSAGE));
    assert_false(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_HOST_NAME));
    /* A request is not a reply. */
    assert_int_equal(parse_exact(buf, (size_t)len, BRISA_DHCP_BOOTREPLY, &m), BRISA_ERR_MALFORMED);
}

static void test_build_release_ciaddr(void **state)
{
    (void)state;
    brisa_dhcp_request r;
    memset(&r, 0, sizeof r);
    r.type = BRISA_DHCP_RELEASE;
    r.xid = 7;
    r.chaddr = mac;
    r.hlen = 6;
    r.ciaddr = brisa_ip_v4(10, 0, 0, 150);
    r.server_id = brisa_ip_v4(10, 0, 0, 1);
    uint8_t buf[300];
    assert_int_equal(brisa_dhcp_build(&r, buf, sizeof buf), 300);
    static const uint8_t ci[4] = { 10, 0, 0, 150 };
    assert_memory_equal(buf + 12, ci, 4);
    static const uint8_t opts[] = { 53, 1, 7, 54, 4, 10, 0, 0, 1, 255 };
    assert_memory_equal(buf + 240, opts, sizeof opts);
}

static void test_build_rejects(void **state)
{
    (void)state;
    brisa_dhcp_request r;
    memset(&r, 0, sizeof r);
    r.type = BRISA_DHCP_DISCOVER;
    r.chaddr = mac;
    r.hlen = 6;
    uint8_t buf[600];
    assert_int_equal(brisa_dhcp_build(&r, buf, 299), BRISA_ERR_NO_SPACE);
    assert_int_equal(brisa_dhcp_build(NULL, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    r.type = 0;
    assert_int_equal(brisa_dhcp_build(&r, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    r.type = 9;
    assert_int_equal(brisa_dhcp_build(&r, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    r.type = BRISA_DHCP_DISCOVER;
    r.hlen = 17;
    assert_int_equal(brisa_dhcp_build(&r, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    r.hlen = 6;
    r.host_name = "";
    assert_int_equal(brisa_dhcp_build(&r, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    r.host_name = NULL;
    r.max_size = 575;
    assert_int_equal(brisa_dhcp_build(&r, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    r.max_size = 0;
    static const uint8_t one[1] = { 1 };
    r.client_id = one;
    r.client_id_len = 1; /* RFC 2132 9.14: at least 2 */
    assert_int_equal(brisa_dhcp_build(&r, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    r.client_id = NULL;
    /* Options that do not fit the buffer. */
    char longname[256];
    memset(longname, 'a', 255);
    longname[255] = '\0';
    r.host_name = longname;
    assert_int_equal(brisa_dhcp_build(&r, buf, 400), BRISA_ERR_NO_SPACE);
    assert_true(brisa_dhcp_build(&r, buf, sizeof buf) > 300);
}

/* ------------------------------------------------------------------ parse */

static void test_parse_offer_all_options(void **state)
{
    (void)state;
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_OFFER, 0xdeadbeef, mac, yi);
    p.buf[10] = 0x80; /* broadcast flag echoed */
    srv_opt_ip(&p, 54, 10, 0, 0, 1);
    srv_opt_ip(&p, 1, 255, 255, 255, 0);
    static const uint8_t routers[8] = { 10, 0, 0, 1, 10, 0, 0, 254 };
    srv_opt(&p, 3, 8, routers);
    static const uint8_t dns[8] = { 10, 0, 0, 1, 9, 9, 9, 9 };
    srv_opt(&p, 6, 8, dns);
    srv_opt(&p, 12, 6, "device");
    srv_opt(&p, 15, 10, "brisa.test");
    srv_opt_ip(&p, 42, 10, 0, 0, 5);
    srv_opt32(&p, 51, 120);
    srv_opt32(&p, 58, 10);
    srv_opt32(&p, 59, 20);
    srv_opt(&p, 200, 3, "xyz"); /* unknown: skipped */
    srv_opt(&p, 0, 0, NULL);   /* a PAD byte and a zero... */
    p.len--;                    /* ...keep only the PAD */
    srv_end(&p);

    brisa_dhcp_msg m;
    assert_int_equal(parse_reply(&p, &m), BRISA_OK);
    assert_int_equal(m.op, BRISA_DHCP_BOOTREPLY);
    assert_int_equal(m.type, BRISA_DHCP_OFFER);
    assert_int_equal(m.xid, 0xdeadbeef);
    assert_int_equal(m.flags, BRISA_DHCP_FLAG_BROADCAST);
    assert_int_equal(m.hlen, 6);
    assert_memory_equal(m.chaddr, mac, 6);
    assert_ip(&m.yiaddr, 10, 0, 0, 150);
    const brisa_dhcp_lease *l = &m.lease;
    assert_ip(&l->address, 10, 0, 0, 150);
    assert_ip(&l->mask, 255, 255, 255, 0);
    assert_int_equal(l->prefix_len, 24);
    assert_ip(&l->router, 10, 0, 0, 1);
    assert_int_equal(l->dns_count, 2);
    assert_ip(&l->dns[0], 10, 0, 0, 1);
    assert_ip(&l->dns[1], 9, 9, 9, 9);
    assert_int_equal(l->ntp_count, 1);
    assert_ip(&l->ntp[0], 10, 0, 0, 5);
    assert_string_equal(l->host_name, "device");
    assert_string_equal(l->domain, "brisa.test");
    assert_int_equal(l->lease_s, 120);
    assert_int_equal(l->t1_s, 10);
    assert_int_equal(l->t2_s, 20);
    assert_ip(&l->server_id, 10, 0, 0, 1);
    assert_true(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_T1));
    assert_false(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_REQUESTED_IP));
}

static void test_parse_default_times(void **state)
{
    (void)state;
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
    srv_opt32(&p, 51, 3600);
    srv_end(&p);
    brisa_dhcp_msg m;
    assert_int_equal(parse_reply(&p, &m), BRISA_OK);
    assert_int_equal(m.lease.lease_s, 3600);
    assert_int_equal(m.lease.t1_s, 1800); /* RFC 2131 4.4.5: 0.5 */
    assert_int_equal(m.lease.t2_s, 3150); /* and 0.875 */
    assert_int_equal(m.lease.mask.family, BRISA_IP_NONE);
    assert_int_equal(m.lease.router.family, BRISA_IP_NONE);

    srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
    srv_opt32(&p, 51, BRISA_DHCP_INFINITE);
    srv_end(&p);
    assert_int_equal(parse_reply(&p, &m), BRISA_OK);
    assert_int_equal(m.lease.t1_s, BRISA_DHCP_INFINITE);
    assert_int_equal(m.lease.t2_s, BRISA_DHCP_INFINITE);
}

static void test_parse_lists_and_names(void **state)
{
    (void)state;
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
    static const uint8_t four[16] = { 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4 };
    srv_opt(&p, 42, 8, four);        /* split list (RFC 3396)... */
    srv_opt(&p, 42, 8, four + 8);    /* ...and more than we keep */
    srv_opt(&p, 15, 6, "brisa.");    /* split name */
    srv_opt(&p, 15, 5, "test\0");    /* with a trailing NUL */
    char host[BRISA_DHCP_NAME_MAX + 2];
    memset(host, 'h', sizeof host);
    srv_opt(&p, 12, sizeof host, host); /* too long: dropped */
    srv_end(&p);
    brisa_dhcp_msg m;
    assert_int_equal(parse_reply(&p, &m), BRISA_OK);
    assert_int_equal(m.lease.ntp_count, BRISA_DHCP_MAX_SERVERS);
    assert_ip(&m.lease.ntp[0], 1, 1, 1, 1);
    assert_ip(&m.lease.ntp[2], 3, 3, 3, 3);
    assert_string_equal(m.lease.domain, "brisa.test");
    assert_string_equal(m.lease.host_name, "");

    srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
    srv_opt(&p, 15, 4, "a\x1b[m"); /* control characters: dropped */
    srv_opt(&p, 12, BRISA_DHCP_NAME_MAX, host);
    srv_end(&p);
    assert_int_equal(parse_reply(&p, &m), BRISA_OK);
    assert_string_equal(m.lease.domain, "");
    assert_int_equal(strlen(m.lease.host_name), BRISA_DHCP_NAME_MAX);
}

/* Option 52: options continue in 'file' (1), 'sname' (2) or both (3). */
static void test_parse_overload(void **state)
{
    (void)state;
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_OFFER, 5, mac, yi);
    uint8_t both = 3;
    srv_opt(&p, 52, 1, &both);
    srv_end(&p);
    /* file (offset 108): server id and lease; sname (offset 44): router. */
    static const uint8_t file_opts[] = { 54, 4, 10, 0, 0, 1, 51, 4, 0, 0, 0, 60, 255 };
    memcpy(p.buf + 108, file_opts, sizeof file_opts);
    static const uint8_t sname_opts[] = { 0, 0, 3, 4, 10, 0, 0, 254, 255 };
    memcpy(p.buf + 44, sname_opts, sizeof sname_opts);
    brisa_dhcp_msg m;
    assert_int_equal(parse_reply(&p, &m), BRISA_OK);
    assert_int_equal(m.overload, 3);
    assert_ip(&m.lease.server_id, 10, 0, 0, 1);
    assert_int_equal(m.lease.lease_s, 60);
    assert_ip(&m.lease.router, 10, 0, 0, 254);

    /* Without option 52 those fields are not options. */
    srv_begin(&p, BRISA_DHCP_OFFER, 5, mac, yi);
    srv_end(&p);
    memcpy(p.buf + 108, file_opts, sizeof file_opts);
    assert_int_equal(parse_reply(&p, &m), BRISA_OK);
    assert_int_equal(m.lease.server_id.family, BRISA_IP_NONE);

    /* 'file' overloaded but without END inside its 128 bytes. */
    srv_begin(&p, BRISA_DHCP_OFFER, 5, mac, yi);
    uint8_t file_only = 1;
    srv_opt(&p, 52, 1, &file_only);
    srv_end(&p);
    memset(p.buf + 108, 0, 128);
    p.buf[108] = 250;
    p.buf[109] = 126; /* exactly fills the field, no room for END */
    assert_int_equal(parse_reply(&p, &m), BRISA_ERR_MALFORMED);
    p.buf[109] = 127; /* runs past the field */
    assert_int_equal(parse_reply(&p, &m), BRISA_ERR_MALFORMED);

    /* Option 52 inside an overloaded field, or with a bad value. */
    srv_begin(&p, BRISA_DHCP_OFFER, 5, mac, yi);
    srv_opt(&p, 52, 1, &file_only);
    srv_end(&p);
    static const uint8_t nested[] = { 52, 1, 2, 255 };
    memcpy(p.buf + 108, nested, sizeof nested);
    assert_int_equal(parse_reply(&p, &m), BRISA_ERR_MALFORMED);
    srv_begin(&p, BRISA_DHCP_OFFER, 5, mac, yi);
    uint8_t four = 4;
    srv_opt(&p, 52, 1, &four);
    srv_end(&p);
    assert_int_equal(parse_reply(&p, &m), BRISA_ERR_MALFORMED);
}

static void test_parse_ignores_after_end(void **state)
{
    (void)state;
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
    srv_end(&p);
    p.buf[260] = 0xff;
    p.buf[261] = 51; /* garbage after END is padding */
    brisa_dhcp_msg m;
    assert_int_equal(parse_reply(&p, &m), BRISA_OK);
    assert_false(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_LEASE_TIME));
    /* The shortest valid reply: header, cookie, type, END. */
    assert_int_equal(parse_exact(p.buf, 244, BRISA_DHCP_BOOTREPLY, &m), BRISA_OK);
}

static void expect_malformed(const srv_pkt *p, const char *what)
{
    brisa_dhcp_msg m;
    int rc = parse_reply(p, &m);
    if (rc != BRISA_ERR_MALFORMED)
        fail_msg("%s: expected BRISA_ERR_MALFORMED, got %d", what, rc);
    assert_int_equal(m.type, 0); /* nothing half-parsed left behind */
}

static void test_parse_rejects_header(void **state)
{
    (void)state;
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
    srv_end(&p);
    brisa_dhcp_msg m;
    for (size_t len = 0; len < 244; len++) /* truncated: header, cookie, options */
        assert_int_equal(parse_exact(p.buf, len, BRISA_DHCP_BOOTREPLY, &m), BRISA_ERR_MALFORMED);
    assert_int_equal(brisa_dhcp_parse(NULL, 10, 2, &m), BRISA_ERR_INVALID_ARG);

    srv_pkt bad = p;
    bad.buf[239] = 98;
    expect_malformed(&bad, "wrong magic cookie");
    bad = p;
    memset(bad.buf + 236, 0, 4);
    expect_malformed(&bad, "missing magic cookie");
    bad = p;
    bad.buf[0] = 1;
    expect_malformed(&bad, "op BOOTREQUEST");
    bad.buf[0] = 3;
    expect_malformed(&bad, "op 3");
    bad = p;
    bad.buf[2] = 17;
    expect_malformed(&bad, "hlen 17");
    bad.buf[2] = 16;
    assert_int_equal(parse_reply(&bad, &m), BRISA_OK);
}

static void test_parse_rejects_options(void **state)
{
    (void)state;
    srv_pkt p;

    srv_begin(&p, 0, 1, mac, yi);
    srv_opt32(&p, 51, 60);
    srv_end(&p);
    expect_malformed(&p, "no message type (BOOTP)");

    uint8_t nine = 9, zero = 0;
    srv_begin(&p, 0, 1, mac, yi);
    srv_opt(&p, 53, 1, &nine);
    srv_end(&p);
    expect_malformed(&p, "message type 9");
    srv_begin(&p, 0, 1, mac, yi);
    srv_opt(&p, 53, 1, &zero);
    srv_end(&p);
    expect_malformed(&p, "message type 0");

    srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
    uint8_t ack = BRISA_DHCP_ACK;
    srv_opt(&p, 53, 1, &ack);
    srv_end(&p);
    expect_malformed(&p, "repeated message type");

    srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
    srv_opt32(&p, 51, 60);
    p.len = 244 + 6; /* cut before END */
    expect_malformed(&p, "missing END");

    srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
    p.buf[p.len++] = 51;
    p.buf[p.len++] = 4;
    p.buf[p.len++] = 0;
    expect_malformed(&p, "option length past the packet");

    srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
    p.buf[p.len++] = 51; /* code with no length byte */
    expect_malformed(&p, "option without length");

    srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
    srv_opt_ip(&p, 1, 255, 0, 255, 0);
    srv_end(&p);
    expect_malformed(&p, "non-contiguous mask");

    srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
    srv_opt32(&p, 51, 60);
    srv_opt32(&p, 51, 90);
    srv_end(&p);
    expect_malformed(&p, "repeated lease time");

    static const uint8_t small[2] = { 0x02, 0x3f }; /* 575 */
    srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
    srv_opt(&p, 57, 2, small);
    srv_end(&p);
    expect_malformed(&p, "max message size < 576");
}

/* Every fixed-size option with every wrong length, and list options whose
 * length is not a multiple of 4. */
static void test_parse_rejects_bad_lengths(void **state)
{
    (void)state;
    static const struct { uint8_t code, want; } fixed[] = {
        { 1, 4 }, { 50, 4 }, { 51, 4 }, { 52, 1 }, { 53, 1 }, { 54, 4 },
        { 57, 2 }, { 58, 4 }, { 59, 4 },
    };
    static const uint8_t zeros[8] = { 0 };
    static const uint8_t ones[8] = { 2, 2, 2, 2, 2, 2, 2, 2 };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        for (uint8_t len = 0; len <= 8; len++) {
            if (len == fixed[i].want)
                continue;
            srv_pkt p;
            srv_begin(&p, fixed[i].code == 53 ? 0 : BRISA_DHCP_ACK, 1, mac, yi);
            srv_opt(&p, fixed[i].code, len, fixed[i].code == 53 ? ones : zeros);
            srv_end(&p);
            brisa_dhcp_msg m;
            int rc = parse_reply(&p, &m);
            if (rc != BRISA_ERR_MALFORMED)
                fail_msg("option %u with length %u: got %d", fixed[i].code, len, rc);
        }
    }
    static const uint8_t lists[] = { 3, 6, 42 };
    static const uint8_t bad_list_len[] = { 0, 3, 5, 7 };
    for (size_t i = 0; i < sizeof lists; i++) {
        for (size_t j = 0; j < sizeof bad_list_len; j++) {
            srv_pkt p;
            srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
            srv_opt(&p, lists[i], bad_list_len[j], ones);
            srv_end(&p);
            brisa_dhcp_msg m;
            int rc = parse_reply(&p, &m);
            if (rc != BRISA_ERR_MALFORMED)
                fail_msg("list option %u with length %u: got %d", lists[i], bad_list_len[j], rc);
        }
    }
    static const uint8_t varlen[][2] = { { 12, 0 }, { 15, 0 }, { 55, 0 }, { 56, 0 }, { 61, 1 } };
    for (size_t i = 0; i < sizeof varlen / sizeof varlen[0]; i++) {
        srv_pkt p;
        srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
        srv_opt(&p, varlen[i][0], varlen[i][1], ones);
        srv_end(&p);
        brisa_dhcp_msg m;
        int rc = parse_reply(&p, &m);
        if (rc != BRISA_ERR_MALFORMED)
            fail_msg("option %u with length %u: got %d", varlen[i][0], varlen[i][1], rc);
    }
}

/* Cutting a valid reply anywhere must never read past the cut. */
static void test_parse_every_truncation(void **state)
{
    (void)state;
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_ACK, 1, mac, yi);
    srv_lease_opts(&p, 120, 60, 100);
    srv_end(&p);
    size_t end = 240; /* walk the TLVs to the END byte */
    while (p.buf[end] != 255)
        end += p.buf[end] == 0 ? 1 : 2u + p.buf[end + 1];
    brisa_dhcp_msg m;
    for (size_t len = 0; len <= end; len++)
        assert_int_equal(parse_exact(p.buf, len, BRISA_DHCP_BOOTREPLY, &m), BRISA_ERR_MALFORMED);
    assert_int_equal(parse_exact(p.buf, end + 1, BRISA_DHCP_BOOTREPLY, &m), BRISA_OK);
}

static void test_mask_prefix(void **state)
{
    (void)state;
    for (uint8_t n = 0; n <= 32; n++) {
        brisa_ip_addr mask = brisa_dhcp_prefix_mask(n);
        assert_int_equal(brisa_dhcp_mask_prefix(&mask), n);
    }
    brisa_ip_addr m24 = brisa_dhcp_prefix_mask(24);
    assert_ip(&m24, 255, 255, 255, 0);
    brisa_ip_addr odd = brisa_ip_v4(255, 255, 0, 1);
    assert_int_equal(brisa_dhcp_mask_prefix(&odd), -1);
}

/* Every option of a full request, one buffer size at a time: each size
 * short of the whole message is refused, the exact size is taken. */
static void test_build_every_short_buffer(void **state)
{
    (void)state;
    static const uint8_t cid[] = { 1, 2, 0, 0x5e, 0x10, 0x20, 0x30 };
    static const uint8_t params[] = { 1, 3, 6, 15, 42 };
    char host[101], msg[101];
    memset(host, 'h', 100);
    host[100] = 0;
    memset(msg, 'm', 100);
    msg[100] = 0;
    brisa_dhcp_request r;
    memset(&r, 0, sizeof r);
    r.type = BRISA_DHCP_DECLINE;
    r.chaddr = mac;
    r.hlen = 6;
    r.client_id = cid;
    r.client_id_len = sizeof cid;
    r.requested = brisa_ip_v4(10, 0, 0, 150);
    r.server_id = brisa_ip_v4(10, 0, 0, 1);
    r.host_name = host;
    r.max_size = 1500;
    r.params = params;
    r.params_len = sizeof params;
    r.message = msg;
    uint8_t buf[700];
    int full = brisa_dhcp_build(&r, buf, sizeof buf);
    /* 240 + type 3 + id 9 + requested 6 + server 6 + host 102 + size 4
     * + params 7 + message 102 + END 1 */
    assert_int_equal(full, 240 + 3 + 9 + 6 + 6 + 102 + 4 + 7 + 102 + 1);
    for (size_t cap = 300; cap < (size_t)full; cap++)
        if (brisa_dhcp_build(&r, buf, cap) != BRISA_ERR_NO_SPACE)
            fail_msg("a %zu-byte buffer was enough for %d bytes", cap, full);
    assert_int_equal(brisa_dhcp_build(&r, buf, (size_t)full), full);
    brisa_dhcp_msg m;
    assert_int_equal(parse_exact(buf, (size_t)full, BRISA_DHCP_BOOTREQUEST, &m), BRISA_OK);
    assert_int_equal(m.message_len, 100);
    /* An empty message, params without a length, no hardware address. */
    r.message = "";
    assert_int_equal(brisa_dhcp_build(&r, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    r.message = NULL;
    r.params_len = 0;
    assert_int_equal(brisa_dhcp_build(&r, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    r.params_len = sizeof params;
    r.chaddr = NULL;
    assert_int_equal(brisa_dhcp_build(&r, buf, sizeof buf), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_build(&r, NULL, sizeof buf), BRISA_ERR_INVALID_ARG);
}

/* Peer input the parser must refuse or sanitise: overload values out of
 * range, a second message option, a name with bytes after its NUL, a
 * second router option (the first is kept), and no buffer at all. */
static void test_parse_more_rejects(void **state)
{
    (void)state;
    srv_pkt p;
    brisa_dhcp_msg m;
    static const uint8_t zero = 0, four = 4;
    srv_begin(&p, BRISA_DHCP_OFFER, 1, mac, yi);
    srv_opt(&p, 52, 1, &zero);
    srv_end(&p);
    expect_malformed(&p, "overload 0");
    srv_begin(&p, BRISA_DHCP_OFFER, 1, mac, yi);
    srv_opt(&p, 52, 1, &four);
    srv_end(&p);
    expect_malformed(&p, "overload 4");
    srv_begin(&p, BRISA_DHCP_NAK, 1, mac, yi);
    srv_opt(&p, 56, 2, "no");
    srv_opt(&p, 56, 2, "no");
    srv_end(&p);
    expect_malformed(&p, "two messages");

    srv_begin(&p, BRISA_DHCP_OFFER, 1, mac, yi);
    srv_opt(&p, 12, 6, "ab\0cd"); /* text after the terminating NUL */
    srv_opt(&p, 15, 4, "lab\0");  /* a trailing NUL is fine */
    srv_opt_ip(&p, 3, 10, 0, 0, 1);
    srv_opt_ip(&p, 3, 10, 0, 0, 2);
    srv_end(&p);
    assert_int_equal(parse_reply(&p, &m), BRISA_OK);
    assert_string_equal(m.lease.host_name, "");
    assert_string_equal(m.lease.domain, "lab");
    assert_ip(&m.lease.router, 10, 0, 0, 1);
    assert_int_equal(brisa_dhcp_parse(NULL, 300, BRISA_DHCP_BOOTREPLY, &m), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_parse(p.buf, p.len, BRISA_DHCP_BOOTREPLY, NULL),
                     BRISA_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_discover_layout),
        cmocka_unit_test(test_build_request_and_roundtrip),
        cmocka_unit_test(test_build_release_ciaddr),
        cmocka_unit_test(test_build_rejects),
        cmocka_unit_test(test_parse_offer_all_options),
        cmocka_unit_test(test_parse_default_times),
        cmocka_unit_test(test_parse_lists_and_names),
        cmocka_unit_test(test_parse_overload),
        cmocka_unit_test(test_parse_ignores_after_end),
        cmocka_unit_test(test_parse_rejects_header),
        cmocka_unit_test(test_parse_rejects_options),
        cmocka_unit_test(test_parse_rejects_bad_lengths),
        cmocka_unit_test(test_parse_every_truncation),
        cmocka_unit_test(test_mask_prefix),
        cmocka_unit_test(test_build_every_short_buffer),
        cmocka_unit_test(test_parse_more_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
