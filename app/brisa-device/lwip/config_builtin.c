// SPDX-License-Identifier: MIT
/* The firmware's configuration: the compiled-in INI entries fed to the
 * key table one by one, as inih feeds them on Linux. */
#include "config_builtin.h"

#include <string.h>

#include "brisa/tls.h"
#include "config_internal.h"

static const config_builtin_file *find_file(const char *path)
{
    for (size_t i = 0; i < device_builtin_file_count; i++)
        if (strcmp(device_builtin_files[i].path, path) == 0)
            return &device_builtin_files[i];
    return NULL;
}

bool config_check_file(parse_state *ps, int line, const char *key, const char *path)
{
    if (find_file(path))
        return true;
    config_set_error(ps, line, "%s: '%s' was not compiled in", key, path);
    return false;
}

bool device_config_load_builtin(device_config *cfg, char *err, size_t err_len)
{
    parse_state ps;
    config_begin(&ps, cfg, device_builtin_name, err, err_len);
    for (size_t i = 0; i < device_builtin_entry_count && !ps.failed; i++) {
        const config_builtin_entry *e = &device_builtin_entries[i];
        ps.line = e->line;
        config_entry(&ps, e->section, e->name, e->value);
    }
    return config_finish(&ps);
}

static brisa_tls_blob blob(const char *path)
{
    const config_builtin_file *f = path[0] ? find_file(path) : NULL;
    brisa_tls_blob b = { f ? f->data : NULL, f ? f->len : 0 };
    return b;
}

void device_config_tls_files(const device_config *c, brisa_tls_config *tc)
{
    tc->ca = blob(c->ca_file);
    tc->crl = blob(c->crl_file);
    if (c->tls_client_auth) {
        tc->cert = blob(c->cert_file);
        tc->key = blob(c->key_file);
        tc->key_password = c->key_password[0] ? c->key_password : NULL;
    }
}
