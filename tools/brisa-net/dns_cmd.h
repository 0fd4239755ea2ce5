// SPDX-License-Identifier: MIT
/* Helpers of `brisa-net dns` that `brisa-net ntp` uses too: server
 * addresses on the command line, /etc/resolv.conf, number options and a
 * one-shot name lookup through brisa's own resolver. */
#ifndef BRISA_NET_DNS_CMD_H
#define BRISA_NET_DNS_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/dns.h"

/* Parses "IP", "IP:PORT", "[IPv6]:PORT" or a bare IPv6 address; the port
 * is @p default_port when absent. Returns false on anything else. */
bool bri_net_parse_server(const char *text, uint16_t default_port, brisa_ip_addr *ip,
                            uint16_t *port);

/* Parses a decimal integer in [min, max]. */
bool bri_net_parse_uint(const char *text, unsigned long min, unsigned long max,
                          unsigned long *out);

/* One option of a subcommand; every option takes a value. Either a number
 * in [min, max] stored in *num, or a custom parser. */
typedef struct brisa_net_opt {
    const char *name;          /* "--timeout" */
    const char *what;          /* shown with a bad value: "bad timeout (1..600000 ms)" */
    unsigned long min, max;
    unsigned long *num;
    bool (*parse)(void *ctx, const char *value);
    void *ctx;
} brisa_net_opt;

/* Parses argv[1..] of subcommand @p cmd ("dns"): the options of @p opts,
 * -h/--help, and exactly one operand (named @p operand in messages) into
 * @p out. Returns -1 to go on, or the exit status (0 after --help; 2 after
 * a usage message naming the bad argument). */
int bri_net_parse_args(const char *cmd, int argc, char **argv, const brisa_net_opt *opts,
                         size_t count, const char *operand, const char **out,
                         void (*usage)(void));

/* Looks @p name up (A records) with the servers of /etc/resolv.conf,
 * storing up to @p cap addresses. Returns the count, or a negative
 * brisa_err with a one-line reason in @p why. */
int bri_net_lookup(const char *name, brisa_ip_addr *out, size_t cap, char *why, size_t why_cap);

#endif
