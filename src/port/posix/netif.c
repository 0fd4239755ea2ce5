// SPDX-License-Identifier: MIT
/* Interface configuration over rtnetlink (libmnl): link up, IPv4 addresses
 * with the lease as their lifetime, the default route, flushing. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
/* after <net/if.h>: its libc-compat guard then skips the duplicates */
#include <linux/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "brisa/err.h"
#include "brisa/port/posix_netif.h"

#define MAX_ADDRS 16
/* Requests are a header and a few attributes; answers may be a long dump
 * (MNL_SOCKET_DUMP_SIZE is what libmnl recommends for those). */
#define NL_REQ_SIZE 512
#define NL_RX_SIZE 32768

__attribute__((format(printf, 3, 4)))
static int fail(brisa_posix_netif *nif, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(nif->error, sizeof nif->error, fmt, ap);
    va_end(ap);
    return code;
}

static void ip_text(const brisa_ip_addr *ip, char out[BRISA_IP_STR_MAX])
{
    if (brisa_ip_format(ip, out, BRISA_IP_STR_MAX) < 0)
        snprintf(out, BRISA_IP_STR_MAX, "(none)");
}

brisa_err brisa_posix_netif_open(brisa_posix_netif *nif, const char *ifname)
{
    memset(nif, 0, sizeof *nif);
    nif->probe_ms = 1000;
    if (ifname == NULL || strlen(ifname) >= sizeof nif->name)
        return fail(nif, BRISA_ERR_INVALID_ARG, "bad interface name");
    strcpy(nif->name, ifname);
    unsigned idx = if_nametoindex(ifname);
    if (idx == 0)
        return fail(nif, BRISA_ERR_NOT_FOUND, "interface %s: %s", ifname, strerror(errno));
    nif->index = (int)idx;

    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fail(nif, BRISA_ERR_IO, "socket: %s", strerror(errno));
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, ifname);
    int rc = ioctl(fd, SIOCGIFHWADDR, &ifr);
    int err = errno;
    close(fd);
    if (rc != 0)
        return fail(nif, BRISA_ERR_IO, "hardware address of %s: %s", ifname, strerror(err));
    memcpy(nif->mac, ifr.ifr_hwaddr.sa_data, 6);

    struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
    if (nl == NULL)
        return fail(nif, BRISA_ERR_IO, "netlink socket: %s", strerror(errno));
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        err = errno;
        mnl_socket_close(nl);
        return fail(nif, BRISA_ERR_IO, "netlink bind: %s", strerror(err));
    }
    nif->nl = nl;
    return BRISA_OK;
}

void brisa_posix_netif_close(brisa_posix_netif *nif)
{
    if (nif->nl)
        mnl_socket_close(nif->nl);
    nif->nl = NULL;
}

/* Sends one request and reads until its ACK (or the end of a dump),
 * handing every answer to @p cb. */
static int talk(brisa_posix_netif *nif, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
                const char *what)
{
    struct mnl_socket *nl = nif->nl;
    if (nl == NULL)
        return fail(nif, BRISA_ERR_STATE, "%s on %s: interface not open", what, nif->name);
    nlh->nlmsg_seq = ++nif->seq;
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
        return fail(nif, BRISA_ERR_IO, "%s on %s: %s", what, nif->name, strerror(errno));
    unsigned portid = mnl_socket_get_portid(nl);
    char buf[NL_RX_SIZE];
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof buf);
        if (n < 0)
            return fail(nif, BRISA_ERR_IO, "%s on %s: %s", what, nif->name, strerror(errno));
        int r = mnl_cb_run(buf, (size_t)n, nif->seq, portid, cb, data);
        if (r == MNL_CB_ERROR) {
            int err = errno;
            /* No such device, or no such route to delete (ESRCH). */
            bool missing = err == ENODEV || err == ESRCH;
            return fail(nif, missing ? BRISA_ERR_NOT_FOUND : BRISA_ERR_IO, "%s on %s: %s",
                        what, nif->name, strerror(err));
        }
        if (r <= MNL_CB_STOP)
            return BRISA_OK;
    }
}

static struct nlmsghdr *start_msg(char *buf, uint16_t type, uint16_t flags)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = type;
    /* Adding is idempotent: a renewal replaces what the last lease set. */
    if (type == RTM_NEWADDR || type == RTM_NEWROUTE)
        flags |= NLM_F_CREATE | NLM_F_REPLACE;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    return nlh;
}

brisa_err brisa_posix_netif_set_up(brisa_posix_netif *nif)
{
    char buf[NL_REQ_SIZE];
    struct nlmsghdr *nlh = start_msg(buf, RTM_NEWLINK, NLM_F_ACK);
    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = nif->index;
    ifi->ifi_flags = IFF_UP;
    ifi->ifi_change = IFF_UP;
    return talk(nif, nlh, NULL, NULL, "set link up");
}

static int link_attr_cb(const struct nlattr *attr, void *data)
{
    if (mnl_attr_get_type(attr) == IFLA_OPERSTATE && mnl_attr_validate(attr, MNL_TYPE_U8) == 0)
        *(int *)data = mnl_attr_get_u8(attr);
    return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
    const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
    int *oper = data;
    if (!(ifi->ifi_flags & IFF_RUNNING)) {
        *oper = IF_OPER_DOWN;
        return MNL_CB_OK;
    }
    mnl_attr_parse(nlh, sizeof *ifi, link_attr_cb, oper);
    return MNL_CB_OK;
}

brisa_err brisa_posix_netif_wait_running(brisa_posix_netif *nif, uint32_t timeout_ms)
{
    for (uint32_t waited = 0;; waited += 10) {
        char buf[NL_REQ_SIZE];
        struct nlmsghdr *nlh = start_msg(buf, RTM_GETLINK, NLM_F_ACK);
        struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);
        ifi->ifi_family = AF_UNSPEC;
        ifi->ifi_index = nif->index;
        int oper = IF_OPER_UNKNOWN;
        int rc = talk(nif, nlh, link_cb, &oper, "read link state");
        if (rc != BRISA_OK)
            return rc;
        /* Devices without operstate support report UNKNOWN when running. */
        if (oper == IF_OPER_UP || oper == IF_OPER_UNKNOWN)
            return BRISA_OK;
        if (waited >= timeout_ms)
            return fail(nif, BRISA_ERR_TIMEOUT, "%s: no carrier after %u ms", nif->name, timeout_ms);
        struct timespec ts = { 0, 10 * 1000000L };
        nanosleep(&ts, NULL);
    }
}

static int address_msg(brisa_posix_netif *nif, uint16_t type, const brisa_ip_addr *addr,
                       uint8_t prefix_len, uint32_t lifetime_s)
{
    char text[BRISA_IP_STR_MAX], what[96];
    ip_text(addr, text);
    snprintf(what, sizeof what, "%s address %s/%u", type == RTM_NEWADDR ? "add" : "remove",
             text, prefix_len);
    if (addr->family != BRISA_IP_V4 || prefix_len > 32)
        return fail(nif, BRISA_ERR_INVALID_ARG, "%s on %s: not an IPv4 address/prefix", what,
                    nif->name);
    char buf[NL_REQ_SIZE];
    struct nlmsghdr *nlh = start_msg(buf, type, NLM_F_ACK);
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof *ifa);
    ifa->ifa_family = AF_INET;
    ifa->ifa_prefixlen = prefix_len;
    ifa->ifa_scope = RT_SCOPE_UNIVERSE;
    ifa->ifa_index = (unsigned)nif->index;
    mnl_attr_put(nlh, IFA_LOCAL, 4, addr->bytes);
    mnl_attr_put(nlh, IFA_ADDRESS, 4, addr->bytes);
    if (type == RTM_NEWADDR) {
        if (prefix_len < 31) {
            brisa_ip_addr mask = brisa_dhcp_prefix_mask(prefix_len);
            uint8_t bcast[4];
            for (int i = 0; i < 4; i++)
                bcast[i] = (uint8_t)(addr->bytes[i] | (uint8_t)~mask.bytes[i]);
            mnl_attr_put(nlh, IFA_BROADCAST, 4, bcast);
        }
        struct ifa_cacheinfo ci;
        memset(&ci, 0, sizeof ci);
        ci.ifa_prefered = lifetime_s; /* 0xffffffff is "forever" for both */
        ci.ifa_valid = lifetime_s;
        mnl_attr_put(nlh, IFA_CACHEINFO, sizeof ci, &ci);
    }
    return talk(nif, nlh, NULL, NULL, what);
}

brisa_err brisa_posix_netif_add_address(brisa_posix_netif *nif, const brisa_ip_addr *addr,
                                        uint8_t prefix_len, uint32_t lifetime_s)
{
    return address_msg(nif, RTM_NEWADDR, addr, prefix_len, lifetime_s);
}

brisa_err brisa_posix_netif_del_address(brisa_posix_netif *nif, const brisa_ip_addr *addr,
                                        uint8_t prefix_len)
{
    return address_msg(nif, RTM_DELADDR, addr, prefix_len, 0);
}

static int route_msg(brisa_posix_netif *nif, uint16_t type, const brisa_ip_addr *gateway)
{
    char buf[NL_REQ_SIZE];
    struct nlmsghdr *nlh = start_msg(buf, type, NLM_F_ACK);
    struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
    rtm->rtm_family = AF_INET;
    rtm->rtm_dst_len = 0;
    rtm->rtm_table = RT_TABLE_MAIN;
    rtm->rtm_protocol = RTPROT_DHCP;
    rtm->rtm_scope = type == RTM_NEWROUTE ? RT_SCOPE_UNIVERSE : RT_SCOPE_NOWHERE;
    rtm->rtm_type = RTN_UNICAST;
    if (gateway)
        mnl_attr_put(nlh, RTA_GATEWAY, 4, gateway->bytes);
    mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)nif->index);
    char text[BRISA_IP_STR_MAX], what[80];
    if (gateway)
        ip_text(gateway, text);
    snprintf(what, sizeof what, "%s default route%s%s", type == RTM_NEWROUTE ? "set" : "remove",
             gateway ? " via " : "", gateway ? text : "");
    return talk(nif, nlh, NULL, NULL, what);
}

brisa_err brisa_posix_netif_set_default_route(brisa_posix_netif *nif, const brisa_ip_addr *gateway)
{
    if (gateway == NULL || gateway->family != BRISA_IP_V4)
        return fail(nif, BRISA_ERR_INVALID_ARG, "default route on %s: no IPv4 gateway", nif->name);
    return route_msg(nif, RTM_NEWROUTE, gateway);
}

/* The IPv4 addresses of one interface, from an RTM_GETADDR dump. */
typedef struct addr_list {
    int index;
    int count;
    brisa_ip_addr addr[MAX_ADDRS];
    uint8_t prefix[MAX_ADDRS];
} addr_list;

static int addr_attr_cb(const struct nlattr *attr, void *data)
{
    const struct nlattr **tb = data;
    int type = mnl_attr_get_type(attr);
    if (mnl_attr_type_valid(attr, IFA_MAX) < 0)
        return MNL_CB_OK;
    if ((type == IFA_LOCAL || type == IFA_ADDRESS) && mnl_attr_get_payload_len(attr) == 4)
        tb[type] = attr;
    return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
    addr_list *list = data;
    const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
    if (ifa->ifa_family != AF_INET || (int)ifa->ifa_index != list->index
        || list->count >= MAX_ADDRS)
        return MNL_CB_OK;
    const struct nlattr *tb[IFA_MAX + 1];
    memset(tb, 0, sizeof tb);
    mnl_attr_parse(nlh, sizeof *ifa, addr_attr_cb, tb);
    const struct nlattr *a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
    if (a == NULL)
        return MNL_CB_OK;
    const uint8_t *b = mnl_attr_get_payload(a);
    list->addr[list->count] = brisa_ip_v4(b[0], b[1], b[2], b[3]);
    list->prefix[list->count] = ifa->ifa_prefixlen;
    list->count++;
    return MNL_CB_OK;
}

static int list_addresses(brisa_posix_netif *nif, addr_list *list)
{
    memset(list, 0, sizeof *list);
    list->index = nif->index;
    char buf[NL_REQ_SIZE];
    struct nlmsghdr *nlh = start_msg(buf, RTM_GETADDR, NLM_F_DUMP);
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof *ifa);
    ifa->ifa_family = AF_INET;
    return talk(nif, nlh, addr_cb, list, "list addresses");
}

/* Removes the IPv4 addresses other than @p keep (NULL: all). */
static int remove_addresses(brisa_posix_netif *nif, const brisa_ip_addr *keep, uint8_t keep_prefix)
{
    addr_list list;
    int rc = list_addresses(nif, &list);
    for (int i = 0; rc == BRISA_OK && i < list.count; i++) {
        if (keep && brisa_ip_equal(&list.addr[i], keep) && list.prefix[i] == keep_prefix)
            continue;
        rc = brisa_posix_netif_del_address(nif, &list.addr[i], list.prefix[i]);
    }
    return rc;
}

brisa_err brisa_posix_netif_flush(brisa_posix_netif *nif)
{
    /* The kernel drops routes through the link with its last address, but
     * say it explicitly: a default route may outlive it (onlink). */
    int rc = route_msg(nif, RTM_DELROUTE, NULL);
    if (rc != BRISA_OK && rc != BRISA_ERR_NOT_FOUND)
        return rc;
    nif->error[0] = '\0';
    return remove_addresses(nif, NULL, 0);
}

brisa_err brisa_posix_netif_apply(brisa_posix_netif *nif, const brisa_dhcp_lease *lease)
{
    if (lease == NULL || lease->address.family != BRISA_IP_V4)
        return fail(nif, BRISA_ERR_INVALID_ARG, "apply on %s: no IPv4 address", nif->name);
    int rc = brisa_posix_netif_set_up(nif);
    if (rc == BRISA_OK)
        rc = remove_addresses(nif, &lease->address, lease->prefix_len);
    uint32_t life = lease->source == BRISA_DHCP_SOURCE_SERVER ? lease->lease_s : BRISA_DHCP_INFINITE;
    if (rc == BRISA_OK)
        rc = brisa_posix_netif_add_address(nif, &lease->address, lease->prefix_len, life);
    if (rc == BRISA_OK && lease->router.family == BRISA_IP_V4)
        rc = brisa_posix_netif_set_default_route(nif, &lease->router);
    return rc;
}
