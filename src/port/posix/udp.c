// SPDX-License-Identifier: MIT
/* UDP endpoints for the DNS and SNTP clients on Linux, and the opener that
 * binds each new one to a random port (RFC 6056: unpredictable source
 * ports make blind reply spoofing 65536 times harder). */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "posix_internal.h"
#include "brisa/err.h"
#include "brisa/port/posix_udp.h"

#define RANDOM_PORT_TRIES 16


void brisa_posix_udp_init(brisa_posix_udp *u)
{
    memset(u, 0, sizeof *u);
    u->fd = -1;
}

static int fail(brisa_posix_udp *u, const char *what, int err)
{
    u->sys_errno = err;
    snprintf(u->msg, sizeof u->msg, "%s: %s", what, strerror(err));
    return BRISA_ERR_IO;
}

/* brisa_ip_addr + port -> sockaddr of the socket's family. */
static bool to_sockaddr(uint8_t family, const brisa_ip_addr *ip, uint16_t port,
                        struct sockaddr_storage *ss, socklen_t *len)
{
    memset(ss, 0, sizeof *ss);
    if (family == BRISA_IP_V4) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        if (ip && ip->family != BRISA_IP_V4)
            return false;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        if (ip)
            memcpy(&sin->sin_addr, ip->bytes, 4);
        *len = sizeof *sin;
        return true;
    }
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    if (family != BRISA_IP_V6 || (ip && ip->family != BRISA_IP_V6))
        return false;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    if (ip)
        memcpy(&sin6->sin6_addr, ip->bytes, 16);
    *len = sizeof *sin6;
    return true;
}

static void from_sockaddr(const struct sockaddr_storage *ss, brisa_ip_addr *ip, uint16_t *port)
{
    memset(ip, 0, sizeof *ip);
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
        ip->family = BRISA_IP_V4;
        memcpy(ip->bytes, &sin->sin_addr, 4);
        *port = ntohs(sin->sin_port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
        ip->family = BRISA_IP_V6;
        memcpy(ip->bytes, &sin6->sin6_addr, 16);
        *port = ntohs(sin6->sin6_port);
    } else {
        *port = 0;
    }
}

static uint16_t random_port(void)
{
    uint16_t r = 0;
    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
        return 0; /* the kernel will pick */
    return (uint16_t)(1024u + r % (65536u - 1024u));
}

static int bind_port(brisa_posix_udp *u, const brisa_posix_udp_options *opt)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int tries = opt->port ? 1 : RANDOM_PORT_TRIES + 1;
    for (int i = 0; i < tries; i++) {
        /* The last try of a random bind lets the kernel choose. */
        uint16_t port = opt->port ? opt->port : i < RANDOM_PORT_TRIES ? random_port() : 0;
        if (!to_sockaddr(u->family, opt->local, port, &ss, &len)) {
            snprintf(u->msg, sizeof u->msg, "bind: local address is not of the socket's family");
            return BRISA_ERR_INVALID_ARG;
        }
        if (bind(u->fd, (struct sockaddr *)&ss, len) == 0)
            return BRISA_OK;
        if (errno != EADDRINUSE && errno != EACCES)
            break;
    }
    char where[BRISA_IP_STR_MAX + 32];
    char ip[BRISA_IP_STR_MAX] = "any address";
    if (opt->local)
        brisa_ip_format(opt->local, ip, sizeof ip);
    snprintf(where, sizeof where, "bind to %s port %u", ip, (unsigned)opt->port);
    return fail(u, where, errno);
}

brisa_err brisa_posix_udp_open(brisa_posix_udp *u, uint8_t family, const brisa_posix_udp_options *opt)
{
    static const brisa_posix_udp_options defaults = { NULL, 0, NULL, false };
    int one = 1;

    if (!u || (family != BRISA_IP_V4 && family != BRISA_IP_V6))
        return BRISA_ERR_INVALID_ARG;
    if (u->fd >= 0)
        return BRISA_ERR_STATE;
    if (!opt)
        opt = &defaults;
    if (opt->local && opt->local->family != family)
        return BRISA_ERR_INVALID_ARG;
    u->family = family;
    u->port = 0;
    u->sys_errno = 0;
    u->msg[0] = '\0';
    u->fd = socket(family == BRISA_IP_V4 ? AF_INET : AF_INET6,
                   SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_UDP);
    if (u->fd < 0)
        return fail(u, "socket", errno);
    int rc = BRISA_OK;
    if (family == BRISA_IP_V6 &&
        setsockopt(u->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0)
        rc = fail(u, "IPV6_V6ONLY", errno);
    if (rc == BRISA_OK && opt->broadcast &&
        setsockopt(u->fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) != 0)
        rc = fail(u, "SO_BROADCAST", errno);
    if (rc == BRISA_OK && opt->ifname) {
        char what[IF_NAMESIZE + 32];
        snprintf(what, sizeof what, "bind to device %s", opt->ifname);
        if (setsockopt(u->fd, SOL_SOCKET, SO_BINDTODEVICE, opt->ifname,
                       (socklen_t)strlen(opt->ifname) + 1) != 0)
            rc = fail(u, what, errno);
    }
    if (rc == BRISA_OK)
        rc = bind_port(u, opt);
    if (rc != BRISA_OK) {
        close(u->fd);
        u->fd = -1;
        return rc;
    }
    struct sockaddr_storage ss = { 0 }; /* all zero if the kernel fills less */
    socklen_t len = sizeof ss;
    brisa_ip_addr ignored;
    if (getsockname(u->fd, (struct sockaddr *)&ss, &len) == 0)
        from_sockaddr(&ss, &ignored, &u->port);
    return BRISA_OK;
}

static int udp_send(void *ctx, const brisa_ip_addr *dst, uint16_t port, const uint8_t *buf,
                    size_t len)
{
    brisa_posix_udp *u = ctx;
    struct sockaddr_storage ss;
    socklen_t sl;

    if (u->fd < 0)
        return BRISA_ERR_STATE;
    if (!dst || !to_sockaddr(u->family, dst, port, &ss, &sl))
        return BRISA_ERR_INVALID_ARG;
    for (;;) {
        ssize_t n = sendto(u->fd, buf, len, MSG_NOSIGNAL, (struct sockaddr *)&ss, sl);
        if (n >= 0)
            return BRISA_OK;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            /* A full send queue drains fast; wait a little for room. */
            struct pollfd p = { .fd = u->fd, .events = POLLOUT, .revents = 0 };
            if (poll(&p, 1, 1000) > 0)
                continue;
            return BRISA_ERR_TIMEOUT;
        }
        char ip[BRISA_IP_STR_MAX], what[BRISA_IP_STR_MAX + 32];
        brisa_ip_format(dst, ip, sizeof ip);
        snprintf(what, sizeof what, "send to %s port %u", ip, (unsigned)port);
        return fail(u, what, errno);
    }
}

static int udp_recv(void *ctx, brisa_ip_addr *src, uint16_t *src_port, uint8_t *buf, size_t cap,
                    uint32_t timeout_ms)
{
    brisa_posix_udp *u = ctx;
    if (u->fd < 0)
        return BRISA_ERR_STATE;
    uint64_t deadline = bri_posix_mono_ms() + timeout_ms;
    for (;;) {
        struct sockaddr_storage ss = { 0 }; /* all zero if the kernel fills less */
        socklen_t sl = sizeof ss;
        /* MSG_TRUNC: the real length, so an oversized datagram is seen. */
        ssize_t n = recvfrom(u->fd, buf, cap, MSG_TRUNC, (struct sockaddr *)&ss, &sl);
        if (n >= 0) {
            brisa_ip_addr ip;
            uint16_t port;
            from_sockaddr(&ss, &ip, &port);
            if (src)
                *src = ip;
            if (src_port)
                *src_port = port;
            if ((size_t)n > cap || n > INT_MAX)
                return BRISA_ERR_TOO_LARGE;
            return (int)n;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return fail(u, "receive", errno);
        uint64_t now = bri_posix_mono_ms();
        if (now >= deadline)
            return BRISA_ERR_TIMEOUT;
        uint64_t left = deadline - now;
        struct pollfd p = { .fd = u->fd, .events = POLLIN, .revents = 0 };
        int rc = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
        if (rc < 0 && errno != EINTR)
            return fail(u, "poll", errno);
    }
}

void brisa_posix_udp_close(brisa_posix_udp *u)
{
    if (u && u->fd >= 0) {
        close(u->fd);
        u->fd = -1;
        u->port = 0;
    }
}

static void udp_close(void *ctx)
{
    brisa_posix_udp_close(ctx);
}

brisa_datagram brisa_posix_udp_datagram(brisa_posix_udp *u)
{
    brisa_datagram d = { u, udp_send, udp_recv, udp_close };
    return d;
}

uint16_t brisa_posix_udp_port(const brisa_posix_udp *u)
{
    return u->fd >= 0 ? u->port : 0;
}

const char *brisa_posix_udp_error(const brisa_posix_udp *u)
{
    return u->msg;
}

static int opener_open(void *ctx, uint8_t family, brisa_datagram *out)
{
    brisa_posix_udp_opener *o = ctx;
    brisa_posix_udp_close(&o->udp); /* at most one endpoint per opener */
    int rc = brisa_posix_udp_open(&o->udp, family, &o->opt);
    if (rc == BRISA_OK)
        *out = brisa_posix_udp_datagram(&o->udp);
    return rc;
}

brisa_datagram_opener brisa_posix_udp_opener_init(brisa_posix_udp_opener *o,
                                                  const brisa_posix_udp_options *opt)
{
    brisa_posix_udp_init(&o->udp);
    memset(&o->opt, 0, sizeof o->opt);
    if (opt)
        o->opt = *opt;
    o->opt.port = 0;
    /* A fixed local address pins the family; leave it to each open(). */
    brisa_datagram_opener op = { o, opener_open };
    return op;
}

/* ---- DNS over TCP ----------------------------------------------------------- */

static int dns_tcp_open(void *ctx, const brisa_ip_addr *ip, uint16_t port, uint32_t timeout_ms,
                        brisa_transport *out)
{
    brisa_posix_tcp *t = ctx;
    char host[BRISA_IP_STR_MAX];
    if (brisa_ip_format(ip, host, sizeof host) < 0)
        return BRISA_ERR_INVALID_ARG;
    brisa_posix_tcp_close(t);
    brisa_posix_tcp_options opt = { .connect_timeout_ms = timeout_ms,
                                    .family = ip->family == BRISA_IP_V6 ? BRISA_POSIX_TCP_IPV6
                                                                        : BRISA_POSIX_TCP_IPV4 };
    /* A numeric host: getaddrinfo() resolves nothing over the network. */
    int rc = brisa_posix_tcp_connect(t, host, port, &opt);
    if (rc == BRISA_OK)
        *out = brisa_posix_tcp_transport(t);
    return rc;
}

brisa_dns_tcp_opener brisa_posix_dns_tcp_opener(brisa_posix_tcp *t)
{
    brisa_dns_tcp_opener op = { t, dns_tcp_open };
    return op;
}
