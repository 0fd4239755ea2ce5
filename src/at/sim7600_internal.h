// SPDX-License-Identifier: MIT
/* Private helpers shared by the SIM7600 driver's files. */
#ifndef BRISA_SIM7600_INTERNAL_H
#define BRISA_SIM7600_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/sim7600.h"

/* A command being written into the driver's buffer; "over" once anything
 * did not fit or could not be quoted, so one test at the end suffices. */
typedef struct sim_text {
    char *buf;
    size_t cap, len;
    bool over, bad;
} sim_text;

void sim_text_start(sim_text *t, brisa_sim7600 *m, const char *s);
/* The same over any buffer. */
void sim_text_on(sim_text *t, char *buf, size_t cap);
void sim_text_put(sim_text *t, const char *s);
void sim_text_uint(sim_text *t, unsigned long v);
/* ,v */
void sim_text_arg(sim_text *t, unsigned long v);
/* "s": the module has no escape for '"', so one inside is refused. */
void sim_text_quoted(sim_text *t, const char *s, size_t len);
/* BRISA_OK, BRISA_ERR_INVALID_ARG (bad) or BRISA_ERR_TOO_LARGE (over). */
int sim_text_end(const sim_text *t);

/* Reads up to @p max comma-separated unsigned numbers after @p skip bytes
 * of @p l; returns how many were read (stops at the first non-number). */
size_t sim_parse_uints(const char *l, size_t n, size_t skip, unsigned long *out,
                       size_t max);

bool sim_prefix(const char *l, size_t n, const char *prefix);

uint32_t sim_fnv1a(const void *data, size_t len);

/* Runs a command in the driver's buffer. @p name is the command for error
 * reports; @p done_prefix as brisa_at_command's; the module's result code
 * after it ("+CMQTTPUB: 0,<code>") lands in m->result (-1: none). */
int sim_run(brisa_sim7600 *m, const char *name, const sim_text *t,
            const uint8_t *data, size_t data_len, const char *done_prefix,
            uint32_t timeout_ms, brisa_at_line_cb on_line, void *user);

/* The URC handler and raw-byte sink wired into the engine. */
bool sim_urc(void *user, const char *line, size_t len, size_t *raw_len);
void sim_raw(void *user, const uint8_t *data, size_t len);

#endif /* BRISA_SIM7600_INTERNAL_H */
