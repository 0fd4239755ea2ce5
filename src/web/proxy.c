// SPDX-License-Identifier: MIT
/* HTTP CONNECT: one request, one answer, then the stream is the broker's. */
#include "brisa/proxy.h"

#include <string.h>

#include "brisa/err.h"
#include "brisa/sha1.h"
#include "http_internal.h"

/* user:password in base64 for Proxy-Authorization. */
#define CRED_MAX BRISA_PROXY_CRED_MAX

static void add_target(http_text *t, const brisa_proxy_config *cfg)
{
    bool v6 = strchr(cfg->host, ':') != NULL;
    if (v6)
        http_text_add(t, "[");
    http_text_add(t, cfg->host);
    if (v6)
        http_text_add(t, "]");
    http_text_add(t, ":");
    http_text_uint(t, cfg->port);
}

static int build_request(const brisa_proxy_config *cfg, size_t *len)
{
    http_text t;
    http_text_init(&t, (char *)cfg->buf, cfg->size);
    http_text_add(&t, "CONNECT ");
    add_target(&t, cfg);
    http_text_add(&t, " HTTP/1.1\r\nHost: ");
    add_target(&t, cfg);
    http_text_add(&t, "\r\n");
    if (cfg->user != NULL) {
        char cred[CRED_MAX];
        http_text c;
        http_text_init(&c, cred, sizeof cred);
        http_text_add(&c, cfg->user);
        http_text_add(&c, ":");
        http_text_add(&c, cfg->password != NULL ? cfg->password : "");
        if (c.overflow)
            return BRISA_ERR_TOO_LARGE;
        char b64[BRISA_BASE64_SIZE(CRED_MAX)];
        (void)brisa_base64_encode((const uint8_t *)cred, c.len, b64, sizeof b64);
        http_text_add(&t, "Proxy-Authorization: Basic ");
        http_text_add(&t, b64);
        http_text_add(&t, "\r\n");
    }
    http_text_add(&t, "\r\n");
    *len = t.len;
    return t.overflow ? BRISA_ERR_NO_SPACE : BRISA_OK;
}

static int say(char *detail, size_t size, int err, const char *what,
               const brisa_proxy_config *cfg, const uint8_t *quote, size_t n)
{
    http_text t;
    http_text_init(&t, detail, size);
    http_text_add(&t, what);
    if (cfg != NULL) {
        http_text_add(&t, " ");
        add_target(&t, cfg);
    }
    http_text_quote(&t, ": ", quote, n);
    return err;
}

brisa_err brisa_proxy_connect(const brisa_transport *inner, const brisa_proxy_config *cfg,
                              char *detail, size_t detail_size)
{
    if (inner == NULL || cfg == NULL || cfg->host == NULL || cfg->clock == NULL ||
        cfg->buf == NULL || cfg->size < 256)
        return say(detail, detail_size, BRISA_ERR_INVALID_ARG,
                   "proxy: host, clock and a buffer of 256 bytes are needed", NULL, NULL, 0);
    uint64_t deadline = cfg->clock->monotonic_ms(cfg->clock->ctx) +
                        (cfg->timeout_ms != 0 ? cfg->timeout_ms : 10000u);
    size_t len;
    int rc = build_request(cfg, &len);
    if (rc != BRISA_OK)
        return say(detail, detail_size, rc == BRISA_ERR_TOO_LARGE ? BRISA_ERR_INVALID_ARG : rc,
                   "proxy: request too long for the buffer (credentials?)", NULL, NULL, 0);
    size_t sent;
    rc = http_send_all(inner, cfg->clock, deadline, cfg->buf, len, &sent);
    if (rc != BRISA_OK)
        return say(detail, detail_size, rc, "proxy: cannot send CONNECT for", cfg, NULL, 0);
    size_t got;
    rc = http_read_head(inner, cfg->clock, deadline, cfg->buf, cfg->size, true, &got);
    if (rc < 0)
        return say(detail, detail_size, rc,
                   rc == BRISA_ERR_TIMEOUT ? "proxy: no answer to CONNECT for"
                   : rc == BRISA_ERR_TOO_LARGE ? "proxy: answer too large to CONNECT for"
                                                : "proxy: connection lost during CONNECT for",
                   cfg, NULL, 0);
    size_t line;
    int status = http_status(cfg->buf, (size_t)rc, &line);
    if (status < 0)
        return say(detail, detail_size, BRISA_ERR_MALFORMED,
                   "proxy: not an HTTP answer to CONNECT for", cfg, cfg->buf, line);
    if (status == 407)
        return say(detail, detail_size, BRISA_ERR_PROXY_AUTH,
                   cfg->user != NULL ? "proxy refused our credentials for"
                                     : "proxy wants credentials for",
                   cfg, cfg->buf, line);
    if (status < 200 || status > 299)
        return say(detail, detail_size, BRISA_ERR_PROXY, "proxy refused the tunnel to", cfg,
                   cfg->buf, line);
    if (detail_size > 0)
        detail[0] = '\0';
    return BRISA_OK;
}
