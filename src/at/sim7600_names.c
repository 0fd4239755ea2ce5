/* Names of the module's MQTT result codes and connection-loss causes, from
 * the SIM7500/SIM7600/SIM7800 MQTT AT command manual's tables. */
#include "brisa/sim7600.h"

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
