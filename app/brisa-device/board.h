// SPDX-License-Identifier: MIT
/* The board: three LEDs and a user button, as on the seed's NUCLEO board.
 * A console board stands in for them on a PC; a libgpiod board drives real
 * lines on a Linux single-board computer. */
#ifndef BRISA_DEVICE_BOARD_H
#define BRISA_DEVICE_BOARD_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"

#define BOARD_LEDS CFG_LEDS

typedef struct board board;

typedef struct board_ops {
    /* Drives LED @p index (0-based) on or off. Returns 0 or -1. */
    int (*set_led)(board *b, int index, bool on);
    /* True while the button is held down now. */
    bool (*button_down)(board *b);
    void (*close)(board *b);
} board_ops;

struct board {
    const board_ops *ops;
    bool led[BOARD_LEDS];
    bool was_down;   /* for edge detection in board_button_pressed() */
    void *impl;
};

/* Opens the board the configuration names. Writes a one-line reason into
 * @p err and returns false when it cannot. */
bool board_open(board *b, const device_config *cfg, char *err, size_t err_len);

/* Sets LED @p index and remembers its state. */
int board_set_led(board *b, int index, bool on);

/* True once per press: when the button went down since the last call. */
bool board_button_pressed(board *b);

/* True if the button is held right now (test mode at start-up). */
bool board_button_held(board *b);

void board_close(board *b);

/* The console board (board_console.c): LEDs drawn on @p out, the button is
 * SIGUSR1 or a line typed on standard input. */
bool board_console_open(board *b, FILE *out);

/* The libgpiod board (board_gpiod.c). */
bool board_gpiod_open(board *b, const device_config *cfg, char *err, size_t err_len);

#endif
