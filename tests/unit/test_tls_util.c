// SPDX-License-Identifier: MIT
/* The TLS layer's pure parts: key log lines, dates, host-name matching,
 * alert names, and the mapping of failures to brisa_err with their words. */
#include <stdlib.h>
#include <string.h>

#include "cmocka_all.h"

#include "brisa/tls.h"
#include "tls/mbedtls_be.h"
#include "tls/tls_internal.h"

static void test_keylog_format(void **state)
{
    (void)state;
    uint8_t random[32], secret[48];
    for (int i = 0; i < 32; i++)
        random[i] = (uint8_t)i;
    for (int i = 0; i < 48; i++)
        secret[i] = (uint8_t)(0xff - i);
    char line[256];
    int n = brisa_tls_keylog_format(line, sizeof line, "CLIENT_RANDOM", random, 32, secret, 48);
    assert_int_equal(n, 13 + 1 + 64 + 1 + 96);
    assert_int_equal((int)strlen(line), n);
    assert_memory_equal(line, "CLIENT_RANDOM 000102030405060708090a0b0c0d0e0f", 46);
    assert_memory_equal(line + 13 + 1 + 64, " fffefdfcfbfaf9f8", 17);
    assert_string_equal(line + n - 4, "d1d0");

    /* exactly enough room, then one byte short */
    char exact[176];
    assert_int_equal(brisa_tls_keylog_format(exact, sizeof exact, "CLIENT_RANDOM", random, 32,
                                             secret, 48), 175);
    assert_int_equal(brisa_tls_keylog_format(exact, 175, "CLIENT_RANDOM", random, 32, secret, 48),
                     BRISA_ERR_NO_SPACE);
    assert_int_equal(brisa_tls_keylog_format(line, sizeof line, "X", random, 0, secret, 48),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_tls_keylog_format(line, sizeof line, NULL, random, 32, secret, 48),
                     BRISA_ERR_INVALID_ARG);
}

static void check_time(int64_t t, const char *want)
{
    bri_tls_tm tm = bri_tls_gmtime(t);
    char buf[32];
    bri_tls_tm_format(&tm, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_dates(void **state)
{
    (void)state;
    check_time(0, "1970-01-01 00:00:00 UTC");
    check_time(-1, "1969-12-31 23:59:59 UTC");
    check_time(951782400, "2000-02-29 00:00:00 UTC");
    check_time(978307200, "2001-01-01 00:00:00 UTC");
    check_time(1795392000, "2026-11-23 00:00:00 UTC");
    check_time(4070908800, "2099-01-01 00:00:00 UTC");
    check_time(4102444799, "2099-12-31 23:59:59 UTC");
    check_time(4107542400, "2100-03-01 00:00:00 UTC"); /* 2100 is not leap */

    bri_tls_tm a = bri_tls_gmtime(1000), b = bri_tls_gmtime(1001);
    assert_true(bri_tls_tm_cmp(&a, &b) < 0);
    assert_true(bri_tls_tm_cmp(&b, &a) > 0);
    assert_int_equal(bri_tls_tm_cmp(&a, &a), 0);
    bri_tls_tm y1 = { 2025, 12, 31, 23, 59, 59 }, y2 = { 2026, 1, 1, 0, 0, 0 };
    assert_true(bri_tls_tm_cmp(&y1, &y2) < 0);

    char small[8];
    bri_tls_tm_format(&a, small, sizeof small);
    assert_string_equal(small, "1970-01");
}

static bool match(const char *pattern, const char *host)
{
    return bri_tls_dns_match(pattern, strlen(pattern), host);
}

static void test_host_names(void **state)
{
    (void)state;
    assert_true(match("broker.lan", "broker.lan"));
    assert_true(match("Broker.LAN", "broker.lan"));
    assert_false(match("broker.lan", "broker.lan.evil"));
    assert_false(match("broker.lan", "roker.lan"));
    assert_true(match("*.example.com", "mqtt.example.com"));
    assert_true(match("*.example.com", "MQTT.Example.COM"));
    assert_false(match("*.example.com", "a.b.example.com")); /* one label only */
    assert_false(match("*.example.com", "example.com"));
    assert_false(match("*.example.com", ".example.com"));
    assert_false(match("*.com", "example.com"));              /* too wide */
    assert_false(match("*", "anything"));
    assert_false(match("", "x"));
    assert_false(match("x", ""));
    /* an embedded NUL in a certificate name never matches */
    assert_false(bri_tls_dns_match("broker.lan\0.evil", 16, "broker.lan"));
}

static void test_small_helpers(void **state)
{
    (void)state;
    assert_string_equal(bri_tls_alert_name(48), "unknown_ca");
    assert_string_equal(bri_tls_alert_name(116), "certificate_required");
    assert_string_equal(bri_tls_alert_name(40), "handshake_failure");
    assert_string_equal(bri_tls_alert_name(255), "unknown alert");
    assert_string_equal(bri_tls_hs_name(13), "CertificateRequest");

    const char *pem = "junk\n-----BEGIN CERTIFICATE-----\nMII";
    assert_true(bri_tls_is_pem((const uint8_t *)pem, strlen(pem)));
    const uint8_t der[] = { 0x30, 0x82, 0x01, 0x0a };
    assert_false(bri_tls_is_pem(der, sizeof der));

    char list[24] = "";
    bri_tls_list_san(list, sizeof list, false, (const uint8_t *)"a\x01", 2);
    assert_string_equal(list, "DNS:a?");
    const uint8_t ip[4] = { 127, 0, 0, 1 };
    bri_tls_list_san(list, sizeof list, true, ip, 4);
    assert_string_equal(list, "DNS:a?, IP:127.0.0.1");
    bri_tls_list_san(list, sizeof list, true, ip, 3);
    assert_string_equal(list, "DNS:a?, IP:127.0.0.1, I"); /* cut, never overrun */

    brisa_tls_backend b;
    assert_int_equal(brisa_tls_backend_parse("openssl", &b), BRISA_OK);
    assert_int_equal(b, BRISA_TLS_OPENSSL);
    assert_int_equal(brisa_tls_backend_parse("gnutls", &b), BRISA_ERR_INVALID_ARG);
    brisa_tls_version v;
    assert_int_equal(brisa_tls_version_parse("tlsv1.3", &v), BRISA_OK);
    assert_int_equal(v, BRISA_TLS_VERSION_1_3);
    assert_int_equal(brisa_tls_version_parse("tlsv1.1", &v), BRISA_ERR_INVALID_ARG);
    assert_true(brisa_tls_backend_available(BRISA_TLS_MBEDTLS));

    brisa_tls_config cfg;
    brisa_tls_config_init(&cfg);
    /* OpenSSL wherever it is linked in (this test links every backend built) */
#ifdef BRISA_TLS_HAVE_OPENSSL
    assert_int_equal(cfg.backend, BRISA_TLS_OPENSSL);
#else
    assert_int_equal(cfg.backend, BRISA_TLS_MBEDTLS);
#endif
    assert_false(cfg.insecure);
    assert_false(cfg.skip_time_check);
    assert_int_equal(cfg.handshake_timeout_ms, 10000);
}

static void test_mbedtls_flags(void **state)
{
    (void)state;
    assert_int_equal(bri_tls_mbedtls_flags_err(0), BRISA_OK);
    assert_int_equal(bri_tls_mbedtls_flags_err(MBEDTLS_X509_BADCERT_NOT_TRUSTED),
                     BRISA_ERR_TLS_UNKNOWN_CA);
    /* the most fundamental cause wins */
    assert_int_equal(bri_tls_mbedtls_flags_err(MBEDTLS_X509_BADCERT_NOT_TRUSTED |
                                                  MBEDTLS_X509_BADCERT_EXPIRED),
                     BRISA_ERR_TLS_UNKNOWN_CA);
    assert_int_equal(bri_tls_mbedtls_flags_err(MBEDTLS_X509_BADCERT_REVOKED |
                                                  MBEDTLS_X509_BADCERT_CN_MISMATCH),
                     BRISA_ERR_TLS_REVOKED);
    assert_int_equal(bri_tls_mbedtls_flags_err(MBEDTLS_X509_BADCERT_EXPIRED),
                     BRISA_ERR_TLS_EXPIRED);
    assert_int_equal(bri_tls_mbedtls_flags_err(MBEDTLS_X509_BADCERT_FUTURE),
                     BRISA_ERR_TLS_NOT_YET_VALID);
    assert_int_equal(bri_tls_mbedtls_flags_err(MBEDTLS_X509_BADCERT_CN_MISMATCH),
                     BRISA_ERR_TLS_HOSTNAME);
    assert_int_equal(bri_tls_mbedtls_flags_err(MBEDTLS_X509_BADCRL_EXPIRED),
                     BRISA_ERR_TLS_CREDENTIALS);
    assert_int_equal(bri_tls_mbedtls_flags_err(MBEDTLS_X509_BADCERT_BAD_KEY),
                     BRISA_ERR_TLS_BAD_CERT);
}

static brisa_tls *bare(void)
{
    brisa_tls *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->verify_ms = 1795392000000LL;
    return t;
}

static void test_error_words(void **state)
{
    (void)state;
    brisa_tls *t = bare();
    bri_tls_cert_facts f = {
        .subject = "CN=broker", .issuer = "CN=MQTT CA", .names = "DNS:a, IP:10.0.0.1",
        .serial = "1003", .not_before = { 2027, 1, 2, 3, 4, 5 },
        .not_after = { 2025, 1, 1, 0, 0, 0 },
    };
    assert_int_equal(bri_tls_cert_fail(t, BRISA_ERR_TLS_EXPIRED, &f), BRISA_ERR_TLS_EXPIRED);
    assert_string_equal(brisa_tls_last_error(t),
                        "certificate has expired: CN=broker, notAfter 2025-01-01 00:00:00 UTC "
                        "(clock 2026-11-23 00:00:00 UTC)");
    bri_tls_cert_fail(t, BRISA_ERR_TLS_NOT_YET_VALID, &f);
    assert_string_equal(brisa_tls_last_error(t),
                        "certificate is not yet valid: CN=broker, notBefore 2027-01-02 03:04:05 UTC "
                        "(clock 2026-11-23 00:00:00 UTC)");
    t->server_name = "broker.lan";
    bri_tls_cert_fail(t, BRISA_ERR_TLS_HOSTNAME, &f);
    assert_string_equal(brisa_tls_last_error(t), "certificate does not match the host name: "
                                                 "CN=broker is for DNS:a, IP:10.0.0.1, not 'broker.lan'");
    t->server_name = NULL;
    bri_tls_cert_fail(t, BRISA_ERR_TLS_REVOKED, &f);
    assert_string_equal(brisa_tls_last_error(t), "certificate has been revoked: CN=broker "
                                                 "(serial 1003) is on the CRL of CN=MQTT CA");

    /* alerts: the answer to our missing certificate, or the broker's no */
    assert_int_equal(bri_tls_alert_fail(t, 116, true), BRISA_ERR_TLS_NO_CLIENT_CERT);
    assert_int_equal(bri_tls_alert_fail(t, 40, true), BRISA_ERR_TLS_NO_CLIENT_CERT);
    assert_int_equal(bri_tls_alert_fail(t, 40, false), BRISA_ERR_TLS_PEER_ALERT);
    assert_string_equal(brisa_tls_last_error(t), "peer sent a fatal TLS alert: handshake_failure "
                                                 "(40) -- no cipher suite or parameters in common?");
    t->have_client_cert = true;
    assert_int_equal(bri_tls_alert_fail(t, 48, true), BRISA_ERR_TLS_PEER_ALERT);
    assert_string_equal(brisa_tls_last_error(t), "peer sent a fatal TLS alert: unknown_ca (48) -- "
                                                 "the broker refused our client certificate");
    free(t);
}

static void test_not_tls(void **state)
{
    (void)state;
    brisa_tls *t = bare();
    assert_int_equal(bri_tls_check_not_tls(t), 0); /* nothing happened yet */
    t->inner_err = BRISA_ERR_CLOSED;
    assert_int_equal(bri_tls_check_not_tls(t), BRISA_ERR_TLS_NOT_TLS);
    assert_non_null(strstr(brisa_tls_last_error(t), "without answering our ClientHello"));
    t->inner_err = 0;
    t->rx_total = 4;
    memcpy(t->rx_head, "\x20\x02\x00\x00", 4); /* a CONNACK */
    assert_int_equal(bri_tls_check_not_tls(t), BRISA_ERR_TLS_NOT_TLS);
    assert_non_null(strstr(brisa_tls_last_error(t), "bytes 20 02 00 00, which are not a TLS record"));
    memcpy(t->rx_head, "\x15\x03\x03\x00\x02", 5); /* an alert record is TLS */
    t->rx_total = 7;
    assert_int_equal(bri_tls_check_not_tls(t), 0);
    free(t);
}

static uint64_t zero_ms(void *ctx)
{
    (void)ctx;
    return 0;
}

static void test_setup_refuses_bad_config(void **state)
{
    (void)state;
    brisa_tls_config cfg;
    brisa_tls_config_init(&cfg);
    brisa_tls *t = brisa_tls_new();
    assert_int_equal(brisa_tls_setup(t, &cfg), BRISA_ERR_INVALID_ARG);
    assert_non_null(strstr(brisa_tls_last_error(t), "a clock is required"));
    brisa_tls_free(t);

    brisa_clock clock = { NULL, zero_ms, NULL };
    cfg.clock = &clock;
    t = brisa_tls_new();
    assert_int_equal(brisa_tls_setup(t, &cfg), BRISA_ERR_INVALID_ARG);
    assert_non_null(strstr(brisa_tls_last_error(t), "no server name"));
    brisa_tls_free(t);

    cfg.server_name = "broker";
    t = brisa_tls_new();
    assert_int_equal(brisa_tls_setup(t, &cfg), BRISA_ERR_INVALID_ARG);
    assert_non_null(strstr(brisa_tls_last_error(t), "no trusted CA"));
    brisa_tls_free(t);

    cfg.ca_file = "/nonexistent/ca.crt";
    cfg.cert_file = "c.crt";
    t = brisa_tls_new();
    assert_int_equal(brisa_tls_setup(t, &cfg), BRISA_ERR_INVALID_ARG);
    assert_non_null(strstr(brisa_tls_last_error(t), "needs its private key"));
    brisa_tls_free(t);

    cfg.cert_file = NULL;
    t = brisa_tls_new();
    assert_int_equal(brisa_tls_setup(t, &cfg), BRISA_ERR_TLS_CREDENTIALS);
    assert_string_equal(brisa_tls_last_error(t), "certificate, key or CRL could not be loaded: "
                                                 "CA file /nonexistent/ca.crt: No such file or "
                                                 "directory");
    /* not connected: the transport says so instead of crashing */
    brisa_transport tr = brisa_tls_transport(t);
    uint8_t b[4];
    assert_int_equal(tr.recv(tr.ctx, b, sizeof b, 0), BRISA_ERR_CLOSED);
    assert_int_equal(brisa_tls_connect(t, NULL), BRISA_ERR_STATE);
    brisa_tls_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keylog_format),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_host_names),
        cmocka_unit_test(test_small_helpers),
        cmocka_unit_test(test_mbedtls_flags),
        cmocka_unit_test(test_error_words),
        cmocka_unit_test(test_not_tls),
        cmocka_unit_test(test_setup_refuses_bad_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
