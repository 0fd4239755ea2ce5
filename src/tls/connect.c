// SPDX-License-Identifier: MIT
/* The layers over a broker's TCP stream, in their one order: tunnel, TLS,
 * WebSockets (see brisa/connect.h). Each layer closes what is under it
 * when it fails, except the tunnel, whose stream is closed here. */
#include "brisa/connect.h"

#include <string.h>

#include "brisa/err.h"
#include "brisa/proxy.h"

/* Copies @p text into the result's detail (no stdio in this file). */
static int failed(brisa_connect *c, brisa_connect_step step, int rc, const char *text)
{
    c->failed = step;
    size_t n = strlen(text);
    if (n >= sizeof c->detail)
        n = sizeof c->detail - 1;
    memcpy(c->detail, text, n);
    c->detail[n] = '\0';
    return rc;
}

brisa_err brisa_connect_layers(brisa_connect *c, const brisa_connect_config *cfg,
                               const brisa_transport *tcp)
{
    if (c == NULL || cfg == NULL || tcp == NULL)
        return BRISA_ERR_INVALID_ARG;
    memset(c, 0, sizeof *c);
    c->transport = *tcp;
    int rc;
    if (cfg->tunnel) {
        brisa_proxy_config pc = { .host = cfg->host, .port = cfg->port,
                                  .user = cfg->proxy_user, .password = cfg->proxy_password,
                                  .clock = cfg->clock, .buf = cfg->proxy_buf,
                                  .size = cfg->proxy_buf_size, .timeout_ms = cfg->timeout_ms };
        rc = brisa_proxy_connect(&c->transport, &pc, c->detail, sizeof c->detail);
        if (rc != BRISA_OK) {
            c->transport.close(c->transport.ctx);
            c->failed = BRISA_CONNECT_TUNNEL;
            return rc;
        }
    }
    if (cfg->tls != NULL) {
        rc = brisa_tls_connect(cfg->tls, &c->transport);
        if (rc != BRISA_OK) /* the TLS layer closed the stream */
            return failed(c, BRISA_CONNECT_TLS, rc, brisa_tls_last_error(cfg->tls));
        c->transport = brisa_tls_transport(cfg->tls);
    }
    if (cfg->ws != NULL) {
        rc = cfg->ws_cfg != NULL ? brisa_ws_init(cfg->ws, cfg->ws_cfg) : BRISA_ERR_INVALID_ARG;
        if (rc == BRISA_OK)
            rc = brisa_ws_connect(cfg->ws, &c->transport); /* closes it on failure */
        else
            c->transport.close(c->transport.ctx);
        if (rc != BRISA_OK)
            return failed(c, BRISA_CONNECT_WS, rc, brisa_ws_last_error(cfg->ws));
        c->transport = brisa_ws_transport(cfg->ws);
    }
    return BRISA_OK;
}

const char *brisa_connect_step_name(brisa_connect_step step)
{
    switch (step) {
    case BRISA_CONNECT_TUNNEL: return "proxy tunnel";
    case BRISA_CONNECT_TLS: return "TLS";
    case BRISA_CONNECT_WS: return "WebSocket";
    default: return "";
    }
}
