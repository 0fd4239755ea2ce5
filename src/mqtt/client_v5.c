// SPDX-License-Identifier: MIT
/* MQTT client, what only MQTT 5 adds: CONNECT's own properties, the
 * server's limits from CONNACK and the checks they impose on what we
 * send, outgoing topic aliases, checks on incoming PUBLISH, the server's
 * DISCONNECT and the AUTH exchange. */
#include <stddef.h>
#include <string.h>

#include "client_internal.h"
#include "codec_internal.h"

#if BRISA_MQTT5

static int put_int(uint8_t *buf, size_t size, size_t *used, uint8_t id, uint32_t v)
{
    brisa_mqtt_property p = { .id = id, .value = v };
    return brisa_mqtt_prop_put(buf, size, used, &p);
}

static int put_str(uint8_t *buf, size_t size, size_t *used, uint8_t id, const void *s,
                   size_t len)
{
    brisa_mqtt_property p = { .id = id, .data = { s, len } };
    return brisa_mqtt_prop_put(buf, size, used, &p);
}

/* The aliases the server may use: as many as we announced. */
static size_t aliases_in(const brisa_mqtt_client *c)
{
    size_t n = c->cfg.aliases_in ? c->cfg.alias_in_count : 0;
    return n > 65535 ? 65535 : n;
}

/* The authentication method's data for @p reason, as an Authentication
 * Data property written straight into @p buf (no copy). */
static int put_auth_data(const brisa_mqtt_auth *a, uint8_t reason, const uint8_t *in,
                         size_t in_len, uint8_t *buf, size_t size, size_t *used)
{
    if (size - *used < 3)
        return BRISA_ERR_NO_SPACE;
    size_t room = size - *used - 3;
    if (room > BRISA_MQTT_AUTH_DATA_MAX)
        room = BRISA_MQTT_AUTH_DATA_MAX;
    int n = a->step(a->ctx, reason, in, in_len, buf + *used + 3, room);
    if (n < 0)
        return n;
    if ((size_t)n > room)
        return BRISA_ERR_INVALID_ARG;
    buf[*used] = BRISA_MQTT_PROP_AUTH_DATA;
    buf[*used + 1] = (uint8_t)(n >> 8);
    buf[*used + 2] = (uint8_t)n;
    *used += 3 + (size_t)n;
    return BRISA_OK;
}

int bri_mqtt_v5_connect_props(brisa_mqtt_client *c, const brisa_mqtt_connect_options *o,
                                uint8_t *buf, size_t size)
{
    /* Each integer property goes when its option is set; Request Problem
     * Information is sent only to turn it off (value 0). */
    static const uint8_t ids[] = {
        BRISA_MQTT_PROP_SESSION_EXPIRY, BRISA_MQTT_PROP_RECEIVE_MAXIMUM,
        BRISA_MQTT_PROP_MAXIMUM_PACKET_SIZE, BRISA_MQTT_PROP_REQUEST_RESPONSE_INFO,
        BRISA_MQTT_PROP_REQUEST_PROBLEM_INFO, BRISA_MQTT_PROP_TOPIC_ALIAS_MAXIMUM,
    };
    const uint32_t set[] = {
        o->session_expiry_s, o->receive_maximum, o->maximum_packet_size,
        o->request_response_info, o->no_problem_info, (uint32_t)aliases_in(c),
    };
    size_t used = 0;
    int err = BRISA_OK;
    for (size_t i = 0; !err && i < sizeof ids; i++)
        if (set[i])
            err = put_int(buf, size, &used, ids[i],
                          ids[i] == BRISA_MQTT_PROP_REQUEST_PROBLEM_INFO ? 0 : set[i]);
    if (!err && o->auth) {
        if (!o->auth->method || !o->auth->step)
            return BRISA_ERR_INVALID_ARG;
        err = put_str(buf, size, &used, BRISA_MQTT_PROP_AUTH_METHOD, o->auth->method,
                      strlen(o->auth->method));
        if (!err)
            err = put_auth_data(o->auth, 0x19, NULL, 0, buf, size, &used);
    }
    if (err)
        return err;
    c->auth = o->auth;
    c->max_packet_in = o->maximum_packet_size;
    c->receive_max_in = o->receive_maximum ? o->receive_maximum : 65535;
    return (int)used;
}

/* The CONNACK properties that set a limit: where each goes and its width
 * (booleans and Maximum QoS are one byte, checked 0 or 1 on decoding). */
#define LIMIT(id, field) \
    { BRISA_MQTT_PROP_##id, offsetof(brisa_mqtt_limits, field), \
      sizeof(((brisa_mqtt_limits *)0)->field) }
static const struct limit_prop {
    uint8_t id, offset, width;
} limit_props[] = {
    LIMIT(RECEIVE_MAXIMUM, receive_maximum),
    LIMIT(MAXIMUM_QOS, maximum_qos),
    LIMIT(RETAIN_AVAILABLE, retain_available),
    LIMIT(MAXIMUM_PACKET_SIZE, maximum_packet_size),
    LIMIT(TOPIC_ALIAS_MAXIMUM, topic_alias_maximum),
    LIMIT(WILDCARD_SUB_AVAILABLE, wildcard_available),
    LIMIT(SUB_ID_AVAILABLE, subscription_ids_available),
    LIMIT(SHARED_SUB_AVAILABLE, shared_available),
    LIMIT(SERVER_KEEPALIVE, server_keepalive_s),
};

/* Section 3.2.2.3: what the server leaves out has its default. */
int bri_mqtt_v5_connack(brisa_mqtt_client *c, const brisa_mqtt_connack_packet *p)
{
    static const brisa_mqtt_limits defaults = {
        .receive_maximum = 65535, .maximum_qos = 2, .retain_available = true,
        .wildcard_available = true, .subscription_ids_available = true,
        .shared_available = true,
    };
    brisa_mqtt_limits *l = &c->server;
    *l = defaults;
    size_t pos = 0;
    brisa_mqtt_property pr;
    const uint8_t *auth_data = NULL;
    size_t auth_len = 0;
    while (brisa_mqtt_prop_next(&p->props, &pos, &pr)) {
        if (pr.id == BRISA_MQTT_PROP_AUTH_DATA) {
            auth_data = pr.data.data;
            auth_len = pr.data.len;
        }
        /* [MQTT-3.2.2-21]: the server's keep alive replaces ours. */
        if (pr.id == BRISA_MQTT_PROP_SERVER_KEEPALIVE)
            c->keepalive_s = (uint16_t)pr.value;
        for (size_t i = 0; i < sizeof limit_props / sizeof limit_props[0]; i++) {
            const struct limit_prop *lp = &limit_props[i];
            uint8_t *f = (uint8_t *)l + lp->offset;
            uint16_t v16 = (uint16_t)pr.value;
            if (lp->id != pr.id)
                continue;
            if (lp->width == 4)
                memcpy(f, &pr.value, 4);
            else if (lp->width == 2)
                memcpy(f, &v16, 2);
            else
                *f = (uint8_t)pr.value;
        }
    }
    /* Aliases live for one connection, both ways. */
    for (size_t i = 0; i < c->cfg.alias_count && c->cfg.aliases; i++)
        c->cfg.aliases[i].topic[0] = 0;
    for (size_t i = 0; i < aliases_in(c); i++)
        c->cfg.aliases_in[i].topic[0] = 0;
    if (c->auth) {
        uint8_t scratch[BRISA_MQTT_AUTH_DATA_MAX];
        if (c->auth->step(c->auth->ctx, 0, auth_data, auth_len, scratch, sizeof scratch) < 0) {
            bri_mqtt_abort(c, BRISA_ERR_REFUSED, BRISA_MQTT_CONNACK, 0, 0x87);
            return BRISA_ERR_REFUSED;
        }
    }
    return BRISA_OK;
}

static size_t outgoing_publishes(const brisa_mqtt_client *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->cfg.inflight_count; i++)
        if (KINDS_PUBLISH & KIND_BIT(c->cfg.inflight[i].kind))
            n++;
    return n;
}

int bri_mqtt_v5_publish_check(const brisa_mqtt_client *c, const void *payload,
                                size_t payload_len, uint8_t qos, bool retain,
                                const brisa_mqtt_properties *props)
{
    const brisa_mqtt_limits *l = &c->server;
    if (qos > l->maximum_qos || (retain && !l->retain_available))
        return BRISA_ERR_UNSUPPORTED;
    if (qos && outgoing_publishes(c) >= l->receive_maximum)
        return BRISA_ERR_BUSY;
    if (!props)
        return BRISA_OK;
    if (brisa_mqtt_props_check(BRISA_MQTT_IN_PUBLISH, props))
        return BRISA_ERR_INVALID_ARG;
    brisa_mqtt_property pr;
    if (brisa_mqtt_prop_find(props, BRISA_MQTT_PROP_TOPIC_ALIAS, &pr))
        return BRISA_ERR_INVALID_ARG; /* aliases are the client's to choose */
    if (brisa_mqtt_prop_find(props, BRISA_MQTT_PROP_PAYLOAD_FORMAT, &pr) && pr.value == 1 &&
        !brisa_mqtt_utf8_valid(payload, payload_len))
        return BRISA_ERR_INVALID_ARG;
    return BRISA_OK;
}

static bool has_wildcard(const char *f)
{
    return strchr(f, '+') || strchr(f, '#');
}

int bri_mqtt_v5_subscribe_check(const brisa_mqtt_client *c,
                                  const brisa_mqtt_subscription *subs, size_t count,
                                  const brisa_mqtt_properties *props)
{
    const brisa_mqtt_limits *l = &c->server;
    brisa_mqtt_property pr;
    if (props && brisa_mqtt_prop_find(props, BRISA_MQTT_PROP_SUBSCRIPTION_ID, &pr) &&
        !l->subscription_ids_available)
        return BRISA_ERR_UNSUPPORTED;
    for (size_t i = 0; subs && i < count; i++) {
        if (!subs[i].filter)
            return BRISA_ERR_INVALID_ARG;
        bool shared = bri_mqtt_shared_prefix(subs[i].filter, strlen(subs[i].filter));
        if ((shared && !l->shared_available) ||
            (has_wildcard(subs[i].filter) && !l->wildcard_available))
            return BRISA_ERR_UNSUPPORTED;
    }
    return BRISA_OK;
}

uint16_t bri_mqtt_v5_alias(brisa_mqtt_client *c, const char *topic, size_t len,
                             bool *known)
{
    size_t n = c->cfg.aliases ? c->cfg.alias_count : 0;
    if (n > c->server.topic_alias_maximum)
        n = c->server.topic_alias_maximum;
    *known = false;
    if (len >= BRISA_MQTT_ALIAS_TOPIC_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char *slot = c->cfg.aliases[i].topic;
        if (slot[0] == 0) {
            /* First come, first served: the table fills once per
             * connection and is never reassigned. */
            memcpy(slot, topic, len);
            slot[len] = 0;
            return (uint16_t)(i + 1);
        }
        if (strlen(slot) == len && memcmp(slot, topic, len) == 0) {
            *known = true;
            return (uint16_t)(i + 1);
        }
    }
    return 0;
}

static size_t count_kind(const brisa_mqtt_client *c, uint8_t kind)
{
    size_t n = 0;
    for (size_t i = 0; i < c->cfg.inflight_count; i++)
        n += c->cfg.inflight[i].kind == kind;
    return n;
}

bool bri_mqtt_v5_alias_resolve(brisa_mqtt_client *c, brisa_mqtt_publish_packet *p)
{
    brisa_mqtt_property pr;
    if (!brisa_mqtt_prop_find(&p->props, BRISA_MQTT_PROP_TOPIC_ALIAS, &pr))
        return true;
    /* [MQTT-3.3.2-9], [MQTT-3.3.2-10]: within the maximum we announced. */
    if (pr.value == 0 || pr.value > aliases_in(c))
        return false;
    char *slot = c->cfg.aliases_in[pr.value - 1].topic;
    if (p->topic.len) {
        /* A topic too long for a slot cannot be remembered: a later use
         * of the alias alone is then refused as unknown. */
        size_t keep = p->topic.len < BRISA_MQTT_ALIAS_TOPIC_MAX ? p->topic.len : 0;
        memcpy(slot, p->topic.data, keep);
        slot[keep] = 0;
        return true;
    }
    if (!slot[0])
        return false;
    p->topic.data = slot;
    p->topic.len = strlen(slot);
    return true;
}

int bri_mqtt_v5_publish_in(brisa_mqtt_client *c, brisa_mqtt_publish_packet *p)
{
    if (!bri_mqtt_v5_alias_resolve(c, p)) {
        bri_mqtt_abort(c, BRISA_ERR_PROTOCOL, BRISA_MQTT_PUBLISH, p->packet_id, 0x94);
        return BRISA_ERR_PROTOCOL;
    }
    if (p->qos == 2 && !bri_mqtt_inflight_find(c, IF_IN_PUBREL, p->packet_id) &&
        count_kind(c, IF_IN_PUBREL) >= c->receive_max_in) {
        bri_mqtt_abort(c, BRISA_ERR_PROTOCOL, BRISA_MQTT_PUBLISH, p->packet_id, 0x93);
        return BRISA_ERR_PROTOCOL;
    }
    return BRISA_OK;
}

int bri_mqtt_v5_server_disconnect(brisa_mqtt_client *c, const brisa_mqtt_reason_packet *p)
{
    int err = p->reason_code >= 0x80 ? BRISA_ERR_REFUSED : BRISA_ERR_CLOSED;
    c->failure.reason_code = p->reason_code;
    c->fail_props = &p->props;
    bri_mqtt_fail_detail(c, err, BRISA_MQTT_DISCONNECT, 0, 0);
    c->fail_props = NULL;
    return err;
}

/* Sends AUTH @p reason with the method and the data step() gives. */
static int send_auth(brisa_mqtt_client *c, uint8_t reason, uint8_t step_reason,
                     const uint8_t *in, size_t in_len)
{
    uint8_t props[BRISA_MQTT_AUTH_DATA_MAX + 64];
    size_t used = 0;
    int err = put_str(props, sizeof props, &used, BRISA_MQTT_PROP_AUTH_METHOD, c->auth->method,
                      strlen(c->auth->method));
    if (!err)
        err = put_auth_data(c->auth, step_reason, in, in_len, props, sizeof props, &used);
    if (err)
        return err;
    brisa_mqtt_properties pr = { props, used, NULL, 0 };
    return bri_mqtt_send_reason(c, BRISA_MQTT_AUTH, reason, &pr);
}

int bri_mqtt_v5_auth_in(brisa_mqtt_client *c, const brisa_mqtt_reason_packet *p)
{
    brisa_mqtt_property m, d = { 0 };
    /* An AUTH we did not ask for, a re-authentication asked of us, or a
     * success before CONNACK (which ends the first exchange): 4.12. */
    if (!c->auth || p->reason_code == 0x19 ||
        (p->reason_code == 0 && c->state == ST_CONNECTING)) {
        bri_mqtt_abort(c, BRISA_ERR_PROTOCOL, BRISA_MQTT_AUTH, 0, 0x82);
        return BRISA_ERR_PROTOCOL;
    }
    if (!brisa_mqtt_prop_find(&p->props, BRISA_MQTT_PROP_AUTH_METHOD, &m) ||
        m.data.len != strlen(c->auth->method) ||
        memcmp(m.data.data, c->auth->method, m.data.len) != 0) {
        bri_mqtt_abort(c, BRISA_ERR_PROTOCOL, BRISA_MQTT_AUTH, 0, 0x8C);
        return BRISA_ERR_PROTOCOL;
    }
    brisa_mqtt_prop_find(&p->props, BRISA_MQTT_PROP_AUTH_DATA, &d);
    int err;
    if (p->reason_code == 0x18) {
        err = send_auth(c, 0x18, 0x18, d.data.data, d.data.len);
    } else {
        /* Success of a re-authentication: the method checks the end. */
        uint8_t scratch[BRISA_MQTT_AUTH_DATA_MAX];
        err = c->auth->step(c->auth->ctx, 0, d.data.data, d.data.len, scratch, sizeof scratch);
        err = err < 0 ? err : BRISA_OK;
    }
    if (err < 0 && c->state != ST_IDLE)
        bri_mqtt_abort(c, BRISA_ERR_REFUSED, BRISA_MQTT_AUTH, 0, 0x87);
    return err < 0 ? (c->failure.err ? c->failure.err : err) : BRISA_OK;
}

brisa_err brisa_mqtt_reauthenticate(brisa_mqtt_client *c)
{
    if (!c)
        return BRISA_ERR_INVALID_ARG;
    if (c->state != ST_CONNECTED || !client_v5(c) || !c->auth)
        return BRISA_ERR_STATE;
    return send_auth(c, 0x19, 0x19, NULL, 0);
}

const brisa_mqtt_limits *brisa_mqtt_server_limits(const brisa_mqtt_client *c)
{
    return c && client_v5(c) && c->state == ST_CONNECTED ? &c->server : NULL;
}

#else /* !BRISA_MQTT5 */

brisa_err brisa_mqtt_reauthenticate(brisa_mqtt_client *c)
{
    (void)c;
    return BRISA_ERR_UNSUPPORTED;
}

const brisa_mqtt_limits *brisa_mqtt_server_limits(const brisa_mqtt_client *c)
{
    (void)c;
    return NULL;
}

#endif /* BRISA_MQTT5 */
