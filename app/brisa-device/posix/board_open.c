// SPDX-License-Identifier: MIT
/* The Linux boards: the console board or libgpiod lines, as configured. */
#include <stdio.h>

#include "board.h"

bool board_open(board *b, const device_config *cfg, char *err, size_t err_len)
{
    if (cfg->board == BOARD_GPIOD)
        return board_gpiod_open(b, cfg, err, err_len);
    if (!board_console_open(b, stdout)) {
        snprintf(err, err_len, "console board: cannot set up the button signal");
        return false;
    }
    return true;
}
