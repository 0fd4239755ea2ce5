// SPDX-License-Identifier: MIT
/**
 * @file posix_store.h
 * A file store for the MQTT client's in-flight state (mqtt_store.h): one
 * small file per record in a directory of its own.
 *
 * Each record is written to NAME.tmp, flushed to disk (fsync), renamed over
 * NAME (atomic) and the directory flushed, so after a crash a record is
 * either wholly the old one or wholly the new one. Every file carries a
 * magic number, its own name's key and a CRC-32: a damaged file is never
 * handed to the client. load() renames it to NAME.corrupt, keeps going
 * with the others, says which file and what is wrong in
 * brisa_posix_store_error(), and returns BRISA_ERR_MALFORMED. Leftover
 * NAME.tmp files (a crash before the rename: the client had not sent
 * that message yet) are removed.
 *
 * File names: "out-<id>" for our flows, "in-<id>" for the broker's QoS 2
 * ids awaiting PUBREL. One client per directory.
 */
#ifndef BRISA_POSIX_STORE_H
#define BRISA_POSIX_STORE_H

#include "brisa/err.h"
#include "brisa/export.h"
#include <stdbool.h>

#include "brisa/mqtt_store.h"

BRISA_BEGIN_DECLS

/** A file store: one file per record in a directory. Caller-allocated; it
 *  must outlive the brisa_mqtt_store brisa_posix_store_iface() makes. */
typedef struct brisa_posix_store {
    char dir[256];        /**< the directory, as opened */
    bool sync;            /**< fsync each write (off only to measure) */
    unsigned corrupt;     /**< damaged records found by the last load */
    char error[400];      /**< the last problem, one line ("" if none) */
} brisa_posix_store;

/**
 * Uses directory @p dir (created, mode 0700, if missing; its parent must
 * exist). @p sync false skips fsync: faster, but a power cut may lose or
 * tear records (a torn one is then reported, not replayed). Returns
 * BRISA_OK, BRISA_ERR_INVALID_ARG (path too long) or BRISA_ERR_IO (see
 * brisa_posix_store_error()).
 */
brisa_err brisa_posix_store_open(brisa_posix_store *s, const char *dir, bool sync);

/** The store interface for brisa_mqtt_config.store; @p s must outlive it. */
brisa_mqtt_store brisa_posix_store_iface(brisa_posix_store *s);

/** The last problem ("<dir>/out-7: bad checksum, moved to out-7.corrupt"),
 *  or "". */
const char *brisa_posix_store_error(const brisa_posix_store *s);

BRISA_END_DECLS

#endif /* BRISA_POSIX_STORE_H */
