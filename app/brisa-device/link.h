// SPDX-License-Identifier: MIT
/* The device's link to its broker: the last two steps of the boot
 * sequence (TLS -> MQTT) over TCP, and their orderly end. */
#ifndef BRISA_DEVICE_LINK_H
#define BRISA_DEVICE_LINK_H

#include <stdbool.h>

#include "brisa/ip.h"
#include "brisa/mqtt.h"
#include "brisa/tls.h"
#include "brisa/ws.h"
#include "config.h"
#include "platform.h"

#define LINK_BUF 4096
#define LINK_INFLIGHT 16

typedef struct device_link {
    const device_config *cfg;
    const brisa_clock *clock;  /* the device's clock (NTP) */
    bool use_tls;
    plat_tcp tcp;
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
    brisa_mqtt_will will;      /* link_connect_options() */
    brisa_mqtt_connect_options co;
    bool clean_session;        /* [mqtt] clean_session; test mode: always */
    bool (*should_stop)(void *user); /* polled while waiting for CONNACK */
    void *stop_user;
    plat_store store;          /* [mqtt] store */
    uint8_t restored[LINK_BUF]; /* what the store gave back, until acknowledged */
    bool open;
    struct link_modem *modem;  /* non-NULL: the SIM7600 link (link_modem.c) */
} device_link;

/* Callbacks for what arrives; @p user is passed back. */
typedef struct link_handlers {
    brisa_mqtt_message_cb on_message;
    brisa_mqtt_event_cb on_event;
    void *user;
    bool trace;   /* log every packet (with debug output on) */
} link_handlers;

/* What the modes call, whichever the link ([link] type): brisa's MQTT
 * client over TCP/TLS, or the SIM7600's own client (link_modem.c).
 * Over the modem a publish returns once the module reports the flow
 * done, so wait_all has nothing left to wait for. */
int link_publish(device_link *l, const char *topic, const void *payload, size_t len,
                 uint8_t qos, uint16_t *packet_id);
int link_process(device_link *l, uint32_t timeout_ms);
int link_wait_all(device_link *l, uint32_t timeout_ms);

/* The SIM7600 side of the above (link_modem.c), used by link.c. */
void link_modem_attach(device_link *l, const link_handlers *h);
int link_modem_open(device_link *l, char *why, size_t why_len);
bool link_modem_subscribe(device_link *l, const char *topic, uint8_t qos, uint8_t *granted);
void link_modem_close(device_link *l);
void link_modem_drop(device_link *l);
int link_modem_publish(device_link *l, const char *topic, const void *payload, size_t len,
                       uint8_t qos);
int link_modem_process(device_link *l, uint32_t timeout_ms);

/* Prepares @p l; @p use_tls picks the broker's TLS port or plain port. */
void link_init(device_link *l, const device_config *cfg, const brisa_clock *clock, bool use_tls,
               const link_handlers *h);

/* Steps 5 and 6: TCP to @p broker, the TLS handshake (server and, if
 * configured, client authentication), then MQTT CONNECT. On failure
 * writes the reason (the certificate problem, the CONNACK code...). */
int link_open(device_link *l, const brisa_ip_addr *broker, char *why, size_t why_len);

/* Steps 5 without MQTT: TCP to @p broker and the layers over it (proxy
 * tunnel, TLS, WebSockets) into l->transport, for the reconnection
 * service. A signal or the button ends it at once (BRISA_ERR_CANCELLED),
 * and keeps ending the waits over it until link_connected(). */
int link_open_transport(device_link *l, const brisa_ip_addr *broker, char *why, size_t why_len);

/* The CONNECT options (client id, will, session...), kept in @p l. */
const brisa_mqtt_connect_options *link_connect_options(device_link *l);

/* CONNACK accepted: a stop no longer cuts the link's waits short. */
void link_connected(device_link *l);

/* Clean end: MQTT DISCONNECT, TLS close_notify, TCP FIN. */
/* Subscribes to @p topic at @p qos; logs and returns false when that
 * fails or the broker refuses (SUBACK 0x80). *granted: the QoS given. */
bool link_subscribe(device_link *l, const char *topic, uint8_t qos, uint8_t *granted);

void link_close(device_link *l);

/* After a lost connection: release the transport without DISCONNECT. */
void link_drop(device_link *l);

void link_free(device_link *l);

/* [mqtt] store: unacknowledged QoS 1/2 messages go to that directory and
 * those of the last run are resent (with a kept session). Logs what was
 * restored, or why the store cannot be used; false in that case. */
bool link_use_store(device_link *l);

#endif
