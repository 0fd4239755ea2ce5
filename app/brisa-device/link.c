// SPDX-License-Identifier: MIT
/* TCP + TLS + MQTT for the device. */
#include "link.h"

#include <stdio.h>
#include <string.h>

#include "brisa/connect.h"
#include "brisa/err.h"
#include "brisa/mqtt_codec.h"
#include "brisa/url.h"
#include "log.h"

static void trace_packet(void *user, const brisa_mqtt_trace *t)
{
    (void)user;
    if (t->type == BRISA_MQTT_PUBLISH)
        log_debug("MQTT", "%s PUBLISH (q%u, r%d, m%u, '%.*s', %zu bytes)",
                  t->outgoing ? "sent" : "got", (unsigned)t->qos, t->retain,
                  (unsigned)t->packet_id, (int)t->topic_len, t->topic, t->payload_len);
    else if (t->packet_id)
        log_debug("MQTT", "%s %s (m%u)", t->outgoing ? "sent" : "got",
                  brisa_mqtt_packet_name(t->type), (unsigned)t->packet_id);
    else
        log_debug("MQTT", "%s %s", t->outgoing ? "sent" : "got", brisa_mqtt_packet_name(t->type));
}

static void tls_log(void *user, int level, const char *line)
{
    (void)user;
    (void)level;
    log_info("TLS", "%s", line);
}

void link_init(device_link *l, const device_config *cfg, const brisa_clock *clock, bool use_tls,
               const link_handlers *h)
{
    memset(l, 0, sizeof *l);
    l->cfg = cfg;
    l->clock = clock;
    l->use_tls = use_tls;
    l->clean_session = cfg->clean_session;
    plat_tcp_init(&l->tcp);

    brisa_mqtt_config mc;
    memset(&mc, 0, sizeof mc);
    mc.clock = *clock;
    mc.tx_buf = l->tx;
    mc.tx_size = sizeof l->tx;
    mc.rx_buf = l->rx;
    mc.rx_size = sizeof l->rx;
    mc.inflight = l->inflight;
    mc.inflight_count = LINK_INFLIGHT;
    mc.routes = l->routes;
    mc.route_count = 2;
    mc.on_message = h->on_message;
    mc.on_event = h->on_event;
    mc.on_trace = h->trace && log_debug_enabled() ? trace_packet : NULL;
    mc.user = h->user;
    mc.io_timeout_ms = 5000;
    mc.large_policy = BRISA_MQTT_LARGE_CHUNKED;
    /* A transport is set for real in link_open; init wants one now. */
    mc.transport = plat_tcp_transport(&l->tcp);
    brisa_mqtt_init(&l->mqtt, &mc);

    if (cfg->client_id[0])
        snprintf(l->client_id, sizeof l->client_id, "%s", cfg->client_id);
    else
        snprintf(l->client_id, sizeof l->client_id, "%s-%ld", cfg->platform,
                 (long)(log_now_us() % 100000u));
    snprintf(l->will_text, sizeof l->will_text, "[OFFLINE %s]", cfg->platform);
    if (cfg->link == LINK_SIM7600)
        link_modem_attach(l, h);
}

static int setup_tls(device_link *l, char *why, size_t why_len)
{
    const device_config *c = l->cfg;
    brisa_tls_config tc;
    brisa_tls_config_init(&tc);
    if (c->tls_backend != TLS_BACKEND_DEFAULT) /* else the library's: OpenSSL where built in */
        tc.backend = c->tls_backend == TLS_BACKEND_OPENSSL ? BRISA_TLS_OPENSSL : BRISA_TLS_MBEDTLS;
    tc.server_name = c->tls_server_name[0] ? c->tls_server_name : c->broker;
    device_config_tls_files(c, &tc);
    tc.alpn = c->alpn[0] ? c->alpn : NULL;
    tc.clock = l->clock;
    tc.rng = plat_tls_rng();
    tc.debug_level = c->tls_debug;
    tc.debug_cb = c->tls_debug ? tls_log : NULL;
    l->tls = brisa_tls_new();
    if (!l->tls) {
        snprintf(why, why_len, "out of memory for TLS");
        return BRISA_ERR_NO_SPACE;
    }
    int rc = brisa_tls_setup(l->tls, &tc);
    if (rc < 0) {
        snprintf(why, why_len, "%s", brisa_tls_last_error(l->tls));
        brisa_tls_free(l->tls);
        l->tls = NULL;
    }
    return rc;
}

/* TCP to the broker, or to [mqtt] proxy (@p proxy is then filled for the
 * tunnel to the broker's name through it). */
static int open_tcp(device_link *l, const brisa_ip_addr *broker, const char *addr, int port,
                    char *proxy_buf, size_t proxy_len, brisa_url *proxy, char *why,
                    size_t why_len)
{
    const device_config *c = l->cfg;
    if (!c->proxy[0]) {
        int rc = plat_tcp_connect(&l->tcp, broker, (uint16_t)port, 5000);
        if (rc < 0)
            snprintf(why, why_len, "TCP %s:%d: %s", addr, port, plat_tcp_error(&l->tcp));
        return rc;
    }
    (void)brisa_url_split(c->proxy, proxy_buf, proxy_len, proxy); /* checked at load */
    if (!proxy->port)
        proxy->port = 80;
    int rc = plat_tcp_connect_host(&l->tcp, proxy->host, proxy->port, 5000);
    if (rc < 0)
        snprintf(why, why_len, "TCP to the proxy %s:%u: %s", proxy->host,
                 (unsigned)proxy->port, plat_tcp_error(&l->tcp));
    return rc;
}

/* The layers over TCP (tunnel, TLS, WebSockets), as brisa/connect.h puts
 * them; each failure is told as before: the proxy's answer, "TLS with
 * ...", "WebSocket with ...". */
static int open_layers(device_link *l, const char *addr, int port, const brisa_url *proxy,
                       char *why, size_t why_len)
{
    const device_config *c = l->cfg;
    l->rng = plat_rng();
    bool default_port = port == (l->use_tls ? 443 : 80);
    brisa_ws_config wc = { .host = c->broker, .port = default_port ? 0 : (uint16_t)port,
                           .path = c->ws_path, .clock = l->clock, .rng = &l->rng,
                           .rx_buf = l->ws_rx, .rx_size = sizeof l->ws_rx,
                           .tx_buf = l->ws_tx, .tx_size = sizeof l->ws_tx,
                           .handshake_timeout_ms = 5000 };
    brisa_connect_config cc = { .host = c->broker, .port = (uint16_t)port, .clock = l->clock,
                                .timeout_ms = 5000, .tunnel = c->proxy[0] != '\0',
                                .proxy_user = proxy->user, .proxy_password = proxy->password,
                                .proxy_buf = l->ws_rx, .proxy_buf_size = sizeof l->ws_rx,
                                .tls = l->use_tls ? l->tls : NULL,
                                .ws = c->websocket ? &l->ws : NULL, .ws_cfg = &wc };
    brisa_transport tcp = plat_tcp_transport(&l->tcp);
    brisa_connect conn;
    int rc = brisa_connect_layers(&conn, &cc, &tcp);
    if (rc < 0) {
        if (conn.failed == BRISA_CONNECT_TUNNEL)
            snprintf(why, why_len, "%s", conn.detail);
        else if (conn.failed == BRISA_CONNECT_TLS)
            snprintf(why, why_len, "TLS with %s:%d: %s", addr, port, conn.detail);
        else
            snprintf(why, why_len, "WebSocket with %s:%d: %s", c->broker, port, conn.detail);
        return rc;
    }
    l->transport = conn.transport;
    if (cc.tunnel)
        log_info("PROXY", "tunnel to %s:%d through %s:%u", c->broker, port, proxy->host,
                 (unsigned)proxy->port);
    if (cc.ws)
        log_info("WS", "WebSocket open to %s:%d%s (Sec-WebSocket-Protocol: mqtt)", c->broker,
                 port, c->ws_path);
    return BRISA_OK;
}

/* A step of the link setup failed with @p rc: if a stop ended it, say so
 * rather than what the cut wait looked like. */
static int stopped(device_link *l, int rc, char *why, size_t why_len)
{
    plat_tcp_set_cancel(&l->tcp, NULL, NULL);
    if (l->should_stop && l->should_stop(l->stop_user)) {
        char step[200];
        snprintf(step, sizeof step, "%s", why);
        snprintf(why, why_len, "stopped during the link setup (%s)", step);
        return BRISA_ERR_CANCELLED;
    }
    return rc;
}

int link_open_transport(device_link *l, const brisa_ip_addr *broker, char *why, size_t why_len)
{
    const device_config *c = l->cfg;
    char addr[BRISA_IP_STR_MAX];
    brisa_ip_format(broker, addr, sizeof addr);
    int port = device_config_port(c, l->use_tls);

    uint64_t t0 = log_now_ms();
    /* A signal or the button ends the connect and the handshakes at once,
     * not after their timeouts. */
    if (l->tls)
        brisa_tls_close(l->tls); /* what is left of the last connection */
    plat_tcp_close(&l->tcp);
    plat_tcp_set_cancel(&l->tcp, l->should_stop, l->stop_user);
    char proxy_buf[CFG_NAME_MAX];
    brisa_url proxy;
    memset(&proxy, 0, sizeof proxy);
    int rc = open_tcp(l, broker, addr, port, proxy_buf, sizeof proxy_buf, &proxy, why, why_len);
    if (rc < 0)
        return stopped(l, rc, why, why_len);
    if (l->use_tls && !l->tls && (rc = setup_tls(l, why, why_len)) < 0) {
        plat_tcp_close(&l->tcp);
        return stopped(l, rc, why, why_len);
    }
    rc = open_layers(l, addr, port, &proxy, why, why_len);
    if (rc < 0)
        return stopped(l, rc, why, why_len); /* the layers closed TCP */
    if (l->use_tls) {
        plat_memory_report("after the TLS handshake");
        log_info("TLS", "%s %s with %s:%d, %s (%llu ms)", brisa_tls_version_str(l->tls),
                 brisa_tls_cipher_str(l->tls), addr, port,
                 brisa_tls_resumed(l->tls) ? "session resumed"
                 : c->tls_client_auth      ? "server and client authenticated"
                                           : "server authenticated",
                 (unsigned long long)(log_now_ms() - t0));
    } else {
        log_info("TLS", "off: plain TCP to %s:%d", addr, port);
    }
    return BRISA_OK;
}

void link_connected(device_link *l)
{
    plat_tcp_set_cancel(&l->tcp, NULL, NULL); /* a stop now ends with DISCONNECT */
    l->open = true;
}

const brisa_mqtt_connect_options *link_connect_options(device_link *l)
{
    const device_config *c = l->cfg;
    l->will = (brisa_mqtt_will){ c->public_topic[0] ? c->public_topic : c->secret_topic,
                                 (const uint8_t *)l->will_text, strlen(l->will_text), 0, false };
    brisa_mqtt_connect_options *co = &l->co;
    memset(co, 0, sizeof *co);
    co->client_id = l->client_id;
    co->clean_session = l->clean_session;
    co->keepalive_s = (uint16_t)c->keepalive_s;
    co->username = c->username[0] ? c->username : NULL;
    co->password = c->password[0] ? (const uint8_t *)c->password : NULL;
    co->password_len = strlen(c->password);
    co->will = &l->will;
    co->protocol_level = (uint8_t)c->mqtt_version;
    co->session_expiry_s = (uint32_t)c->session_expiry_s;
    co->connack_timeout_ms = 10000;
    return co;
}

int link_open(device_link *l, const brisa_ip_addr *broker, char *why, size_t why_len)
{
    if (l->modem)
        return link_modem_open(l, why, why_len);
    const device_config *c = l->cfg;
    char addr[BRISA_IP_STR_MAX];
    brisa_ip_format(broker, addr, sizeof addr);
    int port = device_config_port(c, l->use_tls);
    int rc = link_open_transport(l, broker, why, why_len);
    if (rc < 0)
        return rc;
    /* CONNACK's wait below looks for a stop itself, in short slices: a
     * signal or the button must not wait for a hung broker's 10 s. */
    plat_tcp_set_cancel(&l->tcp, NULL, NULL);
    brisa_mqtt_set_transport(&l->mqtt, &l->transport);

    uint64_t t0 = log_now_ms();
    rc = brisa_mqtt_connect_start(&l->mqtt, link_connect_options(l));
    while (rc == BRISA_OK && !brisa_mqtt_is_connected(&l->mqtt)) {
        if (l->should_stop && l->should_stop(l->stop_user)) {
            brisa_mqtt_disconnect(&l->mqtt);
            snprintf(why, why_len, "stopped while waiting for CONNACK");
            return BRISA_ERR_CLOSED;
        }
        rc = brisa_mqtt_process(&l->mqtt, 50);
    }
    brisa_mqtt_connack ack = *brisa_mqtt_last_connack(&l->mqtt);
    if (rc == BRISA_ERR_REFUSED) {
        snprintf(why, why_len, "broker refused the connection: %s (CONNACK %u)",
                 c->mqtt_version == BRISA_MQTT_V5
                     ? brisa_mqtt_reason_str(BRISA_MQTT_CONNACK, ack.return_code)
                     : brisa_mqtt_connack_str(ack.return_code),
                 (unsigned)ack.return_code);
    } else if (rc < 0) {
        const char *detail = l->use_tls ? brisa_tls_last_error(l->tls) : "";
        snprintf(why, why_len, "MQTT CONNECT to %s:%d: %s%s%s", addr, port, brisa_err_str(rc),
                 detail[0] ? ": " : "", detail);
    }
    if (rc < 0) {
        l->transport.close(l->transport.ctx);
        return rc;
    }
    link_connected(l);
    log_info("MQTT", "connected to %s:%d as %s, MQTT %s, keepalive %d s (%llu ms)", c->broker,
             port, l->client_id,
             c->mqtt_version == BRISA_MQTT_V5 ? "5" : c->mqtt_version == BRISA_MQTT_V31 ? "3.1" : "3.1.1",
             c->keepalive_s, (unsigned long long)(log_now_ms() - t0));
    return BRISA_OK;
}

void link_close(device_link *l)
{
    if (l->modem) {
        link_modem_close(l);
        return;
    }
    if (!l->open)
        return;
    /* DISCONNECT closes the transport: TLS sends close_notify, then FIN. */
    brisa_mqtt_disconnect(&l->mqtt);
    l->open = false;
    log_info("MQTT", "disconnected%s", l->use_tls ? ", TLS closed (close_notify)" : "");
}

void link_drop(device_link *l)
{
    if (l->modem) {
        link_modem_drop(l);
        return;
    }
    if (!l->open)
        return;
    l->transport.close(l->transport.ctx);
    l->open = false;
}

bool link_subscribe(device_link *l, const char *topic, uint8_t qos, uint8_t *granted)
{
    if (l->modem)
        return link_modem_subscribe(l, topic, qos, granted);
    brisa_mqtt_subscription sub = { topic, qos };
    *granted = BRISA_MQTT_SUBACK_FAILURE;
    int rc = brisa_mqtt_subscribe_sync(&l->mqtt, &sub, 1, granted, 10000);
    if (rc < 0) {
        log_error("MQTT", "subscription to %s: %s", topic,
                  rc != BRISA_ERR_REFUSED ? brisa_err_str(rc) : "refused by the broker (SUBACK 0x80)");
        return false;
    }
    return true;
}

int link_publish(device_link *l, const char *topic, const void *payload, size_t len,
                 uint8_t qos, uint16_t *packet_id)
{
    if (packet_id)
        *packet_id = 0;
    if (l->modem)
        return link_modem_publish(l, topic, payload, len, qos);
    return brisa_mqtt_publish(&l->mqtt, topic, payload, len, qos, false, packet_id);
}

int link_process(device_link *l, uint32_t timeout_ms)
{
    return l->modem ? link_modem_process(l, timeout_ms) : brisa_mqtt_process(&l->mqtt, timeout_ms);
}

int link_wait_all(device_link *l, uint32_t timeout_ms)
{
    return l->modem ? BRISA_OK : brisa_mqtt_wait_all(&l->mqtt, timeout_ms);
}

bool link_use_store(device_link *l)
{
    const char *dir = l->cfg->store_dir;
    if (!dir[0])
        return true;
    brisa_mqtt_store st;
    if (plat_store_open(&l->store, dir, &st) != BRISA_OK) {
        log_error("STORE", "%s", plat_store_error(&l->store));
        return false;
    }
    brisa_mqtt_set_store(&l->mqtt, &st);
    int n = brisa_mqtt_restore(&l->mqtt, l->restored, sizeof l->restored);
    if (n < 0) {
        log_error("STORE", "%s", plat_store_error(&l->store)[0]
                                     ? plat_store_error(&l->store) : brisa_err_str(n));
        return n == BRISA_ERR_MALFORMED; /* damaged records are set aside, not fatal */
    }
    log_info("STORE", "%s: %d unacknowledged message%s from the last run", dir, n,
             n == 1 ? "" : "s");
    return true;
}

void link_free(device_link *l)
{
    link_close(l);
    brisa_tls_free(l->tls);
    l->tls = NULL;
}
