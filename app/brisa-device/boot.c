// SPDX-License-Identifier: MIT
/* The boot sequence DHCP -> DNS -> NTP -> DNS -> TLS -> MQTT, with the
 * retry policy of a device: a failed step is logged with its reason and
 * tried again after a pause, rather than ending the program. */
#include <stdio.h>

#include "brisa/err.h"
#include "device.h"
#include "log.h"

bool device_should_stop(device *d)
{
    if (d->stopping)
        return true;
    if (plat_stop_requested()) {
        d->stopping = true;
        log_info("STOP", "signal received, shutting down");
    } else if (board_button_pressed(&d->board)) {
        d->stopping = true;
        d->stop_by_button = true;
        log_info("BUTTON", "pressed, shutting down");
    }
    return d->stopping;
}

bool device_sleep(device *d, unsigned ms)
{
    for (unsigned waited = 0; waited < ms; waited += 50) {
        if (device_should_stop(d))
            return true;
        net_poll(&d->net); /* the lease is renewed while we wait, too */
        plat_sleep_ms(50);
    }
    return device_should_stop(d);
}

typedef int (*boot_step_fn)(device *d, void *arg, char *why, size_t why_len);

/* Failures no retry can mend: the device's own credentials or build. */
static bool permanent(int rc)
{
    return rc == BRISA_ERR_TLS_CREDENTIALS || rc == BRISA_ERR_TLS_KEY_MISMATCH ||
           rc == BRISA_ERR_UNSUPPORTED;
}

/* Runs one step until it succeeds; false if it gave up or must stop. */
static bool run_step(device *d, const char *name, boot_step_fn fn, void *arg, int *failures)
{
    for (;;) {
        if (device_should_stop(d))
            return false;
        char why[512] = "";
        int rc = fn(d, arg, why, sizeof why);
        if (rc == BRISA_OK)
            return true;
        if (rc == BRISA_ERR_CANCELLED) {
            log_info(name, "%s", why);
            return false;
        }
        ++*failures;
        if (permanent(rc)) {
            log_error(name, "%s; not retrying: fix the configuration", why);
            return false;
        }
        int max = d->booted ? 0 : d->cfg.max_boot_attempts; /* bounds the boot only */
        if (max > 0 && *failures >= max) {
            log_error(name, "%s; giving up after %d failed attempts", why, *failures);
            return false;
        }
        log_error(name, "%s; retrying in %d s", why, d->cfg.retry_delay_s);
        if (device_sleep(d, (unsigned)d->cfg.retry_delay_s * 1000u))
            return false;
    }
}

static int step_dhcp(device *d, void *arg, char *why, size_t why_len)
{
    (void)arg;
    return net_configure(&d->net, why, why_len);
}

static int step_ntp(device *d, void *arg, char *why, size_t why_len)
{
    (void)arg;
    return net_sync_time(&d->net, why, why_len);
}

static int step_resolve_broker(device *d, void *arg, char *why, size_t why_len)
{
    (void)arg;
    int rc = net_resolve(&d->net, d->cfg.broker, &d->broker_ip, why, why_len);
    d->broker_ip_fresh = rc == BRISA_OK;
    return rc;
}

static bool stop_wanted(void *d)
{
    return device_should_stop(d);
}

static int step_link(device *d, void *arg, char *why, size_t why_len)
{
    device_link *link = arg;
    link->should_stop = stop_wanted;
    link->stop_user = d;
    /* Resolve again on every later attempt: the broker may have moved.
     * Over the modem, the module resolves it. */
    if (!d->broker_ip_fresh && !link->modem) {
        int rc = net_resolve(&d->net, d->cfg.broker, &d->broker_ip, why, why_len);
        if (rc < 0)
            return rc;
    }
    d->broker_ip_fresh = false;
    return link_open(link, &d->broker_ip, why, why_len);
}

bool device_boot_network(device *d)
{
    int failures = 0;
    uint64_t t0 = log_now_ms();
    if (d->cfg.link == LINK_SIM7600) {
        log_info("BOOT", "%s: SIM7600 bring-up -> network time -> %s -> MQTT (the module's)",
                 d->cfg.platform, d->cfg.tls ? "TLS" : "(no TLS)");
        if (!run_step(d, "MODEM", link_modem_bringup, NULL, &failures) ||
            !run_step(d, "TIME", link_modem_time, NULL, &failures))
            return false;
        if (!d->cfg.test_compare_links)
            return true;
        /* Test mode compares with Ethernet: that link's steps too. */
    }
    log_info("BOOT", "%s: DHCP -> DNS -> NTP -> DNS -> %s -> MQTT", d->cfg.platform,
             d->cfg.tls ? "TLS" : "(no TLS)");
    /* DNS for the NTP server happens inside the NTP step. */
    if (!run_step(d, "DHCP", step_dhcp, NULL, &failures) ||
        !run_step(d, "NTP", step_ntp, NULL, &failures) ||
        !run_step(d, "DNS", step_resolve_broker, NULL, &failures))
        return false;
    log_debug("BOOT", "network ready in %llu ms", (unsigned long long)(log_now_ms() - t0));
    return true;
}

bool device_boot_link(device *d, device_link *link)
{
    int failures = 0;
    bool ok = run_step(d, link->use_tls ? "TLS" : "MQTT", step_link, link, &failures);
    d->booted |= ok;
    return ok;
}
