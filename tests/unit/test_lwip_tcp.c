// SPDX-License-Identifier: MIT
/* Tests for src/port/lwip/tcp.c: brisa's TCP transport over lwIP, against
 * raw-API servers on the same stack across an in-memory Ethernet wire
 * (lwip_wire.c): partial reads served from what was received, large
 * transfers with back-pressure, timeouts, peer close, reset, refusal. */
#define _POSIX_C_SOURCE 200809L
#include "cmocka_all.h"

#include <string.h>

#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "lwip_wire.h"

#include "brisa/err.h"
#include "brisa/port/lwip_port.h"
#include "brisa/port/lwip_tcp.h"

enum { PORT_ECHO = 7000, PORT_BYE = 7001, PORT_RESET = 7002, PORT_NONE = 7999 };

/* ---- the servers (raw API, on wire_srv) ------------------------------------ */

/* Echo with back-pressure: received data is held until there is room to
 * send it back, and the window reopens only by what was echoed. */
typedef struct echo_conn {
    struct tcp_pcb *pcb;
    struct pbuf *pending;
    bool used;
} echo_conn;
static echo_conn echo_conns[2];

static void echo_flush(echo_conn *c)
{
    while (c->pending != NULL && tcp_sndbuf(c->pcb) > 0) {
        u16_t n = c->pending->len;
        if (n > tcp_sndbuf(c->pcb))
            n = tcp_sndbuf(c->pcb);
        if (tcp_write(c->pcb, c->pending->payload, n, TCP_WRITE_FLAG_COPY) != ERR_OK)
            break;
        c->pending = pbuf_free_header(c->pending, n);
        tcp_recved(c->pcb, n);
    }
    tcp_output(c->pcb);
}

static err_t echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    echo_conn *c = arg;
    (void)err;
    if (p == NULL) {
        if (c->pending != NULL)
            pbuf_free(c->pending);
        c->pending = NULL;
        c->used = false;
        tcp_arg(pcb, NULL);
        tcp_close(pcb);
        return ERR_OK;
    }
    if (c->pending == NULL)
        c->pending = p;
    else
        pbuf_cat(c->pending, p);
    echo_flush(c);
    return ERR_OK;
}

static err_t echo_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)pcb;
    (void)len;
    if (arg != NULL)
        echo_flush(arg);
    return ERR_OK;
}

static void echo_err(void *arg, err_t err)
{
    echo_conn *c = arg;
    (void)err;
    if (c != NULL) {
        if (c->pending != NULL)
            pbuf_free(c->pending);
        c->pending = NULL;
        c->used = false;
    }
}

static err_t accept_fn(void *arg, struct tcp_pcb *pcb, err_t err)
{
    uintptr_t kind = (uintptr_t)arg;
    if (err != ERR_OK || pcb == NULL)
        return ERR_VAL;
    if (kind == PORT_BYE) {
        tcp_write(pcb, "bye", 3, TCP_WRITE_FLAG_COPY);
        tcp_close(pcb); /* FIN after the data */
        return ERR_OK;
    }
    if (kind == PORT_RESET) {
        tcp_abort(pcb); /* RST */
        return ERR_ABRT;
    }
    for (size_t i = 0; i < sizeof echo_conns / sizeof echo_conns[0]; i++) {
        echo_conn *c = &echo_conns[i];
        if (!c->used) {
            c->used = true;
            c->pcb = pcb;
            c->pending = NULL;
            tcp_arg(pcb, c);
            tcp_recv(pcb, echo_recv);
            tcp_sent(pcb, echo_sent);
            tcp_err(pcb, echo_err);
            return ERR_OK;
        }
    }
    tcp_abort(pcb);
    return ERR_ABRT;
}

static void listen_on(uint16_t port)
{
    assert_true(wire_listen(port, accept_fn, (void *)(uintptr_t)port));
}

static int setup(void **state)
{
    (void)state;
    static bool listening;
    wire_start();
    if (!listening) {
        listen_on(PORT_ECHO);
        listen_on(PORT_BYE);
        listening = true;
    }
    return 0;
}

static brisa_ip_addr srv_ip(void)
{
    return brisa_ip_v4(10, 0, 0, 1);
}

static void connect_to(brisa_lwip_tcp *t, uint16_t port)
{
    brisa_ip_addr ip = srv_ip();
    brisa_lwip_tcp_init(t, &wire_dev);
    int rc = brisa_lwip_tcp_connect(t, &ip, port, 2000);
    if (rc != BRISA_OK)
        fail_msg("connect: %s", brisa_lwip_tcp_error(t));
}

/* Sends all of @p len bytes (the transport may take them in parts). */
static void send_all(brisa_transport *tr, const uint8_t *buf, size_t len)
{
    while (len > 0) {
        int rc = tr->send(tr->ctx, buf, len, 0, 2000);
        assert_true(rc > 0);
        buf += rc;
        len -= (size_t)rc;
    }
}

/* Reads exactly @p len bytes, in as many parts as they come. */
static void recv_exact(brisa_transport *tr, uint8_t *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        int rc = tr->recv(tr->ctx, buf + got, len - got, 2000);
        assert_true(rc > 0);
        got += (size_t)rc;
    }
}

/* ---- tests ------------------------------------------------------------------ */

static void test_partial_reads_come_from_what_was_received(void **state)
{
    (void)state;
    brisa_lwip_tcp t;
    connect_to(&t, PORT_ECHO);
    brisa_transport tr = brisa_lwip_tcp_transport(&t);
    const char *msg = "0123456789abcdef";
    send_all(&tr, (const uint8_t *)msg, 16);

    uint8_t buf[64];
    assert_int_equal(tr.recv(tr.ctx, buf, 1, 2000), 1);
    assert_int_equal(buf[0], '0');
    /* Wait until the whole echo has arrived, then read it in pieces: no
     * piece may need the stack to be turned again. */
    wire_run(200);
    uint32_t polls = wire_polls();
    assert_int_equal(tr.recv(tr.ctx, buf, 3, 2000), 3);
    assert_memory_equal(buf, "123", 3);
    assert_int_equal(tr.recv(tr.ctx, buf, sizeof buf, 2000), 12);
    assert_memory_equal(buf, "456789abcdef", 12);
    assert_int_equal(wire_polls(), polls);
    /* Nothing left: a look without waiting turns the stack once and says so. */
    assert_int_equal(tr.recv(tr.ctx, buf, sizeof buf, 0), BRISA_ERR_TIMEOUT);
    assert_int_equal(wire_polls(), polls + 1);
    tr.close(tr.ctx);
    tr.close(tr.ctx); /* twice is fine */
}

static void test_large_transfer_with_back_pressure(void **state)
{
    (void)state;
    enum { TOTAL = 300 * 1024 };
    static uint8_t out[TOTAL], in[TOTAL];
    for (size_t i = 0; i < TOTAL; i++)
        out[i] = (uint8_t)(i * 7u + (i >> 10));
    brisa_lwip_tcp t;
    connect_to(&t, PORT_ECHO);
    brisa_transport tr = brisa_lwip_tcp_transport(&t);
    size_t sent = 0, got = 0;
    int timeouts = 0;
    uint64_t deadline = wire_ms() + 30000;
    while (got < TOTAL && wire_ms() < deadline) {
        if (sent < TOTAL) {
            size_t chunk = TOTAL - sent < 5000 ? TOTAL - sent : 5000;
            int rc = tr.send(tr.ctx, out + sent, chunk, 0, 0);
            if (rc > 0)
                sent += (size_t)rc;
            else
                assert_int_equal(rc, BRISA_ERR_TIMEOUT); /* window full: read first */
            timeouts += rc == BRISA_ERR_TIMEOUT;
        }
        /* Reads of odd sizes, as the TLS layer makes them. */
        size_t want = 1 + (got % 1777);
        if (want > TOTAL - got)
            want = TOTAL - got;
        int rc = tr.recv(tr.ctx, in + got, want, 5);
        if (rc > 0)
            got += (size_t)rc;
        else
            assert_int_equal(rc, BRISA_ERR_TIMEOUT);
    }
    assert_int_equal(got, TOTAL);
    assert_memory_equal(in, out, TOTAL);
    assert_true(timeouts > 0); /* the window did fill: back-pressure was exercised */
    tr.close(tr.ctx);
}

static void test_recv_timeout_is_kept(void **state)
{
    (void)state;
    brisa_lwip_tcp t;
    connect_to(&t, PORT_ECHO);
    brisa_transport tr = brisa_lwip_tcp_transport(&t);
    uint8_t buf[8];
    uint64_t t0 = wire_ms();
    assert_int_equal(tr.recv(tr.ctx, buf, sizeof buf, 150), BRISA_ERR_TIMEOUT);
    uint64_t took = wire_ms() - t0;
    assert_true(took >= 150);
    assert_true(took < 1000);
    t0 = wire_ms();
    assert_int_equal(tr.recv(tr.ctx, buf, sizeof buf, 0), BRISA_ERR_TIMEOUT);
    assert_true(wire_ms() - t0 < 500); /* no wait (slack for a loaded machine) */
    assert_int_equal(tr.recv(tr.ctx, buf, 0, 0), BRISA_ERR_INVALID_ARG);
    tr.close(tr.ctx);
}

static void test_peer_close_after_data(void **state)
{
    (void)state;
    brisa_lwip_tcp t;
    connect_to(&t, PORT_BYE);
    brisa_transport tr = brisa_lwip_tcp_transport(&t);
    uint8_t buf[8];
    recv_exact(&tr, buf, 3);
    assert_memory_equal(buf, "bye", 3);
    assert_int_equal(tr.recv(tr.ctx, buf, sizeof buf, 2000), BRISA_ERR_CLOSED);
    assert_int_equal(tr.recv(tr.ctx, buf, sizeof buf, 0), BRISA_ERR_CLOSED);
    assert_non_null(strstr(brisa_lwip_tcp_error(&t), "closed by peer"));
    tr.close(tr.ctx);
    assert_int_equal(tr.recv(tr.ctx, buf, sizeof buf, 0), BRISA_ERR_CLOSED);
    assert_int_equal(tr.send(tr.ctx, buf, 1, 0, 0), BRISA_ERR_CLOSED);
}

static void test_reset_by_peer(void **state)
{
    (void)state;
    static bool listening;
    if (!listening) {
        listen_on(PORT_RESET);
        listening = true;
    }
    brisa_lwip_tcp t;
    brisa_ip_addr ip = srv_ip();
    brisa_lwip_tcp_init(&t, &wire_dev);
    /* The server resets as it accepts: the handshake completes on our side
     * first, then the RST arrives. */
    int rc = brisa_lwip_tcp_connect(&t, &ip, PORT_RESET, 2000);
    brisa_transport tr = brisa_lwip_tcp_transport(&t);
    if (rc == BRISA_OK) {
        uint8_t buf[4];
        rc = tr.recv(tr.ctx, buf, sizeof buf, 2000);
        assert_int_equal(rc, BRISA_ERR_IO);
        assert_non_null(strstr(brisa_lwip_tcp_error(&t), "reset"));
    } else {
        assert_int_equal(rc, BRISA_ERR_CONNECT);
    }
    tr.close(tr.ctx);
}

static void test_refused_and_unanswered(void **state)
{
    (void)state;
    brisa_lwip_tcp t;
    brisa_ip_addr ip = srv_ip();
    brisa_lwip_tcp_init(&t, &wire_dev);
    assert_int_equal(brisa_lwip_tcp_connect(&t, &ip, PORT_NONE, 2000), BRISA_ERR_CONNECT);
    assert_string_equal(brisa_lwip_tcp_error(&t), "connect to 10.0.0.1 port 7999: refused");

    brisa_ip_addr nobody = brisa_ip_v4(10, 0, 0, 9); /* no one answers its ARP */
    uint64_t t0 = wire_ms();
    assert_int_equal(brisa_lwip_tcp_connect(&t, &nobody, PORT_ECHO, 300), BRISA_ERR_TIMEOUT);
    assert_true(wire_ms() - t0 >= 300);
    assert_string_equal(brisa_lwip_tcp_error(&t), "connect to 10.0.0.9 port 7000: no answer in time");

    brisa_ip_addr v6;
    memset(&v6, 0, sizeof v6);
    v6.family = BRISA_IP_V6;
    assert_int_equal(brisa_lwip_tcp_connect(&t, &v6, PORT_ECHO, 300), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_lwip_tcp_connect(&t, &ip, 0, 300), BRISA_ERR_INVALID_ARG);

    /* The failed attempts left no pcb behind: a connection still works,
     * and a second connect on an open stream is refused. */
    connect_to(&t, PORT_ECHO);
    assert_int_equal(brisa_lwip_tcp_connect(&t, &ip, PORT_ECHO, 300), BRISA_ERR_STATE);
    brisa_lwip_tcp_close(&t);
}

static void test_send_more_is_held_then_flushed(void **state)
{
    (void)state;
    brisa_lwip_tcp t;
    connect_to(&t, PORT_ECHO);
    brisa_transport tr = brisa_lwip_tcp_transport(&t);
    assert_int_equal(tr.send(tr.ctx, (const uint8_t *)"head", 4, BRISA_SEND_MORE, 1000), 4);
    assert_int_equal(tr.send(tr.ctx, (const uint8_t *)"body", 4, 0, 1000), 4);
    uint8_t buf[8];
    recv_exact(&tr, buf, 8);
    assert_memory_equal(buf, "headbody", 8);
    tr.close(tr.ctx);
}

static void test_no_free_pcb_is_said_in_words(void **state)
{
    (void)state;
    /* Two connections to the echo server hold all MEMP_NUM_TCP_PCB (4)
     * pcbs of this one stack: ours and the server's accepted ones. */
    wire_run(100); /* earlier closes finish (TIME_WAIT pcbs are reclaimed anyway) */
    brisa_lwip_tcp a, b, c;
    connect_to(&a, PORT_ECHO);
    connect_to(&b, PORT_ECHO);
    brisa_ip_addr ip = srv_ip();
    brisa_lwip_tcp_init(&c, &wire_dev);
    assert_int_equal(brisa_lwip_tcp_connect(&c, &ip, PORT_ECHO, 500), BRISA_ERR_NO_SPACE);
    assert_string_equal(brisa_lwip_tcp_error(&c),
                        "connect to 10.0.0.1 port 7000: no free TCP pcb (MEMP_NUM_TCP_PCB)");
    /* The two open ones are unharmed. */
    brisa_transport ta = brisa_lwip_tcp_transport(&a);
    send_all(&ta, (const uint8_t *)"ok", 2);
    uint8_t buf[2];
    recv_exact(&ta, buf, 2);
    assert_memory_equal(buf, "ok", 2);
    brisa_lwip_tcp_close(&a);
    brisa_lwip_tcp_close(&b);
    wire_run(50);
}

static void test_many_connections_do_not_leak_pcbs(void **state)
{
    (void)state;
    /* More connections than MEMP_NUM_TCP_PCB, one after the other. */
    for (int i = 0; i < 12; i++) {
        brisa_lwip_tcp t;
        connect_to(&t, PORT_ECHO);
        brisa_transport tr = brisa_lwip_tcp_transport(&t);
        send_all(&tr, (const uint8_t *)"x", 1);
        uint8_t c;
        recv_exact(&tr, &c, 1);
        tr.close(tr.ctx);
        /* Let the closes complete (FIN, ACK, TIME_WAIT is reclaimed). */
        wire_run(20);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_partial_reads_come_from_what_was_received, setup),
        cmocka_unit_test_setup(test_large_transfer_with_back_pressure, setup),
        cmocka_unit_test_setup(test_recv_timeout_is_kept, setup),
        cmocka_unit_test_setup(test_peer_close_after_data, setup),
        cmocka_unit_test_setup(test_reset_by_peer, setup),
        cmocka_unit_test_setup(test_refused_and_unanswered, setup),
        cmocka_unit_test_setup(test_send_more_is_held_then_flushed, setup),
        cmocka_unit_test_setup(test_no_free_pcb_is_said_in_words, setup),
        cmocka_unit_test_setup(test_many_connections_do_not_leak_pcbs, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
