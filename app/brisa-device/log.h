// SPDX-License-Identifier: MIT
/* The device's console output, in the spirit of the seed's UART log:
 * every line carries the time since start, a step name and what happened. */
#ifndef BRISA_DEVICE_LOG_H
#define BRISA_DEVICE_LOG_H

#include <stdbool.h>
#include <stdint.h>

/* Starts the clock the log lines count from; @p debug enables log_debug. */
void log_init(bool debug);

/* Milliseconds since log_init (monotonic). */
uint64_t log_now_ms(void);

/* Microseconds from the monotonic clock (test-mode timings). */
uint64_t log_now_us(void);

/* "[  12.345] STEP  message" on stdout, always shown. */
void log_info(const char *step, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Same, only when debug output is on. */
void log_debug(const char *step, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "[  12.345] STEP  error: message" on stdout and stderr. */
void log_error(const char *step, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

bool log_debug_enabled(void);

#endif
