// SPDX-License-Identifier: MIT
/* The board's self-test image: console, clock, LEDs, heap, stack and the
 * LAN9118 (an ARP request out, frames back), each reported on one line;
 * QEMU's exit status is the number of failed checks. Run with QEMU's
 * user network restricted (no traffic leaves the emulator):
 *   qemu-system-arm -M mps2-an500 -kernel brisa-board-selftest.elf -nographic \
 *     -semihosting-config enable=on,target=native -nic user,restrict=on,model=lan9118 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lan9118.h"
#include "mps2.h"

static int failures;

static void check(bool ok, const char *what)
{
    printf("selftest: %-5s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        failures++;
}

/* An ARP request for QEMU's user-network gateway, which answers it. */
static size_t arp_request(uint8_t *f, const uint8_t mac[6])
{
    static const uint8_t me[4] = { 10, 0, 2, 15 }, gw[4] = { 10, 0, 2, 2 };
    memset(f, 0xff, 6);
    memcpy(f + 6, mac, 6);
    f[12] = 0x08, f[13] = 0x06;                 /* ARP */
    f[14] = 0, f[15] = 1, f[16] = 8, f[17] = 0; /* Ethernet, IPv4 */
    f[18] = 6, f[19] = 4, f[20] = 0, f[21] = 1; /* request */
    memcpy(f + 22, mac, 6);
    memcpy(f + 28, me, 4);
    memset(f + 32, 0, 6);
    memcpy(f + 38, gw, 4);
    return 42; /* padded to 60 by the driver */
}

int main(void)
{
    printf("selftest: mps2-an500, Cortex-M7 at %u MHz\n", (unsigned)(BRISA_MPS2_CORE_HZ / 1000000u));

    uint64_t t0 = bri_mps2_ms(), u0 = bri_mps2_us();
    while (bri_mps2_ms() - t0 < 50)
        bri_mps2_idle();
    uint64_t us = bri_mps2_us() - u0;
    printf("selftest: 50 ticks took %llu us\n", (unsigned long long)us);
    check(us >= 49000 && us < 200000, "SysTick 1 ms, microsecond clock");

    /* Across many reloads the microsecond clock never goes back. */
    uint64_t prev = bri_mps2_us(), backwards = 0;
    t0 = bri_mps2_ms();
    while (bri_mps2_ms() - t0 < 300) {
        uint64_t now = bri_mps2_us();
        if (now < prev)
            backwards++;
        prev = now;
    }
    check(backwards == 0, "the microsecond clock never goes backwards");

    char text[64];
    snprintf(text, sizeof text, "%zu|%5zu|%jd|%td|%%z|%lu", (size_t)42, (size_t)7, (intmax_t)-1,
             (ptrdiff_t)3, 9ul);
    printf("selftest: C99 formats: %s\n", text);
    check(strcmp(text, "42|    7|-1|3|%z|9") == 0, "printf's C99 length modifiers (z, j, t)");

    bool leds = true;
    for (int i = 0; i < BRISA_MPS2_LEDS; i++)
        leds = leds && bri_mps2_set_led(i, true) && !bri_mps2_set_led(i, false);
    check(leds, "LEDs read back on and off");

    void *p = malloc(100000);
    check(p != NULL && bri_mps2_heap_peak() >= 100000, "heap from sbrk, high-water mark");
    free(p);

    uint8_t mac[6];
    bool nic = bri_lan9118_init(mac) == 0;
    check(nic, "LAN9118 answers BYTE_TEST and resets");
    if (nic) {
        printf("selftest: MAC %02x:%02x:%02x:%02x:%02x:%02x, link %s\n", mac[0], mac[1], mac[2],
               mac[3], mac[4], mac[5], bri_lan9118_link_up() ? "up" : "down");
        static uint8_t frame[BRISA_LAN9118_MTU_FRAME];
        check(bri_lan9118_send(frame, arp_request(frame, mac)) == 0, "ARP request sent");
        bool reply = false;
        t0 = bri_mps2_ms();
        while (!reply && bri_mps2_ms() - t0 < 2000) {
            int n = bri_lan9118_recv(frame, sizeof frame);
            if (n == 0) {
                bri_mps2_idle();
                continue;
            }
            printf("selftest: received a frame of %d bytes, type %02x%02x\n", n, frame[12], frame[13]);
            reply = n >= 42 && frame[12] == 0x08 && frame[13] == 0x06 && frame[21] == 2 &&
                    memcmp(frame, mac, 6) == 0;
        }
        check(reply, "ARP reply received");
        const bri_lan9118_stats *s = bri_lan9118_get_stats();
        printf("selftest: tx %lu rx %lu rx_errors %lu rx_dropped %lu\n", (unsigned long)s->tx_frames,
               (unsigned long)s->rx_frames, (unsigned long)s->rx_errors, (unsigned long)s->rx_dropped);
    }

    printf("selftest: press a key within 5 s to test the button\n");
    t0 = bri_mps2_ms();
    int key = -1;
    while (key < 0 && bri_mps2_ms() - t0 < 5000) {
        key = bri_mps2_console_getc();
        bri_mps2_idle();
    }
    if (key >= 0)
        printf("selftest: key 0x%02x (the button)\n", key);
    printf("selftest: heap peak %u bytes, stack peak %u of %u bytes\n",
           (unsigned)bri_mps2_heap_peak(), (unsigned)bri_mps2_stack_peak(),
           (unsigned)bri_mps2_stack_size());
    printf("selftest: %d failure(s)\n", failures);
    return failures;
}
