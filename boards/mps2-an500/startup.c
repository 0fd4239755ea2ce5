// SPDX-License-Identifier: MIT
/* Reset, vector table and fault handling for the Cortex-M7. */
#include <stdint.h>
#include <stdlib.h>

#include "mps2.h"
#include "mps2_regs.h"

extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];
extern uint32_t __stack_limit[], __stack_top[];

int main(void);
void __libc_init_array(void);
void reset_handler(void);
void fault_handler(void);
void default_handler(void);
void SysTick_Handler(void);

void reset_handler(void)
{
    for (uint32_t *s = __data_load, *d = __data_start; d < __data_end;)
        *d++ = *s++;
    for (uint32_t *d = __bss_start; d < __bss_end;)
        *d++ = 0;
    /* Paint the stack below us so its high-water mark can be measured. */
    uint32_t *sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (uint32_t *p = __stack_limit; p < sp - 16; p++)
        *p = MPS2_STACK_PAINT;
    bri_mps2_init();
    __libc_init_array();
    exit(main());
}

/* A fault must end the run with a message, never hang a test: the stacked
 * PC says where, CFSR/HFSR why. */
void fault_handler(void)
{
    uint32_t *frame;
    __asm__ volatile("tst lr, #4\n\t"
                     "ite eq\n\t"
                     "mrseq %0, msp\n\t"
                     "mrsne %0, psp" : "=r"(frame));
    static const char hex[] = "0123456789abcdef";
    char line[] = "\nFAULT: pc 0x........ cfsr 0x........ hfsr 0x........ bfar 0x........\n";
    uint32_t vals[4] = { frame[6], MPS2_REG(SCB_CFSR), MPS2_REG(SCB_HFSR), MPS2_REG(SCB_BFAR) };
    char *p = line;
    for (int v = 0; v < 4; v++) {
        while (*p != '.')
            p++;
        for (int i = 7; i >= 0; i--)
            *p++ = hex[(vals[v] >> (i * 4)) & 0xf];
    }
    bri_mps2_console_write(line, sizeof line - 1);
    bri_mps2_exit(70);
}

void default_handler(void)
{
    static const char msg[] = "\nFAULT: unexpected interrupt\n";
    bri_mps2_console_write(msg, sizeof msg - 1);
    bri_mps2_exit(70);
}

typedef void (*vector)(void);

/* The 16 system exceptions only: no peripheral interrupt is enabled (the
 * drivers poll), so no IRQ entry is ever fetched. */
__attribute__((section(".vectors"), used)) static const vector vectors[16] = {
    [0] = (vector)(uintptr_t)__stack_top,
    [1] = reset_handler,
    [2] = default_handler,  /* NMI */
    [3] = fault_handler,    /* HardFault */
    [4] = fault_handler,    /* MemManage */
    [5] = fault_handler,    /* BusFault */
    [6] = fault_handler,    /* UsageFault */
    [11] = default_handler, /* SVC */
    [12] = default_handler, /* DebugMon */
    [14] = default_handler, /* PendSV */
    [15] = SysTick_Handler,
};
