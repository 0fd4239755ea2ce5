// SPDX-License-Identifier: MIT
/* Test helper: a throw-away PKI made by tools/pki/brisa-pki for the TLS
 * tests (the test defines BRISA_PKI, the script's path). */
#ifndef BRISA_TEST_TLS_PKI_H
#define BRISA_TEST_TLS_PKI_H

#include <stddef.h>

/* Creates a fresh directory /tmp/<prefix>.XXXXXX into @p dir (@p cap
 * bytes) and runs @p commands with bash, where $P is brisa-pki and $D the
 * directory (QUIET=1, set -e). Returns 0, or -1 on any failure. */
int tls_pki_make(char *dir, size_t cap, const char *prefix, const char *commands);

/* Removes what tls_pki_make() made. Returns 0 or -1. */
int tls_pki_remove(const char *dir);

#endif
