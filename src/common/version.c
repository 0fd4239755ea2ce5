// SPDX-License-Identifier: MIT
/* The library's own version, for programs linked to a shared copy. */
#include "brisa/version.h"

const char *brisa_version(void)
{
    return BRISA_VERSION_STRING;
}
