// SPDX-License-Identifier: MIT
/* brisa-rr: one MQTT 5 request and its response, like mosquitto_rr.
 * Subscribes to the response topic (-e), publishes the request (-t, -m)
 * with that Response Topic (and the -D publish properties, so a
 * correlation-data given there comes back), prints the first response
 * and exits. Everything else is brisa-pub's options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/mqtt_codec.h"
#include "format.h"
#include "opts.h"
#include "session.h"

#define RR_MAX_ARGS 256

typedef struct rr_opts {
    const char *response_topic; /* -e */
    unsigned wait_s;            /* -W (default: 10) */
    const char *format;         /* -F */
    bool verbose, no_newline;   /* -v, -N */
    bool no_local;              /* --no-local */
} rr_opts;

static tools_session session;
static bool answered;
static const rr_opts *rr;

static void on_message(void *user, const brisa_mqtt_message *m)
{
    (void)user;
    if (answered)
        return;
    if (!tools_print_message(stdout, rr->format, rr->verbose, rr->no_newline, m))
        return;
    answered = true;
}

/* Takes brisa-rr's own options out of argv; the rest are brisa-pub's.
 * -V 5 is implied. Returns 0 or TOOLS_EXIT_USAGE. */
static int split_args(int argc, char **argv, rr_opts *r, int *out_argc, char **out)
{
    int n = 0;
    bool version = false;
    out[n++] = argv[0];
    r->wait_s = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool takes = !strcmp(a, "-e") || !strcmp(a, "-W") || !strcmp(a, "-F");
        if (takes && i + 1 >= argc) {
            fprintf(stderr, "brisa-rr: option %s needs an argument (see brisa-rr --help)\n", a);
            return TOOLS_EXIT_USAGE;
        }
        if (!strcmp(a, "-e")) {
            r->response_topic = argv[++i];
        } else if (!strcmp(a, "-W")) {
            r->wait_s = (unsigned)strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(a, "-F")) {
            r->format = argv[++i];
        } else if (!strcmp(a, "-v")) {
            r->verbose = true;
        } else if (!strcmp(a, "-N")) {
            r->no_newline = true;
        } else if (!strcmp(a, "--no-local")) {
            r->no_local = true;
        } else if (n + 2 < RR_MAX_ARGS) {
            version |= !strcmp(a, "-V");
            out[n++] = argv[i];
        }
    }
    if (!version && n + 2 < RR_MAX_ARGS) {
        out[n++] = (char *)"-V";
        out[n++] = (char *)"5";
    }
    *out_argc = n;
    return 0;
}

static void usage(const tools_opts *o)
{
    printf("brisa-rr sends one MQTT 5 request and prints its response.\n\n"
           "Usage: brisa-rr -t request-topic -e response-topic -m message [options]\n\n"
           "  -e topic               response topic: subscribed to, and sent as the\n"
           "                         request's Response Topic\n"
           "  -W seconds             give up after this long without a response (default: 10)\n"
           "  -F format, -v, -N      print the response as brisa-sub does\n"
           "  --no-local             the broker does not send us our own request (for a\n"
           "                         response topic that is also the request topic)\n\n"
           "and brisa-pub's options:\n\n");
    tools_opts_usage(o);
}

int main(int argc, char **argv)
{
    static char *args[RR_MAX_ARGS];
    static rr_opts r;
    int n;
    if (split_args(argc, argv, &r, &n, args) != 0)
        return TOOLS_EXIT_USAGE;
    rr = &r;
    static tools_opts o;
    int status = tools_opts_parse(&o, TOOLS_PUB, "brisa-rr", n, args);
    if (status != 0)
        return status;
    if (o.help) {
        usage(&o);
        return TOOLS_EXIT_OK;
    }
    if (o.protocol_level != BRISA_MQTT_V5 || !r.response_topic || r.wait_s == 0 ||
        (o.source != TOOLS_MSG_ARG && o.source != TOOLS_MSG_NULL)) {
        tools_error(&o, "%s (see brisa-rr --help)",
                    o.protocol_level != BRISA_MQTT_V5 ? "request/response needs MQTT 5 (-V 5)"
                    : !r.response_topic               ? "no response topic: use -e TOPIC"
                    : r.wait_s == 0                   ? "-W needs a number of seconds"
                                                      : "the request is -m TEXT or -n");
        return TOOLS_EXIT_USAGE;
    }
    brisa_mqtt_property rt = { .id = BRISA_MQTT_PROP_RESPONSE_TOPIC,
                               .data = { (const uint8_t *)r.response_topic,
                                         strlen(r.response_topic) } };
    size_t *used = &o.props_len[TOOLS_PROP_PUBLISH];
    if (brisa_mqtt_prop_put(o.props[TOOLS_PROP_PUBLISH], TOOLS_PROP_BYTES, used, &rt) != 0 ||
        !brisa_mqtt_topic_valid(r.response_topic, strlen(r.response_topic))) {
        tools_error(&o, "invalid response topic '%s'", r.response_topic);
        return TOOLS_EXIT_USAGE;
    }
    tools_signals_install(TOOLS_EXIT_FAIL);
    status = tools_session_connect(&session, &o, on_message, NULL);
    if (status != TOOLS_EXIT_OK)
        return status;
    brisa_mqtt_subscription sub = {
        r.response_topic, (uint8_t)(o.qos | (r.no_local ? BRISA_MQTT_SUB_NO_LOCAL : 0))
    };
    uint16_t id;
    int rc = brisa_mqtt_subscribe(&session.client, &sub, 1, &id);
    if (rc == BRISA_OK)
        status = tools_session_wait(&session, id, "subscribe");
    else
        status = tools_session_fail(&session, "subscribe", rc);
    brisa_mqtt_properties pr;
    const char *text = o.source == TOOLS_MSG_ARG ? o.message : "";
    if (status == TOOLS_EXIT_OK) {
        rc = brisa_mqtt_publish_props(&session.client, o.topics[0], text, strlen(text),
                                      (uint8_t)o.qos, o.retain,
                                      tools_props(&o, TOOLS_PROP_PUBLISH, &pr), NULL);
        if (rc != BRISA_OK)
            status = tools_session_fail(&session, "publish", rc);
    }
    uint64_t deadline = tools_now_ms() + (uint64_t)r.wait_s * 1000u;
    while (status == TOOLS_EXIT_OK && !answered && !tools_stop_requested()) {
        if (tools_now_ms() >= deadline) {
            tools_error(&o, "no response on '%s' within %u s", r.response_topic, r.wait_s);
            status = TOOLS_EXIT_TIMEOUT;
            break;
        }
        status = tools_session_run(&session, 50);
    }
    tools_session_end(&session);
    return status;
}
