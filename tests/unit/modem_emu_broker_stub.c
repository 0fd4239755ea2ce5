// SPDX-License-Identifier: MIT
/* brisa-modem-emu's broker side replaced for the unit test and the fuzz
 * target: every connect is refused at once, so no input reaches the
 * network. */
#include "emu.h"

int emu_broker_connect(emu *e, emu_client *c, const char *user, const char *pass)
{
    (void)e;
    (void)c;
    (void)user;
    (void)pass;
    return EMU_E_SOCK_CONNECT;
}

void emu_broker_drop(emu_client *c)
{
    c->connected = false;
    c->connecting = false;
}

void emu_broker_poll(emu *e)
{
    (void)e;
}

int emu_broker_fd(const emu_client *c)
{
    (void)c;
    return -1;
}
