// SPDX-License-Identifier: MIT
/* A scripted modem for the AT tests: replays a golden transcript
 * (tests/vectors/sim7600_*.txt). What the driver sends must match the
 * transcript's "> " and ">> " steps byte for byte; the module's "< "
 * steps are readable once everything before them was sent. Waiting moves
 * the fake clock, as in mqtt_fakes.c. */
#ifndef BRISA_TEST_AT_SCRIPT_H
#define BRISA_TEST_AT_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/transport.h"
#include "mqtt_fakes.h"

typedef struct at_step {
    bool out;              /* the DTE sends it */
    uint8_t *bytes;
    size_t len, off;
} at_step;

typedef struct at_script {
    fake_clock *clock;
    at_step *steps;
    size_t nsteps, cur;
    size_t max_read;       /* at most this many bytes per recv (0: any) */
    bool mismatch;
    char why[256];         /* the first mismatch */
} at_script;

/* Loads @p path; aborts the test program when it cannot be read. */
void at_script_load(at_script *s, fake_clock *clk, const char *path);
void at_script_free(at_script *s);
brisa_transport at_script_iface(at_script *s);
/* True when every step was sent or delivered. */
bool at_script_done(const at_script *s);

#endif /* BRISA_TEST_AT_SCRIPT_H */
