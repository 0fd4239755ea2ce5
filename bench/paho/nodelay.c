// SPDX-License-Identifier: MIT
/* LD_PRELOAD shim for the "paho-nodelay" column: Paho MQTT C has no way to
 * turn off Nagle's algorithm, so with QoS 1/2 its small acknowledgements
 * wait for the peer's delayed ACK (about 40 ms a cycle). This shim sets
 * TCP_NODELAY on every TCP socket the process connects, which shows what
 * Paho's own code costs once that stall is gone. Not how Paho ships. */
#include <dlfcn.h>
#include <stddef.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

/* glibc declares connect() with a transparent union under _GNU_SOURCE
 * (needed for RTLD_NEXT), so the definition uses the same type. */
int connect(int fd, __CONST_SOCKADDR_ARG addr, socklen_t len)
{
    static int (*real)(int, __CONST_SOCKADDR_ARG, socklen_t);
    if (real == NULL)
        *(void **)&real = dlsym(RTLD_NEXT, "connect");
    const struct sockaddr *sa = addr.__sockaddr__;
    if (sa != NULL && (sa->sa_family == AF_INET || sa->sa_family == AF_INET6)) {
        int one = 1;
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return real(fd, addr, len);
}
