// SPDX-License-Identifier: MIT
/* brisa-pub / brisa-sub over a SIM7600 modem. */
#include "modem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/port/posix.h"
#include "session.h"

static tools_modem modem; /* ~12 KiB of buffers: not on the stack */

static void trace(void *user, bool out, const char *line, size_t len)
{
    (void)user;
    /* Data after a prompt or a URC's raw bytes: their length is enough. */
    bool text = true;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)line[i] < 0x20 || (unsigned char)line[i] > 0x7e)
            text = false;
    if (text && len <= 200)
        printf("modem %s %.*s\n", out ? ">" : "<", (int)len, line);
    else
        printf("modem %s (%zu bytes)\n", out ? ">" : "<", len);
    fflush(stdout);
}

static void on_event(void *user, const brisa_sim7600_event *e)
{
    tools_modem *t = user;
    if (e->type == BRISA_SIM7600_EVT_CONNLOST && e->client == (int)t->o->modem_client)
        t->lost_cause = e->code > 0 ? e->code : 1;
    else if (e->type == BRISA_SIM7600_EVT_PING_FAILED || e->type == BRISA_SIM7600_EVT_NO_NET ||
             e->type == BRISA_SIM7600_EVT_RESET)
        t->lost_cause = -1 - (int)e->type;
}

static void on_message(void *user, int client, const brisa_mqtt_message *m)
{
    tools_modem *t = user;
    if (client == (int)t->o->modem_client && t->on_message)
        t->on_message(t->user, m);
}

int tools_modem_fail(tools_modem *t, const char *doing, int err)
{
    char what[256];
    brisa_sim7600_describe(&t->m, err, what, sizeof what);
    tools_error(t->o, "%s: %s", doing, what);
    return TOOLS_EXIT_FAIL;
}

/* Reads @p path whole into @p buf (at most 10240 bytes, the module's
 * limit). Returns its length, or 0 after printing why. */
static size_t read_file(const tools_opts *o, const char *path, uint8_t *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        tools_error(o, "cannot read '%s': %s", path, strerror(errno));
        return 0;
    }
    size_t n = fread(buf, 1, size, f);
    bool more = fgetc(f) != EOF;
    fclose(f);
    if (n == 0 || more) {
        tools_error(o, "'%s': %s", path, n ? "larger than the module's 10240-byte limit"
                                           : "empty");
        return 0;
    }
    return n;
}

/* Uploads CA, certificate and key under names that carry their content's
 * hash (only when the module lacks them), and sets SSL context 0. */
static int setup_tls(tools_modem *t)
{
    const tools_opts *o = t->o;
    const char *paths[3] = { o->cafile, o->certfile, o->keyfile };
    static const char *const prefixes[3] = { "brisa-ca", "brisa-cert", "brisa-key" };
    for (int i = 0; i < 3; i++) {
        t->files[i][0] = 0;
        if (!paths[i])
            continue;
        size_t n = read_file(o, paths[i], t->payload, sizeof t->payload);
        if (n == 0)
            return TOOLS_EXIT_FAIL;
        brisa_sim7600_cert_name(t->files[i], sizeof t->files[i], prefixes[i], t->payload, n);
        int rc = brisa_sim7600_cert_ensure(&t->m, t->files[i], t->payload, n, NULL);
        if (rc)
            return tools_modem_fail(t, "uploading TLS files", rc);
    }
    brisa_sim7600_ssl ssl = brisa_sim7600_ssl_unset();
    ssl.sslversion = o->tls_version ? 3 : 4;
    ssl.authmode = o->certfile ? 2 : 1;
    ssl.cacert = t->files[0];
    ssl.clientcert = o->certfile ? t->files[1] : NULL;
    ssl.clientkey = o->keyfile ? t->files[2] : NULL;
    ssl.enable_sni = 1;
    int rc = brisa_sim7600_ssl_configure(&t->m, 0, &ssl);
    return rc ? tools_modem_fail(t, "configuring TLS", rc) : TOOLS_EXIT_OK;
}

int tools_modem_connect(tools_modem *t, const tools_opts *o, brisa_mqtt_message_cb cb,
                        void *user)
{
    memset(t, 0, sizeof *t);
    t->serial.fd = -1;
    t->o = o;
    t->on_message = cb;
    t->user = user;
    char path[256];
    uint32_t baud;
    if (brisa_posix_serial_parse(o->modem, path, sizeof path, &baud) < 0) {
        tools_error(o, "invalid --modem '%s': use DEVICE or DEVICE:BAUD", o->modem);
        return TOOLS_EXIT_FAIL;
    }
    if (brisa_posix_serial_open(&t->serial, path, baud, o->modem_rtscts) < 0) {
        tools_error(o, "modem: %s", brisa_posix_serial_error(&t->serial));
        return TOOLS_EXIT_FAIL;
    }
    brisa_sim7600_config cfg = {
        .serial = brisa_posix_serial_transport(&t->serial), .clock = brisa_posix_clock(),
        .line_buf = t->line, .line_size = sizeof t->line,
        .topic_buf = t->topic, .topic_size = sizeof t->topic,
        .payload_buf = t->payload, .payload_size = sizeof t->payload,
        .on_message = on_message, .on_event = on_event,
        .on_trace = o->debug ? trace : NULL, .user = t,
        .mqtt_timeout_s = (uint16_t)o->timeout_s,
    };
    brisa_sim7600_init(&t->m, &cfg);
    brisa_sim7600_net net = { .apn = o->modem_apn, .register_timeout_ms = o->timeout_s * 1000u };
    int rc = brisa_sim7600_bringup(&t->m, &net);
    if (rc)
        return tools_modem_fail(t, "bringing the modem up", rc);
    if (o->tls && setup_tls(t) != TOOLS_EXIT_OK)
        return TOOLS_EXIT_FAIL;
    rc = brisa_sim7600_mqtt_start(&t->m);
    if (rc)
        return tools_modem_fail(t, "starting MQTT", rc);
    t->srv.host = o->host ? o->host : "localhost";
    t->srv.port = (uint16_t)o->port;
    t->srv.tls = o->tls;
    t->co.client_id = o->client_id;
    t->co.clean_session = o->clean_session;
    t->co.keepalive_s = (uint16_t)o->keepalive_s;
    t->co.username = o->username;
    if (o->password) {
        t->co.password = (const uint8_t *)o->password;
        t->co.password_len = strlen(o->password);
    }
    if (o->will_topic) {
        t->will.topic = o->will_topic;
        t->will.payload = (const uint8_t *)(o->will_payload ? o->will_payload : "");
        t->will.payload_len = o->will_payload ? strlen(o->will_payload) : 0;
        t->will.qos = (uint8_t)o->will_qos;
        t->co.will = &t->will;
    }
    rc = brisa_sim7600_connect(&t->m, (int)o->modem_client, &t->srv, &t->co);
    if (rc)
        return tools_modem_fail(t, "connect", rc);
    return TOOLS_EXIT_OK;
}

void tools_modem_end(tools_modem *t)
{
    int client = (int)t->o->modem_client;
    if (t->serial.fd < 0)
        return;
    if (brisa_sim7600_is_connected(&t->m, client))
        brisa_sim7600_disconnect(&t->m, client);
    brisa_sim7600_release(&t->m, client);
    brisa_sim7600_mqtt_stop(&t->m);
    brisa_posix_serial_close(&t->serial);
}

static int lost(tools_modem *t)
{
    if (t->lost_cause > 0)
        tools_error(t->o, "connection lost: %s (+CMQTTCONNLOST cause %d)",
                    brisa_sim7600_connlost_str(t->lost_cause), t->lost_cause);
    else
        tools_error(t->o, "connection lost: the module %s",
                    t->lost_cause == -1 - BRISA_SIM7600_EVT_RESET ? "restarted"
                    : t->lost_cause == -1 - BRISA_SIM7600_EVT_NO_NET ? "lost the network"
                                                                      : "had no PINGRESP");
    return TOOLS_EXIT_FAIL;
}

int tools_modem_pub(const tools_opts *o, const void *const *payloads, const size_t *lens,
                    size_t count)
{
    tools_modem *t = &modem;
    int status = tools_modem_connect(t, o, NULL, NULL);
    for (size_t i = 0; status == TOOLS_EXIT_OK && i < count; i++) {
        int rc = brisa_sim7600_publish(&t->m, (int)o->modem_client, o->topics[0], payloads[i],
                                       lens[i], (uint8_t)o->qos, o->retain);
        if (rc)
            status = t->lost_cause ? lost(t) : tools_modem_fail(t, "publish", rc);
    }
    tools_modem_end(t);
    return status;
}

int tools_modem_sub(const tools_opts *o, brisa_mqtt_message_cb cb, void *user,
                    const bool *done, bool (*stop)(void))
{
    tools_modem *t = &modem;
    int status = tools_modem_connect(t, o, cb, user);
    uint64_t deadline = o->wait_s ? tools_now_ms() + (uint64_t)o->wait_s * 1000u : 0;
    for (size_t i = 0; status == TOOLS_EXIT_OK && i < o->topic_count; i++) {
        int rc = brisa_sim7600_subscribe(&t->m, (int)o->modem_client, o->topics[i],
                                         (uint8_t)o->qos);
        if (rc)
            status = tools_modem_fail(t, "subscribe", rc);
    }
    while (status == TOOLS_EXIT_OK && !*done && !stop()) {
        if (t->lost_cause) {
            status = lost(t);
            break;
        }
        if (deadline && tools_now_ms() >= deadline) {
            tools_error(o, "timed out after %u s", o->wait_s);
            status = TOOLS_EXIT_TIMEOUT;
            break;
        }
        int rc = brisa_sim7600_process(&t->m, 200);
        if (rc)
            status = tools_modem_fail(t, "receiving", rc);
    }
    tools_modem_end(t);
    return status;
}
