// SPDX-License-Identifier: MIT
/* Between the key table (config.c) and what feeds it INI entries: inih
 * reading a file (posix/config_file.c) or the entries compiled into the
 * firmware (lwip/config_builtin.c). */
#ifndef BRISA_DEVICE_CONFIG_INTERNAL_H
#define BRISA_DEVICE_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"

#define CONFIG_MAX_KEYS 96

/* Sees each entry as it is read (the firmware's build records them). */
typedef void (*config_observer)(void *ctx, int line, const char *section, const char *name,
                                const char *value);

typedef struct parse_state {
    device_config *cfg;
    FILE *file;                      /* config_file.c: the file being read */
    int line;                        /* line being handled now */
    int key_line[CONFIG_MAX_KEYS];   /* where each key was set; 0 = default */
    char *err;
    size_t err_len;
    bool failed;
    bool line_too_long;
    config_observer observe;         /* NULL: none */
    void *observe_ctx;
} parse_state;

/* Defaults into @p cfg, @p name for messages, an empty error. */
void config_begin(parse_state *ps, device_config *cfg, const char *name, char *err, size_t err_len);

/* One "key = value" of @p section, on line ps->line; inih's handler
 * signature (@p user is the parse_state). Returns 1, or 0 on an error. */
int config_entry(void *user, const char *section, const char *name, const char *value);

/* The rules involving several keys; true when nothing failed. */
bool config_finish(parse_state *ps);

/* Records "name:line: ..." unless an error is already recorded. */
void config_set_error(parse_state *ps, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The platform's check that the TLS file @p path named by @p key exists
 * (readable on Linux; compiled in on a board); records the error. */
bool config_check_file(parse_state *ps, int line, const char *key, const char *path);

/* device_config_load() with @p observe shown every entry (config_file.c). */
bool config_file_load(device_config *cfg, const char *path, char *err, size_t err_len,
                      config_observer observe, void *observe_ctx);

/* Fills @p cfg with the defaults only. */
void config_defaults(device_config *cfg);

#endif
