// SPDX-License-Identifier: MIT
/* brisa-sub -F: mosquitto_sub's output format. */
#ifndef BRISA_TOOLS_FORMAT_H
#define BRISA_TOOLS_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "brisa/mqtt.h"

/**
 * Prints @p m on @p out as @p fmt says, the way mosquitto_sub -F does:
 * %t topic, %p payload, %x/%X payload in hex, %l length, %q QoS, %r
 * retained, %m message id, %I ISO 8601 time, %U Unix time with
 * nanoseconds, %j JSON, %% a percent sign, and the MQTT 5 ones: %A topic
 * alias, %C content type, %D correlation data, %E message expiry, %F
 * payload format, %P user properties, %R response topic, %S subscription
 * identifiers; %@X the strftime field X; flags '-' and '0', width and
 * precision; escapes \\ \0 \a \e \n \r \t \v. No newline is added.
 */
void tools_format_print(FILE *out, const char *fmt, const brisa_mqtt_message *m);

/**
 * Prints a message, or one chunk of it, the way brisa-sub does: with
 * @p format (whole messages only), else the payload after "topic " when
 * @p verbose ("topic (null)" for an empty one), then a newline unless
 * @p no_newline. Returns true when the message is complete.
 */
bool tools_print_message(FILE *out, const char *format, bool verbose, bool no_newline,
                         const brisa_mqtt_message *m);

#endif /* BRISA_TOOLS_FORMAT_H */
