// SPDX-License-Identifier: MIT
/* SIM7600 driver: the module's MQTT client (AT+CMQTT...) and the receive
 * path (+CMQTTRX... reassembly, connection-loss URCs). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sim7600_internal.h"

enum { RX_NONE, RX_TOPIC, RX_PAYLOAD };

static uint32_t mqtt_timeout(const brisa_sim7600 *m)
{
    /* The module waits mqtt_timeout_s for the broker; allow it a margin. */
    return (uint32_t)m->cfg.mqtt_timeout_s * 1000u + 5000u;
}

/* "+CMQTTPUB: 1," for client 1: the prefix of a command's own result. */
static const char *result_prefix(char *buf, const char *head, int client)
{
    size_t n = strlen(head);
    memcpy(buf, head, n);
    buf[n] = (char)('0' + client);
    buf[n + 1] = ',';
    buf[n + 2] = 0;
    return buf;
}

static int run_done(brisa_sim7600 *m, const char *name, const sim_text *t, int client,
                    const char *head)
{
    char prefix[32];
    return sim_run(m, name, t, NULL, 0, result_prefix(prefix, head, client),
                   mqtt_timeout(m), NULL, NULL);
}

/* AT+CMQTTTOPIC=0,7 then the bytes after '>'. */
static int with_data(brisa_sim7600 *m, const char *name, int client, size_t len,
                     const uint8_t *data, int extra)
{
    sim_text t;
    sim_text_start(&t, m, name);
    sim_text_put(&t, "=");
    sim_text_uint(&t, (unsigned long)client);
    sim_text_arg(&t, len);
    if (extra >= 0)
        sim_text_arg(&t, (unsigned long)extra);
    return sim_run(m, name, &t, data, len, NULL, 0, NULL, NULL);
}

static bool client_ok(int client)
{
    return client >= 0 && client < BRISA_SIM7600_CLIENTS;
}

static void fail_early(brisa_sim7600 *m, const char *name)
{
    m->err.command = name;
    m->err.kind = BRISA_SIM7600_ERRK_NONE;
    m->err.code = 0;
}

brisa_err brisa_sim7600_mqtt_start(brisa_sim7600 *m)
{
    sim_text t;
    sim_text_start(&t, m, "AT+CMQTTSTART");
    int err = sim_run(m, "AT+CMQTTSTART", &t, NULL, 0, "+CMQTTSTART: ", 0, NULL, NULL);
    return (err == BRISA_ERR_REFUSED && m->result == 23) ? BRISA_OK : err;
}

brisa_err brisa_sim7600_mqtt_stop(brisa_sim7600 *m)
{
    sim_text t;
    sim_text_start(&t, m, "AT+CMQTTSTOP");
    int err = sim_run(m, "AT+CMQTTSTOP", &t, NULL, 0, "+CMQTTSTOP: ", mqtt_timeout(m),
                      NULL, NULL);
    if (!err)
        for (int i = 0; i < BRISA_SIM7600_CLIENTS; i++)
            m->acquired[i] = m->connected[i] = false;
    return err;
}

static int check_connect(const brisa_sim7600_server *s, const brisa_mqtt_connect_options *o)
{
    if (!s || !s->host || !*s->host || !o || !o->client_id || !*o->client_id ||
        o->keepalive_s == 0 || s->ssl_ctx >= BRISA_SIM7600_SSL_CONTEXTS ||
        (o->protocol_level && o->protocol_level != BRISA_MQTT_V311) ||
        (o->password && !o->username))
        return BRISA_ERR_INVALID_ARG;
    const brisa_mqtt_will *w = o->will;
    if (w) {
        if (!w->topic || w->retain || w->qos > 2 || !w->payload_len ||
            !brisa_mqtt_topic_valid(w->topic, strlen(w->topic)))
            return BRISA_ERR_INVALID_ARG;
        if (strlen(w->topic) > BRISA_SIM7600_TOPIC_MAX ||
            w->payload_len > BRISA_SIM7600_PAYLOAD_MAX)
            return BRISA_ERR_TOO_LARGE;
    }
    return BRISA_OK;
}

/* AT+CMQTTCONNECT=0,"tcp://host:port",keepalive,clean[,"user"[,"pass"]] */
static int build_connect(brisa_sim7600 *m, sim_text *t, int client,
                         const brisa_sim7600_server *s, const brisa_mqtt_connect_options *o)
{
    sim_text_start(t, m, "AT+CMQTTCONNECT=");
    sim_text_uint(t, (unsigned long)client);
    sim_text_put(t, ",\"tcp://");
    sim_text_put(t, s->host);
    if (s->port) {
        sim_text_put(t, ":");
        sim_text_uint(t, s->port);
    }
    sim_text_put(t, "\"");
    sim_text_arg(t, o->keepalive_s);
    sim_text_arg(t, o->clean_session ? 1 : 0);
    if (o->username) {
        sim_text_put(t, ",");
        sim_text_quoted(t, o->username, strlen(o->username));
    }
    if (o->password) {
        sim_text_put(t, ",");
        sim_text_quoted(t, (const char *)o->password, o->password_len);
    }
    if (strchr(s->host, '"'))
        return BRISA_ERR_INVALID_ARG;
    return sim_text_end(t);
}

brisa_err brisa_sim7600_connect(brisa_sim7600 *m, int client, const brisa_sim7600_server *s,
                                const brisa_mqtt_connect_options *o)
{
    sim_text t;
    int err = client_ok(client) ? check_connect(s, o) : BRISA_ERR_INVALID_ARG;
    if (!err) /* built once here only to refuse it before anything is sent */
        err = build_connect(m, &t, client, s, o);
    if (!err && !m->acquired[client]) {
        sim_text_start(&t, m, "AT+CMQTTACCQ=");
        sim_text_uint(&t, (unsigned long)client);
        sim_text_put(&t, ",");
        sim_text_quoted(&t, o->client_id, strlen(o->client_id));
        sim_text_arg(&t, s->tls ? 1 : 0);
        err = sim_text_end(&t);
        if (err) {
            fail_early(m, "AT+CMQTTACCQ");
            return err;
        }
        err = sim_run(m, "AT+CMQTTACCQ", &t, NULL, 0, NULL, 0, NULL, NULL);
        if (err)
            return err;
        m->acquired[client] = true;
    } else if (err) {
        fail_early(m, "AT+CMQTTCONNECT");
        return err;
    }
    if (s->tls) {
        sim_text_start(&t, m, "AT+CMQTTSSLCFG=");
        sim_text_uint(&t, (unsigned long)client);
        sim_text_arg(&t, s->ssl_ctx);
        err = sim_run(m, "AT+CMQTTSSLCFG", &t, NULL, 0, NULL, 0, NULL, NULL);
    }
    if (!err && o->will) {
        const brisa_mqtt_will *w = o->will;
        err = with_data(m, "AT+CMQTTWILLTOPIC", client, strlen(w->topic),
                        (const uint8_t *)w->topic, -1);
        if (!err)
            err = with_data(m, "AT+CMQTTWILLMSG", client, w->payload_len, w->payload, w->qos);
    }
    if (!err)
        err = build_connect(m, &t, client, s, o);
    if (!err)
        err = run_done(m, "AT+CMQTTCONNECT", &t, client, "+CMQTTCONNECT: ");
    if (err)
        return err;
    m->server[client] = s;
    m->opts[client] = o;
    m->connected[client] = true;
    return BRISA_OK;
}

brisa_err brisa_sim7600_reconnect(brisa_sim7600 *m, int client)
{
    if (!client_ok(client) || !m->server[client])
        return BRISA_ERR_STATE;
    return brisa_sim7600_connect(m, client, m->server[client], m->opts[client]);
}

brisa_err brisa_sim7600_publish(brisa_sim7600 *m, int client, const char *topic,
                                const void *payload, size_t len, uint8_t qos, bool retain)
{
    size_t tlen = topic ? strlen(topic) : 0;
    int err = BRISA_OK;
    if (!client_ok(client) || qos > 2 || (len && !payload) ||
        !brisa_mqtt_topic_valid(topic, tlen))
        err = BRISA_ERR_INVALID_ARG;
    else if (tlen > BRISA_SIM7600_TOPIC_MAX || len > BRISA_SIM7600_PAYLOAD_MAX)
        err = BRISA_ERR_TOO_LARGE;
    if (err) {
        fail_early(m, "AT+CMQTTPUB");
        return err;
    }
    err = with_data(m, "AT+CMQTTTOPIC", client, tlen, (const uint8_t *)topic, -1);
    if (!err && len)
        err = with_data(m, "AT+CMQTTPAYLOAD", client, len, payload, -1);
    if (err)
        return err;
    sim_text t;
    sim_text_start(&t, m, "AT+CMQTTPUB=");
    sim_text_uint(&t, (unsigned long)client);
    sim_text_arg(&t, qos);
    sim_text_arg(&t, m->cfg.mqtt_timeout_s);
    if (retain)
        sim_text_arg(&t, 1);
    return run_done(m, "AT+CMQTTPUB", &t, client, "+CMQTTPUB: ");
}

static int filter_check(brisa_sim7600 *m, int client, const char *filter, const char *name)
{
    size_t flen = filter ? strlen(filter) : 0;
    int err = BRISA_OK;
    if (!client_ok(client) || !brisa_mqtt_filter_valid(filter, flen) || flen == 0)
        err = BRISA_ERR_INVALID_ARG;
    else if (flen > BRISA_SIM7600_TOPIC_MAX)
        err = BRISA_ERR_TOO_LARGE;
    if (err)
        fail_early(m, name);
    return err;
}

brisa_err brisa_sim7600_subscribe(brisa_sim7600 *m, int client, const char *filter, uint8_t qos)
{
    int err = filter_check(m, client, filter, "AT+CMQTTSUB");
    if (!err && qos > 2)
        err = BRISA_ERR_INVALID_ARG;
    if (!err)
        err = with_data(m, "AT+CMQTTSUBTOPIC", client, strlen(filter),
                        (const uint8_t *)filter, qos);
    if (err)
        return err;
    sim_text t;
    sim_text_start(&t, m, "AT+CMQTTSUB=");
    sim_text_uint(&t, (unsigned long)client);
    return run_done(m, "AT+CMQTTSUB", &t, client, "+CMQTTSUB: ");
}

brisa_err brisa_sim7600_unsubscribe(brisa_sim7600 *m, int client, const char *filter)
{
    int err = filter_check(m, client, filter, "AT+CMQTTUNSUB");
    if (!err)
        err = with_data(m, "AT+CMQTTUNSUBTOPIC", client, strlen(filter),
                        (const uint8_t *)filter, -1);
    if (err)
        return err;
    sim_text t;
    sim_text_start(&t, m, "AT+CMQTTUNSUB=");
    sim_text_uint(&t, (unsigned long)client);
    sim_text_put(&t, ",0");
    return run_done(m, "AT+CMQTTUNSUB", &t, client, "+CMQTTUNSUB: ");
}

brisa_err brisa_sim7600_disconnect(brisa_sim7600 *m, int client)
{
    if (!client_ok(client))
        return BRISA_ERR_INVALID_ARG;
    sim_text t;
    sim_text_start(&t, m, "AT+CMQTTDISC=");
    sim_text_uint(&t, (unsigned long)client);
    sim_text_arg(&t, m->cfg.mqtt_timeout_s);
    int err = run_done(m, "AT+CMQTTDISC", &t, client, "+CMQTTDISC: ");
    m->connected[client] = false;
    return err;
}

brisa_err brisa_sim7600_release(brisa_sim7600 *m, int client)
{
    if (!client_ok(client))
        return BRISA_ERR_INVALID_ARG;
    sim_text t;
    sim_text_start(&t, m, "AT+CMQTTREL=");
    sim_text_uint(&t, (unsigned long)client);
    int err = sim_run(m, "AT+CMQTTREL", &t, NULL, 0, NULL, 0, NULL, NULL);
    if (!err)
        m->acquired[client] = m->connected[client] = false;
    return err;
}

bool brisa_sim7600_is_connected(const brisa_sim7600 *m, int client)
{
    return client_ok(client) && m->connected[client];
}

brisa_err brisa_sim7600_process(brisa_sim7600 *m, uint32_t timeout_ms)
{
    return brisa_at_poll(&m->at, timeout_ms);
}

/* ---- receive path ---------------------------------------------------- */

static void event(brisa_sim7600 *m, brisa_sim7600_event_type type, int client, int code)
{
    if (m->cfg.on_event) {
        brisa_sim7600_event e = { type, client, code };
        m->cfg.on_event(m->cfg.user, &e);
    }
}

static void deliver(brisa_sim7600 *m, size_t len)
{
    if (m->cfg.on_message) {
        brisa_mqtt_message msg;
        memset(&msg, 0, sizeof msg);
        msg.topic = m->cfg.topic_buf;
        msg.topic_len = m->rx_topic_total;
        msg.payload = m->cfg.payload_buf;
        msg.payload_len = len;
        msg.payload_offset = m->rx_payload_sent;
        msg.payload_total = m->rx_payload_total;
        m->cfg.on_message(m->cfg.user, m->rx_client, &msg);
    }
    m->rx_payload_sent += len;
}

static void rx_drop(brisa_sim7600 *m)
{
    if (m->rx_client >= 0 || m->rx_bad)
        event(m, BRISA_SIM7600_EVT_DROPPED, m->rx_client, 0);
    m->rx_client = -1;
    m->rx_bad = false;
    m->rx_stage = RX_NONE;
}

static void rx_start(brisa_sim7600 *m, const unsigned long *v)
{
    m->rx_client = (int)v[0];
    m->rx_topic_total = v[1];
    m->rx_payload_total = v[2];
    m->rx_topic_have = m->rx_payload_have = m->rx_payload_sent = 0;
    m->rx_stage = RX_NONE;
    m->rx_bad = !client_ok((int)v[0]) || v[1] == 0 || v[1] > m->cfg.topic_size ||
                v[1] > BRISA_SIM7600_TOPIC_MAX || v[2] > BRISA_SIM7600_PAYLOAD_MAX;
}

/* +CMQTTRXTOPIC / +CMQTTRXPAYLOAD: the piece must fit what RXSTART
 * announced; its bytes are taken off the stream either way, unless the
 * length is beyond any message (then the stream is read as lines). */
static void rx_piece(brisa_sim7600 *m, const unsigned long *v, size_t count, int stage,
                     size_t *raw_len)
{
    size_t have = stage == RX_TOPIC ? m->rx_topic_have : m->rx_payload_have;
    size_t total = stage == RX_TOPIC ? m->rx_topic_total : m->rx_payload_total;
    if (count < 2 || v[1] > BRISA_SIM7600_PAYLOAD_MAX) {
        m->rx_bad = true;
        return;
    }
    *raw_len = v[1];
    if (m->rx_client < 0 || (int)v[0] != m->rx_client || v[1] > total - have ||
        (stage == RX_PAYLOAD && m->rx_topic_have != m->rx_topic_total))
        m->rx_bad = true;
    m->rx_stage = (uint8_t)stage;
}

static void rx_end(brisa_sim7600 *m, const unsigned long *v, size_t count)
{
    if (m->rx_client < 0 && !m->rx_bad)
        return;
    if (count < 1 || (int)v[0] != m->rx_client || m->rx_bad ||
        m->rx_topic_have != m->rx_topic_total || m->rx_payload_have != m->rx_payload_total) {
        rx_drop(m);
        return;
    }
    size_t pending = m->rx_payload_have - m->rx_payload_sent;
    if (pending || m->rx_payload_total == 0)
        deliver(m, pending);
    m->rx_client = -1;
    m->rx_stage = RX_NONE;
}

void sim_raw(void *user, const uint8_t *data, size_t len)
{
    brisa_sim7600 *m = user;
    if (m->rx_bad || m->rx_client < 0)
        return;
    if (m->rx_stage == RX_TOPIC) {
        memcpy(m->cfg.topic_buf + m->rx_topic_have, data, len);
        m->rx_topic_have += len;
        return;
    }
    while (len) {
        size_t used = m->rx_payload_have - m->rx_payload_sent;
        size_t room = m->cfg.payload_size - used;
        size_t n = len < room ? len : room;
        memcpy(m->cfg.payload_buf + used, data, n);
        m->rx_payload_have += n;
        data += n;
        len -= n;
        /* A full buffer goes out as a chunk, unless it ends the message
         * (that one waits for +CMQTTRXEND, which proves it whole). */
        if (used + n == m->cfg.payload_size && m->rx_payload_have < m->rx_payload_total)
            deliver(m, m->cfg.payload_size);
    }
}

static void lost(brisa_sim7600 *m, int client)
{
    if (client_ok(client))
        m->connected[client] = false;
}

bool sim_urc(void *user, const char *l, size_t n, size_t *raw_len)
{
    brisa_sim7600 *m = user;
    unsigned long v[3];
    size_t k;
    if (sim_prefix(l, n, "+CMQTTRXSTART:")) {
        k = sim_parse_uints(l, n, 14, v, 3);
        if (m->rx_client >= 0)
            rx_drop(m);
        if (k == 3)
            rx_start(m, v);
        else
            m->rx_bad = true;
    } else if (sim_prefix(l, n, "+CMQTTRXTOPIC:")) {
        k = sim_parse_uints(l, n, 14, v, 2);
        rx_piece(m, v, k, RX_TOPIC, raw_len);
    } else if (sim_prefix(l, n, "+CMQTTRXPAYLOAD:")) {
        k = sim_parse_uints(l, n, 16, v, 2);
        rx_piece(m, v, k, RX_PAYLOAD, raw_len);
    } else if (sim_prefix(l, n, "+CMQTTRXEND:")) {
        k = sim_parse_uints(l, n, 12, v, 1);
        rx_end(m, v, k);
    } else if (sim_prefix(l, n, "+CMQTTCONNLOST:")) {
        k = sim_parse_uints(l, n, 15, v, 2);
        int client = k >= 1 && v[0] < BRISA_SIM7600_CLIENTS ? (int)v[0] : -1;
        lost(m, client);
        event(m, BRISA_SIM7600_EVT_CONNLOST, client, k == 2 ? (int)v[1] : -1);
    } else if (sim_prefix(l, n, "+CMQTTPING:")) {
        k = sim_parse_uints(l, n, 11, v, 2);
        int client = k >= 1 && v[0] < BRISA_SIM7600_CLIENTS ? (int)v[0] : -1;
        lost(m, client);
        event(m, BRISA_SIM7600_EVT_PING_FAILED, client, k == 2 ? (int)v[1] : -1);
    } else if (sim_prefix(l, n, "+CMQTTNONET")) {
        for (int i = 0; i < BRISA_SIM7600_CLIENTS; i++)
            lost(m, i);
        event(m, BRISA_SIM7600_EVT_NO_NET, -1, 0);
    } else if (n == 3 && memcmp(l, "RDY", 3) == 0) {
        for (int i = 0; i < BRISA_SIM7600_CLIENTS; i++)
            m->acquired[i] = m->connected[i] = false;
        rx_drop(m);
        event(m, BRISA_SIM7600_EVT_RESET, -1, 0);
    } else if (sim_prefix(l, n, "+CMQTTCONNECT:") || sim_prefix(l, n, "+CMQTTDISC:") ||
               sim_prefix(l, n, "+CMQTTPUB:") || sim_prefix(l, n, "+CMQTTSUB:") ||
               sim_prefix(l, n, "+CMQTTUNSUB:")) {
        /* The late result of a command that timed out: not for the
         * command running now. */
    } else {
        return false;
    }
    return true;
}
