// SPDX-License-Identifier: MIT
/* URLs on the tools' command line: -L (the broker and topic, as
 * mosquitto's clients take them, plus ws:// and wss://) and --proxy. */
#ifndef BRISA_TOOLS_URL_H
#define BRISA_TOOLS_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "brisa/url.h"
#include "opts.h"

/* The -L option: sets host, port, user, password, topic, TLS and
 * WebSocket use. Returns 0 or TOOLS_EXIT_USAGE after one line. */
int tools_opt_url(tools_opts *o, const char *arg);

/* The proxy to use for @p o, from --proxy (an http:// URL, or "env":
 * https_proxy or http_proxy unless no_proxy names the broker). Fills @p u
 * (pointing into @p buf) and returns 1 if there is one, 0 if not, -1
 * after one line on stderr if its URL is unusable. */
int tools_proxy_for(const tools_opts *o, char *buf, size_t cap, brisa_url *u);

#endif /* BRISA_TOOLS_URL_H */
