// SPDX-License-Identifier: MIT
/* Tests for src/at/engine.c over the scripted transport and fake clock of
 * mqtt_fakes.c: finals, intermediate lines, URCs in the middle of a
 * response (with raw data holding CR/LF), the prompt, timeouts, echo,
 * garbage and +CME ERROR. */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "brisa/at.h"
#include "mqtt_fakes.h"

typedef struct env {
    fake_clock clk;
    fake_transport ft;
    brisa_at at;
    char line[128];
    char lines[16][128]; /* intermediate lines, NUL-terminated */
    size_t nlines;
    char urcs[16][128];
    size_t nurcs;
    uint8_t raw[256];
    size_t raw_len;
    int reentry;         /* what a nested command returned in on_urc */
} env;

static void on_line(void *user, const char *l, size_t n)
{
    env *e = user;
    if (e->nlines < 16) {
        memcpy(e->lines[e->nlines], l, n);
        e->lines[e->nlines++][n] = 0;
    }
}

static bool on_urc(void *user, const char *l, size_t n, size_t *raw)
{
    env *e = user;
    if (n < 6 || memcmp(l, "+CMQTT", 6) != 0)
        return false;
    if (e->nurcs < 16) {
        memcpy(e->urcs[e->nurcs], l, n);
        e->urcs[e->nurcs++][n] = 0;
    }
    const char *comma = memchr(l, ',', n);
    if (comma && (!strncmp(l, "+CMQTTRXPAYLOAD:", 16) || !strncmp(l, "+CMQTTRXTOPIC:", 14)))
        *raw = (size_t)atoi(comma + 1);
    if (!strncmp(l, "+CMQTTCONNLOST:", 15)) {
        brisa_at_command c = { .text = "AT" };
        e->reentry = brisa_at_command_run(&e->at, &c);
    }
    return true;
}

static void on_raw(void *user, const uint8_t *d, size_t n)
{
    env *e = user;
    assert_true(e->raw_len + n <= sizeof e->raw);
    memcpy(e->raw + e->raw_len, d, n);
    e->raw_len += n;
}

static int setup(void **state)
{
    env *e = calloc(1, sizeof *e);
    assert_non_null(e);
    fake_transport_init(&e->ft, &e->clk);
    e->clk.now = 1000;
    brisa_at_config cfg = {
        .transport = fake_transport_iface(&e->ft), .clock = fake_clock_iface(&e->clk),
        .line_buf = e->line, .line_size = sizeof e->line,
        .on_urc = on_urc, .on_raw = on_raw, .user = e,
    };
    assert_int_equal(brisa_at_init(&e->at, &cfg), BRISA_OK);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    env *e = *state;
    fake_transport_free(&e->ft);
    free(e);
    return 0;
}

static void feed(env *e, uint64_t at, const char *s)
{
    fake_feed(&e->ft, at, s, strlen(s));
}

static int run(env *e, const char *text, uint32_t timeout_ms)
{
    brisa_at_command c = { .text = text, .timeout_ms = timeout_ms, .on_line = on_line, .user = e };
    return brisa_at_command_run(&e->at, &c);
}

static void assert_sent(const env *e, const char *want)
{
    assert_int_equal(e->ft.out_len, strlen(want));
    assert_memory_equal(e->ft.out, want, strlen(want));
}

static void test_ok_and_intermediate(void **state)
{
    env *e = *state;
    feed(e, 1000, "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
    assert_int_equal(run(e, "AT+CSQ", 1000), BRISA_OK);
    assert_sent(e, "AT+CSQ\r");
    assert_int_equal(e->nlines, 1);
    assert_string_equal(e->lines[0], "+CSQ: 20,99");
}

static void test_urc_mid_response(void **state)
{
    env *e = *state;
    /* The URC comes between the command's own line and its OK, split over
     * two reads at different times. */
    feed(e, 1000, "\r\n+CCERTLIST: \"ca.pem\"\r\n\r\n+CMQTTRX");
    feed(e, 1200, "END: 0\r\n\r\n+CCERTLIST: \"k.pem\"\r\n\r\nOK\r\n");
    assert_int_equal(run(e, "AT+CCERTLIST", 5000), BRISA_OK);
    assert_int_equal(e->nurcs, 1);
    assert_string_equal(e->urcs[0], "+CMQTTRXEND: 0");
    assert_int_equal(e->nlines, 2);
    assert_string_equal(e->lines[1], "+CCERTLIST: \"k.pem\"");
    assert_int_equal(e->clk.now, 1200);
}

static void test_raw_urc_with_crlf_inside(void **state)
{
    env *e = *state;
    e->ft.max_read = 1; /* every byte on its own */
    feed(e, 1000, "\r\n+CMQTTRXPAYLOAD: 0,8\r\nOK\r\nA\r\nB\r\n\r\nOK\r\n");
    assert_int_equal(run(e, "AT", 1000), BRISA_OK);
    assert_int_equal(e->raw_len, 8);
    assert_memory_equal(e->raw, "OK\r\nA\r\nB", 8);
    assert_int_equal(e->nlines, 0);
}

static void test_prompt_sends_exactly_the_data(void **state)
{
    env *e = *state;
    static const uint8_t data[] = "HoLa and more";
    feed(e, 1010, "\r\n> ");
    feed(e, 1020, "\r\nOK\r\n");
    brisa_at_command c = { .text = "AT+CMQTTPAYLOAD=0,4", .data = data, .data_len = 4,
                           .timeout_ms = 1000 };
    assert_int_equal(brisa_at_command_run(&e->at, &c), BRISA_OK);
    assert_sent(e, "AT+CMQTTPAYLOAD=0,4\rHoLa");
    /* The data went out only once the prompt was there. */
    assert_true(e->ft.nsends >= 2);
    assert_int_equal(e->ft.sends[e->ft.nsends - 1].at, 1010);
}

static void test_prompt_refused(void **state)
{
    env *e = *state;
    static const uint8_t data[] = "x";
    feed(e, 1000, "\r\nERROR\r\n");
    brisa_at_command c = { .text = "AT+CMQTTTOPIC=0,1", .data = data, .data_len = 1 };
    assert_int_equal(brisa_at_command_run(&e->at, &c), BRISA_ERR_REFUSED);
    assert_int_equal(brisa_at_cme(&e->at), -1);
    assert_sent(e, "AT+CMQTTTOPIC=0,1\r");
    /* OK with no prompt before it: the data never went out. */
    feed(e, 1000, "\r\nOK\r\n");
    assert_int_equal(brisa_at_command_run(&e->at, &c), BRISA_ERR_PROTOCOL);
}

static void test_timeout(void **state)
{
    env *e = *state;
    feed(e, 1000, "\r\n+CSQ: 1,1\r\n"); /* never an OK */
    assert_int_equal(run(e, "AT+CSQ", 700), BRISA_ERR_TIMEOUT);
    assert_int_equal(e->clk.now, 1700);
    /* The engine is usable again, and the late OK of nothing is ignored. */
    feed(e, 1800, "\r\nOK\r\n");
    feed(e, 1900, "\r\nOK\r\n");
    assert_int_equal(run(e, "AT", 1000), BRISA_OK);
}

static void test_echo_on(void **state)
{
    env *e = *state;
    feed(e, 1000, "AT+CPIN?\r\r\n+CPIN: READY\r\n\r\nOK\r\n");
    assert_int_equal(run(e, "AT+CPIN?", 1000), BRISA_OK);
    assert_int_equal(e->nlines, 1);
    assert_string_equal(e->lines[0], "+CPIN: READY");
    /* Echo in the other case, as some modules do. */
    feed(e, 1000, "at+cpin?\r\nOK\r\n");
    e->nlines = 0;
    assert_int_equal(run(e, "AT+CPIN?", 1000), BRISA_OK);
    assert_int_equal(e->nlines, 0);
}

static void test_garbage_and_long_lines(void **state)
{
    env *e = *state;
    char junk[400];
    memset(junk, 'Z', sizeof junk);
    junk[sizeof junk - 1] = 0;
    feed(e, 1000, "\x01\xff\x7f garbage\n\n\r\r");
    feed(e, 1000, junk);
    feed(e, 1000, "\r\nOK-ish\r\n+CME ERR\r\n\r\nOK\r\n");
    /* While idle: none of it is a URC, nothing happens. */
    assert_int_equal(brisa_at_poll(&e->at, 0), BRISA_OK);
    assert_int_equal(e->nurcs, 0);
    feed(e, 1000, "\r\n\x02noise\r\n");
    feed(e, 1000, junk);
    feed(e, 1000, "\r\n+CSQ: 5,5\r\nOK\r\n");
    assert_int_equal(run(e, "AT+CSQ", 1000), BRISA_OK);
    assert_int_equal(e->nlines, 2); /* the noise line, then +CSQ; the long one dropped */
    assert_string_equal(e->lines[1], "+CSQ: 5,5");
}

static void test_cme_error(void **state)
{
    env *e = *state;
    feed(e, 1000, "\r\n+CME ERROR: 10\r\n");
    assert_int_equal(run(e, "AT+CPIN?", 1000), BRISA_ERR_REFUSED);
    assert_int_equal(brisa_at_cme(&e->at), 10);
    feed(e, 1000, "\r\n+CME ERROR: SIM not inserted\r\n");
    assert_int_equal(run(e, "AT+CPIN?", 1000), BRISA_ERR_REFUSED);
    assert_int_equal(brisa_at_cme(&e->at), -1);
    feed(e, 1000, "\r\n+CMS ERROR: 304\r\n");
    assert_int_equal(run(e, "AT+CMGS", 1000), BRISA_ERR_REFUSED);
    assert_int_equal(brisa_at_cme(&e->at), 304);
}

static void test_done_prefix(void **state)
{
    env *e = *state;
    feed(e, 1000, "\r\nOK\r\n");
    feed(e, 1300, "\r\n+CMQTTPUB: 0,0\r\n");
    brisa_at_command c = { .text = "AT+CMQTTPUB=0,1,60", .done_prefix = "+CMQTTPUB: 0,",
                           .timeout_ms = 2000, .on_line = on_line, .user = e };
    assert_int_equal(brisa_at_command_run(&e->at, &c), BRISA_OK);
    assert_int_equal(e->clk.now, 1300);
    assert_string_equal(e->lines[0], "+CMQTTPUB: 0,0");
    /* Without its done line the command does not end at OK. */
    feed(e, 1300, "\r\nOK\r\n");
    assert_int_equal(brisa_at_command_run(&e->at, &c), BRISA_ERR_TIMEOUT);
    /* The module's own final with ERROR: refused. */
    feed(e, 5000, "\r\n+CMQTTPUB: 0,11\r\nERROR\r\n");
    e->nlines = 0;
    assert_int_equal(brisa_at_command_run(&e->at, &c), BRISA_ERR_REFUSED);
    assert_string_equal(e->lines[0], "+CMQTTPUB: 0,11");
}

static void test_no_reentry_from_urc(void **state)
{
    env *e = *state;
    feed(e, 1000, "\r\n+CMQTTCONNLOST: 0,1\r\n");
    assert_int_equal(brisa_at_poll(&e->at, 100), BRISA_OK);
    assert_int_equal(e->reentry, BRISA_ERR_STATE);
    assert_int_equal(e->nurcs, 1);
}

static void test_transport_error_and_bad_args(void **state)
{
    env *e = *state;
    fake_feed_err(&e->ft, 1000, BRISA_ERR_IO);
    assert_int_equal(run(e, "AT", 1000), BRISA_ERR_IO);
    brisa_at_command c = { .text = "" };
    assert_int_equal(brisa_at_command_run(&e->at, &c), BRISA_ERR_INVALID_ARG);
    brisa_at a;
    brisa_at_config cfg = { 0 };
    assert_int_equal(brisa_at_init(&a, &cfg), BRISA_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ok_and_intermediate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_urc_mid_response, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw_urc_with_crlf_inside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prompt_sends_exactly_the_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prompt_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_echo_on, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_and_long_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cme_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_done_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_reentry_from_urc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transport_error_and_bad_args, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
