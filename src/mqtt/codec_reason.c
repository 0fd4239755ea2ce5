// SPDX-License-Identifier: MIT
/* MQTT 5 reason codes: the one table of codes, their names and the
 * packets that may carry each (MQTT 5.0 section 2.4, table 2-6). */
#include "codec_internal.h"

#if BRISA_MQTT5

#define T(x) (1u << BRISA_MQTT_##x)
#define T_PUB (T(PUBACK) | T(PUBREC))
#define T_FAIL (T(CONNACK) | T_PUB | T(SUBACK) | T(UNSUBACK) | T(DISCONNECT))

typedef struct reason {
    uint8_t code;
    uint16_t types;
    const char *name;
} reason;

static const reason reasons[] = {
    { 0x00, T(CONNACK) | T_PUB | T(PUBREL) | T(PUBCOMP) | T(UNSUBACK) | T(AUTH), "Success" },
    { 0x00, T(DISCONNECT), "Normal disconnection" },
    { 0x00, T(SUBACK), "Granted QoS 0" },
    { 0x01, T(SUBACK), "Granted QoS 1" },
    { 0x02, T(SUBACK), "Granted QoS 2" },
    { 0x04, T(DISCONNECT), "Disconnect with Will Message" },
    { 0x10, T_PUB, "No matching subscribers" },
    { 0x11, T(UNSUBACK), "No subscription existed" },
    { 0x18, T(AUTH), "Continue authentication" },
    { 0x19, T(AUTH), "Re-authenticate" },
    { 0x80, T_FAIL, "Unspecified error" },
    { 0x81, T(CONNACK) | T(DISCONNECT), "Malformed Packet" },
    { 0x82, T(CONNACK) | T(DISCONNECT), "Protocol Error" },
    { 0x83, T_FAIL, "Implementation specific error" },
    { 0x84, T(CONNACK), "Unsupported Protocol Version" },
    { 0x85, T(CONNACK), "Client Identifier not valid" },
    { 0x86, T(CONNACK), "Bad User Name or Password" },
    { 0x87, T_FAIL, "Not authorized" },
    { 0x88, T(CONNACK), "Server unavailable" },
    { 0x89, T(CONNACK) | T(DISCONNECT), "Server busy" },
    { 0x8A, T(CONNACK), "Banned" },
    { 0x8B, T(DISCONNECT), "Server shutting down" },
    { 0x8C, T(CONNACK) | T(DISCONNECT), "Bad authentication method" },
    { 0x8D, T(DISCONNECT), "Keep Alive timeout" },
    { 0x8E, T(DISCONNECT), "Session taken over" },
    { 0x8F, T(SUBACK) | T(UNSUBACK) | T(DISCONNECT), "Topic Filter invalid" },
    { 0x90, T(CONNACK) | T_PUB | T(DISCONNECT), "Topic Name invalid" },
    { 0x91, T_PUB | T(SUBACK) | T(UNSUBACK), "Packet Identifier in use" },
    { 0x92, T(PUBREL) | T(PUBCOMP), "Packet Identifier not found" },
    { 0x93, T(DISCONNECT), "Receive Maximum exceeded" },
    { 0x94, T(DISCONNECT), "Topic Alias invalid" },
    { 0x95, T(CONNACK) | T(DISCONNECT), "Packet too large" },
    { 0x96, T(DISCONNECT), "Message rate too high" },
    { 0x97, T(CONNACK) | T_PUB | T(SUBACK) | T(DISCONNECT), "Quota exceeded" },
    { 0x98, T(DISCONNECT), "Administrative action" },
    { 0x99, T(CONNACK) | T_PUB | T(DISCONNECT), "Payload format invalid" },
    { 0x9A, T(CONNACK) | T(DISCONNECT), "Retain not supported" },
    { 0x9B, T(CONNACK) | T(DISCONNECT), "QoS not supported" },
    { 0x9C, T(CONNACK) | T(DISCONNECT), "Use another server" },
    { 0x9D, T(CONNACK) | T(DISCONNECT), "Server moved" },
    { 0x9E, T(SUBACK) | T(DISCONNECT), "Shared Subscriptions not supported" },
    { 0x9F, T(CONNACK) | T(DISCONNECT), "Connection rate exceeded" },
    { 0xA0, T(DISCONNECT), "Maximum connect time" },
    { 0xA1, T(SUBACK) | T(DISCONNECT), "Subscription Identifiers not supported" },
    { 0xA2, T(SUBACK) | T(DISCONNECT), "Wildcard Subscriptions not supported" },
};

static const reason *find(uint8_t type, uint8_t code)
{
    const reason *any = NULL;
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
        if (reasons[i].code != code)
            continue;
        if (type < 16 && (reasons[i].types & (1u << type)))
            return &reasons[i];
        if (!any)
            any = &reasons[i];
    }
    return any;
}

bool brisa_mqtt_reason_allowed(uint8_t type, uint8_t code)
{
    const reason *r = find(type, code);
    return r && type < 16 && (r->types & (1u << type));
}

const char *brisa_mqtt_reason_str(uint8_t type, uint8_t code)
{
    const reason *r = find(type, code);
    return r ? r->name : "Unknown reason code";
}

#else /* !BRISA_MQTT5: keeps callers linking; see codec_props.c. */

bool brisa_mqtt_reason_allowed(uint8_t type, uint8_t code)
{
    (void)type, (void)code;
    return false;
}

const char *brisa_mqtt_reason_str(uint8_t type, uint8_t code)
{
    (void)type, (void)code;
    return "MQTT 5 not built";
}

#endif /* BRISA_MQTT5 */
