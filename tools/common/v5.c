// SPDX-License-Identifier: MIT
/* The tools' MQTT 5 options: mosquitto's -D COMMAND NAME VALUE properties
 * and the checks that tie -x, --no-local, --retain-as-published,
 * --retain-handling and -D to -V 5. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "brisa/mqtt_codec.h"
#include "opts.h"

/* mosquitto's names for the properties. */
static const struct {
    const char *name;
    uint8_t id;
} names[] = {
    { "payload-format-indicator", BRISA_MQTT_PROP_PAYLOAD_FORMAT },
    { "message-expiry-interval", BRISA_MQTT_PROP_MESSAGE_EXPIRY },
    { "content-type", BRISA_MQTT_PROP_CONTENT_TYPE },
    { "response-topic", BRISA_MQTT_PROP_RESPONSE_TOPIC },
    { "correlation-data", BRISA_MQTT_PROP_CORRELATION_DATA },
    { "subscription-identifier", BRISA_MQTT_PROP_SUBSCRIPTION_ID },
    { "session-expiry-interval", BRISA_MQTT_PROP_SESSION_EXPIRY },
    { "assigned-client-identifier", BRISA_MQTT_PROP_ASSIGNED_CLIENT_ID },
    { "server-keep-alive", BRISA_MQTT_PROP_SERVER_KEEPALIVE },
    { "authentication-method", BRISA_MQTT_PROP_AUTH_METHOD },
    { "authentication-data", BRISA_MQTT_PROP_AUTH_DATA },
    { "request-problem-information", BRISA_MQTT_PROP_REQUEST_PROBLEM_INFO },
    { "will-delay-interval", BRISA_MQTT_PROP_WILL_DELAY },
    { "request-response-information", BRISA_MQTT_PROP_REQUEST_RESPONSE_INFO },
    { "response-information", BRISA_MQTT_PROP_RESPONSE_INFO },
    { "server-reference", BRISA_MQTT_PROP_SERVER_REFERENCE },
    { "reason-string", BRISA_MQTT_PROP_REASON_STRING },
    { "receive-maximum", BRISA_MQTT_PROP_RECEIVE_MAXIMUM },
    { "topic-alias-maximum", BRISA_MQTT_PROP_TOPIC_ALIAS_MAXIMUM },
    { "topic-alias", BRISA_MQTT_PROP_TOPIC_ALIAS },
    { "maximum-qos", BRISA_MQTT_PROP_MAXIMUM_QOS },
    { "retain-available", BRISA_MQTT_PROP_RETAIN_AVAILABLE },
    { "user-property", BRISA_MQTT_PROP_USER },
    { "maximum-packet-size", BRISA_MQTT_PROP_MAXIMUM_PACKET_SIZE },
    { "wildcard-subscription-available", BRISA_MQTT_PROP_WILDCARD_SUB_AVAILABLE },
    { "subscription-identifier-available", BRISA_MQTT_PROP_SUB_ID_AVAILABLE },
    { "shared-subscription-available", BRISA_MQTT_PROP_SHARED_SUB_AVAILABLE },
};

static const char *const commands[TOOLS_PROP_CMDS] = {
    "connect", "publish", "subscribe", "unsubscribe", "disconnect", "will",
};

static const brisa_mqtt_prop_where where_of[TOOLS_PROP_CMDS] = {
    BRISA_MQTT_IN_CONNECT, BRISA_MQTT_IN_PUBLISH, BRISA_MQTT_IN_SUBSCRIBE,
    BRISA_MQTT_IN_UNSUBSCRIBE, BRISA_MQTT_IN_DISCONNECT, BRISA_MQTT_IN_WILL,
};

static int bad(const tools_opts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(const tools_opts *o, const char *fmt, ...)
{
    char text[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    tools_error(o, "-D: %s (see %s --help)", text, o->prog);
    return TOOLS_EXIT_USAGE;
}

/* Topic aliases are the client's to choose; subscription identifiers in
 * PUBLISH are the server's to send. */
static bool not_ours(int cmd, uint8_t id)
{
    return id == BRISA_MQTT_PROP_TOPIC_ALIAS ||
           (cmd == TOOLS_PROP_PUBLISH && id == BRISA_MQTT_PROP_SUBSCRIPTION_ID);
}

int tools_opts_property(tools_opts *o, int argc, char **argv, int *i)
{
    if (*i + 3 >= argc)
        return bad(o, "needs a command, a property name and a value");
    const char *cmd = argv[*i + 1], *name = argv[*i + 2], *value = argv[*i + 3];
    int c = -1;
    for (int k = 0; k < TOOLS_PROP_CMDS; k++)
        if (strcasecmp(cmd, commands[k]) == 0)
            c = k;
    if (c < 0)
        return bad(o, "unknown command '%s': use connect, publish, subscribe, "
                      "unsubscribe, disconnect or will", cmd);
    brisa_mqtt_property p = { 0 };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strcasecmp(name, names[k].name) == 0)
            p.id = names[k].id;
    if (p.id == 0)
        return bad(o, "unknown property '%s'", name);
    if (not_ours(c, p.id))
        return bad(o, "%s may not be given in %s", name, cmd);
    int type = brisa_mqtt_prop_type(p.id);
    *i += 3;
    if (type == BRISA_MQTT_PT_PAIR) {
        if (*i + 1 >= argc)
            return bad(o, "%s needs a name and a value", name);
        p.data.data = (const uint8_t *)value;
        p.data.len = strlen(value);
        value = argv[++*i];
        p.value2.data = (const uint8_t *)value;
        p.value2.len = strlen(value);
    } else if (type == BRISA_MQTT_PT_STR || type == BRISA_MQTT_PT_BIN) {
        p.data.data = (const uint8_t *)value;
        p.data.len = strlen(value);
    } else {
        char *end;
        errno = 0;
        unsigned long v = strtoul(value, &end, 0);
        if (value[0] == '-' || *end != '\0' || errno != 0 || v > UINT32_MAX)
            return bad(o, "invalid number '%s' for %s", value, name);
        p.value = (uint32_t)v;
    }
    size_t used = o->props_len[c];
    int rc = brisa_mqtt_prop_put(o->props[c], sizeof o->props[c], &used, &p);
    if (rc == BRISA_ERR_TOO_LARGE)
        return bad(o, "value '%s' too large for %s", value, name);
    if (rc != BRISA_OK)
        return bad(o, "cannot add %s: %s", name, brisa_err_str(rc));
    /* Allowed in that packet, not repeated, in range: the decoder's rules. */
    brisa_mqtt_properties block = { o->props[c], used, NULL, 0 };
    rc = brisa_mqtt_props_check(where_of[c], &block);
    if (rc == BRISA_ERR_MALFORMED)
        return bad(o, "%s is not allowed in %s", name, cmd);
    if (rc != BRISA_OK)
        return bad(o, "%s: given twice, or value '%s' out of range", name, value);
    o->props_len[c] = used;
    return 0;
}

int tools_opts_v5_finish(tools_opts *o)
{
    if (o->scram && (!o->username || !o->password)) {
        tools_error(o, "--scram needs a user name (-u) and a password (-P) (see %s --help)",
                    o->prog);
        return TOOLS_EXIT_USAGE;
    }
    if (o->scram_reauth_s && !o->scram) {
        tools_error(o, "--scram-reauth needs --scram (see %s --help)", o->prog);
        return TOOLS_EXIT_USAGE;
    }
    if (o->protocol_level == BRISA_MQTT_V5)
        return 0;
    const char *which = o->scram ? "--scram"
                        : o->session_expiry_s ? "-x"
                        : o->no_local ? "--no-local"
                        : o->retain_as_published ? "--retain-as-published"
                        : o->retain_handling ? "--retain-handling"
                        : NULL;
    for (int k = 0; !which && k < TOOLS_PROP_CMDS; k++)
        if (o->props_len[k])
            which = "-D";
    if (!which)
        return 0;
    tools_error(o, "%s needs MQTT 5: add -V 5 (see %s --help)", which, o->prog);
    return TOOLS_EXIT_USAGE;
}
