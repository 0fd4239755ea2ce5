// SPDX-License-Identifier: MIT
/* brisa-device: the seed's embedded application, on Linux.
 *
 *   brisa-device --config FILE [--test-mode] [--csv FILE] [--no-tls]
 *
 * Boots DHCP -> DNS -> NTP -> DNS -> TLS -> MQTT, then runs normal mode
 * (LED commands on the secret topic, events and the time on the public
 * topic, the button ends it) or test mode (publish to itself and time each
 * packet's write and read). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "brisa/version.h"
#include "device.h"
#include "log.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: brisa-device --config FILE [--test-mode] [--csv FILE] [--no-tls] [--check-config]\n"
            "  -c, --config FILE  the device's INI configuration (see app/brisa-device/*.ini)\n"
            "  -t, --test-mode    run test mode (as holding the board's button at start)\n"
            "      --csv FILE     test mode: write each cycle's timings to FILE\n"
            "      --no-tls       connect without TLS, whatever the configuration says\n"
            "      --check-config load and check the configuration, then exit\n"
            "  -h, --help         this text\n"
            "      --version      print the version and exit\n"
            "The button (normal mode's end): SIGUSR1 or Enter on the console board.\n");
}

static void on_stop_signal(int sig)
{
    (void)sig;
    plat_signal_stop = 1;
}

int main(int argc, char **argv)
{
    static device d; /* holds the network clients' buffers */
    const char *config_path = NULL;
    bool force_test = false, no_tls = false, check_only = false;
    enum { OPT_CSV = 256, OPT_NO_TLS, OPT_CHECK, OPT_VERSION };
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "test-mode", no_argument, NULL, 't' },
        { "csv", required_argument, NULL, OPT_CSV },
        { "no-tls", no_argument, NULL, OPT_NO_TLS },
        { "check-config", no_argument, NULL, OPT_CHECK },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, OPT_VERSION },
        { NULL, 0, NULL, 0 },
    };
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "c:th", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 't': force_test = true; break;
        case OPT_CSV: d.csv_path = optarg; break;
        case OPT_NO_TLS: no_tls = true; break;
        case OPT_CHECK: check_only = true; break;
        case 'h': usage(stdout); return 0;
        case OPT_VERSION: printf("brisa-device %s\n", brisa_version()); return 0;
        default:
            fprintf(stderr, "brisa-device: unknown or incomplete option '%s'\n", argv[optind - 1]);
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "brisa-device: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (!config_path) {
        fprintf(stderr, "brisa-device: --config FILE is required\n");
        usage(stderr);
        return 2;
    }

    char err[600];
    if (!device_config_load(&d.cfg, config_path, err, sizeof err)) {
        fprintf(stderr, "brisa-device: %s\n", err);
        return 2;
    }
    if (check_only) {
        printf("%s: configuration OK\n", config_path);
        return 0;
    }
    if (no_tls) {
        d.cfg.tls = false;
        d.cfg.test_compare_tls = false;
    }
    log_init(d.cfg.debug);
    setvbuf(stdout, NULL, _IOLBF, 0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    return device_main(&d, force_test, config_path);
}
