// SPDX-License-Identifier: MIT
/* Tests for app/brisa-device/commands.c: the LED vocabulary and events. */
#include "cmocka_all.h"

#include <string.h>

#include "commands.h"

static command parse(const char *s)
{
    return command_parse(s, strlen(s), 3);
}

static void test_led_commands(void **state)
{
    (void)state;
    command c = parse("LED1 ON");
    assert_int_equal(c.kind, CMD_LED_ON);
    assert_int_equal(c.led, 0);
    c = parse("  led3   toggle \n");
    assert_int_equal(c.kind, CMD_LED_TOGGLE);
    assert_int_equal(c.led, 2);
    c = parse("Led2 Off");
    assert_int_equal(c.kind, CMD_LED_OFF);
    assert_int_equal(c.led, 1);
    assert_int_equal(parse("ALL ON").kind, CMD_ALL_ON);
    assert_int_equal(parse("all off").kind, CMD_ALL_OFF);
    assert_int_equal(parse("STATUS").kind, CMD_STATUS);
    assert_int_equal(parse("time").kind, CMD_TIME);
}

static void test_rejects(void **state)
{
    (void)state;
    static const char *bad[] = { "", "   ", "LED4 ON", "LED0 ON", "LED1", "LED1 BLINK",
                                 "LED12 ON", "LED1 ON NOW", "ALL TOGGLE", "STATUS NOW",
                                 "LEDX ON", "ON LED1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (parse(bad[i]).kind != CMD_INVALID)
            fail_msg("accepted \"%s\"", bad[i]);
    }
    /* Not NUL-terminated: only len bytes count. */
    assert_int_equal(command_parse("LED1 ONX", 7, 3).kind, CMD_LED_ON);
}

static void test_events(void **state)
{
    (void)state;
    char buf[96];
    event_led(buf, sizeof buf, 0, true);
    assert_string_equal(buf, "[LED 1 ON]");
    event_led(buf, sizeof buf, 2, false);
    assert_string_equal(buf, "[LED 3 OFF]");
    bool leds[3] = { true, false, true };
    event_status(buf, sizeof buf, leds, 3);
    assert_string_equal(buf, "[STATUS LED1=ON LED2=OFF LED3=ON]");
    event_unknown(buf, sizeof buf, "hi\x01", 3);
    assert_string_equal(buf, "[UNKNOWN COMMAND \"hi?\"]");
    char long_text[100];
    memset(long_text, 'a', sizeof long_text);
    event_unknown(buf, sizeof buf, long_text, sizeof long_text);
    assert_non_null(strstr(buf, "...\"]"));
}

static void test_local_time(void **state)
{
    (void)state;
    char buf[64];
    /* 2026-11-23 14:04:05 UTC */
    long long ms = 1795442645000LL;
    format_local_time(buf, sizeof buf, ms, 0);
    assert_string_equal(buf, "2026-11-23 14:04:05 GMT");
    format_local_time(buf, sizeof buf, ms, 60);
    assert_string_equal(buf, "2026-11-23 15:04:05 GMT+1");
    format_local_time(buf, sizeof buf, ms, -(14 * 60 + 30));
    assert_string_equal(buf, "2026-11-22 23:34:05 GMT-14:30");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_led_commands),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_local_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
