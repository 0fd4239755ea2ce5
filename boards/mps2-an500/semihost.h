// SPDX-License-Identifier: MIT
/* ARM semihosting calls (QEMU: -semihosting-config enable=on,target=native). */
#ifndef BRISA_MPS2_SEMIHOST_H
#define BRISA_MPS2_SEMIHOST_H

#include <stddef.h>

/** Writes to the debugger's console (SYS_WRITE on ":tt"). */
void bri_semihost_write(const char *buf, size_t len);

/** SYS_EXIT_EXTENDED: QEMU exits with @p status. */
void bri_semihost_exit(int status);

#endif
