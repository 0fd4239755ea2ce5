// SPDX-License-Identifier: MIT
/* The SIM7600 link on a board without a serial port driver for it: the
 * configuration may name it, and the boot says at once why it cannot be. */
#include <stdio.h>

#include "brisa/err.h"
#include "device.h"
#include "link.h"

static const char no_modem[] = "[link] type = sim7600: this board has no serial port for a modem";

void link_modem_attach(device_link *l, const link_handlers *h)
{
    (void)l;
    (void)h;
}

int link_modem_open(device_link *l, char *why, size_t why_len)
{
    (void)l;
    snprintf(why, why_len, "%s", no_modem);
    return BRISA_ERR_UNSUPPORTED;
}

bool link_modem_subscribe(device_link *l, const char *topic, uint8_t qos, uint8_t *granted)
{
    (void)l;
    (void)topic;
    (void)qos;
    (void)granted;
    return false;
}

void link_modem_close(device_link *l)
{
    l->open = false;
}

void link_modem_drop(device_link *l)
{
    l->open = false;
}

int link_modem_publish(device_link *l, const char *topic, const void *payload, size_t len,
                       uint8_t qos)
{
    (void)l;
    (void)topic;
    (void)payload;
    (void)len;
    (void)qos;
    return BRISA_ERR_UNSUPPORTED;
}

int link_modem_process(device_link *l, uint32_t timeout_ms)
{
    (void)l;
    (void)timeout_ms;
    return BRISA_ERR_UNSUPPORTED;
}

int link_modem_bringup(device *d, void *arg, char *why, size_t why_len)
{
    (void)d;
    (void)arg;
    snprintf(why, why_len, "%s", no_modem);
    return BRISA_ERR_UNSUPPORTED;
}

int link_modem_time(device *d, void *arg, char *why, size_t why_len)
{
    return link_modem_bringup(d, arg, why, why_len);
}
