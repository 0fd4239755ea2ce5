// SPDX-License-Identifier: MIT
/* The command vocabulary of the secret topic and the event texts published
 * on the public topic. Pure functions: no I/O, so they are unit-tested.
 *
 * Commands (case-insensitive, surrounding blanks ignored):
 *   LED<n> ON | LED<n> OFF | LED<n> TOGGLE    n = 1..3
 *   ALL ON | ALL OFF
 *   STATUS                                     report every LED
 *   TIME                                       publish the date and time now
 * Events (published on the public topic):
 *   [LED 1 ON]  [LED 2 OFF]  [STATUS LED1=ON LED2=OFF LED3=OFF]
 *   [TIME 2026-11-23 16:04:05 GMT+1]  [UNKNOWN COMMAND "..."]
 *   [BOOT <platform>]  [BUTTON PRESSED, BYE]
 */
#ifndef BRISA_DEVICE_COMMANDS_H
#define BRISA_DEVICE_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum command_kind {
    CMD_INVALID = 0,
    CMD_LED_ON,
    CMD_LED_OFF,
    CMD_LED_TOGGLE,
    CMD_ALL_ON,
    CMD_ALL_OFF,
    CMD_STATUS,
    CMD_TIME
} command_kind;

typedef struct command {
    command_kind kind;
    int led; /* 0-based, for CMD_LED_* */
} command;

/* Parses @p len bytes of a secret-topic payload (not NUL-terminated). */
command command_parse(const char *text, size_t len, int led_count);

/* "[LED 1 ON]" */
void event_led(char *buf, size_t len, int led, bool on);

/* "[STATUS LED1=ON LED2=OFF LED3=OFF]" */
void event_status(char *buf, size_t len, const bool *leds, int led_count);

/* "[UNKNOWN COMMAND "xyz"]" with the payload's printable prefix. */
void event_unknown(char *buf, size_t len, const char *text, size_t text_len);

/* "2026-11-23 16:04:05 GMT+1" from Unix milliseconds and an offset. */
void format_local_time(char *buf, size_t len, long long unix_ms, int gmt_offset_min);

#endif
