// SPDX-License-Identifier: MIT
/* What the device application is made of, shared by its two modes. */
#ifndef BRISA_DEVICE_DEVICE_H
#define BRISA_DEVICE_DEVICE_H

#include <stdbool.h>

#include "board.h"
#include "config.h"
#include "link.h"
#include "netboot.h"

typedef struct device {
    device_config cfg;
    board board;
    device_net net;
    brisa_ip_addr broker_ip;
    bool broker_ip_fresh;      /* just resolved by the boot's DNS step */
    bool booted;               /* connected once: max_boot_attempts no longer applies */
    bool stopping;             /* button pressed or SIGINT/SIGTERM */
    bool stop_by_button;
    const char *csv_path;      /* test mode: per-cycle CSV */
} device;

/* True once the button was pressed or the platform asked to stop (a
 * signal on Linux); then stays so. */
bool device_should_stop(device *d);

/* Steps 1-4 of the boot sequence (DHCP, DNS, NTP, DNS), each retried as a
 * device would until it works, the user stops it, or max_boot_attempts
 * failures have been seen. Returns false when it gave up or was stopped. */
bool device_boot_network(device *d);

/* Steps 5-6 (TLS, MQTT) on @p link, with the same retry policy; the broker
 * name is resolved again before each attempt. */
bool device_boot_link(device *d, device_link *link);

/* The SIM7600 link's boot steps (link_modem.c), in place of DHCP, DNS and
 * NTP: the module's bring-up, then the network's time into the clock. */
int link_modem_bringup(device *d, void *arg, char *why, size_t why_len);
int link_modem_time(device *d, void *arg, char *why, size_t why_len);

/* Sleeps up to @p ms, returning early (true) if the device must stop. */
bool device_sleep(device *d, unsigned ms);

/* Opens the board, boots, runs normal or test mode (the configuration's,
 * or test mode if @p force_test or the button is held), shuts down.
 * Returns the exit status. @p config_name is shown in the banner. */
int device_main(device *d, bool force_test, const char *config_name);

/* The two modes; they return the process exit status. */
int device_run_normal(device *d);
int device_run_test(device *d);

#endif
