// SPDX-License-Identifier: MIT
/* MQTT 5 reason codes: the one table of codes, their names and the
 * packets that may carry each (MQTT 5.0 section 2.4, table 2-6). */
#include "codec_internal.h"

#if BRISA_MQTT5

#define T(x) (1u << BRISA_MQTT_##x)
#define T_PUB (T(PUBACK) | T(PUBREC))
#define T_FAIL (T(CONNACK) | T_PUB | T(SUBACK) | T(UNSUBACK) | T(DISCONNECT))

/* One row per code and packet set: code, packets (a bit per type), name. */
#define REASONS(X) \
    X(0x00, T(CONNACK) | T_PUB | T(PUBREL) | T(PUBCOMP) | T(UNSUBACK) | T(AUTH), "Success") \
    X(0x00, T(DISCONNECT), "Normal disconnection") \
    X(0x00, T(SUBACK), "Granted QoS 0") \
    X(0x01, T(SUBACK), "Granted QoS 1") \
    X(0x02, T(SUBACK), "Granted QoS 2") \
    X(0x04, T(DISCONNECT), "Disconnect with Will Message") \
    X(0x10, T_PUB, "No matching subscribers") \
    X(0x11, T(UNSUBACK), "No subscription existed") \
    X(0x18, T(AUTH), "Continue authentication") \
    X(0x19, T(AUTH), "Re-authenticate") \
    X(0x80, T_FAIL, "Unspecified error") \
    X(0x81, T(CONNACK) | T(DISCONNECT), "Malformed Packet") \
    X(0x82, T(CONNACK) | T(DISCONNECT), "Protocol Error") \
    X(0x83, T_FAIL, "Implementation specific error") \
    X(0x84, T(CONNACK), "Unsupported Protocol Version") \
    X(0x85, T(CONNACK), "Client Identifier not valid") \
    X(0x86, T(CONNACK), "Bad User Name or Password") \
    X(0x87, T_FAIL, "Not authorized") \
    X(0x88, T(CONNACK), "Server unavailable") \
    X(0x89, T(CONNACK) | T(DISCONNECT), "Server busy") \
    X(0x8A, T(CONNACK), "Banned") \
    X(0x8B, T(DISCONNECT), "Server shutting down") \
    X(0x8C, T(CONNACK) | T(DISCONNECT), "Bad authentication method") \
    X(0x8D, T(DISCONNECT), "Keep Alive timeout") \
    X(0x8E, T(DISCONNECT), "Session taken over") \
    X(0x8F, T(SUBACK) | T(UNSUBACK) | T(DISCONNECT), "Topic Filter invalid") \
    X(0x90, T(CONNACK) | T_PUB | T(DISCONNECT), "Topic Name invalid") \
    X(0x91, T_PUB | T(SUBACK) | T(UNSUBACK), "Packet Identifier in use") \
    X(0x92, T(PUBREL) | T(PUBCOMP), "Packet Identifier not found") \
    X(0x93, T(DISCONNECT), "Receive Maximum exceeded") \
    X(0x94, T(DISCONNECT), "Topic Alias invalid") \
    X(0x95, T(CONNACK) | T(DISCONNECT), "Packet too large") \
    X(0x96, T(DISCONNECT), "Message rate too high") \
    X(0x97, T(CONNACK) | T_PUB | T(SUBACK) | T(DISCONNECT), "Quota exceeded") \
    X(0x98, T(DISCONNECT), "Administrative action") \
    X(0x99, T(CONNACK) | T_PUB | T(DISCONNECT), "Payload format invalid") \
    X(0x9A, T(CONNACK) | T(DISCONNECT), "Retain not supported") \
    X(0x9B, T(CONNACK) | T(DISCONNECT), "QoS not supported") \
    X(0x9C, T(CONNACK) | T(DISCONNECT), "Use another server") \
    X(0x9D, T(CONNACK) | T(DISCONNECT), "Server moved") \
    X(0x9E, T(SUBACK) | T(DISCONNECT), "Shared Subscriptions not supported") \
    X(0x9F, T(CONNACK) | T(DISCONNECT), "Connection rate exceeded") \
    X(0xA0, T(DISCONNECT), "Maximum connect time") \
    X(0xA1, T(SUBACK) | T(DISCONNECT), "Subscription Identifiers not supported") \
    X(0xA2, T(SUBACK) | T(DISCONNECT), "Wildcard Subscriptions not supported")

/* Three packed arrays rather than an array of structs with a pointer
 * each: the names are one string, found by counting NULs. */
#define CODE(c, t, n) c,
#define TYPES(c, t, n) t,
#define NAME(c, t, n) n "\0"
static const uint8_t codes[] = { REASONS(CODE) };
static const uint16_t types[] = { REASONS(TYPES) };
static const char names[] = REASONS(NAME);

/* The row of @p code meant for @p type, else the first row with that
 * code; -1 when the code is unknown. */
static int find(uint8_t type, uint8_t code)
{
    int any = -1;
    for (int i = 0; i < (int)sizeof codes; i++) {
        if (codes[i] != code)
            continue;
        if (type < 16 && (types[i] & (1u << type)))
            return i;
        if (any < 0)
            any = i;
    }
    return any;
}

bool brisa_mqtt_reason_allowed(uint8_t type, uint8_t code)
{
    int i = find(type, code);
    return i >= 0 && type < 16 && (types[i] & (1u << type));
}

const char *brisa_mqtt_reason_str(uint8_t type, uint8_t code)
{
    int i = find(type, code);
    if (i < 0)
        return "Unknown reason code";
    return bri_mqtt_nth_name(names, (unsigned)i);
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
