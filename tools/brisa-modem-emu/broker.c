// SPDX-License-Identifier: MIT
/* The broker side of the emulated module: brisa's own MQTT client over
 * brisa's TCP and TLS, with the certificates received through
 * AT+CCERTDOWN and the SSL context's settings. What the broker sends comes
 * back to the DTE as the manual's URCs. */
#include <stdlib.h>
#include <string.h>

#include "emu.h"

/* "tcp://host[:port]" (host may be "[v6]"); the port defaults to 1883. */
static bool parse_server(const char *s, char *host, size_t cap, uint16_t *port)
{
    s += 6; /* "tcp://", checked by the caller */
    const char *end, *colon;
    if (*s == '[') {
        end = strchr(s, ']');
        if (end == NULL)
            return false;
        s++;
        colon = end[1] == ':' ? end + 1 : NULL;
        if (end[1] != '\0' && colon == NULL)
            return false;
    } else {
        colon = strrchr(s, ':');
        end = colon != NULL ? colon : s + strlen(s);
    }
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= cap)
        return false;
    memcpy(host, s, n);
    host[n] = '\0';
    *port = 1883;
    if (colon != NULL) {
        char *stop;
        long p = strtol(colon + 1, &stop, 10);
        if (*stop != '\0' || p < 1 || p > 65535 || colon[1] == '\0')
            return false;
        *port = (uint16_t)p;
    }
    return true;
}

/* A certificate named in the context, from the store; else err 33. */
static int blob(emu *e, const emu_client *c, const char *what, const char *name,
                brisa_tls_blob *out)
{
    const emu_cert *cert = name[0] != '\0' ? emu_cert_find(e, name) : NULL;
    if (cert == NULL) {
        emu_log(e, "broker", "client %d: SSL context %d: %s %s%s%s", c->idx, c->ssl_ctx, what,
                name[0] ? "\"" : "not set", name, name[0] ? "\" not in the store" : "");
        return EMU_E_NO_CERT;
    }
    out->data = cert->data;
    out->len = cert->len;
    return EMU_OK;
}

static int open_tls(emu *e, emu_client *c, const char *host)
{
    const emu_ssl_ctx *s = &e->ssl[c->ssl_ctx];
    brisa_tls_config cfg;
    brisa_tls_config_init(&cfg);
    cfg.backend = BRISA_TLS_MBEDTLS; /* the module's TLS is an embedded stack */
    if (s->sslversion < 3) {
        /* brisa never offers less than TLS 1.2: the handshake cannot happen. */
        emu_log(e, "broker", "client %d: sslversion %d (below TLS 1.2) is not offered", c->idx,
                s->sslversion);
        return EMU_E_HANDSHAKE;
    }
    cfg.version = s->sslversion == 3 ? BRISA_TLS_VERSION_1_2 : BRISA_TLS_VERSION_ANY;
    /* brisa's TLS always verifies the chain, so even authmode 0 and 3
     * (no server check on the module) need the context's cacert. */
    int err = blob(e, c, "cacert", s->cacert, &cfg.ca);
    if (err == EMU_OK && s->authmode >= 2)
        err = blob(e, c, "clientcert", s->clientcert, &cfg.cert);
    if (err == EMU_OK && s->authmode >= 2)
        err = blob(e, c, "clientkey", s->clientkey, &cfg.key);
    if (err != EMU_OK)
        return err;
    /* SNI and the host-name check go together in brisa's TLS: with
     * enableSNI off only the chain is checked. */
    cfg.server_name = s->enable_sni ? host : NULL;
    cfg.insecure = !s->enable_sni || s->authmode == 0 || s->authmode == 3;
    cfg.skip_time_check = s->ignorelocaltime != 0;
    cfg.clock = &e->clock;
    /* The handshake blocks the event loop: negotiatetime, but 30 s at most. */
    cfg.handshake_timeout_ms = (uint32_t)(s->negotiatetime < 30 ? s->negotiatetime : 30) * 1000u;
    cfg.no_keylog_env = true;
    c->tls = brisa_tls_new();
    if (c->tls == NULL)
        return EMU_E_SSL_SESSION;
    int rc = brisa_tls_setup(c->tls, &cfg);
    if (rc < 0) {
        emu_log(e, "broker", "client %d: SSL context %d: %s", c->idx, c->ssl_ctx,
                brisa_tls_last_error(c->tls));
        return EMU_E_SSL_SESSION;
    }
    rc = brisa_tls_connect(c->tls, &c->transport);
    if (rc < 0) {
        emu_log(e, "broker", "client %d: TLS with %s: %s", c->idx, host,
                brisa_tls_last_error(c->tls));
        return EMU_E_HANDSHAKE;
    }
    c->transport = brisa_tls_transport(c->tls);
    emu_log(e, "broker", "client %d: %s %s", c->idx, brisa_tls_version_str(c->tls),
            brisa_tls_cipher_str(c->tls));
    return EMU_OK;
}

/* One RXTOPIC or RXPAYLOAD URC per piece: long ones are split, as the
 * module does (at EMU_RX_PIECE bytes, or what rxsplit asked). */
static void rx_pieces(emu *e, int idx, const char *what, const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t piece = e->rxsplit > 0 ? e->rxsplit : EMU_RX_PIECE;
    while (len > 0) {
        size_t n = len > piece ? piece : len;
        emu_line(e, "+CMQTTRX%s: %d,%zu", what, idx, n);
        emu_raw(e, p, n); /* the next URC's CR LF ends it */
        p += n;
        len -= n;
    }
}

static void on_message(void *user, const brisa_mqtt_message *m)
{
    emu_client *c = user;
    emu *e = c->emu;
    if (m->payload_offset == 0) {
        emu_line(e, "+CMQTTRXSTART: %d,%zu,%zu", c->idx, m->topic_len, m->payload_total);
        rx_pieces(e, c->idx, "TOPIC", m->topic, m->topic_len);
    }
    rx_pieces(e, c->idx, "PAYLOAD", m->payload, m->payload_len);
    if (m->payload_offset + m->payload_len == m->payload_total)
        emu_line(e, "+CMQTTRXEND: %d", c->idx);
}

static void on_event(void *user, const brisa_mqtt_event *ev)
{
    emu_client *c = user;
    emu *e = c->emu;
    switch (ev->type) {
    case BRISA_MQTT_EVT_PUBLISHED:
        for (int i = 0; i < EMU_PENDING_MAX; i++) {
            if (c->pubs[i].packet_id == ev->packet_id && c->pubs[i].conn == c->conn) {
                c->pubs[i].packet_id = 0;
                emu_line(e, "+CMQTTPUB: %d,0", c->idx);
            }
        }
        break;
    case BRISA_MQTT_EVT_SUBACK:
        if (ev->packet_id == c->sub_id) {
            bool refused = false;
            for (size_t i = 0; i < ev->return_code_count; i++)
                refused |= ev->return_codes[i] == BRISA_MQTT_SUBACK_FAILURE;
            c->sub_id = 0;
            emu_line(e, "+CMQTTSUB: %d,%d", c->idx, refused ? EMU_E_FAILED : EMU_OK);
        }
        break;
    case BRISA_MQTT_EVT_UNSUBACK:
        if (ev->packet_id == c->unsub_id) {
            c->unsub_id = 0;
            emu_line(e, "+CMQTTUNSUB: %d,0", c->idx);
        }
        break;
    case BRISA_MQTT_EVT_CONNACK:
        if (c->connecting && c->connect_err < 0) {
            int rc = ev->connack.return_code;
            c->connect_err = rc == 0 ? EMU_OK
                             : rc <= 5 ? EMU_E_REFUSED_BASE + rc
                                       : EMU_E_FAILED;
            if (rc != 0)
                emu_log(e, "broker", "client %d: CONNACK: %s", c->idx, brisa_mqtt_connack_str(rc));
        }
        break;
    case BRISA_MQTT_EVT_DISCONNECTED:
        if (c->connecting && c->connect_err < 0) {
            c->connect_err = ev->err == BRISA_ERR_TIMEOUT  ? EMU_E_TIMEOUT
                             : ev->err == BRISA_ERR_CLOSED ? EMU_E_CLOSED_BY_SERVER
                                                           : EMU_E_FAILED;
            emu_log(e, "broker", "client %d: no CONNACK: %s", c->idx, brisa_err_str(ev->err));
        } else if (ev->err != 0 && c->connected) {
            /* Handled once process() has returned (emu_broker_poll). */
            c->lost_cause = ev->err == BRISA_ERR_CLOSED ? 1 : 2;
            emu_log(e, "broker", "client %d: connection lost: %s", c->idx, brisa_err_str(ev->err));
        }
        break;
    default:
        break;
    }
}

static void deadlines(emu *e, emu_client *c);

int emu_broker_connect(emu *e, emu_client *c, const char *user, const char *pass)
{
    char host[256];
    uint16_t port;
    if (!parse_server(c->server, host, sizeof host, &port))
        return EMU_E_INVALID_PARAM;
    brisa_posix_tcp_init(&c->tcp);
    c->conn++;
    /* A SUBSCRIBE or UNSUBSCRIBE of a lost connection can no longer
     * complete: it fails now rather than at its deadline. */
    if (c->sub_id != 0)
        c->sub_deadline_ms = 0;
    if (c->unsub_id != 0)
        c->unsub_deadline_ms = 0;
    deadlines(e, c);
    brisa_posix_tcp_options topt = { .connect_timeout_ms = 10000 };
    int rc = brisa_posix_tcp_connect(&c->tcp, host, port, &topt);
    if (rc < 0) {
        emu_log(e, "broker", "client %d: %s", c->idx, brisa_posix_tcp_error(&c->tcp));
        return rc == BRISA_ERR_RESOLVE ? EMU_E_DNS : EMU_E_SOCK_CONNECT;
    }
    c->transport = brisa_posix_tcp_transport(&c->tcp);
    if (c->server_type == 1) {
        int err = open_tls(e, c, host);
        if (err != EMU_OK) {
            emu_broker_drop(c);
            return err;
        }
    }
    brisa_mqtt_config cfg = {
        .transport = c->transport,
        .clock = e->clock,
        .tx_buf = c->tx_buf,
        .tx_size = sizeof c->tx_buf,
        .rx_buf = c->rx_buf,
        .rx_size = sizeof c->rx_buf,
        .inflight = c->inflight,
        .inflight_count = sizeof c->inflight / sizeof c->inflight[0],
        .on_message = on_message,
        .on_event = on_event,
        .user = c,
        .io_timeout_ms = 10000,
    };
    brisa_mqtt_init(&c->mqtt, &cfg);
    brisa_mqtt_will will = {
        .topic = c->will_topic,
        .payload = c->will_msg,
        .payload_len = c->will_msg_len,
        .qos = (uint8_t)c->will_qos,
    };
    brisa_mqtt_connect_options o = {
        .client_id = c->client_id,
        .clean_session = c->clean != 0,
        .keepalive_s = (uint16_t)c->keepalive,
        .username = user,
        .password = (const uint8_t *)pass,
        .password_len = pass != NULL ? strlen(pass) : 0,
        .will = c->will_topic_len > 0 && c->has_will_msg ? &will : NULL,
    };
    o.connack_timeout_ms = 20000;
    rc = brisa_mqtt_connect_start(&c->mqtt, &o);
    if (rc < 0) {
        emu_log(e, "broker", "client %d: CONNECT: %s", c->idx, brisa_err_str(rc));
        emu_broker_drop(c);
        return EMU_E_FAILED;
    }
    /* CONNACK comes through the event loop (on_event, then
     * emu_broker_poll says +CMQTTCONNECT), so the other client and the
     * line are served meanwhile. */
    c->connecting = true;
    c->connect_err = -1;
    c->lost_cause = 0;
    emu_log(e, "broker", "client %d: CONNECT sent to %s port %u as \"%s\"", c->idx, host, port,
            c->client_id);
    return EMU_PENDING;
}

/* Ends the connection at once, with no DISCONNECT: the broker sees the
 * socket go (and sends the will), as when a module loses its network. */
void emu_broker_drop(emu_client *c)
{
    brisa_posix_tcp_close(&c->tcp);
    if (c->tls != NULL) {
        brisa_tls_free(c->tls);
        c->tls = NULL;
    }
    c->connected = false;
    c->connecting = false;
    /* Publishes, SUBSCRIBE and UNSUBSCRIBE still waiting keep their
     * deadlines: the DTE hears "+CMQTTPUB: <idx>,17" when they pass. */
}

int emu_broker_fd(const emu_client *c)
{
    /* The socket to poll; brisa_posix_tcp keeps it in a public field. */
    return c->connected || c->connecting ? c->tcp.fd : -1;
}

static void deadlines(emu *e, emu_client *c)
{
    uint64_t now = emu_now_ms(e);
    for (int i = 0; i < EMU_PENDING_MAX; i++) {
        if (c->pubs[i].packet_id != 0 && now >= c->pubs[i].deadline_ms) {
            c->pubs[i].packet_id = 0;
            emu_line(e, "+CMQTTPUB: %d,%d", c->idx, EMU_E_TIMEOUT);
        }
    }
    if (c->sub_id != 0 && now >= c->sub_deadline_ms) {
        c->sub_id = 0;
        emu_line(e, "+CMQTTSUB: %d,%d", c->idx, EMU_E_TIMEOUT);
    }
    if (c->unsub_id != 0 && now >= c->unsub_deadline_ms) {
        c->unsub_id = 0;
        emu_line(e, "+CMQTTUNSUB: %d,%d", c->idx, EMU_E_TIMEOUT);
    }
}

void emu_broker_poll(emu *e)
{
    /* While the DTE sends the bytes a prompt asked for, the broker's
     * traffic waits, so no URC lands in the middle of that exchange. */
    if (e->data_kind != EMU_DATA_NONE)
        return;
    for (int i = 0; i < EMU_CLIENTS; i++) {
        emu_client *c = &e->clients[i];
        if (c->connected || c->connecting)
            brisa_mqtt_process(&c->mqtt, 0);
        if (c->connecting && c->connect_err >= 0) {
            int err = c->connect_err;
            c->connecting = false;
            if (err == EMU_OK) {
                c->connected = true;
                emu_log(e, "broker", "client %d: connected", c->idx);
            } else {
                emu_broker_drop(c);
            }
            emu_line(e, "+CMQTTCONNECT: %d,%d", c->idx, err);
        }
        if (c->connected && c->lost_cause != 0) {
            int cause = c->lost_cause;
            c->lost_cause = 0;
            emu_broker_drop(c);
            emu_line(e, "+CMQTTCONNLOST: %d,%d", c->idx, cause);
        }
        deadlines(e, c);
    }
}
