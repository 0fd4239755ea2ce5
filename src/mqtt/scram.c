// SPDX-License-Identifier: MIT
/* SCRAM-SHA-256 client (RFC 5802 section 3, RFC 7677): the messages, the
 * key derivation through the caller's brisa_crypto, and base64. */
#include <string.h>

#include "brisa/err.h"
#include "brisa/mqtt_scram.h"
#include "brisa/sha1.h" /* brisa_base64_encode */

#if BRISA_MQTT5 /* enhanced authentication is MQTT 5's */

enum { S_START = 0, S_SENT_FIRST, S_SENT_FINAL, S_DONE };

#define NONCE_BYTES 18 /* 24 base64 characters */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_value(char c)
{
    const char *p = c ? strchr(b64, c) : NULL;
    return p ? (int)(p - b64) : -1;
}

/* Strict base64 into @p out (@p max bytes). Returns the length or -1. */
static int b64_decode(const char *in, size_t len, uint8_t *out, size_t max)
{
    if (len % 4)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        for (int k = 0; k < 4; k++) {
            bool pad = in[i + k] == '=' && i + 4 == len && k >= 2 &&
                       (k == 3 || in[i + 3] == '=');
            v[k] = pad ? 0 : b64_value(in[i + k]);
            if (v[k] < 0)
                return -1;
        }
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        size_t n = in[i + 2] == '=' ? 1 : in[i + 3] == '=' ? 2 : 3;
        /* Canonical only: the bits padding leaves over must be zero. */
        if (o + n > max || (w & ((1u << (8 * (3 - n))) - 1u)))
            return -1;
        for (size_t k = 0; k < n; k++)
            out[o++] = (uint8_t)(w >> (16 - 8 * k));
    }
    return (int)o;
}

/* Appends to the AuthMessage; false when it would not fit. */
static bool msg_add(brisa_scram *s, const char *p, size_t len)
{
    if (len > sizeof s->msg - s->msg_len)
        return false;
    memcpy(s->msg + s->msg_len, p, len);
    s->msg_len += len;
    return true;
}

/* The value of attribute @p a ("r", "s", "i", "v", "e") in a comma list. */
static bool attr(const char *m, size_t len, char a, const char **v, size_t *vlen)
{
    size_t i = 0;
    while (i + 1 < len) {
        size_t end = i;
        while (end < len && m[end] != ',')
            end++;
        if (m[i] == a && m[i + 1] == '=') {
            *v = m + i + 2;
            *vlen = end - i - 2;
            return true;
        }
        i = end + 1;
    }
    return false;
}

brisa_err brisa_scram_init(brisa_scram *s, const brisa_crypto *crypto, const brisa_rng *rng,
                           const char *user, const uint8_t *password, size_t password_len,
                           const char *nonce)
{
    if (!s || !crypto || !crypto->sha256 || !crypto->hmac_sha256 || !crypto->pbkdf2_sha256 ||
        !user || (!password && password_len) || (!nonce && (!rng || !rng->fill)) ||
        (nonce && (strlen(nonce) >= sizeof s->nonce || strchr(nonce, ','))))
        return BRISA_ERR_INVALID_ARG;
    memset(s, 0, sizeof *s);
    s->crypto = *crypto;
    if (rng)
        s->rng = *rng;
    s->user = user;
    s->password = password;
    s->password_len = password_len;
    s->fixed_nonce = nonce;
    return BRISA_OK;
}

void brisa_scram_auth(brisa_scram *s, brisa_mqtt_auth *out)
{
    out->method = BRISA_SCRAM_METHOD;
    out->step = brisa_scram_step;
    out->ctx = s;
}

/* client-first-message: "n,," then the bare part, which the AuthMessage
 * starts with. The user name escapes ',' and '=' (RFC 5802 5.1). */
static int client_first(brisa_scram *s, uint8_t *out, size_t size)
{
    if (s->fixed_nonce) {
        strcpy(s->nonce, s->fixed_nonce);
    } else {
        uint8_t raw[NONCE_BYTES];
        int err = s->rng.fill(s->rng.ctx, raw, sizeof raw);
        if (err)
            return err;
        (void)brisa_base64_encode(raw, sizeof raw, s->nonce, sizeof s->nonce); /* 24 + NUL fit */
    }
    s->msg_len = 0;
    bool ok = msg_add(s, "n=", 2);
    for (const char *u = s->user; ok && *u; u++)
        ok = *u == ',' ? msg_add(s, "=2C", 3) : *u == '=' ? msg_add(s, "=3D", 3)
                                                        : msg_add(s, u, 1);
    ok = ok && msg_add(s, ",r=", 3) && msg_add(s, s->nonce, strlen(s->nonce));
    if (!ok || size < 3 + s->msg_len)
        return BRISA_ERR_NO_SPACE;
    memcpy(out, "n,,", 3); /* NOLINT(bugprone-not-null-terminated-result): a message, not a string */
    memcpy(out + 3, s->msg, s->msg_len);
    s->state = S_SENT_FIRST;
    return (int)(3 + s->msg_len);
}

/* Server-first in, client-final out: derives the keys, proves we know
 * the password, remembers what the server must prove back. */
static int client_final(brisa_scram *s, const char *in, size_t in_len, uint8_t *out,
                        size_t size)
{
    const char *r, *salt64, *iter;
    size_t rlen, slen, ilen;
    if (!attr(in, in_len, 'r', &r, &rlen) || !attr(in, in_len, 's', &salt64, &slen) ||
        !attr(in, in_len, 'i', &iter, &ilen) || in[0] == 'm')
        return BRISA_ERR_MALFORMED;
    size_t nlen = strlen(s->nonce);
    if (rlen <= nlen || memcmp(r, s->nonce, nlen) != 0)
        return BRISA_ERR_MALFORMED; /* the server's nonce must extend ours */
    uint8_t salt[64];
    int saltn = b64_decode(salt64, slen, salt, sizeof salt);
    uint32_t iterations = 0;
    for (size_t i = 0; i < ilen; i++) {
        if (iter[i] < '0' || iter[i] > '9' || iterations > 100000000u)
            return BRISA_ERR_MALFORMED;
        iterations = iterations * 10 + (uint32_t)(iter[i] - '0');
    }
    if (saltn <= 0 || iterations == 0)
        return BRISA_ERR_MALFORMED;
    /* AuthMessage = client-first-bare "," server-first "," client-final
     * without proof; "biws" is base64("n,,"). */
    size_t without_proof_at = s->msg_len + 1 + in_len + 1;
    if (!msg_add(s, ",", 1) || !msg_add(s, in, in_len) || !msg_add(s, ",c=biws,r=", 10) ||
        !msg_add(s, r, rlen))
        return BRISA_ERR_NO_SPACE;
    uint8_t salted[BRISA_SHA256_LEN], client_key[BRISA_SHA256_LEN], stored[BRISA_SHA256_LEN],
        sig[BRISA_SHA256_LEN], server_key[BRISA_SHA256_LEN];
    const brisa_crypto *c = &s->crypto;
    int err = c->pbkdf2_sha256(c->ctx, s->password, s->password_len, salt, (size_t)saltn,
                               iterations, salted, sizeof salted);
    if (!err)
        err = c->hmac_sha256(c->ctx, salted, sizeof salted, (const uint8_t *)"Client Key", 10,
                             client_key);
    if (!err)
        err = c->sha256(c->ctx, client_key, sizeof client_key, stored);
    if (!err)
        err = c->hmac_sha256(c->ctx, stored, sizeof stored, (const uint8_t *)s->msg, s->msg_len,
                             sig);
    if (!err)
        err = c->hmac_sha256(c->ctx, salted, sizeof salted, (const uint8_t *)"Server Key", 10,
                             server_key);
    if (!err)
        err = c->hmac_sha256(c->ctx, server_key, sizeof server_key, (const uint8_t *)s->msg,
                             s->msg_len, s->server_signature);
    if (err)
        return err;
    for (size_t i = 0; i < sizeof sig; i++)
        sig[i] ^= client_key[i]; /* ClientProof */
    size_t wp = s->msg_len - without_proof_at;
    if (size < wp + 3 + BRISA_BASE64_SIZE(sizeof sig))
        return BRISA_ERR_NO_SPACE;
    memcpy(out, s->msg + without_proof_at, wp);
    memcpy(out + wp, ",p=", 3); /* NOLINT(bugprone-not-null-terminated-result): a message, not a string */
    size_t n = wp + 3 + (size_t)brisa_base64_encode(sig, sizeof sig, (char *)out + wp + 3,
                                                    size - wp - 3);
    s->state = S_SENT_FINAL;
    return (int)n;
}

/* server-final-message: "v=" and the server's signature, or "e=". */
static int verify(brisa_scram *s, const char *in, size_t in_len)
{
    const char *v;
    size_t vlen;
    uint8_t got[BRISA_SHA256_LEN + 2];
    if (!attr(in, in_len, 'v', &v, &vlen))
        return BRISA_ERR_REFUSED;
    int n = b64_decode(v, vlen, got, sizeof got);
    uint8_t diff = n == BRISA_SHA256_LEN ? 0 : 1;
    for (size_t i = 0; n == BRISA_SHA256_LEN && i < BRISA_SHA256_LEN; i++)
        diff |= (uint8_t)(got[i] ^ s->server_signature[i]);
    s->state = S_DONE;
    return diff ? BRISA_ERR_REFUSED : 0;
}

int brisa_scram_step(void *ctx, uint8_t reason, const uint8_t *in, size_t in_len,
                     uint8_t *out, size_t out_size)
{
    brisa_scram *s = ctx;
    if (!s || (!in && in_len) || (!out && out_size))
        return BRISA_ERR_INVALID_ARG;
    switch (reason) {
    case 0x19:
        return client_first(s, out, out_size);
    case 0x18:
        if (s->state != S_SENT_FIRST)
            return BRISA_ERR_STATE;
        return client_final(s, (const char *)in, in_len, out, out_size);
    case 0x00:
        if (s->state != S_SENT_FINAL)
            return BRISA_ERR_STATE; /* success before we proved anything */
        return verify(s, (const char *)in, in_len);
    default:
        return BRISA_ERR_STATE;
    }
}

#endif /* BRISA_MQTT5 */
