// SPDX-License-Identifier: MIT
/* brisa-sub -F: each specifier renders into a small growable text, which
 * is then padded to the width asked for. */
#include "format.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "brisa/mqtt_codec.h"

typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void add(text *t, const void *data, size_t len)
{
    if (t->len + len + 1 > t->cap) {
        size_t cap = (t->len + len + 1) * 2;
        char *np = realloc(t->p, cap);
        if (!np)
            return; /* out of memory: print what there is */
        t->p = np;
        t->cap = cap;
    }
    if (!t->p)
        return;
    memcpy(t->p + t->len, data, len);
    t->len += len;
    t->p[t->len] = 0;
}

static void addf(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(text *t, const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        add(t, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void add_hex(text *t, const uint8_t *p, size_t len, bool upper)
{
    for (size_t i = 0; i < len; i++)
        addf(t, upper ? "%02X" : "%02x", p[i]);
}

static void add_json_str(text *t, const uint8_t *p, size_t len)
{
    add(t, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        uint8_t ch = p[i];
        if (ch == '"' || ch == '\\')
            addf(t, "\\%c", ch);
        else if (ch < 0x20)
            addf(t, "\\u%04x", ch);
        else
            add(t, &ch, 1);
    }
    add(t, "\"", 1);
}

/* Every value of property @p id, separated by @p sep. */
static void add_prop(text *t, const brisa_mqtt_message *m, uint8_t id, const char *sep)
{
    size_t pos = 0, n = 0;
    brisa_mqtt_property p;
    while (brisa_mqtt_prop_next(&m->props, &pos, &p)) {
        if (p.id != id)
            continue;
        if (n++)
            add(t, sep, strlen(sep));
        switch (brisa_mqtt_prop_type(id)) {
        case BRISA_MQTT_PT_STR:
        case BRISA_MQTT_PT_BIN:
            add(t, p.data.data, p.data.len);
            break;
        case BRISA_MQTT_PT_PAIR:
            add(t, p.data.data, p.data.len);
            add(t, ":", 1);
            add(t, p.value2.data, p.value2.len);
            break;
        default:
            addf(t, "%lu", (unsigned long)p.value);
            break;
        }
    }
}

static void add_time(text *t, const struct timespec *ts, char conv)
{
    struct tm tm;
    localtime_r(&ts->tv_sec, &tm);
    char buf[64];
    if (conv == 'I') {
        strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm);
        add(t, buf, strlen(buf));
    } else if (conv == 'U') {
        addf(t, "%lld.%09ld", (long long)ts->tv_sec, ts->tv_nsec);
    } else {
        /* %@X: the caller's strftime conversion X. */
        char f[3] = { '%', conv, 0 };
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        size_t n = strftime(buf, sizeof buf, f, &tm);
#pragma GCC diagnostic pop
        add(t, buf, n);
    }
}

static void add_json(text *t, const brisa_mqtt_message *m, const struct timespec *ts)
{
    add(t, "{\"tst\":\"", 8);
    add_time(t, ts, 'I');
    add(t, "\",\"topic\":", 10);
    add_json_str(t, (const uint8_t *)m->topic, m->topic_len);
    addf(t, ",\"qos\":%u,\"retain\":%u,\"payloadlen\":%zu,\"payload\":", (unsigned)m->qos,
         (unsigned)m->retain, m->payload_len);
    add_json_str(t, m->payload, m->payload_len);
    add(t, "}", 1);
}

/* Renders conversion @p conv; false when it is not one. */
static bool render(text *t, char conv, const brisa_mqtt_message *m, const struct timespec *ts)
{
    switch (conv) {
    case '%': add(t, "%", 1); return true;
    case 't': add(t, m->topic, m->topic_len); return true;
    case 'p': add(t, m->payload, m->payload_len); return true;
    case 'x': add_hex(t, m->payload, m->payload_len, false); return true;
    case 'X': add_hex(t, m->payload, m->payload_len, true); return true;
    case 'l': addf(t, "%zu", m->payload_len); return true;
    case 'q': addf(t, "%u", (unsigned)m->qos); return true;
    case 'r': addf(t, "%u", m->retain ? 1u : 0u); return true;
    case 'm': addf(t, "%u", (unsigned)m->packet_id); return true;
    case 'I':
    case 'U': add_time(t, ts, conv); return true;
    case 'j':
    case 'J': add_json(t, m, ts); return true;
    case 'A': add_prop(t, m, BRISA_MQTT_PROP_TOPIC_ALIAS, " "); return true;
    case 'C': add_prop(t, m, BRISA_MQTT_PROP_CONTENT_TYPE, " "); return true;
    case 'D': add_prop(t, m, BRISA_MQTT_PROP_CORRELATION_DATA, " "); return true;
    case 'E': add_prop(t, m, BRISA_MQTT_PROP_MESSAGE_EXPIRY, " "); return true;
    case 'F': add_prop(t, m, BRISA_MQTT_PROP_PAYLOAD_FORMAT, " "); return true;
    case 'P': add_prop(t, m, BRISA_MQTT_PROP_USER, " "); return true;
    case 'R': add_prop(t, m, BRISA_MQTT_PROP_RESPONSE_TOPIC, " "); return true;
    case 'S': add_prop(t, m, BRISA_MQTT_PROP_SUBSCRIPTION_ID, " "); return true;
    default: return false;
    }
}

static char escape(char c)
{
    switch (c) {
    case '\\': return '\\';
    case '0': return '\0';
    case 'a': return '\a';
    case 'e': return '\033';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    default: return 0x7f; /* not an escape: printed as given */
    }
}

void tools_format_print(FILE *out, const char *fmt, const brisa_mqtt_message *m)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    text t = { 0 };
    for (const char *f = fmt; *f; f++) {
        if (*f == '\\' && f[1]) {
            char e = escape(f[1]);
            if (e == 0x7f) {
                fputc('\\', out);
                continue;
            }
            fputc(e, out);
            f++;
            continue;
        }
        if (*f != '%' || !f[1]) {
            fputc(*f, out);
            continue;
        }
        const char *start = f++;
        bool left = false, zero = false;
        for (; *f == '-' || *f == '0'; f++)
            *(*f == '-' ? &left : &zero) = true;
        int width = 0, prec = -1;
        for (; *f >= '0' && *f <= '9'; f++)
            width = width * 10 + (*f - '0');
        if (*f == '.')
            for (prec = 0, f++; *f >= '0' && *f <= '9'; f++)
                prec = prec * 10 + (*f - '0');
        t.len = 0;
        bool ok;
        if (*f == '@' && f[1]) {
            add_time(&t, &ts, *++f);
            ok = true;
        } else {
            ok = *f && render(&t, *f, m, &ts);
        }
        if (!ok) {
            /* Unknown: printed as given, like mosquitto_sub. */
            fwrite(start, 1, (size_t)(f - start) + (*f ? 1 : 0), out);
            if (!*f)
                break;
            continue;
        }
        size_t len = prec >= 0 && (size_t)prec < t.len ? (size_t)prec : t.len;
        size_t pad = width > 0 && (size_t)width > len ? (size_t)width - len : 0;
        for (size_t i = 0; !left && i < pad; i++)
            fputc(zero ? '0' : ' ', out);
        if (len)
            fwrite(t.p, 1, len, out);
        for (size_t i = 0; left && i < pad; i++)
            fputc(' ', out);
    }
    free(t.p);
}

bool tools_print_message(FILE *out, const char *format, bool verbose, bool no_newline,
                         const brisa_mqtt_message *m)
{
    bool whole = m->payload_offset == 0 && m->payload_len == m->payload_total;
    if (format && whole) {
        tools_format_print(out, format, m);
    } else {
        if (m->payload_offset == 0 && verbose) {
            fwrite(m->topic, 1, m->topic_len, out);
            fputs(m->payload_total == 0 ? " (null)" : " ", out);
        }
        fwrite(m->payload, 1, m->payload_len, out);
        if (m->payload_offset + m->payload_len < m->payload_total)
            return false;
    }
    if (!no_newline)
        fputc('\n', out);
    fflush(out);
    return true;
}
