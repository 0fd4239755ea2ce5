// SPDX-License-Identifier: MIT
/* Fuzz target: the DHCP message parser (src/net/dhcp_codec.c) on any
 * bytes, as a reply and as a request, checking what a parse promises. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/dhcp.h"
#include "brisa/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_name(const char *s)
{
    size_t n = 0;
    while (n <= BRISA_DHCP_NAME_MAX && s[n] != '\0')
        n++;
    if (n > BRISA_DHCP_NAME_MAX)
        abort();
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
            abort();
}

static void check(const uint8_t *data, size_t size, const brisa_dhcp_msg *m)
{
    const brisa_dhcp_lease *l = &m->lease;
    if (m->type < BRISA_DHCP_DISCOVER || m->type > BRISA_DHCP_INFORM || m->hlen > 16)
        abort();
    if (l->dns_count > BRISA_DHCP_MAX_SERVERS || l->ntp_count > BRISA_DHCP_MAX_SERVERS)
        abort();
    if (l->prefix_len > 32 || (l->mask.family == BRISA_IP_V4
                               && brisa_dhcp_mask_prefix(&l->mask) != l->prefix_len))
        abort();
    check_name(l->domain);
    check_name(l->host_name);
    /* Pointers into the input stay inside it. */
    const uint8_t *end = data + size;
    if ((m->params && (m->params < data || m->params + m->params_len > end))
        || (m->message && (m->message < data || m->message + m->message_len > end))
        || (m->client_id && (m->client_id < data || m->client_id + m->client_id_len > end)))
        abort();
    if (BRISA_DHCP_HAS(m, BRISA_DHCP_OPT_LEASE_TIME) && l->lease_s != BRISA_DHCP_INFINITE
        && !BRISA_DHCP_HAS(m, BRISA_DHCP_OPT_T1) && l->t1_s != l->lease_s / 2)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    brisa_dhcp_msg m;
    for (uint8_t op = BRISA_DHCP_BOOTREQUEST; op <= BRISA_DHCP_BOOTREPLY; op++) {
        int rc = brisa_dhcp_parse(data, size, op, &m);
        if (rc == BRISA_OK)
            check(data, size, &m);
        else if (rc != BRISA_ERR_MALFORMED)
            abort();
    }
    return 0;
}
