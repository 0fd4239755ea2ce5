// SPDX-License-Identifier: MIT
/* Human-readable names for brisa_err codes. */
#include "brisa/err.h"

const char *brisa_err_str(brisa_err err)
{
    switch ((brisa_err)err) {
    case BRISA_OK: return "success";
    case BRISA_ERR_INVALID_ARG: return "invalid argument";
    case BRISA_ERR_NO_SPACE: return "buffer too small";
    case BRISA_ERR_MALFORMED: return "malformed packet from peer";
    case BRISA_ERR_TIMEOUT: return "timed out";
    case BRISA_ERR_WOULD_BLOCK: return "operation would block";
    case BRISA_ERR_CLOSED: return "connection closed by peer";
    case BRISA_ERR_IO: return "I/O error";
    case BRISA_ERR_PROTOCOL: return "protocol violation";
    case BRISA_ERR_REFUSED: return "refused by peer";
    case BRISA_ERR_STATE: return "not allowed in the current state";
    case BRISA_ERR_NOT_FOUND: return "not found";
    case BRISA_ERR_TOO_LARGE: return "too large";
    case BRISA_ERR_BUSY: return "no free slot";
    case BRISA_ERR_UNSUPPORTED: return "not supported";
    case BRISA_ERR_RESOLVE: return "host name could not be resolved";
    case BRISA_ERR_CONNECT: return "connection failed";
    case BRISA_ERR_CLOCK: return "wall-clock time not set";
    case BRISA_ERR_CANCELLED: return "stopped by the application";
    case BRISA_ERR_TLS: return "TLS error";
    case BRISA_ERR_TLS_UNKNOWN_CA: return "certificate not signed by a trusted CA";
    case BRISA_ERR_TLS_HOSTNAME: return "certificate does not match the host name";
    case BRISA_ERR_TLS_EXPIRED: return "certificate has expired";
    case BRISA_ERR_TLS_NOT_YET_VALID: return "certificate is not yet valid";
    case BRISA_ERR_TLS_REVOKED: return "certificate has been revoked";
    case BRISA_ERR_TLS_PEER_ALERT: return "peer sent a fatal TLS alert";
    case BRISA_ERR_TLS_NO_CLIENT_CERT: return "server requires a client certificate";
    case BRISA_ERR_TLS_BAD_CERT: return "certificate is invalid";
    case BRISA_ERR_TLS_KEY_MISMATCH: return "private key does not match the certificate";
    case BRISA_ERR_TLS_CREDENTIALS: return "certificate, key or CRL could not be loaded";
    case BRISA_ERR_TLS_NOT_TLS: return "peer does not speak TLS";
    case BRISA_ERR_TLS_HANDSHAKE: return "TLS handshake failed";
    case BRISA_ERR_TLS_ALPN: return "no application protocol (ALPN) in common";
    case BRISA_ERR_TLS_NO_STAPLE: return "server sent no OCSP staple";
    case BRISA_ERR_TLS_OCSP: return "stapled OCSP response is invalid";
    case BRISA_ERR_DHCP_NAK: return "DHCP server refused (DHCPNAK)";
    case BRISA_ERR_DHCP_NO_LEASE: return "no DHCP lease obtained";
    case BRISA_ERR_DNS_RCODE: return "DNS server returned an error";
    case BRISA_ERR_DNS_NO_ANSWER: return "DNS name has no record of that type";
    case BRISA_ERR_NTP_KOD: return "NTP server sent kiss-o'-death";
    case BRISA_ERR_NTP_REJECTED: return "NTP reply rejected";
    case BRISA_ERR_WS_UPGRADE: return "WebSocket upgrade refused";
    case BRISA_ERR_PROXY: return "HTTP proxy refused the tunnel";
    case BRISA_ERR_PROXY_AUTH: return "HTTP proxy authentication required";
    }
    return "unknown error";
}
