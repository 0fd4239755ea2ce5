// SPDX-License-Identifier: MIT
/* Fuzz target: brisa-device's configuration parser on any bytes. It must
 * either accept the file or give one "name:line: ..." line, and never
 * read or write out of bounds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fmemopen((void *)(uintptr_t)data, size, "r");
    if (size == 0 || !f) {
        if (f)
            fclose(f);
        return 0;
    }
    static device_config cfg;
    char err[512];
    bool ok = device_config_load_stream(&cfg, f, "fuzz.ini", err, sizeof err);
    fclose(f);
    if (!ok && (strncmp(err, "fuzz.ini:", 9) != 0 || strchr(err, '\n') != NULL))
        abort(); /* every refusal is one line naming the file */
    if (ok && (cfg.qos < 0 || cfg.qos > 2 || cfg.keepalive_s < 0 || cfg.keepalive_s > 65535))
        abort();
    return 0;
}
