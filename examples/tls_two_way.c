// SPDX-License-Identifier: MIT
/* Example: MQTT over two-way TLS with brisa's blocking calls.
 *
 * Connects to a broker with a device certificate, subscribes to a topic,
 * publishes one QoS 1 message on it and waits for the broker to deliver it
 * back. Built only on the installed headers, so it also shows what a
 * program outside brisa's tree links (see examples/CMakeLists.txt).
 *
 *   tls_two_way mbedtls|openssl HOST PORT CA_FILE CERT_FILE KEY_FILE [TOPIC]
 *
 * Exit status 0 when the message came back, 1 otherwise, 3 when the TLS
 * library asked for is not linked into this program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/mqtt.h"
#include "brisa/port/posix.h"
#include "brisa/port/posix_tcp.h"
#include "brisa/tls.h"
#include "brisa/version.h"

static int received;

static void on_message(void *user, const brisa_mqtt_message *msg)
{
    (void)user;
    printf("received on %.*s: %.*s\n", (int)msg->topic_len, msg->topic,
           (int)msg->payload_len, (const char *)msg->payload);
    received = 1;
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: %s mbedtls|openssl HOST PORT CA CERT KEY [TOPIC]\n", argv[0]);
        return 2;
    }
    const char *topic = argc > 7 ? argv[7] : "brisa/example";
    printf("brisa %s (headers %s)\n", brisa_version(), BRISA_VERSION_STRING);

    /* The TLS engine: only those whose library was linked are available. */
    brisa_tls_config tc;
    brisa_tls_config_init(&tc);
    if (brisa_tls_backend_parse(argv[1], &tc.backend) != BRISA_OK) {
        fprintf(stderr, "unknown TLS engine '%s'\n", argv[1]);
        return 2;
    }
    if (!brisa_tls_backend_available(tc.backend)) {
        fprintf(stderr, "TLS engine %s is not linked into this program\n", argv[1]);
        return 3;
    }

    /* TCP, then TLS over it. The clock must outlive the TLS connection. */
    static brisa_posix_tcp tcp;
    brisa_posix_tcp_init(&tcp);
    if (brisa_posix_tcp_connect(&tcp, argv[2], (uint16_t)atoi(argv[3]), NULL) != BRISA_OK) {
        fprintf(stderr, "cannot %s\n", brisa_posix_tcp_error(&tcp));
        return 1;
    }
    brisa_transport tcp_t = brisa_posix_tcp_transport(&tcp);
    brisa_clock clock = brisa_posix_clock();
    tc.server_name = argv[2];
    tc.ca_file = argv[4];
    tc.cert_file = argv[5];
    tc.key_file = argv[6];
    tc.clock = &clock;
    brisa_tls *tls = brisa_tls_new();
    if (tls == NULL || brisa_tls_setup(tls, &tc) != BRISA_OK ||
        brisa_tls_connect(tls, &tcp_t) != BRISA_OK) {
        fprintf(stderr, "TLS: %s\n", tls ? brisa_tls_last_error(tls) : "out of memory");
        brisa_tls_free(tls);
        return 1;
    }

    /* MQTT over the TLS transport: every buffer comes from the caller. */
    static uint8_t tx[1024], rx[1024];
    static brisa_mqtt_inflight inflight[4];
    static brisa_mqtt_client client;
    brisa_mqtt_config mc;
    memset(&mc, 0, sizeof mc);
    mc.transport = brisa_tls_transport(tls);
    mc.clock = clock;
    mc.tx_buf = tx;
    mc.tx_size = sizeof tx;
    mc.rx_buf = rx;
    mc.rx_size = sizeof rx;
    mc.inflight = inflight;
    mc.inflight_count = 4;
    mc.on_message = on_message;
    brisa_mqtt_connect_options co;
    memset(&co, 0, sizeof co);
    co.client_id = "";
    co.clean_session = true;
    co.keepalive_s = 30;
    brisa_mqtt_connack ack;
    int rc = brisa_mqtt_init(&client, &mc);
    if (rc == BRISA_OK)
        rc = brisa_mqtt_connect(&client, &co, 5000, &ack);
    brisa_mqtt_subscription sub = { topic, 1 };
    uint8_t granted;
    if (rc == BRISA_OK)
        rc = brisa_mqtt_subscribe_sync(&client, &sub, 1, &granted, 5000);
    uint16_t id;
    const char *text = "hello from an installed brisa";
    if (rc == BRISA_OK)
        rc = brisa_mqtt_publish(&client, topic, text, strlen(text), 1, false, &id);
    if (rc == BRISA_OK)
        rc = brisa_mqtt_wait(&client, id, 5000);
    for (int i = 0; rc == BRISA_OK && !received && i < 50; i++)
        rc = brisa_mqtt_process(&client, 100);
    if (rc != BRISA_OK)
        fprintf(stderr, "MQTT: %s\n", brisa_err_str(rc));
    if (brisa_mqtt_is_connected(&client))
        brisa_mqtt_disconnect(&client);
    mc.transport.close(mc.transport.ctx);
    brisa_tls_free(tls);
    return received ? 0 : 1;
}
