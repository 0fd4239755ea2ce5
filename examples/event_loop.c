// SPDX-License-Identifier: MIT
/* Example: brisa's MQTT client in an event loop, nothing blocking.
 *
 * The program owns the loop: brisa_mqtt_connect_start sends CONNECT, and
 * every later step is taken in on_event when the broker's answer arrives
 * (CONNACK -> SUBSCRIBE, SUBACK -> PUBLISH; once both the PUBACK and our
 * own message are back, in whichever order the broker sends them,
 * DISCONNECT). brisa_mqtt_process(c, 0) only handles
 * what has arrived, so the loop could wait on other sources too (here it
 * just sleeps 10 ms, counting its turns).
 *
 *   event_loop HOST PORT
 *
 * Exit status 0 when the message came back and the client disconnected. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "brisa/mqtt.h"
#include "brisa/port/posix.h"
#include "brisa/port/posix_tcp.h"

static brisa_mqtt_client client;
static int failed, done, acked, received;

/* Callbacks may publish, subscribe and disconnect (not process or wait). */
static void finish_when_both(void)
{
    if (acked && received)
        brisa_mqtt_disconnect(&client);
}

static void on_event(void *user, const brisa_mqtt_event *e)
{
    (void)user;
    static const brisa_mqtt_subscription sub = { "example/loop", 1 };
    switch (e->type) {
    case BRISA_MQTT_EVT_CONNACK:
        printf("connected (CONNACK %u)\n", (unsigned)e->connack.return_code);
        if (brisa_mqtt_subscribe(&client, &sub, 1, NULL) != BRISA_OK)
            failed = 1;
        break;
    case BRISA_MQTT_EVT_SUBACK:
        printf("subscribed, granted QoS %u\n", (unsigned)e->return_codes[0]);
        if (e->return_codes[0] == BRISA_MQTT_SUBACK_FAILURE ||
            brisa_mqtt_publish(&client, "example/loop", "tick", 4, 1, false, NULL) != BRISA_OK)
            failed = 1;
        break;
    case BRISA_MQTT_EVT_PUBLISHED:
        printf("published, packet %u acknowledged\n", (unsigned)e->packet_id);
        acked = 1;
        finish_when_both();
        break;
    case BRISA_MQTT_EVT_DISCONNECTED:
        printf("disconnected: %s\n", e->err ? brisa_err_str(e->err) : "as asked");
        done = 1;
        break;
    default:
        break;
    }
}

static void on_message(void *user, const brisa_mqtt_message *m)
{
    (void)user;
    printf("message on %.*s: %.*s\n", (int)m->topic_len, m->topic, (int)m->payload_len,
           (const char *)m->payload);
    received = 1;
    finish_when_both();
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s HOST PORT\n", argv[0]);
        return 2;
    }
    static brisa_posix_tcp tcp;
    brisa_posix_tcp_init(&tcp);
    if (brisa_posix_tcp_connect(&tcp, argv[1], (uint16_t)atoi(argv[2]), NULL) != BRISA_OK) {
        fprintf(stderr, "cannot %s\n", brisa_posix_tcp_error(&tcp));
        return 1;
    }
    static uint8_t tx[256], rx[256];
    static brisa_mqtt_inflight inflight[4];
    brisa_mqtt_config cfg = {
        .transport = brisa_posix_tcp_transport(&tcp),
        .clock = brisa_posix_clock(),
        .tx_buf = tx, .tx_size = sizeof tx,
        .rx_buf = rx, .rx_size = sizeof rx,
        .inflight = inflight, .inflight_count = 4,
        .on_message = on_message,
        .on_event = on_event,
    };
    brisa_mqtt_connect_options co = { .client_id = "example-loop", .clean_session = true,
                                      .keepalive_s = 30 };
    if (brisa_mqtt_init(&client, &cfg) != BRISA_OK ||
        brisa_mqtt_connect_start(&client, &co) != BRISA_OK) {
        fprintf(stderr, "cannot send CONNECT\n");
        return 1;
    }
    int turns = 0;
    while (!done && !failed && turns < 500) {
        int rc = brisa_mqtt_process(&client, 0);
        if (rc != BRISA_OK && rc != BRISA_ERR_STATE) {
            fprintf(stderr, "MQTT: %s\n", brisa_err_str(rc));
            return 1;
        }
        /* Anything else the program does goes here. */
        nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
        turns++;
    }
    printf("%d turns of the loop\n", turns);
    return done && !failed ? 0 : 1;
}
