// SPDX-License-Identifier: MIT
/* Table-driven option parser shared by brisa-pub and brisa-sub. */
#include "opts.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "brisa/mqtt.h"
#include "brisa/tls.h"
#include "brisa/version.h"
#include "url.h"

#define BOTH (TOOLS_PUB | TOOLS_SUB)

typedef enum opt_kind {
    OPT_FLAG,   /* sets a bool field to true */
    OPT_STRING, /* stores the argument in a const char * field */
    OPT_UINT,   /* stores a number in [min, max] in an unsigned field */
    OPT_CUSTOM  /* calls the row's function */
} opt_kind;

typedef struct opt_row {
    char short_name;       /* 0: long form only */
    const char *long_name; /* NULL: short form only */
    const char *arg_name;  /* NULL: takes no argument */
    unsigned tools;        /* TOOLS_PUB, TOOLS_SUB or both */
    opt_kind kind;
    size_t offset;         /* field, for the generic kinds */
    unsigned long min, max;
    int (*custom)(tools_opts *o, const char *arg);
    const char *help;
} opt_row;

void tools_error(const tools_opts *o, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", o->prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static int usage_error(const tools_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int usage_error(const tools_opts *o, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", o->prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see %s --help)\n", o->prog);
    return TOOLS_EXIT_USAGE;
}

static int set_message_source(tools_opts *o, tools_msg_source src, const char *arg)
{
    if (o->source != TOOLS_MSG_NONE)
        return usage_error(o, "only one of -m, -f, -l, -n, -s may be given");
    o->source = src;
    o->message = arg;
    return 0;
}

static int opt_message(tools_opts *o, const char *arg)
{
    return set_message_source(o, TOOLS_MSG_ARG, arg);
}

static int opt_file(tools_opts *o, const char *arg)
{
    return set_message_source(o, TOOLS_MSG_FILE, arg);
}

static int opt_lines(tools_opts *o, const char *arg)
{
    return set_message_source(o, TOOLS_MSG_LINES, arg);
}

static int opt_null(tools_opts *o, const char *arg)
{
    return set_message_source(o, TOOLS_MSG_NULL, arg);
}

static int opt_stdin(tools_opts *o, const char *arg)
{
    return set_message_source(o, TOOLS_MSG_STDIN, arg);
}

static int opt_topic(tools_opts *o, const char *arg)
{
    if (o->tool == TOOLS_PUB && o->topic_count == 1)
        return usage_error(o, "only one -t may be given to %s", o->prog);
    if (o->topic_count == TOOLS_MAX_TOPICS)
        return usage_error(o, "too many -t options (at most %d)", TOOLS_MAX_TOPICS);
    o->topics[o->topic_count++] = arg;
    return 0;
}

static int opt_unsub(tools_opts *o, const char *arg)
{
    if (o->unsub_count == TOOLS_MAX_TOPICS)
        return usage_error(o, "too many -U options (at most %d)", TOOLS_MAX_TOPICS);
    o->unsub[o->unsub_count++] = arg;
    return 0;
}

static int opt_no_clean(tools_opts *o, const char *arg)
{
    (void)arg;
    o->clean_session = false;
    return 0;
}

static int opt_version(tools_opts *o, const char *arg)
{
    if (strcmp(arg, "311") == 0 || strcmp(arg, "mqttv311") == 0) {
        o->protocol_level = BRISA_MQTT_V311;
        return 0;
    }
    if (strcmp(arg, "31") == 0 || strcmp(arg, "mqttv31") == 0) {
        o->protocol_level = BRISA_MQTT_V31;
        return 0;
    }
    if (strcmp(arg, "5") == 0 || strcmp(arg, "mqttv5") == 0) {
        o->protocol_level = BRISA_MQTT_V5;
        return 0;
    }
    return usage_error(o, "unknown protocol version '%s' for -V: use 5, 311 or 31", arg);
}

static int opt_ipv4(tools_opts *o, const char *arg)
{
    (void)arg;
    o->family = BRISA_POSIX_TCP_IPV4;
    return 0;
}

static int opt_ipv6(tools_opts *o, const char *arg)
{
    (void)arg;
    o->family = BRISA_POSIX_TCP_IPV6;
    return 0;
}

#define F(field) offsetof(tools_opts, field)

/* The options, in the order --help lists them. */
static const opt_row rows[] = {
    { 'L', NULL, "url", BOTH, OPT_CUSTOM, 0, 0, 0, tools_opt_url,
      "{mqtt|mqtts|ws|wss}://[user[:password]@]host[:port]/topic" },
    { 'h', NULL, "host", BOTH, OPT_STRING, F(host), 0, 0, NULL,
      "broker host name or address (default: localhost)" },
    { 'p', NULL, "port", BOTH, OPT_UINT, F(port), 1, 65535, NULL,
      "broker port (default: 1883)" },
    { '4', NULL, NULL, BOTH, OPT_CUSTOM, 0, 0, 0, opt_ipv4, "use IPv4 only" },
    { '6', NULL, NULL, BOTH, OPT_CUSTOM, 0, 0, 0, opt_ipv6, "use IPv6 only" },
    { 't', NULL, "topic", TOOLS_PUB, OPT_CUSTOM, 0, 0, 0, opt_topic,
      "topic to publish to" },
    { 't', NULL, "topic", TOOLS_SUB, OPT_CUSTOM, 0, 0, 0, opt_topic,
      "topic filter to subscribe to ('+' and '#' allowed); may be repeated" },
    { 'm', NULL, "message", TOOLS_PUB, OPT_CUSTOM, 0, 0, 0, opt_message,
      "send this text as the message" },
    { 'f', NULL, "file", TOOLS_PUB, OPT_CUSTOM, 0, 0, 0, opt_file,
      "send the contents of a file as the message" },
    { 'l', NULL, NULL, TOOLS_PUB, OPT_CUSTOM, 0, 0, 0, opt_lines,
      "read stdin, sending one message per line" },
    { 'n', NULL, NULL, TOOLS_PUB, OPT_CUSTOM, 0, 0, 0, opt_null,
      "send a null (zero length) message" },
    { 's', NULL, NULL, TOOLS_PUB, OPT_CUSTOM, 0, 0, 0, opt_stdin,
      "read the whole of stdin as the message" },
    { 'q', NULL, "qos", TOOLS_PUB, OPT_UINT, F(qos), 0, 2, NULL,
      "quality of service of the message: 0, 1 or 2 (default: 0)" },
    { 'q', NULL, "qos", TOOLS_SUB, OPT_UINT, F(qos), 0, 2, NULL,
      "highest quality of service to subscribe with (default: 0)" },
    { 'r', NULL, NULL, TOOLS_PUB, OPT_FLAG, F(retain), 0, 0, NULL,
      "ask the broker to retain the message" },
    { 'M', NULL, "count", TOOLS_PUB, OPT_UINT, F(max_inflight), 1, TOOLS_INFLIGHT, NULL,
      "most QoS 1/2 messages awaiting acknowledgement at once (default: 20)" },
    { 0, "store", "dir", TOOLS_PUB, OPT_STRING, F(store_dir), 0, 0, NULL,
      "keep unacknowledged QoS 1/2 messages in this directory (needs -c), resent after a restart" },
    { 'U', "unsubscribe", "filter", TOOLS_SUB, OPT_CUSTOM, 0, 0, 0, opt_unsub,
      "unsubscribe from this filter (a persistent session's); may be repeated" },
    { 0, "no-subscribe", NULL, TOOLS_SUB, OPT_FLAG, F(no_subscribe), 0, 0, NULL,
      "subscribe to nothing: print what a persistent session (-c) delivers" },
    { 'v', NULL, NULL, TOOLS_SUB, OPT_FLAG, F(verbose), 0, 0, NULL,
      "print each message as 'topic payload'" },
    { 'N', NULL, NULL, TOOLS_SUB, OPT_FLAG, F(no_newline), 0, 0, NULL,
      "do not print a newline after each payload" },
    { 'R', NULL, NULL, TOOLS_SUB, OPT_FLAG, F(no_stale), 0, 0, NULL,
      "do not print stale (retained) messages" },
    { 'C', NULL, "count", TOOLS_SUB, OPT_UINT, F(count), 1, UINT_MAX, NULL,
      "exit after receiving this many messages" },
    { 'W', NULL, "seconds", TOOLS_SUB, OPT_UINT, F(wait_s), 1, 86400u * 365u, NULL,
      "exit (status 27) after this many seconds" },
    { 'i', NULL, "id", BOTH, OPT_STRING, F(client_id), 0, 0, NULL,
      "client id (default: the program name, '-' and the process id)" },
    { 'I', NULL, "prefix", BOTH, OPT_STRING, F(id_prefix), 0, 0, NULL,
      "client id made of this prefix and the process id" },
    { 'c', NULL, NULL, BOTH, OPT_CUSTOM, 0, 0, 0, opt_no_clean,
      "persistent session: no clean session (needs -i)" },
    { 'k', NULL, "seconds", BOTH, OPT_UINT, F(keepalive_s), 0, 65535, NULL,
      "keepalive interval, 0 to disable (default: 60)" },
    { 'u', NULL, "user", BOTH, OPT_STRING, F(username), 0, 0, NULL,
      "user name" },
    { 'P', NULL, "password", BOTH, OPT_STRING, F(password), 0, 0, NULL,
      "password (needs -u)" },
    { 'V', NULL, "version", BOTH, OPT_CUSTOM, 0, 0, 0, opt_version,
      "MQTT version: 5 (or mqttv5), 311 (default) or 31" },
    { 'x', NULL, "seconds", BOTH, OPT_UINT, F(session_expiry_s), 0, UINT32_MAX, NULL,
      "MQTT 5 session expiry interval (default: 0, or forever with -c)" },
    { 'D', NULL, "cmd id value", BOTH, OPT_CUSTOM, 0, 0, 0, NULL,
      "MQTT 5 property: -D connect|publish|subscribe|unsubscribe|disconnect|will NAME VALUE" },
    { 0, "scram", NULL, BOTH, OPT_FLAG, F(scram), 0, 0, NULL,
      "MQTT 5 enhanced authentication SCRAM-SHA-256 with -u and -P" },
    { 0, "scram-reauth", "seconds", BOTH, OPT_UINT, F(scram_reauth_s), 1, 86400u * 365u, NULL,
      "with --scram: re-authenticate on the open connection every this many seconds" },
    { 0, "no-local", NULL, TOOLS_SUB, OPT_FLAG, F(no_local), 0, 0, NULL,
      "MQTT 5: do not receive our own messages" },
    { 0, "retain-as-published", NULL, TOOLS_SUB, OPT_FLAG, F(retain_as_published), 0, 0, NULL,
      "MQTT 5: keep the retain flag messages were published with" },
    { 0, "retain-handling", "n", TOOLS_SUB, OPT_UINT, F(retain_handling), 0, 2, NULL,
      "MQTT 5: retained messages 0 always, 1 for a new subscription only, 2 never" },
    { 'F', NULL, "format", TOOLS_SUB, OPT_STRING, F(format), 0, 0, NULL,
      "print each message with this format (mosquitto_sub's %-specifiers and \\-escapes)" },
    { 0, "will-topic", "topic", BOTH, OPT_STRING, F(will_topic), 0, 0, NULL,
      "topic of the will, sent by the broker if the connection is lost" },
    { 0, "will-payload", "text", BOTH, OPT_STRING, F(will_payload), 0, 0, NULL,
      "payload of the will (default: empty)" },
    { 0, "will-qos", "qos", BOTH, OPT_UINT, F(will_qos), 0, 2, NULL,
      "quality of service of the will (default: 0)" },
    { 0, "will-retain", NULL, BOTH, OPT_FLAG, F(will_retain), 0, 0, NULL,
      "ask the broker to retain the will" },
    { 0, "timeout", "seconds", BOTH, OPT_UINT, F(timeout_s), 1, 3600, NULL,
      "longest wait for the broker to connect or acknowledge (default: 10)" },
    { 0, "cafile", "file", BOTH, OPT_STRING, F(cafile), 0, 0, NULL,
      "use TLS, trusting the CA certificates in this file (default port: 8883)" },
    { 0, "capath", "dir", BOTH, OPT_STRING, F(capath), 0, 0, NULL,
      "use TLS, trusting the CA certificates in this directory" },
    { 0, "cert", "file", BOTH, OPT_STRING, F(certfile), 0, 0, NULL,
      "client certificate, for brokers that require one (PEM or DER)" },
    { 0, "key", "file", BOTH, OPT_STRING, F(keyfile), 0, 0, NULL,
      "private key of --cert (RSA or EC, PEM or DER)" },
    { 0, "keyform", "pem|der", BOTH, OPT_STRING, F(keyform), 0, 0, NULL,
      "encoding of --key (default: detected)" },
    { 0, "key-password", "text", BOTH, OPT_STRING, F(key_password), 0, 0, NULL,
      "password of an encrypted --key" },
    { 0, "crlfile", "file", BOTH, OPT_STRING, F(crlfile), 0, 0, NULL,
      "refuse a broker whose certificate this CRL revokes" },
    { 0, "insecure", NULL, BOTH, OPT_FLAG, F(insecure), 0, 0, NULL,
      "do not check the broker's host name against its certificate" },
    { 0, "tls-version", "version", BOTH, OPT_STRING, F(tls_version), 0, 0, NULL,
      "tlsv1.2 or tlsv1.3 (default: the best both sides have; tlsv1.3 not with mbedtls)" },
    { 0, "ciphers", "list", BOTH, OPT_STRING, F(ciphers), 0, 0, NULL,
      "cipher suites: OpenSSL cipher string, or IANA names for mbedtls" },
    { 0, "tls-engine", "name", BOTH, OPT_STRING, F(tls_engine), 0, 0, NULL,
      "TLS library: openssl (default where built in) or mbedtls" },
    { 0, "keylog", "file", BOTH, OPT_STRING, F(keylog), 0, 0, NULL,
      "append the TLS session secrets (NSS key log, for Wireshark); also SSLKEYLOGFILE" },
    { 0, "tls-debug", "level", BOTH, OPT_UINT, F(tls_debug), 0, 4, NULL,
      "TLS debug output on stderr, 0 (none) to 4 (everything)" },
    { 0, "modem", "device[:baud]", BOTH, OPT_STRING, F(modem), 0, 0, NULL,
      "reach the broker through a SIM7600 modem's MQTT client (TLS files uploaded to it)" },
    { 0, "modem-client", "index", BOTH, OPT_UINT, F(modem_client), 0, 1, NULL,
      "the modem's MQTT client index, 0 or 1 (default: 0)" },
    { 0, "modem-apn", "apn", BOTH, OPT_STRING, F(modem_apn), 0, 0, NULL,
      "APN for the modem's data connection (default: the module's own)" },
    { 0, "modem-rtscts", NULL, BOTH, OPT_FLAG, F(modem_rtscts), 0, 0, NULL,
      "RTS/CTS flow control on the modem's serial line" },
    { 0, "exit-on-loss", NULL, BOTH, OPT_FLAG, F(exit_on_loss), 0, 0, NULL,
      "exit (status 1) when the connection is lost instead of reconnecting" },
    { 0, "alpn", "list", BOTH, OPT_STRING, F(alpn), 0, 0, NULL,
      "TLS application protocols to offer, comma-separated (e.g. x-amzn-mqtt-ca)" },
    { 0, "ocsp", "prefer|require", BOTH, OPT_STRING, F(ocsp), 0, 0, NULL,
      "ask for the broker's stapled OCSP response; require: refuse a broker without one" },
    { 0, "ws-path", "path", BOTH, OPT_STRING, F(ws_path), 0, 0, NULL,
      "WebSocket request path for ws:// and wss:// (default: /mqtt)" },
    { 0, "proxy", "url", BOTH, OPT_STRING, F(proxy), 0, 0, NULL,
      "tunnel through http://[user[:password]@]host[:port], or 'env' (https_proxy, no_proxy)" },
    { 'd', NULL, NULL, BOTH, OPT_FLAG, F(debug), 0, 0, NULL,
      "print every MQTT packet (with --modem: every AT line) sent and received" },
    { 0, "help", NULL, BOTH, OPT_FLAG, F(help), 0, 0, NULL,
      "print this help and exit" },
    { 0, "version", NULL, BOTH, OPT_FLAG, F(version), 0, 0, NULL,
      "print the version and exit" },
};

#undef F

static void row_label(const opt_row *r, char *out, size_t len)
{
    if (r->short_name != 0)
        snprintf(out, len, "-%c%s%s", r->short_name, r->arg_name ? " " : "",
                 r->arg_name ? r->arg_name : "");
    else
        snprintf(out, len, "--%s%s%s", r->long_name, r->arg_name ? " " : "",
                 r->arg_name ? r->arg_name : "");
}

void tools_opts_usage(const tools_opts *o)
{
    if (o->version) {
        printf("%s %s\n", o->prog, brisa_version());
        return;
    }
    if (o->tool == TOOLS_PUB)
        printf("%s publishes one message, or one per line of stdin, and exits.\n\n"
               "Usage: %s [-h host] [-p port] [-q qos] [-r] -t topic\n"
               "                 {-m message | -f file | -l | -n | -s} [options]\n\n",
               o->prog, o->prog);
    else
        printf("%s subscribes to topics and prints the messages it receives.\n\n"
               "Usage: %s [-h host] [-p port] [-q qos] -t filter [-t filter...]\n"
               "                 [-v] [-C count] [-W seconds] [options]\n\n",
               o->prog, o->prog);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const opt_row *r = &rows[i];
        if (!(r->tools & o->tool))
            continue;
        char label[48];
        row_label(r, label, sizeof label);
        printf("  %-22s %s\n", label, r->help);
    }
    printf("\nExit status (as mosquitto's clients): 0 success, 1 failure or bad command line,\n"
           "the CONNACK code when the broker refuses the connection%s.\n",
           o->tool == TOOLS_SUB ? ", 27 -W timeout" : "");
}

static const opt_row *find_row(unsigned tool, const char *arg, const char **inline_value)
{
    *inline_value = NULL;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const opt_row *r = &rows[i];
        if (!(r->tools & tool))
            continue;
        if (arg[1] != '-') {
            if (r->short_name != 0 && arg[1] == r->short_name && arg[2] == '\0')
                return r;
            continue;
        }
        if (r->long_name == NULL)
            continue;
        size_t n = strlen(r->long_name);
        if (strncmp(arg + 2, r->long_name, n) != 0)
            continue;
        if (arg[2 + n] == '\0')
            return r;
        if (arg[2 + n] == '=' && r->arg_name != NULL) {
            *inline_value = arg + 3 + n;
            return r;
        }
    }
    return NULL;
}

static int parse_uint(const tools_opts *o, const char *opt, const char *arg,
                      unsigned long min, unsigned long max, unsigned *out)
{
    if (arg == NULL)
        return usage_error(o, "option %s needs a number", opt);
    char *end;
    errno = 0;
    unsigned long v = strtoul(arg, &end, 10);
    if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 || v < min || v > max)
        return usage_error(o, "invalid value '%s' for %s: expected a number from %lu to %lu",
                           arg, opt, min, max);
    *out = (unsigned)v;
    return 0;
}

static int apply_row(tools_opts *o, const opt_row *r, const char *opt, const char *arg)
{
    char *field = (char *)o + r->offset;
    switch (r->kind) {
    case OPT_FLAG:
        *(bool *)(void *)field = true;
        return 0;
    case OPT_STRING:
        *(const char **)(void *)field = arg;
        return 0;
    case OPT_UINT:
        return parse_uint(o, opt, arg, r->min, r->max, (unsigned *)(void *)field);
    case OPT_CUSTOM:
        return r->custom(o, arg);
    }
    return TOOLS_EXIT_USAGE;
}

/* Says what is wrong with a topic name or filter, or NULL if it is fine. */
static const char *topic_problem(const char *topic, bool filter)
{
    size_t len = strlen(topic);
    if (len == 0)
        return "a topic may not be empty";
    if (filter)
        return brisa_mqtt_filter_valid(topic, len)
                   ? NULL
                   : "'#' must be last and '+' and '#' alone in their level";
    if (strpbrk(topic, "+#") != NULL)
        return "wildcards '+' and '#' are not allowed when publishing";
    return brisa_mqtt_topic_valid(topic, len) ? NULL : "not valid UTF-8 or too long";
}

/* TLS options only make sense together; says which combination is wrong. */
static int finish_tls(tools_opts *o)
{
    /* mqtts:// and wss:// with no CA given trust the system's */
    if (o->url_tls && o->cafile == NULL && o->capath == NULL)
        o->capath = "/etc/ssl/certs";
    o->tls = o->cafile != NULL || o->capath != NULL;
    bool any = o->certfile || o->keyfile || o->keyform || o->key_password || o->crlfile ||
               o->keylog || o->ciphers || o->tls_version || o->tls_engine || o->insecure ||
               o->tls_debug || o->alpn || o->ocsp;
    if (!o->tls && any)
        return usage_error(o, "TLS options need --cafile or --capath");
    if ((o->certfile != NULL) != (o->keyfile != NULL))
        return usage_error(o, "--cert and --key go together");
    if (o->keyform != NULL && strcmp(o->keyform, "pem") != 0 && strcmp(o->keyform, "der") != 0)
        return usage_error(o, "invalid --keyform '%s': use pem or der", o->keyform);
    if (o->ocsp != NULL && strcmp(o->ocsp, "prefer") != 0 && strcmp(o->ocsp, "require") != 0)
        return usage_error(o, "invalid --ocsp '%s': use prefer or require", o->ocsp);
    o->ocsp_policy = o->ocsp == NULL ? BRISA_TLS_OCSP_OFF
                     : o->ocsp[0] == 'p' ? BRISA_TLS_OCSP_PREFER : BRISA_TLS_OCSP_REQUIRE;
    if (o->keyform != NULL)
        o->key_form = o->keyform[0] == 'd' ? BRISA_TLS_FORM_DER : BRISA_TLS_FORM_PEM;
    brisa_tls_config defaults; /* the library's choice: OpenSSL where built in */
    brisa_tls_config_init(&defaults);
    brisa_tls_backend engine = defaults.backend;
    if (o->tls_engine != NULL && brisa_tls_backend_parse(o->tls_engine, &engine) < 0)
        return usage_error(o, "invalid --tls-engine '%s': use mbedtls or openssl", o->tls_engine);
    if (o->tls && !brisa_tls_backend_available(engine))
        return usage_error(o, "TLS engine %s is not built in", brisa_tls_backend_name(engine));
    o->tls_backend = engine;
    brisa_tls_version version = BRISA_TLS_VERSION_ANY;
    if (o->tls_version != NULL && brisa_tls_version_parse(o->tls_version, &version) < 0)
        return usage_error(o, "invalid --tls-version '%s': use tlsv1.2 or tlsv1.3",
                           o->tls_version);
    o->tls_ver = version;
    if (version == BRISA_TLS_VERSION_1_3 && engine == BRISA_TLS_MBEDTLS)
        return usage_error(o, "--tls-version tlsv1.3 needs --tls-engine openssl");
    return 0;
}

/* What the modem's own client cannot do is refused before anything runs. */
static int finish_modem(tools_opts *o)
{
    bool modem_opt = o->modem_client || o->modem_apn || o->modem_rtscts;
    if (!o->modem)
        return modem_opt ? usage_error(o, "--modem-* options need --modem") : 0;
    const char *what = o->capath ? "--capath" : o->crlfile ? "--crlfile"
                     : o->keylog ? "--keylog" : o->ciphers ? "--ciphers"
                     : o->tls_engine ? "--tls-engine" : o->tls_debug ? "--tls-debug"
                     : o->key_password ? "--key-password" : o->will_retain ? "--will-retain"
                     : o->insecure ? "--insecure (the module has no host-name switch)"
                     : o->no_stale ? "-R (the module does not say which messages are retained)"
                     : o->protocol_level == BRISA_MQTT_V31 ? "-V 31"
                     : o->family != BRISA_POSIX_TCP_ANY ? "-4/-6" : NULL;
    if (what)
        return usage_error(o, "%s is not available through the modem", what);
    if (o->tls_version && strcmp(o->tls_version, "tlsv1.2") != 0)
        return usage_error(o, "the modem offers --tls-version tlsv1.2 only");
    return 0;
}

static int finish(tools_opts *o)
{
    /* --version is answered where --help is (tools_opts_usage). */
    if (o->version)
        o->help = true;
    if (o->help)
        return 0;
    if (o->topic_count == 0 && (o->tool == TOOLS_PUB || (!o->unsub_count && !o->no_subscribe)))
        return usage_error(o, "no topic given: %s",
                           o->tool == TOOLS_PUB ? "use -t TOPIC"
                                                : "use -t FILTER, -U FILTER or --no-subscribe");
    if (o->no_subscribe && o->topic_count)
        return usage_error(o, "--no-subscribe and -t contradict each other");
    for (size_t i = 0; i < o->unsub_count; i++) {
        const char *why = topic_problem(o->unsub[i], true);
        if (why != NULL) {
            tools_error(o, "invalid topic '%s': %s", o->unsub[i], why);
            return TOOLS_EXIT_USAGE;
        }
    }
    for (size_t i = 0; i < o->topic_count; i++) {
        const char *why = topic_problem(o->topics[i], o->tool == TOOLS_SUB);
        if (why != NULL) {
            tools_error(o, "invalid topic '%s': %s", o->topics[i], why);
            return TOOLS_EXIT_USAGE;
        }
    }
    if (o->tool == TOOLS_PUB && o->source == TOOLS_MSG_NONE)
        return usage_error(o, "no message given: use one of -m, -f, -l, -n, -s");
    if (o->will_topic != NULL) {
        const char *why = topic_problem(o->will_topic, false);
        if (why != NULL) {
            tools_error(o, "invalid will topic '%s': %s", o->will_topic, why);
            return TOOLS_EXIT_USAGE;
        }
    } else if (o->will_payload != NULL || o->will_qos != 0 || o->will_retain) {
        return usage_error(o, "--will-payload, --will-qos and --will-retain need --will-topic");
    }
    if (o->password != NULL && o->username == NULL && o->protocol_level != BRISA_MQTT_V5)
        return usage_error(o, "a password (-P) needs a user name (-u)");
    int v5rc = tools_opts_v5_finish(o);
    if (v5rc != 0)
        return v5rc;
    if (o->client_id != NULL && o->id_prefix != NULL)
        return usage_error(o, "give either -i or -I, not both");
    if (o->store_dir != NULL && o->clean_session)
        return usage_error(o, "--store needs a persistent session (-c): a clean session "
                              "would drop what it keeps");
    if (!o->clean_session && o->client_id == NULL && o->id_prefix == NULL)
        return usage_error(o, "-c (persistent session) needs a client id: add -i ID");
    if (o->client_id != NULL && o->client_id[0] == '\0' && !o->clean_session)
        return usage_error(o, "-c (persistent session) needs a non-empty client id");
    if (o->client_id == NULL) {
        snprintf(o->id_buf, sizeof o->id_buf, "%.80s%s%ld",
                 o->id_prefix ? o->id_prefix : o->prog, o->id_prefix ? "" : "-",
                 (long)getpid());
        o->client_id = o->id_buf;
    }
    int rc = finish_tls(o);
    if (rc == 0)
        rc = finish_modem(o);
    if (rc != 0)
        return rc;
    if (o->port == 0)
        o->port = o->tls ? TOOLS_DEFAULT_TLS_PORT : TOOLS_DEFAULT_PORT;
    if (o->ws_path != NULL && (!o->websocket || o->ws_path[0] != '/'))
        return usage_error(o, "--ws-path needs -L ws:// or wss:// and must start with '/'");
    brisa_url pu;
    char pbuf[512];
    if (o->proxy != NULL && strcmp(o->proxy, "env") != 0 &&
        tools_proxy_for(o, pbuf, sizeof pbuf, &pu) < 0)
        return TOOLS_EXIT_USAGE;
    return 0;
}

int tools_opts_parse(tools_opts *o, unsigned tool, const char *prog, int argc,
                     char **argv)
{
    memset(o, 0, sizeof *o);
    o->tool = tool;
    o->prog = prog;
    o->host = "localhost";
    o->family = BRISA_POSIX_TCP_ANY;
    o->timeout_s = TOOLS_DEFAULT_TIMEOUT_S;
    o->clean_session = true;
    o->keepalive_s = 60;
    o->protocol_level = BRISA_MQTT_V311;
    /* mosquitto's default window; it silently drops QoS 2 messages that
     * arrive beyond its own max_inflight_messages (20). */
    o->max_inflight = 20;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0')
            return usage_error(o, "unexpected argument '%s'", a);
        if (strcmp(a, "-D") == 0 || strcmp(a, "--property") == 0) {
            int rc = tools_opts_property(o, argc, argv, &i);
            if (rc != 0)
                return rc;
            continue;
        }
        const char *value;
        const opt_row *r = find_row(tool, a, &value);
        if (r == NULL)
            return usage_error(o, "unknown option '%s'", a);
        if (r->arg_name != NULL && value == NULL) {
            if (i + 1 >= argc)
                return usage_error(o, "option %s needs an argument (%s)", a, r->arg_name);
            value = argv[++i];
        }
        int rc = apply_row(o, r, a, value);
        if (rc != 0)
            return rc;
    }
    return finish(o);
}
