// SPDX-License-Identifier: MIT
/**
 * @file transport.h
 * The stream transport interface: how the core reaches a byte stream.
 *
 * A transport is a context pointer and three functions. Plain TCP (ports),
 * TLS (src/tls, itself wrapping another transport) and the scripted
 * in-memory transports of the tests all implement it; the MQTT client never
 * knows which one it talks to.
 */
#ifndef BRISA_TRANSPORT_H
#define BRISA_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "brisa/export.h"

BRISA_BEGIN_DECLS

/** Flag for send(): more bytes follow at once, so the transport may hold
 *  these back and coalesce them with the next send (TCP cork / one TLS
 *  record). A send without the flag flushes whatever was held. */
#define BRISA_SEND_MORE 0x1u

/** A byte stream (TCP, TLS over TCP, a serial line): a context and three
 *  functions. Copied by value; the context belongs to whoever opened the
 *  stream and must outlive every copy. */
typedef struct brisa_transport {
    void *ctx; /**< the stream's state, passed to every function */

    /**
     * Writes up to @p len bytes of @p buf, waiting at most @p timeout_ms for
     * room. Returns the number of bytes accepted (1..len; fewer than len is a
     * partial write the caller continues), BRISA_ERR_TIMEOUT if none could be
     * written in time, or another negative brisa_err.
     */
    int (*send)(void *ctx, const uint8_t *buf, size_t len, unsigned flags,
                uint32_t timeout_ms);

    /**
     * Reads up to @p len bytes into @p buf, waiting at most @p timeout_ms
     * (0: do not wait). Returns the number of bytes read (>0),
     * BRISA_ERR_TIMEOUT if nothing arrived in time, BRISA_ERR_CLOSED when the
     * peer closed the stream, or another negative brisa_err.
     */
    int (*recv)(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms);

    /** Closes the stream (orderly where the protocol has a way: TLS
     *  close_notify, TCP FIN). Safe to call more than once. */
    void (*close)(void *ctx);
} brisa_transport;

BRISA_END_DECLS

#endif /* BRISA_TRANSPORT_H */
