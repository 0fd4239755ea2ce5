// SPDX-License-Identifier: MIT
/* Fuzz target: SNTP reply validation and the timestamp arithmetic and
 * calendar code (src/net/sntp_codec.c, sntp_time.c), where UBSan watches
 * for overflow. The nonce is the input's own origin field half of the
 * time, so validation runs past the origin check. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "brisa/sntp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    brisa_sntp_packet p;
    brisa_sntp_verdict why;
    int64_t offset, delay;
    char text[48];

    brisa_ntp_time nonce = size >= 32 && (data[size - 1] & 1) ? get64(data + 24) : 0x0123456789abcdefULL;
    int rc = brisa_sntp_reply_check(data, size, nonce, &p, &why);
    if ((rc == 0) != (why == BRISA_SNTP_VALID))
        __builtin_trap();
    (void)brisa_sntp_verdict_str(why);
    if (rc == 0 || size >= 48) {
        (void)brisa_ntp_to_unix_ns(p.transmit_ts);
        brisa_sntp_offset_delay(p.origin_ts, p.receive_ts, p.transmit_ts, p.ref_ts, &offset, &delay);
        (void)brisa_sntp_kiss_classify(p.ref_id);
    }
    if (size >= 10) {
        int64_t ms = (int64_t)get64(data);
        int gmt = (int)(int16_t)(data[8] << 8 | data[9]);
        int n = brisa_sntp_format_time(ms, gmt, text, sizeof text);
        if (n >= (int)sizeof text)
            __builtin_trap();
        (void)brisa_ntp_from_unix_ms(ms);
    }
    return 0;
}
