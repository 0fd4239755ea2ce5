// SPDX-License-Identifier: MIT
/* URL splitting for broker and proxy addresses. */
#include "brisa/url.h"

#include <string.h>

/* The last @p c in s, or NULL. */
static char *last_of(char *s, char c)
{
    char *found = NULL;
    for (; *s != '\0'; s++)
        if (*s == c)
            found = s;
    return found;
}

static const char *parse_port(const char *p, uint16_t *out)
{
    unsigned long v = 0;
    if (*p == '\0')
        return "invalid port";
    for (; *p != '\0'; p++) {
        if (*p < '0' || *p > '9' || v > 65535)
            return "invalid port";
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (v < 1 || v > 65535)
        return "invalid port";
    *out = (uint16_t)v;
    return NULL;
}

const char *brisa_url_split(const char *text, char *buf, size_t cap, brisa_url *u)
{
    memset(u, 0, sizeof *u);
    size_t n = strlen(text);
    if (n >= cap)
        return "too long";
    memcpy(buf, text, n + 1);
    char *sep = strstr(buf, "://");
    if (sep == NULL || sep == buf)
        return "no scheme";
    *sep = '\0';
    for (char *c = buf; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    u->scheme = buf;
    char *auth = sep + 3;
    char *slash = strchr(auth, '/');
    u->path = "";
    if (slash != NULL) {
        *slash = '\0';
        u->path = slash + 1;
    }
    char *at = last_of(auth, '@');
    char *host = auth;
    if (at != NULL) {
        *at = '\0';
        host = at + 1;
        u->user = auth;
        char *colon = strchr(auth, ':');
        if (colon != NULL) {
            *colon = '\0';
            u->password = colon + 1;
        }
    }
    char *port = NULL;
    if (host[0] == '[') {
        char *close = strchr(host, ']');
        if (close == NULL)
            return "'[' without ']' around an IPv6 address";
        *close = '\0';
        host++;
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0')
            return "unexpected text after ']'";
    } else {
        char *colon = last_of(host, ':');
        if (colon != NULL) {
            *colon = '\0';
            port = colon + 1;
        }
    }
    if (host[0] == '\0')
        return "no host";
    u->host = host;
    return port != NULL ? parse_port(port, &u->port) : NULL;
}
