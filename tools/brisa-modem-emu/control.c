// SPDX-License-Identifier: MIT
/* Fault injection: one text command per line on the control socket,
 * answered "ok" or "error: why". */
#include <stdlib.h>
#include <string.h>

#include "emu.h"

static bool number(const char *s, long lo, long hi, long *out)
{
    if (s == NULL || *s == '\0')
        return false;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

void emu_control_command(emu *e, char *line, char *answer, size_t cap)
{
    char *save = NULL;
    char *verb = strtok_r(line, " \t", &save);
    char *a1 = strtok_r(NULL, " \t", &save);
    char *a2 = strtok_r(NULL, " \t", &save);
    char *extra = strtok_r(NULL, " \t", &save);
    long v1, v2;
    snprintf(answer, cap, "ok");
    if (verb == NULL) {
        snprintf(answer, cap, "error: empty command");
        return;
    }
    emu_log(e, "ctl", "%s%s%s%s%s", verb, a1 ? " " : "", a1 ? a1 : "", a2 ? " " : "", a2 ? a2 : "");
    bool one = a1 != NULL && a2 == NULL;
    if (strcmp(verb, "connlost") == 0 && a2 != NULL && extra == NULL &&
        number(a1, 0, EMU_CLIENTS - 1, &v1) && number(a2, 0, 255, &v2)) {
        emu_client *c = &e->clients[v1];
        if (!c->connected) {
            snprintf(answer, cap, "error: client %ld is not connected", v1);
            return;
        }
        emu_broker_drop(c);
        emu_line(e, "+CMQTTCONNLOST: %ld,%ld", v1, v2);
    } else if (strcmp(verb, "error") == 0 && one && number(a1, 0, 1000000, &v1)) {
        e->fail_next = (int)v1;
    } else if (strcmp(verb, "cme") == 0 && one && number(a1, 0, 65535, &v1)) {
        e->cme_next = (int)v1;
    } else if (strcmp(verb, "delay") == 0 && one && number(a1, 0, 600000, &v1)) {
        e->delay_ms = (uint32_t)v1;
    } else if (strcmp(verb, "split") == 0 && one && number(a1, 0, 1 << 20, &v1)) {
        e->split = (size_t)v1;
    } else if (strcmp(verb, "rxsplit") == 0 && one && number(a1, 0, EMU_PAYLOAD_MAX, &v1)) {
        e->rxsplit = (size_t)v1;
    } else if (strcmp(verb, "reset") == 0 && a1 == NULL) {
        emu_reset(e, false);
    } else if (strcmp(verb, "poweroff") == 0 && a1 == NULL) {
        emu_reset(e, true);
    } else {
        snprintf(answer, cap,
                 "error: unknown or malformed command '%s' (connlost IDX CAUSE, error N, cme CODE, "
                 "delay MS, split N, rxsplit N, reset, poweroff)",
                 verb);
    }
}
