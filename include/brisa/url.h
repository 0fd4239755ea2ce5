// SPDX-License-Identifier: MIT
/**
 * @file url.h
 * Broker and proxy URLs: scheme://[user[:password]@]host[:port][/path],
 * split in the caller's buffer (freestanding, no allocation). The tools'
 * -L and --proxy and the device's [mqtt] url and proxy read them.
 */
#ifndef BRISA_URL_H
#define BRISA_URL_H

#include <stddef.h>
#include <stdint.h>

#include "brisa/export.h"

BRISA_BEGIN_DECLS

/** The parts of a URL; strings point into the caller's buffer. */
typedef struct brisa_url {
    const char *scheme;   /**< lower-cased: "mqtt", "wss", "http" */
    const char *user;     /**< NULL if absent */
    const char *password; /**< NULL if absent */
    const char *host;     /**< without the brackets of an IPv6 literal */
    uint16_t port;        /**< 0 if absent */
    const char *path;     /**< after the first '/'; "" if none */
} brisa_url;

/**
 * Copies @p text into @p buf (@p cap bytes) and splits it into @p u, whose
 * strings point into @p buf. Returns NULL, or a short static phrase saying
 * what is wrong ("no scheme", "invalid port", ...).
 */
const char *brisa_url_split(const char *text, char *buf, size_t cap, brisa_url *u);

BRISA_END_DECLS

#endif /* BRISA_URL_H */
