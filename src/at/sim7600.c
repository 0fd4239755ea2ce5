// SPDX-License-Identifier: MIT
/* SIM7600 driver: set-up, running commands, bring-up, time, certificates
 * and SSL contexts. The MQTT calls and the receive path are in
 * sim7600_mqtt.c. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sim7600_internal.h"

#define DEFAULT_CMD_TIMEOUT_MS BRISA_SIM7600_CMD_TIMEOUT_MS
#define NETOPEN_TIMEOUT_MS BRISA_SIM7600_NETOPEN_TIMEOUT_MS
#define CERT_MAX 10240u

brisa_err brisa_sim7600_init(brisa_sim7600 *m, const brisa_sim7600_config *cfg)
{
    if (!m || !cfg || !cfg->topic_buf || !cfg->topic_size || !cfg->payload_buf ||
        !cfg->payload_size)
        return BRISA_ERR_INVALID_ARG;
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    if (!m->cfg.cmd_timeout_ms)
        m->cfg.cmd_timeout_ms = DEFAULT_CMD_TIMEOUT_MS;
    if (!m->cfg.mqtt_timeout_s)
        m->cfg.mqtt_timeout_s = 60;
    m->rx_client = -1;
    m->rssi = 99;
    brisa_at_config ac = {
        .transport = cfg->serial, .clock = cfg->clock,
        .line_buf = cfg->line_buf, .line_size = cfg->line_size,
        .on_urc = sim_urc, .on_raw = sim_raw, .on_trace = cfg->on_trace, .user = m,
    };
    return brisa_at_init(&m->at, &ac);
}

const brisa_sim7600_error *brisa_sim7600_error_get(const brisa_sim7600 *m)
{
    return &m->err;
}

brisa_sim7600_ssl brisa_sim7600_ssl_unset(void)
{
    brisa_sim7600_ssl s = { -1, -1, NULL, NULL, NULL, -1, -1 };
    return s;
}

typedef struct run_ctx {
    brisa_sim7600 *m;
    const char *done;
    brisa_at_line_cb on_line;
    void *user;
} run_ctx;

static void run_line(void *user, const char *l, size_t n)
{
    run_ctx *r = user;
    unsigned long code;
    if (r->done && sim_prefix(l, n, r->done) &&
        sim_parse_uints(l, n, strlen(r->done), &code, 1) == 1)
        r->m->result = (int)code;
    if (r->on_line)
        r->on_line(r->user, l, n);
}

static void set_error(brisa_sim7600 *m, const char *name, int kind, int code)
{
    m->err.command = name;
    m->err.kind = kind;
    m->err.code = code;
}

int sim_run(brisa_sim7600 *m, const char *name, const sim_text *t,
            const uint8_t *data, size_t data_len, const char *done_prefix,
            uint32_t timeout_ms, brisa_at_line_cb on_line, void *user)
{
    int err = sim_text_end(t);
    if (err) {
        set_error(m, name, BRISA_SIM7600_ERRK_NONE, 0);
        return err;
    }
    run_ctx r = { m, done_prefix, on_line, user };
    brisa_at_command c = {
        .text = t->buf, .len = t->len, .data = data, .data_len = data_len,
        .done_prefix = done_prefix,
        .timeout_ms = timeout_ms ? timeout_ms : m->cfg.cmd_timeout_ms,
        .on_line = run_line, .user = &r,
    };
    m->result = -1;
    err = brisa_at_command_run(&m->at, &c);
    if (err == BRISA_ERR_REFUSED && m->result > 0)
        set_error(m, name, BRISA_SIM7600_ERRK_MQTT, m->result);
    else if (err == BRISA_ERR_REFUSED)
        set_error(m, name, brisa_at_cme(&m->at) < 0 ? BRISA_SIM7600_ERRK_ERROR
                                                     : BRISA_SIM7600_ERRK_CME,
                  brisa_at_cme(&m->at));
    else if (err == BRISA_ERR_TIMEOUT)
        set_error(m, name, BRISA_SIM7600_ERRK_TIMEOUT, 0);
    else if (err)
        set_error(m, name, BRISA_SIM7600_ERRK_NONE, err);
    else if (m->result > 0) {
        set_error(m, name, BRISA_SIM7600_ERRK_MQTT, m->result);
        err = BRISA_ERR_REFUSED;
    }
    return err;
}

static int simple(brisa_sim7600 *m, const char *text, uint32_t timeout_ms,
                  brisa_at_line_cb on_line, void *user)
{
    sim_text t;
    sim_text_start(&t, m, text);
    return sim_run(m, text, &t, NULL, 0, NULL, timeout_ms, on_line, user);
}

/* ---- bring-up ---------------------------------------------------------- */

static void cpin_line(void *user, const char *l, size_t n)
{
    if (sim_prefix(l, n, "+CPIN: READY"))
        *(bool *)user = true;
}

static void csq_line(void *user, const char *l, size_t n)
{
    unsigned long v[2];
    if (sim_prefix(l, n, "+CSQ:") && sim_parse_uints(l, n, 5, v, 2) == 2)
        *(int *)user = (int)v[0];
}

typedef struct reg_ctx {
    const char *prefix;
    int stat;
} reg_ctx;

static void reg_line(void *user, const char *l, size_t n)
{
    reg_ctx *r = user;
    unsigned long v[2];
    if (sim_prefix(l, n, r->prefix) && sim_parse_uints(l, n, strlen(r->prefix), v, 2) == 2)
        r->stat = (int)v[1];
}

static uint64_t mono(const brisa_sim7600 *m)
{
    return m->cfg.clock.monotonic_ms(m->cfg.clock.ctx);
}

/* Home (1) or roaming (5); anything else is asked again each second. */
static int wait_registered(brisa_sim7600 *m, const char *cmd, const char *prefix,
                           uint64_t deadline)
{
    for (;;) {
        reg_ctx r = { prefix, -1 };
        int err = simple(m, cmd, 0, reg_line, &r);
        if (err)
            return err;
        if (r.stat == 1 || r.stat == 5)
            return BRISA_OK;
        if (mono(m) >= deadline) {
            set_error(m, cmd, BRISA_SIM7600_ERRK_STATE, r.stat);
            return BRISA_ERR_STATE;
        }
        brisa_at_poll(&m->at, 1000);
    }
}

static void netopen_line(void *user, const char *l, size_t n)
{
    (void)n;
    if (sim_prefix(l, n, "+IP ERROR: Network is already opened"))
        *(bool *)user = true;
}

brisa_err brisa_sim7600_hello(brisa_sim7600 *m)
{
    int err = BRISA_ERR_TIMEOUT;
    /* A module that has just powered up ignores the first few ATs. */
    for (int i = 0; i < 10 && err == BRISA_ERR_TIMEOUT; i++)
        err = simple(m, "AT", 1000, NULL, NULL);
    return err ? err : simple(m, "ATE0", 0, NULL, NULL);
}

brisa_err brisa_sim7600_bringup(brisa_sim7600 *m, const brisa_sim7600_net *net)
{
    int err = brisa_sim7600_hello(m);
    bool ready = false;
    if (!err)
        err = simple(m, "AT+CPIN?", 0, cpin_line, &ready);
    if (!err && !ready) {
        set_error(m, "AT+CPIN?", BRISA_SIM7600_ERRK_STATE, 0);
        return BRISA_ERR_STATE;
    }
    if (!err)
        err = simple(m, "AT+CSQ", 0, csq_line, &m->rssi);
    uint64_t deadline = mono(m) + (net && net->register_timeout_ms ? net->register_timeout_ms
                                                                   : 60000u);
    if (!err)
        err = wait_registered(m, "AT+CREG?", "+CREG:", deadline);
    if (!err)
        err = wait_registered(m, "AT+CGREG?", "+CGREG:", deadline);
    if (!err && net && net->apn) {
        sim_text t;
        sim_text_start(&t, m, "AT+CGDCONT=");
        sim_text_uint(&t, net->cid ? net->cid : 1);
        sim_text_put(&t, ",\"IP\",");
        sim_text_quoted(&t, net->apn, strlen(net->apn));
        err = sim_run(m, "AT+CGDCONT", &t, NULL, 0, NULL, 0, NULL, NULL);
    }
    if (err)
        return err;
    bool open = false;
    sim_text t;
    sim_text_start(&t, m, "AT+NETOPEN");
    err = sim_run(m, "AT+NETOPEN", &t, NULL, 0, "+NETOPEN: ", NETOPEN_TIMEOUT_MS,
                  netopen_line, &open);
    return open ? BRISA_OK : err;
}

/* ---- network time ------------------------------------------------------ */

static int64_t days_from_civil(int y, int mo, int d)
{
    y -= mo <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + doe - 719468;
}

static int two(const char *p)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
        return -1;
    return (p[0] - '0') * 10 + (p[1] - '0');
}

typedef struct cclk_ctx {
    bool found, valid;
    int64_t unix_ms;
} cclk_ctx;

/* +CCLK: "yy/MM/dd,hh:mm:ss+zz": local time, zz in quarter hours. A
 * module that never had the network's time says 1980 (80) or 2004 (04). */
static void cclk_line(void *user, const char *l, size_t n)
{
    cclk_ctx *c = user;
    static const char shape[] = "+CCLK: \"00/00/00,00:00:00+00\"";
    if (!sim_prefix(l, n, "+CCLK: \"") || n < sizeof shape - 1)
        return;
    c->found = true;
    const char *p = l + 8;
    int yy = two(p), mo = two(p + 3), d = two(p + 6);
    int h = two(p + 9), mi = two(p + 12), s = two(p + 15), tz = two(p + 18);
    if (yy < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
        mi < 0 || mi > 59 || s < 0 || s > 60 || tz < 0 || tz > 96 ||
        (p[17] != '+' && p[17] != '-') || p[2] != '/' || p[8] != ',')
        return;
    if (yy < 20 || yy >= 70)
        return;
    int64_t secs = days_from_civil(2000 + yy, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    secs -= (p[17] == '-' ? -1 : 1) * (int64_t)tz * 15 * 60;
    c->unix_ms = secs * 1000;
    c->valid = true;
}

brisa_err brisa_sim7600_time(brisa_sim7600 *m, const char *ntp_server, int64_t *unix_ms)
{
    int err;
    if (ntp_server) {
        sim_text t;
        sim_text_start(&t, m, "AT+CNTP=");
        sim_text_quoted(&t, ntp_server, strlen(ntp_server));
        sim_text_put(&t, ",0");
        err = sim_run(m, "AT+CNTP", &t, NULL, 0, NULL, 0, NULL, NULL);
        if (!err) {
            sim_text_start(&t, m, "AT+CNTP");
            err = sim_run(m, "AT+CNTP", &t, NULL, 0, "+CNTP: ", NETOPEN_TIMEOUT_MS, NULL, NULL);
        }
    } else {
        err = simple(m, "AT+CTZU=1", 0, NULL, NULL);
    }
    if (err)
        return err;
    cclk_ctx c = { false, false, 0 };
    err = simple(m, "AT+CCLK?", 0, cclk_line, &c);
    if (err)
        return err;
    if (!c.valid) {
        set_error(m, "AT+CCLK?", BRISA_SIM7600_ERRK_STATE, c.found);
        return BRISA_ERR_CLOCK;
    }
    *unix_ms = c.unix_ms;
    return BRISA_OK;
}

/* ---- certificates and SSL contexts -------------------------------------- */

static brisa_sim7600_certrec *cert_record(brisa_sim7600 *m, uint32_t name_hash)
{
    for (size_t i = 0; i < BRISA_SIM7600_CERT_RECORDS; i++)
        if (m->certs[i].len && m->certs[i].name_hash == name_hash)
            return &m->certs[i];
    for (size_t i = 0; i < BRISA_SIM7600_CERT_RECORDS; i++)
        if (!m->certs[i].len)
            return &m->certs[i];
    return &m->certs[name_hash % BRISA_SIM7600_CERT_RECORDS];
}

brisa_err brisa_sim7600_cert_download(brisa_sim7600 *m, const char *name,
                                      const uint8_t *data, size_t len)
{
    if (!name || !*name || !data || !len)
        return BRISA_ERR_INVALID_ARG;
    if (len > CERT_MAX)
        return BRISA_ERR_TOO_LARGE;
    sim_text t;
    sim_text_start(&t, m, "AT+CCERTDOWN=");
    sim_text_quoted(&t, name, strlen(name));
    sim_text_arg(&t, len);
    int err = sim_run(m, "AT+CCERTDOWN", &t, data, len, NULL, 0, NULL, NULL);
    brisa_sim7600_certrec *r = cert_record(m, sim_fnv1a(name, strlen(name)));
    if (err) {
        r->len = 0; /* what the module holds now is unknown */
        return err;
    }
    r->name_hash = sim_fnv1a(name, strlen(name));
    r->data_hash = sim_fnv1a(data, len);
    r->len = len;
    return BRISA_OK;
}

typedef struct list_ctx {
    void (*cb)(void *user, const char *name, size_t len);
    void *user;
} list_ctx;

static void list_line(void *user, const char *l, size_t n)
{
    list_ctx *c = user;
    if (!sim_prefix(l, n, "+CCERTLIST: \"") || n < 14 || l[n - 1] != '"')
        return;
    c->cb(c->user, l + 13, n - 14);
}

brisa_err brisa_sim7600_cert_list(brisa_sim7600 *m,
                                  void (*cb)(void *user, const char *name, size_t len),
                                  void *user)
{
    list_ctx c = { cb, user };
    return simple(m, "AT+CCERTLIST", 0, cb ? list_line : NULL, &c);
}

brisa_err brisa_sim7600_cert_delete(brisa_sim7600 *m, const char *name)
{
    if (!name || !*name)
        return BRISA_ERR_INVALID_ARG;
    sim_text t;
    sim_text_start(&t, m, "AT+CCERTDELE=");
    sim_text_quoted(&t, name, strlen(name));
    int err = sim_run(m, "AT+CCERTDELE", &t, NULL, 0, NULL, 0, NULL, NULL);
    if (!err)
        cert_record(m, sim_fnv1a(name, strlen(name)))->len = 0;
    return err;
}

static void hex8(char *out, uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 7; i >= 0; i--, v >>= 4)
        out[i] = digits[v & 15];
}

brisa_err brisa_sim7600_cert_name(char *out, size_t size, const char *prefix,
                                  const uint8_t *data, size_t len)
{
    size_t p = strlen(prefix);
    if (size < p + 14)
        return BRISA_ERR_NO_SPACE;
    memcpy(out, prefix, p); /* NOLINT(bugprone-not-null-terminated-result): ended below */
    out[p] = '-';
    hex8(out + p + 1, sim_fnv1a(data, len));
    memcpy(out + p + 9, ".pem", 5); /* NOLINT(bugprone-not-null-terminated-result): 5 copies the NUL */
    return BRISA_OK;
}

typedef struct find_ctx {
    const char *name;
    bool found;
} find_ctx;

static void find_name(void *user, const char *name, size_t len)
{
    find_ctx *f = user;
    if (strlen(f->name) == len && memcmp(f->name, name, len) == 0)
        f->found = true;
}

static bool name_carries_hash(const char *name, uint32_t h)
{
    char want[9] = { 0 };
    hex8(want, h);
    size_t n = strlen(name);
    return n >= 13 && name[n - 13] == '-' && memcmp(name + n - 12, want, 8) == 0 &&
           memcmp(name + n - 4, ".pem", 4) == 0;
}

brisa_err brisa_sim7600_cert_ensure(brisa_sim7600 *m, const char *name,
                                    const uint8_t *data, size_t len, bool *uploaded)
{
    if (uploaded)
        *uploaded = false;
    if (!name || !*name || !data || !len)
        return BRISA_ERR_INVALID_ARG;
    find_ctx f = { name, false };
    int err = brisa_sim7600_cert_list(m, find_name, &f);
    if (err)
        return err;
    uint32_t h = sim_fnv1a(data, len);
    if (f.found) {
        if (name_carries_hash(name, h))
            return BRISA_OK;
        const brisa_sim7600_certrec *r = cert_record(m, sim_fnv1a(name, strlen(name)));
        if (r->len == len && r->data_hash == h && r->name_hash == sim_fnv1a(name, strlen(name)))
            return BRISA_OK;
    }
    err = brisa_sim7600_cert_download(m, name, data, len);
    if (!err && uploaded)
        *uploaded = true;
    return err;
}

static void ssl_head(sim_text *t, brisa_sim7600 *m, uint8_t ctx, const char *item)
{
    sim_text_start(t, m, "AT+CSSLCFG=");
    sim_text_quoted(t, item, strlen(item));
    sim_text_arg(t, ctx);
    sim_text_put(t, ",");
}

brisa_err brisa_sim7600_ssl_set_file(brisa_sim7600 *m, uint8_t ctx, const char *item,
                                     const char *file)
{
    if (ctx >= BRISA_SIM7600_SSL_CONTEXTS || !item || !file || !*file)
        return BRISA_ERR_INVALID_ARG;
    sim_text t;
    ssl_head(&t, m, ctx, item);
    sim_text_quoted(&t, file, strlen(file));
    return sim_run(m, "AT+CSSLCFG", &t, NULL, 0, NULL, 0, NULL, NULL);
}

brisa_err brisa_sim7600_ssl_set_int(brisa_sim7600 *m, uint8_t ctx, const char *item, int value)
{
    if (ctx >= BRISA_SIM7600_SSL_CONTEXTS || !item || value < 0)
        return BRISA_ERR_INVALID_ARG;
    sim_text t;
    ssl_head(&t, m, ctx, item);
    sim_text_uint(&t, (unsigned long)value);
    return sim_run(m, "AT+CSSLCFG", &t, NULL, 0, NULL, 0, NULL, NULL);
}

brisa_err brisa_sim7600_ssl_configure(brisa_sim7600 *m, uint8_t ctx, const brisa_sim7600_ssl *s)
{
    int err = BRISA_OK;
    if (s->sslversion >= 0)
        err = brisa_sim7600_ssl_set_int(m, ctx, "sslversion", s->sslversion);
    if (!err && s->cacert)
        err = brisa_sim7600_ssl_set_file(m, ctx, "cacert", s->cacert);
    if (!err && s->clientcert)
        err = brisa_sim7600_ssl_set_file(m, ctx, "clientcert", s->clientcert);
    if (!err && s->clientkey)
        err = brisa_sim7600_ssl_set_file(m, ctx, "clientkey", s->clientkey);
    if (!err && s->authmode >= 0)
        err = brisa_sim7600_ssl_set_int(m, ctx, "authmode", s->authmode);
    if (!err && s->enable_sni >= 0)
        err = brisa_sim7600_ssl_set_int(m, ctx, "enableSNI", s->enable_sni);
    if (!err && s->ignore_local_time >= 0)
        err = brisa_sim7600_ssl_set_int(m, ctx, "ignorelocaltime", s->ignore_local_time);
    return err;
}
