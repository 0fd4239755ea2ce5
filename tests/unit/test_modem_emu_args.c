// SPDX-License-Identifier: MIT
/* Tests for tools/brisa-modem-emu/args.c (the parameters of an extended AT
 * command) and control.c (the fault-injection commands' syntax). */
#include "cmocka_all.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "brisa/port/posix.h"
#include "emu.h"

static void parse(const char *text, emu_args *a, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", text);
    assert_true(emu_args_parse(buf, a));
}

static void test_fields(void **state)
{
    (void)state;
    char buf[128];
    emu_args a;
    long v;
    const char *s;
    parse("0,\"tcp://host:1883\",60,1", &a, buf, sizeof buf);
    assert_int_equal(a.n, 4);
    assert_true(emu_arg_int(&a, 0, 0, 1, &v));
    assert_int_equal(v, 0);
    assert_true(emu_arg_str(&a, 1, 100, &s));
    assert_string_equal(s, "tcp://host:1883");
    assert_false(emu_arg_int(&a, 1, 0, 100, &v)); /* quoted: not a number */
    assert_false(emu_arg_str(&a, 2, 100, &s));    /* unquoted: not a string */
    assert_true(emu_arg_int(&a, 2, 1, 64800, &v));
    assert_int_equal(v, 60);
    assert_false(emu_arg_int(&a, 4, 0, 1, &v)); /* absent */
}

static void test_quoted_commas_and_spaces(void **state)
{
    (void)state;
    char buf[128];
    emu_args a;
    const char *s;
    long v;
    parse("1, \"a, b\" , 2 ", &a, buf, sizeof buf);
    assert_int_equal(a.n, 3);
    assert_true(emu_arg_str(&a, 1, 10, &s));
    assert_string_equal(s, "a, b");
    assert_true(emu_arg_int(&a, 2, 0, 9, &v));
    assert_int_equal(v, 2);
    parse("\"\"", &a, buf, sizeof buf);
    assert_int_equal(a.n, 1);
    assert_true(emu_arg_str(&a, 0, 10, &s));
    assert_string_equal(s, "");
    parse("", &a, buf, sizeof buf);
    assert_int_equal(a.n, 0);
    parse("1,", &a, buf, sizeof buf); /* an empty last field is no number */
    assert_int_equal(a.n, 2);
    assert_false(emu_arg_int(&a, 1, 0, 9, &v));
}

static void test_rejects(void **state)
{
    (void)state;
    char buf[128];
    emu_args a;
    long v;
    const char *s;
    snprintf(buf, sizeof buf, "\"unterminated");
    assert_false(emu_args_parse(buf, &a));
    snprintf(buf, sizeof buf, "\"a\"b,1");
    assert_false(emu_args_parse(buf, &a));
    snprintf(buf, sizeof buf, "1,2,3,4,5,6,7,8,9,10,11,12,13");
    assert_false(emu_args_parse(buf, &a)); /* more fields than any command */
    parse("12x,-1,99999999999999999999", &a, buf, sizeof buf);
    assert_false(emu_arg_int(&a, 0, 0, 100, &v));
    assert_false(emu_arg_int(&a, 1, 0, 100, &v));
    assert_false(emu_arg_int(&a, 2, 0, 100000, &v));
    parse("\"toolong\"", &a, buf, sizeof buf);
    assert_false(emu_arg_str(&a, 0, 6, &s));
}

static emu the_emu;

static void control(const char *cmd, const char *want_prefix)
{
    char line[128], answer[256];
    snprintf(line, sizeof line, "%s", cmd);
    emu_control_command(&the_emu, line, answer, sizeof answer);
    assert_true(strncmp(answer, want_prefix, strlen(want_prefix)) == 0);
}

static void test_control(void **state)
{
    (void)state;
    emu *e = &the_emu;
    e->pty = open("/dev/null", O_WRONLY);
    assert_true(e->pty >= 0);
    e->clock = brisa_posix_clock();
    e->cme_next = -1;
    emu_init_state(e);
    control("error 3", "ok");
    assert_int_equal(e->fail_next, 3);
    control("cme 10", "ok");
    assert_int_equal(e->cme_next, 10);
    control("delay 250", "ok");
    assert_int_equal(e->delay_ms, 250);
    control("split 4", "ok");
    assert_int_equal(e->split, 4);
    control("rxsplit 7", "ok");
    assert_int_equal(e->rxsplit, 7);
    control("split 0", "ok");
    control("error", "error: unknown or malformed command 'error'");
    control("error 1 2", "error: ");
    control("delay -5", "error: ");
    control("cme x", "error: ");
    control("connlost 2 1", "error: ");
    control("connlost 0 1", "error: client 0 is not connected");
    control("", "error: empty command");
    control("reset now", "error: ");
    control("reset", "ok");
    assert_true(e->rdy_at_ms != 0);
    assert_true(e->echo);
    close(e->pty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_quoted_commas_and_spaces),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_control),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
