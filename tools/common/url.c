// SPDX-License-Identifier: MIT
/* -L URL and --proxy URL. */
#include "url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tools_opt_url(tools_opts *o, const char *arg)
{
    brisa_url u;
    const char *why = brisa_url_split(arg, o->url_buf, sizeof o->url_buf, &u);
    static const struct { const char *name; bool tls, ws; unsigned port; } schemes[] = {
        { "mqtt", false, false, TOOLS_DEFAULT_PORT },
        { "mqtts", true, false, TOOLS_DEFAULT_TLS_PORT },
        { "ws", false, true, 80 },
        { "wss", true, true, 443 },
    };
    size_t i = 0;
    while (why == NULL && i < 4 && strcmp(u.scheme, schemes[i].name) != 0)
        i++;
    if (why == NULL && i == 4)
        why = "unknown scheme: use mqtt, mqtts, ws or wss";
    if (why == NULL && u.path[0] == '\0')
        why = "no topic: add /topic";
    if (why != NULL) {
        tools_error(o, "invalid URL '%s' for -L: %s (see %s --help)", arg, why, o->prog);
        return TOOLS_EXIT_USAGE;
    }
    if (o->tool == TOOLS_PUB && o->topic_count == 1) {
        tools_error(o, "only one topic may be given to %s (-L names one)", o->prog);
        return TOOLS_EXIT_USAGE;
    }
    o->host = u.host;
    o->port = u.port != 0 ? u.port : schemes[i].port;
    o->url_tls = schemes[i].tls;
    o->websocket = schemes[i].ws;
    if (u.user != NULL) {
        o->username = u.user;
        o->password = u.password;
    }
    o->topics[o->topic_count++] = u.path;
    return 0;
}

/* True if no_proxy ("a.example,.lan,10.0.0.1,*") covers @p host. */
static bool no_proxy_covers(const char *list, const char *host)
{
    size_t hl = strlen(host);
    while (list != NULL && *list != '\0') {
        const char *end = strchr(list, ',');
        size_t n = end != NULL ? (size_t)(end - list) : strlen(list);
        while (n > 0 && list[0] == ' ') {
            list++;
            n--;
        }
        while (n > 0 && list[n - 1] == ' ')
            n--;
        if (n == 1 && list[0] == '*')
            return true;
        const char *name = list;
        if (n > 0 && name[0] == '.') { /* ".lan" and "lan" both mean the domain */
            name++;
            n--;
        }
        if (n > 0 && hl >= n && strncasecmp(host + hl - n, name, n) == 0 &&
            (hl == n || host[hl - n - 1] == '.'))
            return true;
        list = end != NULL ? end + 1 : NULL;
    }
    return false;
}

int tools_proxy_for(const tools_opts *o, char *buf, size_t cap, brisa_url *u)
{
    const char *url = o->proxy;
    if (url == NULL)
        return 0;
    if (strcmp(url, "env") == 0) {
        const char *names[] = { "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY" };
        url = NULL;
        for (size_t i = 0; i < 4 && (url == NULL || url[0] == '\0'); i++)
            url = getenv(names[i]);
        if (url == NULL || url[0] == '\0')
            return 0;
        const char *no = getenv("no_proxy");
        if (no == NULL)
            no = getenv("NO_PROXY");
        if (no_proxy_covers(no, o->host))
            return 0;
    }
    const char *why = brisa_url_split(url, buf, cap, u);
    if (why == NULL && strcmp(u->scheme, "http") != 0)
        why = "only http:// proxies are supported";
    if (why != NULL) {
        tools_error(o, "invalid proxy URL '%s': %s", url, why);
        return -1;
    }
    if (u->port == 0)
        u->port = 80;
    return 1;
}
