// SPDX-License-Identifier: MIT
/* lwIP's compiler/platform glue for brisa's port (GCC on Cortex-M and on the
 * host). Diagnostics are compiled out; a failed assertion goes to a hook the
 * board (or a host test) may override. */
#ifndef BRISA_LWIP_ARCH_CC_H
#define BRISA_LWIP_ARCH_CC_H

#define LWIP_PLATFORM_DIAG(x) do { } while (0)

void brisa_lwip_assert_failed(const char *msg, const char *file, int line);
#define LWIP_PLATFORM_ASSERT(x) brisa_lwip_assert_failed((x), __FILE__, __LINE__)

/* lwIP's own rand for ports and ISNs: the board's entropy via the port. */
unsigned int bri_lwip_rand32(void);
#define LWIP_RAND() ((u32_t)bri_lwip_rand32())

#endif
