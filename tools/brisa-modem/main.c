// SPDX-License-Identifier: MIT
/* brisa-modem: load, list and delete the certificates and keys kept on a
 * SIM7600, and set an SSL context -- what the seed's ssl1 and ssl2 scripts
 * do, without Docklight. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/port/posix.h"
#include "brisa/port/posix_serial.h"
#include "brisa/sim7600.h"

static const char usage[] =
    "usage: brisa-modem DEVICE[:BAUD] COMMAND [ARGS] [-d] [--ctx N]\n"
    "\n"
    "commands:\n"
    "  list                     the files on the module (AT+CCERTLIST)\n"
    "  load FILE [NAME]         upload FILE as NAME (default: FILE's base name)\n"
    "                           with AT+CCERTDOWN, then list (--if-missing: only\n"
    "                           when the module lacks NAME)\n"
    "  delete NAME              AT+CCERTDELE\n"
    "  ssl1 CAFILE              the seed's ssl1: load the CA as ca.pem, set\n"
    "                           cacert and authmode 1 (server authentication)\n"
    "  ssl2 CERT KEY            the seed's ssl2: load ccert.pem and ckey.pem,\n"
    "                           set clientcert, clientkey and authmode 2\n"
    "options:\n"
    "  --ctx N                  SSL context for ssl1/ssl2 (default 0)\n"
    "  -d                       print every AT line\n";

static brisa_posix_serial serial;
static brisa_sim7600 m;
static char line[256], topic[16];
static uint8_t payload[16];
static uint8_t file[10241];

static void trace(void *user, bool out, const char *l, size_t len)
{
    (void)user;
    bool text = len <= 200;
    for (size_t i = 0; i < len && text; i++)
        text = (unsigned char)l[i] >= 0x20 && (unsigned char)l[i] < 0x7f;
    if (text)
        fprintf(stderr, "%s %.*s\n", out ? ">" : "<", (int)len, l);
    else
        fprintf(stderr, "%s (%zu bytes)\n", out ? ">" : "<", len);
}

static int failed(const char *doing, int err)
{
    char what[256];
    brisa_sim7600_describe(&m, err, what, sizeof what);
    fprintf(stderr, "brisa-modem: %s: %s\n", doing, what);
    return 1;
}

static void print_name(void *user, const char *name, size_t len)
{
    (void)user;
    printf("%.*s\n", (int)len, name);
}

static size_t read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "brisa-modem: cannot read '%s': %s\n", path, strerror(errno));
        return 0;
    }
    size_t n = fread(file, 1, sizeof file, f);
    fclose(f);
    if (n == 0 || n > 10240) {
        fprintf(stderr, "brisa-modem: '%s': %s\n", path,
                n ? "larger than the module's 10240-byte limit" : "empty");
        return 0;
    }
    return n;
}

static int load(const char *path, const char *name, bool if_missing)
{
    size_t n = read_file(path);
    if (n == 0)
        return 1;
    int err;
    if (if_missing) {
        bool up = false;
        err = brisa_sim7600_cert_ensure(&m, name, file, n, &up);
        if (!err)
            printf("%s: %s\n", name, up ? "uploaded" : "already on the module");
    } else {
        err = brisa_sim7600_cert_download(&m, name, file, n);
        if (!err)
            err = brisa_sim7600_cert_list(&m, print_name, NULL);
    }
    return err ? failed("load", err) : 0;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int main(int argc, char **argv)
{
    const char *args[4] = { 0 };
    int nargs = 0, ctx = 0;
    bool debug = false, if_missing = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(argv[i], "-d")) {
            debug = true;
        } else if (!strcmp(argv[i], "--if-missing")) {
            if_missing = true;
        } else if (!strcmp(argv[i], "--ctx") && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 0 || v >= BRISA_SIM7600_SSL_CONTEXTS) {
                fprintf(stderr, "brisa-modem: invalid --ctx '%s': 0..9\n", argv[i]);
                return 2;
            }
            ctx = (int)v;
        } else if (nargs < 4) {
            args[nargs++] = argv[i];
        } else {
            fputs(usage, stderr);
            return 2;
        }
    }
    const char *cmd = args[1];
    bool ok = cmd && ((!strcmp(cmd, "list") && nargs == 2) ||
                      (!strcmp(cmd, "load") && (nargs == 3 || nargs == 4)) ||
                      (!strcmp(cmd, "delete") && nargs == 3) ||
                      (!strcmp(cmd, "ssl1") && nargs == 3) ||
                      (!strcmp(cmd, "ssl2") && nargs == 4));
    if (!ok) {
        fputs(usage, stderr);
        return 2;
    }
    char path[256];
    uint32_t baud;
    if (brisa_posix_serial_parse(args[0], path, sizeof path, &baud) < 0) {
        fprintf(stderr, "brisa-modem: invalid device '%s': use DEVICE or DEVICE:BAUD\n", args[0]);
        return 2;
    }
    if (brisa_posix_serial_open(&serial, path, baud, false) < 0) {
        fprintf(stderr, "brisa-modem: %s\n", brisa_posix_serial_error(&serial));
        return 1;
    }
    brisa_sim7600_config cfg = {
        .serial = brisa_posix_serial_transport(&serial), .clock = brisa_posix_clock(),
        .line_buf = line, .line_size = sizeof line,
        .topic_buf = topic, .topic_size = sizeof topic,
        .payload_buf = payload, .payload_size = sizeof payload,
        .on_trace = debug ? trace : NULL,
    };
    brisa_sim7600_init(&m, &cfg);
    int err = brisa_sim7600_hello(&m);
    int status = 0;
    if (err) {
        status = failed("no modem", err);
    } else if (!strcmp(cmd, "list")) {
        err = brisa_sim7600_cert_list(&m, print_name, NULL);
        status = err ? failed("list", err) : 0;
    } else if (!strcmp(cmd, "load")) {
        status = load(args[2], args[3] ? args[3] : base_name(args[2]), if_missing);
    } else if (!strcmp(cmd, "delete")) {
        err = brisa_sim7600_cert_delete(&m, args[2]);
        status = err ? failed("delete", err) : 0;
    } else {
        bool one = !strcmp(cmd, "ssl1");
        status = one ? load(args[2], "ca.pem", if_missing)
                     : load(args[2], "ccert.pem", if_missing);
        if (!status && !one)
            status = load(args[3], "ckey.pem", if_missing);
        brisa_sim7600_ssl ssl = brisa_sim7600_ssl_unset();
        ssl.cacert = one ? "ca.pem" : NULL;
        ssl.clientcert = one ? NULL : "ccert.pem";
        ssl.clientkey = one ? NULL : "ckey.pem";
        ssl.authmode = one ? 1 : 2;
        if (!status) {
            err = brisa_sim7600_ssl_configure(&m, (uint8_t)ctx, &ssl);
            status = err ? failed("configuring the SSL context", err) : 0;
        }
    }
    brisa_posix_serial_close(&serial);
    return status;
}
