// SPDX-License-Identifier: MIT
/**
 * @file err.h
 * The one error type of the brisa library.
 *
 * Every fallible function returns a brisa_err (or a byte count that is
 * negative on error). Protocol reason codes -- a refused CONNACK, a SUBACK
 * failure, a DNS RCODE, a DHCP NAK -- are not folded into these codes: the
 * function returns BRISA_ERR_REFUSED (or similar) and reports the protocol's
 * own code beside it.
 */
#ifndef BRISA_ERR_H
#define BRISA_ERR_H

#include "brisa/export.h"

BRISA_BEGIN_DECLS

/** Error codes: 0 is success, every failure is negative. */
typedef enum brisa_err {
    BRISA_OK = 0, /**< success */

    /* Generic (-1 .. -39) */
    BRISA_ERR_INVALID_ARG = -1,   /**< caller passed something unusable */
    BRISA_ERR_NO_SPACE = -2,      /**< caller's buffer or table is too small */
    BRISA_ERR_MALFORMED = -3,     /**< peer sent bytes that break the protocol */
    BRISA_ERR_TIMEOUT = -4,       /**< nothing happened within the time allowed */
    BRISA_ERR_WOULD_BLOCK = -5,   /**< non-blocking call: try again later */
    BRISA_ERR_CLOSED = -6,        /**< peer closed the connection */
    BRISA_ERR_IO = -7,            /**< transport failed (reset, unreachable...) */
    BRISA_ERR_PROTOCOL = -8,      /**< well-formed but not allowed now */
    BRISA_ERR_REFUSED = -9,       /**< peer said no; see the reason code */
    BRISA_ERR_STATE = -10,        /**< call not valid in the current state */
    BRISA_ERR_NOT_FOUND = -11,    /**< name, id or entry does not exist */
    BRISA_ERR_TOO_LARGE = -12,    /**< value exceeds a protocol limit */
    BRISA_ERR_BUSY = -13,         /**< all slots in use (in-flight table...) */
    BRISA_ERR_UNSUPPORTED = -14,  /**< feature not built or not offered */
    BRISA_ERR_RESOLVE = -15,      /**< host name could not be resolved */
    BRISA_ERR_CONNECT = -16,      /**< TCP connection could not be opened */
    BRISA_ERR_CLOCK = -17,        /**< wall-clock time not known yet */
    BRISA_ERR_CANCELLED = -18,    /**< the application stopped the wait */

    /* TLS (-40 .. -69): each names the cause of a failed handshake or I/O */
    BRISA_ERR_TLS = -40,               /**< other TLS failure */
    BRISA_ERR_TLS_UNKNOWN_CA = -41,    /**< chain does not lead to a trusted CA */
    BRISA_ERR_TLS_HOSTNAME = -42,      /**< certificate not issued for this host */
    BRISA_ERR_TLS_EXPIRED = -43,       /**< a certificate's notAfter has passed */
    BRISA_ERR_TLS_NOT_YET_VALID = -44, /**< a certificate's notBefore is ahead */
    BRISA_ERR_TLS_REVOKED = -45,       /**< a certificate is on the CRL */
    BRISA_ERR_TLS_PEER_ALERT = -46,    /**< peer sent a fatal alert */
    BRISA_ERR_TLS_NO_CLIENT_CERT = -47,/**< server wanted a certificate, none set */
    BRISA_ERR_TLS_BAD_CERT = -48,      /**< certificate invalid for another reason */
    BRISA_ERR_TLS_KEY_MISMATCH = -49,  /**< private key does not match certificate */
    BRISA_ERR_TLS_CREDENTIALS = -50,   /**< a certificate, key or CRL file unreadable */
    BRISA_ERR_TLS_NOT_TLS = -51,       /**< peer does not speak TLS */
    BRISA_ERR_TLS_HANDSHAKE = -52,     /**< handshake failed (no shared suite...) */
    BRISA_ERR_TLS_ALPN = -60,          /**< no application protocol in common */
    BRISA_ERR_TLS_NO_STAPLE = -61,     /**< OCSP staple required, none sent */
    BRISA_ERR_TLS_OCSP = -62,          /**< stapled OCSP response unusable */

    /* Network services (-70 .. -99) */
    BRISA_ERR_DHCP_NAK = -70,          /**< DHCP server sent DHCPNAK */
    BRISA_ERR_DHCP_NO_LEASE = -71,     /**< attempts exhausted without a lease */
    BRISA_ERR_DNS_RCODE = -72,         /**< DNS server answered with an error RCODE */
    BRISA_ERR_DNS_NO_ANSWER = -73,     /**< name exists but has no such record */
    BRISA_ERR_NTP_KOD = -74,           /**< NTP server sent a kiss-o'-death */
    BRISA_ERR_NTP_REJECTED = -75,      /**< NTP reply failed validation */

    /* HTTP-based transports (-100 .. -119) */
    BRISA_ERR_WS_UPGRADE = -100,       /**< server refused the WebSocket upgrade */
    BRISA_ERR_PROXY = -101,            /**< HTTP proxy refused the tunnel */
    BRISA_ERR_PROXY_AUTH = -102        /**< HTTP proxy wants (other) credentials */
} brisa_err;

/** Short English description of an error code; never NULL. */
const char *brisa_err_str(brisa_err err);

BRISA_END_DECLS

#endif /* BRISA_ERR_H */
