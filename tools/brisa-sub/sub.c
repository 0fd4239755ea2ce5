// SPDX-License-Identifier: MIT
/* brisa-sub: subscribe and print what arrives, with mosquitto_sub's
 * options and output. Messages larger than the receive buffer come in
 * chunks and are printed as they come, so any size prints correctly. */
#include <stdio.h>
#include <string.h>

#include "brisa/mqtt_codec.h"
#include "format.h"
#include "modem.h"
#include "opts.h"
#include "session.h"

typedef struct sub_state {
    const tools_opts *opts;
    unsigned received;
    bool done;        /* -C reached: print nothing more */
} sub_state;

static tools_session session;
/* Renewed by the reconnection service when the broker kept no session. */
static brisa_mqtt_subscription subs[TOOLS_MAX_TOPICS];

static void on_message(void *user, const brisa_mqtt_message *m)
{
    sub_state *st = user;
    const tools_opts *o = st->opts;
    if (st->done || (o->no_stale && m->retain))
        return;
    if (!tools_print_message(stdout, o->format, o->verbose, o->no_newline, m))
        return;
    st->received++;
    if (o->count != 0 && st->received >= o->count)
        st->done = true;
}

/* SUBACK's codes, one per filter, from the client's event. */
static uint8_t granted[TOOLS_MAX_TOPICS];
static uint16_t suback_id;

static void on_event(void *user, const brisa_mqtt_event *e)
{
    (void)user;
    if (e->type == BRISA_MQTT_EVT_SUBACK && e->packet_id == suback_id && suback_id != 0)
        memcpy(granted, e->return_codes, e->return_code_count);
}

static int subscribe(const tools_opts *o)
{
    brisa_mqtt_properties pr;
    int rc = brisa_mqtt_subscribe_props(&session.client, subs, o->topic_count,
                                        tools_props(o, TOOLS_PROP_SUBSCRIBE, &pr), &suback_id);
    if (rc != BRISA_OK)
        return tools_session_fail(&session, "subscribe", rc);
    int status = tools_session_wait(&session, suback_id, "subscribe");
    suback_id = 0;
    if (status != TOOLS_EXIT_OK || tools_stop_requested())
        return status;
    size_t refused = 0;
    for (size_t i = 0; i < o->topic_count; i++) {
        if (granted[i] >= BRISA_MQTT_SUBACK_FAILURE) {
            refused++;
            tools_error(o, "subscription to '%s' refused by the broker: %s (SUBACK 0x%02x)",
                        o->topics[i],
                        o->protocol_level == BRISA_MQTT_V5
                            ? brisa_mqtt_reason_str(BRISA_MQTT_SUBACK, granted[i])
                            : "failure",
                        (unsigned)granted[i]);
        }
    }
    return refused == o->topic_count ? TOOLS_EXIT_FAIL : TOOLS_EXIT_OK;
}

/* -U, after subscribing, as mosquitto_sub does. */
static int unsubscribe(const tools_opts *o)
{
    uint16_t id;
    brisa_mqtt_properties pr;
    int rc = brisa_mqtt_unsubscribe_props(&session.client, o->unsub, o->unsub_count,
                                          tools_props(o, TOOLS_PROP_UNSUBSCRIBE, &pr), &id);
    if (rc != BRISA_OK)
        return tools_session_fail(&session, "unsubscribe", rc);
    return tools_session_wait(&session, id, "unsubscribe");
}

/* Runs the client until -C is reached, -W runs out (counted, as
 * mosquitto_sub does, from @p connected_ms), a signal asks us to stop, or
 * the connection is lost. */
static int receive(const tools_opts *o, sub_state *st, uint64_t connected_ms)
{
    uint64_t deadline = o->wait_s ? connected_ms + (uint64_t)o->wait_s * 1000u : 0;
    while (!st->done && !tools_stop_requested()) {
        uint32_t slice = 50; /* how often a signal is noticed */
        if (deadline != 0) {
            uint64_t now = tools_now_ms();
            if (now >= deadline) {
                tools_error(o, "timed out after %u s", o->wait_s);
                return TOOLS_EXIT_TIMEOUT;
            }
            if (deadline - now < slice)
                slice = (uint32_t)(deadline - now);
        }
        int rc = tools_session_run(&session, slice);
        if (rc != TOOLS_EXIT_OK)
            return rc;
    }
    return TOOLS_EXIT_OK;
}

/* Before saying goodbye, lets incoming QoS 2 flows finish: the message
 * was printed on PUBLISH, but the broker still waits for our PUBCOMP. */
static void finish_flows(const tools_opts *o)
{
    uint64_t deadline = tools_now_ms() + o->timeout_s * 1000u;
    while (brisa_mqtt_inflight_used(&session.client) > 0 && tools_now_ms() < deadline &&
           !tools_stop_requested())
        if (brisa_mqtt_process(&session.client, 50) < 0)
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
    tools_signals_install(TOOLS_EXIT_OK); /* as mosquitto_sub: a signal is a normal end */
    for (size_t i = 0; i < o.topic_count; i++) {
        subs[i].filter = o.topics[i];
        subs[i].qos = (uint8_t)(o.qos | (o.no_local ? BRISA_MQTT_SUB_NO_LOCAL : 0) |
                                (o.retain_as_published ? BRISA_MQTT_SUB_RETAIN_AS_PUBLISHED : 0) |
                                BRISA_MQTT_SUB_RETAIN_HANDLING(o.retain_handling));
    }

    sub_state st = { .opts = &o, .received = 0, .done = false };
    if (o.modem)
        return tools_modem_sub(&o, on_message, &st, &st.done, tools_stop_requested);
    status = tools_session_connect(&session, &o, on_message, &st);
    if (status != TOOLS_EXIT_OK)
        return status;
    session.on_event = on_event;
    uint64_t connected_ms = tools_now_ms();
    status = o.topic_count ? subscribe(&o) : TOOLS_EXIT_OK;
    if (status == TOOLS_EXIT_OK && o.unsub_count)
        status = unsubscribe(&o);
    if (status == TOOLS_EXIT_OK) {
        tools_session_watch(&session, subs, o.topic_count, on_event);
        status = receive(&o, &st, connected_ms);
    }
    if (status == TOOLS_EXIT_OK)
        finish_flows(&o);
    tools_session_end(&session);
    return status;
}
