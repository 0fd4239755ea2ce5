// SPDX-License-Identifier: MIT
/* Tests for the firmware's configuration (app/brisa-device/lwip/
 * config_builtin.c) fed by what brisa-device-config-c wrote from
 * tests/unit/data/builtin/device.ini: the values land as on Linux, the TLS
 * files are handed over as blobs, a file that was not compiled in is
 * refused with file:line. */
#define _POSIX_C_SOURCE 200809L
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "brisa/tls.h"
#include "config_builtin.h"
#include "config_internal.h"

static void read_fixture(const char *name, char *buf, size_t cap, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", BUILTIN_FIXTURE_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    *len = fread(buf, 1, cap, f);
    fclose(f);
}

static void test_values_as_on_linux(void **state)
{
    (void)state;
    device_config cfg;
    char err[512];
    if (!device_config_load_builtin(&cfg, err, sizeof err))
        fail_msg("%s", err);
    assert_string_equal(cfg.path, "device.ini");
    assert_string_equal(cfg.platform, "board-under-test");
    assert_int_equal(cfg.max_boot_attempts, 3);
    assert_true(cfg.have_static);
    assert_int_equal(cfg.static_prefix, 24);
    assert_string_equal(cfg.ntp_server, "time.example:1234");
    assert_int_equal(cfg.gmt_offset_min, 5 * 60 + 30);
    assert_true(cfg.tls && cfg.tls_client_auth);
    assert_int_equal(cfg.qos, 2);
    assert_string_equal(cfg.secret_topic, "a/secret"); /* the comment is gone */
    assert_string_equal(cfg.password, "quote\"and\\backslash");
    assert_int_equal(cfg.test_cycles, 7);
    assert_int_equal(cfg.port, 1883); /* a default, not in the file */
}

static void test_line_numbers_kept(void **state)
{
    (void)state;
    assert_int_equal(device_builtin_entry_count, 17);
    assert_int_equal(device_builtin_entries[0].line, 7);
    assert_string_equal(device_builtin_entries[0].name, "platform");
    assert_int_equal(device_builtin_entries[16].line, 33);
}

static void test_tls_files_are_blobs(void **state)
{
    (void)state;
    device_config cfg;
    char err[512];
    assert_true(device_config_load_builtin(&cfg, err, sizeof err));
    brisa_tls_config tc;
    brisa_tls_config_init(&tc);
    device_config_tls_files(&cfg, &tc);
    assert_null(tc.ca_file);
    assert_null(tc.key_file);
    char want[512];
    size_t len;
    read_fixture("ca.pem", want, sizeof want, &len);
    assert_int_equal(tc.ca.len, len);
    assert_memory_equal(tc.ca.data, want, len);
    assert_int_equal(tc.ca.data[len], 0); /* PEM is also a C string */
    read_fixture("device.key", want, sizeof want, &len);
    assert_int_equal(tc.key.len, len);
    assert_memory_equal(tc.key.data, want, len);
    assert_non_null(tc.cert.data);
    assert_null(tc.crl.data); /* none named */
    assert_null(tc.key_password);

    cfg.tls_client_auth = false; /* then no identity is offered */
    brisa_tls_config_init(&tc);
    device_config_tls_files(&cfg, &tc);
    assert_non_null(tc.ca.data);
    assert_null(tc.cert.data);
    assert_null(tc.key.data);
}

static void test_missing_file_refused(void **state)
{
    (void)state;
    device_config cfg;
    char err[512];
    parse_state ps;
    config_begin(&ps, &cfg, "board.ini", err, sizeof err);
    assert_true(config_check_file(&ps, 4, "ca_file", "ca.pem"));
    assert_false(config_check_file(&ps, 9, "crl_file", "crl.pem"));
    assert_string_equal(err, "board.ini:9: crl_file: 'crl.pem' was not compiled in");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_as_on_linux),
        cmocka_unit_test(test_line_numbers_kept),
        cmocka_unit_test(test_tls_files_are_blobs),
        cmocka_unit_test(test_missing_file_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
