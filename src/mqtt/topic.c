// SPDX-License-Identifier: MIT
/* Topic names, topic filters and the UTF-8 rules they share (MQTT 3.1.1
 * sections 1.5.3 and 4.7). */
#include <string.h>

#include "codec_internal.h"

static bool is_cont(uint8_t b)
{
    return (b & 0xC0u) == 0x80u;
}

bool brisa_mqtt_utf8_valid(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        size_t n;
        if (c == 0)
            return false; /* U+0000 is forbidden in MQTT strings */
        if (c < 0x80u) {
            i++;
            continue;
        }
        if (c < 0xC2u)
            return false; /* stray continuation, or overlong C0/C1 lead */
        n = c < 0xE0u ? 2 : c < 0xF0u ? 3 : c < 0xF5u ? 4 : 0;
        if (n == 0 || len - i < n)
            return false;
        for (size_t k = 1; k < n; k++)
            if (!is_cont(s[i + k]))
                return false;
        uint8_t c1 = s[i + 1];
        if (c == 0xE0u && c1 < 0xA0u)
            return false; /* overlong 3-byte form */
        if (c == 0xEDu && c1 >= 0xA0u)
            return false; /* UTF-16 surrogate U+D800..U+DFFF */
        if (c == 0xF0u && c1 < 0x90u)
            return false; /* overlong 4-byte form */
        if (c == 0xF4u && c1 >= 0x90u)
            return false; /* above U+10FFFF */
        i += n;
    }
    return true;
}

static bool string_ok(const char *s, size_t len)
{
    return s && len >= 1 && len <= BRISA_MQTT_MAX_STRING &&
           brisa_mqtt_utf8_valid((const uint8_t *)s, len);
}

bool brisa_mqtt_topic_valid(const char *topic, size_t len)
{
    if (!string_ok(topic, len))
        return false;
    for (size_t i = 0; i < len; i++)
        if (topic[i] == '+' || topic[i] == '#')
            return false;
    return true;
}

bool brisa_mqtt_filter_valid(const char *filter, size_t len)
{
    if (!string_ok(filter, len))
        return false;
    for (size_t i = 0; i < len; i++) {
        char ch = filter[i];
        if (ch != '+' && ch != '#')
            continue;
        /* A wildcard fills its whole level... */
        bool starts = i == 0 || filter[i - 1] == '/';
        bool ends = i + 1 == len || filter[i + 1] == '/';
        if (!starts || !ends)
            return false;
        /* ...and '#' is the last level. */
        if (ch == '#' && i + 1 != len)
            return false;
    }
    return true;
}

static size_t level_end(const char *s, size_t len, size_t from)
{
    while (from < len && s[from] != '/')
        from++;
    return from;
}

bool brisa_mqtt_topic_matches(const char *filter, size_t filter_len,
                              const char *topic, size_t topic_len)
{
    if (!filter || !topic || filter_len == 0 || topic_len == 0)
        return false;
    /* Topics starting with '$' (broker internals) are not matched by a
     * filter starting with a wildcard (section 4.7.2). */
    if (topic[0] == '$' && (filter[0] == '+' || filter[0] == '#'))
        return false;
    size_t fi = 0, ti = 0;
    bool topic_done = false;
    for (;;) {
        size_t fe = level_end(filter, filter_len, fi);
        /* '#' matches the parent level too: "a/#" matches "a". */
        if (fe - fi == 1 && filter[fi] == '#')
            return true;
        if (topic_done)
            return false;
        size_t te = level_end(topic, topic_len, ti);
        bool plus = fe - fi == 1 && filter[fi] == '+';
        if (!plus && (fe - fi != te - ti || memcmp(filter + fi, topic + ti, fe - fi) != 0))
            return false;
        bool filter_last = fe == filter_len, topic_last = te == topic_len;
        if (filter_last)
            return topic_last;
        fi = fe + 1;
        if (topic_last)
            topic_done = true;
        else
            ti = te + 1;
    }
}
