// SPDX-License-Identifier: MIT
/* Names of the module's MQTT result codes and connection-loss causes, from
 * the SIM7500/SIM7600/SIM7800 MQTT AT command manual's tables. */
#include "sim7600_internal.h"

static const char *const err_names[] = {
    "operation succeeded",                            /* 0 */
    "failed",
    "bad UTF-8 string",
    "sock connect fail",
    "sock create fail",
    "sock close fail",                                /* 5 */
    "message receive fail",
    "network open fail",
    "network close fail",
    "network not opened",
    "client index error",                             /* 10 */
    "no connection",
    "invalid parameter",
    "not supported operation",
    "client is busy",
    "require connection fail",                        /* 15 */
    "sock sending fail",
    "timeout",
    "topic is empty",
    "client is used",
    "client not acquired",                            /* 20 */
    "client not released",
    "length out of range",
    "network is opened",
    "packet fail",
    "DNS error",                                      /* 25 */
    "socket is closed by server",
    "connection refused: unaccepted protocol version",
    "connection refused: identifier rejected",
    "connection refused: server unavailable",
    "connection refused: bad user name or password", /* 30 */
    "connection refused: not authorized",
    "handshake fail",
    "not set certificate",
    "open SSL session failed",
};

const char *brisa_sim7600_err_str(int code)
{
    if (code >= 0 && code < (int)(sizeof err_names / sizeof err_names[0]))
        return err_names[code];
    return "unknown MQTT error code";
}

const char *brisa_sim7600_connlost_str(int cause)
{
    switch (cause) {
    case 1: return "socket is closed passively";
    case 2: return "socket is reset";
    case 3: return "network is closed";
    default: return "unknown cause";
    }
}

size_t brisa_sim7600_describe(const brisa_sim7600 *m, int err, char *buf, size_t size)
{
    const brisa_sim7600_error *e = &m->err;
    sim_text t;
    if (!buf || !size)
        return 0;
    sim_text_on(&t, buf, size);
    sim_text_put(&t, e->command ? e->command : "modem");
    sim_text_put(&t, ": ");
    switch (e->kind) {
    case BRISA_SIM7600_ERRK_MQTT:
        sim_text_put(&t, brisa_sim7600_err_str(e->code));
        sim_text_put(&t, " (error ");
        sim_text_uint(&t, (unsigned long)e->code);
        sim_text_put(&t, ")");
        break;
    case BRISA_SIM7600_ERRK_CME:
        sim_text_put(&t, "+CME ERROR: ");
        sim_text_uint(&t, (unsigned long)e->code);
        break;
    case BRISA_SIM7600_ERRK_ERROR:
        sim_text_put(&t, "the module answered ERROR");
        break;
    case BRISA_SIM7600_ERRK_TIMEOUT:
        sim_text_put(&t, "no answer from the module");
        break;
    case BRISA_SIM7600_ERRK_STATE:
        sim_text_put(&t, "not ready (SIM, registration or clock; state ");
        sim_text_uint(&t, (unsigned long)(e->code < 0 ? 0 : e->code));
        sim_text_put(&t, ")");
        break;
    default:
        if (err == BRISA_ERR_TOO_LARGE)
            sim_text_put(&t, "over the module's limits (topic 1024, payload 10240 bytes)");
        else
            sim_text_put(&t, brisa_err_str(err));
    }
    return t.len;
}
