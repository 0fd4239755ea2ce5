// SPDX-License-Identifier: MIT
/* Tests for src/port/posix/serial.c on a pseudo-terminal (openpty): raw
 * bytes both ways (CR and LF untouched), 8N1 and the baud rate really set,
 * RTS/CTS asked for, exclusive open, timeouts, the far side closing, and
 * the DEVICE[:BAUD] splitter. */
#include "cmocka_all.h"

#include <fcntl.h>
#include <pty.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "brisa/err.h"
#include "brisa/port/posix_serial.h"

typedef struct pty {
    int master, slave;
    char name[64];
} pty;

static void open_pty(pty *p)
{
    assert_int_equal(openpty(&p->master, &p->slave, p->name, NULL, NULL), 0);
    /* Keep the slave open so the master sees no hang-up meanwhile. */
}

static void test_bytes_both_ways(void **state)
{
    (void)state;
    pty p;
    open_pty(&p);
    brisa_posix_serial s;
    assert_int_equal(brisa_posix_serial_open(&s, p.name, 115200, false), BRISA_OK);
    brisa_transport t = brisa_posix_serial_transport(&s);
    static const char in[] = "\r\nOK\r\n> \x00\xff\n";
    assert_int_equal(write(p.master, in, sizeof in - 1), (ssize_t)(sizeof in - 1));
    uint8_t buf[64];
    size_t got = 0;
    while (got < sizeof in - 1) {
        int n = t.recv(t.ctx, buf + got, sizeof buf - got, 1000);
        assert_true(n > 0);
        got += (size_t)n;
    }
    assert_memory_equal(buf, in, sizeof in - 1);
    assert_int_equal(t.send(t.ctx, (const uint8_t *)"AT\r", 3, 0, 1000), 3);
    char out[8] = { 0 };
    assert_int_equal(read(p.master, out, sizeof out), 3);
    assert_memory_equal(out, "AT\r", 3);
    /* Nothing more: a timeout, after about the time asked. */
    assert_int_equal(t.recv(t.ctx, buf, sizeof buf, 50), BRISA_ERR_TIMEOUT);
    assert_int_equal(t.recv(t.ctx, buf, sizeof buf, 0), BRISA_ERR_TIMEOUT);
    t.close(t.ctx);
    t.close(t.ctx);
    close(p.master);
    close(p.slave);
}

static void test_line_settings(void **state)
{
    (void)state;
    pty p;
    open_pty(&p);
    brisa_posix_serial s;
    assert_int_equal(brisa_posix_serial_open(&s, p.name, 921600, true), BRISA_OK);
    struct termios tio;
    assert_int_equal(tcgetattr(p.slave, &tio), 0);
    assert_int_equal(cfgetospeed(&tio), B921600);
    assert_int_equal(tio.c_cflag & CSIZE, CS8);
    assert_false(tio.c_cflag & (PARENB | CSTOPB));
    assert_true(tio.c_cflag & CRTSCTS);
    assert_false(tio.c_lflag & (ECHO | ICANON));
    assert_false(tio.c_iflag & (ICRNL | INLCR | IGNCR));
    assert_false(tio.c_oflag & OPOST);
    brisa_posix_serial_close(&s);
    close(p.master);
    close(p.slave);
}

static void test_exclusive_and_errors(void **state)
{
    (void)state;
    pty p;
    open_pty(&p);
    brisa_posix_serial a, b;
    assert_int_equal(brisa_posix_serial_open(&a, p.name, 115200, false), BRISA_OK);
    int rc = brisa_posix_serial_open(&b, p.name, 115200, false);
    /* root passes TIOCEXCL, not the flock */
    assert_int_equal(rc, BRISA_ERR_BUSY);
    assert_non_null(strstr(brisa_posix_serial_error(&b), p.name));
    brisa_posix_serial_close(&a);
    assert_int_equal(brisa_posix_serial_open(&b, p.name, 115200, false), BRISA_OK);
    brisa_posix_serial_close(&b);
    assert_int_equal(brisa_posix_serial_open(&b, p.name, 12345, false), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_posix_serial_open(&b, "/dev/nonexistent-tty", 115200, false),
                     BRISA_ERR_NOT_FOUND);
    assert_int_equal(brisa_posix_serial_open(&b, "/dev/null", 115200, false), BRISA_ERR_IO);
    assert_non_null(strstr(brisa_posix_serial_error(&b), "not a terminal"));
    close(p.master);
    close(p.slave);
}

static void test_far_side_closes(void **state)
{
    (void)state;
    pty p;
    open_pty(&p);
    brisa_posix_serial s;
    assert_int_equal(brisa_posix_serial_open(&s, p.name, 115200, false), BRISA_OK);
    close(p.slave);
    close(p.master);
    brisa_transport t = brisa_posix_serial_transport(&s);
    uint8_t buf[8];
    assert_int_equal(t.recv(t.ctx, buf, sizeof buf, 1000), BRISA_ERR_CLOSED);
    t.close(t.ctx);
}

static void test_parse(void **state)
{
    (void)state;
    char path[32];
    uint32_t baud;
    assert_int_equal(brisa_posix_serial_parse("/dev/ttyUSB2", path, sizeof path, &baud), BRISA_OK);
    assert_string_equal(path, "/dev/ttyUSB2");
    assert_int_equal(baud, 115200);
    assert_int_equal(brisa_posix_serial_parse("/tmp/m:9600", path, sizeof path, &baud), BRISA_OK);
    assert_string_equal(path, "/tmp/m");
    assert_int_equal(baud, 9600);
    assert_int_equal(brisa_posix_serial_parse("/tmp/m:", path, sizeof path, &baud), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_posix_serial_parse("/tmp/m:12x", path, sizeof path, &baud), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_posix_serial_parse(":9600", path, sizeof path, &baud), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_posix_serial_parse("/a/very/long/path/that/does/not/fit", path, sizeof path, &baud),
                     BRISA_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes_both_ways),
        cmocka_unit_test(test_line_settings),
        cmocka_unit_test(test_exclusive_and_errors),
        cmocka_unit_test(test_far_side_closes),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
