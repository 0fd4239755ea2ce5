// SPDX-License-Identifier: MIT
/* Semihosting: the emulator's console and exit status. */
#include "semihost.h"

#include <stdint.h>

#define SYS_OPEN 0x01
#define SYS_WRITE 0x05
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static int call(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void bri_semihost_write(const char *buf, size_t len)
{
    static int handle = -1;
    if (handle < 0) {
        /* ":tt" opened for writing (mode 4, "w") is the console. */
        uintptr_t open_args[3] = { (uintptr_t)":tt", 4, 3 };
        handle = call(SYS_OPEN, open_args);
    }
    uintptr_t args[3] = { (uintptr_t)handle, (uintptr_t)buf, len };
    call(SYS_WRITE, args);
}

void bri_semihost_exit(int status)
{
    uintptr_t args[2] = { ADP_STOPPED_APPLICATION_EXIT, (uintptr_t)(uint32_t)status };
    call(SYS_EXIT_EXTENDED, args);
}
