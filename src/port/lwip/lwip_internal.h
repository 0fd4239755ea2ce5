// SPDX-License-Identifier: MIT
/* Private helpers shared by the lwIP port's files. */
#ifndef BRISA_LWIP_INTERNAL_H
#define BRISA_LWIP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lwip/ip_addr.h"

#include "brisa/ip.h"

/* Sleeps through the idle hook until something may have happened, at most
 * until @p deadline (brisa_lwip_now_ms() time). Returns false, without
 * sleeping, once the deadline has passed. */
bool bri_lwip_idle_until(uint64_t deadline);

/* A deadline @p timeout_ms from now (saturating). */
uint64_t bri_lwip_deadline(uint32_t timeout_ms);

/* brisa_ip_addr <-> lwIP's IPv4 address. to_lwip returns false for
 * anything but IPv4. */
bool bri_lwip_to_lwip(const brisa_ip_addr *in, ip_addr_t *out);
brisa_ip_addr bri_lwip_from_lwip(const ip_addr_t *in);

/* Appends @p s to the message @p out (capacity @p cap) whose length is
 * @p at, always NUL-terminated, cutting what does not fit. Returns the new
 * length. No printf: the port stays small on a board. */
size_t bri_lwip_msg(char *out, size_t cap, size_t at, const char *s);
size_t bri_lwip_msg_uint(char *out, size_t cap, size_t at, uint32_t v);
size_t bri_lwip_msg_ip(char *out, size_t cap, size_t at, const brisa_ip_addr *ip);
/* lwIP's err_t in words ("connection reset"). */
const char *bri_lwip_err_str(int lwip_err);

#endif
