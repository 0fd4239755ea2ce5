// SPDX-License-Identifier: MIT
/* The SCRAM-SHA-256 client's edges with a scripted hash provider (so that
 * each hash call can fail, and the server's signature is known): arguments
 * refused, a random nonce, every crypto failure passed on, messages that do
 * not fit, strict base64 in the salt and the signature, and iteration counts
 * out of range. The real hashes are checked in test_mqtt_scram.c. */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "brisa/err.h"
#include "brisa/mqtt_scram.h"

/* Every hash fills its output with 0x11; call number fail_at fails. */
typedef struct fake_crypto {
    int calls, fail_at;
} fake_crypto;

static int hit(void *ctx, uint8_t *out, size_t len)
{
    fake_crypto *f = ctx;
    if (++f->calls == f->fail_at)
        return BRISA_ERR_IO;
    memset(out, 0x11, len);
    return 0;
}

static int f_sha(void *ctx, const uint8_t *d, size_t len, uint8_t out[BRISA_SHA256_LEN])
{
    (void)d, (void)len;
    return hit(ctx, out, BRISA_SHA256_LEN);
}

static int f_hmac(void *ctx, const uint8_t *k, size_t kl, const uint8_t *d, size_t len,
                  uint8_t out[BRISA_SHA256_LEN])
{
    (void)k, (void)kl, (void)d, (void)len;
    return hit(ctx, out, BRISA_SHA256_LEN);
}

static int f_pbkdf2(void *ctx, const uint8_t *p, size_t pl, const uint8_t *s, size_t sl,
                    uint32_t it, uint8_t *out, size_t out_len)
{
    (void)p, (void)pl, (void)s, (void)sl, (void)it;
    return hit(ctx, out, out_len);
}

static fake_crypto fc;
static const brisa_crypto crypto = { &fc, f_sha, f_hmac, f_pbkdf2 };
/* base64 of 32 bytes of 0x11: the fake's server signature. */
static const char SIG[] = "v=ERERERERERERERERERERERERERERERERERERERERERE=";

static int step(brisa_scram *s, uint8_t reason, const char *in, char *out, size_t size)
{
    int n = brisa_scram_step(s, reason, (const uint8_t *)in, in ? strlen(in) : 0,
                             (uint8_t *)out, size);
    if (n >= 0 && out)
        out[n] = 0;
    return n;
}

static void init(brisa_scram *s, const char *user)
{
    memset(&fc, 0, sizeof fc);
    assert_int_equal(brisa_scram_init(s, &crypto, NULL, user, (const uint8_t *)"pw", 2, "abc"),
                     BRISA_OK);
}

static int first_then(brisa_scram *s, const char *server_first, char *out, size_t size)
{
    char buf[128];
    assert_true(step(s, 0x19, NULL, buf, sizeof buf) > 0);
    return step(s, 0x18, server_first, out, size);
}

static void test_init_refusals(void **state)
{
    (void)state;
    brisa_scram s;
    const uint8_t *pw = (const uint8_t *)"pw";
    brisa_crypto no_sha = crypto, no_hmac = crypto, no_pbkdf2 = crypto;
    no_sha.sha256 = NULL;
    no_hmac.hmac_sha256 = NULL;
    no_pbkdf2.pbkdf2_sha256 = NULL;
    brisa_rng no_fill = { NULL, NULL };
    char long_nonce[40];
    memset(long_nonce, 'n', sizeof long_nonce - 1);
    long_nonce[sizeof long_nonce - 1] = 0;
    assert_int_equal(brisa_scram_init(NULL, &crypto, NULL, "u", pw, 2, "n"), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_scram_init(&s, NULL, NULL, "u", pw, 2, "n"), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_scram_init(&s, &no_sha, NULL, "u", pw, 2, "n"), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_scram_init(&s, &no_hmac, NULL, "u", pw, 2, "n"), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_scram_init(&s, &no_pbkdf2, NULL, "u", pw, 2, "n"),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_scram_init(&s, &crypto, NULL, NULL, pw, 2, "n"), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_scram_init(&s, &crypto, NULL, "u", NULL, 2, "n"), BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_scram_init(&s, &crypto, &no_fill, "u", pw, 2, NULL),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_scram_init(&s, &crypto, NULL, "u", pw, 2, long_nonce),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_scram_init(&s, &crypto, NULL, "u", pw, 2, "a,b"),
                     BRISA_ERR_INVALID_ARG);
    /* An empty password is allowed. */
    assert_int_equal(brisa_scram_init(&s, &crypto, NULL, "u", NULL, 0, "n"), BRISA_OK);
}

static int counting_fill(void *ctx, uint8_t *buf, size_t len)
{
    int *fail = ctx;
    if (*fail)
        return BRISA_ERR_IO;
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)i;
    return 0;
}

/* Without a fixed nonce each exchange draws 18 random bytes (24 base64
 * characters); a failing generator fails the step. */
static void test_random_nonce(void **state)
{
    (void)state;
    int fail = 0;
    brisa_rng rng = { &fail, counting_fill };
    brisa_scram s;
    assert_int_equal(brisa_scram_init(&s, &crypto, &rng, "u", NULL, 0, NULL), BRISA_OK);
    char out[128];
    assert_int_equal(step(&s, 0x19, NULL, out, sizeof out), 3 + 6 + 24);
    assert_string_equal(out, "n,,n=u,r=AAECAwQFBgcICQoLDA0ODxAR");
    fail = 1;
    assert_int_equal(step(&s, 0x19, NULL, out, sizeof out), BRISA_ERR_IO);
}

/* Each of the six hash calls of client-final can fail: its error comes
 * back and nothing is sent. */
static void test_crypto_failures(void **state)
{
    (void)state;
    brisa_scram s;
    char out[256];
    for (int k = 1; k <= 6; k++) {
        init(&s, "u");
        fc.fail_at = k;
        assert_int_equal(first_then(&s, "r=abcd,s=QUJD,i=1", out, sizeof out), BRISA_ERR_IO);
        assert_int_equal(fc.calls, k);
        /* The failed step did not advance: a success now is out of order. */
        assert_int_equal(step(&s, 0x00, SIG, out, sizeof out), BRISA_ERR_STATE);
    }
    init(&s, "u");
    assert_true(first_then(&s, "r=abcd,s=QUJD,i=1", out, sizeof out) > 0);
    assert_int_equal(fc.calls, 6);
    assert_string_equal(out, "c=biws,r=abcd,p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    assert_int_equal(step(&s, 0x00, SIG, out, sizeof out), 0);
}

/* The server's signature must be exactly 32 canonical base64 bytes. */
static void test_signature_strictness(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "v=ERERERERERERERERERERERERERERERERERERERERERE", /* length not x4 */
        "v=ERERERERERERERERERERERERERERERERERERERERER==",  /* 31 bytes... */
        "v=ERERERERERERERERERERERERERERERERERERERERERERERER", /* 36 bytes: too long */
        "v=ER=RERERERERERERERERERERERERERERERERERERERE=",  /* '=' inside */
        "v=ERERERERERERERERERERERERERERERERERERERERERF=",  /* bits left over */
        "x=ERERERERERERERERERERERERERERERERERERERERERE=",  /* no v= at all */
    };
    brisa_scram s;
    char out[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        init(&s, "u");
        assert_true(first_then(&s, "r=abcd,s=QUJD,i=1", out, sizeof out) > 0);
        if (step(&s, 0x00, bad[i], out, sizeof out) != BRISA_ERR_REFUSED)
            fail_msg("accepted server-final '%s'", bad[i]);
    }
    /* A NUL inside is not base64 either. */
    init(&s, "u");
    assert_true(first_then(&s, "r=abcd,s=QUJD,i=1", out, sizeof out) > 0);
    uint8_t nul[sizeof SIG];
    memcpy(nul, SIG, sizeof SIG);
    nul[12] = 0;
    assert_int_equal(brisa_scram_step(&s, 0x00, nul, sizeof SIG - 1, (uint8_t *)out, sizeof out),
                     BRISA_ERR_REFUSED);
}

static void test_server_first_refusals(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "r=abcd,s=QUJD,i=4294967296999", /* iterations beyond any sane count */
        "r=abcd,s=QQ=A,i=1",             /* '=' before the end of a group */
        "r=abcd,s==QUJ,i=1",
        "r=abcd,s=QUJ=,i=1",             /* bits left over after padding */
        "r=abcd,s=QUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJD,i=1",
        "r",                             /* not even an attribute */
        "r=abcd,s=QUJD,i=-1",            /* a sign is not a digit */
    };
    brisa_scram s;
    char out[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        init(&s, "u");
        if (first_then(&s, bad[i], out, sizeof out) != BRISA_ERR_MALFORMED)
            fail_msg("accepted server-first '%s'", bad[i]);
        assert_int_equal(fc.calls, 0);
    }
}

/* An attribute whose name starts like another's is not that one. */
static void test_attribute_names(void **state)
{
    (void)state;
    brisa_scram s;
    char out[256];
    init(&s, "u");
    assert_true(first_then(&s, "rx,ss=1,r=abcd,s=QUJD,i=1", out, sizeof out) > 0);
    assert_string_equal(out, "c=biws,r=abcd,p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
}

/* Messages too long for the AuthMessage buffer or the caller's output. */
static void test_no_space(void **state)
{
    (void)state;
    brisa_scram s;
    char out[BRISA_SCRAM_MSG_MAX + 64];
    /* client-final does not fit the output. */
    init(&s, "u");
    assert_int_equal(first_then(&s, "r=abcd,s=QUJD,i=1", out, 40), BRISA_ERR_NO_SPACE);
    /* A user name (escaped: three times as long) beyond the buffer. */
    static char user[BRISA_SCRAM_MSG_MAX / 2];
    memset(user, ',', sizeof user - 1);
    init(&s, user);
    assert_int_equal(step(&s, 0x19, NULL, out, sizeof out), BRISA_ERR_NO_SPACE);
    /* A server-first that overflows the AuthMessage. */
    static char big[BRISA_SCRAM_MSG_MAX];
    int n = snprintf(big, sizeof big, "r=abcd,s=QUJD,i=1,x=");
    memset(big + n, 'x', sizeof big - (size_t)n - 1);
    init(&s, "u");
    assert_int_equal(first_then(&s, big, out, sizeof out), BRISA_ERR_NO_SPACE);
    assert_int_equal(fc.calls, 0);
}

static void test_step_refusals(void **state)
{
    (void)state;
    brisa_scram s;
    char out[64];
    init(&s, "u");
    assert_int_equal(brisa_scram_step(NULL, 0x19, NULL, 0, (uint8_t *)out, sizeof out),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_scram_step(&s, 0x18, NULL, 3, (uint8_t *)out, sizeof out),
                     BRISA_ERR_INVALID_ARG);
    assert_int_equal(brisa_scram_step(&s, 0x19, NULL, 0, NULL, 8), BRISA_ERR_INVALID_ARG);
    assert_int_equal(step(&s, 0x18, "r=abcd,s=QUJD,i=1", out, sizeof out), BRISA_ERR_STATE);
    assert_int_equal(step(&s, 0x87, NULL, out, sizeof out), BRISA_ERR_STATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_refusals),
        cmocka_unit_test(test_random_nonce),
        cmocka_unit_test(test_crypto_failures),
        cmocka_unit_test(test_signature_strictness),
        cmocka_unit_test(test_server_first_refusals),
        cmocka_unit_test(test_no_space),
        cmocka_unit_test(test_attribute_names),
        cmocka_unit_test(test_step_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
