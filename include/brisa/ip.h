// SPDX-License-Identifier: MIT
/**
 * @file ip.h
 * IP addresses as the core sees them: plain bytes, no OS types.
 */
#ifndef BRISA_IP_H
#define BRISA_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/export.h"

BRISA_BEGIN_DECLS

/** Address family of a brisa_ip_addr. */
typedef enum brisa_ip_family {
    BRISA_IP_NONE = 0, /**< no address */
    BRISA_IP_V4 = 4,   /**< IPv4 */
    BRISA_IP_V6 = 6    /**< IPv6 */
} brisa_ip_family;

/** An IPv4 or IPv6 address, by value, independent of any socket API. */
typedef struct brisa_ip_addr {
    uint8_t family;    /**< brisa_ip_family */
    uint8_t bytes[16]; /**< network order; IPv4 uses the first 4 */
} brisa_ip_addr;

/** Longest text form, with the terminating NUL ("ffff:...:255.255.255.255"). */
#define BRISA_IP_STR_MAX 46

/** Builds an IPv4 address from its four octets. */
brisa_ip_addr brisa_ip_v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d);

/** Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with "::"). Returns true
 *  and fills @p out on success; false on anything malformed. */
bool brisa_ip_parse(const char *text, brisa_ip_addr *out);

/** Writes the text form of @p ip into @p buf (at least BRISA_IP_STR_MAX
 *  bytes for any address). Returns the length written, or a negative
 *  brisa_err if @p cap is too small or the address has no family. */
int brisa_ip_format(const brisa_ip_addr *ip, char *buf, size_t cap);

/** True when both addresses have the same family and bytes. */
bool brisa_ip_equal(const brisa_ip_addr *a, const brisa_ip_addr *b);

BRISA_END_DECLS

#endif /* BRISA_IP_H */
