// SPDX-License-Identifier: MIT
/* The bring-up commands: SIM, signal, registration, PDP context, network
 * open, and the network's time (taken from the host clock). */
#include <string.h>
#include <time.h>

#include "emu.h"

static void info(emu *e, int form, int wanted, const char *text);

static void cpin(emu *e, int form, char *args)
{
    (void)args;
    info(e, form, EMU_READ, "+CPIN: READY");
}

static void cops(emu *e, int form, char *args)
{
    (void)args;
    info(e, form, EMU_READ, "+COPS: 0,0,\"brisa emulated network\",7");
}

static void cpsi(emu *e, int form, char *args)
{
    (void)args;
    info(e, form, EMU_READ, "+CPSI: LTE,Online,001-01,0x0001,1,1,EUTRAN-BAND3,1300,5,5,-80,-900,-600,15");
}

static void csq(emu *e, int form, char *args)
{
    (void)args;
    if (form == EMU_TEST) {
        emu_line(e, "+CSQ: (0-31,99),(0-7,99)");
    } else if (form == EMU_EXEC) {
        emu_line(e, "+CSQ: 23,99");
    } else {
        emu_error(e);
        return;
    }
    emu_ok(e);
}

/* +CREG / +CGREG / +CEREG: registered, home network. */
static void reg(emu *e, int form, char *args, const char *name, int *n)
{
    emu_args a;
    long v;
    if (form == EMU_READ) {
        emu_line(e, "+%s: %d,1", name, *n);
    } else if (form == EMU_SET && emu_args_parse(args, &a) && a.n == 1 &&
               emu_arg_int(&a, 0, 0, 2, &v)) {
        *n = (int)v;
    } else if (form == EMU_TEST) {
        emu_line(e, "+%s: (0-2)", name);
    } else {
        emu_error(e);
        return;
    }
    emu_ok(e);
}

static void creg(emu *e, int form, char *args)
{
    reg(e, form, args, "CREG", &e->creg_n);
}

static void cgreg(emu *e, int form, char *args)
{
    reg(e, form, args, "CGREG", &e->cgreg_n);
}

static void cereg(emu *e, int form, char *args)
{
    static int n;
    reg(e, form, args, "CEREG", &n);
}

static void cgdcont(emu *e, int form, char *args)
{
    emu_args a;
    long cid;
    const char *type, *apn = "";
    if (form == EMU_READ) {
        emu_line(e, "+CGDCONT: 1,\"IP\",\"%s\",\"0.0.0.0\",0,0", e->apn);
        emu_ok(e);
        return;
    }
    if (form != EMU_SET || !emu_args_parse(args, &a) || !emu_arg_int(&a, 0, 1, 24, &cid) ||
        !emu_arg_str(&a, 1, 10, &type) || (a.n > 2 && !emu_arg_str(&a, 2, sizeof e->apn - 1, &apn)) ||
        (strcmp(type, "IP") != 0 && strcmp(type, "IPV6") != 0 && strcmp(type, "IPV4V6") != 0)) {
        emu_error(e);
        return;
    }
    if (cid == 1)
        strcpy(e->apn, apn);
    emu_ok(e);
}

/* PDP context 1 is active while the network is open (or asked with
 * AT+CGACT=1,1). */
static void cgact(emu *e, int form, char *args)
{
    emu_args a;
    long state, cid;
    if (form == EMU_READ) {
        emu_line(e, "+CGACT: 1,%d", e->netopen || e->pdp_active ? 1 : 0);
    } else if (form == EMU_SET && emu_args_parse(args, &a) && a.n == 2 &&
               emu_arg_int(&a, 0, 0, 1, &state) && emu_arg_int(&a, 1, 1, 24, &cid)) {
        if (cid == 1)
            e->pdp_active = state == 1;
    } else if (form == EMU_TEST) {
        emu_line(e, "+CGACT: (0,1)");
    } else {
        emu_error(e);
        return;
    }
    emu_ok(e);
}

static void netopen(emu *e, int form, char *args)
{
    (void)args;
    if (form == EMU_READ) {
        emu_line(e, "+NETOPEN: %d", e->netopen ? 1 : 0);
        emu_ok(e);
        return;
    }
    if (form != EMU_EXEC) {
        emu_error(e);
        return;
    }
    if (e->netopen) {
        emu_line(e, "+IP ERROR: Network is already opened");
        emu_error(e);
        return;
    }
    e->netopen = true;
    emu_ok(e);
    emu_line(e, "+NETOPEN: 0");
}

static void netclose(emu *e, int form, char *args)
{
    (void)args;
    if (form != EMU_EXEC) {
        emu_error(e);
        return;
    }
    if (!e->netopen) {
        emu_line(e, "+NETCLOSE: 2");
        emu_error(e);
        return;
    }
    e->netopen = false;
    emu_ok(e);
    emu_line(e, "+NETCLOSE: 0");
}

static void ipaddr(emu *e, int form, char *args)
{
    (void)args;
    if (form != EMU_EXEC || !e->netopen) {
        emu_error(e);
        return;
    }
    emu_line(e, "+IPADDR: 10.64.0.2");
    emu_ok(e);
}

static void ctzu(emu *e, int form, char *args)
{
    emu_args a;
    long v;
    if (form == EMU_READ)
        emu_line(e, "+CTZU: %d", e->ctzu);
    else if (form == EMU_SET && emu_args_parse(args, &a) && a.n == 1 && emu_arg_int(&a, 0, 0, 1, &v))
        e->ctzu = (int)v;
    else if (form == EMU_TEST)
        emu_line(e, "+CTZU: (0-1)");
    else {
        emu_error(e);
        return;
    }
    emu_ok(e);
}

/* The network's time is the host's, in UTC ("+00": zone in quarter hours). */
static void cclk(emu *e, int form, char *args)
{
    (void)args;
    if (form == EMU_SET || form == EMU_TEST) {
        emu_ok(e); /* setting the clock is accepted; the network wins */
        return;
    }
    if (form != EMU_READ) {
        emu_error(e);
        return;
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    emu_line(e, "+CCLK: \"%02d/%02d/%02d,%02d:%02d:%02d+00\"", tm.tm_year % 100, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    emu_ok(e);
}

static void cntp(emu *e, int form, char *args)
{
    emu_args a;
    const char *host;
    long tz = 0;
    if (form == EMU_READ) {
        emu_line(e, "+CNTP: \"%s\",%d", e->ntp_server, e->ntp_tz);
        emu_ok(e);
    } else if (form == EMU_SET && emu_args_parse(args, &a) && a.n >= 1 && a.n <= 2 &&
               emu_arg_str(&a, 0, sizeof e->ntp_server - 1, &host) &&
               (a.n < 2 || emu_arg_int(&a, 1, -96, 96, &tz))) {
        strcpy(e->ntp_server, host);
        e->ntp_tz = (int)tz;
        emu_ok(e);
    } else if (form == EMU_EXEC) {
        /* The host clock is the network's time: synchronised at once. */
        emu_ok(e);
        emu_line(e, "+CNTP: %d", e->ntp_server[0] != '\0' ? 0 : 1);
    } else if (form == EMU_TEST) {
        emu_line(e, "+CNTP: \"HOST\",(-96-96)");
        emu_ok(e);
    } else {
        emu_error(e);
    }
}

/* Commands answered with one fixed line in one form (EXEC or READ). */
static void info(emu *e, int form, int wanted, const char *text)
{
    if (!emu_form_only(e, form, wanted))
        return;
    emu_line(e, "%s", text);
    emu_ok(e);
}

static void cgmm(emu *e, int form, char *args)
{
    (void)args;
    info(e, form, EMU_EXEC, "SIMCOM_SIM7600E-H");
}

static void cgmi(emu *e, int form, char *args)
{
    (void)args;
    info(e, form, EMU_EXEC, "SIMCOM INCORPORATED");
}

static void cgsn(emu *e, int form, char *args)
{
    (void)args;
    info(e, form, EMU_EXEC, "860000000000001");
}

static void creset(emu *e, int form, char *args)
{
    (void)args;
    if (form != EMU_EXEC) {
        emu_error(e);
        return;
    }
    emu_ok(e);
    emu_reset(e, false);
}

static const emu_command table[] = {
    { "CPIN", cpin },     { "CSQ", csq },         { "CREG", creg },     { "CGREG", cgreg },
    { "CEREG", cereg },   { "CGDCONT", cgdcont }, { "NETOPEN", netopen }, { "NETCLOSE", netclose },
    { "IPADDR", ipaddr }, { "CTZU", ctzu },       { "CCLK", cclk },     { "CNTP", cntp },
    { "CGMM", cgmm },     { "CGMI", cgmi },       { "CGSN", cgsn },     { "CRESET", creset },
    { "CGACT", cgact },   { "COPS", cops },       { "CPSI", cpsi },
};

emu_handler emu_basic_handler(const char *name)
{
    return emu_lookup(table, sizeof table / sizeof table[0], name);
}
