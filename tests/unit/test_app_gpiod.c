// SPDX-License-Identifier: MIT
/* The libgpiod board against a fake libgpiod (this machine has no GPIO
 * chip): LEDs map to the configured output lines, the button is read from
 * its input line with the configured polarity, errors name the line, and
 * every line is released on close. */
#include "cmocka_all.h"

#include <errno.h>
#include <gpiod.h>
#include <string.h>

#include "board.h"

/* ---- fake libgpiod: one chip "gpiochip0" with 8 lines ------------------ */
struct gpiod_chip {
    int open;
};
struct gpiod_line {
    unsigned offset;
    int requested;  /* 0 none, 1 output, 2 input */
    int value;
};
static struct gpiod_chip chip0;
static struct gpiod_line lines[8];
static int fail_request_offset = -1;

struct gpiod_chip *gpiod_chip_open_lookup(const char *desc)
{
    if (strcmp(desc, "gpiochip0") != 0) {
        errno = ENOENT;
        return NULL;
    }
    chip0.open = 1;
    return &chip0;
}

void gpiod_chip_close(struct gpiod_chip *chip)
{
    chip->open = 0;
}

struct gpiod_line *gpiod_chip_get_line(struct gpiod_chip *chip, unsigned int offset)
{
    (void)chip;
    if (offset >= 8) {
        errno = EINVAL;
        return NULL;
    }
    lines[offset].offset = offset;
    return &lines[offset];
}

int gpiod_line_request_output(struct gpiod_line *line, const char *consumer, int default_val)
{
    (void)consumer;
    if ((int)line->offset == fail_request_offset || line->requested) {
        errno = EBUSY;
        return -1;
    }
    line->requested = 1;
    line->value = default_val;
    return 0;
}

int gpiod_line_request_input(struct gpiod_line *line, const char *consumer)
{
    (void)consumer;
    if ((int)line->offset == fail_request_offset || line->requested) {
        errno = EBUSY;
        return -1;
    }
    line->requested = 2;
    return 0;
}

int gpiod_line_set_value(struct gpiod_line *line, int value)
{
    if (line->requested != 1)
        return -1;
    line->value = value;
    return 0;
}

int gpiod_line_get_value(struct gpiod_line *line)
{
    return line->requested ? line->value : -1;
}

void gpiod_line_release(struct gpiod_line *line)
{
    line->requested = 0;
}

/* ---- tests --------------------------------------------------------------- */
static device_config cfg;

static int setup(void **state)
{
    (void)state;
    memset(lines, 0, sizeof lines);
    memset(&chip0, 0, sizeof chip0);
    fail_request_offset = -1;
    memset(&cfg, 0, sizeof cfg);
    cfg.board = BOARD_GPIOD;
    strcpy(cfg.gpio_chip, "gpiochip0");
    cfg.led_lines[0] = 5;
    cfg.led_lines[1] = 6;
    cfg.led_lines[2] = 2;
    cfg.button_line = 7;
    cfg.button_active_low = true;
    return 0;
}

static void test_leds_and_button(void **state)
{
    (void)state;
    board b;
    char err[200] = "";
    lines[7].value = 1; /* active low: released */
    assert_true(board_open(&b, &cfg, err, sizeof err));
    assert_int_equal(lines[5].requested, 1);
    assert_int_equal(lines[6].requested, 1);
    assert_int_equal(lines[2].requested, 1);
    assert_int_equal(lines[7].requested, 2);

    assert_int_equal(board_set_led(&b, 0, true), 0);
    assert_int_equal(lines[5].value, 1);
    assert_true(b.led[0]);
    assert_int_equal(board_set_led(&b, 2, true), 0);
    assert_int_equal(lines[2].value, 1);
    assert_int_equal(board_set_led(&b, 0, false), 0);
    assert_int_equal(lines[5].value, 0);
    assert_int_equal(board_set_led(&b, 3, true), -1);

    assert_false(board_button_pressed(&b));
    lines[7].value = 0; /* pressed (active low) */
    assert_true(board_button_pressed(&b));
    assert_false(board_button_pressed(&b)); /* held: one press only */
    lines[7].value = 1;
    assert_false(board_button_pressed(&b));
    lines[7].value = 0;
    assert_true(board_button_held(&b));

    board_close(&b);
    for (int i = 0; i < 8; i++)
        assert_int_equal(lines[i].requested, 0);
    assert_int_equal(lines[2].value, 0); /* LEDs switched off on close */
    assert_int_equal(chip0.open, 0);
}

static void test_active_high(void **state)
{
    (void)state;
    cfg.button_active_low = false;
    board b;
    char err[200];
    assert_true(board_open(&b, &cfg, err, sizeof err));
    lines[7].value = 1;
    assert_true(board_button_pressed(&b));
    board_close(&b);
}

static void test_errors_name_the_line(void **state)
{
    (void)state;
    board b;
    char err[200];
    strcpy(cfg.gpio_chip, "gpiochip9");
    assert_false(board_open(&b, &cfg, err, sizeof err));
    assert_string_equal(err, "gpiod board: cannot open GPIO chip 'gpiochip9': No such file or directory");

    strcpy(cfg.gpio_chip, "gpiochip0");
    fail_request_offset = 6;
    assert_false(board_open(&b, &cfg, err, sizeof err));
    assert_string_equal(err, "gpiod board: LED2 on line 6 of gpiochip0: Device or resource busy");
    for (int i = 0; i < 8; i++)
        assert_int_equal(lines[i].requested, 0); /* nothing left claimed */

    fail_request_offset = 7;
    assert_false(board_open(&b, &cfg, err, sizeof err));
    assert_string_equal(err, "gpiod board: button on line 7 of gpiochip0: Device or resource busy");
    for (int i = 0; i < 8; i++)
        assert_int_equal(lines[i].requested, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_leds_and_button, setup),
        cmocka_unit_test_setup(test_active_high, setup),
        cmocka_unit_test_setup(test_errors_name_the_line, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
