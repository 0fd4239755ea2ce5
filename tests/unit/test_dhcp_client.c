// SPDX-License-Identifier: MIT
/* Tests for src/net/dhcp.c: the client state machine against a scripted
 * datagram (replies queued by the test or by a tiny auto-answering server)
 * and a fake clock that only moves when the client waits. */
#include "cmocka_all.h"

#include <string.h>

#include "brisa/dhcp.h"
#include "brisa/err.h"
#include "test_dhcp_server.h"

#define MAX_SENT 64

typedef struct sent_pkt {
    brisa_ip_addr dst;
    uint16_t port;
    uint8_t data[700];
    size_t len;
    uint64_t at;
} sent_pkt;

static struct fake {
    uint64_t now;
    sent_pkt sent[MAX_SENT];
    int nsent;
    srv_pkt rx[8];
    int rx_head, rx_count;
    uint32_t rng_state;
    int in_use;          /* answers of the address_in_use hook, bit per call */
    int in_use_calls;
    bool auto_server;    /* answer DISCOVER/REQUEST/INFORM by itself */
    uint32_t lease, t1, t2;
    bool rng_fails;      /* the generator reports an error */
    int recv_err;        /* the next receive fails with this */
    int send_err;        /* every send fails with this */
} F;

static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x42 };
static const uint8_t offer_ip[4] = { 10, 0, 0, 150 };

/* ------------------------------------------------------------ the fakes */

static uint64_t fake_now(void *ctx)
{
    (void)ctx;
    return F.now;
}

static int fake_fill(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    if (F.rng_fails)
        return BRISA_ERR_IO;
    for (size_t i = 0; i < len; i++) {
        F.rng_state ^= F.rng_state << 13;
        F.rng_state ^= F.rng_state >> 17;
        F.rng_state ^= F.rng_state << 5;
        buf[i] = (uint8_t)F.rng_state;
    }
    return BRISA_OK;
}

static void queue(const srv_pkt *p)
{
    assert_true(F.rx_count < 8);
    F.rx[(F.rx_head + F.rx_count) % 8] = *p;
    F.rx_count++;
}

static void auto_answer(const uint8_t *buf, size_t len)
{
    brisa_dhcp_msg req;
    if (brisa_dhcp_parse(buf, len, BRISA_DHCP_BOOTREQUEST, &req) != BRISA_OK)
        return;
    srv_pkt p;
    switch (req.type) {
    case BRISA_DHCP_DISCOVER:
        srv_begin(&p, BRISA_DHCP_OFFER, req.xid, req.chaddr, offer_ip);
        srv_lease_opts(&p, F.lease, F.t1, F.t2);
        break;
    case BRISA_DHCP_REQUEST:
        srv_begin(&p, BRISA_DHCP_ACK, req.xid, req.chaddr, offer_ip);
        srv_lease_opts(&p, F.lease, F.t1, F.t2);
        break;
    case BRISA_DHCP_INFORM:
        srv_begin(&p, BRISA_DHCP_ACK, req.xid, req.chaddr, NULL);
        srv_opt_ip(&p, 54, 10, 0, 0, 1);
        srv_opt_ip(&p, 1, 255, 255, 255, 0);
        srv_opt_ip(&p, 6, 10, 0, 0, 1);
        break;
    default:
        return;
    }
    srv_end(&p);
    queue(&p);
}

static int fake_send(void *ctx, const brisa_ip_addr *dst, uint16_t port, const uint8_t *buf,
                     size_t len)
{
    (void)ctx;
    assert_true(F.nsent < MAX_SENT);
    assert_true(len <= sizeof F.sent[0].data);
    sent_pkt *s = &F.sent[F.nsent++];
    s->dst = *dst;
    s->port = port;
    memcpy(s->data, buf, len);
    s->len = len;
    s->at = F.now;
    if (F.send_err)
        return F.send_err;
    if (F.auto_server)
        auto_answer(buf, len);
    return BRISA_OK;
}

static int fake_recv(void *ctx, brisa_ip_addr *src, uint16_t *port, uint8_t *buf, size_t cap,
                     uint32_t timeout_ms)
{
    (void)ctx;
    (void)src;
    (void)port;
    if (F.recv_err) {
        int err = F.recv_err;
        F.recv_err = 0;
        return err;
    }
    if (F.rx_count == 0) {
        F.now += timeout_ms; /* nothing came: the whole wait passes */
        return BRISA_ERR_TIMEOUT;
    }
    srv_pkt *p = &F.rx[F.rx_head];
    F.rx_head = (F.rx_head + 1) % 8;
    F.rx_count--;
    size_t n = p->len < cap ? p->len : cap;
    memcpy(buf, p->buf, n);
    return (int)n;
}

static int fake_in_use(void *ctx, const brisa_ip_addr *addr)
{
    (void)ctx;
    assert_memory_equal(addr->bytes, offer_ip, 4);
    return (F.in_use >> F.in_use_calls++) & 1;
}

/* ---------------------------------------------------------------- helpers */

static brisa_dhcp_client C;
static uint8_t cbuf[576];
static brisa_dhcp_config cfg;

static void setup_client(void)
{
    brisa_datagram dg = { NULL, fake_send, fake_recv, NULL };
    brisa_clock clk = { NULL, fake_now, NULL };
    brisa_rng rng = { NULL, fake_fill };
    assert_int_equal(brisa_dhcp_init(&C, &cfg, &dg, &clk, &rng, cbuf, sizeof cbuf), BRISA_OK);
}

static int setup(void **state)
{
    (void)state;
    memset(&F, 0, sizeof F);
    F.now = 1000000;
    F.rng_state = 0x12345678;
    F.lease = 120;
    memset(&cfg, 0, sizeof cfg);
    memcpy(cfg.mac, mac, 6);
    cfg.host_name = "brisa-test";
    cfg.attempts = 3;
    setup_client();
    return 0;
}

/* Parses the @p i-th packet sent (negative: from the end). */
static const sent_pkt *sent(int i, brisa_dhcp_msg *m)
{
    if (i < 0)
        i += F.nsent;
    assert_true(i >= 0 && i < F.nsent);
    const sent_pkt *s = &F.sent[i];
    assert_int_equal(brisa_dhcp_parse(s->data, s->len, BRISA_DHCP_BOOTREQUEST, m), BRISA_OK);
    assert_int_equal(s->port, 67);
    return s;
}

static void assert_ip(const brisa_ip_addr *ip, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    brisa_ip_addr want = brisa_ip_v4(a, b, c, d);
    assert_true(brisa_ip_equal(ip, &want));
}

static void assert_broadcast(const sent_pkt *s)
{
    assert_ip(&s->dst, 255, 255, 255, 255);
}

static void queue_reply(uint8_t type, uint32_t xid, const uint8_t *chaddr)
{
    srv_pkt p;
    srv_begin(&p, type, xid, chaddr, offer_ip);
    srv_lease_opts(&p, F.lease, F.t1, F.t2);
    srv_end(&p);
    queue(&p);
}

/* Binds through the auto server; returns when the REQUEST was sent. */
static uint64_t bind_auto(uint32_t lease, uint32_t t1, uint32_t t2)
{
    F.auto_server = true;
    F.lease = lease;
    F.t1 = t1;
    F.t2 = t2;
    assert_int_equal(brisa_dhcp_obtain(&C, 0), BRISA_DHCP_EVENT_BOUND);
    F.auto_server = false;
    brisa_dhcp_msg m;
    const sent_pkt *s = sent(-1, &m);
    assert_int_equal(m.type, BRISA_DHCP_REQUEST);
    return s->at;
}

/* Steps until an event other than NONE (or @p max_steps). */
static int step_until_event(int max_steps)
{
    for (int i = 0; i < max_steps; i++) {
        int ev = brisa_dhcp_step(&C, 3600u * 1000u);
        if (ev != BRISA_DHCP_EVENT_NONE)
            return ev;
    }
    return BRISA_DHCP_EVENT_NONE;
}

/* ------------------------------------------------------------------ tests */

static void test_full_dora(void **state)
{
    (void)state;
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_STOPPED);
    assert_int_equal(brisa_dhcp_start(&C), BRISA_OK);
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_NONE);
    assert_int_equal(F.nsent, 1);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_SELECTING);

    brisa_dhcp_msg m;
    const sent_pkt *s = sent(0, &m);
    assert_broadcast(s);
    assert_int_equal(m.type, BRISA_DHCP_DISCOVER);
    assert_int_equal(m.flags, BRISA_DHCP_FLAG_BROADCAST);
    assert_memory_equal(m.chaddr, mac, 6);
    assert_int_equal(m.ciaddr.bytes[0], 0);
    assert_int_equal(m.client_id_len, 7);
    assert_int_equal(m.client_id[0], 1);
    assert_memory_equal(m.client_id + 1, mac, 6);
    assert_string_equal(m.lease.host_name, "brisa-test");
    assert_int_equal(m.max_size, 576 + 28);
    assert_non_null(memchr(m.params, BRISA_DHCP_OPT_NTP, m.params_len));
    assert_non_null(memchr(m.params, BRISA_DHCP_OPT_T1, m.params_len));
    assert_false(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_SERVER_ID));
    uint32_t xid = m.xid;

    queue_reply(BRISA_DHCP_OFFER, xid, mac);
    assert_int_equal(brisa_dhcp_step(&C, 1000), BRISA_DHCP_EVENT_NONE);
    assert_int_equal(F.nsent, 2);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_REQUESTING);
    s = sent(1, &m);
    assert_broadcast(s);
    assert_int_equal(m.type, BRISA_DHCP_REQUEST);
    assert_int_equal(m.xid, xid);
    assert_int_equal(m.flags, BRISA_DHCP_FLAG_BROADCAST);
    assert_ip(&m.requested, 10, 0, 0, 150);
    assert_ip(&m.lease.server_id, 10, 0, 0, 1);
    assert_int_equal(m.ciaddr.bytes[0], 0);

    queue_reply(BRISA_DHCP_ACK, xid, mac);
    assert_int_equal(brisa_dhcp_step(&C, 1000), BRISA_DHCP_EVENT_BOUND);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_BOUND);
    const brisa_dhcp_lease *l = brisa_dhcp_get_lease(&C);
    assert_int_equal(l->source, BRISA_DHCP_SOURCE_SERVER);
    assert_ip(&l->address, 10, 0, 0, 150);
    assert_ip(&l->mask, 255, 255, 255, 0);
    assert_int_equal(l->prefix_len, 24);
    assert_ip(&l->router, 10, 0, 0, 1);
    assert_int_equal(l->dns_count, 2);
    assert_ip(&l->dns[1], 10, 0, 0, 2);
    assert_int_equal(l->ntp_count, 1);
    assert_ip(&l->ntp[0], 10, 0, 0, 5);
    assert_string_equal(l->domain, "brisa.test");
    assert_int_equal(l->lease_s, 120);
    assert_int_equal(l->t1_s, 60);
    assert_int_equal(l->t2_s, 105);
    assert_ip(&l->server_id, 10, 0, 0, 1);
    assert_int_equal(brisa_dhcp_lease_remaining_ms(&C), 120000);
    assert_int_equal(brisa_dhcp_next_ms(&C), 60000);
    assert_int_equal(C.ignored, 0);
}

static void test_obtain_helper(void **state)
{
    (void)state;
    F.auto_server = true;
    assert_int_equal(brisa_dhcp_obtain(&C, 0), BRISA_DHCP_EVENT_BOUND);
    assert_int_equal(F.nsent, 2);
    assert_int_equal(F.now, 1000000); /* no waiting with an answering server */
    assert_int_equal(brisa_dhcp_obtain(&C, 0), BRISA_DHCP_EVENT_BOUND); /* already */
    assert_int_equal(F.nsent, 2);
}

static void test_nak_restarts_from_init(void **state)
{
    (void)state;
    brisa_dhcp_start(&C);
    brisa_dhcp_step(&C, 0);
    brisa_dhcp_msg m;
    sent(0, &m);
    uint32_t xid = m.xid;
    queue_reply(BRISA_DHCP_OFFER, xid, mac);
    brisa_dhcp_step(&C, 1000);

    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_NAK, xid, mac, NULL);
    srv_opt_ip(&p, 54, 10, 0, 0, 1);
    srv_opt(&p, 56, 13, "wrong network");
    srv_end(&p);
    queue(&p);
    assert_int_equal(brisa_dhcp_step(&C, 1000), BRISA_DHCP_EVENT_NAK);
    assert_string_equal(brisa_dhcp_nak_message(&C), "wrong network");
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_INIT);

    brisa_dhcp_step(&C, 0);
    assert_int_equal(F.nsent, 3);
    sent(2, &m);
    assert_int_equal(m.type, BRISA_DHCP_DISCOVER);
    assert_int_not_equal(m.xid, xid); /* a new transaction */
    F.auto_server = true;
    assert_int_equal(brisa_dhcp_obtain(&C, 0), BRISA_DHCP_EVENT_BOUND);
}

static void test_decline_when_in_use(void **state)
{
    (void)state;
    cfg.address_in_use = fake_in_use;
    cfg.decline_delay_ms = 10000;
    setup_client();
    F.in_use = 1; /* in use on the first check only */
    F.auto_server = true;
    brisa_dhcp_start(&C);
    assert_int_equal(step_until_event(5), BRISA_DHCP_EVENT_DECLINED);
    assert_int_equal(F.in_use_calls, 1);
    assert_int_equal(F.nsent, 3);
    brisa_dhcp_msg m;
    const sent_pkt *s = sent(2, &m);
    assert_broadcast(s);
    assert_int_equal(m.type, BRISA_DHCP_DECLINE);
    assert_ip(&m.requested, 10, 0, 0, 150);
    assert_ip(&m.lease.server_id, 10, 0, 0, 1);
    assert_int_equal(m.ciaddr.bytes[0], 0);
    assert_false(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_PARAMS));
    assert_false(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_LEASE_TIME));
    uint64_t declined_at = s->at;

    /* RFC 2131 3.1 step 5: wait before starting over. */
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_NONE);
    assert_int_equal(F.nsent, 3);
    assert_int_equal(step_until_event(5), BRISA_DHCP_EVENT_BOUND);
    s = sent(3, &m);
    assert_int_equal(m.type, BRISA_DHCP_DISCOVER);
    assert_int_equal(s->at - declined_at, 10000);
    assert_int_equal(F.in_use_calls, 2);
}

static void test_renew_at_t1(void **state)
{
    (void)state;
    uint64_t t0 = bind_auto(100, 50, 80);
    F.auto_server = true;
    assert_int_equal(step_until_event(5), BRISA_DHCP_EVENT_RENEWED);
    brisa_dhcp_msg m;
    const sent_pkt *s = sent(2, &m);
    assert_int_equal(s->at - t0, 50000);
    assert_ip(&s->dst, 10, 0, 0, 1); /* unicast to the server */
    assert_int_equal(m.type, BRISA_DHCP_REQUEST);
    assert_ip(&m.ciaddr, 10, 0, 0, 150);
    assert_int_equal(m.flags, 0);
    assert_false(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_REQUESTED_IP));
    assert_false(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_SERVER_ID));
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_BOUND);
    /* The new lease counts from the renewal. */
    assert_int_equal(brisa_dhcp_lease_remaining_ms(&C), 100000);
    assert_int_equal(brisa_dhcp_next_ms(&C), 50000);
}

static void test_rebind_at_t2(void **state)
{
    (void)state;
    cfg.renew_min_ms = 10000;
    setup_client();
    uint64_t t0 = bind_auto(100, 50, 80);
    /* Nobody answers the unicast renewals. */
    int first = F.nsent;
    while (brisa_dhcp_get_state(&C) != BRISA_DHCP_REBINDING)
        assert_int_equal(brisa_dhcp_step(&C, 3600000), BRISA_DHCP_EVENT_NONE);
    static const uint64_t at[] = { 50000, 65000, 75000, 80000 };
    assert_int_equal(F.nsent - first, 4);
    brisa_dhcp_msg m;
    for (int i = 0; i < 4; i++) {
        const sent_pkt *s = sent(first + i, &m);
        assert_int_equal(s->at - t0, at[i]);
        assert_int_equal(m.type, BRISA_DHCP_REQUEST);
        assert_ip(&m.ciaddr, 10, 0, 0, 150);
        if (i < 3)
            assert_ip(&s->dst, 10, 0, 0, 1);
        else
            assert_broadcast(s); /* REBINDING: any server */
        assert_false(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_SERVER_ID));
    }
    F.auto_server = true;
    assert_int_equal(step_until_event(5), BRISA_DHCP_EVENT_RENEWED);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_BOUND);
}

static void test_expiry_back_to_init(void **state)
{
    (void)state;
    cfg.renew_min_ms = 10000;
    setup_client();
    uint64_t t0 = bind_auto(100, 50, 80);
    assert_int_equal(step_until_event(50), BRISA_DHCP_EVENT_LOST);
    assert_int_equal(F.now - t0, 100000);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_INIT);
    assert_int_equal(brisa_dhcp_lease_remaining_ms(&C), 0);
    brisa_dhcp_msg m;
    const sent_pkt *s = sent(-1, &m);
    assert_broadcast(s); /* the last rebinding REQUEST... */
    assert_int_equal(m.type, BRISA_DHCP_REQUEST);
    brisa_dhcp_step(&C, 0);
    s = sent(-1, &m); /* ...then a fresh DISCOVER */
    assert_int_equal(m.type, BRISA_DHCP_DISCOVER);
    assert_int_equal(m.ciaddr.bytes[0], 0);
}

static void test_attempts_then_static_fallback(void **state)
{
    (void)state;
    brisa_dhcp_lease fb;
    memset(&fb, 0, sizeof fb);
    fb.address = brisa_ip_v4(192, 168, 1, 50);
    fb.prefix_len = 24;
    fb.router = brisa_ip_v4(192, 168, 1, 1);
    fb.dns[0] = brisa_ip_v4(192, 168, 1, 1);
    fb.dns_count = 1;
    cfg.fallback = &fb;
    setup_client();
    uint64_t t0 = F.now;
    assert_int_equal(brisa_dhcp_obtain(&C, 0), BRISA_DHCP_EVENT_FALLBACK);
    assert_int_equal(F.nsent, 3);
    /* RFC 2131 4.1: 4 s, 8 s, 16 s, each +-1 s. */
    brisa_dhcp_msg m;
    uint64_t prev = t0;
    static const uint64_t wait[] = { 0, 4000, 8000, 16000 };
    for (int i = 0; i <= 3; i++) {
        uint64_t at = i < 3 ? sent(i, &m)->at : F.now;
        if (i < 3)
            assert_int_equal(m.type, BRISA_DHCP_DISCOVER);
        uint64_t d = at - prev;
        if (i == 0)
            assert_int_equal(d, 0);
        else
            assert_true(d >= wait[i] - 1000 && d <= wait[i] + 1000);
        prev = at;
    }
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_STATIC);
    const brisa_dhcp_lease *l = brisa_dhcp_get_lease(&C);
    assert_int_equal(l->source, BRISA_DHCP_SOURCE_STATIC);
    assert_ip(&l->address, 192, 168, 1, 50);
    assert_ip(&l->mask, 255, 255, 255, 0);
    assert_ip(&l->router, 192, 168, 1, 1);
    assert_int_equal(l->lease_s, BRISA_DHCP_INFINITE);
    /* Nothing more is sent while static. */
    assert_int_equal(brisa_dhcp_step(&C, 600000), BRISA_DHCP_EVENT_NONE);
    assert_int_equal(F.nsent, 3);
}

static void test_attempts_without_fallback(void **state)
{
    (void)state;
    cfg.attempts = 2;
    cfg.retry_base_ms = 100; /* fast tests: base is configurable */
    setup_client();
    assert_int_equal(brisa_dhcp_obtain(&C, 0), BRISA_ERR_DHCP_NO_LEASE);
    assert_int_equal(F.nsent, 2);
    assert_true(F.now - 1000000 >= 75 + 175 && F.now - 1000000 <= 125 + 225);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_STOPPED);
    assert_int_equal(brisa_dhcp_obtain(&C, 50), BRISA_ERR_TIMEOUT);
}

static void test_backoff_doubles_to_cap(void **state)
{
    (void)state;
    cfg.attempts = 8;
    setup_client();
    assert_int_equal(brisa_dhcp_obtain(&C, 0), BRISA_ERR_DHCP_NO_LEASE);
    assert_int_equal(F.nsent, 8);
    static const uint64_t wait[] = { 4000, 8000, 16000, 32000, 64000, 64000, 64000 };
    for (int i = 1; i < 8; i++) {
        uint64_t d = F.sent[i].at - F.sent[i - 1].at;
        assert_true(d >= wait[i - 1] - 1000 && d <= wait[i - 1] + 1000);
    }
}

static void test_mismatched_replies_ignored(void **state)
{
    (void)state;
    brisa_dhcp_start(&C);
    brisa_dhcp_step(&C, 0);
    brisa_dhcp_msg m;
    sent(0, &m);
    uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x43 };
    queue_reply(BRISA_DHCP_OFFER, m.xid + 1, mac);  /* wrong xid */
    queue_reply(BRISA_DHCP_OFFER, m.xid, other);    /* wrong chaddr */
    queue_reply(BRISA_DHCP_ACK, m.xid, mac);        /* not an OFFER */
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_OFFER, m.xid, mac, offer_ip);
    srv_end(&p);
    queue(&p);                                      /* no server id */
    srv_begin(&p, BRISA_DHCP_OFFER, m.xid, mac, offer_ip);
    srv_lease_opts(&p, 60, 0, 0);
    p.buf[0] = 1;
    srv_end(&p);
    queue(&p);                                      /* a BOOTREQUEST */
    srv_begin(&p, BRISA_DHCP_OFFER, m.xid, mac, offer_ip);
    srv_lease_opts(&p, 60, 0, 0);
    p.len = 250;
    queue(&p);                                      /* truncated */
    for (int i = 0; i < 6; i++)
        assert_int_equal(brisa_dhcp_step(&C, 1000), BRISA_DHCP_EVENT_NONE);
    assert_int_equal(F.nsent, 1);
    assert_int_equal(C.ignored, 6);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_SELECTING);
    queue_reply(BRISA_DHCP_OFFER, m.xid, mac);
    brisa_dhcp_step(&C, 1000);
    assert_int_equal(F.nsent, 2);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_REQUESTING);

    /* An ACK from a server we did not choose. */
    srv_begin(&p, BRISA_DHCP_ACK, m.xid, mac, offer_ip);
    srv_opt_ip(&p, 54, 10, 0, 0, 9);
    srv_opt32(&p, 51, 60);
    srv_end(&p);
    queue(&p);
    assert_int_equal(brisa_dhcp_step(&C, 1000), BRISA_DHCP_EVENT_NONE);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_REQUESTING);
    /* An ACK without a lease time (RFC 2131 table 3: MUST). */
    srv_begin(&p, BRISA_DHCP_ACK, m.xid, mac, offer_ip);
    srv_opt_ip(&p, 54, 10, 0, 0, 1);
    srv_end(&p);
    queue(&p);
    assert_int_equal(brisa_dhcp_step(&C, 1000), BRISA_DHCP_EVENT_NONE);
    assert_int_equal(C.ignored, 8);
    queue_reply(BRISA_DHCP_ACK, m.xid, mac);
    assert_int_equal(brisa_dhcp_step(&C, 1000), BRISA_DHCP_EVENT_BOUND);
}

static void test_requesting_gives_up_to_init(void **state)
{
    (void)state;
    cfg.attempts = 0; /* never give up */
    setup_client();
    brisa_dhcp_start(&C);
    brisa_dhcp_step(&C, 0);
    brisa_dhcp_msg m;
    sent(0, &m);
    queue_reply(BRISA_DHCP_OFFER, m.xid, mac);
    brisa_dhcp_step(&C, 1000);
    /* Four REQUESTs unanswered, then a new DISCOVER. */
    while (F.nsent < 6)
        brisa_dhcp_step(&C, 3600000);
    for (int i = 1; i <= 4; i++)
        assert_int_equal(sent(i, &m)->data[242], BRISA_DHCP_REQUEST);
    sent(5, &m);
    assert_int_equal(m.type, BRISA_DHCP_DISCOVER);
}

static void test_inform(void **state)
{
    (void)state;
    brisa_ip_addr own = brisa_ip_v4(10, 0, 0, 77);
    assert_int_equal(brisa_dhcp_inform(&C, &own), BRISA_OK);
    F.auto_server = true;
    assert_int_equal(brisa_dhcp_obtain(&C, 0), BRISA_DHCP_EVENT_INFORMED);
    brisa_dhcp_msg m;
    const sent_pkt *s = sent(0, &m);
    assert_broadcast(s);
    assert_int_equal(m.type, BRISA_DHCP_INFORM);
    assert_ip(&m.ciaddr, 10, 0, 0, 77);
    assert_int_equal(m.flags, 0); /* the answer comes unicast to ciaddr */
    assert_false(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_REQUESTED_IP));
    assert_false(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_SERVER_ID));
    assert_true(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_PARAMS));
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_INFORMED);
    const brisa_dhcp_lease *l = brisa_dhcp_get_lease(&C);
    assert_int_equal(l->source, BRISA_DHCP_SOURCE_INFORM);
    assert_ip(&l->address, 10, 0, 0, 77);
    assert_int_equal(l->prefix_len, 24);
    assert_ip(&l->dns[0], 10, 0, 0, 1);
    assert_int_equal(l->lease_s, 0);
    brisa_ip_addr bad = brisa_ip_v4(0, 0, 0, 0);
    assert_int_equal(brisa_dhcp_inform(&C, &bad), BRISA_ERR_INVALID_ARG);

    /* Unanswered INFORMs run out like DISCOVERs, without the fallback. */
    F.auto_server = false;
    F.nsent = 0;
    assert_int_equal(brisa_dhcp_inform(&C, &own), BRISA_OK);
    assert_int_equal(brisa_dhcp_obtain(&C, 0), BRISA_ERR_DHCP_NO_LEASE);
    assert_int_equal(F.nsent, 3);
}

static void test_release(void **state)
{
    (void)state;
    assert_int_equal(brisa_dhcp_release(&C), BRISA_ERR_STATE);
    bind_auto(3600, 0, 0);
    assert_int_equal(brisa_dhcp_release(&C), BRISA_OK);
    brisa_dhcp_msg m;
    const sent_pkt *s = sent(-1, &m);
    assert_ip(&s->dst, 10, 0, 0, 1);
    assert_int_equal(m.type, BRISA_DHCP_RELEASE);
    assert_ip(&m.ciaddr, 10, 0, 0, 150);
    assert_ip(&m.lease.server_id, 10, 0, 0, 1);
    assert_int_equal(m.secs, 0);
    assert_false(BRISA_DHCP_HAS(&m, BRISA_DHCP_OPT_REQUESTED_IP));
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_STOPPED);
    assert_int_equal(brisa_dhcp_release(&C), BRISA_ERR_STATE);
}

static void test_nak_while_renewing_loses_lease(void **state)
{
    (void)state;
    bind_auto(3600, 0, 0);
    assert_int_equal(brisa_dhcp_renew(&C), BRISA_OK);
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_NONE);
    brisa_dhcp_msg m;
    const sent_pkt *s = sent(-1, &m);
    assert_int_equal(s->at, F.now); /* at once, not at T1 */
    assert_ip(&s->dst, 10, 0, 0, 1);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_RENEWING);
    assert_int_equal(brisa_dhcp_renew(&C), BRISA_ERR_STATE);
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_NAK, m.xid, mac, NULL);
    srv_end(&p);
    queue(&p);
    assert_int_equal(brisa_dhcp_step(&C, 1000), BRISA_DHCP_EVENT_LOST);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_INIT);
}

static void test_bad_times_and_missing_mask(void **state)
{
    (void)state;
    brisa_dhcp_start(&C);
    brisa_dhcp_step(&C, 0);
    brisa_dhcp_msg m;
    sent(-1, &m);
    queue_reply(BRISA_DHCP_OFFER, m.xid, mac);
    brisa_dhcp_step(&C, 0); /* OFFER in, REQUEST out */
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_ACK, m.xid, mac, offer_ip);
    srv_opt_ip(&p, 54, 10, 0, 0, 1);
    srv_opt32(&p, 51, 1000);
    srv_opt32(&p, 58, 900); /* T1 > T2: RFC 2131 says ignore them */
    srv_opt32(&p, 59, 800);
    srv_end(&p);
    queue(&p);
    assert_int_equal(brisa_dhcp_step(&C, 1000), BRISA_DHCP_EVENT_BOUND);
    const brisa_dhcp_lease *l = brisa_dhcp_get_lease(&C);
    assert_int_equal(l->t1_s, 500);
    assert_int_equal(l->t2_s, 875);
    assert_int_equal(l->prefix_len, 8); /* class A without option 1 */
    assert_ip(&l->mask, 255, 0, 0, 0);
}

static void test_infinite_lease_never_renews(void **state)
{
    (void)state;
    bind_auto(BRISA_DHCP_INFINITE, 0, 0);
    assert_int_equal(brisa_dhcp_next_ms(&C), UINT32_MAX);
    assert_int_equal(brisa_dhcp_lease_remaining_ms(&C), UINT32_MAX);
    int before = F.nsent;
    assert_int_equal(brisa_dhcp_step(&C, 3600000), BRISA_DHCP_EVENT_NONE);
    assert_int_equal(F.nsent, before);
}

static void test_start_delay_and_init_args(void **state)
{
    (void)state;
    cfg.start_delay_max_ms = 10000;
    setup_client();
    brisa_dhcp_start(&C);
    uint64_t t0 = F.now;
    while (F.nsent == 0)
        brisa_dhcp_step(&C, 3600000);
    assert_true(F.sent[0].at - t0 <= 10000);

    brisa_datagram dg = { NULL, fake_send, fake_recv, NULL };
    brisa_clock clk = { NULL, fake_now, NULL };
    brisa_rng rng = { NULL, fake_fill };
    assert_int_equal(brisa_dhcp_init(&C, &cfg, &dg, &clk, &rng, cbuf, BRISA_DHCP_MIN_BUFFER - 1),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_init(&C, &cfg, &dg, &clk, &rng, NULL, sizeof cbuf),
                     BRISA_ERR_INVALID_ARG);
    brisa_datagram nodg = { NULL, NULL, fake_recv, NULL };
    assert_int_equal(brisa_dhcp_init(&C, &cfg, &nodg, &clk, &rng, cbuf, sizeof cbuf),
                     BRISA_ERR_INVALID_ARG);
    assert_string_equal(brisa_dhcp_state_name(BRISA_DHCP_REBINDING), "rebinding");
    assert_string_equal(brisa_dhcp_event_name(BRISA_DHCP_EVENT_FALLBACK), "fallback");
    assert_string_equal(brisa_dhcp_state_name(99), "unknown");
}

/* ------------------------------------------------------------ edge cases */

/* Steps to the first DISCOVER and returns its xid. */
static uint32_t first_discover(void)
{
    brisa_dhcp_start(&C);
    brisa_dhcp_step(&C, 0);
    brisa_dhcp_msg m;
    sent(-1, &m);
    assert_int_equal(m.type, BRISA_DHCP_DISCOVER);
    return m.xid;
}

/* A reply from server 10.0.0.@p srv offering @p ip, with lease options. */
static void queue_from(uint8_t type, uint32_t xid, const uint8_t ip[4], uint8_t srv,
                       uint32_t lease)
{
    srv_pkt p;
    srv_begin(&p, type, xid, mac, ip);
    srv_opt_ip(&p, 54, 10, 0, 0, srv);
    if (lease)
        srv_opt32(&p, 51, lease);
    srv_end(&p);
    queue(&p);
}

/* OFFERs the client must pass over: unusable addresses, no server id, a
 * reply of the wrong type, another client's hardware address. */
static void test_unusable_offers_ignored(void **state)
{
    (void)state;
    uint32_t xid = first_discover();
    static const uint8_t bad_ips[][4] = { { 0, 1, 2, 3 }, { 127, 0, 0, 1 }, { 224, 0, 0, 1 } };
    for (size_t i = 0; i < 3; i++)
        queue_from(BRISA_DHCP_OFFER, xid, bad_ips[i], 1, 60);
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_OFFER, xid, mac, offer_ip); /* no option 54 */
    srv_end(&p);
    queue(&p);
    queue_from(BRISA_DHCP_ACK, xid, offer_ip, 1, 60);
    static const uint8_t other[6] = { 2, 0, 0, 0, 0, 1 };
    srv_begin(&p, BRISA_DHCP_OFFER, xid, other, offer_ip);
    srv_opt_ip(&p, 54, 10, 0, 0, 1);
    srv_end(&p);
    queue(&p);
    p.buf[1] = 6; /* htype token ring */
    queue(&p);
    for (int i = 0; i < 7; i++)
        assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_NONE);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_SELECTING);
    assert_int_equal(F.nsent, 1);
}

/* While REQUESTING: an ACK from a server not chosen, an ACK without a
 * lease time and an OFFER are ignored; an ACK without a server id is
 * taken from the chosen one; a class B address without a mask gets /16. */
static void test_requesting_filters_and_defaults(void **state)
{
    (void)state;
    static const uint8_t class_b[4] = { 172, 16, 0, 9 };
    uint32_t xid = first_discover();
    queue_from(BRISA_DHCP_OFFER, xid, class_b, 7, 60);
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_NONE);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_REQUESTING);
    queue_from(BRISA_DHCP_ACK, xid, class_b, 8, 60); /* not the chosen server */
    queue_from(BRISA_DHCP_ACK, xid, class_b, 7, 0);  /* no lease time */
    queue_from(BRISA_DHCP_OFFER, xid, class_b, 7, 60);
    for (int i = 0; i < 3; i++)
        assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_NONE);
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_ACK, xid, mac, class_b);
    srv_opt32(&p, 51, 100);
    srv_opt32(&p, 58, 10);
    srv_opt32(&p, 59, 200); /* T2 beyond the lease: both recomputed */
    srv_end(&p);
    queue(&p);
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_BOUND);
    const brisa_dhcp_lease *l = brisa_dhcp_get_lease(&C);
    assert_ip(&l->server_id, 10, 0, 0, 7);
    assert_int_equal(l->prefix_len, 16);
    assert_int_equal(l->t1_s, 50);
    assert_int_equal(l->t2_s, 87);
    /* Bound: replies are not expected now. */
    queue_from(BRISA_DHCP_ACK, xid, class_b, 7, 60);
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_NONE);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_BOUND);
}

/* A class C address without a mask gets /24. A renewal answered with
 * another address (and no server id) is a new lease from the same server. */
static void test_renewal_with_new_address(void **state)
{
    (void)state;
    static const uint8_t class_c[4] = { 192, 168, 1, 20 }, moved[4] = { 192, 168, 1, 21 };
    uint32_t xid = first_discover();
    queue_from(BRISA_DHCP_OFFER, xid, class_c, 1, 100);
    brisa_dhcp_step(&C, 0);
    queue_from(BRISA_DHCP_ACK, xid, class_c, 1, 100);
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_BOUND);
    assert_int_equal(brisa_dhcp_get_lease(&C)->prefix_len, 24);
    assert_int_equal(brisa_dhcp_renew(&C), BRISA_OK);
    brisa_dhcp_step(&C, 0);
    brisa_dhcp_msg m;
    const sent_pkt *s = sent(-1, &m);
    assert_ip(&s->dst, 10, 0, 0, 1); /* unicast to the server */
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_RENEWING);
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_ACK, m.xid, mac, moved);
    srv_opt32(&p, 51, 100);
    srv_end(&p);
    queue(&p);
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_BOUND);
    const brisa_dhcp_lease *l = brisa_dhcp_get_lease(&C);
    assert_ip(&l->address, 192, 168, 1, 21);
    assert_ip(&l->server_id, 10, 0, 0, 1);
}

/* The NAK's message is kept printable and within its buffer. */
static void test_nak_message_sanitised(void **state)
{
    (void)state;
    uint32_t xid = first_discover();
    queue_from(BRISA_DHCP_OFFER, xid, offer_ip, 1, 60);
    brisa_dhcp_step(&C, 0);
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_NAK, xid, mac, NULL);
    srv_opt_ip(&p, 54, 10, 0, 0, 1);
    uint8_t msg[200];
    memset(msg, 'n', sizeof msg);
    msg[0] = 0x07;
    msg[1] = 0xc3;
    srv_opt(&p, 56, sizeof msg, msg);
    srv_end(&p);
    queue(&p);
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_NAK);
    const char *text = brisa_dhcp_nak_message(&C);
    assert_true(strlen(text) < sizeof msg);
    assert_true(strlen(text) > 16);
    assert_memory_equal(text, "??nnn", 5);
}

/* Without randomness the client still picks an xid and works. */
static void test_rng_failure_still_binds(void **state)
{
    (void)state;
    F.rng_fails = true;
    bind_auto(600, 0, 0);
    brisa_dhcp_msg m;
    sent(0, &m);
    assert_true(m.xid != 0);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_BOUND);
}

/* Errors from the datagram: a timeout-like "would block" is a poll, a
 * datagram too large is ignored, anything else is returned. Sending
 * errors come back from the step that sends. */
static void test_datagram_errors(void **state)
{
    (void)state;
    brisa_dhcp_start(&C);
    F.recv_err = BRISA_ERR_WOULD_BLOCK;
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_NONE);
    F.recv_err = BRISA_ERR_TOO_LARGE;
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_NONE);
    F.recv_err = BRISA_ERR_IO;
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_ERR_IO);
    /* The DECLINE that cannot be sent. */
    cfg.address_in_use = fake_in_use;
    setup_client();
    F.in_use = 1;
    uint32_t xid = first_discover();
    queue_from(BRISA_DHCP_OFFER, xid, offer_ip, 1, 60);
    brisa_dhcp_step(&C, 0);
    queue_from(BRISA_DHCP_ACK, xid, offer_ip, 1, 60);
    F.send_err = BRISA_ERR_IO;
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_ERR_IO);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_INIT);
    /* A DISCOVER that cannot be sent. */
    F.now += 3600000;
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_ERR_IO);
}

/* A client id of one byte is refused (RFC 2132 9.14 needs type + id);
 * a valid one is sent as given. A small retry base has no jitter and a
 * cap below twice the base is kept. */
static void test_client_id_and_exact_backoff(void **state)
{
    (void)state;
    static const uint8_t id1[] = { 1 }, id[] = { 0, 'd', 'e', 'v' };
    brisa_datagram dg = { NULL, fake_send, fake_recv, NULL };
    brisa_clock clk = { NULL, fake_now, NULL };
    brisa_rng rng = { NULL, fake_fill };
    cfg.client_id = id1;
    cfg.client_id_len = 1;
    assert_int_equal(brisa_dhcp_init(&C, &cfg, &dg, &clk, &rng, cbuf, sizeof cbuf),
                     BRISA_ERR_INVALID_ARG);
    cfg.client_id = id;
    cfg.client_id_len = sizeof id;
    cfg.retry_base_ms = 3;
    cfg.retry_max_ms = 5;
    cfg.attempts = 0; /* never gives up */
    setup_client();
    brisa_dhcp_start(&C);
    while (F.nsent < 6)
        brisa_dhcp_step(&C, 3600000);
    brisa_dhcp_msg m;
    sent(0, &m);
    assert_int_equal(m.client_id_len, sizeof id);
    assert_memory_equal(m.client_id, id, sizeof id);
    /* 3 ms, then 5 (capped) for ever: no jitter below 4 ms. */
    assert_int_equal(F.sent[1].at - F.sent[0].at, 3);
    for (int i = 2; i < 6; i++)
        assert_int_equal(F.sent[i].at - F.sent[i - 1].at, 5);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_SELECTING);
}

/* A fallback with a mask takes its prefix from it (a broken mask: 0);
 * unanswered INFORMs never fall back. */
static void test_fallback_mask_and_inform_without_fallback(void **state)
{
    (void)state;
    brisa_dhcp_lease fb;
    memset(&fb, 0, sizeof fb);
    fb.address = brisa_ip_v4(10, 9, 8, 7);
    fb.mask = brisa_ip_v4(255, 255, 240, 0);
    cfg.fallback = &fb;
    cfg.attempts = 1;
    cfg.retry_base_ms = 1000;
    setup_client();
    assert_int_equal(brisa_dhcp_obtain(&C, 0), BRISA_DHCP_EVENT_FALLBACK);
    assert_int_equal(brisa_dhcp_get_lease(&C)->prefix_len, 20);
    fb.mask = brisa_ip_v4(255, 0, 255, 0);
    assert_int_equal(brisa_dhcp_obtain(&C, 0), BRISA_DHCP_EVENT_FALLBACK);
    assert_int_equal(brisa_dhcp_get_lease(&C)->prefix_len, 0);

    brisa_ip_addr own = brisa_ip_v4(10, 0, 0, 77);
    assert_int_equal(brisa_dhcp_inform(&C, &own), BRISA_OK);
    /* A NAK is no answer to an INFORM. */
    brisa_dhcp_step(&C, 0);
    brisa_dhcp_msg m;
    sent(-1, &m);
    srv_pkt p;
    srv_begin(&p, BRISA_DHCP_NAK, m.xid, mac, NULL);
    srv_end(&p);
    queue(&p);
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_NONE);
    assert_int_equal(brisa_dhcp_obtain(&C, 0), BRISA_ERR_DHCP_NO_LEASE);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_STOPPED);

    static const brisa_ip_addr bad[] = { { BRISA_IP_V4, { 127, 0, 0, 1 } },
                                         { BRISA_IP_V4, { 239, 1, 1, 1 } },
                                         { BRISA_IP_V6, { 0xfe, 0x80 } } };
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(brisa_dhcp_inform(&C, &bad[i]), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_dhcp_inform(&C, NULL), BRISA_ERR_INVALID_ARG);
    /* INFORMs with no attempt limit go on. */
    cfg.attempts = 0;
    setup_client();
    assert_int_equal(brisa_dhcp_inform(&C, &own), BRISA_OK);
    assert_int_equal(brisa_dhcp_obtain(&C, 60000), BRISA_ERR_TIMEOUT);
    assert_true(F.nsent > 6);
}

/* obtain() on a client that already has its answer returns at once. */
static void test_obtain_when_done(void **state)
{
    (void)state;
    bind_auto(600, 0, 0);
    int before = F.nsent;
    assert_int_equal(brisa_dhcp_obtain(&C, 1000), BRISA_DHCP_EVENT_BOUND);
    brisa_ip_addr own = brisa_ip_v4(10, 0, 0, 77);
    F.auto_server = true;
    assert_int_equal(brisa_dhcp_inform(&C, &own), BRISA_OK);
    assert_int_equal(brisa_dhcp_obtain(&C, 0), BRISA_DHCP_EVENT_INFORMED);
    before = F.nsent;
    assert_int_equal(brisa_dhcp_obtain(&C, 1000), BRISA_DHCP_EVENT_INFORMED);
    assert_int_equal(F.nsent, before);
}

/* A renewal forced on an infinite lease sends one REQUEST; the lease
 * never runs out. */
static void test_forced_renewal_of_infinite_lease(void **state)
{
    (void)state;
    bind_auto(BRISA_DHCP_INFINITE, 0, 0);
    assert_int_equal(brisa_dhcp_renew(&C), BRISA_OK);
    assert_int_equal(brisa_dhcp_next_ms(&C), 0);
    int before = F.nsent;
    assert_int_equal(brisa_dhcp_step(&C, 1000), BRISA_DHCP_EVENT_NONE);
    assert_int_equal(F.nsent, before + 1);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_RENEWING);
    /* Half of "forever" left: no retransmission in sight. */
    assert_int_equal(brisa_dhcp_next_ms(&C), UINT32_MAX - 1);
    assert_int_equal(brisa_dhcp_lease_remaining_ms(&C), UINT32_MAX);
    /* Released while renewing. */
    assert_int_equal(brisa_dhcp_release(&C), BRISA_OK);
    assert_int_equal(brisa_dhcp_lease_remaining_ms(&C), 0);
}

/* A lease of ~136 years: the times to the next event and to expiry are
 * clamped, never wrapped. A long rebinding caps the "secs" field. */
static void test_huge_lease_and_long_rebinding(void **state)
{
    (void)state;
    bind_auto(0xfffffff0u, 0, 0);
    assert_int_equal(brisa_dhcp_next_ms(&C), UINT32_MAX - 1);
    assert_int_equal(brisa_dhcp_lease_remaining_ms(&C), UINT32_MAX);

    setup_client();
    uint64_t sent_at = bind_auto(1000000, 0, 0);
    F.now = sent_at + 875000u * 1000u; /* T2 */
    assert_int_equal(brisa_dhcp_step(&C, 0), BRISA_DHCP_EVENT_NONE);
    assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_REBINDING);
    assert_int_equal(brisa_dhcp_lease_remaining_ms(&C), 125000u * 1000u);
    int ev;
    while ((ev = brisa_dhcp_step(&C, 3600000)) == BRISA_DHCP_EVENT_NONE)
        assert_int_equal(brisa_dhcp_get_state(&C), BRISA_DHCP_REBINDING);
    assert_int_equal(ev, BRISA_DHCP_EVENT_LOST);
    brisa_dhcp_msg m;
    sent(-1, &m);
    assert_int_equal(m.type, BRISA_DHCP_REQUEST);
    assert_int_equal(m.secs, 0xffff); /* > 18 h since the rebinding began */
    assert_int_equal(brisa_dhcp_lease_remaining_ms(&C), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_full_dora, setup),
        cmocka_unit_test_setup(test_obtain_helper, setup),
        cmocka_unit_test_setup(test_nak_restarts_from_init, setup),
        cmocka_unit_test_setup(test_decline_when_in_use, setup),
        cmocka_unit_test_setup(test_renew_at_t1, setup),
        cmocka_unit_test_setup(test_rebind_at_t2, setup),
        cmocka_unit_test_setup(test_expiry_back_to_init, setup),
        cmocka_unit_test_setup(test_attempts_then_static_fallback, setup),
        cmocka_unit_test_setup(test_attempts_without_fallback, setup),
        cmocka_unit_test_setup(test_backoff_doubles_to_cap, setup),
        cmocka_unit_test_setup(test_mismatched_replies_ignored, setup),
        cmocka_unit_test_setup(test_requesting_gives_up_to_init, setup),
        cmocka_unit_test_setup(test_inform, setup),
        cmocka_unit_test_setup(test_release, setup),
        cmocka_unit_test_setup(test_nak_while_renewing_loses_lease, setup),
        cmocka_unit_test_setup(test_bad_times_and_missing_mask, setup),
        cmocka_unit_test_setup(test_infinite_lease_never_renews, setup),
        cmocka_unit_test_setup(test_start_delay_and_init_args, setup),
        cmocka_unit_test_setup(test_unusable_offers_ignored, setup),
        cmocka_unit_test_setup(test_requesting_filters_and_defaults, setup),
        cmocka_unit_test_setup(test_renewal_with_new_address, setup),
        cmocka_unit_test_setup(test_nak_message_sanitised, setup),
        cmocka_unit_test_setup(test_rng_failure_still_binds, setup),
        cmocka_unit_test_setup(test_datagram_errors, setup),
        cmocka_unit_test_setup(test_client_id_and_exact_backoff, setup),
        cmocka_unit_test_setup(test_fallback_mask_and_inform_without_fallback, setup),
        cmocka_unit_test_setup(test_obtain_when_done, setup),
        cmocka_unit_test_setup(test_forced_renewal_of_infinite_lease, setup),
        cmocka_unit_test_setup(test_huge_lease_and_long_rebinding, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
