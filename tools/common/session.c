// SPDX-License-Identifier: MIT
/* Opening the link to the broker and the MQTT session over it. */
#include "session.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "brisa/connect.h"
#include "brisa/mqtt_codec.h"
#include "brisa/port/posix.h"
#include "brisa/tls_crypto.h"
#include "url.h"

/* Restored QoS 1/2 messages (--store) live here until acknowledged. */
#define STORE_ARENA_SIZE (8u << 20)

/* ---- signals ------------------------------------------------------------- */

static volatile sig_atomic_t stop_flag;
static volatile sig_atomic_t connected_flag;
static volatile sig_atomic_t exit_status;
static timer_t grace_timer;

static void on_alarm(int sig)
{
    (void)sig;
    _exit(exit_status);
}

/* Nothing worth a goodbye, or a second signal: leave now. Otherwise the
 * main loop has 80 ms to send DISCONNECT before the alarm ends it. */
static void on_stop(int sig)
{
    (void)sig;
    if (!connected_flag || stop_flag)
        _exit(exit_status);
    stop_flag = 1;
    struct itimerspec its = { .it_value = { .tv_sec = 0, .tv_nsec = 80 * 1000000L } };
    timer_settime(grace_timer, 0, &its, NULL);
}

void tools_signals_install(int status)
{
    exit_status = status;
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGALRM;
    timer_create(CLOCK_MONOTONIC, &sev, &grace_timer);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    sa.sa_handler = on_stop; /* no SA_RESTART: waits return early */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

bool tools_stop_requested(void)
{
    return stop_flag != 0;
}

void tools_set_connected(bool up)
{
    connected_flag = up;
}

uint64_t tools_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The TLS state as the options say: certificate, key and CRL files are
 * loaded and checked here, before any connection is made. */
static int setup_tls(const tools_opts *o, tools_link *link)
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
    if (rc != BRISA_OK) {
        tools_error(o, "TLS: %s", link->tls ? brisa_tls_last_error(link->tls)
                                            : brisa_err_str(rc));
        brisa_tls_free(link->tls);
        link->tls = NULL;
    }
    return rc;
}

/* Why a layer over TCP failed, as each has always been told: the proxy's
 * answer; "TLS with 127.0.0.1 port 8883: certificate has expired: CN=...";
 * "WebSocket with ... answer: I/O error (Connection reset by peer)". */
static void layer_failed(const tools_opts *o, tools_link *link, const brisa_connect *conn, int rc)
{
    if (conn->failed == BRISA_CONNECT_TUNNEL) {
        tools_error(o, "%s", conn->detail);
    } else if (conn->failed == BRISA_CONNECT_TLS) {
        tools_error(o, "TLS with %s port %u: %s", o->host, o->port, conn->detail);
    } else {
        const char *sys = rc == BRISA_ERR_IO || rc == BRISA_ERR_CLOSED ? tools_link_reason(link) : "";
        tools_error(o, "WebSocket with %s port %u: %s%s%s%s", o->host, o->port, conn->detail,
                    sys[0] ? " (" : "", sys, sys[0] ? ")" : "");
    }
}

/* TCP (to the proxy, when there is one), then the layers of
 * brisa/connect.h: the proxy's tunnel, TLS with link->tls as set up (if
 * any), WebSockets for ws:// and wss://. */
static int connect_link(const tools_opts *o, tools_link *link)
{
    brisa_posix_tcp_init(&link->tcp);
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
    link->clock = brisa_posix_clock();
    link->rng = brisa_posix_rng();
    bool default_port = o->port == (o->tls ? 443u : 80u);
    brisa_ws_config wc = { .host = o->host, .port = default_port ? 0 : (uint16_t)o->port,
                           .path = o->ws_path, .clock = &link->clock, .rng = &link->rng,
                           .rx_buf = link->ws_rx, .rx_size = sizeof link->ws_rx,
                           .tx_buf = link->ws_tx, .tx_size = sizeof link->ws_tx,
                           .handshake_timeout_ms = o->timeout_s * 1000u };
    brisa_connect_config cc = { .host = o->host, .port = (uint16_t)o->port,
                                .clock = &link->clock, .timeout_ms = o->timeout_s * 1000u,
                                .tunnel = via != 0, .proxy_user = proxy.user,
                                .proxy_password = proxy.password, .proxy_buf = link->ws_rx,
                                .proxy_buf_size = sizeof link->ws_rx, .tls = link->tls,
                                .ws = o->websocket ? &link->ws : NULL, .ws_cfg = &wc };
    brisa_transport tcp = brisa_posix_tcp_transport(&link->tcp);
    brisa_connect conn;
    rc = brisa_connect_layers(&conn, &cc, &tcp);
    if (rc != BRISA_OK) {
        layer_failed(o, link, &conn, rc);
        return rc;
    }
    link->ws_open = o->websocket;
    link->transport = conn.transport;
    return BRISA_OK;
}

int tools_open_transport(const tools_opts *o, tools_link *link)
{
    link->tls = NULL;
    if (o->tls && setup_tls(o, link) != BRISA_OK)
        return BRISA_ERR_TLS_CREDENTIALS;
    int rc = connect_link(o, link);
    if (rc != BRISA_OK) {
        brisa_tls_free(link->tls);
        link->tls = NULL;
    }
    return rc;
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

/* " (stalled in the middle of a SUBACK: 2 of 5 bytes)", or "". */
static const char *partial_text(bool partial, uint8_t type, size_t have, size_t total)
{
    static char text[96];
    if (!partial)
        return "";
    if (total)
        snprintf(text, sizeof text, " (stalled in the middle of a %s: %zu of %zu bytes)",
                 brisa_mqtt_packet_name(type), have, total);
    else
        snprintf(text, sizeof text, " (stalled in the middle of a %s's header)",
                 brisa_mqtt_packet_name(type));
    return text;
}

const char *tools_session_why(tools_session *s, int err)
{
    static char why[300];
    const brisa_mqtt_failure *f = brisa_mqtt_last_failure(&s->client);
    const char *type = brisa_mqtt_packet_name(f->packet_type);
    const char *stall = f->err == err ? partial_text(f->partial, f->partial_type,
                                                     f->partial_have, f->partial_total)
                                      : "";
    if (f->err == err && err == BRISA_ERR_TIMEOUT && f->packet_type == BRISA_MQTT_PINGRESP) {
        unsigned k = s->opts->keepalive_s;
        bool half = f->waited_ms > k * 1000u;
        snprintf(why, sizeof why, "no PINGRESP within %skeepalive (%u.%u s)%s",
                 half ? "1.5 x " : "", f->waited_ms / 1000u, f->waited_ms % 1000u / 100u, stall);
    } else if (f->err == err && err == BRISA_ERR_TIMEOUT && f->packet_type) {
        snprintf(why, sizeof why, "no %s within %u.%u s%s", type, f->waited_ms / 1000u,
                 f->waited_ms % 1000u / 100u, stall);
    } else if (f->err == err && err == BRISA_ERR_PROTOCOL && f->packet_id) {
        snprintf(why, sizeof why, "protocol violation: %s for packet id %u, which is not in flight",
                 type, (unsigned)f->packet_id);
    } else if (f->err == err && err == BRISA_ERR_PROTOCOL && f->packet_type) {
        snprintf(why, sizeof why, "protocol violation: the broker sent %s, which it may not send now",
                 type);
#if BRISA_MQTT5
    } else if (f->err == err && f->packet_type == BRISA_MQTT_DISCONNECT) {
        snprintf(why, sizeof why, "the broker disconnected: %s (reason 0x%02x)%s%s",
                 brisa_mqtt_reason_str(BRISA_MQTT_DISCONNECT, f->reason_code),
                 (unsigned)f->reason_code, s->reason[0] ? ": " : "", s->reason);
#endif
    } else if (f->err == err && err == BRISA_ERR_MALFORMED && f->packet_type) {
        snprintf(why, sizeof why, "malformed %s from the broker", type);
    } else {
        const char *sys = err == BRISA_ERR_IO || err == BRISA_ERR_CLOSED
                              ? tools_link_reason(&s->link) : "";
        snprintf(why, sizeof why, "%s%s%s%s", brisa_err_str(err), sys[0] ? ": " : "", sys, stall);
    }
    return why;
}

int tools_session_fail(tools_session *s, const char *doing, int err)
{
    const tools_opts *o = s->opts;
    if (err == BRISA_ERR_TIMEOUT && brisa_mqtt_is_connected(&s->client)) {
        uint8_t type;
        size_t have, total;
        bool partial = brisa_mqtt_rx_partial(&s->client, &type, &have, &total);
        tools_error(o, "%s: no answer from the broker within %u s%s", doing, o->timeout_s,
                    partial_text(partial, type, have, total));
        return TOOLS_EXIT_FAIL;
    }
    const brisa_mqtt_failure *f = brisa_mqtt_last_failure(&s->client);
    if (err == BRISA_ERR_TIMEOUT || err == BRISA_ERR_PROTOCOL || err == BRISA_ERR_MALFORMED ||
        (f->err == err && f->packet_type == BRISA_MQTT_DISCONNECT)) {
        tools_error(o, "%s: %s", doing, tools_session_why(s, err));
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

static void session_event(void *user, const brisa_mqtt_event *e)
{
    tools_session *s = user;
    const tools_opts *o = s->opts;
    switch (e->type) {
    case BRISA_MQTT_EVT_CONNACK:
        tools_set_connected(e->connack.return_code == BRISA_MQTT_CONNACK_ACCEPTED);
        break;
    case BRISA_MQTT_EVT_DISCONNECTED: {
        tools_set_connected(false);
#if BRISA_MQTT5
        brisa_mqtt_property rs;
        s->reason[0] = 0;
        if (brisa_mqtt_prop_find(&e->props, BRISA_MQTT_PROP_REASON_STRING, &rs))
            snprintf(s->reason, sizeof s->reason, "%.*s", (int)rs.data.len,
                     (const char *)rs.data.data);
#endif
        break;
    }
    case BRISA_MQTT_EVT_LOST:
        tools_error(o, "connection lost: %s", tools_session_why(s, e->err));
        break;
    case BRISA_MQTT_EVT_RECONNECTING:
        tools_error(o, "reconnecting in %u ms", (unsigned)e->delay_ms);
        break;
    case BRISA_MQTT_EVT_RECONNECTED:
        tools_error(o, "reconnected (%s%s)",
                    e->connack.session_present ? "session resumed"
                                               : "no session: subscriptions renewed",
                    s->link.tls == NULL                ? ""
                    : brisa_tls_resumed(s->link.tls) ? ", TLS session resumed"
                                                       : ", full TLS handshake");
        break;
    case BRISA_MQTT_EVT_DROPPED:
        tools_error(o, "message %u lost: the broker kept no session", (unsigned)e->packet_id);
        break;
    default:
        break;
    }
    if (s->on_event != NULL)
        s->on_event(s->user, e);
}

/* Opens a fresh link for the reconnection service. The same TLS state is
 * kept, so the new handshake offers the last session (resumption). */
static int reopen(void *user, brisa_transport *out)
{
    tools_session *s = user;
    int rc;
    if (s->link.tls != NULL) {
        brisa_tls_close(s->link.tls);
        rc = connect_link(s->opts, &s->link);
    } else {
        tools_link_close(&s->link);
        rc = tools_open_transport(s->opts, &s->link);
    }
    if (rc == BRISA_OK)
        *out = s->link.transport;
    return rc;
}

/* Waits, returning early when a signal arrives. */
static void nap(void *user, uint32_t ms)
{
    (void)user;
    if (tools_stop_requested())
        return;
    struct timespec ts = { .tv_sec = ms / 1000u, .tv_nsec = (long)(ms % 1000u) * 1000000L };
    nanosleep(&ts, NULL);
}

void tools_session_watch(tools_session *s, const brisa_mqtt_subscription *subs,
                         size_t count, brisa_mqtt_event_cb on_event)
{
    s->on_event = on_event;
    brisa_mqtt_reconnect_config rc;
    memset(&rc, 0, sizeof rc);
    rc.client = &s->client;
    rc.connect = &s->co;
    rc.open = reopen;
    rc.open_user = s;
    rc.rng = brisa_posix_rng();
    rc.sleep_ms = nap;
    rc.min_delay_ms = 250;
    rc.max_delay_ms = 5000;
    rc.subs = subs;
    rc.sub_count = count;
    s->watched = brisa_mqtt_reconnect_init(&s->rc, &rc) == BRISA_OK &&
                 brisa_mqtt_reconnect_adopt(&s->rc) == BRISA_OK;
}

#if BRISA_MQTT5
/* --scram-reauth: AUTH 0x19 once the interval has passed on a connection
 * (counted from the first call, then from each re-authentication). The
 * exchange itself runs in the client; a refusal ends the connection. */
static int reauth_due(tools_session *s)
{
    unsigned every = s->opts->scram_reauth_s;
    uint64_t now = tools_now_ms();
    if (!every || !brisa_mqtt_is_connected(&s->client))
        return BRISA_OK;
    if (s->next_reauth_ms == 0 || now < s->next_reauth_ms) {
        if (s->next_reauth_ms == 0)
            s->next_reauth_ms = now + every * 1000ull;
        return BRISA_OK;
    }
    s->next_reauth_ms = now + every * 1000ull;
    return brisa_mqtt_reauthenticate(&s->client);
}
#endif

int tools_session_run(tools_session *s, uint32_t ms)
{
    const tools_opts *o = s->opts;
#if BRISA_MQTT5
    int due = reauth_due(s);
    if (due < 0)
        return tools_session_fail(s, "re-authentication", due);
#endif
    if (!s->watched || o->exit_on_loss) {
        int rc = brisa_mqtt_process(&s->client, ms);
        if (rc < 0)
            return tools_session_fail(s, "connection lost", rc);
        return TOOLS_EXIT_OK;
    }
    int rc = brisa_mqtt_reconnect_process(&s->rc, ms);
    if (rc == BRISA_OK)
        return TOOLS_EXIT_OK;
    if (rc == BRISA_ERR_REFUSED) {
        tools_error(o, "reconnecting refused: %s (CONNACK %u)",
                    tools_connack_name(o, s->client.connack.return_code),
                    (unsigned)s->client.connack.return_code);
        return tools_refused_status(s->client.connack.return_code);
    }
    tools_error(o, "gave up reconnecting: %s", tools_session_why(s, rc));
    return TOOLS_EXIT_FAIL;
}

int tools_session_wait(tools_session *s, uint16_t id, const char *doing)
{
    uint64_t deadline = tools_now_ms() + s->opts->timeout_s * 1000u;
    for (;;) {
        if (tools_stop_requested())
            return TOOLS_EXIT_OK;
        uint64_t now = tools_now_ms();
        uint32_t slice = deadline > now ? (uint32_t)(deadline - now) : 0;
        int rc = brisa_mqtt_wait(&s->client, id, slice < 50 ? slice : 50);
        if (rc == BRISA_OK || rc == BRISA_ERR_REFUSED)
            return TOOLS_EXIT_OK;
        if (rc != BRISA_ERR_TIMEOUT || tools_now_ms() >= deadline)
            return tools_session_fail(s, doing, rc);
    }
}

/* --store: the file store, and what it kept from the last run. */
static int open_store(tools_session *s, brisa_mqtt_config *cfg)
{
    const tools_opts *o = s->opts;
    if (o->store_dir == NULL)
        return TOOLS_EXIT_OK;
    if (brisa_posix_store_open(&s->store, o->store_dir, true) != BRISA_OK) {
        tools_error(o, "--store: %s", brisa_posix_store_error(&s->store));
        return TOOLS_EXIT_FAIL;
    }
    cfg->store = brisa_posix_store_iface(&s->store);
    return TOOLS_EXIT_OK;
}

static int restore(tools_session *s)
{
    const tools_opts *o = s->opts;
    if (o->store_dir == NULL)
        return TOOLS_EXIT_OK;
    /* Lives as long as the process, reachable from the session. */
    uint8_t *arena = s->store_arena = malloc(STORE_ARENA_SIZE);
    if (arena == NULL)
        return tools_session_fail(s, "--store", BRISA_ERR_NO_SPACE);
    int n = brisa_mqtt_restore(&s->client, arena, STORE_ARENA_SIZE);
    if (n == BRISA_ERR_MALFORMED) {
        tools_error(o, "--store: %s (%u damaged record%s)", brisa_posix_store_error(&s->store),
                    s->store.corrupt, s->store.corrupt == 1 ? "" : "s");
        return TOOLS_EXIT_OK;
    }
    if (n < 0) {
        const char *why = brisa_posix_store_error(&s->store);
        tools_error(o, "--store: cannot restore: %s", why[0] ? why : brisa_err_str(n));
        return TOOLS_EXIT_FAIL;
    }
    if (n > 0 && o->debug)
        printf("Restored %d unacknowledged message%s from %s\n", n, n == 1 ? "" : "s",
               o->store_dir);
    return TOOLS_EXIT_OK;
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
        if (o->scram && ack->return_code < 0x80) {
            tools_error(o, "authentication failed: the broker's SCRAM signature did not verify "
                           "(disconnected with reason 0x87)");
            return TOOLS_EXIT_FAIL;
        }
        tools_error(o, "connection refused: %s (CONNACK %u)",
                    tools_connack_name(o, ack->return_code), (unsigned)ack->return_code);
        return tools_refused_status(ack->return_code);
    case BRISA_ERR_TIMEOUT:
        tools_error(o, "no CONNACK from %s port %u within %u s: is it an MQTT broker?",
                    o->host, o->port, o->timeout_s);
        return TOOLS_EXIT_FAIL;
    case BRISA_ERR_CLOSED:
        tools_error(o, "the broker closed the connection before CONNACK%s", hint);
        return TOOLS_EXIT_FAIL;
    case BRISA_ERR_MALFORMED:
    case BRISA_ERR_PROTOCOL:
        if (o->protocol_level != BRISA_MQTT_V5 &&
            ack->return_code > BRISA_MQTT_CONNACK_NOT_AUTHORIZED) {
            tools_error(o, "CONNACK from %s port %u carries the reserved return code %u",
                        o->host, o->port, (unsigned)ack->return_code);
            return TOOLS_EXIT_FAIL;
        }
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
    brisa_mqtt_config cfg;
    memset(&cfg, 0, sizeof cfg);
    if (open_store(s, &cfg) != TOOLS_EXIT_OK)
        return TOOLS_EXIT_FAIL;
    if (tools_open_transport(o, &s->link) != BRISA_OK)
        return TOOLS_EXIT_FAIL;

    cfg.transport = s->link.transport;
    cfg.clock = brisa_posix_clock();
    cfg.tx_buf = s->tx;
    cfg.tx_size = sizeof s->tx;
    cfg.rx_buf = s->rx;
    cfg.rx_size = sizeof s->rx;
    cfg.inflight = s->inflight;
    cfg.inflight_count = TOOLS_INFLIGHT;
    cfg.on_message = forward_message;
    cfg.on_event = session_event;
    cfg.on_trace = o->debug ? tools_trace : NULL;
    cfg.user = s;
    cfg.io_timeout_ms = o->timeout_s * 1000u;
    cfg.large_policy = BRISA_MQTT_LARGE_CHUNKED;
#if BRISA_MQTT5
    cfg.aliases = s->aliases;
    cfg.alias_count = sizeof s->aliases / sizeof s->aliases[0];
    cfg.aliases_in = s->aliases_in;
    cfg.alias_in_count = sizeof s->aliases_in / sizeof s->aliases_in[0];
#endif
    int rc = brisa_mqtt_init(&s->client, &cfg);
    if (rc != BRISA_OK) {
        tools_link_close(&s->link);
        return tools_session_fail(s, "cannot set up the MQTT client", rc);
    }
    if (restore(s) != TOOLS_EXIT_OK) {
        tools_link_close(&s->link);
        return TOOLS_EXIT_FAIL;
    }

    s->co.client_id = o->client_id;
    s->co.clean_session = o->clean_session;
    s->co.keepalive_s = (uint16_t)o->keepalive_s;
    s->co.username = o->username;
    if (o->password != NULL) {
        s->co.password = (const uint8_t *)o->password;
        s->co.password_len = strlen(o->password);
    }
    if (o->will_topic != NULL) {
        s->will.topic = o->will_topic;
        s->will.payload = (const uint8_t *)(o->will_payload ? o->will_payload : "");
        s->will.payload_len = o->will_payload ? strlen(o->will_payload) : 0;
        s->will.qos = (uint8_t)o->will_qos;
        s->will.retain = o->will_retain;
        s->co.will = &s->will;
    }
    s->co.protocol_level = o->protocol_level;
    /* Reconnection attempts wait at most 10 s for CONNACK: a dead path
     * that accepts connections must not hold one attempt for --timeout. */
    s->co.connack_timeout_ms = (o->timeout_s < 10 ? o->timeout_s : 10) * 1000u;
    /* mosquitto's default: with -c, a session that never expires. */
    s->co.session_expiry_s = o->session_expiry_s ? o->session_expiry_s
                             : o->clean_session ? 0 : UINT32_MAX;
    brisa_mqtt_properties pr;
    if (tools_props(o, TOOLS_PROP_CONNECT, &pr))
        s->co.props = pr;
#if BRISA_MQTT5
    if (o->scram) {
        /* The password is proved in the AUTH exchange, never sent. */
        brisa_crypto crypto;
        brisa_rng rng = brisa_posix_rng();
        rc = brisa_tls_crypto(o->tls_backend, &crypto);
        if (rc == BRISA_OK)
            rc = brisa_scram_init(&s->scram, &crypto, &rng, o->username,
                                  (const uint8_t *)(o->password ? o->password : ""),
                                  o->password ? strlen(o->password) : 0, NULL);
        if (rc != BRISA_OK) {
            tools_link_close(&s->link);
            return tools_session_fail(s, "SCRAM-SHA-256", rc);
        }
        brisa_scram_auth(&s->scram, &s->auth);
        s->co.auth = &s->auth;
        s->co.username = NULL;
        s->co.password = NULL;
        s->co.password_len = 0;
    }
#endif
    if (tools_props(o, TOOLS_PROP_WILL, &pr))
        s->co.will_props = pr;

    brisa_mqtt_connack ack;
    memset(&ack, 0, sizeof ack);
    rc = brisa_mqtt_connect(&s->client, &s->co, o->timeout_s * 1000u, &ack);
    if (rc != BRISA_OK) {
        int status = connect_failed(s, rc, &ack); /* while the TLS detail is there */
        tools_link_close(&s->link);
        return status;
    }
    return TOOLS_EXIT_OK;
}

void tools_session_end(tools_session *s)
{
    brisa_mqtt_properties pr;
    if (brisa_mqtt_is_connected(&s->client))
        (void)brisa_mqtt_disconnect_reason(&s->client, 0,
                                           tools_props(s->opts, TOOLS_PROP_DISCONNECT, &pr));
    tools_link_close(&s->link);
}

const brisa_mqtt_properties *tools_props(const tools_opts *o, tools_prop_cmd cmd,
                                         brisa_mqtt_properties *out)
{
    if (o->protocol_level != BRISA_MQTT_V5 || o->props_len[cmd] == 0)
        return NULL;
    memset(out, 0, sizeof *out);
    out->data = o->props[cmd];
    out->len = o->props_len[cmd];
    return out;
}

int tools_refused_status(uint8_t return_code)
{
    return return_code != 0 ? return_code : TOOLS_EXIT_FAIL;
}

const char *tools_connack_name(const tools_opts *o, uint8_t rc)
{
    if (o->protocol_level == BRISA_MQTT_V5)
        return brisa_mqtt_reason_str(BRISA_MQTT_CONNACK, rc);
    return brisa_mqtt_connack_str(rc);
}
