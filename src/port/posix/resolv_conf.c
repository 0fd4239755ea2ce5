// SPDX-License-Identifier: MIT
/* The host's DNS servers, from resolv.conf. */
#include <stdio.h>
#include <string.h>

#include "brisa/port/posix_udp.h"

size_t brisa_posix_resolv_conf(const char *path, brisa_dns_server *out, size_t cap)
{
    FILE *f = fopen(path ? path : "/etc/resolv.conf", "r");
    char line[512];
    size_t n = 0;
    if (!f)
        return 0;
    while (n < cap && fgets(line, sizeof line, f)) {
        char word[16], addr[128];
        /* "nameserver fe80::1%eth0" (a scoped address) is skipped. */
        if (sscanf(line, "%15s %127s", word, addr) == 2 && strcmp(word, "nameserver") == 0 &&
            brisa_ip_parse(addr, &out[n].addr)) {
            out[n].port = BRISA_DNS_PORT;
            n++;
        }
    }
    fclose(f);
    return n;
}
