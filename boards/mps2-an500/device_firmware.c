// SPDX-License-Identifier: MIT
/* brisa-device.elf: the device application on the mps2-an500. The board
 * is three LEDs (FPGAIO, SCC) and a key on the UART0 console for the
 * button; the network is the LAN9118 under lwIP; the configuration is the
 * INI file compiled in at build time. Everything after that is the same
 * code as the Linux program (device_main). */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "brisa/port/lwip_port.h"
#include "config_builtin.h"
#include "device.h"
#include "lan9118_netif.h"
#include "log.h"
#include "lwip/netif.h"
#include "mps2.h"
#include "netif/ethernet.h"

static struct netif eth;

struct netif *plat_board_netif(void)
{
    return &eth;
}

uint64_t plat_board_us(void)
{
    return bri_mps2_us();
}

void plat_memory_report(const char *when)
{
    struct mallinfo mi = mallinfo();
    log_info("MEMORY", "%s: heap peak %u bytes (sbrk high-water mark), %u in use at most, "
             "%u allocated now; stack peak %u of %u bytes", when,
             (unsigned)bri_mps2_heap_peak(), (unsigned)bri_mps2_heap_in_use_peak(),
             (unsigned)mi.uordblks, (unsigned)bri_mps2_stack_peak(),
             (unsigned)bri_mps2_stack_size());
}

/* --- the board: LEDs drawn on the console too, as on the console board */

static int mps2_set_led(board *b, int index, bool on)
{
    if (bri_mps2_set_led(index, on) != on)
        return -1;
    printf("LEDs:");
    for (int i = 0; i < BOARD_LEDS; i++)
        printf("  LED%d %s", i + 1, (i == index ? on : b->led[i]) ? "[#]" : "[ ]");
    printf("\n");
    return 0;
}

/* Any key is one press (the edge detector in board.c sees one poll). */
static bool mps2_button_down(board *b)
{
    (void)b;
    return bri_mps2_console_getc() >= 0;
}

static const board_ops mps2_ops = { mps2_set_led, mps2_button_down, NULL };

bool board_open(board *b, const device_config *cfg, char *err, size_t err_len)
{
    (void)cfg;
    (void)err;
    (void)err_len;
    memset(b, 0, sizeof *b);
    b->ops = &mps2_ops;
    return true;
}

/* --- lwIP's hooks */

static uint32_t tick_ms(void *ctx)
{
    (void)ctx;
    return (uint32_t)bri_mps2_ms();
}

static void eth_poll(void *ctx)
{
    (void)ctx;
    bri_lan9118_netif_poll(&eth);
}

static void idle(void *ctx, uint32_t max_ms)
{
    (void)ctx;
    (void)max_ms;
    bri_mps2_idle(); /* SysTick wakes us within 1 ms */
}

void brisa_lwip_assert_failed(const char *msg, const char *file, int line)
{
    printf("\nlwIP assertion failed: %s at %s:%d\n", msg, file, line);
    bri_mps2_exit(70);
}

int main(void)
{
    static device d; /* holds the network clients' buffers */
    char err[600];
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!device_config_load_builtin(&d.cfg, err, sizeof err)) {
        printf("brisa-device: %s\n", err);
        return 2;
    }
    log_init(d.cfg.debug);
    log_info("BOARD", "mps2-an500 (Cortex-M7, %u MHz), lwIP, configuration %s compiled in",
             (unsigned)(BRISA_MPS2_CORE_HZ / 1000000u), device_builtin_name);
    static const brisa_lwip_platform plat = { NULL, tick_ms, eth_poll, idle,
                                              { NULL, bri_mps2_entropy } };
    brisa_lwip_start(&plat);
    if (!netif_add(&eth, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4, NULL,
                   bri_lan9118_netif_init, ethernet_input)) {
        log_error("BOARD", "no LAN9118 Ethernet controller answers at 0xA0000000");
        return 1;
    }
    netif_set_default(&eth);
    netif_set_up(&eth);
    int status = device_main(&d, false, device_builtin_name);
    plat_memory_report("end");
    return status;
}
