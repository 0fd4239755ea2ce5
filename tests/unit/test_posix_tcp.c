// SPDX-License-Identifier: MIT
/* The POSIX TCP transport against real sockets on 127.0.0.1 and ::1. */
#include "cmocka_all.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "brisa/err.h"
#include "brisa/port/posix_tcp.h"

typedef struct pair {
    int listener;
    uint16_t port;
    brisa_posix_tcp client;
    brisa_posix_tcp server; /* the accepted end, adopted */
    brisa_transport c, s;
} pair;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A listening socket on the loopback of @p family; -1 if that family is
 * not available here (no IPv6). */
static int listen_on(int family, int backlog, uint16_t *port)
{
    int fd = socket(family, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_storage ss;
    socklen_t len;
    memset(&ss, 0, sizeof ss);
    if (family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *a;
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        len = sizeof *a;
    }
    if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, backlog) != 0) {
        close(fd);
        return -1;
    }
    len = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &len);
    *port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                    : ((struct sockaddr_in6 *)&ss)->sin6_port);
    return fd;
}

static int open_pair(pair *p, int family, const char *host)
{
    memset(p, 0, sizeof *p);
    p->listener = listen_on(family, 4, &p->port);
    if (p->listener < 0)
        return -1;
    brisa_posix_tcp_init(&p->client);
    brisa_posix_tcp_init(&p->server);
    assert_int_equal(brisa_posix_tcp_connect(&p->client, host, p->port, NULL), BRISA_OK);
    assert_string_equal(brisa_posix_tcp_error(&p->client), "");
    int fd = accept(p->listener, NULL, NULL);
    assert_true(fd >= 0);
    assert_int_equal(brisa_posix_tcp_adopt(&p->server, fd), BRISA_OK);
    p->c = brisa_posix_tcp_transport(&p->client);
    p->s = brisa_posix_tcp_transport(&p->server);
    return 0;
}

static void close_pair(pair *p)
{
    p->c.close(p->c.ctx);
    p->c.close(p->c.ctx); /* twice is allowed */
    p->s.close(p->s.ctx);
    close(p->listener);
}

/* Reads exactly @p len bytes or fails the test. */
static void recv_all(brisa_transport *t, uint8_t *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        int n = t->recv(t->ctx, buf + got, len - got, 2000);
        assert_true(n > 0);
        got += (size_t)n;
    }
}

static void round_trip(int family, const char *host)
{
    pair p;
    if (open_pair(&p, family, host) != 0) {
        skip();
        return;
    }
    static const uint8_t hello[] = "hello, broker";
    uint8_t buf[64];
    /* BRISA_SEND_MORE holds bytes back; the next plain send flushes all. */
    assert_int_equal(p.c.send(p.c.ctx, hello, 5, BRISA_SEND_MORE, 1000), 5);
    assert_int_equal(p.c.send(p.c.ctx, hello + 5, sizeof hello - 5, 0, 1000),
                     (int)(sizeof hello - 5));
    recv_all(&p.s, buf, sizeof hello);
    assert_memory_equal(buf, hello, sizeof hello);

    assert_int_equal(p.s.send(p.s.ctx, (const uint8_t *)"ok", 2, 0, 1000), 2);
    recv_all(&p.c, buf, 2);
    assert_memory_equal(buf, "ok", 2);
    close_pair(&p);
}

static void test_round_trip_ipv4(void **state)
{
    (void)state;
    round_trip(AF_INET, "127.0.0.1");
}

static void test_round_trip_ipv6(void **state)
{
    (void)state;
    round_trip(AF_INET6, "::1");
}

static void test_family_restricts_addresses(void **state)
{
    (void)state;
    brisa_posix_tcp t;
    brisa_posix_tcp_init(&t);
    brisa_posix_tcp_options o = { .connect_timeout_ms = 1000, .family = BRISA_POSIX_TCP_IPV6 };
    /* An IPv4 literal has no IPv6 address. */
    assert_int_equal(brisa_posix_tcp_connect(&t, "127.0.0.1", 1883, &o), BRISA_ERR_RESOLVE);
    assert_non_null(strstr(brisa_posix_tcp_error(&t), "127.0.0.1"));
    o.family = (brisa_posix_tcp_family)5;
    assert_int_equal(brisa_posix_tcp_connect(&t, "127.0.0.1", 1883, &o), BRISA_ERR_INVALID_ARG);
}

static void test_recv_timeout(void **state)
{
    (void)state;
    pair p;
    assert_int_equal(open_pair(&p, AF_INET, "127.0.0.1"), 0);
    uint8_t b;
    assert_int_equal(p.c.recv(p.c.ctx, &b, 1, 0), BRISA_ERR_TIMEOUT);
    uint64_t t0 = now_ms();
    assert_int_equal(p.c.recv(p.c.ctx, &b, 1, 200), BRISA_ERR_TIMEOUT);
    uint64_t dt = now_ms() - t0;
    assert_true(dt >= 195 && dt < 2000);
    close_pair(&p);
}

/* Waits block in recv() under SO_RCVTIMEO, armed for a first, longer
 * wait: a later, shorter wait must still end on time, not when the armed
 * timeout does. */
static void test_shrinking_waits_stay_bounded(void **state)
{
    (void)state;
    pair p;
    assert_int_equal(open_pair(&p, AF_INET, "127.0.0.1"), 0);
    uint8_t b;
    static const uint32_t waits[] = { 700, 120, 300, 40 };
    for (size_t i = 0; i < sizeof waits / sizeof waits[0]; i++) {
        uint64_t t0 = now_ms();
        assert_int_equal(p.c.recv(p.c.ctx, &b, 1, waits[i]), BRISA_ERR_TIMEOUT);
        uint64_t dt = now_ms() - t0;
        assert_true(dt + 5 >= waits[i]);
        assert_true(dt < waits[i] + 150);
    }
    close_pair(&p);
}

/* Bytes sent while the client is blocked in its wait end the wait at once
 * (the sender is another process, so nothing but the data wakes it). */
static void test_data_ends_a_blocked_wait(void **state)
{
    (void)state;
    pair p;
    assert_int_equal(open_pair(&p, AF_INET, "127.0.0.1"), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        struct timespec ts = { 0, 100 * 1000000L };
        nanosleep(&ts, NULL);
        _exit(send(p.server.fd, "x", 1, MSG_NOSIGNAL) == 1 ? 0 : 1);
    }
    uint8_t b = 0;
    uint64_t t0 = now_ms();
    int n = p.c.recv(p.c.ctx, &b, 1, 5000);
    uint64_t dt = now_ms() - t0;
    int status = 0;
    waitpid(child, &status, 0);
    assert_int_equal(n, 1);
    assert_int_equal(b, 'x');
    assert_true(dt >= 90 && dt < 2000);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close_pair(&p);
}

static void on_alarm(int sig)
{
    (void)sig;
}

/* A signal without SA_RESTART interrupts poll(); the wait must resume for
 * the time left rather than return early or fail. */
static void test_eintr_keeps_waiting(void **state)
{
    (void)state;
    pair p;
    assert_int_equal(open_pair(&p, AF_INET, "127.0.0.1"), 0);
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, &old);
    struct itimerval it = { .it_interval = { 0, 50000 }, .it_value = { 0, 50000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    uint8_t b;
    uint64_t t0 = now_ms();
    int rc = p.c.recv(p.c.ctx, &b, 1, 400);
    uint64_t dt = now_ms() - t0;
    struct itimerval off;
    memset(&off, 0, sizeof off);
    setitimer(ITIMER_REAL, &off, NULL);
    sigaction(SIGALRM, &old, NULL);
    assert_int_equal(rc, BRISA_ERR_TIMEOUT);
    assert_true(dt >= 395);
    close_pair(&p);
}

/* With nobody reading, a large send is accepted in part (the caller
 * continues it) and further sends time out once the buffers are full. */
static void test_partial_write_and_send_timeout(void **state)
{
    (void)state;
    pair p;
    assert_int_equal(open_pair(&p, AF_INET, "127.0.0.1"), 0);
    size_t big = 32u << 20;
    uint8_t *data = malloc(big);
    assert_non_null(data);
    for (size_t i = 0; i < big; i++)
        data[i] = (uint8_t)(i * 7u);
    int n = p.c.send(p.c.ctx, data, big, 0, 1000);
    assert_true(n > 0 && (size_t)n < big);
    size_t sent = (size_t)n;
    int rc;
    while ((rc = p.c.send(p.c.ctx, data + sent, big - sent, 0, 100)) > 0)
        sent += (size_t)rc;
    assert_int_equal(rc, BRISA_ERR_TIMEOUT);

    /* Everything accepted arrives intact once the peer reads. */
    uint8_t *got = malloc(sent);
    assert_non_null(got);
    recv_all(&p.s, got, sent);
    assert_memory_equal(got, data, sent);
    free(got);
    free(data);
    close_pair(&p);
}

static void test_peer_closed(void **state)
{
    (void)state;
    pair p;
    assert_int_equal(open_pair(&p, AF_INET, "127.0.0.1"), 0);
    p.s.close(p.s.ctx);
    uint8_t b[16];
    assert_int_equal(p.c.recv(p.c.ctx, b, sizeof b, 1000), BRISA_ERR_CLOSED);
    /* Writing to a closed peer fails (reset), without SIGPIPE killing us. */
    int rc = 0;
    for (int i = 0; i < 50 && rc >= 0; i++) {
        rc = p.c.send(p.c.ctx, b, sizeof b, 0, 100);
        if (rc >= 0)
            usleep(10000);
    }
    assert_true(rc == BRISA_ERR_CLOSED || rc == BRISA_ERR_IO);
    assert_true(strlen(brisa_posix_tcp_reason(&p.client)) > 0);
    close_pair(&p);
    /* A closed transport answers, it does not crash. */
    assert_int_equal(p.c.recv(p.c.ctx, b, 1, 0), BRISA_ERR_CLOSED);
    assert_int_equal(p.c.send(p.c.ctx, b, 1, 0, 0), BRISA_ERR_CLOSED);
}

/* True when bytes wait in the kernel for @p fd (not yet read ahead). */
static bool kernel_has_data(int fd)
{
    uint8_t b;
    return recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 1;
}

/* Small reads are served from one recv() that takes everything waiting;
 * the bytes come out whole and in order, and the close after them is
 * still reported. */
static void test_read_ahead_small_reads(void **state)
{
    (void)state;
    pair p;
    assert_int_equal(open_pair(&p, AF_INET, "127.0.0.1"), 0);
    uint8_t data[300];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 13u + 1u);
    assert_int_equal(p.s.send(p.s.ctx, data, sizeof data, 0, 1000), (int)sizeof data);
    uint8_t got[sizeof data];
    recv_all(&p.c, got, 2);
    assert_false(kernel_has_data(p.client.fd)); /* all of it was read ahead */
    for (size_t i = 2; i < sizeof data; i++)
        assert_int_equal(p.c.recv(p.c.ctx, got + i, 1, 0), 1);
    assert_memory_equal(got, data, sizeof data);
    p.s.close(p.s.ctx);
    assert_int_equal(p.c.recv(p.c.ctx, got, 1, 1000), BRISA_ERR_CLOSED);
    close_pair(&p);
}

/* A read larger than the read-ahead buffer takes bytes already read
 * ahead first, then goes to the socket. */
static void test_read_ahead_then_large_read(void **state)
{
    (void)state;
    pair p;
    assert_int_equal(open_pair(&p, AF_INET, "127.0.0.1"), 0);
    static uint8_t data[3 * BRISA_POSIX_TCP_READ_AHEAD], got[sizeof data];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7u + 3u);
    assert_int_equal(p.s.send(p.s.ctx, data, 10, 0, 1000), 10);
    recv_all(&p.c, got, 4);
    assert_int_equal(p.s.send(p.s.ctx, data + 10, sizeof data - 10, 0, 1000),
                     (int)(sizeof data - 10));
    recv_all(&p.c, got + 4, sizeof data - 4);
    assert_memory_equal(got, data, sizeof data);
    close_pair(&p);
}

/* Skipping the look that would meet EAGAIN must never hide bytes: not
 * after a send (the answer may be there at once), and not once time has
 * passed since the socket was emptied. */
static void test_drained_socket_is_looked_at_again(void **state)
{
    (void)state;
    pair p;
    assert_int_equal(open_pair(&p, AF_INET, "127.0.0.1"), 0);
    uint8_t b[8];
    assert_int_equal(p.s.send(p.s.ctx, (const uint8_t *)"a", 1, 0, 1000), 1);
    recv_all(&p.c, b, 1); /* empties the socket */

    /* Later: the peer's bytes (an alert, say) are found at once. */
    usleep(3000);
    assert_int_equal(p.s.send(p.s.ctx, (const uint8_t *)"b", 1, 0, 1000), 1);
    while (!kernel_has_data(p.client.fd))
        usleep(100);
    assert_int_equal(p.c.recv(p.c.ctx, b, 1, 0), 1);
    assert_int_equal(b[0], 'b');

    /* After our own send: an answer already here is found at once. */
    assert_int_equal(p.c.send(p.c.ctx, (const uint8_t *)"q", 1, 0, 1000), 1);
    recv_all(&p.s, b, 1);
    assert_int_equal(p.s.send(p.s.ctx, (const uint8_t *)"r", 1, 0, 1000), 1);
    if (kernel_has_data(p.client.fd)) {
        assert_int_equal(p.c.recv(p.c.ctx, b, 1, 0), 1);
        assert_int_equal(b[0], 'r');
    }
    close_pair(&p);
}

static void test_refused(void **state)
{
    (void)state;
    uint16_t port;
    int fd = listen_on(AF_INET, 1, &port);
    assert_true(fd >= 0);
    close(fd); /* now nobody listens there */
    brisa_posix_tcp t;
    brisa_posix_tcp_init(&t);
    assert_int_equal(brisa_posix_tcp_connect(&t, "127.0.0.1", port, NULL), BRISA_ERR_CONNECT);
    assert_string_equal(brisa_posix_tcp_reason(&t), "Connection refused");
    assert_non_null(strstr(brisa_posix_tcp_error(&t), "Connection refused"));
    assert_non_null(strstr(brisa_posix_tcp_error(&t), "127.0.0.1"));
}

/* A listener whose accept queue is full, which drops further SYNs: a
 * connect to it gets no answer. @p fill receives the @p n sockets that
 * filled it. */
static int full_listener(uint16_t *port, int *fill, int n)
{
    int lfd = listen_on(AF_INET, 0, port);
    assert_true(lfd >= 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(*port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    for (int i = 0; i < n; i++) {
        fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        connect(fill[i], (struct sockaddr *)&a, sizeof a);
    }
    usleep(50000);
    return lfd;
}

/* A connect to a full listener gets no answer: the timeout must bound it. */
static void test_connect_timeout(void **state)
{
    (void)state;
    uint16_t port;
    int fill[8];
    int nfill = 8;
    int lfd = full_listener(&port, fill, nfill);
    brisa_posix_tcp t;
    brisa_posix_tcp_init(&t);
    brisa_posix_tcp_options o = { .connect_timeout_ms = 300, .family = BRISA_POSIX_TCP_IPV4 };
    uint64_t t0 = now_ms();
    int rc = brisa_posix_tcp_connect(&t, "127.0.0.1", port, &o);
    uint64_t dt = now_ms() - t0;
    for (int i = 0; i < nfill; i++)
        close(fill[i]);
    close(lfd);
    assert_int_equal(rc, BRISA_ERR_TIMEOUT);
    assert_true(dt >= 295 && dt < 3000);
    assert_non_null(strstr(brisa_posix_tcp_error(&t), "no answer within 300 ms"));
}

/* A cancel hook that says "stop" once it has been asked @p after times. */
typedef struct canceller {
    int asked;
    int after;
} canceller;

static bool cancel_after(void *user)
{
    canceller *c = user;
    return ++c->asked > c->after;
}

/* A connect that gets no answer ends as soon as the hook says so, far
 * ahead of its timeout, and says it was stopped. */
static void test_connect_cancelled(void **state)
{
    (void)state;
    uint16_t port;
    int fill[8];
    int lfd = full_listener(&port, fill, 8);
    brisa_posix_tcp t;
    brisa_posix_tcp_init(&t);
    canceller c = { 0, 3 }; /* a few slices of waiting, then stop */
    brisa_posix_tcp_options o = { .connect_timeout_ms = 5000, .family = BRISA_POSIX_TCP_IPV4,
                                  .cancel = cancel_after, .cancel_user = &c };
    uint64_t t0 = now_ms();
    int rc = brisa_posix_tcp_connect(&t, "127.0.0.1", port, &o);
    uint64_t dt = now_ms() - t0;
    for (int i = 0; i < 8; i++)
        close(fill[i]);
    close(lfd);
    assert_int_equal(rc, BRISA_ERR_CANCELLED);
    assert_true(dt >= 40 && dt < 1000);
    assert_int_equal(c.asked, 4);
    assert_non_null(strstr(brisa_posix_tcp_error(&t), "stopped"));
}

/* The hook stays on the connection: a read ends with BRISA_ERR_CANCELLED,
 * and once the hook is removed the same wait runs to its timeout. */
static void test_recv_cancelled(void **state)
{
    (void)state;
    pair p;
    assert_int_equal(open_pair(&p, AF_INET, "127.0.0.1"), 0);
    canceller c = { 0, 1 };
    brisa_posix_tcp_set_cancel(&p.client, cancel_after, &c);
    uint8_t b;
    uint64_t t0 = now_ms();
    assert_int_equal(p.c.recv(p.c.ctx, &b, 1, 5000), BRISA_ERR_CANCELLED);
    assert_true(now_ms() - t0 < 1000);
    brisa_posix_tcp_set_cancel(&p.client, NULL, NULL);
    assert_int_equal(p.c.recv(p.c.ctx, &b, 1, 100), BRISA_ERR_TIMEOUT);
    assert_int_equal(p.s.send(p.s.ctx, (const uint8_t *)"x", 1, 0, 1000), 1);
    assert_int_equal(p.c.recv(p.c.ctx, &b, 1, 1000), 1);
    close_pair(&p);
}

static void test_unresolvable(void **state)
{
    (void)state;
    /* A 70-byte label cannot be put in a DNS query, so the resolver fails
     * locally: no packet leaves this machine. */
    char name[96];
    memset(name, 'x', 70);
    strcpy(name + 70, ".invalid");
    brisa_posix_tcp t;
    brisa_posix_tcp_init(&t);
    assert_int_equal(brisa_posix_tcp_connect(&t, name, 1883, NULL), BRISA_ERR_RESOLVE);
    assert_true(strlen(brisa_posix_tcp_reason(&t)) > 0);
    assert_non_null(strstr(brisa_posix_tcp_error(&t), "resolve"));
}

static void test_bad_arguments(void **state)
{
    (void)state;
    brisa_posix_tcp t;
    brisa_posix_tcp_init(&t);
    assert_int_equal(brisa_posix_tcp_connect(&t, "", 1883, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_posix_tcp_connect(&t, "127.0.0.1", 0, NULL), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_posix_tcp_adopt(&t, -1), BRISA_ERR_INVALID_ARG);
    assert_string_equal(brisa_posix_tcp_error(&t), "");
    brisa_posix_tcp_close(&t); /* closing a never-opened transport is fine */

    pair p;
    assert_int_equal(open_pair(&p, AF_INET, "127.0.0.1"), 0);
    assert_int_equal(brisa_posix_tcp_connect(&p.client, "127.0.0.1", p.port, NULL),
                     BRISA_ERR_STATE);
    close_pair(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_ipv4),
        cmocka_unit_test(test_round_trip_ipv6),
        cmocka_unit_test(test_family_restricts_addresses),
        cmocka_unit_test(test_recv_timeout),
        cmocka_unit_test(test_eintr_keeps_waiting),
        cmocka_unit_test(test_shrinking_waits_stay_bounded),
        cmocka_unit_test(test_data_ends_a_blocked_wait),
        cmocka_unit_test(test_partial_write_and_send_timeout),
        cmocka_unit_test(test_peer_closed),
        cmocka_unit_test(test_read_ahead_small_reads),
        cmocka_unit_test(test_read_ahead_then_large_read),
        cmocka_unit_test(test_drained_socket_is_looked_at_again),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_connect_timeout),
        cmocka_unit_test(test_connect_cancelled),
        cmocka_unit_test(test_recv_cancelled),
        cmocka_unit_test(test_unresolvable),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
