// SPDX-License-Identifier: MIT
/* Test helper: lwIP on the host with two Ethernet netifs joined by an
 * in-memory wire -- "dev" (the device, where brisa's port runs) and "srv"
 * (where the tests' raw-API servers listen). Frames cross the wire only
 * when the port turns the stack, exactly as a board's driver would feed
 * them. */
#ifndef BRISA_TEST_LWIP_WIRE_H
#define BRISA_TEST_LWIP_WIRE_H

#include <stdbool.h>
#include <stdint.h>

#include "lwip/netif.h"
#include "lwip/tcp.h"

extern struct netif wire_dev; /* 10.0.0.2/24 after wire_start() */
extern struct netif wire_srv; /* 10.0.0.1/24 */

/* Starts lwIP through brisa_lwip_start() with the host's hooks, adds and
 * raises both netifs, and gives dev its address through
 * brisa_lwip_apply_lease(). Once per process; later calls only reset the
 * device's address. */
void wire_start(void);

/* A raw-API TCP listener on srv's @p port: @p accept gets @p arg.
 * Returns false if lwIP had no pcb or the port is taken. */
bool wire_listen(uint16_t port, tcp_accept_fn accept, void *arg);

/* Also called at every poll of the wire (after the frames): a test's
 * relay between lwIP and a socket. NULL: none. */
void wire_set_poll_hook(void (*fn)(void));

/* Times the port called the driver's poll hook (turned the stack). */
uint32_t wire_polls(void);

/* Frames dropped on the wire so far (queue full). */
uint32_t wire_dropped(void);

/* Turns the stack for @p ms milliseconds (frames cross, timers run). */
void wire_run(uint32_t ms);

/* Host milliseconds (CLOCK_MONOTONIC). */
uint64_t wire_ms(void);

#endif
