// SPDX-License-Identifier: MIT
/* Fuzz target: the AT engine and the SIM7600 driver reading whatever a
 * modem (or line noise) sends. The input is the module's side of the
 * serial line, cut into reads of 1..16 bytes by its first byte; the
 * driver runs bring-up, a TLS connect with a will, a certificate upload, a
 * publish, a subscribe, the time query, a certificate list, a process
 * call, unsubscribe, DISC, REL and STOP over it. Every delivered message must fit what its
 * +CMQTTRXSTART announced; anything else traps. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "brisa/sim7600.h"
#include "../unit/mqtt_fakes.h"

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond))                                                        \
            __builtin_trap();                                               \
    } while (0)

static void on_message(void *user, int client, const brisa_mqtt_message *m)
{
    (void)user;
    CHECK(client == 0 || client == 1);
    CHECK(m->topic_len >= 1 && m->topic_len <= BRISA_SIM7600_TOPIC_MAX);
    CHECK(m->payload_offset + m->payload_len <= m->payload_total);
    CHECK(m->payload_total <= BRISA_SIM7600_PAYLOAD_MAX);
    volatile uint8_t sink = 0;
    for (size_t i = 0; i < m->payload_len; i++)
        sink ^= m->payload[i];
    (void)sink;
}

static void on_name(void *user, const char *name, size_t len)
{
    (void)user;
    CHECK(len < 128);
    (void)name;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static fake_clock clk;
    static fake_transport ft;
    static brisa_sim7600 m;
    static char line[128], topic[1024];
    static uint8_t payload[100];
    clk.now = 0;
    fake_transport_init(&ft, &clk);
    ft.max_read = (size_t)(data[0] % 16) + 1;
    ft.eof_when_empty = true;
    fake_feed(&ft, 0, data + 1, size - 1);
    brisa_sim7600_config cfg = {
        .serial = fake_transport_iface(&ft), .clock = fake_clock_iface(&clk),
        .line_buf = line, .line_size = sizeof line,
        .topic_buf = topic, .topic_size = sizeof topic,
        .payload_buf = payload, .payload_size = sizeof payload,
        .on_message = on_message,
    };
    CHECK(brisa_sim7600_init(&m, &cfg) == BRISA_OK);
    brisa_sim7600_net net = { .apn = "internet", .register_timeout_ms = 2000 };
    brisa_sim7600_bringup(&m, &net);
    static const brisa_sim7600_server srv = { .host = "broker", .port = 8883, .tls = true };
    static const brisa_mqtt_will will = { .topic = "w", .payload = (const uint8_t *)"gone",
                                          .payload_len = 4, .qos = 1 };
    static const brisa_mqtt_connect_options co = { .client_id = "fz", .keepalive_s = 60,
                                                   .will = &will };
    brisa_sim7600_connect(&m, data[0] & 1, &srv, &co);
    brisa_sim7600_cert_ensure(&m, "ca.pem", (const uint8_t *)"pem", 3, NULL);
    brisa_sim7600_publish(&m, 0, "/test/1", "HoLa", 4, 1, false);
    brisa_sim7600_subscribe(&m, 1, "/SIM/#", 1);
    int64_t t;
    brisa_sim7600_time(&m, NULL, &t);
    brisa_sim7600_cert_list(&m, on_name, NULL);
    brisa_sim7600_process(&m, 10);
    brisa_sim7600_unsubscribe(&m, 1, "/SIM/#");
    brisa_sim7600_disconnect(&m, 0);
    brisa_sim7600_release(&m, 0);
    brisa_sim7600_mqtt_stop(&m);
    char what[64];
    brisa_sim7600_describe(&m, BRISA_ERR_REFUSED, what, sizeof what);
    CHECK(strlen(what) < sizeof what);
    fake_transport_free(&ft);
    return 0;
}
