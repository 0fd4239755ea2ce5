// SPDX-License-Identifier: MIT
/**
 * @file posix_serial.h
 * A brisa_transport over a POSIX serial port: a modem on /dev/ttyUSB2, or
 * a pseudo-terminal (the modem emulator, the tests).
 *
 * The port is put in raw mode (termios: no echo, no line editing, no
 * CR/LF translation), 8N1, at the asked baud rate, with RTS/CTS flow
 * control when asked, and opened exclusively (TIOCEXCL and flock) so a
 * second program cannot interleave its bytes with ours. Every wait is a
 * poll() with the caller's timeout.
 *
 *     brisa_posix_serial s;
 *     if (brisa_posix_serial_open(&s, "/dev/ttyUSB2", 115200, false) < 0)
 *         fprintf(stderr, "%s\n", brisa_posix_serial_error(&s));
 *     brisa_transport t = brisa_posix_serial_transport(&s);
 */
#ifndef BRISA_POSIX_SERIAL_H
#define BRISA_POSIX_SERIAL_H

#include "brisa/err.h"
#include "brisa/export.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/transport.h"

BRISA_BEGIN_DECLS

/** One serial port (a tty), opened raw. Caller-allocated; it must outlive
 *  the transport brisa_posix_serial_open() fills. */
typedef struct brisa_posix_serial {
    int fd;          /**< -1 when closed */
    int sys_errno;   /**< errno of the last failure (0: none) */
    char msg[160];   /**< the last failure, in words */
} brisa_posix_serial;

/**
 * Opens @p path at @p baud (one of the standard rates 1200..4000000) with
 * RTS/CTS flow control if @p rtscts. Returns BRISA_OK;
 * BRISA_ERR_INVALID_ARG (rate not supported); BRISA_ERR_BUSY (another
 * program holds the port); BRISA_ERR_NOT_FOUND; BRISA_ERR_IO.
 */
brisa_err brisa_posix_serial_open(brisa_posix_serial *s, const char *path, uint32_t baud,
                                  bool rtscts);

/** Splits "DEVICE[:BAUD]" (115200 when not given) into @p path (@p size
 *  bytes) and @p baud. Returns BRISA_OK or BRISA_ERR_INVALID_ARG. */
brisa_err brisa_posix_serial_parse(const char *spec, char *path, size_t size, uint32_t *baud);

/** The transport over an open port; close() closes the port. */
brisa_transport brisa_posix_serial_transport(brisa_posix_serial *s);

/** Closes the port (safe when closed). */
void brisa_posix_serial_close(brisa_posix_serial *s);

/** The last failure in words ("/dev/ttyUSB2: Device or resource busy"). */
const char *brisa_posix_serial_error(const brisa_posix_serial *s);

BRISA_END_DECLS

#endif /* BRISA_POSIX_SERIAL_H */
