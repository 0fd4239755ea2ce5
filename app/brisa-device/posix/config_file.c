// SPDX-License-Identifier: MIT
/* The device's configuration from an INI file, read with inih: the
 * Linux program at start-up, and the firmware's build (which checks the
 * file and compiles its entries in; see lwip/config_builtin.c). */
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <string.h>

#include "brisa/tls.h"
#include "config_internal.h"

/* inih reads lines through this, which lets us know each line's number. */
static char *counting_reader(char *str, int num, void *stream)
{
    parse_state *ps = stream;
    char *s = fgets(str, num, ps->file);
    if (s) {
        ps->line++;
        size_t len = strlen(s);
        if (len == (size_t)num - 1 && s[len - 1] != '\n' && !feof(ps->file)) {
            config_set_error(ps, ps->line, "line longer than %d characters", num - 3);
            ps->line_too_long = true;
            int c;
            while ((c = fgetc(ps->file)) != EOF && c != '\n') {
            }
        }
    }
    return s;
}

static int file_entry(void *user, const char *section, const char *name, const char *value)
{
    parse_state *ps = user;
    if (ps->line_too_long) {
        ps->line_too_long = false;
        return 1; /* already reported; inih saw a truncated line */
    }
    if (ps->observe)
        ps->observe(ps->observe_ctx, ps->line, section, name, value);
    return config_entry(user, section, name, value);
}

/* A certificate, key or CRL must exist and be readable now, so a typo is
 * reported at start-up, not after DHCP, DNS and NTP have run. */
bool config_check_file(parse_state *ps, int line, const char *key, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        config_set_error(ps, line, "%s: cannot read '%s': %s", key, path, strerror(errno));
        return false;
    }
    unsigned char head[16];
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    if (n == 0) {
        config_set_error(ps, line, "%s: '%s' is empty", key, path);
        return false;
    }
    /* PEM starts with "-----BEGIN", DER with an ASN.1 SEQUENCE (0x30). */
    if (head[0] != 0x30 && !(n >= 10 && memcmp(head, "-----BEGIN", 10) == 0)) {
        config_set_error(ps, line, "%s: '%s' is neither PEM nor DER", key, path);
        return false;
    }
    return true;
}

static bool load_stream(device_config *cfg, FILE *file, const char *name, char *err,
                        size_t err_len, config_observer observe, void *observe_ctx)
{
    parse_state ps;
    config_begin(&ps, cfg, name, err, err_len);
    ps.file = file;
    ps.observe = observe;
    ps.observe_ctx = observe_ctx;
    /* A continuation line would silently join two values; refuse it. */
    ini_allow_multiline = false;
    int rc = ini_parse_stream(counting_reader, &ps, file_entry, &ps);
    if (rc > 0 && !ps.failed)
        config_set_error(&ps, rc, "expected 'key = value' or '[section]'");
    else if (rc < 0 && !ps.failed)
        config_set_error(&ps, 0, "cannot parse (error %d)", rc);
    return config_finish(&ps);
}

bool device_config_load_stream(device_config *cfg, FILE *file, const char *name, char *err,
                               size_t err_len)
{
    return load_stream(cfg, file, name, err, err_len, NULL, NULL);
}

bool config_file_load(device_config *cfg, const char *path, char *err, size_t err_len,
                      config_observer observe, void *observe_ctx)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        config_defaults(cfg);
        snprintf(err, err_len, "%s: cannot open: %s", path, strerror(errno));
        return false;
    }
    bool ok = load_stream(cfg, f, path, err, err_len, observe, observe_ctx);
    fclose(f);
    return ok;
}

bool device_config_load(device_config *cfg, const char *path, char *err, size_t err_len)
{
    return config_file_load(cfg, path, err, err_len, NULL, NULL);
}

void device_config_tls_files(const device_config *c, brisa_tls_config *tc)
{
    tc->ca_file = c->ca_file;
    tc->crl_file = c->crl_file[0] ? c->crl_file : NULL;
    if (c->tls_client_auth) {
        tc->cert_file = c->cert_file;
        tc->key_file = c->key_file;
        tc->key_password = c->key_password[0] ? c->key_password : NULL;
    }
}
