// SPDX-License-Identifier: MIT
/* Example: publish and subscribe with brisa's blocking calls over TCP.
 *
 * Routes messages by topic (brisa_mqtt_route_add), subscribes with
 * brisa_mqtt_subscribe_sync, publishes one message at each QoS and waits
 * for each acknowledgement, then for the broker to deliver the three back.
 *
 *   pubsub_blocking HOST PORT
 *
 * Prints each message received; exit status 0 when all three came back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/mqtt.h"
#include "brisa/port/posix.h"
#include "brisa/port/posix_tcp.h"

static int readings, alarms;

static void on_reading(void *user, const brisa_mqtt_message *m)
{
    (void)user;
    printf("reading %.*s = %.*s (QoS %u)\n", (int)m->topic_len, m->topic,
           (int)m->payload_len, (const char *)m->payload, (unsigned)m->qos);
    readings++;
}

static void on_alarm(void *user, const brisa_mqtt_message *m)
{
    (void)user;
    printf("ALARM %.*s\n", (int)m->payload_len, (const char *)m->payload);
    alarms++;
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

    /* Buffers, in-flight table and routes belong to the caller. */
    static uint8_t tx[512], rx[512];
    static brisa_mqtt_inflight inflight[8];
    static brisa_mqtt_route routes[2];
    static brisa_mqtt_client c;
    brisa_mqtt_config cfg = {
        .transport = brisa_posix_tcp_transport(&tcp),
        .clock = brisa_posix_clock(),
        .tx_buf = tx, .tx_size = sizeof tx,
        .rx_buf = rx, .rx_size = sizeof rx,
        .inflight = inflight, .inflight_count = 8,
        .routes = routes, .route_count = 2,
    };
    brisa_mqtt_connect_options co = { .client_id = "example-blocking", .clean_session = true,
                                      .keepalive_s = 30 };
    brisa_mqtt_connack ack;
    int rc = brisa_mqtt_init(&c, &cfg);
    if (rc == BRISA_OK)
        rc = brisa_mqtt_connect(&c, &co, 5000, &ack);
    if (rc == BRISA_OK)
        rc = brisa_mqtt_route_add(&c, "example/readings/+", on_reading, NULL);
    if (rc == BRISA_OK)
        rc = brisa_mqtt_route_add(&c, "example/alarm", on_alarm, NULL);

    /* BRISA_ERR_REFUSED here would mean the broker refused a filter. */
    brisa_mqtt_subscription subs[] = { { "example/readings/+", 2 }, { "example/alarm", 1 } };
    uint8_t granted[2];
    if (rc == BRISA_OK)
        rc = brisa_mqtt_subscribe_sync(&c, subs, 2, granted, 5000);

    /* QoS 0 is done on return; QoS 1 and 2 are done when wait says so. */
    static const char *const values[] = { "20.5", "21.0" };
    for (uint8_t qos = 0; rc == BRISA_OK && qos <= 2; qos++) {
        uint16_t id = 0;
        if (qos < 2)
            rc = brisa_mqtt_publish(&c, qos ? "example/readings/t2" : "example/readings/t1",
                                    values[qos], strlen(values[qos]), qos, false, &id);
        else
            rc = brisa_mqtt_publish(&c, "example/alarm", "door open", 9, qos, false, &id);
        if (rc == BRISA_OK && qos > 0)
            rc = brisa_mqtt_wait(&c, id, 5000);
    }
    for (int i = 0; rc == BRISA_OK && readings + alarms < 3 && i < 50; i++)
        rc = brisa_mqtt_process(&c, 100);
    if (rc != BRISA_OK)
        fprintf(stderr, "MQTT: %s\n", brisa_err_str(rc));
    brisa_mqtt_disconnect(&c);
    return readings == 2 && alarms == 1 ? 0 : 1;
}
