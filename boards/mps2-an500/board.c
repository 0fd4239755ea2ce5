// SPDX-License-Identifier: MIT
/* SysTick clock, UART0 console, LEDs and semihosting exit. */
#include "mps2.h"

#include "mps2_regs.h"
#include "semihost.h"

static volatile uint64_t ticks_ms;

void SysTick_Handler(void);

void SysTick_Handler(void)
{
    ticks_ms++;
}

void bri_mps2_init(void)
{
    MPS2_REG(UART_BAUDDIV) = BRISA_MPS2_CORE_HZ / 115200u;
    MPS2_REG(UART_CTRL) = UART_CTRL_TX_EN | UART_CTRL_RX_EN;
    /* 25 MHz core clock: 25 000 cycles per millisecond. */
    MPS2_REG(SYST_RVR) = BRISA_MPS2_CORE_HZ / 1000u - 1u;
    MPS2_REG(SYST_CVR) = 0;
    MPS2_REG(SYST_CSR) = 0x7u; /* enable, interrupt, core clock */
}

uint64_t bri_mps2_ms(void)
{
    /* A 64-bit read is two loads; read until the tick did not move. */
    uint64_t a, b;
    do {
        a = ticks_ms;
        b = ticks_ms;
    } while (a != b);
    return a;
}

uint64_t bri_mps2_us(void)
{
    /* SysTick may have reloaded before its interrupt ran (QEMU takes
     * interrupts between translation blocks): then it is pending and one
     * more millisecond has passed than ticks_ms says. A reload between the
     * two reads of the counter (it counts down, so it went up) retries. */
    uint64_t ms;
    uint32_t val, again, pending;
    do {
        ms = bri_mps2_ms();
        val = MPS2_REG(SYST_CVR);
        pending = MPS2_REG(SCB_ICSR) & SCB_ICSR_PENDSTSET;
        again = MPS2_REG(SYST_CVR);
    } while (ms != bri_mps2_ms() || again > val);
    if (pending)
        ms++;
    uint32_t per_ms = BRISA_MPS2_CORE_HZ / 1000u;
    return ms * 1000u + (uint64_t)(per_ms - 1u - val) * 1000u / per_ms;
}

void bri_mps2_idle(void)
{
    __asm__ volatile("wfi");
}

void bri_mps2_console_write(const char *buf, size_t len)
{
#ifdef BRISA_MPS2_SEMIHOST_CONSOLE
    bri_semihost_write(buf, len);
#else
    for (size_t i = 0; i < len; i++) {
        while (MPS2_REG(UART_STATE) & UART_STATE_TX_FULL)
            ;
        MPS2_REG(UART_DATA) = (uint8_t)buf[i];
    }
#endif
}

int bri_mps2_console_getc(void)
{
    if (!(MPS2_REG(UART_STATE) & UART_STATE_RX_FULL))
        return -1;
    return (int)(MPS2_REG(UART_DATA) & 0xffu);
}

bool bri_mps2_set_led(int index, bool on)
{
    if (index < 0 || index >= BRISA_MPS2_LEDS)
        return false;
    uint32_t reg = index < 2 ? FPGAIO_LED0 : SCC_CFG1;
    uint32_t bit = 1u << index;
    uint32_t v = MPS2_REG(reg);
    MPS2_REG(reg) = on ? v | bit : v & ~bit;
    return (MPS2_REG(reg) & bit) != 0;
}

void bri_mps2_exit(int status)
{
    bri_semihost_exit(status);
    for (;;) /* semihosting absent: stop here */
        __asm__ volatile("wfi");
}

/* TEST-ONLY entropy: the board has no TRNG. SysTick's sub-tick count
 * depends on how fast the host runs QEMU, which varies between runs, but
 * an attacker who can model it could predict it. Mixed with splitmix64. */
int bri_mps2_entropy(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    static uint64_t state = 0x9E3779B97F4A7C15u;
    for (size_t i = 0; i < len; i++) {
        if (i % 8 == 0) {
            state += 0x9E3779B97F4A7C15u ^ bri_mps2_us() ^ ((uint64_t)MPS2_REG(SYST_CVR) << 32);
            uint64_t z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
            state ^= z ^ (z >> 31);
        }
        buf[i] = (uint8_t)(state >> (8 * (i % 8)));
    }
    return 0;
}
