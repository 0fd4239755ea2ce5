/* brisa-sub: subscribe and print what arrives, with mosquitto_sub's
 * options and output. Messages larger than the receive buffer come in
 * chunks and are printed as they come, so any size prints correctly. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "opts.h"
#include "session.h"

typedef struct sub_state {
    const tools_opts *opts;
    unsigned received;
    bool done;        /* -C reached: print nothing more */
} sub_state;

static tools_session session;
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void on_message(void *user, const brisa_mqtt_message *m)
{
    sub_state *st = user;
    const tools_opts *o = st->opts;
    if (st->done || (o->no_stale && m->retain))
        return;
    if (m->payload_offset == 0 && o->verbose) {
        fwrite(m->topic, 1, m->topic_len, stdout);
        fputs(m->payload_total == 0 ? " (null)" : " ", stdout);
    }
    fwrite(m->payload, 1, m->payload_len, stdout);
    if (m->payload_offset + m->payload_len < m->payload_total)
        return;
    if (!o->no_newline)
        fputc('\n', stdout);
    fflush(stdout);
    st->received++;
    if (o->count != 0 && st->received >= o->count)
        st->done = true;
}

static int subscribe(const tools_opts *o)
{
    brisa_mqtt_subscription subs[TOOLS_MAX_TOPICS];
    uint8_t granted[TOOLS_MAX_TOPICS];
    for (size_t i = 0; i < o->topic_count; i++) {
        subs[i].filter = o->topics[i];
        subs[i].qos = (uint8_t)o->qos;
    }
    int rc = brisa_mqtt_subscribe_sync(&session.client, subs, o->topic_count, granted,
                                       o->timeout_s * 1000u);
    if (rc != BRISA_OK && rc != BRISA_ERR_REFUSED) /* refused: granted says which */
        return tools_session_fail(&session, "subscribe", rc);
    size_t refused = 0;
    for (size_t i = 0; i < o->topic_count; i++) {
        if (granted[i] == BRISA_MQTT_SUBACK_FAILURE) {
            refused++;
            tools_error(o, "subscription to '%s' refused by the broker (SUBACK 0x80)",
                        o->topics[i]);
        }
    }
    return refused == o->topic_count ? TOOLS_EXIT_FAIL : TOOLS_EXIT_OK;
}

/* Runs the client until -C is reached, -W runs out (counted, as
 * mosquitto_sub does, from @p connected_ms), a signal asks us to stop, or
 * the connection is lost. */
static int receive(const tools_opts *o, sub_state *st, uint64_t connected_ms)
{
    uint64_t deadline = o->wait_s ? connected_ms + (uint64_t)o->wait_s * 1000u : 0;
    while (!st->done && !stop_requested) {
        uint32_t slice = 200; /* how often a signal is noticed */
        if (deadline != 0) {
            uint64_t now = tools_now_ms();
            if (now >= deadline) {
                tools_error(o, "timed out after %u s", o->wait_s);
                return TOOLS_EXIT_TIMEOUT;
            }
            if (deadline - now < slice)
                slice = (uint32_t)(deadline - now);
        }
        int rc = brisa_mqtt_process(&session.client, slice);
        if (rc < 0)
            return tools_session_fail(&session, "connection lost", rc);
    }
    return TOOLS_EXIT_OK;
}

/* Before saying goodbye, lets incoming QoS 2 flows finish: the message
 * was printed on PUBLISH, but the broker still waits for our PUBCOMP. */
static void finish_flows(const tools_opts *o)
{
    uint64_t deadline = tools_now_ms() + o->timeout_s * 1000u;
    while (brisa_mqtt_inflight_used(&session.client) > 0 && tools_now_ms() < deadline)
        if (brisa_mqtt_process(&session.client, 100) < 0)
            return;
}

int main(int argc, char **argv)
{
    tools_opts o;
    int status = tools_opts_parse(&o, TOOLS_SUB, "brisa-sub", argc, argv);
    if (status != 0)
        return status;
    if (o.help) {
        tools_opts_usage(&o);
        return TOOLS_EXIT_OK;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    sub_state st = { .opts = &o, .received = 0, .done = false };
    status = tools_session_connect(&session, &o, on_message, &st);
    if (status != TOOLS_EXIT_OK)
        return status;
    uint64_t connected_ms = tools_now_ms();
    status = subscribe(&o);
    if (status == TOOLS_EXIT_OK)
        status = receive(&o, &st, connected_ms);
    if (status == TOOLS_EXIT_OK)
        finish_flows(&o);
    tools_session_end(&session);
    return status;
}
