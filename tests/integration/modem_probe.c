// SPDX-License-Identifier: MIT
/* modem_probe: drives the SIM7600 driver through a serial port for the
 * modem integration tests and the round-trip measurement.
 *
 *   modem_probe echo DEVICE HOST PORT CLIENT_ID IN_TOPIC OUT_TOPIC COUNT
 *       persistent session (clean 0), QoS 1: each message on IN_TOPIC is
 *       published again as "echo:<payload>" on OUT_TOPIC. A lost
 *       connection is reconnected (what the device does) and unfinished
 *       echoes are sent again; exits 0 after COUNT echoes.
 *   modem_probe both DEVICE HOST PORT
 *       clients 0 and 1 connected at once, each subscribed to its own
 *       topic; each publishes to the other's; both must receive. Then
 *       client 0 unsubscribes and must receive nothing more.
 *   modem_probe rtt DEVICE HOST PORT N
 *   modem_probe rtt-tcp - HOST PORT N
 *       N QoS 1 publishes one after the other, each timed until its
 *       PUBACK: through the modem, or brisa's own client over TCP.
 *       Prints min / median / mean / max in milliseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "brisa/mqtt.h"
#include "brisa/port/posix.h"
#include "brisa/port/posix_serial.h"
#include "brisa/port/posix_tcp.h"
#include "brisa/sim7600.h"

#define MAX_PENDING 64

static brisa_posix_serial serial;
static brisa_sim7600 m;
static char line[256], topic[BRISA_SIM7600_TOPIC_MAX];
static uint8_t payload[BRISA_SIM7600_PAYLOAD_MAX];
static char pending[MAX_PENDING][128];
static size_t npending;
static int lost_client = -1;
static int got[2];
static char want_topic[2][32];

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void die(const char *what, int err)
{
    const brisa_sim7600_error *e = brisa_sim7600_error_get(&m);
    fprintf(stderr, "modem_probe: %s: %s (%s, code %d: %s)\n", what, brisa_err_str(err),
            e->command ? e->command : "-", e->code,
            e->kind == BRISA_SIM7600_ERRK_MQTT ? brisa_sim7600_err_str(e->code) : "");
    exit(1);
}

static void on_message(void *user, int client, const brisa_mqtt_message *msg)
{
    (void)user;
    if (msg->payload_offset + msg->payload_len != msg->payload_total)
        return; /* the probe's messages are small */
    printf("got %d %.*s %.*s\n", client, (int)msg->topic_len, msg->topic,
           (int)msg->payload_len, (const char *)msg->payload);
    fflush(stdout);
    if (client >= 0 && client < 2 && msg->topic_len == strlen(want_topic[client]) &&
        !memcmp(msg->topic, want_topic[client], msg->topic_len))
        got[client]++;
    if (npending < MAX_PENDING && msg->payload_len < 100)
        snprintf(pending[npending++], sizeof pending[0], "echo:%.*s", (int)msg->payload_len,
                 (const char *)msg->payload);
}

static void on_event(void *user, const brisa_sim7600_event *e)
{
    (void)user;
    if (e->type == BRISA_SIM7600_EVT_CONNLOST) {
        printf("lost %d: %s\n", e->client, brisa_sim7600_connlost_str(e->code));
        fflush(stdout);
        lost_client = e->client;
    }
}

static void open_modem(const char *dev)
{
    char path[256];
    uint32_t baud;
    if (brisa_posix_serial_parse(dev, path, sizeof path, &baud) < 0 ||
        brisa_posix_serial_open(&serial, path, baud, false) < 0) {
        fprintf(stderr, "modem_probe: %s\n", brisa_posix_serial_error(&serial));
        exit(1);
    }
    brisa_sim7600_config cfg = {
        .serial = brisa_posix_serial_transport(&serial), .clock = brisa_posix_clock(),
        .line_buf = line, .line_size = sizeof line,
        .topic_buf = topic, .topic_size = sizeof topic,
        .payload_buf = payload, .payload_size = sizeof payload,
        .on_message = on_message, .on_event = on_event, .mqtt_timeout_s = 10,
    };
    brisa_sim7600_init(&m, &cfg);
    int rc = brisa_sim7600_bringup(&m, NULL);
    if (rc)
        die("bring-up", rc);
    rc = brisa_sim7600_mqtt_start(&m);
    if (rc)
        die("CMQTTSTART", rc);
}

static int echo(char **argv)
{
    open_modem(argv[2]);
    brisa_sim7600_server srv = { .host = argv[3], .port = (uint16_t)atoi(argv[4]) };
    brisa_mqtt_connect_options o = { .client_id = argv[5], .keepalive_s = 60 };
    const char *in = argv[6], *out = argv[7];
    int count = atoi(argv[8]), done = 0;
    int rc = brisa_sim7600_connect(&m, 0, &srv, &o);
    if (!rc)
        rc = brisa_sim7600_subscribe(&m, 0, in, 1);
    if (rc)
        die("connect/subscribe", rc);
    printf("ready\n");
    fflush(stdout);
    uint64_t give_up = now_ms() + 60000;
    while (done < count && now_ms() < give_up) {
        if (lost_client == 0 || !brisa_sim7600_is_connected(&m, 0)) {
            /* The device's policy: wait a little, then connect again with
             * the same persistent session. */
            usleep(300 * 1000);
            brisa_sim7600_process(&m, 0);
            if (brisa_sim7600_reconnect(&m, 0) == BRISA_OK) {
                lost_client = -1;
                printf("reconnected\n");
                fflush(stdout);
            }
            continue;
        }
        if (npending) {
            rc = brisa_sim7600_publish(&m, 0, out, pending[0], strlen(pending[0]), 1, false);
            if (rc == BRISA_OK) {
                done++;
                memmove(pending[0], pending[1], (npending - 1) * sizeof pending[0]);
                npending--;
            } else {
                printf("publish failed, kept for later: %s\n",
                       brisa_sim7600_err_str(brisa_sim7600_error_get(&m)->code));
                fflush(stdout);
            }
            continue;
        }
        rc = brisa_sim7600_process(&m, 100);
        if (rc)
            die("process", rc);
    }
    brisa_sim7600_disconnect(&m, 0);
    brisa_sim7600_release(&m, 0);
    brisa_sim7600_mqtt_stop(&m);
    return done == count ? 0 : 1;
}

static int both(char **argv)
{
    open_modem(argv[2]);
    brisa_sim7600_server srv = { .host = argv[3], .port = (uint16_t)atoi(argv[4]) };
    brisa_mqtt_connect_options o[2] = {
        { .client_id = "probe-idx0", .keepalive_s = 60, .clean_session = true },
        { .client_id = "probe-idx1", .keepalive_s = 60, .clean_session = true },
    };
    for (int i = 0; i < 2; i++) {
        snprintf(want_topic[i], sizeof want_topic[i], "probe/to%d", i);
        int rc = brisa_sim7600_connect(&m, i, &srv, &o[i]);
        if (!rc)
            rc = brisa_sim7600_subscribe(&m, i, want_topic[i], 1);
        if (rc)
            die("connect/subscribe", rc);
    }
    for (int i = 0; i < 2; i++) {
        char text[32];
        snprintf(text, sizeof text, "from%d", i);
        int rc = brisa_sim7600_publish(&m, i, want_topic[1 - i], text, strlen(text), 1, false);
        if (rc)
            die("publish", rc);
    }
    uint64_t until = now_ms() + 10000;
    while ((got[0] < 1 || got[1] < 1) && now_ms() < until)
        brisa_sim7600_process(&m, 100);
    /* Client 0 unsubscribes: client 1's next message must not reach it,
     * while a message to client 1 (sent after it) still does. */
    int rc = brisa_sim7600_unsubscribe(&m, 0, want_topic[0]);
    if (rc)
        die("unsubscribe", rc);
    rc = brisa_sim7600_publish(&m, 1, want_topic[0], "late", 4, 1, false);
    if (!rc)
        rc = brisa_sim7600_publish(&m, 0, want_topic[1], "after", 5, 1, false);
    if (rc)
        die("publish", rc);
    until = now_ms() + 10000;
    while (got[1] < 2 && now_ms() < until)
        brisa_sim7600_process(&m, 100);
    brisa_sim7600_process(&m, 200);
    for (int i = 0; i < 2; i++) {
        brisa_sim7600_disconnect(&m, i);
        brisa_sim7600_release(&m, i);
    }
    brisa_sim7600_mqtt_stop(&m);
    printf("client 0 got %d, client 1 got %d\n", got[0], got[1]);
    return got[0] == 1 && got[1] == 2 ? 0 : 1;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *name, uint64_t *us, int n)
{
    qsort(us, (size_t)n, sizeof *us, cmp_u64);
    uint64_t sum = 0;
    for (int i = 0; i < n; i++)
        sum += us[i];
    printf("%s: %d QoS 1 publishes, round trip ms: min %.2f median %.2f mean %.2f max %.2f\n",
           name, n, us[0] / 1000.0, us[n / 2] / 1000.0, (double)sum / n / 1000.0,
           us[n - 1] / 1000.0);
}

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int rtt(char **argv, bool tcp)
{
    int n = atoi(argv[5]);
    if (n < 1 || n > 100000)
        return 2;
    static uint64_t us[100000]; /* n at most; static: no early return leaks it */
    static const char msg[16] = "0123456789abcdef";
    if (!tcp) {
        open_modem(argv[2]);
        brisa_sim7600_server srv = { .host = argv[3], .port = (uint16_t)atoi(argv[4]) };
        brisa_mqtt_connect_options o = { .client_id = "probe-rtt", .keepalive_s = 60,
                                         .clean_session = true };
        int rc = brisa_sim7600_connect(&m, 0, &srv, &o);
        if (rc)
            die("connect", rc);
        for (int i = 0; i < n; i++) {
            uint64_t t0 = now_us();
            rc = brisa_sim7600_publish(&m, 0, "probe/rtt", msg, sizeof msg, 1, false);
            if (rc)
                die("publish", rc);
            us[i] = now_us() - t0;
        }
        brisa_sim7600_disconnect(&m, 0);
        brisa_sim7600_release(&m, 0);
        brisa_sim7600_mqtt_stop(&m);
        report("modem (driver - pty - emulator - broker)", us, n);
    } else {
        static brisa_posix_tcp tcpc;
        static brisa_mqtt_client c;
        static uint8_t tx[4096], rx[4096];
        static brisa_mqtt_inflight inflight[4];
        brisa_posix_tcp_init(&tcpc);
        if (brisa_posix_tcp_connect(&tcpc, argv[3], (uint16_t)atoi(argv[4]), NULL) < 0) {
            fprintf(stderr, "modem_probe: %s\n", brisa_posix_tcp_error(&tcpc));
            return 1;
        }
        brisa_mqtt_config cfg = {
            .transport = brisa_posix_tcp_transport(&tcpc), .clock = brisa_posix_clock(),
            .tx_buf = tx, .tx_size = sizeof tx, .rx_buf = rx, .rx_size = sizeof rx,
            .inflight = inflight, .inflight_count = 4,
        };
        brisa_mqtt_init(&c, &cfg);
        brisa_mqtt_connect_options o = { .client_id = "probe-rtt-tcp", .keepalive_s = 60,
                                         .clean_session = true };
        if (brisa_mqtt_connect(&c, &o, 10000, NULL) != BRISA_OK)
            return 1;
        for (int i = 0; i < n; i++) {
            uint16_t id;
            uint64_t t0 = now_us();
            if (brisa_mqtt_publish(&c, "probe/rtt", msg, sizeof msg, 1, false, &id) ||
                brisa_mqtt_wait(&c, id, 10000))
                return 1;
            us[i] = now_us() - t0;
        }
        brisa_mqtt_disconnect(&c);
        report("direct (brisa MQTT over TCP)", us, n);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 9 && !strcmp(argv[1], "echo"))
        return echo(argv);
    if (argc == 5 && !strcmp(argv[1], "both"))
        return both(argv);
    if (argc == 6 && !strcmp(argv[1], "rtt"))
        return rtt(argv, false);
    if (argc == 6 && !strcmp(argv[1], "rtt-tcp"))
        return rtt(argv, true);
    fprintf(stderr, "usage: see the comment at the top of modem_probe.c\n");
    return 2;
}
