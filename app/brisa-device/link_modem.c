// SPDX-License-Identifier: MIT
/* The device's link through a SIM7600 modem: the module's own MQTT(S)
 * client driven by AT commands (brisa/sim7600.h) over the serial port.
 * Its boot steps stand in for DHCP, DNS and NTP: the module attaches to
 * the network, resolves the broker and gives the network's time. */
#include <stdio.h>
#include <string.h>

#include "brisa/err.h"
#include "brisa/port/posix_serial.h"
#include "brisa/sim7600.h"
#include "device.h"
#include "log.h"

typedef struct link_modem {
    brisa_posix_serial serial;
    brisa_sim7600 m;
    char line[256];
    char topic[BRISA_SIM7600_TOPIC_MAX];
    uint8_t payload[4096];
    device_link *link;         /* the link the callbacks report to */
    link_handlers h;
    brisa_sim7600_server srv;
    brisa_mqtt_connect_options co;
    brisa_mqtt_will will;
    char files[3][96];         /* CA, certificate, key on the module */
    bool opened, up, tls_ready, started, lost;
} link_modem;

static link_modem lm; /* one module, whichever link uses it */

static void trace(void *user, bool out, const char *line, size_t len)
{
    (void)user;
    bool text = len <= 160;
    for (size_t i = 0; i < len && text; i++)
        text = (unsigned char)line[i] >= 0x20 && (unsigned char)line[i] < 0x7f;
    if (text)
        log_debug("AT", "%s %.*s", out ? ">" : "<", (int)len, line);
    else
        log_debug("AT", "%s (%zu bytes)", out ? ">" : "<", len);
}

/* Routes first (as brisa_mqtt does), then the catch-all handler. */
static void on_message(void *user, int client, const brisa_mqtt_message *m)
{
    (void)user;
    device_link *l = lm.link;
    if (!l || client != l->cfg->modem_client)
        return;
    for (size_t i = 0; i < sizeof l->routes / sizeof l->routes[0]; i++) {
        const brisa_mqtt_route *r = &l->routes[i];
        if (r->filter && r->cb &&
            brisa_mqtt_topic_matches(r->filter, strlen(r->filter), m->topic, m->topic_len)) {
            r->cb(r->user, m);
            return;
        }
    }
    if (lm.h.on_message)
        lm.h.on_message(lm.h.user, m);
}

static void on_event(void *user, const brisa_sim7600_event *e)
{
    (void)user;
    device_link *l = lm.link;
    int mine = l ? l->cfg->modem_client : 0;
    if (e->client >= 0 && e->client != mine)
        return;
    switch (e->type) {
    case BRISA_SIM7600_EVT_CONNLOST:
        log_error("MODEM", "connection lost: %s (+CMQTTCONNLOST cause %d)",
                  brisa_sim7600_connlost_str(e->code), e->code);
        break;
    case BRISA_SIM7600_EVT_PING_FAILED:
        log_error("MODEM", "keepalive failed (+CMQTTPING %d)", e->code);
        break;
    case BRISA_SIM7600_EVT_NO_NET:
        log_error("MODEM", "the module lost the network (+CMQTTNONET)");
        lm.started = false;
        break;
    case BRISA_SIM7600_EVT_RESET:
        log_error("MODEM", "the module restarted (RDY): bringing it up again");
        lm.up = lm.tls_ready = lm.started = false;
        break;
    case BRISA_SIM7600_EVT_DROPPED:
        log_error("MODEM", "a malformed incoming message was dropped");
        return;
    }
    lm.lost = true;
    if (l && l->open && lm.h.on_event) {
        brisa_mqtt_event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = BRISA_MQTT_EVT_DISCONNECTED;
        ev.err = BRISA_ERR_CLOSED;
        lm.h.on_event(lm.h.user, &ev);
    }
}

/* "<doing>: AT+CMQTTCONNECT: handshake fail (error 32)" and the like. */
static int explain(int rc, const char *doing, char *why, size_t why_len)
{
    int n = snprintf(why, why_len, "%s: ", doing);
    if (n > 0 && (size_t)n < why_len)
        brisa_sim7600_describe(&lm.m, rc, why + n, why_len - (size_t)n);
    return rc;
}

int link_modem_bringup(device *d, void *arg, char *why, size_t why_len)
{
    (void)arg;
    const device_config *c = &d->cfg;
    if (!lm.opened) {
        if (brisa_posix_serial_open(&lm.serial, c->modem_device, (uint32_t)c->modem_baud,
                                    c->modem_rtscts) < 0) {
            snprintf(why, why_len, "%s", brisa_posix_serial_error(&lm.serial));
            return BRISA_ERR_IO;
        }
        brisa_sim7600_config mc = {
            .serial = brisa_posix_serial_transport(&lm.serial), .clock = d->net.mono,
            .line_buf = lm.line, .line_size = sizeof lm.line,
            .topic_buf = lm.topic, .topic_size = sizeof lm.topic,
            .payload_buf = lm.payload, .payload_size = sizeof lm.payload,
            .on_message = on_message, .on_event = on_event,
            .on_trace = log_debug_enabled() ? trace : NULL, .mqtt_timeout_s = 10,
        };
        brisa_sim7600_init(&lm.m, &mc);
        lm.opened = true;
    }
    brisa_sim7600_net net = { .apn = c->modem_apn[0] ? c->modem_apn : NULL,
                              .register_timeout_ms = 30000 };
    uint64_t t0 = log_now_ms();
    int rc = brisa_sim7600_bringup(&lm.m, &net);
    if (rc)
        return explain(rc, "modem bring-up", why, why_len);
    lm.up = true;
    log_info("MODEM", "%s at %d baud: SIM ready, registered, signal %d/31, network open (%llu ms)",
             c->modem_device, c->modem_baud, lm.m.rssi,
             (unsigned long long)(log_now_ms() - t0));
    return BRISA_OK;
}

int link_modem_time(device *d, void *arg, char *why, size_t why_len)
{
    (void)arg;
    const device_config *c = &d->cfg;
    if (c->host_clock)
        return net_sync_time(&d->net, why, why_len);
    char host[CFG_NAME_MAX];
    uint16_t port;
    const char *server = NULL;
    if (c->ntp_server[0] && device_config_host_port(c->ntp_server, 123, host, sizeof host, &port))
        server = host; /* the module's AT+CNTP takes no port */
    int64_t now;
    int rc = brisa_sim7600_time(&lm.m, server, &now);
    if (rc)
        return explain(rc, server ? "network time (AT+CNTP)" : "network time (AT+CCLK?)", why,
                       why_len);
    brisa_softclock_set(&d->net.rtc, now);
    char text[64];
    brisa_sntp_format_time(now, c->gmt_offset_min, text, sizeof text);
    log_info("TIME", "from the cellular network%s%s: %s", server ? " via NTP server " : "",
             server ? server : "", text);
    return BRISA_OK;
}

void link_modem_attach(device_link *l, const link_handlers *h)
{
    lm.link = l;
    lm.h = *h;
    l->modem = &lm;
}

static size_t read_file(const char *path, uint8_t *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, size, f);
    bool more = fgetc(f) != EOF;
    fclose(f);
    return more ? 0 : n;
}

/* Uploads what the module lacks (names carry the content's hash) and
 * sets the SSL context. The payload buffer is free between messages. */
static int setup_tls(const device_config *c, char *why, size_t why_len)
{
    const char *paths[3] = { c->ca_file, c->tls_client_auth ? c->cert_file : "",
                             c->tls_client_auth ? c->key_file : "" };
    static const char *const prefixes[3] = { "brisa-ca", "brisa-cert", "brisa-key" };
    static uint8_t file[BRISA_SIM7600_PAYLOAD_MAX];
    for (int i = 0; i < 3; i++) {
        lm.files[i][0] = 0;
        if (!paths[i][0])
            continue;
        size_t n = read_file(paths[i], file, sizeof file);
        if (n == 0) {
            snprintf(why, why_len, "%s: unreadable, empty or over 10240 bytes", paths[i]);
            return BRISA_ERR_TLS_CREDENTIALS;
        }
        brisa_sim7600_cert_name(lm.files[i], sizeof lm.files[i], prefixes[i], file, n);
        bool uploaded = false;
        int rc = brisa_sim7600_cert_ensure(&lm.m, lm.files[i], file, n, &uploaded);
        if (rc)
            return explain(rc, "certificate upload", why, why_len);
        log_info("TLS", "%s %s the module as %s", paths[i],
                 uploaded ? "uploaded to" : "already on", lm.files[i]);
    }
    brisa_sim7600_ssl ssl = brisa_sim7600_ssl_unset();
    ssl.authmode = c->tls_client_auth ? 2 : 1;
    ssl.cacert = lm.files[0];
    ssl.clientcert = c->tls_client_auth ? lm.files[1] : NULL;
    ssl.clientkey = c->tls_client_auth ? lm.files[2] : NULL;
    ssl.enable_sni = 1;
    int rc = brisa_sim7600_ssl_configure(&lm.m, (uint8_t)c->modem_ssl_ctx, &ssl);
    if (rc)
        return explain(rc, "SSL context", why, why_len);
    lm.tls_ready = true;
    return BRISA_OK;
}

int link_modem_open(device_link *l, char *why, size_t why_len)
{
    const device_config *c = l->cfg;
    int client = c->modem_client;
    int rc = BRISA_OK;
    uint64_t t0 = log_now_ms();
    lm.link = l;
    brisa_sim7600_process(&lm.m, 0); /* whatever came meanwhile (RDY...) */
    if (!lm.up) { /* after a module reset (RDY) */
        brisa_sim7600_net net = { .apn = c->modem_apn[0] ? c->modem_apn : NULL,
                                  .register_timeout_ms = 30000 };
        rc = brisa_sim7600_bringup(&lm.m, &net);
        if (rc)
            return explain(rc, "modem bring-up", why, why_len);
        lm.up = true;
    }
    if (!rc && l->use_tls && !lm.tls_ready)
        rc = setup_tls(c, why, why_len);
    if (!rc && !lm.started) {
        rc = brisa_sim7600_mqtt_start(&lm.m);
        if (rc)
            return explain(rc, "MQTT start", why, why_len);
        lm.started = true;
    }
    if (rc)
        return rc;
    lm.srv.host = c->broker;
    lm.srv.port = (uint16_t)device_config_port(c, l->use_tls);
    lm.srv.tls = l->use_tls;
    lm.srv.ssl_ctx = (uint8_t)c->modem_ssl_ctx;
    lm.will.topic = c->public_topic[0] ? c->public_topic : c->secret_topic;
    lm.will.payload = (const uint8_t *)l->will_text;
    lm.will.payload_len = strlen(l->will_text);
    memset(&lm.co, 0, sizeof lm.co);
    lm.co.client_id = l->client_id;
    lm.co.clean_session = true;
    lm.co.keepalive_s = (uint16_t)(c->keepalive_s ? c->keepalive_s : 60);
    lm.co.username = c->username[0] ? c->username : NULL;
    lm.co.password = c->password[0] ? (const uint8_t *)c->password : NULL;
    lm.co.password_len = strlen(c->password);
    lm.co.will = &lm.will;
    lm.lost = false;
    rc = brisa_sim7600_connect(&lm.m, client, &lm.srv, &lm.co);
    if (rc)
        return explain(rc, "MQTT CONNECT through the modem", why, why_len);
    l->open = true;
    log_info("MQTT", "connected through the SIM7600 (client %d%s) to %s:%u as %s (%llu ms)",
             client, l->use_tls ? ", TLS by the module" : "", c->broker, (unsigned)lm.srv.port,
             l->client_id, (unsigned long long)(log_now_ms() - t0));
    return BRISA_OK;
}

bool link_modem_subscribe(device_link *l, const char *topic, uint8_t qos, uint8_t *granted)
{
    int rc = brisa_sim7600_subscribe(&lm.m, l->cfg->modem_client, topic, qos);
    if (rc) {
        char why[256];
        explain(rc, "subscribe", why, sizeof why);
        log_error("MQTT", "subscription to %s: %s", topic, why);
        *granted = BRISA_MQTT_SUBACK_FAILURE;
        return false;
    }
    *granted = qos; /* the module does not say what the broker granted */
    return true;
}

/* The button's end: DISCONNECT, release the client, stop MQTT. */
void link_modem_close(device_link *l)
{
    int client = l->cfg->modem_client;
    if (l->open)
        brisa_sim7600_disconnect(&lm.m, client);
    if (lm.started) {
        brisa_sim7600_release(&lm.m, client);
        brisa_sim7600_mqtt_stop(&lm.m);
        lm.started = false;
        log_info("MQTT", "disconnected, client %d released, MQTT stopped (DISC, REL, STOP)", client);
    }
    l->open = false;
}

void link_modem_drop(device_link *l)
{
    /* The client stays acquired: the next open connects it again. */
    l->open = false;
}

int link_modem_publish(device_link *l, const char *topic, const void *payload, size_t len,
                       uint8_t qos)
{
    if (!l->open || lm.lost)
        return BRISA_ERR_STATE;
    int rc = brisa_sim7600_publish(&lm.m, l->cfg->modem_client, topic, payload, len, qos, false);
    if (rc) {
        char why[256];
        explain(rc, "publish", why, sizeof why);
        log_error("MODEM", "%s", why);
    }
    return rc;
}

int link_modem_process(device_link *l, uint32_t timeout_ms)
{
    if (!l->open)
        return BRISA_ERR_STATE;
    int rc = lm.lost ? BRISA_OK : brisa_sim7600_process(&lm.m, timeout_ms);
    return rc ? rc : lm.lost ? BRISA_ERR_CLOSED : BRISA_OK;
}
