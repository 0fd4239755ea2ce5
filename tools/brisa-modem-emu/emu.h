// SPDX-License-Identifier: MIT
/* brisa-modem-emu: the state of the emulated SIM7600 and the functions the
 * files of the tool share. The emulator is the module's side of the serial
 * line (the DCE): it parses AT commands, answers with the formats of the
 * SIMCom MQTT and SSL AT command manuals, and reaches the broker with
 * brisa's own MQTT client over brisa's TCP and TLS. */
#ifndef BRISA_MODEM_EMU_H
#define BRISA_MODEM_EMU_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "brisa/clock.h"
#include "brisa/mqtt.h"
#include "brisa/port/posix_tcp.h"
#include "brisa/tls.h"

/* The module's limits (MQTT manual). */
#define EMU_CLIENTS 2
#define EMU_SSL_CTXS 10
#define EMU_TOPIC_MAX 1024
#define EMU_PAYLOAD_MAX 10240
#define EMU_CLIENT_ID_MAX 128
#define EMU_USER_MAX 256
#define EMU_SUBS_MAX 8            /* SUBTOPIC/UNSUBTOPIC before one SUB */
#define EMU_PENDING_MAX 8         /* publishes awaiting PUBACK/PUBCOMP */
#define EMU_CERTS_MAX 16
#define EMU_CERT_NAME_MAX 64
#define EMU_CERT_MAX 10240        /* CCERTDOWN length limit */
#define EMU_LINE_MAX 2048
#define EMU_RX_PIECE 1024         /* longest +CMQTTRXTOPIC/RXPAYLOAD piece */
#define EMU_DATA_TIMEOUT_MS 10000 /* default input timeout after '>' */

/* MQTT result codes of the manual used by the emulator. */
enum {
    EMU_PENDING = -1, /* not a code of the manual: the answer comes later */
    EMU_OK = 0,
    EMU_E_FAILED = 1,
    EMU_E_BAD_UTF8 = 2,
    EMU_E_SOCK_CONNECT = 3,
    EMU_E_SOCK_CLOSE = 5,
    EMU_E_NET_NOT_OPENED = 9,
    EMU_E_INDEX = 10,
    EMU_E_NO_CONNECTION = 11,
    EMU_E_INVALID_PARAM = 12,
    EMU_E_NOT_SUPPORTED = 13,
    EMU_E_BUSY = 14,
    EMU_E_TIMEOUT = 17,
    EMU_E_TOPIC_EMPTY = 18,
    EMU_E_CLIENT_USED = 19,
    EMU_E_NOT_ACQUIRED = 20,
    EMU_E_NOT_RELEASED = 21,
    EMU_E_LENGTH = 22,
    EMU_E_NET_OPENED = 23,
    EMU_E_DNS = 25,
    EMU_E_CLOSED_BY_SERVER = 26,
    EMU_E_REFUSED_BASE = 26, /* + CONNACK code 1..5 gives 27..31 */
    EMU_E_HANDSHAKE = 32,
    EMU_E_NO_CERT = 33,
    EMU_E_SSL_SESSION = 34
};

typedef struct emu_cert {
    char name[EMU_CERT_NAME_MAX + 1];
    uint8_t *data; /* NULL: slot free */
    size_t len;
} emu_cert;

typedef struct emu_ssl_ctx {
    int sslversion;       /* 0 SSL3.0 .. 3 TLS1.2, 4 all */
    int authmode;         /* 0 none, 1 server, 2 server+client, 3 client */
    int ignorelocaltime;  /* 1: certificate dates not checked */
    int negotiatetime;    /* seconds for the handshake */
    int enable_sni;
    char cacert[EMU_CERT_NAME_MAX + 1];
    char clientcert[EMU_CERT_NAME_MAX + 1];
    char clientkey[EMU_CERT_NAME_MAX + 1];
} emu_ssl_ctx;

typedef struct emu_pending {
    uint16_t packet_id; /* 0: free */
    uint32_t conn;      /* the connection it was sent on */
    uint64_t deadline_ms;
} emu_pending;

typedef struct emu_client {
    int idx;
    struct emu *emu;
    bool acquired;
    char client_id[EMU_CLIENT_ID_MAX + 1];
    int server_type;  /* 0 TCP, 1 SSL/TLS */
    int ssl_ctx;
    char will_topic[EMU_TOPIC_MAX + 1];
    size_t will_topic_len;
    uint8_t will_msg[EMU_PAYLOAD_MAX];
    size_t will_msg_len;
    int will_qos;
    bool has_will_msg;
    char topic[EMU_TOPIC_MAX + 1];   /* for the next PUB */
    size_t topic_len;
    uint8_t payload[EMU_PAYLOAD_MAX];
    size_t payload_len;
    char subs[EMU_SUBS_MAX][EMU_TOPIC_MAX + 1]; /* for the next SUB/UNSUB */
    uint8_t sub_qos[EMU_SUBS_MAX];
    size_t sub_count;
    char unsubs[EMU_SUBS_MAX][EMU_TOPIC_MAX + 1];
    size_t unsub_count;
    /* the broker connection */
    bool connected;
    bool connecting;          /* CONNECT sent, CONNACK awaited */
    int connect_err;          /* -1 until the CONNECT's outcome is known */
    char server[300];
    int keepalive;
    int clean;
    brisa_posix_tcp tcp;
    brisa_tls *tls;
    brisa_transport transport;
    brisa_mqtt_client mqtt;
    uint8_t tx_buf[EMU_SUBS_MAX * (EMU_TOPIC_MAX + 8) + 64];
    uint8_t rx_buf[EMU_TOPIC_MAX + EMU_PAYLOAD_MAX + 64];
    brisa_mqtt_inflight inflight[32];
    emu_pending pubs[EMU_PENDING_MAX];
    uint32_t conn;            /* counts connections: ids of an older one never match */
    uint16_t sub_id, unsub_id;
    uint64_t sub_deadline_ms, unsub_deadline_ms;
    int lost_cause;           /* connection lost inside process(): CONNLOST cause */
} emu_client;

/* What the bytes after a '>' prompt are for. */
typedef enum emu_data_kind {
    EMU_DATA_NONE = 0,
    EMU_DATA_CERT,
    EMU_DATA_TOPIC,
    EMU_DATA_PAYLOAD,
    EMU_DATA_SUBTOPIC,
    EMU_DATA_UNSUBTOPIC,
    EMU_DATA_WILLTOPIC,
    EMU_DATA_WILLMSG,
    EMU_DATA_SUB,    /* AT+CMQTTSUB=idx,len,qos: subscribe at once */
    EMU_DATA_UNSUB   /* AT+CMQTTUNSUB=idx,len,dup */
} emu_data_kind;

typedef struct emu {
    int pty;               /* master side */
    int slave;             /* kept open so the line never hangs up */
    FILE *log;
    bool verbose;
    bool out_stalled;      /* the DTE stopped reading: output is dropped */
    brisa_clock clock;
    /* module state */
    bool echo;
    bool netopen;
    bool pdp_active;
    char apn[100];
    int creg_n, cgreg_n;
    int ctzu;
    char ntp_server[100];
    int ntp_tz;
    bool mqtt_started;
    emu_client clients[EMU_CLIENTS];
    emu_ssl_ctx ssl[EMU_SSL_CTXS];
    emu_cert certs[EMU_CERTS_MAX];
    /* input */
    char line[EMU_LINE_MAX + 1];
    size_t line_len;
    bool line_overflow;
    emu_data_kind data_kind;
    int data_idx;          /* client index */
    int data_arg;          /* qos / dup */
    char data_name[EMU_CERT_NAME_MAX + 1];
    uint8_t data[EMU_CERT_MAX];
    size_t data_want, data_have;
    uint64_t data_deadline_ms;
    uint32_t data_timeout_ms;
    /* faults asked through the control socket */
    int fail_next;         /* answer ERROR to this many commands */
    int cme_next;          /* >= 0: answer the next command +CME ERROR */
    uint32_t delay_ms;
    size_t split;
    size_t rxsplit;        /* 0: EMU_RX_PIECE */
    uint64_t rdy_at_ms;    /* reset in progress: RDY due then (0: none) */
} emu;

/* output.c: everything written to the DTE, and the log */
uint64_t emu_now_ms(emu *e);
void emu_log(emu *e, const char *dir, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void emu_write(emu *e, const void *buf, size_t len);
/* Raw bytes (a received topic or payload), logged as a short preview. */
void emu_raw(emu *e, const void *buf, size_t len);
void emu_log_bytes(emu *e, const char *dir, const void *buf, size_t len);
void emu_line(emu *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void emu_ok(emu *e);
void emu_error(emu *e);
/* "+NAME: idx,err" then ERROR: how the module refuses an MQTT command */
void emu_mqtt_error(emu *e, const char *name, int idx, int err);
void emu_prompt(emu *e, emu_data_kind kind, size_t len);

/* args.c: splitting "1,\"IP\",\"apn\"" into fields */
#define EMU_ARGS_MAX 12
typedef struct emu_args {
    int n;
    char *v[EMU_ARGS_MAX];
    bool quoted[EMU_ARGS_MAX];
} emu_args;
bool emu_args_parse(char *s, emu_args *a);
bool emu_arg_int(const emu_args *a, int i, long lo, long hi, long *out);
bool emu_arg_str(const emu_args *a, int i, size_t max, const char **out);

/* at.c: input from the DTE and the command table */
void emu_input(emu *e, const uint8_t *buf, size_t len);
void emu_tick(emu *e);
void emu_reset(emu *e, bool lose_certs);
void emu_init_state(emu *e);

/* cmd_basic.c, cmd_ssl.c, cmd_mqtt.c: the handlers. form is one of: */
enum { EMU_EXEC, EMU_READ, EMU_TEST, EMU_SET };
typedef void (*emu_handler)(emu *e, int form, char *args);
typedef struct emu_command {
    const char *name;
    emu_handler fn;
} emu_command;
emu_handler emu_lookup(const emu_command *table, size_t n, const char *name);
/* True when form is the one the command takes; else answers (OK to the
 * test form, ERROR to the others) and returns false. */
bool emu_form_only(emu *e, int form, int wanted);
emu_handler emu_basic_handler(const char *name);
emu_handler emu_ssl_handler(const char *name);
emu_handler emu_mqtt_handler(const char *name);
void emu_ssl_data(emu *e);
void emu_mqtt_data(emu *e);
const emu_cert *emu_cert_find(const emu *e, const char *name);
void emu_ssl_defaults(emu_ssl_ctx *c);

/* broker.c: the broker side. emu_broker_connect returns the manual's code
 * of a failure found at once, or EMU_PENDING: +CMQTTCONNECT follows from
 * emu_broker_poll. */
int emu_broker_connect(emu *e, emu_client *c, const char *user, const char *pass);
void emu_broker_drop(emu_client *c);
void emu_broker_poll(emu *e);
int emu_broker_fd(const emu_client *c);

/* control.c: the fault-injection socket */
#define EMU_CONTROL_MAX 4
void emu_control_command(emu *e, char *line, char *answer, size_t cap);

#endif /* BRISA_MODEM_EMU_H */
