// SPDX-License-Identifier: MIT
/* mbedTLS 2.28 configuration for brisa's firmware (MBEDTLS_CONFIG_FILE):
 * a TLS 1.2 client only, ECDHE-ECDSA and ECDHE-RSA with AES-GCM,
 * SHA-256/384, X.509 and PEM parsing, CRLs, session tickets, and
 * max_fragment_length. No file system, no sockets (brisa's TLS layer reads
 * and writes through its own transport), no platform entropy: the seed is
 * the brisa_rng given to brisa_tls_config (the board's entropy hook). The
 * time mbedTLS reads (session ages, its own date flags) comes from the
 * brisa_clock given to brisa_tls_config, through bri_mbedtls_time();
 * brisa also checks validity dates itself against that clock. */
#ifndef BRISA_MBEDTLS_CONFIG_H
#define BRISA_MBEDTLS_CONFIG_H

#include <time.h>

/* Marks this configuration for brisa's TLS layer (src/tls/mbedtls.c). */
#define BRISA_MBEDTLS_FW_CONFIG 1

/* ---- platform --------------------------------------------------------- */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_TIME_MACRO bri_mbedtls_time
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_DEPRECATED_REMOVED

/** mbedTLS's time(): seconds since 1970 from the clock set by
 *  bri_mbedtls_time_source(); 0 while the clock has no wall time. */
time_t bri_mbedtls_time(time_t *out);
struct brisa_clock;
/** Where bri_mbedtls_time() reads (copied). brisa's TLS layer calls it
 *  with its configured clock in brisa_tls_setup(). */
void bri_mbedtls_time_source(const struct brisa_clock *clock);

/* ---- TLS 1.2 client ---------------------------------------------------- */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_MAX_FRAGMENT_LENGTH
#define MBEDTLS_SSL_ALPN /* [tls] alpn: brokers on port 443 pick MQTT by it */
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_SESSION_TICKETS
/* MBEDTLS_SSL_KEEP_PEER_CERTIFICATE off: the broker's chain is freed once
 * verified (brisa checks it in the verify callback), not held per connection. */
#define MBEDTLS_SSL_EXPORT_KEYS      /* NSS key log through a callback */
#define MBEDTLS_DEBUG_C              /* only when brisa_tls_config.debug_level asks */

/* Records: the device's heap budget (docs/board.md) allows 2 KiB each
 * way. brisa asks the broker for max_fragment_length (RFC 6066) of the
 * input buffer's size, so its records fit; OpenSSL (Mosquitto) honours
 * it. mbedTLS 2.28 cannot reassemble a handshake message split across
 * records: the broker's Certificate message (its chain) must fit in one,
 * which 2 KiB does for an ECDSA or RSA-2048 chain of two. A broker that
 * ignores max_fragment_length needs BRISA_MBEDTLS_IN_LEN=16384. */
#ifndef MBEDTLS_SSL_IN_CONTENT_LEN
#define MBEDTLS_SSL_IN_CONTENT_LEN 2048
#endif
#ifndef MBEDTLS_SSL_OUT_CONTENT_LEN
#define MBEDTLS_SSL_OUT_CONTENT_LEN 2048
#endif
/** The max_fragment_length brisa's TLS layer asks for: the largest the
 *  input buffer holds (4096 at most, RFC 6066's largest). */
#ifndef BRISA_MBEDTLS_MFL
#if MBEDTLS_SSL_IN_CONTENT_LEN >= 4096
#define BRISA_MBEDTLS_MFL MBEDTLS_SSL_MAX_FRAG_LEN_4096
#elif MBEDTLS_SSL_IN_CONTENT_LEN >= 2048
#define BRISA_MBEDTLS_MFL MBEDTLS_SSL_MAX_FRAG_LEN_2048
#elif MBEDTLS_SSL_IN_CONTENT_LEN >= 1024
#define BRISA_MBEDTLS_MFL MBEDTLS_SSL_MAX_FRAG_LEN_1024
#else
#define BRISA_MBEDTLS_MFL MBEDTLS_SSL_MAX_FRAG_LEN_512
#endif
#endif

/* ---- crypto ------------------------------------------------------------ */
#define MBEDTLS_AES_C
#define MBEDTLS_GCM_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA512_C             /* SHA-384 */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
/* No cached table of the generator's multiples: each handshake loads its
 * groups afresh, so the table was rebuilt every time and saved no time,
 * only held 0.4-0.8 KB (docs/board.md). Window 4 (mbedTLS's default): 2
 * would save 1 KB more at the peak but make the handshake 15 % slower. */
#define MBEDTLS_ECP_WINDOW_SIZE 4
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_HMAC_DRBG_C
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_ENTROPY_C            /* unused unless no brisa_rng is given: then it fails */

/* ---- certificates and keys ---------------------------------------------- */
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_CRL_PARSE_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_ERROR_C              /* mbedtls_strerror() in brisa's messages */

#include "mbedtls/check_config.h"

#endif
