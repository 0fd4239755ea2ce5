// SPDX-License-Identifier: MIT
/**
 * @file config.h
 * Every build-time tunable of brisa and its default, in one place.
 *
 * To change one, write your own header that defines only what you change,
 * e.g. my_brisa_config.h:
 *
 *     #define BRISA_MQTT5 0
 *     #define BRISA_DHCP_MAX_SERVERS 2
 *
 * and name it when building brisa and everything that includes its
 * headers: `cmake -DBRISA_CONFIG_FILE=/path/to/my_brisa_config.h` (the
 * cache variable passes `-DBRISA_CONFIG_FILE="..."` to every target), or
 * `-DBRISA_CONFIG_FILE='"my_brisa_config.h"'` on a compiler's command line.
 * It is included first; what it leaves undefined gets the default below.
 * The library and the program using it must see the same values: several
 * change the size of public structures.
 *
 * Only the preprocessor here, so the freestanding core can include it.
 * Protocol constants (ports, header sizes, limits a standard fixes) are
 * not tunables and stay in their module's header.
 */
#ifndef BRISA_CONFIG_H
#define BRISA_CONFIG_H

#ifdef BRISA_CONFIG_FILE
#include BRISA_CONFIG_FILE
#endif

/* ---- feature switches ---------------------------------------------- */

/** 1: MQTT 5.0 is built into the core; 0: a 3.1.1-only core (smaller).
 *  Default 1 (CMake: -DBRISA_MQTT5=OFF sets 0). */
#ifndef BRISA_MQTT5
#define BRISA_MQTT5 1
#endif

/** 1: brisa_tls_config_init() picks OpenSSL where its backend is linked in
 *  (a PC: TLS 1.3 and the CPU's AES/GCM instructions, see docs/tls.md),
 *  mbedTLS elsewhere (the board); 0: always mbedTLS. Default 1. */
#ifndef BRISA_TLS_PREFER_OPENSSL
#define BRISA_TLS_PREFER_OPENSSL 1
#endif

/* ---- MQTT ---------------------------------------------------------- */

/** Bytes of authentication data per step of an MQTT 5 enhanced
 *  authentication exchange (stack buffer). Default 256. */
#ifndef BRISA_MQTT_AUTH_DATA_MAX
#define BRISA_MQTT_AUTH_DATA_MAX 256
#endif

/** Bytes of topic remembered per MQTT 5 outgoing topic alias (in each
 *  brisa_mqtt_alias); longer topics are sent in full. Default 64. */
#ifndef BRISA_MQTT_ALIAS_TOPIC_MAX
#define BRISA_MQTT_ALIAS_TOPIC_MAX 64
#endif

/** ms: a read or write of one packet, when brisa_mqtt_config.io_timeout_ms
 *  is 0. Default 10 000. */
#ifndef BRISA_MQTT_IO_TIMEOUT_MS
#define BRISA_MQTT_IO_TIMEOUT_MS 10000u
#endif

/** ms: longest wait for CONNACK when the configuration gives none.
 *  Default 30 000. */
#ifndef BRISA_MQTT_CONNACK_TIMEOUT_MS
#define BRISA_MQTT_CONNACK_TIMEOUT_MS 30000u
#endif

/** ms: shortest reconnection backoff, when the reconnect configuration's
 *  min_delay_ms is 0. Default 500. */
#ifndef BRISA_MQTT_RECONNECT_MIN_MS
#define BRISA_MQTT_RECONNECT_MIN_MS 500u
#endif

/** ms: longest reconnection backoff (max_delay_ms 0). Default 60 000. */
#ifndef BRISA_MQTT_RECONNECT_MAX_MS
#define BRISA_MQTT_RECONNECT_MAX_MS 60000u
#endif

/** ms: a connection up this long resets the backoff (stable_ms 0).
 *  Default 30 000. */
#ifndef BRISA_MQTT_RECONNECT_STABLE_MS
#define BRISA_MQTT_RECONNECT_STABLE_MS 30000u
#endif

/* ---- DHCP, DNS, SNTP ----------------------------------------------- */

/** DNS and NTP servers kept from a DHCP lease (more are ignored); sizes
 *  brisa_dhcp_lease. Default 3. */
#ifndef BRISA_DHCP_MAX_SERVERS
#define BRISA_DHCP_MAX_SERVERS 3
#endif

/** Bytes of the longest DHCP host or domain name kept (a longer one is
 *  treated as absent); sizes brisa_dhcp_lease. Default 63. */
#ifndef BRISA_DHCP_NAME_MAX
#define BRISA_DHCP_NAME_MAX 63
#endif

/** ms: first DHCP retransmission delay, doubled each time (RFC 2131 4.1),
 *  when retry_base_ms is 0. Default 4 000. */
#ifndef BRISA_DHCP_RETRY_BASE_MS
#define BRISA_DHCP_RETRY_BASE_MS 4000u
#endif

/** ms: cap of the doubled DHCP retransmission delay (retry_max_ms 0).
 *  Default 64 000. */
#ifndef BRISA_DHCP_RETRY_MAX_MS
#define BRISA_DHCP_RETRY_MAX_MS 64000u
#endif

/** ms: shortest RENEWING/REBINDING retry (renew_min_ms 0).
 *  Default 60 000. */
#ifndef BRISA_DHCP_RENEW_MIN_MS
#define BRISA_DHCP_RENEW_MIN_MS 60000u
#endif

/** ms: wait after a DHCPDECLINE before starting over (decline_delay_ms 0;
 *  RFC 2131 3.1 asks for at least 10 s). Default 10 000. */
#ifndef BRISA_DHCP_DECLINE_DELAY_MS
#define BRISA_DHCP_DECLINE_DELAY_MS 10000u
#endif

/** DHCPREQUESTs sent before starting over from DISCOVER. Default 4. */
#ifndef BRISA_DHCP_REQUEST_TRIES
#define BRISA_DHCP_REQUEST_TRIES 4
#endif

/** ms: wait for one DNS reply (timeout_ms 0). Default 2 000. */
#ifndef BRISA_DNS_TIMEOUT_MS
#define BRISA_DNS_TIMEOUT_MS 2000u
#endif

/** Rounds over the DNS server list (attempts 0). Default 2. */
#ifndef BRISA_DNS_ATTEMPTS
#define BRISA_DNS_ATTEMPTS 2u
#endif

/** ms: wait for one SNTP reply (timeout_ms 0). Default 1 000. */
#ifndef BRISA_SNTP_TIMEOUT_MS
#define BRISA_SNTP_TIMEOUT_MS 1000u
#endif

/** SNTP requests per sample before giving up (attempts 0). Default 3. */
#ifndef BRISA_SNTP_ATTEMPTS
#define BRISA_SNTP_ATTEMPTS 3u
#endif

/** Good SNTP replies wanted per sync (samples 0). Default 4. */
#ifndef BRISA_SNTP_SAMPLES
#define BRISA_SNTP_SAMPLES 4u
#endif

/** ms: how long a server that asked us to slow down (kiss "RATE") is
 *  left alone (rate_hold_ms 0). Default 64 000. */
#ifndef BRISA_SNTP_RATE_HOLD_MS
#define BRISA_SNTP_RATE_HOLD_MS 64000u
#endif

/* ---- TLS ----------------------------------------------------------- */

/** ms: TLS handshake limit when handshake_timeout_ms is 0. Default 10 000. */
#ifndef BRISA_TLS_HANDSHAKE_TIMEOUT_MS
#define BRISA_TLS_HANDSHAKE_TIMEOUT_MS 10000u
#endif

/** ms: wait to send close_notify when close_timeout_ms is 0. Default 1 000. */
#ifndef BRISA_TLS_CLOSE_TIMEOUT_MS
#define BRISA_TLS_CLOSE_TIMEOUT_MS 1000u
#endif

/** Bytes of BRISA_SEND_MORE sends gathered into one TLS record (so an
 *  MQTT header and its payload leave together). Default 2 048. */
#ifndef BRISA_TLS_TX_HOLD
#define BRISA_TLS_TX_HOLD 2048
#endif

/** Bytes of decrypted data the OpenSSL backend reads ahead of the caller,
 *  so an MQTT packet's header, length and body cost one SSL_read(); reads
 *  this large or larger go straight to the caller. 0 turns it off. The
 *  mbedTLS backend (the board) has none. Default 2 048. */
#ifndef BRISA_TLS_READ_AHEAD
#define BRISA_TLS_READ_AHEAD 2048
#endif

/** Bytes: largest certificate, key or CRL file the TLS layer reads.
 *  Default 4 MiB. */
#ifndef BRISA_TLS_MAX_FILE_BYTES
#define BRISA_TLS_MAX_FILE_BYTES (4u * 1024u * 1024u)
#endif

/** Seconds a stapled OCSP response's dates may be off the device's clock
 *  (the responder's and the device's clocks disagree a little).
 *  Default 300. */
#ifndef BRISA_TLS_OCSP_SKEW_S
#define BRISA_TLS_OCSP_SKEW_S 300
#endif

/* ---- HTTP proxy ---------------------------------------------------- */

/** Bytes of "user:password" for a proxy's Basic authentication (a stack
 *  buffer; longer credentials are BRISA_ERR_TOO_LARGE). Default 190. */
#ifndef BRISA_PROXY_CRED_MAX
#define BRISA_PROXY_CRED_MAX 190
#endif

/* ---- ports --------------------------------------------------------- */

/** ms: TCP connect limit per address in the POSIX and lwIP ports, when
 *  the options give none. Default 10 000. */
#ifndef BRISA_TCP_CONNECT_TIMEOUT_MS
#define BRISA_TCP_CONNECT_TIMEOUT_MS 10000u
#endif

/** Bytes the POSIX TCP transport reads ahead of the caller, so small reads
 *  (an MQTT fixed header, a TLS record header) cost no recv() each.
 *  Default 2 048. */
#ifndef BRISA_POSIX_TCP_READ_AHEAD
#define BRISA_POSIX_TCP_READ_AHEAD 2048
#endif

/** Datagrams the lwIP UDP endpoint holds until read; more are dropped.
 *  Default 4. */
#ifndef BRISA_LWIP_UDP_QUEUE
#define BRISA_LWIP_UDP_QUEUE 4
#endif

/** ms: the lwIP port's ARP probe of an offered address when probe_ms is 0
 *  (RFC 5227 conflict detection). Default 1 000. */
#ifndef BRISA_LWIP_ARP_PROBE_MS
#define BRISA_LWIP_ARP_PROBE_MS 1000u
#endif

/* ---- AT modem ------------------------------------------------------ */

/** ms: an AT command's limit when the command gives none. Default 5 000. */
#ifndef BRISA_AT_TIMEOUT_MS
#define BRISA_AT_TIMEOUT_MS 5000u
#endif

/** ms: a SIM7600 command's limit when cmd_timeout_ms is 0. Default 9 000. */
#ifndef BRISA_SIM7600_CMD_TIMEOUT_MS
#define BRISA_SIM7600_CMD_TIMEOUT_MS 9000u
#endif

/** ms: wait for the SIM7600's data connection (AT+NETOPEN) and network
 *  time (AT+CNTP). Default 30 000. */
#ifndef BRISA_SIM7600_NETOPEN_TIMEOUT_MS
#define BRISA_SIM7600_NETOPEN_TIMEOUT_MS 30000u
#endif

/** Bytes of the longest SIM7600 command (CONNECT with a 256-byte host,
 *  user and password); sizes the driver's command buffer. Default 900. */
#ifndef BRISA_SIM7600_CMD_MAX
#define BRISA_SIM7600_CMD_MAX 900
#endif

/** Certificates the SIM7600 driver remembers having uploaded.
 *  Default 4. */
#ifndef BRISA_SIM7600_CERT_RECORDS
#define BRISA_SIM7600_CERT_RECORDS 4
#endif

#endif /* BRISA_CONFIG_H */
