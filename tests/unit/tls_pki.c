// SPDX-License-Identifier: MIT
/* Test helper: a throw-away PKI made by brisa-pki (see tls_pki.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "tls_pki.h"

#include <stdio.h>
#include <stdlib.h>

int tls_pki_make(char *dir, size_t cap, const char *prefix, const char *commands)
{
    if (snprintf(dir, cap, "/tmp/%s.XXXXXX", prefix) >= (int)cap || mkdtemp(dir) == NULL)
        return -1;
    char cmd[2048];
    if (snprintf(cmd, sizeof cmd, "set -e; export QUIET=1; P='%s'; D='%s'; %s", BRISA_PKI, dir,
                 commands) >= (int)sizeof cmd)
        return -1;
    return system(cmd) == 0 ? 0 : -1;
}

int tls_pki_remove(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}
