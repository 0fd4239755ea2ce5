// SPDX-License-Identifier: MIT
/* The module's certificate store (AT+CCERTDOWN/CCERTLIST/CCERTDELE, kept in
 * memory: lost at power-off as on the module) and the SSL contexts
 * (AT+CSSLCFG). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu.h"

void emu_ssl_defaults(emu_ssl_ctx *c)
{
    memset(c, 0, sizeof *c);
    c->sslversion = 4;
    c->authmode = 0;
    c->ignorelocaltime = 1;
    c->negotiatetime = 300;
    c->enable_sni = 0;
}

static int cert_index(const emu *e, const char *name)
{
    for (int i = 0; i < EMU_CERTS_MAX; i++)
        if (e->certs[i].data != NULL && strcmp(e->certs[i].name, name) == 0)
            return i;
    return -1;
}

const emu_cert *emu_cert_find(const emu *e, const char *name)
{
    int i = cert_index(e, name);
    return i >= 0 ? &e->certs[i] : NULL;
}

/* The module stores only .pem and .der files, by a plain name. */
static bool cert_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n < 5 || n > EMU_CERT_NAME_MAX || strpbrk(name, "/\\") != NULL)
        return false;
    return strcasecmp(name + n - 4, ".pem") == 0 || strcasecmp(name + n - 4, ".der") == 0;
}

static void ccertdown(emu *e, int form, char *args)
{
    emu_args a;
    const char *name;
    long len;
    if (form == EMU_TEST) {
        emu_line(e, "+CCERTDOWN: 5-108,1-%d", EMU_CERT_MAX);
        emu_ok(e);
        return;
    }
    if (form != EMU_SET || !emu_args_parse(args, &a) || a.n != 2 ||
        !emu_arg_str(&a, 0, EMU_CERT_NAME_MAX, &name) || !cert_name_ok(name) ||
        !emu_arg_int(&a, 1, 1, EMU_CERT_MAX, &len)) {
        emu_error(e);
        return;
    }
    strcpy(e->data_name, name);
    emu_prompt(e, EMU_DATA_CERT, (size_t)len);
}

/* The bytes after CCERTDOWN's prompt: store them under data_name. */
void emu_ssl_data(emu *e)
{
    int at = cert_index(e, e->data_name); /* replaced, or the first free slot */
    for (int i = 0; at < 0 && i < EMU_CERTS_MAX; i++)
        if (e->certs[i].data == NULL)
            at = i;
    emu_cert *slot = at >= 0 ? &e->certs[at] : NULL;
    uint8_t *copy = slot != NULL ? malloc(e->data_have) : NULL;
    if (copy == NULL) {
        emu_error(e); /* store full */
        return;
    }
    memcpy(copy, e->data, e->data_have);
    free(slot->data);
    strcpy(slot->name, e->data_name);
    slot->data = copy;
    slot->len = e->data_have;
    emu_ok(e);
}

static void ccertlist(emu *e, int form, char *args)
{
    (void)args;
    if (!emu_form_only(e, form, EMU_EXEC))
        return;
    for (int i = 0; i < EMU_CERTS_MAX; i++)
        if (e->certs[i].data != NULL)
            emu_line(e, "+CCERTLIST: \"%s\"", e->certs[i].name);
    emu_ok(e);
}

static void ccertdele(emu *e, int form, char *args)
{
    emu_args a;
    const char *name;
    if (form == EMU_TEST) {
        emu_ok(e);
        return;
    }
    if (form != EMU_SET || !emu_args_parse(args, &a) || a.n != 1 ||
        !emu_arg_str(&a, 0, EMU_CERT_NAME_MAX, &name)) {
        emu_error(e);
        return;
    }
    int at = cert_index(e, name);
    if (at < 0) {
        emu_error(e);
        return;
    }
    emu_cert *c = &e->certs[at];
    free(c->data);
    memset(c, 0, sizeof *c);
    emu_ok(e);
}

static void ssl_show(emu *e, int i)
{
    const emu_ssl_ctx *c = &e->ssl[i];
    emu_line(e, "+CSSLCFG: %d,%d,%d,%d,%d,\"%s\",\"%s\",\"%s\",%d", i, c->sslversion, c->authmode,
             c->ignorelocaltime, c->negotiatetime, c->cacert, c->clientcert, c->clientkey,
             c->enable_sni);
}

static void csslcfg(emu *e, int form, char *args)
{
    emu_args a;
    long ctx, v;
    const char *what, *file;
    if (form == EMU_TEST) {
        emu_line(e, "+CSSLCFG: \"sslversion\",(0-9),(0-4)");
        emu_line(e, "+CSSLCFG: \"authmode\",(0-9),(0-3)");
        emu_line(e, "+CSSLCFG: \"ignorelocaltime\",(0-9),(0-1)");
        emu_line(e, "+CSSLCFG: \"negotiatetime\",(0-9),(10-300)");
        emu_line(e, "+CSSLCFG: \"cacert\",(0-9),(5-108)");
        emu_line(e, "+CSSLCFG: \"clientcert\",(0-9),(5-108)");
        emu_line(e, "+CSSLCFG: \"clientkey\",(0-9),(5-108)");
        emu_line(e, "+CSSLCFG: \"enableSNI\",(0-9),(0-1)");
        emu_ok(e);
        return;
    }
    if (form != EMU_SET || !emu_args_parse(args, &a)) {
        emu_error(e);
        return;
    }
    if (a.n == 1 && emu_arg_int(&a, 0, 0, EMU_SSL_CTXS - 1, &ctx)) {
        ssl_show(e, (int)ctx);
        emu_ok(e);
        return;
    }
    if (a.n != 3 || !emu_arg_str(&a, 0, 20, &what) ||
        !emu_arg_int(&a, 1, 0, EMU_SSL_CTXS - 1, &ctx)) {
        emu_error(e);
        return;
    }
    emu_ssl_ctx *c = &e->ssl[ctx];
    struct {
        const char *name;
        int *field;
        long lo, hi;
    } ints[] = {
        { "sslversion", &c->sslversion, 0, 4 },
        { "authmode", &c->authmode, 0, 3 },
        { "ignorelocaltime", &c->ignorelocaltime, 0, 1 },
        { "negotiatetime", &c->negotiatetime, 10, 300 },
        { "enableSNI", &c->enable_sni, 0, 1 },
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        if (strcasecmp(what, ints[i].name) != 0)
            continue;
        if (!emu_arg_int(&a, 2, ints[i].lo, ints[i].hi, &v)) {
            emu_error(e);
            return;
        }
        *ints[i].field = (int)v;
        emu_ok(e);
        return;
    }
    char *dest = strcasecmp(what, "cacert") == 0       ? c->cacert
                 : strcasecmp(what, "clientcert") == 0 ? c->clientcert
                 : strcasecmp(what, "clientkey") == 0  ? c->clientkey
                                                       : NULL;
    if (dest == NULL || !emu_arg_str(&a, 2, EMU_CERT_NAME_MAX, &file) || !cert_name_ok(file)) {
        emu_error(e);
        return;
    }
    strcpy(dest, file);
    emu_ok(e);
}

emu_handler emu_ssl_handler(const char *name)
{
    if (strcmp(name, "CCERTDOWN") == 0)
        return ccertdown;
    if (strcmp(name, "CCERTLIST") == 0)
        return ccertlist;
    if (strcmp(name, "CCERTDELE") == 0)
        return ccertdele;
    if (strcmp(name, "CSSLCFG") == 0)
        return csslcfg;
    return NULL;
}
