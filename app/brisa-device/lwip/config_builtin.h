// SPDX-License-Identifier: MIT
/* The configuration compiled into the firmware: the INI file's entries
 * and the TLS files it names, written as C at build time by
 * brisa-device-config-c (posix/config_gen.c) after it checked the file as
 * the Linux program does. */
#ifndef BRISA_DEVICE_CONFIG_BUILTIN_H
#define BRISA_DEVICE_CONFIG_BUILTIN_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

typedef struct config_builtin_entry {
    int line;
    const char *section, *name, *value;
} config_builtin_entry;

typedef struct config_builtin_file {
    const char *path;              /* as named in the INI file */
    const unsigned char *data;     /* followed by a NUL, not counted */
    size_t len;
} config_builtin_file;

/* The generated file (BRISA_DEVICE_CONFIG at build time). */
extern const char device_builtin_name[];
extern const config_builtin_entry device_builtin_entries[];
extern const size_t device_builtin_entry_count;
extern const config_builtin_file device_builtin_files[];
extern const size_t device_builtin_file_count;

/** Loads the compiled-in configuration through the same key table as a
 *  file on Linux. False with "name:line: ..." in @p err on a problem (the
 *  build has already checked it, so only a mismatch between host and
 *  firmware could cause one). */
bool device_config_load_builtin(device_config *cfg, char *err, size_t err_len);

#endif
