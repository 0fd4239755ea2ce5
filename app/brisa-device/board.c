// SPDX-License-Identifier: MIT
/* Board-independent parts: LED bookkeeping and button edge detection. */
#include "board.h"

int board_set_led(board *b, int index, bool on)
{
    if (index < 0 || index >= BOARD_LEDS)
        return -1;
    if (b->ops->set_led(b, index, on) != 0)
        return -1;
    b->led[index] = on;
    return 0;
}

bool board_button_pressed(board *b)
{
    bool down = b->ops->button_down(b);
    bool pressed = down && !b->was_down;
    b->was_down = down;
    return pressed;
}

bool board_button_held(board *b)
{
    bool down = b->ops->button_down(b);
    b->was_down = down;
    return down;
}

void board_close(board *b)
{
    if (b->ops && b->ops->close)
        b->ops->close(b);
    b->ops = NULL;
}
