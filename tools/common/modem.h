// SPDX-License-Identifier: MIT
/* brisa-pub and brisa-sub over a SIM7600 modem (--modem DEVICE[:BAUD]):
 * the serial port, the driver, bring-up, the TLS files uploaded to the
 * module, and the module's MQTT client in place of brisa's. */
#ifndef BRISA_TOOLS_MODEM_H
#define BRISA_TOOLS_MODEM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "brisa/mqtt.h"
#include "brisa/port/posix_serial.h"
#include "brisa/sim7600.h"
#include "opts.h"

typedef struct tools_modem {
    const tools_opts *o;
    brisa_posix_serial serial;
    brisa_sim7600 m;
    char line[256];
    char topic[BRISA_SIM7600_TOPIC_MAX];
    uint8_t payload[BRISA_SIM7600_PAYLOAD_MAX];
    brisa_sim7600_server srv;
    brisa_mqtt_connect_options co;
    brisa_mqtt_will will;
    char files[3][96];        /* the module's names of CA, cert, key */
    brisa_mqtt_message_cb on_message;
    void *user;
    int lost_cause;           /* +CMQTTCONNLOST cause; 0 while connected */
} tools_modem;

/** Opens the port, brings the module up, uploads the TLS files it lacks,
 *  starts MQTT and connects. Prints one line on failure. Returns
 *  TOOLS_EXIT_OK or TOOLS_EXIT_FAIL. */
int tools_modem_connect(tools_modem *t, const tools_opts *o, brisa_mqtt_message_cb cb,
                        void *user);

/** Prints "prog: doing: AT+CMD: <name of the module's code>" and returns
 *  TOOLS_EXIT_FAIL. */
int tools_modem_fail(tools_modem *t, const char *doing, int err);

/** DISC, REL, STOP (as far as they apply) and closes the port. */
void tools_modem_end(tools_modem *t);

/** brisa-pub's run over the modem: every message of @p payloads
 *  (@p count of them, @p lens long) is published in turn. */
int tools_modem_pub(const tools_opts *o, const void *const *payloads, const size_t *lens,
                    size_t count);

/** brisa-sub's run over the modem, until *done, *stop, -W or a loss. */
int tools_modem_sub(const tools_opts *o, brisa_mqtt_message_cb cb, void *user,
                    const bool *done, bool (*stop)(void));

#endif /* BRISA_TOOLS_MODEM_H */
