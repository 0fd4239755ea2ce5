// SPDX-License-Identifier: MIT
/* The device's configuration keys. Each key is described once in a table
 * (section, name, type, where it goes), so parsing, range checks and
 * "file:line: what is wrong" messages come from one place, whatever reads
 * the INI text (config_file.c with inih on Linux; the entries compiled
 * into the firmware on a board, config_builtin.c). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "brisa/mqtt.h"
#include "brisa/url.h"
#include "config_internal.h"

typedef enum value_type {
    T_STRING,  /* char[size] */
    T_PATH,    /* char[size], must name a readable file */
    T_SECRET,  /* char[size], value never echoed in errors */
    T_BOOL,
    T_INT,     /* int in [min, max] */
    T_IP,      /* brisa_ip_addr */
    T_CIDR,    /* brisa_ip_addr + static_prefix */
    T_GMT,     /* [+-]H[:MM] -> minutes */
    T_BOARD,
    T_BACKEND,
    T_TOPIC,   /* char[size], valid MQTT topic name */
    T_HOST_PORT, /* char[size], host with an optional :port */
    T_LINK,
} value_type;

typedef struct key_spec {
    const char *section;
    const char *name;
    value_type type;
    size_t offset;
    size_t size;       /* strings */
    long min, max;     /* ints */
    const char *help;  /* what a value looks like, for error messages */
} key_spec;

#define S(sec, key, field, help) \
    { sec, key, T_STRING, offsetof(device_config, field), sizeof(((device_config *)0)->field), 0, 0, help }
#define P(sec, key, field) \
    { sec, key, T_PATH, offsetof(device_config, field), sizeof(((device_config *)0)->field), 0, 0, "a readable file" }
#define X(sec, key, field) \
    { sec, key, T_SECRET, offsetof(device_config, field), sizeof(((device_config *)0)->field), 0, 0, "text" }
#define B(sec, key, field) \
    { sec, key, T_BOOL, offsetof(device_config, field), 0, 0, 0, "true or false" }
#define I(sec, key, field, lo, hi) \
    { sec, key, T_INT, offsetof(device_config, field), 0, lo, hi, NULL }
#define A(sec, key, field, type, help) \
    { sec, key, type, offsetof(device_config, field), 0, 0, 0, help }
#define TOPIC(sec, key, field) \
    { sec, key, T_TOPIC, offsetof(device_config, field), sizeof(((device_config *)0)->field), 0, 0, "an MQTT topic name (no wildcards)" }

static const key_spec KEYS[] = {
    S("device", "platform", platform, "a name"),
    B("device", "debug", debug),
    A("device", "board", board, T_BOARD, "console or gpiod"),
    S("device", "gpio_chip", gpio_chip, "a GPIO chip name such as gpiochip0"),
    I("device", "led1_line", led_lines[0], 0, 1023),
    I("device", "led2_line", led_lines[1], 0, 1023),
    I("device", "led3_line", led_lines[2], 0, 1023),
    I("device", "button_line", button_line, 0, 1023),
    B("device", "button_active_low", button_active_low),
    I("device", "retry_delay", retry_delay_s, 1, 3600),
    I("device", "max_boot_attempts", max_boot_attempts, 0, 1000000),

    S("network", "interface", interface, "a network interface name"),
    I("network", "dhcp_attempts", dhcp_attempts, 0, 100),
    I("network", "dhcp_timeout_ms", dhcp_timeout_ms, 100, 64000),
    B("network", "dhcp_release", dhcp_release),
    A("network", "static_address", static_address, T_CIDR, "an IPv4 address with prefix, e.g. 192.168.5.10/24"),
    A("network", "static_gateway", static_gateway, T_IP, "an IP address"),
    A("network", "static_dns", static_dns, T_IP, "an IP address"),
    A("network", "dns_server", dns_server, T_IP, "an IP address"),
    I("network", "dns_port", dns_port, 1, 65535),

    { "time", "ntp_server", T_HOST_PORT, offsetof(device_config, ntp_server),
      sizeof(((device_config *)0)->ntp_server), 0, 0,
      "a host name or address, with an optional :port (1..65535)" },
    B("time", "host_clock", host_clock),
    A("time", "gmt_offset", gmt_offset_min, T_GMT, "hours from GMT, e.g. +1, -3 or +5:30"),
    I("time", "publish_interval", time_interval_s, 1, 86400),

    B("tls", "enabled", tls),
    I("tls", "port", tls_port, 1, 65535),
    B("tls", "client_auth", tls_client_auth),
    I("tls", "debug", tls_debug, 0, 4),
    A("tls", "backend", tls_backend, T_BACKEND, "openssl or mbedtls"),
    P("tls", "ca_file", ca_file),
    P("tls", "cert_file", cert_file),
    P("tls", "key_file", key_file),
    X("tls", "key_password", key_password),
    P("tls", "crl_file", crl_file),
    S("tls", "server_name", tls_server_name, "a host name"),
    S("tls", "alpn", alpn, "protocol names, comma-separated"),

    S("mqtt", "broker", broker, "a host name or address"),
    I("mqtt", "port", port, 1, 65535),
    S("mqtt", "client_id", client_id, "a client identifier"),
    I("mqtt", "keepalive", keepalive_s, 0, 65535),
    S("mqtt", "username", username, "a user name"),
    X("mqtt", "password", password),
    TOPIC("mqtt", "public_topic", public_topic),
    TOPIC("mqtt", "secret_topic", secret_topic),
    I("mqtt", "qos", qos, 0, 2),
    B("mqtt", "clean_session", clean_session),
    I("mqtt", "version", mqtt_version, 3, 5),
    I("mqtt", "session_expiry", session_expiry_s, 0, 2147483647),
    S("mqtt", "store", store_dir, "a directory"),

    A("link", "type", link, T_LINK, "ethernet or sim7600"),
    S("modem", "device", modem_device, "a serial device such as /dev/ttyUSB2"),
    I("modem", "baud", modem_baud, 1200, 4000000),
    B("modem", "rtscts", modem_rtscts),
    S("modem", "apn", modem_apn, "an access point name"),
    I("modem", "client_index", modem_client, 0, 1),
    I("modem", "ssl_context", modem_ssl_ctx, 0, 9),
    S("mqtt", "url", url, "a URL such as wss://broker.example:443/mqtt"),
    S("mqtt", "proxy", proxy, "an HTTP proxy URL such as http://proxy.lan:3128"),

    B("test", "enabled", test_mode),
    I("test", "message_bytes", test_bytes, 1, 16 * 1024 * 1024),
    I("test", "cycles", test_cycles, 1, 10000000),
    I("test", "qos", test_qos, 0, 2),
    B("test", "compare_tls", test_compare_tls),
    B("test", "compare_links", test_compare_links),
};
#define KEY_COUNT (sizeof KEYS / sizeof KEYS[0])
_Static_assert(KEY_COUNT <= CONFIG_MAX_KEYS, "raise CONFIG_MAX_KEYS");

static void vset_error(parse_state *ps, int line, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void vset_error(parse_state *ps, int line, const char *fmt, va_list ap)
{
    if (ps->failed)
        return; /* keep the first problem: later ones may be its echo */
    ps->failed = true;
    int n = line > 0 ? snprintf(ps->err, ps->err_len, "%s:%d: ", ps->cfg->path, line)
                     : snprintf(ps->err, ps->err_len, "%s: ", ps->cfg->path);
    if (n < 0 || (size_t)n >= ps->err_len)
        return;
    vsnprintf(ps->err + n, ps->err_len - (size_t)n, fmt, ap);
}

static void set_error(parse_state *ps, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_error(parse_state *ps, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset_error(ps, line, fmt, ap);
    va_end(ap);
}

/* The same for what feeds the table (config_file.c, config_builtin.c). */
void config_set_error(parse_state *ps, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset_error(ps, line, fmt, ap);
    va_end(ap);
}

static bool parse_long(const char *v, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end != '\0')
        return false;
    *out = n;
    return true;
}

static bool parse_bool(const char *v, bool *out)
{
    static const char *yes[] = { "true", "yes", "on", "1" };
    static const char *no[] = { "false", "no", "off", "0" };
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* "+1", "-3", "+5:30", "0", optionally prefixed by "GMT" or "UTC". */
static bool parse_gmt(const char *v, int *minutes)
{
    if (strncasecmp(v, "GMT", 3) == 0 || strncasecmp(v, "UTC", 3) == 0)
        v += 3;
    if (*v == '\0') {
        *minutes = 0;
        return true;
    }
    int sign = 1;
    if (*v == '+' || *v == '-') {
        sign = *v == '-' ? -1 : 1;
        v++;
    }
    int h = 0, m = 0, digits = 0;
    while (*v >= '0' && *v <= '9' && digits < 2) {
        h = h * 10 + (*v++ - '0');
        digits++;
    }
    if (digits == 0 || h > 14)
        return false;
    if (*v == ':') {
        v++;
        if (!(v[0] >= '0' && v[0] <= '5' && v[1] >= '0' && v[1] <= '9'))
            return false;
        m = (v[0] - '0') * 10 + (v[1] - '0');
        v += 2;
    }
    if (*v != '\0')
        return false;
    *minutes = sign * (h * 60 + m);
    return true;
}

static bool parse_cidr(const char *v, device_config *cfg)
{
    char addr[64];
    const char *slash = strchr(v, '/');
    if (!slash || (size_t)(slash - v) >= sizeof addr)
        return false;
    memcpy(addr, v, (size_t)(slash - v));
    addr[slash - v] = '\0';
    long prefix;
    if (!brisa_ip_parse(addr, &cfg->static_address) || cfg->static_address.family != BRISA_IP_V4)
        return false;
    if (!parse_long(slash + 1, &prefix) || prefix < 1 || prefix > 32)
        return false;
    cfg->static_prefix = (int)prefix;
    cfg->have_static = true;
    return true;
}

bool device_config_host_port(const char *text, uint16_t default_port, char *host,
                             size_t host_len, uint16_t *port)
{
    const char *end, *port_text = NULL;
    if (text[0] == '[') {
        end = strchr(text, ']');
        if (end == NULL || (end[1] != '\0' && end[1] != ':'))
            return false;
        snprintf(host, host_len, "%.*s", (int)(end - text - 1), text + 1);
        if (end[1] == ':')
            port_text = end + 2;
    } else {
        end = strchr(text, ':');
        /* A second ':' makes it a bare IPv6 address, without a port. */
        if (end != NULL && strchr(end + 1, ':') == NULL) {
            snprintf(host, host_len, "%.*s", (int)(end - text), text);
            port_text = end + 1;
        } else {
            snprintf(host, host_len, "%s", text);
        }
    }
    *port = default_port;
    if (port_text != NULL) {
        long n;
        if (!parse_long(port_text, &n) || n < 1 || n > 65535)
            return false;
        *port = (uint16_t)n;
    }
    return host[0] != '\0';
}

static bool assign(parse_state *ps, const key_spec *k, const char *value)
{
    char *base = (char *)ps->cfg;
    void *field = base + k->offset;
    long n;
    switch (k->type) {
    case T_STRING:
    case T_PATH:
    case T_SECRET:
    case T_TOPIC:
    case T_HOST_PORT:
        if (strlen(value) >= k->size) {
            set_error(ps, ps->line, "[%s] %s: value longer than %zu characters",
                      k->section, k->name, k->size - 1);
            return false;
        }
        uint16_t port;
        char host[CFG_NAME_MAX];
        if ((k->type == T_TOPIC && value[0] && !brisa_mqtt_topic_valid(value, strlen(value))) ||
            (k->type == T_HOST_PORT && value[0] &&
             !device_config_host_port(value, 1, host, sizeof host, &port))) {
            set_error(ps, ps->line, "[%s] %s: '%s' is not %s", k->section, k->name, value, k->help);
            return false;
        }
        strcpy(field, value);
        return true;
    case T_BOOL:
        if (parse_bool(value, field))
            return true;
        break;
    case T_INT:
        if (parse_long(value, &n)) {
            if (n < k->min || n > k->max) {
                set_error(ps, ps->line, "[%s] %s: %ld is out of range %ld..%ld",
                          k->section, k->name, n, k->min, k->max);
                return false;
            }
            *(int *)field = (int)n;
            return true;
        }
        set_error(ps, ps->line, "[%s] %s: '%s' is not a whole number", k->section, k->name, value);
        return false;
    case T_IP:
        if (brisa_ip_parse(value, field))
            return true;
        break;
    case T_CIDR:
        if (parse_cidr(value, ps->cfg))
            return true;
        break;
    case T_GMT:
        if (parse_gmt(value, field))
            return true;
        break;
    case T_BOARD:
        if (strcmp(value, "console") == 0 || strcmp(value, "gpiod") == 0) {
            *(board_kind *)field = value[0] == 'c' ? BOARD_CONSOLE : BOARD_GPIOD;
            return true;
        }
        break;
    case T_LINK:
        if (strcmp(value, "ethernet") == 0 || strcmp(value, "sim7600") == 0) {
            *(link_kind *)field = value[0] == 'e' ? LINK_ETHERNET : LINK_SIM7600;
            return true;
        }
        break;
    case T_BACKEND:
        if (strcmp(value, "mbedtls") == 0 || strcmp(value, "openssl") == 0) {
            *(tls_backend_kind *)field = value[0] == 'm' ? TLS_BACKEND_MBEDTLS : TLS_BACKEND_OPENSSL;
            return true;
        }
        break;
    }
    set_error(ps, ps->line, "[%s] %s: '%s' is not %s", k->section, k->name, value, k->help);
    return false;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    parse_state *ps = user;
    bool known_section = false;
    for (size_t i = 0; i < KEY_COUNT; i++) {
        if (strcmp(KEYS[i].section, section) != 0)
            continue;
        known_section = true;
        if (strcmp(KEYS[i].name, name) != 0)
            continue;
        if (ps->key_line[i]) {
            set_error(ps, ps->line, "[%s] %s: set twice (first on line %d)", section, name,
                      ps->key_line[i]);
            return 0;
        }
        ps->key_line[i] = ps->line;
        return assign(ps, &KEYS[i], value) ? 1 : 0;
    }
    if (!known_section)
        set_error(ps, ps->line, section[0] ? "unknown section [%s]" : "key outside any section%s",
                  section[0] ? section : "");
    else
        set_error(ps, ps->line, "[%s] unknown key '%s'", section, name);
    return 0;
}

int config_entry(void *user, const char *section, const char *name, const char *value)
{
    return on_entry(user, section, name, value);
}

static int key_line(const parse_state *ps, const char *section, const char *name)
{
    for (size_t i = 0; i < KEY_COUNT; i++)
        if (strcmp(KEYS[i].section, section) == 0 && strcmp(KEYS[i].name, name) == 0)
            return ps->key_line[i];
    return 0;
}

/* The modem link: its device, and what its MQTT client cannot do. */
static void check_modem(parse_state *ps)
{
    device_config *c = ps->cfg;
    if (c->test_compare_links && c->link != LINK_SIM7600)
        set_error(ps, key_line(ps, "test", "compare_links"),
                  "[test] compare_links needs [link] type = sim7600 (and Ethernet settings)");
    if (c->test_compare_links && c->test_compare_tls)
        set_error(ps, key_line(ps, "test", "compare_links"),
                  "[test] compare_links and compare_tls: choose one");
    if (c->link != LINK_SIM7600)
        return;
    static const char *const unsupported[] = { "key_password", "crl_file", "server_name" };
    const char *values[] = { c->key_password, c->crl_file, c->tls_server_name };
    if (!c->modem_device[0])
        set_error(ps, key_line(ps, "link", "type"), "[link] type = sim7600 needs [modem] device");
    if (c->test_bytes > 10240)
        set_error(ps, key_line(ps, "test", "message_bytes"),
                  "[test] message_bytes: the SIM7600 carries at most 10240 bytes");
    for (size_t i = 0; i < 3; i++)
        if (c->tls && values[i][0])
            set_error(ps, key_line(ps, "tls", unsupported[i]),
                      "[tls] %s is not available through the SIM7600 link", unsupported[i]);
}

/* [mqtt] url names the broker, its port, TLS and WebSockets at once;
 * [mqtt] proxy must be an http:// URL. */
static void apply_urls(parse_state *ps)
{
    device_config *c = ps->cfg;
    char buf[CFG_NAME_MAX];
    brisa_url u;
    if (c->proxy[0]) {
        const char *why = brisa_url_split(c->proxy, buf, sizeof buf, &u);
        if (why == NULL && strcmp(u.scheme, "http") != 0)
            why = "only http:// proxies are supported";
        if (why != NULL)
            set_error(ps, key_line(ps, "mqtt", "proxy"), "[mqtt] proxy: %s", why);
    }
    if (!c->url[0])
        return;
    int line = key_line(ps, "mqtt", "url");
    const char *why = brisa_url_split(c->url, buf, sizeof buf, &u);
    static const char *schemes[] = { "mqtt", "mqtts", "ws", "wss" };
    size_t i = 0;
    while (why == NULL && i < 4 && strcmp(u.scheme, schemes[i]) != 0)
        i++;
    if (why == NULL && i == 4)
        why = "unknown scheme: use mqtt, mqtts, ws or wss";
    if (why == NULL && c->broker[0])
        why = "give either url or broker, not both";
    if (why == NULL && (u.user != NULL || strlen(u.path) + 2 > sizeof c->ws_path))
        why = "no user or password in the URL (use username, password), path too long";
    if (why != NULL) {
        set_error(ps, line, "[mqtt] url: %s", why);
        return;
    }
    snprintf(c->broker, sizeof c->broker, "%s", u.host);
    c->tls = i == 1 || i == 3;
    c->websocket = i >= 2;
    static const uint16_t ports[] = { 1883, 8883, 80, 443 };
    *(c->tls ? &c->tls_port : &c->port) = u.port ? u.port : ports[i];
    snprintf(c->ws_path, sizeof c->ws_path, "/%s", u.path[0] ? u.path : "mqtt");
}

/* Rules that involve several keys, checked once the whole file is read. */
static void check_consistency(parse_state *ps)
{
    device_config *c = ps->cfg;
    apply_urls(ps);
    if (!c->broker[0])
        set_error(ps, 0, "[mqtt] broker is required");
    if (!c->secret_topic[0])
        set_error(ps, 0, "[mqtt] secret_topic is required");
    if (!c->public_topic[0] && !c->test_mode)
        set_error(ps, 0, "[mqtt] public_topic is required in normal mode");
    if (c->test_compare_tls && !c->tls)
        set_error(ps, key_line(ps, "test", "compare_tls"),
                  "[test] compare_tls needs [tls] enabled = true");
    if (c->dhcp_attempts == 0 && c->interface[0] && !c->have_static)
        set_error(ps, key_line(ps, "network", "dhcp_attempts"),
                  "[network] dhcp_attempts is 0 but no static_address is set");
    if (c->board == BOARD_GPIOD && !c->gpio_chip[0])
        set_error(ps, key_line(ps, "device", "board"), "[device] board = gpiod needs gpio_chip");
    check_modem(ps);
    if (c->tls) { /* compare_tls without tls is refused above */
        if (!c->ca_file[0])
            set_error(ps, key_line(ps, "tls", "enabled"), "[tls] enabled needs ca_file");
        if (c->tls_client_auth && (!c->cert_file[0] || !c->key_file[0]))
            set_error(ps, key_line(ps, "tls", "client_auth"),
                      "[tls] client_auth needs cert_file and key_file");
        static const char *paths[] = { "ca_file", "cert_file", "key_file", "crl_file" };
        const char *values[] = { c->ca_file, c->cert_file, c->key_file, c->crl_file };
        for (size_t i = 0; i < 4; i++) {
            if (values[i][0] && !ps->failed)
                config_check_file(ps, key_line(ps, "tls", paths[i]), paths[i], values[i]);
        }
    }
}

static void set_defaults(device_config *c)
{
    memset(c, 0, sizeof *c);
    strcpy(c->platform, "brisa-pc");
    c->board = BOARD_CONSOLE;
    c->led_lines[0] = 0;
    c->led_lines[1] = 1;
    c->led_lines[2] = 2;
    c->button_line = 3;
    c->dhcp_attempts = 4;
    c->dhcp_timeout_ms = 4000;
    c->dhcp_release = true;
    c->time_interval_s = 10;
    c->tls_backend = TLS_BACKEND_DEFAULT;
    c->tls_port = 8883;
    c->port = 1883;
    c->dns_port = 53;
    c->keepalive_s = 60;
    c->clean_session = false; /* a QoS 1 command sent while offline still arrives */
    c->mqtt_version = 4;      /* MQTT 3.1.1 */
    c->qos = 1;
    c->test_bytes = 64;
    c->test_cycles = 100;
    c->test_qos = 0;
    c->modem_baud = 115200;
    c->retry_delay_s = 5;
    c->max_boot_attempts = 0;
}

void config_begin(parse_state *ps, device_config *cfg, const char *name, char *err, size_t err_len)
{
    set_defaults(cfg);
    snprintf(cfg->path, sizeof cfg->path, "%s", name);
    memset(ps, 0, sizeof *ps);
    ps->cfg = cfg;
    ps->err = err;
    ps->err_len = err_len;
    err[0] = '\0';
}

bool config_finish(parse_state *ps)
{
    if (!ps->failed)
        check_consistency(ps);
    return !ps->failed;
}

void config_defaults(device_config *cfg)
{
    set_defaults(cfg);
}

int device_config_port(const device_config *cfg, bool tls)
{
    return tls ? cfg->tls_port : cfg->port;
}

void device_config_gmt_label(int offset_min, char *buf, size_t len)
{
    if (offset_min == 0) {
        snprintf(buf, len, "GMT");
        return;
    }
    int a = offset_min < 0 ? -offset_min : offset_min;
    if (a % 60)
        snprintf(buf, len, "GMT%c%d:%02d", offset_min < 0 ? '-' : '+', a / 60, a % 60);
    else
        snprintf(buf, len, "GMT%c%d", offset_min < 0 ? '-' : '+', a / 60);
}
