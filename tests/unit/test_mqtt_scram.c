// SPDX-License-Identifier: MIT
/* Tests for the SCRAM-SHA-256 client (src/mqtt/scram.c) with each TLS
 * backend's hashes (brisa_tls_crypto): the exchange of RFC 7677 section 3
 * byte for byte, a wrong server signature, an "e=" error, a server nonce
 * that does not extend ours, malformed server messages, steps out of
 * order, and user names that need escaping. */
#include "cmocka_all.h"

#include <string.h>

#include "brisa/mqtt_scram.h"
#include "brisa/tls_crypto.h"

static const char FIRST[] = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
static const char SERVER_FIRST[] =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
static const char FINAL[] = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                            "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
static const char SERVER_FINAL[] = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

static int step(brisa_scram *s, uint8_t reason, const char *in, char *out, size_t size)
{
    int n = brisa_scram_step(s, reason, (const uint8_t *)in, in ? strlen(in) : 0,
                             (uint8_t *)out, size);
    if (n >= 0)
        out[n] = 0;
    return n;
}

static void rfc7677(brisa_tls_backend backend)
{
    brisa_crypto c;
    if (brisa_tls_crypto(backend, &c) != BRISA_OK)
        return; /* backend not built in */
    brisa_scram s;
    assert_int_equal(brisa_scram_init(&s, &c, NULL, "user", (const uint8_t *)"pencil", 6,
                                      "rOprNGfwEbeRWgbNEkqO"), BRISA_OK);
    brisa_mqtt_auth a;
    brisa_scram_auth(&s, &a);
    assert_string_equal(a.method, "SCRAM-SHA-256");
    char out[256];
    assert_int_equal(step(&s, 0x19, NULL, out, sizeof out), (int)strlen(FIRST));
    assert_string_equal(out, FIRST);
    assert_int_equal(step(&s, 0x18, SERVER_FIRST, out, sizeof out), (int)strlen(FINAL));
    assert_string_equal(out, FINAL);
    assert_int_equal(step(&s, 0x00, SERVER_FINAL, out, sizeof out), 0);

    /* The same exchange with the server's signature altered, in a bit that
     * counts and in one base64 padding leaves over (not canonical). */
    static const char *const forged[] = {
        "v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
        "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G5=",
        "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G",
    };
    for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        step(&s, 0x19, NULL, out, sizeof out);
        step(&s, 0x18, SERVER_FIRST, out, sizeof out);
        assert_int_equal(step(&s, 0x00, forged[i], out, sizeof out), BRISA_ERR_REFUSED);
    }
    step(&s, 0x19, NULL, out, sizeof out);
    step(&s, 0x18, SERVER_FIRST, out, sizeof out);
    assert_int_equal(step(&s, 0x00, "e=invalid-proof", out, sizeof out), BRISA_ERR_REFUSED);
}

static void test_rfc7677_mbedtls(void **state)
{
    (void)state;
    rfc7677(BRISA_TLS_MBEDTLS);
}

static void test_rfc7677_openssl(void **state)
{
    (void)state;
    rfc7677(BRISA_TLS_OPENSSL);
}

static void test_bad_server_messages(void **state)
{
    (void)state;
    brisa_crypto c;
    assert_int_equal(brisa_tls_crypto(BRISA_TLS_MBEDTLS, &c), BRISA_OK);
    brisa_scram s;
    assert_int_equal(brisa_scram_init(&s, &c, NULL, "us,e=r", (const uint8_t *)"p", 1, "abc"),
                     BRISA_OK);
    char out[256];
    assert_true(step(&s, 0x19, NULL, out, sizeof out) > 0);
    assert_string_equal(out, "n,,n=us=2Ce=3Dr,r=abc");
    /* Success before our proof: nothing was proved. */
    assert_int_equal(step(&s, 0x00, "v=AAAA", out, sizeof out), BRISA_ERR_STATE);
    static const char *const bad[] = {
        "r=xyz123,s=QUJD,i=4096",        /* does not extend our nonce */
        "r=abc,s=QUJD,i=4096",           /* adds nothing to it */
        "r=abcd,s=Q!JD,i=4096",          /* salt not base64 */
        "r=abcd,s=QUJD,i=0",             /* no iterations */
        "r=abcd,s=QUJD,i=12x",
        "r=abcd,i=4096",                 /* no salt */
        "m=ext,r=abcd,s=QUJD,i=4096",    /* a mandatory extension */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        step(&s, 0x19, NULL, out, sizeof out);
        if (step(&s, 0x18, bad[i], out, sizeof out) != BRISA_ERR_MALFORMED)
            fail_msg("accepted server-first '%s'", bad[i]);
    }
    /* Too little room for client-first. */
    assert_int_equal(step(&s, 0x19, NULL, out, 8), BRISA_ERR_NO_SPACE);
    assert_int_equal(brisa_scram_init(&s, &c, NULL, "u", NULL, 0, NULL), BRISA_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc7677_mbedtls),
        cmocka_unit_test(test_rfc7677_openssl),
        cmocka_unit_test(test_bad_server_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
