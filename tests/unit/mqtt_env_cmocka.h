// SPDX-License-Identifier: MIT
/* cmocka glue around mqtt_fakes.h shared by the MQTT client test files
 * (kept out of mqtt_fakes.c, which the fuzz targets link without cmocka). */
#ifndef BRISA_TEST_MQTT_ENV_CMOCKA_H
#define BRISA_TEST_MQTT_ENV_CMOCKA_H

#include "cmocka_all.h"
#include "mqtt_fakes.h"

/* A client with 256-byte buffers and 8 in-flight slots, not connected. */
static inline int env_setup_unconnected(void **state)
{
    *state = env_new(256, 256, 8);
    return *state ? 0 : -1;
}

static inline int env_teardown(void **state)
{
    env_delete(*state);
    return 0;
}

/* The captured output must be exactly these packets (hex, one each, in
 * order). */
static inline void expect_sent(mqtt_env *e, const char *const *want, size_t count)
{
    const char *why = env_sent_mismatch(e, want, count);
    if (why)
        fail_msg("%s", why);
}

/* The packets sent on @p t from the @p first on must be exactly these. */
static inline void expect_sent_on(const fake_transport *t, size_t first,
                                  const char *const *want, size_t count)
{
    const char *why = fake_sent_mismatch(t, first, want, count);
    if (why)
        fail_msg("%s", why);
}

#endif /* BRISA_TEST_MQTT_ENV_CMOCKA_H */
