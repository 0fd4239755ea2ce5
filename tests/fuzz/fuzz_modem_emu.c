// SPDX-License-Identifier: MIT
/* Fuzz target: brisa-modem-emu's input from the DTE (command framing, the
 * AT parser, every handler, the bytes after a prompt) on any bytes. The
 * broker side is replaced by stubs that refuse to connect
 * (unit/modem_emu_broker_stub.c), so no input reaches the network; the
 * emulator's output goes to /dev/null. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "brisa/port/posix.h"
#include "emu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static emu the_emu;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    emu *e = &the_emu;
    static int sink = -1;
    if (sink < 0) {
        sink = open("/dev/null", O_WRONLY);
        if (sink < 0)
            abort();
    }
    for (int i = 0; i < EMU_CERTS_MAX; i++)
        free(e->certs[i].data);
    memset(e, 0, sizeof *e);
    e->pty = sink;
    e->clock = brisa_posix_clock();
    e->cme_next = -1;
    e->data_timeout_ms = EMU_DATA_TIMEOUT_MS;
    emu_init_state(e);
    /* Fed in two pieces, so a line or a prompt's data may straddle reads. */
    size_t half = size / 2;
    emu_input(e, data, half);
    emu_tick(e);
    emu_input(e, data + half, size - half);
    emu_tick(e);
    if (e->line_len > EMU_LINE_MAX || e->data_have > e->data_want ||
        e->data_want > sizeof e->data)
        abort();
    for (int i = 0; i < EMU_CLIENTS; i++) {
        const emu_client *c = &e->clients[i];
        if (c->sub_count > EMU_SUBS_MAX || c->unsub_count > EMU_SUBS_MAX ||
            c->topic_len > EMU_TOPIC_MAX || c->payload_len > EMU_PAYLOAD_MAX)
            abort();
    }
    return 0;
}
