/* Opening the link to the broker and the MQTT session over it. */
#include "session.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "brisa/posix.h"
#include "brisa/proxy.h"
#include "url.h"

uint64_t tools_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* TLS over the TCP connection in link->transport, as the options say. */
static int open_tls(const tools_opts *o, tools_link *link)
{
    link->clock = brisa_posix_clock();
    brisa_tls_config cfg;
    brisa_tls_config_init(&cfg);
    cfg.backend = o->tls_backend;
    cfg.version = o->tls_ver;
    cfg.server_name = o->host;
    cfg.ca_file = o->cafile;
    cfg.ca_path = o->capath;
    cfg.cert_file = o->certfile;
    cfg.key_file = o->keyfile;
    cfg.key_form = o->key_form;
    cfg.key_password = o->key_password;
    cfg.crl_file = o->crlfile;
    cfg.insecure = o->insecure;
    cfg.ciphers = o->ciphers;
    cfg.alpn = o->alpn;
    cfg.ocsp = o->ocsp_policy;
    cfg.keylog_file = o->keylog;
    cfg.clock = &link->clock;
    cfg.handshake_timeout_ms = o->timeout_s * 1000u;
    cfg.debug_level = (int)o->tls_debug;
    cfg.debug_cb = brisa_tls_log_file;
    cfg.debug_user = stderr;
    link->tls = brisa_tls_new();
    int rc = link->tls == NULL ? BRISA_ERR_NO_SPACE : brisa_tls_setup(link->tls, &cfg);
    if (rc == BRISA_OK)
        rc = brisa_tls_connect(link->tls, &link->transport);
    else
        link->transport.close(link->transport.ctx);
    if (rc != BRISA_OK) {
        /* "TLS with 127.0.0.1 port 8883: certificate has expired: CN=..." */
        tools_error(o, "TLS with %s port %u: %s", o->host, o->port,
                    brisa_tls_last_error(link->tls));
        brisa_tls_free(link->tls);
        link->tls = NULL;
        return rc;
    }
    link->transport = brisa_tls_transport(link->tls);
    return BRISA_OK;
}

/* The CONNECT tunnel through the proxy the TCP connection reaches. */
static int open_tunnel(const tools_opts *o, tools_link *link, const brisa_url *proxy)
{
    brisa_clock clock = brisa_posix_clock();
    brisa_proxy_config pc = { .host = o->host, .port = (uint16_t)o->port,
                              .user = proxy->user, .password = proxy->password,
                              .clock = &clock, .buf = link->ws_rx,
                              .size = sizeof link->ws_rx,
                              .timeout_ms = o->timeout_s * 1000u };
    char detail[200];
    int rc = brisa_proxy_connect(&link->transport, &pc, detail, sizeof detail);
    if (rc != BRISA_OK) {
        /* "proxy refused the tunnel to broker:1883: 'HTTP/1.1 403 Forbidden'" */
        tools_error(o, "%s", detail);
        link->transport.close(link->transport.ctx);
    }
    return rc;
}

/* WebSockets over link->transport (TCP or TLS). */
static int open_ws(const tools_opts *o, tools_link *link)
{
    link->clock = brisa_posix_clock();
    link->rng = brisa_posix_rng();
    bool default_port = o->port == (o->tls ? 443u : 80u);
    brisa_ws_config wc = { .host = o->host, .port = default_port ? 0 : (uint16_t)o->port,
                           .path = o->ws_path, .clock = &link->clock, .rng = &link->rng,
                           .rx_buf = link->ws_rx, .rx_size = sizeof link->ws_rx,
                           .tx_buf = link->ws_tx, .tx_size = sizeof link->ws_tx,
                           .handshake_timeout_ms = o->timeout_s * 1000u };
    int rc = brisa_ws_init(&link->ws, &wc);
    if (rc == BRISA_OK)
        rc = brisa_ws_connect(&link->ws, &link->transport);
    else
        link->transport.close(link->transport.ctx);
    if (rc != BRISA_OK) {
        /* "... answer: I/O error (Connection reset by peer)" */
        const char *sys = rc == BRISA_ERR_IO || rc == BRISA_ERR_CLOSED ? tools_link_reason(link) : "";
        tools_error(o, "WebSocket with %s port %u: %s%s%s%s", o->host, o->port,
                    brisa_ws_last_error(&link->ws), sys[0] ? " (" : "", sys, sys[0] ? ")" : "");
        brisa_tls_free(link->tls);
        link->tls = NULL;
        return rc;
    }
    link->ws_open = true;
    link->transport = brisa_ws_transport(&link->ws);
    return BRISA_OK;
}

int tools_open_transport(const tools_opts *o, tools_link *link)
{
    brisa_posix_tcp_init(&link->tcp);
    link->tls = NULL;
    link->ws_open = false;
    brisa_url proxy;
    char proxy_buf[512];
    int via = tools_proxy_for(o, proxy_buf, sizeof proxy_buf, &proxy);
    if (via < 0)
        return BRISA_ERR_INVALID_ARG;
    brisa_posix_tcp_options to = { .connect_timeout_ms = o->timeout_s * 1000u,
                                   .family = o->family };
    int rc = via ? brisa_posix_tcp_connect(&link->tcp, proxy.host, (uint16_t)proxy.port, &to)
                 : brisa_posix_tcp_connect(&link->tcp, o->host, (uint16_t)o->port, &to);
    if (rc != BRISA_OK) {
        /* "cannot connect to 127.0.0.1 port 1: Connection refused" */
        tools_error(o, "cannot %s%s", brisa_posix_tcp_error(&link->tcp),
                    via ? " (the proxy)" : "");
        return rc;
    }
    link->transport = brisa_posix_tcp_transport(&link->tcp);
    if (via && (rc = open_tunnel(o, link, &proxy)) != BRISA_OK)
        return rc;
    if (o->tls && (rc = open_tls(o, link)) != BRISA_OK)
        return rc;
    return o->websocket ? open_ws(o, link) : BRISA_OK;
}

void tools_link_close(tools_link *link)
{
    link->transport.close(link->transport.ctx);
    link->ws_open = false;
    brisa_tls_free(link->tls);
    link->tls = NULL;
    /* The TLS transport's context is gone: a second close reaches TCP's,
     * which may be closed again. */
    link->transport = brisa_posix_tcp_transport(&link->tcp);
}

const char *tools_link_reason(const tools_link *link)
{
    return brisa_posix_tcp_reason(&link->tcp);
}

int tools_session_fail(tools_session *s, const char *doing, int err)
{
    const tools_opts *o = s->opts;
    if (err == BRISA_ERR_TIMEOUT) {
        tools_error(o, "%s: no answer from the broker within %u s", doing, o->timeout_s);
        return TOOLS_EXIT_FAIL;
    }
    if (s->link.tls != NULL && err <= BRISA_ERR_TLS && err > BRISA_ERR_DHCP_NAK) {
        /* found after the handshake: a TLS 1.3 broker refusing our certificate */
        tools_error(o, "%s: %s", doing, brisa_tls_last_error(s->link.tls));
        return TOOLS_EXIT_FAIL;
    }
    if (s->link.ws_open && (err == BRISA_ERR_MALFORMED || err == BRISA_ERR_CLOSED) &&
        brisa_ws_last_error(&s->link.ws)[0] != '\0') {
        tools_error(o, "%s: %s", doing, brisa_ws_last_error(&s->link.ws));
        return TOOLS_EXIT_FAIL;
    }
    const char *sys = "";
    if (err == BRISA_ERR_IO || err == BRISA_ERR_CLOSED)
        sys = tools_link_reason(&s->link);
    tools_error(o, "%s: %s%s%s", doing, brisa_err_str(err), sys[0] ? ": " : "", sys);
    return TOOLS_EXIT_FAIL;
}

static void forward_message(void *user, const brisa_mqtt_message *msg)
{
    tools_session *s = user;
    if (s->on_message != NULL)
        s->on_message(s->user, msg);
}

/* A TLS listener answers a plaintext CONNECT by closing, resetting or
 * sending an alert record: say what is the likely cause. */
static const char *tls_port_hint(const tools_opts *o, int rc)
{
    if (o->tls)
        return "";
    if (rc == BRISA_ERR_CLOSED || rc == BRISA_ERR_IO || rc == BRISA_ERR_MALFORMED)
        return " (if this is a TLS port, add --cafile)";
    return "";
}

static int connect_failed(tools_session *s, int rc, const brisa_mqtt_connack *ack)
{
    const tools_opts *o = s->opts;
    const char *hint = tls_port_hint(o, rc);
    switch (rc) {
    case BRISA_ERR_REFUSED:
        tools_error(o, "connection refused: %s (CONNACK %u)",
                    brisa_mqtt_connack_str(ack->return_code), (unsigned)ack->return_code);
        return TOOLS_EXIT_FAIL;
    case BRISA_ERR_TIMEOUT:
        tools_error(o, "no CONNACK from %s port %u within %u s: is it an MQTT broker?",
                    o->host, o->port, o->timeout_s);
        return TOOLS_EXIT_FAIL;
    case BRISA_ERR_CLOSED:
        tools_error(o, "the broker closed the connection before CONNACK%s", hint);
        return TOOLS_EXIT_FAIL;
    case BRISA_ERR_MALFORMED:
    case BRISA_ERR_PROTOCOL:
        tools_error(o, "invalid answer to CONNECT from %s port %u: %s%s", o->host, o->port,
                    brisa_err_str(rc), hint);
        return TOOLS_EXIT_FAIL;
    case BRISA_ERR_NO_SPACE:
        tools_error(o, "CONNECT does not fit in %u bytes: will or credentials too long",
                    (unsigned)TOOLS_TX_SIZE);
        return TOOLS_EXIT_FAIL;
    default:
        if (hint[0]) {
            tools_error(o, "connect: %s: %s%s", brisa_err_str(rc), tools_link_reason(&s->link),
                        hint);
            return TOOLS_EXIT_FAIL;
        }
        return tools_session_fail(s, "connect", rc);
    }
}

int tools_session_connect(tools_session *s, const tools_opts *o,
                          brisa_mqtt_message_cb on_message, void *user)
{
    memset(s, 0, sizeof *s);
    s->opts = o;
    s->on_message = on_message;
    s->user = user;
    if (tools_open_transport(o, &s->link) != BRISA_OK)
        return TOOLS_EXIT_FAIL;

    brisa_mqtt_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.transport = s->link.transport;
    cfg.clock = brisa_posix_clock();
    cfg.tx_buf = s->tx;
    cfg.tx_size = sizeof s->tx;
    cfg.rx_buf = s->rx;
    cfg.rx_size = sizeof s->rx;
    cfg.inflight = s->inflight;
    cfg.inflight_count = TOOLS_INFLIGHT;
    cfg.on_message = forward_message;
    cfg.on_trace = o->debug ? tools_trace : NULL;
    cfg.user = s;
    cfg.io_timeout_ms = o->timeout_s * 1000u;
    cfg.large_policy = BRISA_MQTT_LARGE_CHUNKED;
    int rc = brisa_mqtt_init(&s->client, &cfg);
    if (rc != BRISA_OK) {
        tools_link_close(&s->link);
        return tools_session_fail(s, "cannot set up the MQTT client", rc);
    }

    brisa_mqtt_connect_options co;
    memset(&co, 0, sizeof co);
    co.client_id = o->client_id;
    co.clean_session = o->clean_session;
    co.keepalive_s = (uint16_t)o->keepalive_s;
    co.username = o->username;
    if (o->password != NULL) {
        co.password = (const uint8_t *)o->password;
        co.password_len = strlen(o->password);
    }
    if (o->will_topic != NULL) {
        s->will.topic = o->will_topic;
        s->will.payload = (const uint8_t *)(o->will_payload ? o->will_payload : "");
        s->will.payload_len = o->will_payload ? strlen(o->will_payload) : 0;
        s->will.qos = (uint8_t)o->will_qos;
        s->will.retain = o->will_retain;
        co.will = &s->will;
    }
    co.protocol_level = o->protocol_level;

    brisa_mqtt_connack ack;
    memset(&ack, 0, sizeof ack);
    rc = brisa_mqtt_connect(&s->client, &co, o->timeout_s * 1000u, &ack);
    if (rc != BRISA_OK) {
        int status = connect_failed(s, rc, &ack); /* while the TLS detail is there */
        tools_link_close(&s->link);
        return status;
    }
    return TOOLS_EXIT_OK;
}

void tools_session_end(tools_session *s)
{
    if (brisa_mqtt_is_connected(&s->client))
        (void)brisa_mqtt_disconnect(&s->client);
    tools_link_close(&s->link);
}
