// SPDX-License-Identifier: MIT
/* Parsing of LED commands and formatting of the events they cause. */
#include "commands.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"

/* Splits the next blank-separated word off [*p, end). */
static bool next_word(const char **p, const char *end, const char **w, size_t *wlen)
{
    while (*p < end && isspace((unsigned char)**p))
        (*p)++;
    if (*p == end)
        return false;
    *w = *p;
    while (*p < end && !isspace((unsigned char)**p))
        (*p)++;
    *wlen = (size_t)(*p - *w);
    return true;
}

static bool word_is(const char *w, size_t wlen, const char *lit)
{
    return strlen(lit) == wlen && strncasecmp(w, lit, wlen) == 0;
}

command command_parse(const char *text, size_t len, int led_count)
{
    command c = { CMD_INVALID, 0 };
    const char *p = text, *end = text + len, *w1, *w2, *w3;
    size_t l1, l2, l3;
    if (!next_word(&p, end, &w1, &l1))
        return c;
    bool has2 = next_word(&p, end, &w2, &l2);
    if (has2 && next_word(&p, end, &w3, &l3))
        return c; /* three words: not in the vocabulary */

    if (!has2) {
        if (word_is(w1, l1, "STATUS"))
            c.kind = CMD_STATUS;
        else if (word_is(w1, l1, "TIME"))
            c.kind = CMD_TIME;
        return c;
    }
    command_kind action = word_is(w2, l2, "ON")       ? CMD_LED_ON
                          : word_is(w2, l2, "OFF")    ? CMD_LED_OFF
                          : word_is(w2, l2, "TOGGLE") ? CMD_LED_TOGGLE
                                                      : CMD_INVALID;
    if (action == CMD_INVALID)
        return c;
    if (word_is(w1, l1, "ALL")) {
        if (action != CMD_LED_TOGGLE)
            c.kind = action == CMD_LED_ON ? CMD_ALL_ON : CMD_ALL_OFF;
        return c;
    }
    /* "LED1" .. "LED9" */
    if (l1 == 4 && strncasecmp(w1, "LED", 3) == 0 && w1[3] >= '1' && w1[3] <= '9') {
        int led = w1[3] - '1';
        if (led < led_count) {
            c.kind = action;
            c.led = led;
        }
    }
    return c;
}

void event_led(char *buf, size_t len, int led, bool on)
{
    snprintf(buf, len, "[LED %d %s]", led + 1, on ? "ON" : "OFF");
}

void event_status(char *buf, size_t len, const bool *leds, int led_count)
{
    size_t pos = (size_t)snprintf(buf, len, "[STATUS");
    for (int i = 0; i < led_count && pos < len; i++)
        pos += (size_t)snprintf(buf + pos, len - pos, " LED%d=%s", i + 1, leds[i] ? "ON" : "OFF");
    if (pos < len)
        snprintf(buf + pos, len - pos, "]");
}

void event_unknown(char *buf, size_t len, const char *text, size_t text_len)
{
    char shown[48];
    size_t n = 0;
    for (size_t i = 0; i < text_len && n + 1 < sizeof shown; i++)
        shown[n++] = isprint((unsigned char)text[i]) ? text[i] : '?';
    shown[n] = '\0';
    snprintf(buf, len, "[UNKNOWN COMMAND \"%s%s\"]", shown, n < text_len ? "..." : "");
}

void format_local_time(char *buf, size_t len, long long unix_ms, int gmt_offset_min)
{
    time_t t = (time_t)(unix_ms / 1000) + (time_t)gmt_offset_min * 60;
    struct tm tm;
    gmtime_r(&t, &tm);
    char label[16];
    device_config_gmt_label(gmt_offset_min, label, sizeof label);
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf, len, "%s %s", date, label);
}
