// SPDX-License-Identifier: MIT
/* brisa-device configuration: every setting of the seed's configuration
 * slide, read from one INI file. */
#ifndef BRISA_DEVICE_CONFIG_H
#define BRISA_DEVICE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "brisa/ip.h"

#define CFG_NAME_MAX 256   /* host names, topics, ids */
#define CFG_PATH_MAX 1024

typedef enum board_kind { BOARD_CONSOLE = 0, BOARD_GPIOD = 1 } board_kind;
/* DEFAULT: the TLS library's own choice, OpenSSL where it is built in
 * (Linux), mbedTLS on a board. */
typedef enum tls_backend_kind {
    TLS_BACKEND_DEFAULT = 0,
    TLS_BACKEND_MBEDTLS = 1,
    TLS_BACKEND_OPENSSL = 2
} tls_backend_kind;
typedef enum link_kind { LINK_ETHERNET = 0, LINK_SIM7600 = 1 } link_kind;

#define CFG_LEDS 3

typedef struct device_config {
    char path[CFG_PATH_MAX];

    /* [device] */
    char platform[64];          /* shown in the boot banner and events */
    bool debug;                 /* boot steps and timings on stderr */
    board_kind board;
    char gpio_chip[64];         /* gpiod board: chip name or path */
    int led_lines[CFG_LEDS];    /* gpiod board: output line offsets */
    int button_line;            /* gpiod board: input line offset */
    bool button_active_low;

    /* [network] */
    char interface[32];         /* "" : keep the host's network (no DHCP) */
    int dhcp_attempts;          /* 0: skip DHCP, use the static config */
    int dhcp_timeout_ms;        /* first retransmission wait; doubles */
    bool dhcp_release;          /* RELEASE the lease on exit */
    bool have_static;
    brisa_ip_addr static_address;
    int static_prefix;
    brisa_ip_addr static_gateway;
    brisa_ip_addr static_dns;
    brisa_ip_addr dns_server;   /* overrides DHCP's when set */
    int dns_port;

    /* [time] */
    char ntp_server[CFG_NAME_MAX]; /* host[:port]; "": DHCP option 42 */
    bool host_clock;            /* trust the host's clock instead of NTP */
    int gmt_offset_min;
    int time_interval_s;        /* period of the date/time publication */

    /* [tls] */
    bool tls;
    int tls_port;               /* broker's TLS port (8883) */
    bool tls_client_auth;
    int tls_debug;              /* 0..4 */
    tls_backend_kind tls_backend;
    char ca_file[CFG_PATH_MAX];
    char cert_file[CFG_PATH_MAX];
    char key_file[CFG_PATH_MAX];
    char key_password[CFG_NAME_MAX];
    char crl_file[CFG_PATH_MAX];
    char tls_server_name[CFG_NAME_MAX]; /* "": the broker name */
    char alpn[CFG_NAME_MAX];    /* ALPN names, comma-separated; "": none */

    /* [mqtt] */
    char broker[CFG_NAME_MAX];
    int port;                   /* broker's plain port (1883) */
    char client_id[CFG_NAME_MAX];
    int keepalive_s;
    char username[CFG_NAME_MAX];
    char password[CFG_NAME_MAX];
    char public_topic[CFG_NAME_MAX];
    char secret_topic[CFG_NAME_MAX];
    int qos;
    bool clean_session;         /* false: the broker keeps what we miss offline */
    int mqtt_version;           /* protocol level: 3 (3.1), 4 (3.1.1), 5 */
    int session_expiry_s;       /* MQTT 5: how long the broker keeps the session */
    char store_dir[CFG_PATH_MAX]; /* "": QoS 1/2 events kept in memory only */

    /* [link] and [modem]: the broker through a SIM7600's own MQTT client */
    link_kind link;
    char modem_device[CFG_PATH_MAX];
    int modem_baud;
    bool modem_rtscts;
    char modem_apn[CFG_NAME_MAX]; /* "": the module's own PDP context */
    int modem_client;           /* client index 0 or 1 */
    int modem_ssl_ctx;          /* SSL context 0..9 */
    char url[CFG_NAME_MAX];     /* {mqtt,mqtts,ws,wss}://host[:port][/path]: sets
                                   broker, port, [tls] enabled and WebSockets */
    bool websocket;             /* from url: ws:// or wss:// */
    char ws_path[CFG_NAME_MAX]; /* from url: "/mqtt" unless it names one */
    char proxy[CFG_NAME_MAX];   /* http://[user[:password]@]host[:port]; "": direct */

    /* [test] */
    bool test_mode;
    int test_bytes;             /* bytes per MQTT message */
    int test_cycles;            /* total cycles */
    int test_qos;
    bool test_compare_tls;      /* run with TLS, then without, and compare */
    bool test_compare_links;    /* run over Ethernet, then the SIM7600 */

    /* [device] retry policy */
    int retry_delay_s;          /* wait before retrying a failed boot step */
    int max_boot_attempts;      /* 0: retry for ever */
} device_config;

/**
 * Loads @p path into @p cfg (defaults first, then the file). On any problem
 * -- missing file, unknown section or key, bad value, missing required key,
 * unreadable certificate -- writes "file:line: what is wrong" into @p err
 * and returns false. Nothing touches the network.
 */
bool device_config_load(device_config *cfg, const char *path, char *err, size_t err_len);

/** The same, reading @p file, with @p name used in messages. */
bool device_config_load_stream(device_config *cfg, FILE *file, const char *name, char *err,
                               size_t err_len);

struct brisa_tls_config;

/** Points @p tc at the CA, CRL, certificate and key of @p cfg: the files
 *  on Linux, their contents compiled in on a board. */
void device_config_tls_files(const device_config *cfg, struct brisa_tls_config *tc);

/** The broker port to use with or without TLS. */
int device_config_port(const device_config *cfg, bool tls);

/** Splits "host", "host:port" or "[v6]:port" into @p host and @p port
 *  (@p default_port when none is given). False when the port is not a
 *  number in 1..65535, a '[' is not closed, or the host is empty. */
bool device_config_host_port(const char *text, uint16_t default_port, char *host,
                             size_t host_len, uint16_t *port);

/** Writes "GMT+1", "GMT-3:30" or "GMT" for an offset in minutes. */
void device_config_gmt_label(int offset_min, char *buf, size_t len);

#endif
