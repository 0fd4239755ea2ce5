// SPDX-License-Identifier: MIT
/* Tests for the SIM7600 driver (src/at/sim7600*.c): the seed's two
 * captures replayed as golden transcripts (the driver must send exactly
 * those commands and accept exactly those answers), size limits refused
 * before anything is sent, RX reassembly over split URCs, named codes,
 * network time and the certificate upload rule. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at_script.h"
#include "brisa/sim7600.h"
#include "mqtt_fakes.h"

#ifndef VECTORS_DIR
#error "VECTORS_DIR must name tests/vectors"
#endif

typedef struct msg {
    char topic[1100];
    uint8_t payload[11000];
    size_t topic_len, len, total, chunks;
    int client;
} msg;

typedef struct denv {
    fake_clock clk;
    fake_transport ft;
    at_script sc;
    brisa_sim7600 m;
    char line[128];
    char topic[1024];
    uint8_t payload[10240];
    msg msgs[4];
    size_t nmsgs;
    brisa_sim7600_event events[8];
    size_t nevents;
} denv;

static void on_message(void *user, int client, const brisa_mqtt_message *mm)
{
    denv *e = user;
    if (mm->payload_offset == 0 && e->nmsgs < 4)
        e->nmsgs++;
    msg *g = &e->msgs[e->nmsgs - 1];
    g->client = client;
    memcpy(g->topic, mm->topic, mm->topic_len);
    g->topic_len = mm->topic_len;
    assert_int_equal(mm->payload_offset, g->len);
    memcpy(g->payload + mm->payload_offset, mm->payload, mm->payload_len);
    g->len += mm->payload_len;
    g->total = mm->payload_total;
    g->chunks++;
}

static void on_event(void *user, const brisa_sim7600_event *ev)
{
    denv *e = user;
    if (e->nevents < 8)
        e->events[e->nevents++] = *ev;
}

static denv *env_with(brisa_transport t, denv *e, size_t payload_size)
{
    brisa_sim7600_config cfg = {
        .serial = t, .clock = fake_clock_iface(&e->clk),
        .line_buf = e->line, .line_size = sizeof e->line,
        .topic_buf = e->topic, .topic_size = sizeof e->topic,
        .payload_buf = e->payload, .payload_size = payload_size,
        .on_message = on_message, .on_event = on_event, .user = e,
    };
    assert_int_equal(brisa_sim7600_init(&e->m, &cfg), BRISA_OK);
    return e;
}

static denv *new_fake(size_t payload_size)
{
    denv *e = calloc(1, sizeof *e);
    assert_non_null(e);
    fake_transport_init(&e->ft, &e->clk);
    return env_with(fake_transport_iface(&e->ft), e, payload_size);
}

static void free_fake(denv *e)
{
    fake_transport_free(&e->ft);
    free(e);
}

static void check_script(const at_script *s)
{
    if (!at_script_done(s))
        fail_msg("transcript not followed: %s (at step %zu of %zu)", s->mismatch ? s->why : "steps left",
                 s->cur, s->nsteps);
}

static void test_golden_plain(void **state)
{
    (void)state;
    denv *e = calloc(1, sizeof *e);
    assert_non_null(e);
    at_script_load(&e->sc, &e->clk, VECTORS_DIR "/sim7600_plain.txt");
    env_with(at_script_iface(&e->sc), e, sizeof e->payload);
    brisa_sim7600 *m = &e->m;
    assert_int_equal(brisa_sim7600_mqtt_start(m), BRISA_OK);
    brisa_sim7600_server srv = { .host = "mibrokermqtt.midominio" };
    brisa_mqtt_connect_options o = { .client_id = "myMQTTclient", .keepalive_s = 60,
                                     .clean_session = true };
    assert_int_equal(brisa_sim7600_connect(m, 0, &srv, &o), BRISA_OK);
    assert_true(brisa_sim7600_is_connected(m, 0));
    assert_int_equal(brisa_sim7600_publish(m, 0, "/test/1", "HoLa", 4, 1, false), BRISA_OK);
    assert_int_equal(brisa_sim7600_subscribe(m, 0, "/SIM/7600", 1), BRISA_OK);
    assert_int_equal(brisa_sim7600_process(m, 100), BRISA_OK);
    assert_int_equal(e->nmsgs, 1);
    assert_int_equal(e->msgs[0].client, 0);
    assert_int_equal(e->msgs[0].topic_len, 9);
    assert_memory_equal(e->msgs[0].topic, "/SIM/7600", 9);
    assert_int_equal(e->msgs[0].len, 22);
    assert_memory_equal(e->msgs[0].payload, "Sigue al conejo blanco", 22);
    assert_int_equal(brisa_sim7600_disconnect(m, 0), BRISA_OK);
    assert_int_equal(brisa_sim7600_release(m, 0), BRISA_OK);
    assert_int_equal(brisa_sim7600_mqtt_stop(m), BRISA_OK);
    check_script(&e->sc);
    at_script_free(&e->sc);
    free(e);
}

/* The raw bytes of the transcript's upload number @p which (0-based). */
static const uint8_t *upload(const at_script *s, int which, size_t *len)
{
    for (size_t i = 0; i + 1 < s->nsteps; i++)
        if (s->steps[i].out && !memcmp(s->steps[i].bytes, "AT+CCERTDOWN", 12) && which-- == 0) {
            /* step i+1 is the prompt, i+2 the data */
            *len = s->steps[i + 2].len;
            return s->steps[i + 2].bytes;
        }
    fail_msg("no upload %d in the transcript", which);
    return NULL;
}

static void count_names(void *user, const char *name, size_t len)
{
    (void)name;
    (void)len;
    (*(int *)user)++;
}

static void test_golden_tls(void **state)
{
    (void)state;
    denv *e = calloc(1, sizeof *e);
    assert_non_null(e);
    at_script_load(&e->sc, &e->clk, VECTORS_DIR "/sim7600_tls.txt");
    env_with(at_script_iface(&e->sc), e, sizeof e->payload);
    brisa_sim7600 *m = &e->m;
    size_t ca_len = 0, cert_len = 0, key_len = 0;
    const uint8_t *ca = upload(&e->sc, 0, &ca_len);
    const uint8_t *cert = upload(&e->sc, 1, &cert_len);
    const uint8_t *key = upload(&e->sc, 2, &key_len);
    assert_int_equal(ca_len, 1631);
    assert_int_equal(cert_len, 1310);
    assert_int_equal(key_len, 1675);
    /* ssl1: the CA */
    int files = 0;
    assert_int_equal(brisa_sim7600_cert_download(m, "ca.pem", ca, ca_len), BRISA_OK);
    assert_int_equal(brisa_sim7600_cert_list(m, count_names, &files), BRISA_OK);
    assert_int_equal(files, 1);
    assert_int_equal(brisa_sim7600_ssl_set_file(m, 0, "cacert", "ca.pem"), BRISA_OK);
    /* ssl2: the client's certificate and key */
    assert_int_equal(brisa_sim7600_cert_download(m, "ccert.pem", cert, cert_len), BRISA_OK);
    assert_int_equal(brisa_sim7600_cert_download(m, "ckey.pem", key, key_len), BRISA_OK);
    files = 0;
    assert_int_equal(brisa_sim7600_cert_list(m, count_names, &files), BRISA_OK);
    assert_int_equal(files, 3);
    brisa_sim7600_ssl ssl = brisa_sim7600_ssl_unset();
    ssl.clientcert = "ccert.pem";
    ssl.clientkey = "ckey.pem";
    ssl.authmode = 2;
    assert_int_equal(brisa_sim7600_ssl_configure(m, 0, &ssl), BRISA_OK);
    /* the connection */
    assert_int_equal(brisa_sim7600_mqtt_start(m), BRISA_OK);
    brisa_sim7600_server srv = { .host = "mibrokermqtt.midominio", .port = 8883, .tls = true };
    brisa_mqtt_connect_options o = { .client_id = "myMQTTTLScient", .keepalive_s = 60,
                                     .clean_session = true };
    assert_int_equal(brisa_sim7600_connect(m, 0, &srv, &o), BRISA_OK);
    check_script(&e->sc);
    at_script_free(&e->sc);
    free(e);
}

static void feed(denv *e, uint64_t at, const char *s)
{
    fake_feed(&e->ft, at, s, strlen(s));
}

static void test_limits_refused_before_sending(void **state)
{
    (void)state;
    denv *e = new_fake(64);
    char *topic = malloc(1026);
    uint8_t *big = calloc(1, 10241);
    assert_non_null(topic);
    assert_non_null(big);
    memset(topic, 'a', 1025);
    topic[1025] = 0;
    assert_int_equal(brisa_sim7600_publish(&e->m, 0, topic, "x", 1, 0, false), BRISA_ERR_TOO_LARGE);
    topic[1024] = 0; /* 1024 is allowed */
    assert_int_equal(brisa_sim7600_publish(&e->m, 0, "t", big, 10241, 0, false), BRISA_ERR_TOO_LARGE);
    assert_int_equal(brisa_sim7600_subscribe(&e->m, 0, "a/#/b", 0), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_sim7600_publish(&e->m, 2, "t", "x", 1, 0, false), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_sim7600_publish(&e->m, 0, "t/+", "x", 1, 0, false), BRISA_ERR_INVALID_ARG);
    brisa_sim7600_server srv = { .host = "h" };
    brisa_mqtt_connect_options o = { .client_id = "c", .keepalive_s = 60 };
    brisa_mqtt_will w = { .topic = "w", .payload = big, .payload_len = 10241 };
    o.will = &w;
    assert_int_equal(brisa_sim7600_connect(&e->m, 0, &srv, &o), BRISA_ERR_TOO_LARGE);
    o.will = NULL;
    o.username = "quote\"inside";
    assert_int_equal(brisa_sim7600_connect(&e->m, 0, &srv, &o), BRISA_ERR_INVALID_ARG);
    o.username = NULL;
    o.keepalive_s = 0;
    assert_int_equal(brisa_sim7600_connect(&e->m, 0, &srv, &o), BRISA_ERR_INVALID_ARG);
    assert_int_equal(e->ft.out_len, 0);
    assert_string_equal(brisa_sim7600_error_get(&e->m)->command, "AT+CMQTTCONNECT");
    /* A topic of exactly 1024 bytes and a 10240-byte payload do go out. */
    feed(e, 0, "\r\n> ");
    feed(e, 0, "\r\nOK\r\n");
    feed(e, 0, "\r\n> ");
    feed(e, 0, "\r\nOK\r\n");
    feed(e, 0, "\r\nOK\r\n\r\n+CMQTTPUB: 0,0\r\n");
    memset(big, 'p', 10240);
    assert_int_equal(brisa_sim7600_publish(&e->m, 0, topic, big, 10240, 1, false), BRISA_OK);
    assert_true(e->ft.out_len > 1024 + 10240);
    free(topic);
    free(big);
    free_fake(e);
}

static void test_rx_reassembly_split(void **state)
{
    (void)state;
    denv *e = new_fake(8); /* payload in chunks of 8 */
    e->ft.max_read = 3;
    feed(e, 0, "\r\n+CMQTTRXSTART: 1,9,22\r\n"
               "\r\n+CMQTTRXTOPIC: 1,4\r\n/SIM\r\n"
               "\r\n+CMQTTRXTOPIC: 1,5\r\n/7600\r\n"
               "\r\n+CMQTTRXPAYLOAD: 1,10\r\nSigue\r\nal \r\n"
               "\r\n+CMQTTRXPAYLOAD: 1,12\r\nconejo blanc\r\n"
               "\r\n+CMQTTRXEND: 1\r\n");
    assert_int_equal(brisa_sim7600_process(&e->m, 1000), BRISA_OK);
    assert_int_equal(e->nmsgs, 1);
    assert_int_equal(e->msgs[0].client, 1);
    assert_memory_equal(e->msgs[0].topic, "/SIM/7600", 9);
    assert_int_equal(e->msgs[0].len, 22);
    assert_memory_equal(e->msgs[0].payload, "Sigue\r\nal conejo blanc", 22);
    assert_int_equal(e->msgs[0].chunks, 3);
    assert_int_equal(e->msgs[0].total, 22);
    assert_int_equal(e->nevents, 0);
    /* Pieces that do not add up to RXSTART's lengths: dropped, named. */
    feed(e, e->clk.now, "\r\n+CMQTTRXSTART: 0,3,2\r\n\r\n+CMQTTRXTOPIC: 0,3\r\nabc\r\n"
                        "\r\n+CMQTTRXPAYLOAD: 0,1\r\nx\r\n\r\n+CMQTTRXEND: 0\r\n");
    assert_int_equal(brisa_sim7600_process(&e->m, 1000), BRISA_OK);
    assert_int_equal(e->nmsgs, 1);
    assert_int_equal(e->nevents, 1);
    assert_int_equal(e->events[0].type, BRISA_SIM7600_EVT_DROPPED);
    /* An absurd length is not swallowed as raw data. */
    feed(e, e->clk.now, "\r\n+CMQTTRXSTART: 0,1,0\r\n\r\n+CMQTTRXTOPIC: 0,99999999\r\n"
                        "\r\n+CMQTTCONNLOST: 0,2\r\n");
    assert_int_equal(brisa_sim7600_process(&e->m, 1000), BRISA_OK);
    assert_int_equal(e->events[e->nevents - 1].type, BRISA_SIM7600_EVT_CONNLOST);
    assert_int_equal(e->events[e->nevents - 1].code, 2);
    free_fake(e);
}

static void test_connect_refused_named(void **state)
{
    (void)state;
    denv *e = new_fake(64);
    feed(e, 0, "\r\nOK\r\n");
    feed(e, 0, "\r\nOK\r\n");
    feed(e, 10, "\r\nOK\r\n\r\n+CMQTTCONNECT: 0,32\r\n");
    brisa_sim7600_server srv = { .host = "127.0.0.1", .port = 8883, .tls = true, .ssl_ctx = 3 };
    brisa_mqtt_connect_options o = { .client_id = "c", .keepalive_s = 30, .username = "u",
                                     .password = (const uint8_t *)"pw", .password_len = 2 };
    assert_int_equal(brisa_sim7600_connect(&e->m, 0, &srv, &o), BRISA_ERR_REFUSED);
    const char *want = "AT+CMQTTACCQ=0,\"c\",1\rAT+CMQTTSSLCFG=0,3\r"
                       "AT+CMQTTCONNECT=0,\"tcp://127.0.0.1:8883\",30,0,\"u\",\"pw\"\r";
    assert_int_equal(e->ft.out_len, strlen(want));
    assert_memory_equal(e->ft.out, want, strlen(want));
    const brisa_sim7600_error *err = brisa_sim7600_error_get(&e->m);
    assert_int_equal(err->kind, BRISA_SIM7600_ERRK_MQTT);
    assert_int_equal(err->code, 32);
    assert_string_equal(brisa_sim7600_err_str(err->code), "handshake fail");
    char what[64];
    assert_int_equal(brisa_sim7600_describe(&e->m, BRISA_ERR_REFUSED, what, sizeof what), 42);
    assert_string_equal(what, "AT+CMQTTCONNECT: handshake fail (error 32)");
    brisa_sim7600_describe(&e->m, BRISA_ERR_REFUSED, what, 20); /* too small: left out */
    assert_string_equal(what, "AT+CMQTTCONNECT: ");
    assert_false(brisa_sim7600_is_connected(&e->m, 0));
    assert_string_equal(brisa_sim7600_err_str(31), "connection refused: not authorized");
    assert_string_equal(brisa_sim7600_err_str(99), "unknown MQTT error code");
    assert_string_equal(brisa_sim7600_connlost_str(1), "socket is closed passively");
    free_fake(e);
}

static void test_network_time(void **state)
{
    (void)state;
    denv *e = new_fake(64);
    feed(e, 0, "\r\nOK\r\n");
    feed(e, 0, "\r\n+CCLK: \"26/12/03,10:15:30-12\"\r\n\r\nOK\r\n");
    int64_t t = 0;
    assert_int_equal(brisa_sim7600_time(&e->m, NULL, &t), BRISA_OK);
    /* 10:15:30 at UTC-3 is 13:15:30 UTC: 2026-12-03T13:15:30Z */
    assert_int_equal(t, 1796303730000LL);
    feed(e, e->clk.now, "\r\nOK\r\n");
    feed(e, e->clk.now, "\r\n+CCLK: \"80/01/06,00:00:04+00\"\r\n\r\nOK\r\n");
    assert_int_equal(brisa_sim7600_time(&e->m, NULL, &t), BRISA_ERR_CLOCK);
    free_fake(e);
}

static void test_cert_ensure(void **state)
{
    (void)state;
    denv *e = new_fake(64);
    static const uint8_t pem[] = "-----BEGIN CERTIFICATE-----\nAAAA\n";
    size_t len = sizeof pem - 1;
    char name[64];
    assert_int_equal(brisa_sim7600_cert_name(name, sizeof name, "ca", pem, len), BRISA_OK);
    assert_int_equal(strlen(name), 15);
    bool up = true;
    /* Listed under its content-hash name: not uploaded again. */
    char list[160];
    snprintf(list, sizeof list, "\r\n+CCERTLIST: \"%s\"\r\n\r\nOK\r\n", name);
    feed(e, 0, list);
    assert_int_equal(brisa_sim7600_cert_ensure(&e->m, name, pem, len, &up), BRISA_OK);
    assert_false(up);
    /* A plain name the driver never uploaded: uploaded. */
    feed(e, 0, "\r\n+CCERTLIST: \"ca.pem\"\r\n\r\nOK\r\n");
    feed(e, 0, "\r\n> ");
    feed(e, 0, "\r\nOK\r\n");
    assert_int_equal(brisa_sim7600_cert_ensure(&e->m, "ca.pem", pem, len, &up), BRISA_OK);
    assert_true(up);
    /* Now the driver knows what it holds: no second upload... */
    feed(e, 0, "\r\n+CCERTLIST: \"ca.pem\"\r\n\r\nOK\r\n");
    size_t before = e->ft.out_len;
    assert_int_equal(brisa_sim7600_cert_ensure(&e->m, "ca.pem", pem, len, &up), BRISA_OK);
    assert_false(up);
    assert_int_equal(e->ft.out_len - before, strlen("AT+CCERTLIST\r"));
    /* ...unless the content differs. */
    feed(e, 0, "\r\n+CCERTLIST: \"ca.pem\"\r\n\r\nOK\r\n");
    feed(e, 0, "\r\n> ");
    feed(e, 0, "\r\nOK\r\n");
    assert_int_equal(brisa_sim7600_cert_ensure(&e->m, "ca.pem", pem, len - 1, &up), BRISA_OK);
    assert_true(up);
    free_fake(e);
}

static void test_bringup(void **state)
{
    (void)state;
    denv *e = new_fake(64);
    feed(e, 0, "AT\r\r\nOK\r\n");            /* AT, echo still on */
    feed(e, 0, "ATE0\r\r\nOK\r\n");          /* ATE0 */
    feed(e, 0, "\r\n+CPIN: READY\r\n\r\nOK\r\n");
    feed(e, 0, "\r\n+CSQ: 23,99\r\n\r\nOK\r\n");
    feed(e, 0, "\r\n+CREG: 0,2\r\n\r\nOK\r\n"); /* searching... */
    feed(e, 1500, "\r\n+CREG: 0,5\r\n\r\nOK\r\n");
    feed(e, 1500, "\r\n+CGREG: 0,1\r\n\r\nOK\r\n");
    feed(e, 1500, "\r\nOK\r\n");
    feed(e, 1500, "\r\n+IP ERROR: Network is already opened\r\n\r\nERROR\r\n");
    brisa_sim7600_net net = { .apn = "internet" };
    assert_int_equal(brisa_sim7600_bringup(&e->m, &net), BRISA_OK);
    const char *want = "AT\rATE0\rAT+CPIN?\rAT+CSQ\rAT+CREG?\rAT+CREG?\rAT+CGREG?\r"
                       "AT+CGDCONT=1,\"IP\",\"internet\"\rAT+NETOPEN\r";
    assert_int_equal(e->ft.out_len, strlen(want));
    assert_memory_equal(e->ft.out, want, strlen(want));
    assert_int_equal(e->m.rssi, 23);
    free_fake(e);
}

/* The exact bytes of the commands the captures do not show. */
static void test_will_unsubscribe_retain_bytes(void **state)
{
    (void)state;
    denv *e = new_fake(64);
    const char *answers[] = {
        "\r\nOK\r\n",                           /* ACCQ */
        "\r\n> ", "\r\nOK\r\n",                 /* WILLTOPIC */
        "\r\n> ", "\r\nOK\r\n",                 /* WILLMSG */
        "\r\nOK\r\n\r\n+CMQTTCONNECT: 1,0\r\n", /* CONNECT */
        "\r\n> ", "\r\nOK\r\n",                 /* TOPIC */
        "\r\nOK\r\n\r\n+CMQTTPUB: 1,0\r\n",     /* PUB, no PAYLOAD for an empty one */
        "\r\n> ", "\r\nOK\r\n",                 /* UNSUBTOPIC */
        "\r\nOK\r\n\r\n+CMQTTUNSUB: 1,0\r\n",   /* UNSUB */
    };
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++)
        feed(e, 0, answers[i]);
    brisa_sim7600_server srv = { .host = "broker.lan" };
    brisa_mqtt_will w = { .topic = "w/t", .payload = (const uint8_t *)"gone", .payload_len = 4,
                          .qos = 2 };
    brisa_mqtt_connect_options o = { .client_id = "dev", .keepalive_s = 120,
                                     .clean_session = true, .username = "u", .will = &w };
    assert_int_equal(brisa_sim7600_connect(&e->m, 1, &srv, &o), BRISA_OK);
    assert_int_equal(brisa_sim7600_publish(&e->m, 1, "a/b", NULL, 0, 2, true), BRISA_OK);
    assert_int_equal(brisa_sim7600_unsubscribe(&e->m, 1, "a/#"), BRISA_OK);
    const char *want = "AT+CMQTTACCQ=1,\"dev\",0\r"
                       "AT+CMQTTWILLTOPIC=1,3\rw/t"
                       "AT+CMQTTWILLMSG=1,4,2\rgone"
                       "AT+CMQTTCONNECT=1,\"tcp://broker.lan\",120,1,\"u\"\r"
                       "AT+CMQTTTOPIC=1,3\ra/b"
                       "AT+CMQTTPUB=1,2,60,1\r"
                       "AT+CMQTTUNSUBTOPIC=1,3\ra/#"
                       "AT+CMQTTUNSUB=1,0\r";
    assert_int_equal(e->ft.out_len, strlen(want));
    assert_memory_equal(e->ft.out, want, strlen(want));
    assert_int_equal(fake_unread(&e->ft), 0);
    free_fake(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_plain),
        cmocka_unit_test(test_golden_tls),
        cmocka_unit_test(test_limits_refused_before_sending),
        cmocka_unit_test(test_rx_reassembly_split),
        cmocka_unit_test(test_connect_refused_named),
        cmocka_unit_test(test_network_time),
        cmocka_unit_test(test_cert_ensure),
        cmocka_unit_test(test_bringup),
        cmocka_unit_test(test_will_unsubscribe_retain_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
