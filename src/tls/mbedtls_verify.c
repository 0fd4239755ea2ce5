// SPDX-License-Identifier: MIT
/* Certificate checks for the mbedTLS backend.
 *
 * mbedTLS 2.28 compares validity dates with the host's time(), and its
 * host-name check knows no iPAddress subjectAltName. A device's time comes
 * from NTP through brisa_clock, and brokers are often reached by IP, so
 * the verify callback drops the library's date and name flags and decides
 * both itself. */
#include <stdio.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/oid.h>

#include "brisa/ip.h"
#include "mbedtls_be.h"

#define TIME_FLAGS (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE | \
                    MBEDTLS_X509_BADCRL_EXPIRED | MBEDTLS_X509_BADCRL_FUTURE)
#define CRL_FLAGS (MBEDTLS_X509_BADCRL_NOT_TRUSTED | MBEDTLS_X509_BADCRL_EXPIRED | \
                   MBEDTLS_X509_BADCRL_FUTURE | MBEDTLS_X509_BADCRL_BAD_MD | \
                   MBEDTLS_X509_BADCRL_BAD_PK | MBEDTLS_X509_BADCRL_BAD_KEY)

#define SAN_DNS 2
#define SAN_IP 7

int bri_tls_mbedtls_flags_err(uint32_t flags)
{
    if (flags & (MBEDTLS_X509_BADCERT_NOT_TRUSTED | MBEDTLS_X509_BADCERT_MISSING))
        return BRISA_ERR_TLS_UNKNOWN_CA;
    if (flags & MBEDTLS_X509_BADCERT_REVOKED)
        return BRISA_ERR_TLS_REVOKED;
    if (flags & MBEDTLS_X509_BADCERT_EXPIRED)
        return BRISA_ERR_TLS_EXPIRED;
    if (flags & MBEDTLS_X509_BADCERT_FUTURE)
        return BRISA_ERR_TLS_NOT_YET_VALID;
    if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH)
        return BRISA_ERR_TLS_HOSTNAME;
    if (flags & CRL_FLAGS)
        return BRISA_ERR_TLS_CREDENTIALS; /* our CRL file is stale or foreign */
    if (flags != 0)
        return BRISA_ERR_TLS_BAD_CERT;
    return BRISA_OK;
}

typedef void (*san_fn)(void *user, int type, const unsigned char *p, size_t len);

/* Calls @p fn for each dNSName and iPAddress of the subjectAltName
 * extension, read from the raw extensions (mbedTLS 2.28 keeps no parsed
 * iPAddress entries). Returns how many it found. */
static int each_san(const mbedtls_x509_crt *crt, san_fn fn, void *user)
{
    unsigned char *p = crt->v3_ext.p;
    size_t len;
    int found = 0;
    /* A v1 certificate has no extensions: p is NULL and p + len undefined. */
    if (p == NULL)
        return 0;
    const unsigned char *end = p + crt->v3_ext.len;
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE))
        return 0;
    end = p + len;
    while (p < end) {
        if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE))
            return found;
        unsigned char *ext_end = p + len;
        mbedtls_x509_buf oid = { MBEDTLS_ASN1_OID, 0, NULL };
        if (mbedtls_asn1_get_tag(&p, ext_end, &oid.len, MBEDTLS_ASN1_OID))
            return found;
        oid.p = p;
        p += oid.len;
        int critical;
        (void)mbedtls_asn1_get_bool(&p, ext_end, &critical); /* optional */
        if (mbedtls_asn1_get_tag(&p, ext_end, &len, MBEDTLS_ASN1_OCTET_STRING))
            return found;
        if (MBEDTLS_OID_CMP(MBEDTLS_OID_SUBJECT_ALT_NAME, &oid) == 0) {
            unsigned char *q = p;
            const unsigned char *vend = p + len;
            size_t slen;
            if (mbedtls_asn1_get_tag(&q, vend, &slen,
                                     MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) == 0) {
                vend = q + slen;
                while (q < vend) {
                    int tag = *q++;
                    size_t glen;
                    if (mbedtls_asn1_get_len(&q, vend, &glen))
                        break;
                    int type = tag & 0x1f;
                    if ((tag & MBEDTLS_ASN1_CONTEXT_SPECIFIC) &&
                        (type == SAN_DNS || type == SAN_IP)) {
                        found++;
                        if (fn != NULL)
                            fn(user, type, q, glen);
                    }
                    q += glen;
                }
            }
        }
        p = ext_end;
    }
    return found;
}

typedef struct name_check {
    const char *host;
    bool host_is_ip;
    brisa_ip_addr ip;
    int dns_count;
    bool match;
} name_check;

static void check_one(void *user, int type, const unsigned char *p, size_t len)
{
    name_check *nc = user;
    if (type == SAN_DNS) {
        nc->dns_count++;
        if (!nc->host_is_ip && bri_tls_dns_match((const char *)p, len, nc->host))
            nc->match = true;
    } else if (nc->host_is_ip) {
        size_t want = nc->ip.family == BRISA_IP_V4 ? 4u : 16u;
        if (len == want && memcmp(p, nc->ip.bytes, want) == 0)
            nc->match = true;
    }
}

/* Finds the commonName; returns its value and length, or NULL. */
static const mbedtls_x509_buf *find_cn(const mbedtls_x509_name *name)
{
    for (; name != NULL; name = name->next) {
        if (MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &name->oid) == 0)
            return &name->val;
    }
    return NULL;
}

bool bri_tls_mbedtls_name_ok(const brisa_tls *t, const mbedtls_x509_crt *crt)
{
    name_check nc;
    memset(&nc, 0, sizeof nc);
    nc.host = t->server_name != NULL ? t->server_name : "";
    nc.host_is_ip = brisa_ip_parse(nc.host, &nc.ip);
    each_san(crt, check_one, &nc);
    if (nc.match)
        return true;
    /* RFC 6125: the CN counts only when there is no DNS name at all; an
     * IP address must be in the subjectAltName. */
    if (nc.dns_count == 0 && !nc.host_is_ip) {
        const mbedtls_x509_buf *cn = find_cn(&crt->subject);
        return cn != NULL && bri_tls_dns_match((const char *)cn->p, cn->len, nc.host);
    }
    return false;
}

static void name_words(char *buf, size_t cap, const mbedtls_x509_name *name)
{
    const mbedtls_x509_buf *cn = find_cn(name);
    if (cn != NULL) {
        char value[128];
        bri_tls_printable(value, sizeof value, cn->p, cn->len);
        snprintf(buf, cap, "CN=%s", value);
    } else if (mbedtls_x509_dn_gets(buf, cap, name) < 0) {
        snprintf(buf, cap, "(unnamed)");
    }
}

static void list_one(void *user, int type, const unsigned char *p, size_t len)
{
    bri_tls_list_san(user, 256, type == SAN_IP, p, len);
}

static bri_tls_tm tm_of(const mbedtls_x509_time *x)
{
    bri_tls_tm tm = { x->year, x->mon, x->day, x->hour, x->min, x->sec };
    return tm;
}

/* Our own date checks, for the certificate and its issuer's CRLs. */
static uint32_t date_flags(const brisa_tls *t, const mbedtls_x509_crt *crt)
{
    const bri_tls_mbed *be = t->be;
    bri_tls_tm now = bri_tls_gmtime(t->verify_ms / 1000);
    uint32_t f = 0;
    bri_tls_tm from = tm_of(&crt->valid_from), to = tm_of(&crt->valid_to);
    if (bri_tls_tm_cmp(&now, &to) > 0)
        f |= MBEDTLS_X509_BADCERT_EXPIRED;
    if (bri_tls_tm_cmp(&now, &from) < 0)
        f |= MBEDTLS_X509_BADCERT_FUTURE;
    for (const mbedtls_x509_crl *crl = &be->crl; crl != NULL; crl = crl->next) {
        if (crl->version == 0 || crl->issuer_raw.len != crt->issuer_raw.len ||
            memcmp(crl->issuer_raw.p, crt->issuer_raw.p, crl->issuer_raw.len) != 0)
            continue;
        bri_tls_tm this_update = tm_of(&crl->this_update);
        bri_tls_tm next_update = tm_of(&crl->next_update);
        if (crl->next_update.year != 0 && bri_tls_tm_cmp(&now, &next_update) > 0)
            f |= MBEDTLS_X509_BADCRL_EXPIRED;
        if (bri_tls_tm_cmp(&now, &this_update) < 0)
            f |= MBEDTLS_X509_BADCRL_FUTURE;
    }
    return f;
}

static int describe(brisa_tls *t, const mbedtls_x509_crt *crt, uint32_t flags)
{
    int err = bri_tls_mbedtls_flags_err(flags);
    char subject[160], issuer[160], names[256] = "", serial[80], reason[160];
    name_words(subject, sizeof subject, &crt->subject);
    name_words(issuer, sizeof issuer, &crt->issuer);
    if (each_san(crt, list_one, names) == 0)
        snprintf(names, sizeof names, "%s", subject);
    if (mbedtls_x509_serial_gets(serial, sizeof serial, &crt->serial) < 0)
        snprintf(serial, sizeof serial, "?");
    /* plain hex, as OpenSSL prints it: "10:04" -> "1004" */
    size_t w = 0;
    for (size_t r = 0; serial[r] != '\0'; r++) {
        if (serial[r] != ':')
            serial[w++] = serial[r];
    }
    serial[w] = '\0';
    if (mbedtls_x509_crt_verify_info(reason, sizeof reason, "", flags) < 0)
        reason[0] = '\0';
    char *nl = strchr(reason, '\n');
    if (nl != NULL)
        *nl = '\0';
    bri_tls_cert_facts f = {
        .subject = subject, .issuer = issuer, .names = names, .serial = serial,
        .reason = reason, .not_before = tm_of(&crt->valid_from),
        .not_after = tm_of(&crt->valid_to),
    };
    if (err == BRISA_ERR_TLS_CREDENTIALS)
        return bri_tls_fail(t, err, "%s: the CRL for %s: %s",
                               brisa_err_str(err), subject, reason);
    return bri_tls_cert_fail(t, err, &f);
}

int bri_tls_mbedtls_verify(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    brisa_tls *t = ctx;
    bri_tls_mbed *be = t->be;
    be->verify_called = true; /* so the handshake was not a resumption */
    uint32_t f = *flags & ~(uint32_t)(TIME_FLAGS | MBEDTLS_X509_BADCERT_CN_MISMATCH);
    if (!t->skip_time_check)
        f |= date_flags(t, crt);
    if (depth == 0 && !t->insecure && !bri_tls_mbedtls_name_ok(t, crt))
        f |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
    *flags = f;
    if (t->debug_level >= 3) {
        char subject[160];
        name_words(subject, sizeof subject, &crt->subject);
        bri_tls_log(t, 3, "certificate depth %d: %s: %s", depth, subject,
                       f ? "REFUSED" : "ok");
    }
    /* The chain is walked from the top: the first failure is the most
     * fundamental one (an untrusted CA before an expired leaf). */
    if (f != 0 && be->verify_err == 0)
        be->verify_err = describe(t, crt, f);
    return 0;
}
