// SPDX-License-Identifier: MIT
/* Command-line options of brisa-pub and brisa-sub, compatible with
 * mosquitto_pub / mosquitto_sub so their users need not relearn.
 *
 * The parser is driven by one table (opts.c). To add an option -- the TLS
 * ones, say -- add a field here, a row to the table with its apply
 * function, and any cross-option check to tools_opts_finish(). */
#ifndef BRISA_TOOLS_OPTS_H
#define BRISA_TOOLS_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/port/posix_tcp.h"
#include "brisa/tls.h"

/* Which tool a table row belongs to (a bit mask). */
#define TOOLS_PUB 0x1u
#define TOOLS_SUB 0x2u

/* Exit statuses shared by the tools. */
#define TOOLS_EXIT_OK 0
#define TOOLS_EXIT_FAIL 1     /* network, broker or runtime failure */
#define TOOLS_EXIT_USAGE 1    /* bad command line (mosquitto's clients: 1) */
#define TOOLS_EXIT_TIMEOUT 27 /* brisa-sub -W ran out (mosquitto_sub: 27) */

#define TOOLS_MAX_TOPICS 64
/* In-flight slots: our QoS 1/2 messages (at most -M of them) plus the
 * broker's QoS 2 messages awaiting PUBREL (mosquitto sends up to 20). */
#define TOOLS_INFLIGHT 64
#define TOOLS_DEFAULT_PORT 1883
#define TOOLS_DEFAULT_TLS_PORT 8883
#define TOOLS_DEFAULT_TIMEOUT_S 10

/* The packets -D may give properties to (mosquitto's command names). */
typedef enum tools_prop_cmd {
    TOOLS_PROP_CONNECT = 0,
    TOOLS_PROP_PUBLISH,
    TOOLS_PROP_SUBSCRIBE,
    TOOLS_PROP_UNSUBSCRIBE,
    TOOLS_PROP_DISCONNECT,
    TOOLS_PROP_WILL,
    TOOLS_PROP_CMDS
} tools_prop_cmd;
#define TOOLS_PROP_BYTES 1024

/* Where brisa-pub's message comes from. */
typedef enum tools_msg_source {
    TOOLS_MSG_NONE = 0,
    TOOLS_MSG_ARG,   /* -m */
    TOOLS_MSG_FILE,  /* -f */
    TOOLS_MSG_LINES, /* -l */
    TOOLS_MSG_NULL,  /* -n */
    TOOLS_MSG_STDIN  /* -s */
} tools_msg_source;

typedef struct tools_opts {
    unsigned tool;            /* TOOLS_PUB or TOOLS_SUB */
    const char *prog;         /* "brisa-pub", prefix of every message */

    /* Where the broker is. */
    const char *host;
    unsigned port;            /* 0 until finish(): then the default */
    brisa_posix_tcp_family family;
    unsigned timeout_s;       /* longest wait for the broker (--timeout) */

    /* The MQTT session. */
    const char *client_id;    /* after finish(): never NULL */
    const char *id_prefix;
    bool clean_session;
    unsigned keepalive_s;
    const char *username;
    const char *password;
    uint8_t protocol_level;   /* BRISA_MQTT_V311 or BRISA_MQTT_V31 */
    const char *will_topic;
    const char *will_payload;
    unsigned will_qos;
    bool will_retain;

    /* TLS, on with --cafile or --capath (mosquitto's options, plus
     * --crlfile, --keylog, --tls-engine, --tls-debug, --key-password). */
    bool tls;                 /* after finish(): TLS in use */
    const char *cafile;
    const char *capath;
    const char *certfile;
    const char *keyfile;
    const char *keyform;      /* "pem" or "der"; NULL: detected */
    const char *key_password;
    const char *crlfile;
    const char *keylog;
    const char *ciphers;
    const char *tls_version;  /* "tlsv1.2", "tlsv1.3"; NULL: best */
    const char *tls_engine;   /* "openssl" (default where built in) or "mbedtls" */
    bool insecure;
    unsigned tls_debug;       /* 0..4 */
    /* The three above as finish() checked them, for brisa_tls_config. */
    brisa_tls_backend tls_backend;
    brisa_tls_version tls_ver;
    brisa_tls_form key_form;

    /* The SIM7600 modem link (--modem DEVICE[:BAUD]) instead of TCP. */
    const char *modem;
    unsigned modem_client;    /* client index, 0 or 1 */
    const char *modem_apn;    /* NULL: keep the module's PDP context */
    bool modem_rtscts;
    /* -L URL (url.c), WebSockets, ALPN, HTTP proxy */
    bool url_tls;             /* mqtts:// or wss:// */
    bool websocket;           /* ws:// or wss:// */
    const char *ws_path;      /* NULL: "/mqtt" */
    const char *alpn;         /* comma-separated protocol names */
    const char *ocsp;         /* "prefer" or "require"; NULL: off */
    brisa_tls_ocsp ocsp_policy;
    const char *proxy;        /* http://[user[:password]@]host[:port] or "env" */
    char url_buf[1024];

    bool debug;
    bool exit_on_loss;        /* --exit-on-loss: no reconnection */
    unsigned qos;
    const char *topics[TOOLS_MAX_TOPICS];
    size_t topic_count;

    /* brisa-pub */
    tools_msg_source source;
    const char *message;      /* -m text, or -f path */
    bool retain;
    unsigned max_inflight;    /* -M: QoS 1/2 messages unacknowledged at once */
    const char *store_dir;    /* --store: QoS 1/2 messages survive a restart */

    /* brisa-sub */
    bool verbose;
    bool no_newline;
    bool no_stale;
    unsigned count;           /* -C; 0: unlimited */
    unsigned wait_s;          /* -W; 0: forever */
    const char *unsub[TOOLS_MAX_TOPICS]; /* -U */
    size_t unsub_count;
    bool no_subscribe;        /* --no-subscribe: connect, subscribe to nothing */

    /* MQTT 5 (-V 5), see v5.c. */
    unsigned session_expiry_s; /* -x */
    bool no_local;            /* --no-local */
    bool retain_as_published; /* --retain-as-published */
    unsigned retain_handling; /* --retain-handling 0..2 */
    const char *format;       /* brisa-sub -F */
    bool scram;               /* --scram: SCRAM-SHA-256 with -u/-P */
    unsigned scram_reauth_s;  /* --scram-reauth: AUTH 0x19 every so often */
    uint8_t props[TOOLS_PROP_CMDS][TOOLS_PROP_BYTES]; /* -D, built */
    size_t props_len[TOOLS_PROP_CMDS];

    bool help;                /* --help was given: print usage, exit 0 */
    bool version;             /* --version: tools_opts_usage prints it */
    char id_buf[96];          /* storage for a generated client id */
} tools_opts;

/**
 * Parses @p argv for the tool @p tool (TOOLS_PUB or TOOLS_SUB) named
 * @p prog into @p o, then checks the combination. Strings point into argv.
 * Returns 0, or TOOLS_EXIT_USAGE after printing one line on stderr.
 */
int tools_opts_parse(tools_opts *o, unsigned tool, const char *prog, int argc,
                     char **argv);

/** Prints the usage text of @p o->tool on stdout. */
void tools_opts_usage(const tools_opts *o);

/** -D COMMAND IDENTIFIER VALUE [VALUE] at argv[*i] (v5.c): adds the
 *  property to o->props and moves *i past its arguments. Returns 0 or
 *  TOOLS_EXIT_USAGE after printing why. */
int tools_opts_property(tools_opts *o, int argc, char **argv, int *i);

/** The MQTT 5 options' cross-checks (v5.c): they need -V 5. */
int tools_opts_v5_finish(tools_opts *o);

/** Prints "prog: message" and a newline on stderr. */
void tools_error(const tools_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* BRISA_TOOLS_OPTS_H */
