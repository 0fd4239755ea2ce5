/* The device's link to its broker: the last two steps of the boot
 * sequence (TLS -> MQTT) over TCP, and their orderly end. */
#ifndef BRISA_DEVICE_LINK_H
#define BRISA_DEVICE_LINK_H

#include <stdbool.h>

#include "brisa/ip.h"
#include "brisa/mqtt.h"
#include "brisa/posix_tcp.h"
#include "brisa/tls.h"
#include "brisa/ws.h"
#include "config.h"

#define LINK_BUF 4096
#define LINK_INFLIGHT 16

typedef struct device_link {
    const device_config *cfg;
    const brisa_clock *clock;  /* the device's clock (NTP) */
    bool use_tls;
    brisa_posix_tcp tcp;
    brisa_tls *tls;            /* set up once, reconnected as needed */
    brisa_transport transport;
    brisa_ws ws;               /* [mqtt] url = ws:// or wss:// */
    uint8_t ws_rx[1024];       /* also the proxy's answer */
    uint8_t ws_tx[LINK_BUF + BRISA_WS_MAX_HEADER];
    brisa_rng rng;
    brisa_mqtt_client mqtt;
    uint8_t tx[LINK_BUF];
    uint8_t rx[LINK_BUF];
    brisa_mqtt_inflight inflight[LINK_INFLIGHT];
    brisa_mqtt_route routes[2];
    char client_id[CFG_NAME_MAX];
    char will_text[128];
    bool open;
} device_link;

/* Callbacks for what arrives; @p user is passed back. */
typedef struct link_handlers {
    brisa_mqtt_message_cb on_message;
    brisa_mqtt_event_cb on_event;
    void *user;
    bool trace;   /* log every packet (with debug output on) */
} link_handlers;

/* Prepares @p l; @p use_tls picks the broker's TLS port or plain port. */
void link_init(device_link *l, const device_config *cfg, const brisa_clock *clock, bool use_tls,
               const link_handlers *h);

/* Steps 5 and 6: TCP to @p broker, the TLS handshake (server and, if
 * configured, client authentication), then MQTT CONNECT. On failure
 * writes the reason (the certificate problem, the CONNACK code...). */
int link_open(device_link *l, const brisa_ip_addr *broker, char *why, size_t why_len);

/* Clean end: MQTT DISCONNECT, TLS close_notify, TCP FIN. */
/* Subscribes to @p topic at @p qos; logs and returns false when that
 * fails or the broker refuses (SUBACK 0x80). *granted: the QoS given. */
bool link_subscribe(device_link *l, const char *topic, uint8_t qos, uint8_t *granted);

void link_close(device_link *l);

/* After a lost connection: release the transport without DISCONNECT. */
void link_drop(device_link *l);

void link_free(device_link *l);

#endif
