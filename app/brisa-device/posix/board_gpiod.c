// SPDX-License-Identifier: MIT
/* The libgpiod board (libgpiod 1.6 API): three output lines for the LEDs
 * and one input line for the button, on one GPIO chip. */
#include <errno.h>
#include <gpiod.h>
#include <stdio.h>
#include <string.h>

#include "board.h"

typedef struct gpiod_board {
    struct gpiod_chip *chip;
    struct gpiod_line *led[BOARD_LEDS];
    struct gpiod_line *button;
    bool active_low;
} gpiod_board;

static gpiod_board the_gpiod;

static int gpiod_set_led(board *b, int index, bool on)
{
    gpiod_board *g = b->impl;
    return gpiod_line_set_value(g->led[index], on ? 1 : 0) == 0 ? 0 : -1;
}

static bool gpiod_button_down(board *b)
{
    gpiod_board *g = b->impl;
    int v = gpiod_line_get_value(g->button);
    if (v < 0)
        return false;
    return g->active_low ? v == 0 : v == 1;
}

static void gpiod_close(board *b)
{
    gpiod_board *g = b->impl;
    for (int i = 0; i < BOARD_LEDS; i++) {
        if (g->led[i]) {
            gpiod_line_set_value(g->led[i], 0);
            gpiod_line_release(g->led[i]);
        }
    }
    if (g->button)
        gpiod_line_release(g->button);
    if (g->chip)
        gpiod_chip_close(g->chip);
    memset(g, 0, sizeof *g);
}

static const board_ops gpiod_ops = { gpiod_set_led, gpiod_button_down, gpiod_close };

bool board_gpiod_open(board *b, const device_config *cfg, char *err, size_t err_len)
{
    memset(b, 0, sizeof *b);
    gpiod_board *g = &the_gpiod;
    memset(g, 0, sizeof *g);
    b->impl = g;
    b->ops = &gpiod_ops;
    g->active_low = cfg->button_active_low;

    g->chip = gpiod_chip_open_lookup(cfg->gpio_chip);
    if (!g->chip) {
        snprintf(err, err_len, "gpiod board: cannot open GPIO chip '%s': %s", cfg->gpio_chip,
                 strerror(errno));
        return false;
    }
    for (int i = 0; i < BOARD_LEDS; i++) {
        g->led[i] = gpiod_chip_get_line(g->chip, (unsigned)cfg->led_lines[i]);
        if (!g->led[i] || gpiod_line_request_output(g->led[i], "brisa-device", 0) != 0) {
            snprintf(err, err_len, "gpiod board: LED%d on line %d of %s: %s", i + 1,
                     cfg->led_lines[i], cfg->gpio_chip, strerror(errno));
            g->led[i] = NULL;
            gpiod_close(b);
            return false;
        }
    }
    g->button = gpiod_chip_get_line(g->chip, (unsigned)cfg->button_line);
    if (!g->button || gpiod_line_request_input(g->button, "brisa-device") != 0) {
        snprintf(err, err_len, "gpiod board: button on line %d of %s: %s", cfg->button_line,
                 cfg->gpio_chip, strerror(errno));
        g->button = NULL;
        gpiod_close(b);
        return false;
    }
    return true;
}
