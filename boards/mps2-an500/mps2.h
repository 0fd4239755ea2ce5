// SPDX-License-Identifier: MIT
/* mps2-an500 (Cortex-M7, as QEMU emulates it): what the firmware needs
 * from the board -- a millisecond clock, the UART0 console (a key on it is
 * the button), the FPGAIO LEDs, semihosting's exit status, a test-only
 * entropy source and the memory figures. Everything here is polled: no
 * interrupt but SysTick is enabled. */
#ifndef BRISA_MPS2_H
#define BRISA_MPS2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BRISA_MPS2_CORE_HZ 25000000u
#define BRISA_MPS2_LEDS 3

/** Starts SysTick (1 ms) and the UART console. Called by the reset handler
 *  before main(). */
void bri_mps2_init(void);

/** Milliseconds since reset (SysTick). */
uint64_t bri_mps2_ms(void);

/** Microseconds since reset: the tick count plus SysTick's current value. */
uint64_t bri_mps2_us(void);

/** Sleeps (wfi) until the next interrupt: at most one tick. */
void bri_mps2_idle(void);

/** Writes @p len bytes to the console (UART0, or semihosting when the
 *  firmware was built with BRISA_MPS2_SEMIHOST_CONSOLE). */
void bri_mps2_console_write(const char *buf, size_t len);

/** The next byte typed on the console, or -1 if none is waiting. */
int bri_mps2_console_getc(void);

/** Drives LED @p index (0..2): FPGAIO LED0 bits 0-1 and, since QEMU's
 *  FPGAIO has two LEDs only, the SCC's MCC LED register bit 2 for the
 *  third. Returns the bit read back: true when the LED is on. */
bool bri_mps2_set_led(int index, bool on);

/** Ends the program: semihosting SYS_EXIT_EXTENDED, so @p status becomes
 *  QEMU's exit status. Never returns. */
void bri_mps2_exit(int status) __attribute__((noreturn));

/** Fills @p buf with bytes from the board's entropy hook. THE MPS2 HAS NO
 *  TRUE RANDOM NUMBER GENERATOR: this mixes timer readings and is
 *  predictable. For tests in an emulator only; a product needs a TRNG.
 *  Returns 0. (The brisa_rng fill signature.) */
int bri_mps2_entropy(void *ctx, uint8_t *buf, size_t len);

/** The heap's (sbrk's) high-water mark, in bytes: newlib's malloc takes
 *  it in 4 KiB steps and never gives it back. */
size_t bri_mps2_heap_peak(void);
/** The most bytes malloc had handed out at once (newlib's mallinfo()
 *  uordblks, sampled after each allocation; chunk headers included): the
 *  heap a program needs, without sbrk's 4 KiB steps. */
size_t bri_mps2_heap_in_use_peak(void);

/** The main stack's high-water mark in bytes (the stack is painted at
 *  reset) and its size. */
size_t bri_mps2_stack_peak(void);
size_t bri_mps2_stack_size(void);

#endif
