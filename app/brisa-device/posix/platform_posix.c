// SPDX-License-Identifier: MIT
/* The device's platform on Linux: sockets, netlink, the host's clocks,
 * signals (see platform.h). */
#include "platform.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "brisa/err.h"
#include "brisa/port/posix.h"

volatile sig_atomic_t plat_signal_stop;

uint64_t plat_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void plat_sleep_ms(unsigned ms)
{
    struct timespec ts = { (time_t)(ms / 1000u), (long)(ms % 1000u) * 1000000L };
    nanosleep(&ts, NULL);
}

bool plat_stop_requested(void)
{
    return plat_signal_stop != 0;
}

bool plat_errors_separate(void)
{
    /* Errors also reach stderr, unless it is the same file as stdout. */
    struct stat out, err;
    return !(fstat(STDOUT_FILENO, &out) == 0 && fstat(STDERR_FILENO, &err) == 0 &&
             out.st_dev == err.st_dev && out.st_ino == err.st_ino);
}

void plat_memory_report(const char *when)
{
    (void)when; /* the host has its own tools (valgrind massif) */
}

void plat_tcp_init(plat_tcp *t)
{
    brisa_posix_tcp_init(t);
}

int plat_tcp_connect(plat_tcp *t, const brisa_ip_addr *ip, uint16_t port, uint32_t timeout_ms)
{
    char addr[BRISA_IP_STR_MAX];
    brisa_ip_format(ip, addr, sizeof addr);
    brisa_posix_tcp_options to = { .connect_timeout_ms = timeout_ms, .cancel = t->cancel,
                                   .cancel_user = t->cancel_user };
    return brisa_posix_tcp_connect(t, addr, port, &to);
}

int plat_tcp_connect_host(plat_tcp *t, const char *host, uint16_t port, uint32_t timeout_ms)
{
    brisa_posix_tcp_options to = { .connect_timeout_ms = timeout_ms, .cancel = t->cancel,
                                   .cancel_user = t->cancel_user };
    return brisa_posix_tcp_connect(t, host, port, &to);
}

void plat_tcp_set_cancel(plat_tcp *t, bool (*cancel)(void *user), void *user)
{
    brisa_posix_tcp_set_cancel(t, cancel, user);
}

brisa_transport plat_tcp_transport(plat_tcp *t)
{
    return brisa_posix_tcp_transport(t);
}

const char *plat_tcp_error(const plat_tcp *t)
{
    return brisa_posix_tcp_error(t);
}

void plat_tcp_close(plat_tcp *t)
{
    brisa_posix_tcp_close(t);
}

void plat_net_init(plat_net *p)
{
    brisa_posix_tcp_init(&p->dns_tcp);
}

brisa_clock plat_mono_clock(void)
{
    return brisa_posix_monotonic_clock();
}

brisa_rng plat_rng(void)
{
    return brisa_posix_rng();
}

const brisa_rng *plat_tls_rng(void)
{
    return NULL; /* mbedTLS's and OpenSSL's own (getrandom) */
}

brisa_sntp_fine_clock plat_fine_clock(void)
{
    return brisa_posix_fine_clock(false);
}

bool plat_host_wall_ms(int64_t *unix_ms)
{
    brisa_clock host = brisa_posix_clock();
    return host.wall_ms(host.ctx, unix_ms);
}

int plat_netif_open(plat_net *p, const char *ifname, uint8_t mac[6], char *why, size_t why_len)
{
    if (brisa_posix_netif_open(&p->nif, ifname) != BRISA_OK) {
        snprintf(why, why_len, "interface %s: %s", ifname, p->nif.error);
        return BRISA_ERR_NOT_FOUND;
    }
    memcpy(mac, p->nif.mac, 6);
    if (brisa_posix_netif_set_up(&p->nif) != BRISA_OK) {
        snprintf(why, why_len, "cannot bring %s up: %s", ifname, p->nif.error);
        return BRISA_ERR_IO;
    }
    if (brisa_posix_netif_wait_running(&p->nif, 5000) != BRISA_OK) {
        snprintf(why, why_len, "%s has no carrier", ifname);
        return BRISA_ERR_TIMEOUT;
    }
    return BRISA_OK;
}

int plat_netif_apply(plat_net *p, const brisa_dhcp_lease *lease, char *why, size_t why_len)
{
    if (brisa_posix_netif_apply(&p->nif, lease) != BRISA_OK) {
        snprintf(why, why_len, "cannot configure %s: %s", p->nif.name, p->nif.error);
        return BRISA_ERR_IO;
    }
    return BRISA_OK;
}

void plat_netif_close(plat_net *p, bool flush)
{
    if (flush)
        brisa_posix_netif_flush(&p->nif);
    brisa_posix_netif_close(&p->nif);
}

int plat_address_in_use(void *p, const brisa_ip_addr *addr)
{
    return brisa_posix_netif_address_in_use(&((plat_net *)p)->nif, addr);
}

int plat_dhcp_open(plat_net *p, const char *ifname, brisa_datagram *out, char *why, size_t why_len)
{
    if (brisa_posix_dhcp_socket_open(&p->dhcp_sock, ifname, out) != BRISA_OK) {
        snprintf(why, why_len, "DHCP socket on %s: %s", ifname, p->dhcp_sock.error);
        return BRISA_ERR_IO;
    }
    return BRISA_OK;
}

brisa_datagram_opener plat_dns_udp(plat_net *p)
{
    return brisa_posix_udp_opener_init(&p->dns_udp, NULL);
}

brisa_datagram_opener plat_ntp_udp(plat_net *p)
{
    return brisa_posix_udp_opener_init(&p->ntp_udp, NULL);
}

brisa_dns_tcp_opener plat_dns_tcp(plat_net *p)
{
    return brisa_posix_dns_tcp_opener(&p->dns_tcp);
}

size_t plat_system_dns(brisa_dns_server *out, size_t cap)
{
    return brisa_posix_resolv_conf(NULL, out, cap);
}

int plat_store_open(plat_store *s, const char *dir, brisa_mqtt_store *iface)
{
    int rc = brisa_posix_store_open(s, dir, true);
    if (rc == BRISA_OK)
        *iface = brisa_posix_store_iface(s);
    return rc;
}

const char *plat_store_error(const plat_store *s)
{
    return brisa_posix_store_error(s);
}
