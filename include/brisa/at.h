// SPDX-License-Identifier: MIT
/**
 * @file at.h
 * The AT command engine: commands and answers over a serial byte stream.
 *
 * Freestanding: the caller supplies the engine struct and its line buffer,
 * and reaches the modem through a brisa_transport (a serial port, a
 * pseudo-terminal, or a scripted stream in the tests). The engine frames
 * lines (CR or LF ends a line; blank lines are skipped), recognises the
 * final results OK, ERROR, "+CME ERROR: n" and "+CMS ERROR: n", hands
 * intermediate lines to the running command, sends a command's data after
 * the '>' prompt, and gives every unsolicited result code (URC) to the
 * caller whenever it arrives -- also in the middle of another command's
 * exchange. A URC may announce raw bytes that follow it (the modem's
 * +CMQTTRXTOPIC / +CMQTTRXPAYLOAD): the engine then passes exactly that
 * many bytes on, CR and LF included, before it frames lines again.
 *
 * The echo of a command (ATE1) and lines nobody asked for are dropped, so
 * a modem left with echo on or a noisy line does not confuse it.
 *
 * @code
 * brisa_at_command c = { .text = "AT+CSQ", .timeout_ms = 1000,
 *                        .on_line = csq_line, .user = &rssi };
 * int err = brisa_at_command_run(&at, &c);
 * @endcode
 */
#ifndef BRISA_AT_H
#define BRISA_AT_H

#include "brisa/export.h"
#include "brisa/config.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/clock.h"
#include "brisa/err.h"
#include "brisa/transport.h"

BRISA_BEGIN_DECLS

/**
 * Offered every line that is not a final result, the running command's
 * echo or its done line. Returns true when the line is a URC (then it is
 * not given to the command); a URC followed by raw bytes sets
 * @p *raw_len to their count (it starts at 0). Must not run commands.
 */
typedef bool (*brisa_at_urc_cb)(void *user, const char *line, size_t len,
                                size_t *raw_len);

/** Receives the raw bytes announced by a URC, in one or more pieces. */
typedef void (*brisa_at_raw_cb)(void *user, const uint8_t *data, size_t len);

/** An intermediate line of a command (or its done line). Not
 *  NUL-terminated; valid only during the call. */
typedef void (*brisa_at_line_cb)(void *user, const char *line, size_t len);

/** Every line sent (outgoing true) or received, for debug output. Data
 *  sent after a prompt and raw URC bytes are reported as their length. */
typedef void (*brisa_at_trace_cb)(void *user, bool outgoing, const char *line,
                                  size_t len);

/** Engine settings: copied by brisa_at_init(); line_buf and the
 *  transport's and clock's contexts stay the caller's and must outlive the
 *  engine. */
typedef struct brisa_at_config {
    brisa_transport transport;  /**< the open serial stream */
    brisa_clock clock;          /**< monotonic time for timeouts */
    char *line_buf;             /**< one received line; 64 bytes at least */
    size_t line_size;           /**< bytes at line_buf */
    brisa_at_urc_cb on_urc;     /**< may be NULL: nothing is a URC */
    brisa_at_raw_cb on_raw;     /**< may be NULL: raw bytes are dropped */
    brisa_at_trace_cb on_trace; /**< may be NULL */
    void *user;                 /**< passed to the callbacks above */
} brisa_at_config;

/** One command. Strings need not outlive brisa_at_command_run(). */
typedef struct brisa_at_command {
    const char *text;           /**< "AT+CSQ", without the final CR */
    size_t len;                 /**< 0: strlen(text) */
    const uint8_t *data;        /**< non-NULL: wait for '>' and send these */
    size_t data_len;            /**< bytes at data */
    /** Non-NULL: after OK, the command also waits for a line beginning
     *  with this (the module's own result, "+CMQTTCONNECT: 0,"), which
     *  goes to on_line. Seen before OK, it counts too. */
    const char *done_prefix;
    uint32_t timeout_ms;        /**< the whole exchange; 0: 5 s */
    brisa_at_line_cb on_line;   /**< intermediate lines; may be NULL */
    void *user;                 /**< passed to on_line */
} brisa_at_command;

/** The engine. Caller-allocated; fields are private. */
typedef struct brisa_at {
    /** @cond PRIVATE */
    brisa_at_config cfg;
    const brisa_at_command *cmd; /**< running command, or NULL */
    size_t cmd_len;
    uint64_t deadline_ms;       /**< of the running command */
    size_t line_len;
    size_t raw_left;            /**< raw URC bytes still to pass on */
    int final;                  /**< running command: 0 none, 1 OK, <0 err */
    int cme;                    /**< code of the last +CME/+CMS ERROR */
    uint8_t rx[64];
    bool overflow;              /**< the current line was too long */
    bool skip_lf;               /**< a line ended in CR: an LF may follow */
    bool prompt_wanted;
    bool skip_space;            /**< after '>', one space may follow */
    bool done_seen;
    bool busy;
    bool data_error;            /**< sending a command's data failed */
    int io_err;
    /** @endcond */
} brisa_at;

/** Prepares @p at from @p cfg (copied; the buffer stays the caller's).
 *  Returns BRISA_OK or BRISA_ERR_INVALID_ARG (no transport or clock
 *  function, line buffer under 64 bytes). */
brisa_err brisa_at_init(brisa_at *at, const brisa_at_config *cfg);

/**
 * Sends @p cmd and handles the answer until its final result, dispatching
 * URCs meanwhile. Returns BRISA_OK (OK, and the done line if one was
 * asked for); BRISA_ERR_REFUSED for ERROR or +CME/+CMS ERROR (the code is
 * then brisa_at_cme(), -1 for a plain ERROR); BRISA_ERR_TIMEOUT;
 * BRISA_ERR_INVALID_ARG (empty text); BRISA_ERR_STATE when called from a
 * callback while another command runs; or the transport's error.
 */
brisa_err brisa_at_command_run(brisa_at *at, const brisa_at_command *cmd);

/** Code of the last +CME ERROR / +CMS ERROR (-1: plain ERROR, or a text
 *  the engine could not read as a number). */
int brisa_at_cme(const brisa_at *at);

/**
 * Reads for at most @p timeout_ms while no command runs, dispatching URCs
 * (and returning early once the bytes that arrived are handled). Lines
 * that are not URCs are dropped. Returns BRISA_OK, BRISA_ERR_STATE inside
 * a command, or the transport's error (a timeout is not one).
 */
brisa_err brisa_at_poll(brisa_at *at, uint32_t timeout_ms);

/** Feeds received bytes straight in (what poll does with what it reads);
 *  for tests and for callers that read the stream themselves. */
void brisa_at_input(brisa_at *at, const uint8_t *data, size_t len);

BRISA_END_DECLS

#endif /* BRISA_AT_H */
