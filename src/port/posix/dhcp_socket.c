// SPDX-License-Identifier: MIT
/* The datagram the DHCP client uses on Linux: a UDP socket on port 68 tied
 * to one interface. Linux lets such a socket send from 0.0.0.0 to the
 * limited broadcast address and deliver broadcast replies to it before the
 * interface has any IPv4 address, so no packet socket is needed. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "brisa/dhcp.h"
#include "brisa/err.h"
#include "brisa/port/posix_netif.h"

static int dhcp_send(void *ctx, const brisa_ip_addr *dst, uint16_t port, const uint8_t *buf,
                     size_t len)
{
    brisa_posix_dhcp_socket *s = ctx;
    if (dst->family != BRISA_IP_V4)
        return BRISA_ERR_INVALID_ARG;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    memcpy(&sa.sin_addr, dst->bytes, 4);
    for (;;) {
        ssize_t n = sendto(s->fd, buf, len, 0, (const struct sockaddr *)&sa, sizeof sa);
        if (n >= 0)
            return BRISA_OK;
        if (errno == EINTR)
            continue;
        snprintf(s->error, sizeof s->error, "DHCP send to port %u: %s", port, strerror(errno));
        return BRISA_ERR_IO;
    }
}

static int dhcp_recv(void *ctx, brisa_ip_addr *src, uint16_t *src_port, uint8_t *buf,
                     size_t cap, uint32_t timeout_ms)
{
    brisa_posix_dhcp_socket *s = ctx;
    struct pollfd pfd = { s->fd, POLLIN, 0 };
    int timeout = timeout_ms > (uint32_t)INT32_MAX ? INT32_MAX : (int)timeout_ms;
    int r = poll(&pfd, 1, timeout);
    if (r == 0)
        return BRISA_ERR_TIMEOUT;
    if (r < 0) {
        /* A signal: let the caller look at its flags and call again. */
        if (errno == EINTR)
            return BRISA_ERR_TIMEOUT;
        snprintf(s->error, sizeof s->error, "DHCP poll: %s", strerror(errno));
        return BRISA_ERR_IO;
    }
    struct sockaddr_in sa = { 0 }; /* all zero if the kernel fills less */
    socklen_t salen = sizeof sa;
    ssize_t n = recvfrom(s->fd, buf, cap, MSG_TRUNC | MSG_DONTWAIT, (struct sockaddr *)&sa, &salen);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return BRISA_ERR_TIMEOUT;
        snprintf(s->error, sizeof s->error, "DHCP receive: %s", strerror(errno));
        return BRISA_ERR_IO;
    }
    if (src) {
        *src = brisa_ip_v4(0, 0, 0, 0);
        memcpy(src->bytes, &sa.sin_addr, 4);
    }
    if (src_port)
        *src_port = ntohs(sa.sin_port);
    if ((size_t)n > cap)
        return BRISA_ERR_TOO_LARGE;
    return (int)n;
}

static void dhcp_close(void *ctx)
{
    brisa_posix_dhcp_socket *s = ctx;
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

brisa_err brisa_posix_dhcp_socket_open(brisa_posix_dhcp_socket *s, const char *ifname,
                                       brisa_datagram *out)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    if (ifname == NULL || strlen(ifname) >= 16) {
        snprintf(s->error, sizeof s->error, "bad interface name");
        return BRISA_ERR_INVALID_ARG;
    }
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(s->error, sizeof s->error, "UDP socket: %s", strerror(errno));
        return BRISA_ERR_IO;
    }
    int one = 1;
    const char *step = "SO_REUSEADDR";
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
        goto fail;
    step = "SO_BROADCAST";
    if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) != 0)
        goto fail;
    step = "SO_BINDTODEVICE";
    if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) != 0)
        goto fail;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(BRISA_DHCP_CLIENT_PORT);
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    step = "bind 0.0.0.0:68";
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        goto fail;
    s->fd = fd;
    out->ctx = s;
    out->send_to = dhcp_send;
    out->recv_from = dhcp_recv;
    out->close = dhcp_close;
    return BRISA_OK;
fail:;
    int err = errno;
    snprintf(s->error, sizeof s->error, "DHCP socket on %s: %s: %s", ifname, step, strerror(err));
    close(fd);
    return err == ENODEV ? BRISA_ERR_NOT_FOUND : BRISA_ERR_IO;
}
