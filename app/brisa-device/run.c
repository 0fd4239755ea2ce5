// SPDX-License-Identifier: MIT
/* The device's life after its configuration is loaded, the same on every
 * platform: the board, the boot sequence, one of the two modes, the end. */
#include <stdio.h>

#include "device.h"
#include "log.h"

int device_main(device *d, bool force_test, const char *config_name)
{
    char err[600];
    if (!board_open(&d->board, &d->cfg, err, sizeof err)) {
        fprintf(stderr, "brisa-device: %s\n", err);
        return 1;
    }
    /* Like the seed: test mode by configuration, or the button held at start. */
    bool test_mode = d->cfg.test_mode || force_test || board_button_held(&d->board);
    log_info("START", "brisa-device on %s, %s mode, config %s", d->cfg.platform,
             test_mode ? "test" : "normal", config_name);

    net_init(&d->net, &d->cfg);
    int status = 1;
    if (device_boot_network(d))
        status = test_mode ? device_run_test(d) : device_run_normal(d);
    else if (d->stopping)
        status = 0;
    net_shutdown(&d->net);
    for (int i = 0; i < BOARD_LEDS; i++)
        if (d->board.led[i])
            board_set_led(&d->board, i, false);
    board_close(&d->board);
    log_info("END", "exit status %d", status);
    return status;
}
