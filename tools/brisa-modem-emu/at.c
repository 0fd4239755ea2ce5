// SPDX-License-Identifier: MIT
/* Input from the DTE: command lines (echoed while ATE1), the raw bytes
 * after a '>' prompt, and the dispatch of each command to its handler. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "emu.h"

void emu_init_state(emu *e)
{
    e->echo = true;
    e->netopen = false;
    e->pdp_active = false;
    e->apn[0] = '\0';
    e->creg_n = e->cgreg_n = 0;
    e->ctzu = 0;
    e->mqtt_started = false;
    for (int i = 0; i < EMU_CLIENTS; i++) {
        emu_client *c = &e->clients[i];
        memset(c, 0, sizeof *c);
        c->idx = i;
        c->emu = e;
        brisa_posix_tcp_init(&c->tcp);
    }
    for (int i = 0; i < EMU_SSL_CTXS; i++)
        emu_ssl_defaults(&e->ssl[i]);
    e->line_len = 0;
    e->line_overflow = false;
    e->data_kind = EMU_DATA_NONE;
}

void emu_reset(emu *e, bool lose_certs)
{
    for (int i = 0; i < EMU_CLIENTS; i++)
        emu_broker_drop(&e->clients[i]);
    if (lose_certs) {
        for (int i = 0; i < EMU_CERTS_MAX; i++) {
            free(e->certs[i].data);
            memset(&e->certs[i], 0, sizeof e->certs[i]);
        }
    }
    emu_init_state(e);
    /* The module answers nothing until it has booted again. */
    e->rdy_at_ms = emu_now_ms(e) + 500;
    emu_log(e, "ctl", lose_certs ? "power off: all state and certificates lost"
                                 : "reset: all state lost, certificates kept");
}

static void sleep_ms(uint32_t ms)
{
    struct timespec ts = { (time_t)(ms / 1000u), (long)(ms % 1000u) * 1000000L };
    nanosleep(&ts, NULL);
}

/* Basic (non-'+') commands: AT, ATE0/ATE1, ATI, ATZ, AT&F, ATV1. */
static bool basic_command(emu *e, const char *rest)
{
    if (rest[0] == '\0' || strcmp(rest, "Z") == 0 || strcmp(rest, "&F") == 0 ||
        strcmp(rest, "V1") == 0 || strcmp(rest, "&W") == 0) {
        emu_ok(e);
        return true;
    }
    if (strcmp(rest, "E0") == 0 || strcmp(rest, "E1") == 0 || strcmp(rest, "E") == 0) {
        e->echo = rest[1] == '1';
        emu_ok(e);
        return true;
    }
    if (strcmp(rest, "I") == 0) {
        emu_line(e, "Manufacturer: SIMCOM INCORPORATED");
        emu_line(e, "Model: SIMCOM_SIM7600E-H");
        emu_line(e, "Revision: brisa-modem-emu");
        emu_line(e, "IMEI: 860000000000001");
        emu_line(e, "+GCAP: +CGSM");
        emu_ok(e);
        return true;
    }
    return false;
}

emu_handler emu_lookup(const emu_command *table, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(table[i].name, name) == 0)
            return table[i].fn;
    return NULL;
}

bool emu_form_only(emu *e, int form, int wanted)
{
    if (form == wanted)
        return true;
    if (form == EMU_TEST)
        emu_ok(e);
    else
        emu_error(e);
    return false;
}

static void command(emu *e, char *cmd)
{
    emu_log(e, "cmd", "%s", cmd);
    if (e->delay_ms > 0)
        sleep_ms(e->delay_ms);
    if (toupper((unsigned char)cmd[0]) != 'A' || toupper((unsigned char)cmd[1]) != 'T') {
        emu_error(e);
        return;
    }
    if (e->fail_next > 0) {
        e->fail_next--;
        emu_error(e);
        return;
    }
    if (e->cme_next >= 0) {
        emu_line(e, "+CME ERROR: %d", e->cme_next);
        e->cme_next = -1;
        return;
    }
    char *rest = cmd + 2;
    if (*rest != '+') {
        for (char *p = rest; *p != '\0'; p++)
            *p = (char)toupper((unsigned char)*p);
        if (!basic_command(e, rest))
            emu_error(e);
        return;
    }
    /* Extended command: +NAME, +NAME?, +NAME=?, +NAME=args. Names are
     * case-insensitive, string parameters are not. */
    char name[32];
    size_t n = 0;
    rest++;
    while (rest[n] != '\0' && rest[n] != '=' && rest[n] != '?' && n < sizeof name - 1) {
        name[n] = (char)toupper((unsigned char)rest[n]);
        n++;
    }
    name[n] = '\0';
    char *tail = rest + n;
    int form;
    if (*tail == '\0') {
        form = EMU_EXEC;
    } else if (strcmp(tail, "?") == 0) {
        form = EMU_READ;
    } else if (strcmp(tail, "=?") == 0) {
        form = EMU_TEST;
    } else if (*tail == '=') {
        form = EMU_SET;
        tail++;
    } else {
        emu_error(e);
        return;
    }
    emu_handler h = emu_basic_handler(name);
    if (h == NULL)
        h = emu_ssl_handler(name);
    if (h == NULL)
        h = emu_mqtt_handler(name);
    if (h == NULL) {
        emu_error(e); /* unknown, e.g. the seed's AT+CMQTTTPUB or AT+CSSSLCFG */
        return;
    }
    h(e, form, form == EMU_SET ? tail : (char *)"");
}

static void data_done(emu *e)
{
    if (e->data_kind == EMU_DATA_CERT)
        emu_ssl_data(e);
    else
        emu_mqtt_data(e);
    e->data_kind = EMU_DATA_NONE;
}

/* One command line has ended (CR): run it. */
static void line_done(emu *e)
{
    e->line[e->line_len] = '\0';
    bool overflow = e->line_overflow;
    size_t start = 0;
    while (e->line[start] == ' ')
        start++;
    bool empty = e->line[start] == '\0';
    e->line_len = 0;
    e->line_overflow = false;
    if (overflow)
        emu_error(e);
    else if (!empty)
        command(e, e->line + start);
}

void emu_input(emu *e, const uint8_t *buf, size_t len)
{
    if (e->rdy_at_ms != 0)
        return; /* still booting: what arrives is lost */
    /* Echo goes out a run of bytes at a time (not one write a byte), and
     * always before the answer to the command the run ends. */
    size_t i = 0, echo_from = 0;
    while (i < len) {
        if (e->data_kind != EMU_DATA_NONE) {
            size_t n = e->data_want - e->data_have;
            if (n > len - i)
                n = len - i;
            memcpy(e->data + e->data_have, buf + i, n);
            e->data_have += n;
            i += n;
            echo_from = i; /* the bytes after a prompt are not echoed */
            if (e->data_have == e->data_want) {
                if (e->data_kind == EMU_DATA_CERT) /* keys stay out of the log */
                    emu_log(e, "data", "%s (%zu bytes)", e->data_name, e->data_have);
                else
                    emu_log_bytes(e, "data", e->data, e->data_have);
                data_done(e);
            }
            continue;
        }
        uint8_t ch = buf[i++];
        if (ch == '\r') {
            if (e->echo)
                emu_write(e, buf + echo_from, i - echo_from);
            echo_from = i;
            line_done(e);
            if (e->rdy_at_ms != 0)
                return; /* AT+CRESET: the rest is lost while it reboots */
        } else if (ch == '\n' || ch == 0) {
            /* a CR LF terminator: the LF is not part of the next line */
        } else if (ch == 0x08) {
            if (e->line_len > 0)
                e->line_len--;
        } else if (e->line_len < EMU_LINE_MAX) {
            e->line[e->line_len++] = (char)ch;
        } else {
            e->line_overflow = true;
        }
    }
    if (e->echo && echo_from < len)
        emu_write(e, buf + echo_from, len - echo_from);
}

void emu_tick(emu *e)
{
    uint64_t now = emu_now_ms(e);
    if (e->rdy_at_ms != 0 && now >= e->rdy_at_ms) {
        e->rdy_at_ms = 0;
        emu_line(e, "RDY");
    }
    if (e->data_kind != EMU_DATA_NONE && now >= e->data_deadline_ms) {
        emu_log(e, "err", "only %zu of %zu bytes after the prompt: input timed out",
                e->data_have, e->data_want);
        e->data_kind = EMU_DATA_NONE;
        emu_error(e);
    }
}
