// SPDX-License-Identifier: MIT
/* Fuzz target: the DNS reply parser (src/net/dns_codec.c). The question
 * the reply is checked against is taken from the input itself, so the
 * fuzzer gets past the "is this our reply" gate into the answer section;
 * every name position is also decoded on its own and printed as text. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "brisa/dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    brisa_dns_addr addrs[4];
    brisa_dns_cname cnames[3];
    brisa_dns_result res;
    brisa_dns_question q;
    brisa_dns_header h;
    char text[BRISA_DNS_TEXT_MAX];

    memset(&res, 0, sizeof res);
    res.addrs = addrs;
    res.addr_cap = 4;
    res.cnames = cnames;
    res.cname_cap = 3;

    memset(&q, 0, sizeof q);
    size_t off = BRISA_DNS_HEADER_LEN;
    if (brisa_dns_header_parse(data, size, &h) == 0 &&
        brisa_dns_name_read(data, size, &off, &q.name) == 0 && size - off >= 2) {
        q.id = h.id;
        q.qtype = (uint16_t)(data[off] << 8 | data[off + 1]);
    } else {
        (void)brisa_dns_name_encode("host.lab", &q.name);
        q.qtype = BRISA_DNS_TYPE_A;
    }
    if (brisa_dns_reply_parse(data, size, &q, &res) == 0 && res.addr_count == 0)
        __builtin_trap(); /* success promises an address */
    size_t shown = res.cname_count < res.cname_cap ? res.cname_count : res.cname_cap;
    for (size_t i = 0; i < shown; i++)
        if (brisa_dns_name_to_text(&cnames[i].target, text, sizeof text) < 0)
            __builtin_trap(); /* BRISA_DNS_TEXT_MAX must always suffice */

    /* Names at every offset: bounded, loop-free, always text-printable. */
    for (size_t start = 0; start < size && start < 600; start++) {
        brisa_dns_name n;
        size_t p = start;
        if (brisa_dns_name_read(data, size, &p, &n) == 0) {
            if (p <= start || p > size || n.len == 0)
                __builtin_trap();
            if (brisa_dns_name_to_text(&n, text, sizeof text) < 0)
                __builtin_trap();
        }
    }
    return 0;
}
