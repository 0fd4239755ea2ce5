// SPDX-License-Identifier: MIT
/* The console board: LEDs are drawn on the terminal, the user button is
 * SIGUSR1 (kill -USR1 <pid>) or a line typed on standard input. */
#define _POSIX_C_SOURCE 200809L
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "board.h"

static volatile sig_atomic_t button_signal;

static void on_sigusr1(int sig)
{
    (void)sig;
    button_signal = 1;
}

typedef struct console_board {
    FILE *out;
    bool stdin_open;
} console_board;

static console_board the_console;

static void draw(board *b)
{
    console_board *cb = b->impl;
    fprintf(cb->out, "LEDs:");
    for (int i = 0; i < BOARD_LEDS; i++)
        fprintf(cb->out, "  LED%d %s", i + 1, b->led[i] ? "[#]" : "[ ]");
    fprintf(cb->out, "\n");
    fflush(cb->out);
}

static int console_set_led(board *b, int index, bool on)
{
    bool old = b->led[index];
    b->led[index] = on;
    draw(b);
    b->led[index] = old; /* board_set_led() records the new state */
    return 0;
}

/* The button is "down" for one poll after a signal or an input line; the
 * edge detector in board.c turns that into one press. */
static bool console_button_down(board *b)
{
    console_board *cb = b->impl;
    if (button_signal) {
        button_signal = 0;
        return true;
    }
    if (!cb->stdin_open)
        return false;
    struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
    if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP)))
        return false;
    char line[64];
    ssize_t n = read(STDIN_FILENO, line, sizeof line);
    if (n <= 0) {
        cb->stdin_open = false; /* EOF: no keyboard, only the signal */
        return false;
    }
    return true;
}

static void console_close(board *b)
{
    (void)b;
    signal(SIGUSR1, SIG_DFL);
}

static const board_ops console_ops = { console_set_led, console_button_down, console_close };

bool board_console_open(board *b, FILE *out)
{
    memset(b, 0, sizeof *b);
    the_console.out = out;
    the_console.stdin_open = isatty(STDIN_FILENO);
    b->impl = &the_console;
    b->ops = &console_ops;
    button_signal = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigusr1;
    sigemptyset(&sa.sa_mask);
    return sigaction(SIGUSR1, &sa, NULL) == 0;
}
