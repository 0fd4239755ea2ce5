// SPDX-License-Identifier: MIT
/* Tests for src/net/dns_codec.c: layouts from RFC 1035 section 4 and
 * RFC 3596, and malformed replies that must be rejected without reading
 * outside the message. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/dns.h"
#include "brisa/err.h"

/* A tiny message writer for building replies by hand. */
typedef struct msgb {
    uint8_t b[1024];
    size_t n;
} msgb;

static void u8(msgb *m, uint8_t v) { m->b[m->n++] = v; }
static void u16(msgb *m, uint16_t v) { u8(m, (uint8_t)(v >> 8)); u8(m, (uint8_t)v); }
static void u32(msgb *m, uint32_t v) { u16(m, (uint16_t)(v >> 16)); u16(m, (uint16_t)v); }
static void raw(msgb *m, const void *p, size_t n) { memcpy(m->b + m->n, p, n); m->n += n; }

/* Writes "a.b.c" as uncompressed labels plus the root. */
static void name(msgb *m, const char *text)
{
    brisa_dns_name n;
    assert_int_equal(brisa_dns_name_encode(text, &n), BRISA_OK);
    raw(m, n.wire, n.len);
}

static void header(msgb *m, uint16_t id, uint16_t flags, uint16_t qd, uint16_t an)
{
    m->n = 0;
    u16(m, id);
    u16(m, flags);
    u16(m, qd);
    u16(m, an);
    u16(m, 0);
    u16(m, 0);
}

static brisa_dns_question question(uint16_t id, const char *text, uint16_t qtype)
{
    brisa_dns_question q;
    q.id = id;
    q.qtype = qtype;
    assert_int_equal(brisa_dns_name_encode(text, &q.name), BRISA_OK);
    return q;
}

/* Header + echoed question for q; answers follow. */
static void reply_start(msgb *m, const brisa_dns_question *q, uint16_t flags, uint16_t an)
{
    header(m, q->id, flags, 1, an);
    raw(m, q->name.wire, q->name.len);
    u16(m, q->qtype);
    u16(m, BRISA_DNS_CLASS_IN);
}

static void rr_head(msgb *m, uint16_t type, uint32_t ttl, uint16_t rdlen)
{
    u16(m, type);
    u16(m, BRISA_DNS_CLASS_IN);
    u32(m, ttl);
    u16(m, rdlen);
}

static brisa_dns_addr addrs[8];
static brisa_dns_cname cnames[BRISA_DNS_CNAME_MAX];

static brisa_dns_result fresh_result(void)
{
    brisa_dns_result r;
    memset(&r, 0, sizeof r);
    r.addrs = addrs;
    r.addr_cap = 8;
    r.cnames = cnames;
    r.cname_cap = BRISA_DNS_CNAME_MAX;
    return r;
}

/* Parses m with an exact-size heap copy so ASan sees any overread. */
static int parse(const msgb *m, size_t len, const brisa_dns_question *q, brisa_dns_result *r)
{
    uint8_t *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, m->b, len);
    int rc = brisa_dns_reply_parse(copy, len, q, r);
    free(copy);
    return rc;
}

static const char *text(const brisa_dns_name *n)
{
    static char buf[BRISA_DNS_TEXT_MAX];
    assert_true(brisa_dns_name_to_text(n, buf, sizeof buf) >= 0);
    return buf;
}

static void test_query_layout(void **state)
{
    (void)state;
    brisa_dns_question q = question(0xbeef, "www.example.com", BRISA_DNS_TYPE_A);
    uint8_t buf[64];
    static const uint8_t want[] = {
        0xbe, 0xef, 0x01, 0x00, /* id, RD only */
        0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* QD=1 */
        3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
        0x00, 0x01, 0x00, 0x01 /* QTYPE A, QCLASS IN */
    };
    assert_int_equal(brisa_dns_query_build(&q, buf, sizeof buf), sizeof want);
    assert_memory_equal(buf, want, sizeof want);
    assert_int_equal(brisa_dns_query_build(&q, buf, sizeof want - 1), BRISA_ERR_NO_SPACE);

    q = question(1, "host.lab.", BRISA_DNS_TYPE_AAAA);
    int n = brisa_dns_query_build(&q, buf, sizeof buf);
    assert_int_equal(n, 12 + 10 + 4);
    assert_int_equal(buf[n - 3], 28); /* AAAA, RFC 3596 2.1 */
}

static void test_name_encode_limits(void **state)
{
    (void)state;
    brisa_dns_name n;
    char big[300];

    assert_int_equal(brisa_dns_name_encode(".", &n), BRISA_OK);
    assert_int_equal(n.len, 1);
    assert_int_equal(brisa_dns_name_encode("a.", &n), BRISA_OK);
    assert_int_equal(n.len, 3);
    assert_int_equal(brisa_dns_name_encode("", &n), BRISA_OK); /* root */
    assert_int_equal(brisa_dns_name_encode("a..b", &n), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_name_encode(".a", &n), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_name_encode("a..", &n), BRISA_ERR_INVALID_ARG);

    memset(big, 'x', 63);
    big[63] = '\0';
    assert_int_equal(brisa_dns_name_encode(big, &n), BRISA_OK);
    big[63] = 'x';
    big[64] = '\0';
    assert_int_equal(brisa_dns_name_encode(big, &n), BRISA_ERR_INVALID_ARG);

    /* 4 labels of 63 = 4*64 + 1 = 257 bytes: too long; 3*64 + 62 + 1 fits. */
    for (int i = 0; i < 4; i++) {
        memset(big + i * 64, 'y', 63);
        big[i * 64 + 63] = '.';
    }
    big[4 * 64 - 1] = '\0';
    assert_int_equal(brisa_dns_name_encode(big, &n), BRISA_ERR_INVALID_ARG);
    big[3 * 64 + 61] = '\0'; /* last label 61 bytes: 192 + 62 + 1 = 255 */
    assert_int_equal(brisa_dns_name_encode(big, &n), BRISA_OK);
    assert_int_equal(n.len, 255);
    big[3 * 64 + 61] = 'y';
    big[3 * 64 + 62] = '\0'; /* 62 bytes: 256 */
    assert_int_equal(brisa_dns_name_encode(big, &n), BRISA_ERR_INVALID_ARG);
}

/* RFC 1035 4.1.4: F.ISI.ARPA at 20, FOO.F.ISI.ARPA at 40 as FOO + pointer
 * to 20, ARPA at 64 as a pointer to 26, the root at 92. */
static void test_rfc1035_compression_example(void **state)
{
    (void)state;
    uint8_t msg[100];
    memset(msg, 0, sizeof msg);
    static const uint8_t f_isi_arpa[] = { 1, 'F', 3, 'I', 'S', 'I', 4, 'A', 'R', 'P', 'A', 0 };
    memcpy(msg + 20, f_isi_arpa, sizeof f_isi_arpa);
    static const uint8_t foo[] = { 3, 'F', 'O', 'O', 0xc0, 20 };
    memcpy(msg + 40, foo, sizeof foo);
    msg[64] = 0xc0;
    msg[65] = 26;
    msg[92] = 0;

    brisa_dns_name n;
    size_t off = 20;
    assert_int_equal(brisa_dns_name_read(msg, sizeof msg, &off, &n), BRISA_OK);
    assert_string_equal(text(&n), "F.ISI.ARPA");
    assert_int_equal(off, 32);

    off = 40;
    assert_int_equal(brisa_dns_name_read(msg, sizeof msg, &off, &n), BRISA_OK);
    assert_string_equal(text(&n), "FOO.F.ISI.ARPA");
    assert_int_equal(off, 46); /* resumes after the pointer, not after ARPA */

    off = 64;
    assert_int_equal(brisa_dns_name_read(msg, sizeof msg, &off, &n), BRISA_OK);
    assert_string_equal(text(&n), "ARPA");
    assert_int_equal(off, 66);

    off = 92;
    assert_int_equal(brisa_dns_name_read(msg, sizeof msg, &off, &n), BRISA_OK);
    assert_string_equal(text(&n), ".");
    assert_int_equal(n.len, 1);
    assert_int_equal(off, 93);
}

static void test_bad_names_rejected(void **state)
{
    (void)state;
    brisa_dns_name n;
    size_t off;

    uint8_t self[] = { 0, 0, 0xc0, 2 }; /* pointer to itself */
    off = 2;
    assert_int_equal(brisa_dns_name_read(self, sizeof self, &off, &n), BRISA_ERR_MALFORMED);

    uint8_t loop[] = { 0xc0, 2, 0xc0, 0 }; /* 2 -> 0 -> 2 ... */
    off = 2;
    assert_int_equal(brisa_dns_name_read(loop, sizeof loop, &off, &n), BRISA_ERR_MALFORMED);

    uint8_t forward[] = { 0xc0, 2, 1, 'a', 0 }; /* forward pointer */
    off = 0;
    assert_int_equal(brisa_dns_name_read(forward, sizeof forward, &off, &n), BRISA_ERR_MALFORMED);

    uint8_t past[] = { 1, 'a', 0, 0xc3, 0xff }; /* far past the packet */
    off = 3;
    assert_int_equal(brisa_dns_name_read(past, sizeof past, &off, &n), BRISA_ERR_MALFORMED);

    uint8_t half_ptr[] = { 0xc0 };
    off = 0;
    assert_int_equal(brisa_dns_name_read(half_ptr, sizeof half_ptr, &off, &n), BRISA_ERR_MALFORMED);

    uint8_t long_label[] = { 5, 'a', 'b' }; /* label runs past the end */
    off = 0;
    assert_int_equal(brisa_dns_name_read(long_label, sizeof long_label, &off, &n), BRISA_ERR_MALFORMED);

    uint8_t no_end[] = { 1, 'a' }; /* no root label */
    off = 0;
    assert_int_equal(brisa_dns_name_read(no_end, sizeof no_end, &off, &n), BRISA_ERR_MALFORMED);

    uint8_t ext[] = { 0x41, 'a', 0 }; /* 0x40: extended label type */
    off = 0;
    assert_int_equal(brisa_dns_name_read(ext, sizeof ext, &off, &n), BRISA_ERR_MALFORMED);

    /* 64-byte label: 0x40 is also the "extended" pattern, so it is caught. */
    uint8_t l64[66];
    memset(l64, 'a', sizeof l64);
    l64[0] = 64;
    l64[65] = 0;
    off = 0;
    assert_int_equal(brisa_dns_name_read(l64, sizeof l64, &off, &n), BRISA_ERR_MALFORMED);

    /* 4 uncompressed labels of 63 and a root = 257 bytes. */
    uint8_t big[300];
    size_t p = 0;
    for (int i = 0; i < 4; i++) {
        big[p++] = 63;
        memset(big + p, 'z', 63);
        p += 63;
    }
    big[p++] = 0;
    off = 0;
    assert_int_equal(brisa_dns_name_read(big, p, &off, &n), BRISA_ERR_MALFORMED);
}

static void test_name_growth_through_pointers(void **state)
{
    (void)state;
    /* name0 = 63 z's + root; name1 = 63 z's + ptr name0; name2 = 63 + ptr
     * name1; name3 = 63 + ptr name2 -> 4*64 + 1 = 257 bytes. */
    uint8_t m[300];
    size_t p = 0, at[4];
    for (int i = 0; i < 4; i++) {
        at[i] = p;
        m[p++] = 63;
        memset(m + p, 'z', 63);
        p += 63;
        if (i == 0) {
            m[p++] = 0;
        } else {
            m[p++] = (uint8_t)(0xc0 | at[i - 1] >> 8);
            m[p++] = (uint8_t)at[i - 1];
        }
    }
    brisa_dns_name n;
    size_t off = at[2];
    assert_int_equal(brisa_dns_name_read(m, p, &off, &n), BRISA_OK); /* 193 bytes */
    assert_int_equal(n.len, 193);
    off = at[3];
    assert_int_equal(brisa_dns_name_read(m, p, &off, &n), BRISA_ERR_MALFORMED);
}

static void test_name_text_escapes(void **state)
{
    (void)state;
    brisa_dns_name n;
    static const uint8_t w[] = { 3, 'a', '.', 'b', 2, '\\', 0x07, 0 };
    memcpy(n.wire, w, sizeof w);
    n.len = sizeof w;
    char buf[32];
    assert_int_equal(brisa_dns_name_to_text(&n, buf, sizeof buf), 11);
    assert_string_equal(buf, "a\\.b.\\\\\\007");
    assert_int_equal(brisa_dns_name_to_text(&n, buf, 11), BRISA_ERR_NO_SPACE);
    assert_int_equal(brisa_dns_name_to_text(&n, buf, 12), 11);
    brisa_dns_name a, b;
    brisa_dns_name_encode("WwW.Example.COM", &a);
    brisa_dns_name_encode("www.example.com.", &b);
    assert_true(brisa_dns_name_equal(&a, &b));
    brisa_dns_name_encode("www.example.co", &b);
    assert_false(brisa_dns_name_equal(&a, &b));
}

static void test_a_answer_with_compression(void **state)
{
    (void)state;
    brisa_dns_question q = question(0x1234, "host.lab", BRISA_DNS_TYPE_A);
    msgb m;
    reply_start(&m, &q, 0x8180, 2);
    u16(&m, 0xc00c); /* owner: pointer to the question name */
    rr_head(&m, BRISA_DNS_TYPE_A, 300, 4);
    raw(&m, "\x0a\x00\x00\x05", 4);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_A, 120, 4);
    raw(&m, "\x0a\x00\x00\x06", 4);

    brisa_dns_result r = fresh_result();
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_OK);
    assert_int_equal(r.addr_count, 2);
    assert_int_equal(r.addrs[0].ip.family, BRISA_IP_V4);
    assert_memory_equal(r.addrs[0].ip.bytes, "\x0a\x00\x00\x05", 4);
    assert_int_equal(r.addrs[0].ttl, 300);
    assert_int_equal(r.addrs[1].ttl, 120);
    assert_int_equal(r.ttl, 120);
    assert_int_equal(r.cname_count, 0);
    assert_false(r.truncated);

    /* Room for one: the other is counted, not stored. */
    r.addr_cap = 1;
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_OK);
    assert_int_equal(r.addr_count, 1);
    assert_int_equal(r.addr_total, 2);

    /* Every shorter prefix is rejected cleanly. */
    r.addr_cap = 8;
    for (size_t len = 0; len < m.n; len++)
        assert_true(parse(&m, len, &q, &r) < 0);
}

static void test_aaaa_answer(void **state)
{
    (void)state;
    brisa_dns_question q = question(7, "v6.lab", BRISA_DNS_TYPE_AAAA);
    msgb m;
    reply_start(&m, &q, 0x8580, 1);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_AAAA, 60, 16);
    raw(&m, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
    brisa_dns_result r = fresh_result();
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_OK);
    assert_int_equal(r.addr_count, 1);
    assert_int_equal(r.addrs[0].ip.family, BRISA_IP_V6);
    char s[BRISA_IP_STR_MAX];
    brisa_ip_format(&r.addrs[0].ip, s, sizeof s);
    assert_string_equal(s, "2001:db8::1");
}

static void test_cname_chain(void **state)
{
    (void)state;
    brisa_dns_question q = question(9, "www.lab", BRISA_DNS_TYPE_A);
    msgb m;
    reply_start(&m, &q, 0x8180, 3);
    /* Out of order on purpose: the A record, then the second link, then
     * the first. */
    size_t host_at = m.n;
    name(&m, "host.lab");
    rr_head(&m, BRISA_DNS_TYPE_A, 500, 4);
    raw(&m, "\xc0\x00\x02\x01", 4);
    name(&m, "mid.lab");
    rr_head(&m, BRISA_DNS_TYPE_CNAME, 200, 2);
    u16(&m, (uint16_t)(0xc000 | host_at));
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_CNAME, 900, 9);
    name(&m, "mid.lab");

    brisa_dns_result r = fresh_result();
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_OK);
    assert_int_equal(r.cname_count, 2);
    assert_string_equal(text(&r.cnames[0].target), "mid.lab");
    assert_int_equal(r.cnames[0].ttl, 900);
    assert_string_equal(text(&r.cnames[1].target), "host.lab");
    assert_int_equal(r.cnames[1].ttl, 200);
    assert_int_equal(r.addr_count, 1);
    assert_int_equal(r.addrs[0].ttl, 200); /* min of the chain */
    assert_int_equal(r.ttl, 200);

    /* Without storage for the chain it is still followed. */
    r.cnames = NULL;
    r.cname_cap = 0;
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_OK);
    assert_int_equal(r.cname_count, 2);
}

static void test_cname_loop_and_dangling(void **state)
{
    (void)state;
    brisa_dns_question q = question(9, "a.lab", BRISA_DNS_TYPE_A);
    msgb m;
    reply_start(&m, &q, 0x8180, 2);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_CNAME, 60, 7);
    size_t b_at = m.n;
    name(&m, "b.lab");
    u16(&m, (uint16_t)(0xc000 | b_at));
    rr_head(&m, BRISA_DNS_TYPE_CNAME, 60, 2);
    u16(&m, 0xc00c);
    brisa_dns_result r = fresh_result();
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_TOO_LARGE);

    /* A chain that ends without the record: the name has no address. */
    reply_start(&m, &q, 0x8180, 1);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_CNAME, 60, 7);
    name(&m, "b.lab");
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_DNS_NO_ANSWER);
    assert_int_equal(r.cname_count, 1);
}

static void test_rcodes_and_no_answer(void **state)
{
    (void)state;
    brisa_dns_question q = question(5, "nosuch.lab", BRISA_DNS_TYPE_A);
    msgb m;
    brisa_dns_result r = fresh_result();
    static const int codes[] = { BRISA_DNS_RCODE_NXDOMAIN, BRISA_DNS_RCODE_SERVFAIL,
                                 BRISA_DNS_RCODE_REFUSED, BRISA_DNS_RCODE_FORMERR };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        reply_start(&m, &q, (uint16_t)(0x8180 | codes[i]), 0);
        assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_DNS_RCODE);
        assert_int_equal(r.rcode, codes[i]);
    }
    assert_string_equal(brisa_dns_rcode_str(3), "NXDOMAIN");
    assert_string_equal(brisa_dns_rcode_str(2), "SERVFAIL");
    assert_string_equal(brisa_dns_rcode_str(5), "REFUSED");

    reply_start(&m, &q, 0x8180, 0);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_DNS_NO_ANSWER);
    assert_int_equal(r.rcode, 0);

    /* Records of another type only (an AAAA when A was asked). */
    reply_start(&m, &q, 0x8180, 1);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_AAAA, 60, 16);
    raw(&m, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_DNS_NO_ANSWER);
}

/* An SOA record for @p zone in the authority section; @p extra bytes of
 * junk after its five numbers make the rdata too long. */
static void soa(msgb *m, const char *zone, uint32_t ttl, uint32_t minimum, uint16_t extra)
{
    brisa_dns_name mname, rname;
    assert_int_equal(brisa_dns_name_encode("ns.lab", &mname), BRISA_OK);
    assert_int_equal(brisa_dns_name_encode("admin.lab", &rname), BRISA_OK);
    name(m, zone);
    rr_head(m, BRISA_DNS_TYPE_SOA, ttl, (uint16_t)(mname.len + rname.len + 20u + extra));
    raw(m, mname.wire, mname.len);
    raw(m, rname.wire, rname.len);
    u32(m, 2026112301); /* serial */
    u32(m, 3600);       /* refresh */
    u32(m, 600);        /* retry */
    u32(m, 86400);      /* expire */
    u32(m, minimum);
    for (uint16_t i = 0; i < extra; i++)
        u8(m, 0);
}

static void set_nscount(msgb *m, uint16_t n)
{
    m->b[8] = (uint8_t)(n >> 8);
    m->b[9] = (uint8_t)n;
}

/* RFC 2308: a denial carries the zone's SOA, and may be cached for the
 * smaller of its TTL and its MINIMUM; without a fitting SOA, not at all. */
static void test_denial_ttl_from_soa(void **state)
{
    (void)state;
    brisa_dns_question q = question(9, "nosuch.lab", BRISA_DNS_TYPE_A);
    msgb m;
    brisa_dns_result r = fresh_result();

    reply_start(&m, &q, 0x8183, 0); /* NXDOMAIN */
    set_nscount(&m, 1);
    soa(&m, "lab", 600, 300, 0);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_DNS_RCODE);
    assert_int_equal(r.rcode, BRISA_DNS_RCODE_NXDOMAIN);
    assert_int_equal(r.negative_ttl, 300);

    reply_start(&m, &q, 0x8183, 0);
    set_nscount(&m, 1);
    soa(&m, "lab", 120, 300, 0);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_DNS_RCODE);
    assert_int_equal(r.negative_ttl, 120);

    /* The root zone holds every name. */
    reply_start(&m, &q, 0x8183, 0);
    set_nscount(&m, 1);
    soa(&m, ".", 900, 900, 0);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_DNS_RCODE);
    assert_int_equal(r.negative_ttl, 900);

    /* NOERROR without the record (NODATA). */
    reply_start(&m, &q, 0x8180, 0);
    set_nscount(&m, 1);
    soa(&m, "LAB", 600, 60, 0);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_DNS_NO_ANSWER);
    assert_int_equal(r.negative_ttl, 60);

    /* Through an alias: the denial is kept no longer than the alias. */
    brisa_dns_question aq = question(11, "alias.lab", BRISA_DNS_TYPE_A);
    reply_start(&m, &aq, 0x8180, 1);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_CNAME, 30, 8);
    name(&m, "v6.lab");
    set_nscount(&m, 1);
    soa(&m, "lab", 3600, 3600, 0);
    assert_int_equal(parse(&m, m.n, &aq, &r), BRISA_ERR_DNS_NO_ANSWER);
    assert_int_equal(r.negative_ttl, 30);
    reply_start(&m, &aq, 0x8183, 1);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_CNAME, 45, 8);
    name(&m, "v6.lab");
    set_nscount(&m, 1);
    soa(&m, "lab", 3600, 3600, 0);
    assert_int_equal(parse(&m, m.n, &aq, &r), BRISA_ERR_DNS_RCODE);
    assert_int_equal(r.negative_ttl, 45);

    /* Not cacheable: no SOA, another zone's SOA, a name only ending like
     * the zone, an SOA whose rdata is too long, one cut short by the end
     * of the message. */
    reply_start(&m, &q, 0x8183, 0);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_DNS_RCODE);
    assert_int_equal(r.negative_ttl, 0);
    reply_start(&m, &q, 0x8183, 0);
    set_nscount(&m, 1);
    soa(&m, "other.test", 600, 300, 0);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_DNS_RCODE);
    assert_int_equal(r.negative_ttl, 0);
    reply_start(&m, &q, 0x8183, 0);
    set_nscount(&m, 1);
    soa(&m, "such.lab", 600, 300, 0);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_DNS_RCODE);
    assert_int_equal(r.negative_ttl, 0);
    reply_start(&m, &q, 0x8183, 0);
    set_nscount(&m, 1);
    soa(&m, "lab", 600, 300, 1);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_DNS_RCODE);
    assert_int_equal(r.negative_ttl, 0);
    reply_start(&m, &q, 0x8183, 0);
    set_nscount(&m, 1);
    soa(&m, "lab", 600, 300, 0);
    assert_int_equal(parse(&m, m.n - 3, &q, &r), BRISA_ERR_DNS_RCODE);
    assert_int_equal(r.negative_ttl, 0);

    /* A record of the asked type that is no address (MX) is an answer. */
    brisa_dns_question mx = question(10, "mail.lab", 15);
    reply_start(&m, &mx, 0x8180, 1);
    u16(&m, 0xc00c);
    rr_head(&m, 15, 60, 4);
    u16(&m, 10);
    u16(&m, 0xc00c);
    set_nscount(&m, 1);
    soa(&m, "lab", 600, 300, 0);
    assert_int_equal(parse(&m, m.n, &mx, &r), BRISA_ERR_DNS_NO_ANSWER);
    assert_int_equal(r.negative_ttl, 0);
}

static void test_not_our_reply(void **state)
{
    (void)state;
    brisa_dns_question q = question(0x4242, "host.lab", BRISA_DNS_TYPE_A);
    brisa_dns_result r = fresh_result();
    msgb m;

    reply_start(&m, &q, 0x8180, 0);
    m.b[1] ^= 1; /* other id */
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_PROTOCOL);

    reply_start(&m, &q, 0x0100, 0); /* QR clear: a query */
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_PROTOCOL);

    reply_start(&m, &q, 0x8180 | 0x0800, 0); /* opcode 1 */
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_PROTOCOL);

    brisa_dns_question other = question(0x4242, "host.lan", BRISA_DNS_TYPE_A);
    reply_start(&m, &other, 0x8180, 0);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_PROTOCOL);

    other = question(0x4242, "host.lab", BRISA_DNS_TYPE_AAAA);
    reply_start(&m, &other, 0x8180, 0);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_PROTOCOL);

    header(&m, 0x4242, 0x8180, 0, 0); /* no question */
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_PROTOCOL);

    /* Case differs: still our question (RFC 4343). */
    other = question(0x4242, "HoSt.LaB", BRISA_DNS_TYPE_A);
    reply_start(&m, &other, 0x8183, 0);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_DNS_RCODE);
}

static void test_malformed_records(void **state)
{
    (void)state;
    brisa_dns_question q = question(1, "h.lab", BRISA_DNS_TYPE_A);
    brisa_dns_result r = fresh_result();
    msgb m;

    /* A with rdlength 5. */
    reply_start(&m, &q, 0x8180, 1);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_A, 60, 5);
    raw(&m, "\x01\x02\x03\x04\x05", 5);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_MALFORMED);

    /* AAAA with rdlength 4 (in a reply to an AAAA question). */
    brisa_dns_question q6 = question(1, "h.lab", BRISA_DNS_TYPE_AAAA);
    reply_start(&m, &q6, 0x8180, 1);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_AAAA, 60, 4);
    raw(&m, "\x01\x02\x03\x04", 4);
    assert_int_equal(parse(&m, m.n, &q6, &r), BRISA_ERR_MALFORMED);

    /* rdlength past the end of the packet. */
    reply_start(&m, &q, 0x8180, 1);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_A, 60, 4);
    raw(&m, "\x01\x02", 2);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_MALFORMED);

    /* ANCOUNT says 2, one record present. */
    reply_start(&m, &q, 0x8180, 2);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_A, 60, 4);
    raw(&m, "\x01\x02\x03\x04", 4);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_MALFORMED);

    /* Truncated fixed part of a record. */
    reply_start(&m, &q, 0x8180, 1);
    u16(&m, 0xc00c);
    u16(&m, BRISA_DNS_TYPE_A);
    u16(&m, 1);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_MALFORMED);

    /* CNAME whose target runs past its rdlength. */
    reply_start(&m, &q, 0x8180, 1);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_CNAME, 60, 3);
    name(&m, "x.lab");
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_MALFORMED);

    /* CNAME target shorter than its rdlength. */
    reply_start(&m, &q, 0x8180, 1);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_CNAME, 60, 9);
    name(&m, "x.lab");
    u8(&m, 0);
    u8(&m, 0);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_MALFORMED);

    /* Owner pointing at itself. */
    reply_start(&m, &q, 0x8180, 1);
    u16(&m, (uint16_t)(0xc000 | m.n));
    rr_head(&m, BRISA_DNS_TYPE_A, 60, 4);
    raw(&m, "\x01\x02\x03\x04", 4);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_MALFORMED);

    /* Header alone, or less. */
    header(&m, 1, 0x8180, 1, 0);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_PROTOCOL);
    assert_int_equal(parse(&m, 5, &q, &r), BRISA_ERR_PROTOCOL);
}

static void test_tc_and_ttl_top_bit(void **state)
{
    (void)state;
    brisa_dns_question q = question(3, "big.lab", BRISA_DNS_TYPE_A);
    brisa_dns_result r = fresh_result();
    msgb m;
    reply_start(&m, &q, 0x8380, 0);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_ERR_DNS_NO_ANSWER);
    assert_true(r.truncated);

    reply_start(&m, &q, 0x8180, 1);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_A, 0x80000010u, 4);
    raw(&m, "\x01\x02\x03\x04", 4);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_OK);
    assert_false(r.truncated);
    assert_int_equal(r.addrs[0].ttl, 0);
}

static void test_other_class_ignored(void **state)
{
    (void)state;
    brisa_dns_question q = question(3, "h.lab", BRISA_DNS_TYPE_A);
    brisa_dns_result r = fresh_result();
    msgb m;
    reply_start(&m, &q, 0x8180, 2);
    u16(&m, 0xc00c);
    u16(&m, BRISA_DNS_TYPE_A);
    u16(&m, 3); /* CHAOS, with a nonsense length nobody checks */
    u32(&m, 60);
    u16(&m, 2);
    u16(&m, 0);
    u16(&m, 0xc00c);
    rr_head(&m, BRISA_DNS_TYPE_A, 60, 4);
    raw(&m, "\x01\x02\x03\x04", 4);
    assert_int_equal(parse(&m, m.n, &q, &r), BRISA_OK);
    assert_int_equal(r.addr_total, 1);
}

/* No buffers, the root name, and a name without labels refused. */
static void test_null_and_root(void **state)
{
    (void)state;
    brisa_dns_header h;
    brisa_dns_name n;
    brisa_dns_question q;
    brisa_dns_result res;
    uint8_t msg[64];
    char text[8];
    memset(&q, 0, sizeof q);
    memset(&res, 0, sizeof res);
    assert_int_equal(brisa_dns_header_parse(NULL, 12, &h), BRISA_ERR_MALFORMED);
    assert_int_equal(brisa_dns_name_encode(NULL, &n), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_name_encode("a.lab", NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_name_encode(".", &n), BRISA_OK);
    assert_int_equal(n.len, 1);
    assert_int_equal(n.wire[0], 0);
    assert_true(brisa_dns_name_to_text(&n, text, sizeof text) >= 0);
    assert_string_equal(text, ".");
    assert_int_equal(brisa_dns_name_encode("", &n), BRISA_OK); /* the root too */
    assert_int_equal(n.len, 1);
    assert_int_equal(brisa_dns_name_encode("x", &n), BRISA_OK);
    assert_int_equal(n.len, 3);
    /* Names not made by name_encode: a label running past the end, a
     * missing root byte. They print what is there. */
    brisa_dns_name cut = { .len = 3, .wire = { 5, 'a', 'b' } };
    assert_int_equal(brisa_dns_name_to_text(&cut, text, sizeof text), 2);
    assert_string_equal(text, "ab");
    brisa_dns_name open = { .len = 2, .wire = { 1, 'a' } };
    assert_int_equal(brisa_dns_name_to_text(&open, text, sizeof text), 1);
    assert_string_equal(text, "a");
    brisa_dns_name empty = { .len = 0 };
    assert_int_equal(brisa_dns_name_to_text(&empty, text, sizeof text), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_name_to_text(NULL, text, sizeof text), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_name_to_text(&n, NULL, 8), BRISA_ERR_INVALID_ARG);
    q.qtype = BRISA_DNS_TYPE_A;
    assert_int_equal(brisa_dns_query_build(&q, msg, sizeof msg), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_query_build(NULL, msg, sizeof msg), BRISA_ERR_INVALID_ARG);
    q.name = n;
    assert_int_equal(brisa_dns_query_build(&q, NULL, sizeof msg), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_reply_parse(NULL, 12, &q, &res), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_reply_parse(msg, 12, NULL, &res), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dns_reply_parse(msg, 12, &q, NULL), BRISA_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_layout),
        cmocka_unit_test(test_name_encode_limits),
        cmocka_unit_test(test_rfc1035_compression_example),
        cmocka_unit_test(test_bad_names_rejected),
        cmocka_unit_test(test_name_growth_through_pointers),
        cmocka_unit_test(test_name_text_escapes),
        cmocka_unit_test(test_a_answer_with_compression),
        cmocka_unit_test(test_aaaa_answer),
        cmocka_unit_test(test_cname_chain),
        cmocka_unit_test(test_cname_loop_and_dangling),
        cmocka_unit_test(test_rcodes_and_no_answer),
        cmocka_unit_test(test_denial_ttl_from_soa),
        cmocka_unit_test(test_not_our_reply),
        cmocka_unit_test(test_malformed_records),
        cmocka_unit_test(test_tc_and_ttl_top_bit),
        cmocka_unit_test(test_other_class_ignored),
        cmocka_unit_test(test_null_and_root),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
