// SPDX-License-Identifier: MIT
/* Tests for brisa-sub -F (tools/common/format.c): every specifier that
 * does not depend on the time, MQTT 5 properties, flags, width and
 * precision, escapes, and what is not a specifier printed as given. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/mqtt_codec.h"
#include "format.h"

static char *render(const char *fmt, const brisa_mqtt_message *m)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    tools_format_print(f, fmt, m);
    fclose(f);
    return buf;
}

static void expect(const char *fmt, const brisa_mqtt_message *m, const char *want)
{
    char *got = render(fmt, m);
    if (strcmp(got, want) != 0)
        fail_msg("-F '%s' gave '%s', want '%s'", fmt, got, want);
    free(got);
}

static void test_specifiers(void **state)
{
    (void)state;
    static const uint8_t props[] = {
        0x01, 1,                              /* payload format */
        0x02, 0, 0, 0, 60,                    /* message expiry */
        0x03, 0, 2, 'c', 't',                 /* content type */
        0x08, 0, 3, 'r', '/', '1',            /* response topic */
        0x09, 0, 2, 'c', 'd',                 /* correlation data */
        0x0B, 7, 0x0B, 9,                     /* subscription ids */
        0x23, 0, 4,                           /* topic alias */
        0x26, 0, 1, 'k', 0, 1, 'v', 0x26, 0, 1, 'a', 0, 1, 'b',
    };
    brisa_mqtt_message m = {
        .topic = "a/b", .topic_len = 3, .payload = (const uint8_t *)"h\"i", .payload_len = 3,
        .payload_total = 3, .qos = 1, .retain = true, .packet_id = 42,
        .props = { props, sizeof props, NULL, 0 },
    };
    expect("%t %p %l %q %r %m", &m, "a/b h\"i 3 1 1 42");
    expect("%x %X", &m, "682269 682269");
    expect("%C|%R|%D|%E|%F|%S|%A|%P", &m, "ct|r/1|cd|60|1|7 9|4|k:v a:b");
    expect("[%5t][%-5t][%05l][%.1p]", &m, "[  a/b][a/b  ][00003][h]");
    expect("\\t\\n\\\\\\e\\q", &m, "\t\n\\\033\\q");
    char *nul = render("a\\0b", &m);
    assert_memory_equal(nul, "a\0b", 3);
    free(nul);
    expect("100%% %z %", &m, "100% %z %");
    char *j = render("%j", &m);
    assert_non_null(strstr(j, "\"topic\":\"a/b\",\"qos\":1,\"retain\":1,\"payloadlen\":3,"
                              "\"payload\":\"h\\\"i\"}"));
    free(j);
    /* 3.1.1 messages have no properties: the v5 specifiers print nothing. */
    m.props.len = 0;
    expect("<%C%R%P%S>", &m, "<>");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_specifiers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
