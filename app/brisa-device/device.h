/* What the device application is made of, shared by its two modes. */
#ifndef BRISA_DEVICE_DEVICE_H
#define BRISA_DEVICE_DEVICE_H

#include <signal.h>
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

/* Set by SIGINT / SIGTERM. */
extern volatile sig_atomic_t device_signal_stop;

/* True once the button was pressed or a stop signal came (then stays so). */
bool device_should_stop(device *d);

/* Steps 1-4 of the boot sequence (DHCP, DNS, NTP, DNS), each retried as a
 * device would until it works, the user stops it, or max_boot_attempts
 * failures have been seen. Returns false when it gave up or was stopped. */
bool device_boot_network(device *d);

/* Steps 5-6 (TLS, MQTT) on @p link, with the same retry policy; the broker
 * name is resolved again before each attempt. */
bool device_boot_link(device *d, device_link *link);

/* Sleeps up to @p ms, returning early (true) if the device must stop. */
bool device_sleep(device *d, unsigned ms);

/* The two modes; they return the process exit status. */
int device_run_normal(device *d);
int device_run_test(device *d);

#endif
