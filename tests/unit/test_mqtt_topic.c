// SPDX-License-Identifier: MIT
/* Tests for src/mqtt/topic.c: topic names, filters, matching (MQTT 3.1.1
 * section 4.7, including its examples) and the UTF-8 rules. */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "brisa/mqtt_codec.h"

static bool matches(const char *filter, const char *topic)
{
    return brisa_mqtt_topic_matches(filter, strlen(filter), topic, strlen(topic));
}

static void test_matching_spec_examples(void **state)
{
    (void)state;
    /* 4.7.1.2: multi-level wildcard */
    assert_true(matches("sport/tennis/player1/#", "sport/tennis/player1"));
    assert_true(matches("sport/tennis/player1/#", "sport/tennis/player1/ranking"));
    assert_true(matches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon"));
    assert_true(matches("sport/#", "sport"));
    assert_true(matches("#", "sport/tennis"));
    assert_true(matches("#", "/"));
    /* 4.7.1.3: single-level wildcard */
    assert_true(matches("sport/tennis/+", "sport/tennis/player1"));
    assert_true(matches("sport/tennis/+", "sport/tennis/player2"));
    assert_false(matches("sport/tennis/+", "sport/tennis/player1/ranking"));
    assert_false(matches("sport/+", "sport"));
    assert_true(matches("sport/+", "sport/"));
    assert_true(matches("+/+", "/finance"));
    assert_true(matches("/+", "/finance"));
    assert_false(matches("+", "/finance"));
    assert_true(matches("+/tennis/#", "sport/tennis/player1"));
    /* 4.7.2: topics starting with '$' */
    assert_false(matches("#", "$SYS/broker/uptime"));
    assert_false(matches("+/monitor/Clients", "$SYS/monitor/Clients"));
    assert_true(matches("$SYS/#", "$SYS/monitor/Clients"));
    assert_true(matches("$SYS/monitor/+", "$SYS/monitor/Clients"));
    /* Plain comparison, case and empty levels. */
    assert_true(matches("a/b", "a/b"));
    assert_false(matches("a/b", "A/b"));
    assert_false(matches("a/b", "a/b/"));
    assert_false(matches("a/b/", "a/b"));
    assert_true(matches("a//b", "a//b"));
    assert_true(matches("a/+/b", "a//b"));
    assert_false(matches("a/b/c", "a/b"));
    assert_false(matches("ab", "a"));
    assert_false(matches("a", ""));
    assert_false(matches("", "a"));
}

static void test_topic_valid(void **state)
{
    (void)state;
    assert_true(brisa_mqtt_topic_valid("a", 1));
    assert_true(brisa_mqtt_topic_valid("/", 1));
    assert_true(brisa_mqtt_topic_valid("a/b c/\xc3\xa9", 8));
    assert_false(brisa_mqtt_topic_valid("", 0));
    assert_false(brisa_mqtt_topic_valid(NULL, 1));
    assert_false(brisa_mqtt_topic_valid("a/+", 3));
    assert_false(brisa_mqtt_topic_valid("a/#", 3));
    assert_false(brisa_mqtt_topic_valid("a+b", 3));
    assert_false(brisa_mqtt_topic_valid("a\0b", 3));
    char *big = malloc(65536);
    assert_non_null(big);
    memset(big, 'x', 65536);
    assert_true(brisa_mqtt_topic_valid(big, 65535));
    assert_false(brisa_mqtt_topic_valid(big, 65536));
    free(big);
}

static void test_filter_valid(void **state)
{
    (void)state;
    static const char *const good[] = { "#", "+", "a/#", "+/+", "a/+/b", "/+", "+/",
                                        "$SYS/#", "a//b", "sport/tennis/#" };
    static const char *const bad[] = { "", "a#", "a/#/b", "#/", "a+", "+a", "a/b+",
                                       "a/+b/c", "##", "++" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(brisa_mqtt_filter_valid(good[i], strlen(good[i])));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (brisa_mqtt_filter_valid(bad[i], strlen(bad[i])))
            fail_msg("filter \"%s\" accepted", bad[i]);
}

static void test_utf8(void **state)
{
    (void)state;
    static const struct { const char *s; size_t len; bool ok; } cases[] = {
        { "plain", 5, true },
        { "\xc2\x80", 2, true },           /* U+0080 */
        { "\xdf\xbf", 2, true },           /* U+07FF */
        { "\xe0\xa0\x80", 3, true },       /* U+0800 */
        { "\xed\x9f\xbf", 3, true },       /* U+D7FF */
        { "\xee\x80\x80", 3, true },       /* U+E000 */
        { "\xef\xbb\xbf", 3, true },       /* U+FEFF is allowed, not skipped */
        { "\xef\xbf\xbf", 3, true },       /* U+FFFF */
        { "\xf0\x90\x80\x80", 4, true },   /* U+10000 */
        { "\xf4\x8f\xbf\xbf", 4, true },   /* U+10FFFF */
        { "\x00", 1, false },              /* U+0000 */
        { "\xc0\x80", 2, false },          /* overlong U+0000 */
        { "\xc1\xbf", 2, false },          /* overlong U+007F */
        { "\xe0\x9f\xbf", 3, false },      /* overlong U+07FF */
        { "\xf0\x8f\xbf\xbf", 4, false },  /* overlong U+FFFF */
        { "\xed\xa0\x80", 3, false },      /* U+D800 */
        { "\xed\xbf\xbf", 3, false },      /* U+DFFF */
        { "\xf4\x90\x80\x80", 4, false },  /* U+110000 */
        { "\xf8\x88\x80\x80\x80", 5, false },
        { "\x80", 1, false },
        { "\xc3", 1, false },
        { "\xe2\x82", 2, false },
        { "\xc3\x28", 2, false },
        { "\xfe", 1, false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* Exact-size copy: a read past the end would be caught. */
        uint8_t *b = malloc(cases[i].len);
        assert_non_null(b);
        memcpy(b, cases[i].s, cases[i].len);
        if (brisa_mqtt_utf8_valid(b, cases[i].len) != cases[i].ok)
            fail_msg("case %zu: expected %s", i, cases[i].ok ? "valid" : "invalid");
        free(b);
    }
    assert_true(brisa_mqtt_utf8_valid(NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matching_spec_examples),
        cmocka_unit_test(test_topic_valid),
        cmocka_unit_test(test_filter_valid),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
