// SPDX-License-Identifier: MIT
/* The AT+CMQTT... commands: service, clients, will, connection, publish,
 * subscribe. Answers follow the MQTT AT command manual: a refused command
 * says "+CMQTTxxx: <idx>,<err>" then ERROR; an accepted one that needs the
 * broker says OK now and "+CMQTTxxx: <idx>,<err>" when the broker answered. */
#include <string.h>
#include <strings.h>

#include "emu.h"

/* Parses the client index in field 0; answers ERROR when it is not one. */
static emu_client *client_arg(emu *e, const emu_args *a)
{
    long idx;
    if (!emu_arg_int(a, 0, 0, EMU_CLIENTS - 1, &idx)) {
        emu_error(e);
        return NULL;
    }
    return &e->clients[idx];
}

/* An acquired client from field 0, or NULL once the refusal is answered. */
static emu_client *acquired(emu *e, const char *name, char *args, emu_args *a, int nmin, int nmax)
{
    if (!emu_args_parse(args, a) || a->n < nmin || a->n > nmax) {
        emu_error(e);
        return NULL;
    }
    emu_client *c = client_arg(e, a);
    if (c != NULL && !c->acquired) {
        emu_mqtt_error(e, name, c->idx, EMU_E_NOT_ACQUIRED);
        return NULL;
    }
    return c;
}

static void cmqttstart(emu *e, int form, char *args)
{
    (void)args;
    if (form != EMU_EXEC) {
        emu_error(e);
        return;
    }
    if (e->mqtt_started) {
        emu_mqtt_error(e, "CMQTTSTART", -1, EMU_E_NET_OPENED);
        return;
    }
    e->mqtt_started = true;
    /* As the seed's capture shows: the result before OK. */
    emu_line(e, "+CMQTTSTART: 0");
    emu_ok(e);
}

static void cmqttstop(emu *e, int form, char *args)
{
    (void)args;
    if (form != EMU_EXEC) {
        emu_error(e);
        return;
    }
    if (!e->mqtt_started) {
        emu_mqtt_error(e, "CMQTTSTOP", -1, EMU_E_NET_NOT_OPENED);
        return;
    }
    for (int i = 0; i < EMU_CLIENTS; i++) {
        if (e->clients[i].acquired) {
            emu_mqtt_error(e, "CMQTTSTOP", -1, EMU_E_NOT_RELEASED);
            return;
        }
    }
    e->mqtt_started = false;
    emu_line(e, "+CMQTTSTOP: 0");
    emu_ok(e);
}

static void cmqttaccq(emu *e, int form, char *args)
{
    emu_args a;
    const char *id;
    long type = 0;
    if (form == EMU_READ) {
        for (int i = 0; i < EMU_CLIENTS; i++)
            emu_line(e, "+CMQTTACCQ: %d,\"%s\",%d", i, e->clients[i].client_id,
                     e->clients[i].server_type);
        emu_ok(e);
        return;
    }
    if (form != EMU_SET || !emu_args_parse(args, &a) || a.n < 2 || a.n > 3) {
        emu_error(e);
        return;
    }
    emu_client *c = client_arg(e, &a);
    if (c == NULL)
        return;
    if (!emu_arg_str(&a, 1, EMU_CLIENT_ID_MAX, &id) || id[0] == '\0' ||
        (a.n == 3 && !emu_arg_int(&a, 2, 0, 1, &type))) {
        emu_error(e);
        return;
    }
    if (!e->mqtt_started) {
        emu_mqtt_error(e, "CMQTTACCQ", c->idx, EMU_E_NET_NOT_OPENED);
        return;
    }
    if (c->acquired) {
        emu_mqtt_error(e, "CMQTTACCQ", c->idx, EMU_E_CLIENT_USED);
        return;
    }
    c->acquired = true;
    strcpy(c->client_id, id);
    c->server_type = (int)type;
    c->ssl_ctx = 0;
    emu_ok(e);
}

static void cmqttrel(emu *e, int form, char *args)
{
    emu_args a;
    if (form != EMU_SET) {
        emu_error(e);
        return;
    }
    emu_client *c = acquired(e, "CMQTTREL", args, &a, 1, 1);
    if (c == NULL)
        return;
    if (c->connected || c->connecting) {
        emu_mqtt_error(e, "CMQTTREL", c->idx, EMU_E_CLIENT_USED);
        return;
    }
    int idx = c->idx;
    memset(c, 0, sizeof *c);
    c->idx = idx;
    c->emu = e;
    brisa_posix_tcp_init(&c->tcp);
    emu_ok(e);
}

static void cmqttsslcfg(emu *e, int form, char *args)
{
    emu_args a;
    long ctx;
    if (form == EMU_READ) {
        for (int i = 0; i < EMU_CLIENTS; i++)
            emu_line(e, "+CMQTTSSLCFG: %d,%d", i, e->clients[i].ssl_ctx);
        emu_ok(e);
        return;
    }
    if (form != EMU_SET) {
        emu_error(e);
        return;
    }
    emu_client *c = acquired(e, "CMQTTSSLCFG", args, &a, 2, 2);
    if (c == NULL)
        return;
    if (!emu_arg_int(&a, 1, 0, EMU_SSL_CTXS - 1, &ctx)) {
        emu_error(e);
        return;
    }
    c->ssl_ctx = (int)ctx;
    emu_ok(e);
}

/* Commands that announce LEN bytes after a '>' prompt: idx,len[,extra]. */
static void prompt_cmd(emu *e, int form, char *args, const char *name, emu_data_kind kind,
                       long max, int nargs, long extra_hi)
{
    emu_args a;
    long len, extra = 0;
    if (form != EMU_SET) {
        emu_error(e);
        return;
    }
    emu_client *c = acquired(e, name, args, &a, nargs, nargs);
    if (c == NULL)
        return;
    if (!emu_arg_int(&a, 1, 0, 1L << 30, &len) ||
        (nargs > 2 && !emu_arg_int(&a, 2, 0, extra_hi, &extra))) {
        emu_error(e);
        return;
    }
    if (len < 1 || len > max) {
        emu_mqtt_error(e, name, c->idx, EMU_E_LENGTH);
        return;
    }
    if ((kind == EMU_DATA_SUBTOPIC && c->sub_count == EMU_SUBS_MAX) ||
        (kind == EMU_DATA_UNSUBTOPIC && c->unsub_count == EMU_SUBS_MAX)) {
        emu_mqtt_error(e, name, c->idx, EMU_E_FAILED);
        return;
    }
    e->data_idx = c->idx;
    e->data_arg = (int)extra;
    emu_prompt(e, kind, (size_t)len);
}

static void cmqttwilltopic(emu *e, int form, char *args)
{
    prompt_cmd(e, form, args, "CMQTTWILLTOPIC", EMU_DATA_WILLTOPIC, EMU_TOPIC_MAX, 2, 0);
}

static void cmqttwillmsg(emu *e, int form, char *args)
{
    prompt_cmd(e, form, args, "CMQTTWILLMSG", EMU_DATA_WILLMSG, EMU_PAYLOAD_MAX, 3, 2);
}

static void cmqtttopic(emu *e, int form, char *args)
{
    prompt_cmd(e, form, args, "CMQTTTOPIC", EMU_DATA_TOPIC, EMU_TOPIC_MAX, 2, 0);
}

static void cmqttpayload(emu *e, int form, char *args)
{
    prompt_cmd(e, form, args, "CMQTTPAYLOAD", EMU_DATA_PAYLOAD, EMU_PAYLOAD_MAX, 2, 0);
}

static void cmqttsubtopic(emu *e, int form, char *args)
{
    prompt_cmd(e, form, args, "CMQTTSUBTOPIC", EMU_DATA_SUBTOPIC, EMU_TOPIC_MAX, 3, 2);
}

static void cmqttunsubtopic(emu *e, int form, char *args)
{
    prompt_cmd(e, form, args, "CMQTTUNSUBTOPIC", EMU_DATA_UNSUBTOPIC, EMU_TOPIC_MAX, 2, 0);
}

static void subscribe_now(emu *e, emu_client *c)
{
    brisa_mqtt_subscription subs[EMU_SUBS_MAX];
    for (size_t i = 0; i < c->sub_count; i++) {
        subs[i].filter = c->subs[i];
        subs[i].qos = c->sub_qos[i];
    }
    uint16_t id = 0;
    int rc = brisa_mqtt_subscribe(&c->mqtt, subs, c->sub_count, &id);
    c->sub_count = 0;
    if (rc < 0) {
        emu_log(e, "broker", "client %d: SUBSCRIBE: %s", c->idx, brisa_err_str(rc));
        emu_line(e, "+CMQTTSUB: %d,%d", c->idx, EMU_E_FAILED);
        return;
    }
    c->sub_id = id;
    c->sub_deadline_ms = emu_now_ms(e) + 60000;
}

static void unsubscribe_now(emu *e, emu_client *c)
{
    const char *filters[EMU_SUBS_MAX];
    for (size_t i = 0; i < c->unsub_count; i++)
        filters[i] = c->unsubs[i];
    uint16_t id = 0;
    int rc = brisa_mqtt_unsubscribe(&c->mqtt, filters, c->unsub_count, &id);
    c->unsub_count = 0;
    if (rc < 0) {
        emu_log(e, "broker", "client %d: UNSUBSCRIBE: %s", c->idx, brisa_err_str(rc));
        emu_line(e, "+CMQTTUNSUB: %d,%d", c->idx, EMU_E_FAILED);
        return;
    }
    c->unsub_id = id;
    c->unsub_deadline_ms = emu_now_ms(e) + 60000;
}

/* The part SUB and UNSUB share once their parameters are read: with
 * direct, the topic comes after a prompt; else the SUBTOPIC/UNSUBTOPIC
 * list is sent now. */
static void sub_or_unsub(emu *e, emu_client *c, bool unsub, bool direct, long len, long qos)
{
    const char *name = unsub ? "CMQTTUNSUB" : "CMQTTSUB";
    size_t count = unsub ? c->unsub_count : c->sub_count;
    if (!c->connected) {
        emu_mqtt_error(e, name, c->idx, EMU_E_NO_CONNECTION);
    } else if ((unsub ? c->unsub_id : c->sub_id) != 0) {
        emu_mqtt_error(e, name, c->idx, EMU_E_BUSY);
    } else if (direct && (len < 1 || len > EMU_TOPIC_MAX)) {
        emu_mqtt_error(e, name, c->idx, EMU_E_LENGTH);
    } else if (direct && count == EMU_SUBS_MAX) {
        emu_mqtt_error(e, name, c->idx, EMU_E_FAILED);
    } else if (direct) {
        e->data_idx = c->idx;
        e->data_arg = (int)qos;
        emu_prompt(e, unsub ? EMU_DATA_UNSUB : EMU_DATA_SUB, (size_t)len);
    } else if (count == 0) {
        emu_mqtt_error(e, name, c->idx, EMU_E_TOPIC_EMPTY);
    } else {
        emu_ok(e);
        if (unsub)
            unsubscribe_now(e, c);
        else
            subscribe_now(e, c);
    }
}

/* AT+CMQTTSUB=idx[,dup] subscribes the SUBTOPIC list; AT+CMQTTSUB=idx,len,
 * qos[,dup] takes one topic after a prompt and subscribes it. */
static void cmqttsub(emu *e, int form, char *args)
{
    emu_args a;
    long len = 0, qos = 0, dup;
    if (form != EMU_SET) {
        emu_error(e);
        return;
    }
    emu_client *c = acquired(e, "CMQTTSUB", args, &a, 1, 4);
    if (c == NULL)
        return;
    bool direct = a.n >= 3;
    if ((a.n == 2 && !emu_arg_int(&a, 1, 0, 1, &dup)) ||
        (direct && (!emu_arg_int(&a, 1, 0, 1L << 30, &len) || !emu_arg_int(&a, 2, 0, 2, &qos) ||
                    (a.n == 4 && !emu_arg_int(&a, 3, 0, 1, &dup))))) {
        emu_error(e);
        return;
    }
    sub_or_unsub(e, c, false, direct, len, qos);
}

/* AT+CMQTTUNSUB=idx,dup or AT+CMQTTUNSUB=idx,len,dup (topic after a prompt). */
static void cmqttunsub(emu *e, int form, char *args)
{
    emu_args a;
    long len = 0, dup;
    if (form != EMU_SET) {
        emu_error(e);
        return;
    }
    emu_client *c = acquired(e, "CMQTTUNSUB", args, &a, 2, 3);
    if (c == NULL)
        return;
    bool direct = a.n == 3;
    if (!emu_arg_int(&a, a.n - 1, 0, 1, &dup) ||
        (direct && !emu_arg_int(&a, 1, 0, 1L << 30, &len))) {
        emu_error(e);
        return;
    }
    sub_or_unsub(e, c, true, direct, len, 0);
}

/* The bytes after an MQTT command's prompt. */
/* Topics and filters must be MQTT strings (UTF-8, no U+0000) and valid as
 * what they are for; else the module's "bad UTF-8 string" (2). */
static bool data_valid(const emu *e)
{
    const char *text = (const char *)e->data;
    switch (e->data_kind) {
    case EMU_DATA_TOPIC:
    case EMU_DATA_WILLTOPIC:
        return brisa_mqtt_topic_valid(text, e->data_have);
    case EMU_DATA_SUBTOPIC:
    case EMU_DATA_SUB:
    case EMU_DATA_UNSUBTOPIC:
    case EMU_DATA_UNSUB:
        return brisa_mqtt_filter_valid(text, e->data_have);
    default:
        return true;
    }
}

void emu_mqtt_data(emu *e)
{
    emu_client *c = &e->clients[e->data_idx];
    char *text = (char *)e->data;
    size_t n = e->data_have;
    if (!data_valid(e)) {
        static const char *const names[] = {
            [EMU_DATA_TOPIC] = "CMQTTTOPIC",       [EMU_DATA_WILLTOPIC] = "CMQTTWILLTOPIC",
            [EMU_DATA_SUBTOPIC] = "CMQTTSUBTOPIC", [EMU_DATA_SUB] = "CMQTTSUB",
            [EMU_DATA_UNSUBTOPIC] = "CMQTTUNSUBTOPIC", [EMU_DATA_UNSUB] = "CMQTTUNSUB",
        };
        emu_mqtt_error(e, names[e->data_kind], c->idx, EMU_E_BAD_UTF8);
        return;
    }
    switch (e->data_kind) {
    case EMU_DATA_TOPIC:
        memcpy(c->topic, text, n);
        c->topic[n] = '\0';
        c->topic_len = n;
        break;
    case EMU_DATA_PAYLOAD:
        memcpy(c->payload, text, n);
        c->payload_len = n;
        break;
    case EMU_DATA_WILLTOPIC:
        memcpy(c->will_topic, text, n);
        c->will_topic[n] = '\0';
        c->will_topic_len = n;
        break;
    case EMU_DATA_WILLMSG:
        memcpy(c->will_msg, text, n);
        c->will_msg_len = n;
        c->will_qos = e->data_arg;
        c->has_will_msg = true;
        break;
    case EMU_DATA_SUBTOPIC:
    case EMU_DATA_SUB:
        memcpy(c->subs[c->sub_count], text, n);
        c->subs[c->sub_count][n] = '\0';
        c->sub_qos[c->sub_count++] = (uint8_t)e->data_arg;
        break;
    case EMU_DATA_UNSUBTOPIC:
    case EMU_DATA_UNSUB:
        memcpy(c->unsubs[c->unsub_count], text, n);
        c->unsubs[c->unsub_count++][n] = '\0';
        break;
    default:
        break;
    }
    emu_ok(e);
    if (e->data_kind == EMU_DATA_SUB)
        subscribe_now(e, c);
    else if (e->data_kind == EMU_DATA_UNSUB)
        unsubscribe_now(e, c);
}

static void cmqttconnect(emu *e, int form, char *args)
{
    emu_args a;
    const char *server, *user = NULL, *pass = NULL;
    long keepalive, clean;
    if (form == EMU_READ) {
        for (int i = 0; i < EMU_CLIENTS; i++) {
            const emu_client *c = &e->clients[i];
            if (c->connected)
                emu_line(e, "+CMQTTCONNECT: %d,\"%s\",%d,%d", i, c->server, c->keepalive, c->clean);
            else
                emu_line(e, "+CMQTTCONNECT: %d", i);
        }
        emu_ok(e);
        return;
    }
    if (form != EMU_SET) {
        emu_error(e);
        return;
    }
    emu_client *c = acquired(e, "CMQTTCONNECT", args, &a, 4, 6);
    if (c == NULL)
        return;
    if (!emu_arg_str(&a, 1, sizeof c->server - 1, &server) ||
        !emu_arg_int(&a, 2, 1, 64800, &keepalive) || !emu_arg_int(&a, 3, 0, 1, &clean) ||
        (a.n > 4 && !emu_arg_str(&a, 4, EMU_USER_MAX, &user)) ||
        (a.n > 5 && !emu_arg_str(&a, 5, EMU_USER_MAX, &pass)) ||
        strncasecmp(server, "tcp://", 6) != 0 || server[6] == '\0') {
        emu_error(e);
        return;
    }
    if (c->connected || c->connecting) {
        emu_mqtt_error(e, "CMQTTCONNECT", c->idx, EMU_E_CLIENT_USED);
        return;
    }
    strcpy(c->server, server);
    c->keepalive = (int)keepalive;
    c->clean = (int)clean;
    emu_ok(e);
    int err = emu_broker_connect(e, c, user, pass);
    if (err != EMU_PENDING)
        emu_line(e, "+CMQTTCONNECT: %d,%d", c->idx, err);
}

static void cmqttdisc(emu *e, int form, char *args)
{
    emu_args a;
    long timeout;
    if (form == EMU_READ) {
        for (int i = 0; i < EMU_CLIENTS; i++)
            emu_line(e, "+CMQTTDISC: %d,%d", i, e->clients[i].connected ? 0 : 1);
        emu_ok(e);
        return;
    }
    if (form != EMU_SET) {
        emu_error(e);
        return;
    }
    emu_client *c = acquired(e, "CMQTTDISC", args, &a, 2, 2);
    if (c == NULL)
        return;
    if (!emu_arg_int(&a, 1, 0, 180, &timeout)) {
        emu_error(e);
        return;
    }
    if (!c->connected) {
        emu_mqtt_error(e, "CMQTTDISC", c->idx, EMU_E_NO_CONNECTION);
        return;
    }
    emu_ok(e);
    int rc = brisa_mqtt_disconnect(&c->mqtt);
    emu_broker_drop(c);
    emu_line(e, "+CMQTTDISC: %d,%d", c->idx, rc == BRISA_OK ? 0 : EMU_E_SOCK_CLOSE);
}

static void cmqttpub(emu *e, int form, char *args)
{
    emu_args a;
    long qos, timeout, retain = 0, dup = 0;
    if (form != EMU_SET) {
        emu_error(e);
        return;
    }
    emu_client *c = acquired(e, "CMQTTPUB", args, &a, 3, 5);
    if (c == NULL)
        return;
    if (!emu_arg_int(&a, 1, 0, 2, &qos) || !emu_arg_int(&a, 2, 1, 180, &timeout) ||
        (a.n > 3 && !emu_arg_int(&a, 3, 0, 1, &retain)) ||
        (a.n > 4 && !emu_arg_int(&a, 4, 0, 1, &dup))) {
        emu_error(e);
        return;
    }
    if (!c->connected) {
        emu_mqtt_error(e, "CMQTTPUB", c->idx, EMU_E_NO_CONNECTION);
        return;
    }
    if (c->topic_len == 0) {
        emu_mqtt_error(e, "CMQTTPUB", c->idx, EMU_E_TOPIC_EMPTY);
        return;
    }
    emu_pending *slot = NULL;
    for (int i = 0; i < EMU_PENDING_MAX && slot == NULL; i++)
        if (c->pubs[i].packet_id == 0)
            slot = &c->pubs[i];
    if (slot == NULL) {
        emu_mqtt_error(e, "CMQTTPUB", c->idx, EMU_E_BUSY);
        return;
    }
    emu_ok(e);
    uint16_t id = 0;
    int rc = brisa_mqtt_publish(&c->mqtt, c->topic, c->payload, c->payload_len, (uint8_t)qos,
                                retain != 0, &id);
    /* The module forgets topic and payload once they are sent. */
    c->topic_len = 0;
    c->payload_len = 0;
    if (rc < 0) {
        emu_log(e, "broker", "client %d: PUBLISH: %s", c->idx, brisa_err_str(rc));
        emu_line(e, "+CMQTTPUB: %d,%d", c->idx, rc == BRISA_ERR_BUSY ? EMU_E_BUSY : EMU_E_FAILED);
        return;
    }
    if (qos == 0) {
        emu_line(e, "+CMQTTPUB: %d,0", c->idx);
        return;
    }
    slot->packet_id = id;
    slot->conn = c->conn;
    slot->deadline_ms = emu_now_ms(e) + (uint64_t)timeout * 1000u;
}

static const emu_command table[] = {
    { "CMQTTSTART", cmqttstart },
    { "CMQTTSTOP", cmqttstop },
    { "CMQTTACCQ", cmqttaccq },
    { "CMQTTREL", cmqttrel },
    { "CMQTTSSLCFG", cmqttsslcfg },
    { "CMQTTWILLTOPIC", cmqttwilltopic },
    { "CMQTTWILLMSG", cmqttwillmsg },
    { "CMQTTCONNECT", cmqttconnect },
    { "CMQTTDISC", cmqttdisc },
    { "CMQTTTOPIC", cmqtttopic },
    { "CMQTTPAYLOAD", cmqttpayload },
    { "CMQTTPUB", cmqttpub },
    { "CMQTTSUBTOPIC", cmqttsubtopic },
    { "CMQTTSUB", cmqttsub },
    { "CMQTTUNSUBTOPIC", cmqttunsubtopic },
    { "CMQTTUNSUB", cmqttunsub },
};

emu_handler emu_mqtt_handler(const char *name)
{
    return emu_lookup(table, sizeof table / sizeof table[0], name);
}
