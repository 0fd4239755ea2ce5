// SPDX-License-Identifier: MIT
/* Fuzz target: the MQTT client fed arbitrary broker bytes through the
 * scripted transport (tests/unit/mqtt_fakes.c).
 *
 * Input: byte 0 picks buffer sizes, in-flight slots, large-payload policy,
 * clean session and partial reads; byte 1 the keepalive (low 6 bits) and
 * MQTT 5 (bit 6: topic aliases both ways, receive maximum 3; bit 7 also a
 * maximum packet size of 200 and a session expiry); the rest is what
 * the "broker" sends, cut into pieces by a 0xFE byte followed by a control
 * byte: its low 3 bits name something the application does once the piece
 * before has been handled (publish QoS 0/1/2, subscribe, unsubscribe,
 * disconnect and reconnect over a fresh stream), its high 5 bits how many
 * seconds later the next piece arrives. So acknowledgements meet real
 * flows, and sessions get resumed. The client must never crash, hang or
 * write a malformed packet (fake_out_packets aborts on one), and its
 * in-flight table must stay consistent. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/mqtt_fakes.h"
#include "brisa/mqtt_codec.h"

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond))                                                        \
            __builtin_trap();                                               \
    } while (0)

static const uint8_t big_payload[300] = { 1, 2, 3 };

#define MAX_ACTIONS 64

typedef struct action {
    uint64_t at;   /* done once the clock has reached this */
    uint8_t what;
    bool done;
} action;

/* Splits the broker bytes into timed pieces; returns the action count. */
static size_t feed_pieces(mqtt_env *e, const uint8_t *data, size_t size, action *acts)
{
    uint64_t at = 1;
    size_t start = 0, n = 0;
    for (size_t i = 0; i + 1 < size; i++) {
        if (data[i] != 0xFE)
            continue;
        fake_feed(&e->ft, at, data + start, i - start);
        if (n < MAX_ACTIONS)
            acts[n++] = (action){ at, (uint8_t)(data[i + 1] & 7u), false };
        at += 1 + 1000u * (data[i + 1] >> 3);
        start = i + 2;
        i++;
    }
    if (start < size)
        fake_feed(&e->ft, at, data + start, size - start);
    return n;
}

static void reconnect(mqtt_env *e, const brisa_mqtt_connect_options *o)
{
    brisa_mqtt_disconnect(&e->c);
    /* The broker's remaining pieces move over to the new stream: the
     * closed flag is all that made the old one refuse them. */
    e->ft.closed = false;
    brisa_transport t = fake_transport_iface(&e->ft);
    brisa_mqtt_set_transport(&e->c, &t);
    brisa_mqtt_connect_start(&e->c, o);
}

static void act(mqtt_env *e, uint8_t what, const brisa_mqtt_connect_options *o)
{
    if (what == 6) {
        reconnect(e, o);
        return;
    }
    if (!brisa_mqtt_is_connected(&e->c))
        return;
    switch (what) {
    case 0: {
        static const uint8_t ct[] = { 0x03, 0, 2, 'c', 't', 0x01, 1 };
        brisa_mqtt_properties pr = { ct, sizeof ct, NULL, 0 };
        brisa_mqtt_publish_props(&e->c, "f/q0", "zero", 4, 0, false,
                                 o->protocol_level == BRISA_MQTT_V5 ? &pr : NULL, NULL);
        break;
    }
    case 1:
        brisa_mqtt_publish(&e->c, "f/q1", "one", 3, 1, false, NULL);
        break;
    case 2:
        brisa_mqtt_publish(&e->c, "f/q2", big_payload, sizeof big_payload, 2, true, NULL);
        break;
    case 3: {
        brisa_mqtt_subscription s[] = { { "f/#", 2 }, { "+/x", 0 } };
        brisa_mqtt_subscribe(&e->c, s, 2, NULL);
        break;
    }
    case 4: {
        const char *f[] = { "f/#" };
        brisa_mqtt_unsubscribe(&e->c, f, 1, NULL);
        break;
    }
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static const size_t rx_sizes[] = { 16, 24, 64, 512 };
    static const size_t tx_sizes[] = { 32, 512 };
    uint8_t opt = data[0];
    mqtt_env *e = env_new(tx_sizes[(opt >> 2) & 1], rx_sizes[opt & 3], 1 + (opt >> 5));
    CHECK(e);
    e->c.cfg.large_policy = (opt & 0x08) ? BRISA_MQTT_LARGE_REFUSE : BRISA_MQTT_LARGE_CHUNKED;
    e->ft.max_read = (opt & 0x10) ? 3 : 0;
    brisa_mqtt_route_add(&e->c, "f/+", env_route1, e);
    action acts[MAX_ACTIONS];
    size_t nacts = feed_pieces(e, data + 2, size - 2, acts);

    brisa_mqtt_connect_options o = { .client_id = "fz", .clean_session = (opt & 0x80) != 0,
                                     .keepalive_s = data[1] & 0x3F,
                                     .connack_timeout_ms = 5000 };
#if BRISA_MQTT5
    static brisa_mqtt_topic_alias out[2], in[2];
    if (data[1] & 0x40) {
        o.protocol_level = BRISA_MQTT_V5;
        o.receive_maximum = 3;
        e->c.cfg.aliases = out;
        e->c.cfg.alias_count = 2;
        e->c.cfg.aliases_in = in;
        e->c.cfg.alias_in_count = 2;
        if (data[1] & 0x80) {
            o.maximum_packet_size = 200;
            o.session_expiry_s = 60;
        }
    }
#endif
    brisa_mqtt_connect_start(&e->c, &o);
    for (unsigned step = 0; step < 2000; step++) {
        for (size_t i = 0; i < nacts; i++) {
            if (!acts[i].done && acts[i].at <= e->clk.now) {
                acts[i].done = true;
                act(e, acts[i].what, &o);
            }
        }
        /* Stop at the next action's time, so it comes between pieces. */
        uint32_t wait = 700;
        for (size_t i = 0; i < nacts; i++)
            if (!acts[i].done && acts[i].at > e->clk.now && acts[i].at - e->clk.now < wait)
                wait = (uint32_t)(acts[i].at - e->clk.now);
        int err = brisa_mqtt_process(&e->c, wait);
        CHECK(brisa_mqtt_inflight_used(&e->c) <= e->c.cfg.inflight_count);
        uint64_t next = UINT64_MAX;
        for (size_t i = 0; i < nacts; i++)
            if (!acts[i].done && acts[i].at < next && (err != BRISA_ERR_STATE || acts[i].what == 6))
                next = acts[i].at;
        if (next == UINT64_MAX && (err == BRISA_ERR_STATE || fake_unread(&e->ft) == 0))
            break;
        /* Disconnected, the clock stands still: skip to the reconnect. */
        if (err == BRISA_ERR_STATE && next > e->clk.now)
            e->clk.now = next;
    }
    brisa_mqtt_disconnect(&e->c);
    CHECK(!brisa_mqtt_is_connected(&e->c));
    /* Every message delivered was whole or a consistent chunk. */
    for (size_t i = 0; i < e->nmsgs; i++) {
        const env_msg *m = &e->msgs[i];
        CHECK(m->offset + m->len <= m->total);
        CHECK(m->qos <= 2 && (m->qos == 0) == (m->packet_id == 0));
    }
    fake_pkt pk[1];
    fake_out_packets(&e->ft, pk, 1); /* aborts on a malformed stream */
    env_delete(e);
    return 0;
}
