// SPDX-License-Identifier: MIT
/* Tests for app/brisa-device/config.c: values land where they should, and
 * every bad file stops with "file:line: what is wrong". */
#define _POSIX_C_SOURCE 200809L
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static char dir[] = "/tmp/brisa-cfgtest.XXXXXX";
static char path[256];

static void write_file(const char *p, const char *text)
{
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *load_error(const char *text, device_config *cfg)
{
    static char err[512];
    write_file(path, text);
    if (device_config_load(cfg, path, err, sizeof err))
        return NULL;
    return err;
}

/* Asserts that loading @p text fails with "<path>:<line>: <needle>...". */
static void expect_error(const char *text, int line, const char *needle)
{
    device_config cfg;
    const char *err = load_error(text, &cfg);
    if (!err)
        fail_msg("accepted:\n%s", text);
    char prefix[300];
    if (line > 0)
        snprintf(prefix, sizeof prefix, "%s:%d: ", path, line);
    else
        snprintf(prefix, sizeof prefix, "%s: ", path);
    if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, needle))
        fail_msg("error \"%s\" lacks \"%s\" / \"%s\"", err, prefix, needle);
    assert_null(strchr(err, '\n'));
}

#define MINIMAL "[mqtt]\nbroker = broker.lab\npublic_topic = brisa/public\nsecret_topic = brisa/secret\n"

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/device.ini", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_full_file(void **state)
{
    (void)state;
    char ca[300], crt[300], key[300];
    snprintf(ca, sizeof ca, "%s/ca.pem", dir);
    snprintf(crt, sizeof crt, "%s/dev.pem", dir);
    snprintf(key, sizeof key, "%s/dev.key", dir);
    write_file(ca, "-----BEGIN CERTIFICATE-----\n");
    write_file(crt, "-----BEGIN CERTIFICATE-----\n");
    write_file(key, "-----BEGIN PRIVATE KEY-----\n");
    char text[4096];
    snprintf(text, sizeof text,
             "; comment\n"
             "[device]\nplatform = lab-pc ; inline comment\ndebug = yes\nboard = console\n"
             "[network]\ninterface = eth0\ndhcp_attempts = 3\n"
             "static_address = 192.168.5.10/24\nstatic_gateway = 192.168.5.1\n"
             "static_dns = 192.168.5.1\n"
             "[time]\nntp_server = ntp.lab\ngmt_offset = +5:30\npublish_interval = 30\n"
             "[tls]\nenabled = true\nport = 8884\nclient_auth = on\ndebug = 2\nbackend = openssl\n"
             "ca_file = %s\ncert_file = %s\nkey_file = %s\n"
             "[mqtt]\nbroker = broker.lab\nport = 1884\nclient_id = dev-1\nkeepalive = 30\n"
             "public_topic = brisa/public\nsecret_topic = brisa/secret\nqos = 2\n"
             "[test]\nenabled = false\nmessage_bytes = 1024\ncycles = 50\n",
             ca, crt, key);
    device_config cfg;
    const char *err = load_error(text, &cfg);
    if (err)
        fail_msg("%s", err);
    assert_string_equal(cfg.platform, "lab-pc");
    assert_true(cfg.debug);
    assert_string_equal(cfg.interface, "eth0");
    assert_int_equal(cfg.dhcp_attempts, 3);
    assert_true(cfg.have_static);
    assert_int_equal(cfg.static_prefix, 24);
    assert_int_equal(cfg.static_address.bytes[3], 10);
    assert_int_equal(cfg.static_gateway.bytes[3], 1);
    assert_string_equal(cfg.ntp_server, "ntp.lab");
    assert_int_equal(cfg.gmt_offset_min, 330);
    assert_int_equal(cfg.time_interval_s, 30);
    assert_true(cfg.tls && cfg.tls_client_auth);
    assert_int_equal(cfg.tls_debug, 2);
    assert_int_equal(cfg.tls_backend, TLS_BACKEND_OPENSSL);
    assert_string_equal(cfg.ca_file, ca);
    assert_int_equal(device_config_port(&cfg, true), 8884);
    assert_int_equal(device_config_port(&cfg, false), 1884);
    assert_string_equal(cfg.client_id, "dev-1");
    assert_int_equal(cfg.keepalive_s, 30);
    assert_int_equal(cfg.qos, 2);
    assert_false(cfg.test_mode);
    assert_int_equal(cfg.test_bytes, 1024);
    assert_int_equal(cfg.test_cycles, 50);
}

static void test_defaults(void **state)
{
    (void)state;
    device_config cfg;
    assert_null(load_error(MINIMAL, &cfg));
    assert_int_equal(device_config_port(&cfg, false), 1883);
    assert_int_equal(device_config_port(&cfg, true), 8883);
    assert_int_equal(cfg.keepalive_s, 60);
    assert_int_equal(cfg.board, BOARD_CONSOLE);
    assert_false(cfg.tls);
    assert_int_equal(cfg.tls_backend, TLS_BACKEND_DEFAULT); /* the TLS library's choice */
    assert_null(load_error(MINIMAL "[tls]\nenabled = false\n", &cfg));
    assert_null(load_error(MINIMAL "[tls]\nbackend = mbedtls\n", &cfg));
    assert_int_equal(cfg.tls_backend, TLS_BACKEND_MBEDTLS);
}

static void test_errors_name_file_and_line(void **state)
{
    (void)state;
    expect_error(MINIMAL "[mqtt2]\nx = 1\n", 6, "unknown section [mqtt2]");
    expect_error(MINIMAL "keepalive2 = 5\n", 5, "[mqtt] unknown key 'keepalive2'");
    expect_error("[mqtt]\nkeepalive = 70000\n", 2, "70000 is out of range 0..65535");
    expect_error("[mqtt]\nkeepalive = soon\n", 2, "'soon' is not a whole number");
    expect_error("[device]\ndebug = maybe\n", 2, "'maybe' is not true or false");
    expect_error("[network]\nstatic_address = 192.168.5.10\n", 2, "static_address");
    expect_error("[network]\nstatic_gateway = 300.1.1.1\n", 2, "is not an IP address");
    expect_error("[time]\ngmt_offset = +25\n", 2, "gmt_offset");
    expect_error("[device]\nboard = arduino\n", 2, "'arduino' is not console or gpiod");
    expect_error("[mqtt]\npublic_topic = a/+/b\n", 2, "is not an MQTT topic name");
    expect_error("[time]\nntp_server = ntp.lan:abc\n", 2, "'ntp.lan:abc' is not a host name");
    expect_error("[time]\nntp_server = ntp.lan:70000\n", 2, "(1..65535)");
    expect_error("[time]\nntp_server = ntp.lan:\n", 2, "ntp_server");
    expect_error("[time]\nntp_server = [::1\n", 2, "ntp_server");
    expect_error("\n\n[mqtt]\nbroker = a\nbroker = b\n", 5, "set twice (first on line 4)");
    expect_error("[mqtt]\nthis line has no equals sign\n", 2, "expected 'key = value'");
    expect_error("orphan = 1\n", 1, "key outside any section");
    expect_error("[mqtt]\nbroker = x\n", 0, "secret_topic is required");
}

#define TOPICS "[mqtt]\npublic_topic = p\nsecret_topic = s\n"

static void test_url_proxy_alpn(void **state)
{
    (void)state;
    device_config cfg;
    assert_null(load_error(TOPICS "url = ws://broker.lab:8080\nproxy = http://u:p@proxy.lan:3128\n",
                           &cfg));
    assert_string_equal(cfg.broker, "broker.lab");
    assert_int_equal(device_config_port(&cfg, false), 8080);
    assert_true(cfg.websocket);
    assert_false(cfg.tls);
    assert_string_equal(cfg.ws_path, "/mqtt");
    assert_string_equal(cfg.proxy, "http://u:p@proxy.lan:3128");

    assert_null(load_error(TOPICS "url = WSS://[::1]/ws/mqtt\n[tls]\n"
                                  "ca_file = /etc/ssl/certs/ca-certificates.crt\nalpn = mqtt\n",
                           &cfg));
    assert_string_equal(cfg.broker, "::1");
    assert_true(cfg.tls && cfg.websocket);
    assert_int_equal(device_config_port(&cfg, true), 443);
    assert_string_equal(cfg.ws_path, "/ws/mqtt");
    assert_string_equal(cfg.alpn, "mqtt");

    assert_null(load_error(TOPICS "url = mqtt://10.0.0.1\n", &cfg));
    assert_false(cfg.websocket || cfg.tls);
    assert_int_equal(device_config_port(&cfg, false), 1883);

    expect_error(TOPICS "url = gopher://x\n", 4, "[mqtt] url: unknown scheme");
    expect_error(TOPICS "url = ws://x:0\n", 4, "[mqtt] url: invalid port");
    expect_error(TOPICS "broker = b\nurl = ws://x\n", 5, "give either url or broker");
    expect_error(TOPICS "url = wss://x\n", 0, "[tls] enabled needs ca_file");
    expect_error(MINIMAL "proxy = socks5://p:1080\n", 5, "[mqtt] proxy: only http://");
}

static void test_host_and_port(void **state)
{
    (void)state;
    char host[64];
    uint16_t port;
    assert_true(device_config_host_port("ntp.lan", 123, host, sizeof host, &port));
    assert_string_equal(host, "ntp.lan");
    assert_int_equal(port, 123);
    assert_true(device_config_host_port("10.0.0.5:1123", 123, host, sizeof host, &port));
    assert_string_equal(host, "10.0.0.5");
    assert_int_equal(port, 1123);
    assert_true(device_config_host_port("[fd00::5]:65535", 123, host, sizeof host, &port));
    assert_string_equal(host, "fd00::5");
    assert_int_equal(port, 65535);
    assert_true(device_config_host_port("fd00::5", 123, host, sizeof host, &port));
    assert_string_equal(host, "fd00::5");
    assert_int_equal(port, 123);
    assert_false(device_config_host_port("ntp.lan:0", 123, host, sizeof host, &port));
    assert_false(device_config_host_port(":123", 123, host, sizeof host, &port));
    assert_false(device_config_host_port("[fd00::5]x", 123, host, sizeof host, &port));
}

static void test_certificate_problems(void **state)
{
    (void)state;
    expect_error(MINIMAL "[tls]\nenabled = true\n", 6, "[tls] enabled needs ca_file");
    expect_error(MINIMAL "[tls]\nenabled = true\nca_file = /nonexistent/ca.pem\n", 7,
                 "ca_file: cannot read '/nonexistent/ca.pem': No such file or directory");
    char junk[300], text[1024];
    snprintf(junk, sizeof junk, "%s/junk.pem", dir);
    write_file(junk, "hello, not a certificate\n");
    snprintf(text, sizeof text, MINIMAL "[tls]\nenabled = true\n\nca_file = %s\n", junk);
    expect_error(text, 8, "is neither PEM nor DER");
    snprintf(text, sizeof text, MINIMAL "[tls]\nenabled = true\nclient_auth = true\nca_file = %s\n",
             junk);
    expect_error(text, 7, "client_auth needs cert_file and key_file");
}

static void test_missing_file(void **state)
{
    (void)state;
    device_config cfg;
    char err[256];
    assert_false(device_config_load(&cfg, "/nonexistent/brisa.ini", err, sizeof err));
    assert_string_equal(err, "/nonexistent/brisa.ini: cannot open: No such file or directory");
}

static void test_long_line(void **state)
{
    (void)state;
    char text[1200];
    strcpy(text, "[mqtt]\nbroker = ");
    size_t n = strlen(text);
    memset(text + n, 'b', 600);
    strcpy(text + n + 600, "\n");
    expect_error(text, 2, "line longer than");
}

static void test_modem_link(void **state)
{
    (void)state;
    device_config cfg;
    const char *err = load_error(MINIMAL "[link]\ntype = sim7600\n[modem]\ndevice = /dev/ttyUSB2\n"
                                         "baud = 921600\napn = internet\nclient_index = 1\n"
                                         "ssl_context = 3\nrtscts = true\n", &cfg);
    assert_null(err);
    assert_int_equal(cfg.link, LINK_SIM7600);
    assert_string_equal(cfg.modem_device, "/dev/ttyUSB2");
    assert_int_equal(cfg.modem_baud, 921600);
    assert_string_equal(cfg.modem_apn, "internet");
    assert_int_equal(cfg.modem_client, 1);
    assert_int_equal(cfg.modem_ssl_ctx, 3);
    assert_true(cfg.modem_rtscts);
    assert_null(load_error(MINIMAL, &cfg));
    assert_int_equal(cfg.link, LINK_ETHERNET);
    assert_int_equal(cfg.modem_baud, 115200);
    expect_error(MINIMAL "[link]\ntype = wifi\n", 6, "'wifi' is not ethernet or sim7600");
    expect_error(MINIMAL "[link]\ntype = sim7600\n", 6, "[link] type = sim7600 needs [modem] device");
    expect_error(MINIMAL "[modem]\nclient_index = 2\n", 6, "2 is out of range 0..1");
    expect_error(MINIMAL "[modem]\nssl_context = 10\n", 6, "10 is out of range 0..9");
    expect_error(MINIMAL "[modem]\nbaud = 9\n", 6, "out of range 1200..4000000");
    expect_error(MINIMAL "[test]\ncompare_links = true\n", 6, "compare_links needs [link] type = sim7600");
    expect_error(MINIMAL "[link]\ntype = sim7600\n[modem]\ndevice = /dev/x\n[test]\n"
                         "message_bytes = 20000\n", 10, "the SIM7600 carries at most 10240 bytes");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_file),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_errors_name_file_and_line),
        cmocka_unit_test(test_host_and_port),
        cmocka_unit_test(test_certificate_problems),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_modem_link),
        cmocka_unit_test(test_url_proxy_alpn),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
