// SPDX-License-Identifier: MIT
/* Debug output (-d) in mosquitto's words, so that logs read the same. */
#include <stdio.h>

#include "session.h"

static void print_publish(const char *id, const char *dir, const brisa_mqtt_trace *t)
{
    printf("Client %s %s PUBLISH (d%d, q%u, r%d, m%u, '%.*s', ... (%zu bytes))\n", id, dir,
           t->dup ? 1 : 0, (unsigned)t->qos, t->retain ? 1 : 0, (unsigned)t->packet_id,
           (int)(t->topic != NULL ? t->topic_len : 0), t->topic != NULL ? t->topic : "",
           t->payload_len);
}

static void print_outgoing(const char *id, const brisa_mqtt_trace *t)
{
    unsigned mid = t->packet_id;
    switch (t->type) {
    case BRISA_MQTT_PUBLISH:
        print_publish(id, "sending", t);
        break;
    case BRISA_MQTT_PUBACK:
    case BRISA_MQTT_PUBREC:
        printf("Client %s sending %s (m%u, rc0)\n", id, brisa_mqtt_packet_name(t->type), mid);
        break;
    case BRISA_MQTT_PUBREL:
    case BRISA_MQTT_PUBCOMP:
        printf("Client %s sending %s (m%u)\n", id, brisa_mqtt_packet_name(t->type), mid);
        break;
    case BRISA_MQTT_SUBSCRIBE:
        for (size_t i = 0; t->subs != NULL && i < t->filter_count; i++)
            printf("Client %s sending SUBSCRIBE (Mid: %u, Topic: %s, QoS: %u, Options: 0x00)\n",
                   id, mid, t->subs[i].filter, (unsigned)t->subs[i].qos);
        break;
    case BRISA_MQTT_UNSUBSCRIBE:
        for (size_t i = 0; t->filters != NULL && i < t->filter_count; i++)
            printf("Client %s sending UNSUBSCRIBE (Mid: %u, Topic: %s)\n", id, mid,
                   t->filters[i]);
        break;
    default:
        printf("Client %s sending %s\n", id, brisa_mqtt_packet_name(t->type));
        break;
    }
}

static void print_incoming(const char *id, const brisa_mqtt_trace *t)
{
    unsigned mid = t->packet_id;
    switch (t->type) {
    case BRISA_MQTT_CONNACK:
        printf("Client %s received CONNACK (%u)\n", id, (unsigned)t->return_code);
        break;
    case BRISA_MQTT_PUBLISH:
        print_publish(id, "received", t);
        break;
    case BRISA_MQTT_PUBACK:
    case BRISA_MQTT_PUBCOMP:
        printf("Client %s received %s (Mid: %u, RC:0)\n", id, brisa_mqtt_packet_name(t->type),
               mid);
        break;
    case BRISA_MQTT_PUBREC:
    case BRISA_MQTT_PUBREL:
        printf("Client %s received %s (Mid: %u)\n", id, brisa_mqtt_packet_name(t->type), mid);
        break;
    case BRISA_MQTT_SUBACK:
        printf("Client %s received SUBACK\nSubscribed (mid: %u):", id, mid);
        for (size_t i = 0; t->return_codes != NULL && i < t->return_code_count; i++)
            printf("%s %u", i ? "," : "", (unsigned)t->return_codes[i]);
        printf("\n");
        break;
    default:
        printf("Client %s received %s\n", id, brisa_mqtt_packet_name(t->type));
        break;
    }
}

void tools_trace(void *user, const brisa_mqtt_trace *t)
{
    const tools_session *s = user;
    const char *id = s->opts->client_id[0] != '\0' ? s->opts->client_id : "(null)";
    if (t->outgoing)
        print_outgoing(id, t);
    else
        print_incoming(id, t);
    fflush(stdout);
}
