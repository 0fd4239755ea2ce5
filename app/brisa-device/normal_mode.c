// SPDX-License-Identifier: MIT
/* Normal mode: subscribe to the secret topic, obey LED commands, publish
 * events and the date and time on the public topic, until the button. */
#include <stdio.h>
#include <string.h>

#include "brisa/err.h"
#include "brisa/mqtt_reconnect.h"
#include "brisa/sntp.h"
#include "commands.h"
#include "device.h"
#include "log.h"

#define QUEUE_LEN 16
#define EVENT_MAX 160

/* Commands are queued by the message callback and carried out after
 * brisa_mqtt_process() returns, so publishing never re-enters the client. */
typedef struct normal_state {
    device *d;
    device_link link;
    command queue[QUEUE_LEN];
    char unknown[QUEUE_LEN][64];
    size_t unknown_len[QUEUE_LEN];
    size_t head, count;
    unsigned dropped;
    /* QoS 1/2 events until acknowledged: the client resends from here
     * after a reconnection, so the text must outlive publish_event(). */
    char pending[LINK_INFLIGHT][EVENT_MAX];
    uint16_t pending_id[LINK_INFLIGHT]; /* 0: free */
    bool reconnected; /* by the reconnection service: start the session again */
} normal_state;

static void on_secret(void *user, const brisa_mqtt_message *m)
{
    normal_state *s = user;
    /* Commands are short: only a whole message is a command. */
    if (m->payload_offset != 0 || m->payload_len != m->payload_total || m->payload_total > 63) {
        if (m->payload_offset + m->payload_len == m->payload_total)
            log_error("CMD", "ignored a %zu-byte message on the secret topic", m->payload_total);
        return;
    }
    log_info("CMD", "received \"%.*s\"", (int)m->payload_len, (const char *)m->payload);
    if (s->count == QUEUE_LEN) {
        s->dropped++;
        return;
    }
    size_t slot = (s->head + s->count++) % QUEUE_LEN;
    s->queue[slot] = command_parse((const char *)m->payload, m->payload_len, BOARD_LEDS);
    memcpy(s->unknown[slot], m->payload, m->payload_len);
    s->unknown_len[slot] = m->payload_len;
}

static void on_other(void *user, const brisa_mqtt_message *m)
{
    (void)user;
    log_debug("MQTT", "message on unexpected topic '%.*s'", (int)m->topic_len, m->topic);
}

/* An event is reported sent once the broker has it (PUBACK/PUBCOMP), and
 * lost when the broker kept no session for it. */
static void event_settled(normal_state *s, const brisa_mqtt_event *e)
{
    for (size_t i = 0; i < LINK_INFLIGHT; i++) {
        if (s->pending_id[i] != e->packet_id || e->packet_id == 0)
            continue;
        if (e->type == BRISA_MQTT_EVT_PUBLISHED)
            log_info("EVENT", "%s -> %s", s->pending[i], s->d->cfg.public_topic);
        else
            log_error("EVENT", "%s lost: the broker kept no session", s->pending[i]);
        s->pending_id[i] = 0;
        return;
    }
}

static void on_event(void *user, const brisa_mqtt_event *e)
{
    normal_state *s = user;
    if (e->type == BRISA_MQTT_EVT_PUBLISHED || e->type == BRISA_MQTT_EVT_DROPPED)
        event_settled(s, e);
    /* A refused CONNECT is reported by the boot step, not as a loss. */
    if (e->type == BRISA_MQTT_EVT_DISCONNECTED && e->err && s->link.open)
        log_error("MQTT", "connection lost: %s", brisa_err_str(e->err));
    if (e->type == BRISA_MQTT_EVT_LOST)
        s->link.open = false;
    if (e->type == BRISA_MQTT_EVT_RECONNECTING)
        log_info("MQTT", "reconnecting in %u ms", (unsigned)e->delay_ms);
    if (e->type == BRISA_MQTT_EVT_RECONNECTED) {
        log_info("MQTT", "reconnected (%s)", e->connack.session_present ? "session present"
                                                                        : "no session");
        link_connected(&s->link);
        s->reconnected = true;
    }
}

static void publish_event(normal_state *s, const char *text)
{
    const device_config *c = &s->d->cfg;
    size_t slot = 0;
    if (c->qos > 0) {
        while (slot < LINK_INFLIGHT && s->pending_id[slot] != 0)
            slot++;
        if (slot == LINK_INFLIGHT) {
            log_error("EVENT", "cannot publish %s: %s", text, brisa_err_str(BRISA_ERR_BUSY));
            return;
        }
        snprintf(s->pending[slot], sizeof s->pending[slot], "%s", text);
        text = s->pending[slot];
    }
    uint16_t id = 0;
    int rc = link_publish(&s->link, c->public_topic, text, strlen(text), (uint8_t)c->qos, &id);
    if (rc < 0)
        log_error("EVENT", "cannot publish %s: %s", text, brisa_err_str(rc));
    else if (id != 0)
        s->pending_id[slot] = id; /* logged when acknowledged (event_settled) */
    else
        log_info("EVENT", "%s -> %s", text, c->public_topic);
}

static void publish_time(normal_state *s)
{
    int64_t now;
    const brisa_clock *clk = &s->d->net.clock;
    char text[EVENT_MAX], when[64];
    if (!clk->wall_ms(clk->ctx, &now)) {
        publish_event(s, "[TIME UNKNOWN]");
        return;
    }
    brisa_sntp_format_time(now, s->d->cfg.gmt_offset_min, when, sizeof when);
    snprintf(text, sizeof text, "[TIME %s]", when);
    publish_event(s, text);
}

static void set_led(normal_state *s, int led, bool on)
{
    board *b = &s->d->board;
    if (board_set_led(b, led, on) != 0) {
        log_error("LED", "cannot drive LED%d", led + 1);
        return;
    }
    char text[EVENT_MAX];
    event_led(text, sizeof text, led, on);
    publish_event(s, text);
}

static void run_command(normal_state *s, const command *cmd, const char *raw, size_t raw_len)
{
    board *b = &s->d->board;
    char text[EVENT_MAX];
    switch (cmd->kind) {
    case CMD_LED_ON:
    case CMD_LED_OFF:
        set_led(s, cmd->led, cmd->kind == CMD_LED_ON);
        break;
    case CMD_LED_TOGGLE:
        set_led(s, cmd->led, !b->led[cmd->led]);
        break;
    case CMD_ALL_ON:
    case CMD_ALL_OFF:
        for (int i = 0; i < BOARD_LEDS; i++)
            set_led(s, i, cmd->kind == CMD_ALL_ON);
        break;
    case CMD_STATUS:
        event_status(text, sizeof text, b->led, BOARD_LEDS);
        publish_event(s, text);
        break;
    case CMD_TIME:
        publish_time(s);
        break;
    case CMD_INVALID:
        event_unknown(text, sizeof text, raw, raw_len);
        publish_event(s, text);
        break;
    }
}

static void drain_commands(normal_state *s)
{
    while (s->count > 0) {
        size_t slot = s->head;
        s->head = (s->head + 1) % QUEUE_LEN;
        s->count--;
        run_command(s, &s->queue[slot], s->unknown[slot], s->unknown_len[slot]);
    }
    if (s->dropped) {
        log_error("CMD", "%u commands dropped (queue full)", s->dropped);
        s->dropped = 0;
    }
}

/* Subscribes and announces the device; false if the broker refused. */
static bool start_session(normal_state *s)
{
    const device_config *c = &s->d->cfg;
    uint8_t granted;
    if (!link_subscribe(&s->link, c->secret_topic, (uint8_t)c->qos, &granted))
        return false;
    log_info("MQTT", "subscribed to secret topic %s (granted QoS %u)", c->secret_topic,
             (unsigned)granted);
    char text[EVENT_MAX], addr[BRISA_IP_STR_MAX] = "host network";
    if (s->d->net.have_lease)
        brisa_ip_format(&s->d->net.lease.address, addr, sizeof addr);
    snprintf(text, sizeof text, "[ONLINE %s %s]", c->platform, addr);
    publish_event(s, text);
    publish_time(s);
    return true;
}

/* Publishes the time when its interval has come. */
static void time_due(normal_state *s, uint64_t *next_time)
{
    if (log_now_ms() < *next_time)
        return;
    publish_time(s);
    *next_time += (uint64_t)s->d->cfg.time_interval_s * 1000u;
}

/* Over the SIM7600 (its own MQTT client): a lost connection is retried
 * after the library's backoff (full jitter, from 0.5 s up to
 * retry_delay), reset by a stable connection, going through the boot's
 * link step again. Returns the exit status. */
static int run_modem(normal_state *s)
{
    device *d = s->d;
    brisa_mqtt_backoff backoff = { 500, (uint32_t)d->cfg.retry_delay_s * 1000u, 0 };
    bool up = true; /* the caller connected and started the session */
    while (!device_should_stop(d)) {
        if (!up && !device_boot_link(d, &s->link))
            return d->stopping ? 0 : 1;
        if (!up && !start_session(s)) {
            link_drop(&s->link);
            if (device_sleep(d, (unsigned)d->cfg.retry_delay_s * 1000u))
                break;
            continue;
        }
        up = true;
        uint64_t up_since = log_now_ms();
        uint64_t next_time = up_since + (uint64_t)d->cfg.time_interval_s * 1000u;
        while (!device_should_stop(d)) {
            int rc = link_process(&s->link, 50);
            drain_commands(s);
            if (rc < 0) {
                link_drop(&s->link);
                up = false;
                if (log_now_ms() - up_since >= 30000u)
                    backoff.attempt = 0;
                uint32_t delay = brisa_mqtt_backoff_next(&backoff, &d->net.rng);
                log_info("MQTT", "connection lost: %s; reconnecting in %u ms", brisa_err_str(rc),
                         (unsigned)delay);
                device_sleep(d, delay);
                break;
            }
            time_due(s, &next_time);
            net_poll(&d->net);
        }
    }
    return 0;
}

/* The reconnection service's open(): the broker's name resolved again
 * (it may have moved), then TCP and the layers over it. */
static int reopen(void *user, brisa_transport *out)
{
    normal_state *s = user;
    device *d = s->d;
    char why[512] = "";
    int rc = net_resolve(&d->net, d->cfg.broker, &d->broker_ip, why, sizeof why);
    if (rc == BRISA_OK)
        rc = link_open_transport(&s->link, &d->broker_ip, why, sizeof why);
    if (rc == BRISA_OK) {
        *out = s->link.transport;
        return BRISA_OK;
    }
    if (rc == BRISA_ERR_CANCELLED)
        log_info("MQTT", "%s", why);
    else
        log_error(s->link.use_tls ? "TLS" : "MQTT", "%s", why);
    return rc;
}

static void nap(void *user, uint32_t ms)
{
    device_sleep(((normal_state *)user)->d, ms);
}

/* Over brisa's client: the library's reconnection service (backoff with
 * full jitter from 0.5 s up to retry_delay, reset after 30 s up; the
 * in-flight messages resent from the session and the file store). After
 * each reconnection the session is started again (subscription, ONLINE,
 * time). Returns the exit status. */
static int run_reconnecting(normal_state *s)
{
    device *d = s->d;
    brisa_mqtt_reconnect r;
    brisa_mqtt_reconnect_config rc = { .client = &s->link.mqtt, .connect = &s->link.co,
                                       .open = reopen, .open_user = s, .rng = d->net.rng,
                                       .sleep_ms = nap, .sleep_user = s, .min_delay_ms = 500,
                                       .max_delay_ms = (uint32_t)d->cfg.retry_delay_s * 1000u };
    if (brisa_mqtt_reconnect_init(&r, &rc) != BRISA_OK || brisa_mqtt_reconnect_adopt(&r) != BRISA_OK)
        return 1;
    uint64_t next_time = log_now_ms() + (uint64_t)d->cfg.time_interval_s * 1000u;
    while (!device_should_stop(d)) {
        int err = brisa_mqtt_reconnect_process(&r, 50);
        drain_commands(s);
        if (err < 0) {
            log_error("MQTT", "gave up reconnecting: %s", brisa_err_str(err));
            return 1;
        }
        if (s->reconnected) {
            s->reconnected = false;
            if (!start_session(s))
                link_drop(&s->link); /* the service tries again */
        }
        if (s->link.open)
            time_due(s, &next_time);
        net_poll(&d->net);
    }
    s->link.open = brisa_mqtt_is_connected(&s->link.mqtt);
    return 0;
}

int device_run_normal(device *d)
{
    static normal_state s; /* large buffers: keep them off the stack */
    memset(&s, 0, sizeof s);
    s.d = d;
    link_handlers h = { on_other, on_event, &s, true };
    link_init(&s.link, &d->cfg, &d->net.clock, d->cfg.tls, &h);
    brisa_mqtt_route_add(&s.link.mqtt, d->cfg.secret_topic, on_secret, &s);
    if (!link_use_store(&s.link)) {
        link_free(&s.link);
        return 1;
    }

    log_info("READY", "normal mode; commands on %s: LED<n> ON|OFF|TOGGLE, ALL ON|OFF, "
             "STATUS, TIME; the button ends", d->cfg.secret_topic);

    /* The first connection is the boot's last step (its retries, its
     * max_boot_attempts); later ones are the reconnection's. */
    int status = 0;
    bool up = false;
    while (!up && !device_should_stop(d)) {
        if (!device_boot_link(d, &s.link)) {
            status = d->stopping ? 0 : 1;
            break;
        }
        up = start_session(&s);
        if (!up) {
            link_drop(&s.link);
            if (device_sleep(d, (unsigned)d->cfg.retry_delay_s * 1000u))
                break;
        }
    }
    if (up)
        status = s.link.modem ? run_modem(&s) : run_reconnecting(&s);
    if (s.link.open) {
        publish_event(&s, d->stop_by_button ? "[BUTTON PRESSED, BYE]" : "[STOPPING, BYE]");
        link_wait_all(&s.link, 2000);
    }
    link_free(&s.link);
    return status;
}
