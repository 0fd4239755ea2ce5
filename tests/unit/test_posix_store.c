// SPDX-License-Identifier: MIT
/* Tests for the POSIX file store (posix_store.h): records written, replaced,
 * removed and read back, MQTT 5 properties with them; damaged files (flipped byte, truncated, renamed,
 * not ours) reported and moved aside, never handed over; leftovers of an
 * interrupted write removed. Works in a fresh directory under /tmp. */
#include "cmocka_all.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brisa/err.h"
#include "brisa/port/posix_store.h"

typedef struct seen {
    brisa_mqtt_record r[16];
    char topic[16][32];
    uint8_t payload[16][32];
    uint8_t props[16][32];
    size_t n;
} seen;

static int collect(void *arg, const brisa_mqtt_record *r)
{
    seen *s = arg;
    assert_true(s->n < 16);
    s->r[s->n] = *r;
    assert_true(r->topic_len < 32 && r->payload_len <= 32);
    memcpy(s->topic[s->n], r->topic ? r->topic : "", r->topic_len);
    memcpy(s->payload[s->n], r->payload ? r->payload : (const uint8_t *)"", r->payload_len);
    assert_true(r->props_len <= 32 && (r->props_len == 0) == (r->props == NULL));
    if (r->props_len)
        memcpy(s->props[s->n], r->props, r->props_len);
    s->n++;
    return 0;
}

typedef struct fx {
    char dir[64];
    brisa_posix_store st;
    brisa_mqtt_store iface;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    strcpy(f->dir, "/tmp/brisa-store-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    strcat(f->dir, "/q"); /* created by open */
    if (brisa_posix_store_open(&f->st, f->dir, true) != BRISA_OK) {
        free(f);
        return -1;
    }
    f->iface = brisa_posix_store_iface(&f->st);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    DIR *d = opendir(f->dir);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        char p[400];
        snprintf(p, sizeof p, "%s/%s", f->dir, de->d_name);
        if (de->d_name[0] != '.')
            unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(f->dir);
    *strrchr(f->dir, '/') = '\0';
    rmdir(f->dir);
    free(f);
    return 0;
}

static brisa_mqtt_record pub(uint16_t id, uint32_t seq, const char *topic, const char *payload)
{
    brisa_mqtt_record r = { .seq = seq, .packet_id = id, .kind = BRISA_MQTT_REC_PUBLISH,
                            .qos = 1, .topic = topic, .topic_len = strlen(topic),
                            .payload = (const uint8_t *)payload,
                            .payload_len = strlen(payload) };
    return r;
}

static const brisa_mqtt_record *find(const seen *s, uint16_t id, uint8_t kind)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->r[i].packet_id == id && s->r[i].kind == kind)
            return &s->r[i];
    return NULL;
}

static void test_store_load_remove(void **state)
{
    fx *f = *state;
    brisa_mqtt_record a = pub(1, 10, "a/b", "hello");
    brisa_mqtt_record b = pub(2, 11, "c", "");
    b.qos = 2;
    b.retain = true;
    brisa_mqtt_record in = { .seq = 12, .packet_id = 2, .kind = BRISA_MQTT_REC_INCOMING };
    assert_int_equal(f->iface.store(f->iface.ctx, &a), BRISA_OK);
    assert_int_equal(f->iface.store(f->iface.ctx, &b), BRISA_OK);
    assert_int_equal(f->iface.store(f->iface.ctx, &in), BRISA_OK);
    /* b moves to its second half: replaced, topic and payload gone. */
    brisa_mqtt_record rel = { .seq = 13, .packet_id = 2, .kind = BRISA_MQTT_REC_PUBREL };
    assert_int_equal(f->iface.store(f->iface.ctx, &rel), BRISA_OK);
    seen s = { .n = 0 };
    assert_int_equal(f->iface.load(f->iface.ctx, collect, &s), BRISA_OK);
    assert_int_equal(s.n, 3);
    const brisa_mqtt_record *x = find(&s, 1, BRISA_MQTT_REC_PUBLISH);
    assert_non_null(x);
    assert_int_equal(x->seq, 10);
    assert_int_equal(x->qos, 1);
    size_t i = (size_t)(x - s.r);
    assert_memory_equal(s.topic[i], "a/b", 3);
    assert_memory_equal(s.payload[i], "hello", 5);
    assert_non_null(find(&s, 2, BRISA_MQTT_REC_PUBREL));
    assert_non_null(find(&s, 2, BRISA_MQTT_REC_INCOMING));
    assert_int_equal(f->iface.remove(f->iface.ctx, 2, false), BRISA_OK);
    assert_int_equal(f->iface.remove(f->iface.ctx, 2, true), BRISA_OK);
    assert_int_equal(f->iface.remove(f->iface.ctx, 99, true), BRISA_OK); /* none: fine */
    s.n = 0;
    assert_int_equal(f->iface.load(f->iface.ctx, collect, &s), BRISA_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(brisa_posix_store_error(&f->st), "");
}

static void path_of(const fx *f, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", f->dir, name);
}

static void write_bytes(const char *path, const uint8_t *b, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(b, 1, n, fp), n);
    fclose(fp);
}

static size_t read_bytes(const char *path, uint8_t *b, size_t max)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    size_t n = fread(b, 1, max, fp);
    fclose(fp);
    return n;
}

/* Each kind of damage is caught, named with the file, moved aside, and the
 * sound records are still handed over. */
static void test_corruption_reported(void **state)
{
    fx *f = *state;
    for (uint16_t id = 1; id <= 5; id++) {
        brisa_mqtt_record r = pub(id, id, "t", "payload");
        assert_int_equal(f->iface.store(f->iface.ctx, &r), BRISA_OK);
    }
    char p[400], q[400];
    uint8_t b[128];
    path_of(f, "out-1", p, sizeof p); /* a flipped payload byte */
    size_t n = read_bytes(p, b, sizeof b);
    b[22] ^= 0x20;
    write_bytes(p, b, n);
    path_of(f, "out-2", p, sizeof p); /* truncated */
    n = read_bytes(p, b, sizeof b);
    write_bytes(p, b, n - 3);
    path_of(f, "out-3", p, sizeof p); /* out-3's bytes under another name */
    n = read_bytes(p, b, sizeof b);
    path_of(f, "out-33", q, sizeof q);
    write_bytes(q, b, n);
    path_of(f, "out-4", p, sizeof p); /* not ours at all */
    write_bytes(p, (const uint8_t *)"hello world, not a record", 25);
    path_of(f, "out-6.tmp", p, sizeof p); /* a write cut before its rename */
    write_bytes(p, b, 5);
    seen s = { .n = 0 };
    assert_int_equal(f->iface.load(f->iface.ctx, collect, &s), BRISA_ERR_MALFORMED);
    assert_int_equal(f->st.corrupt, 4);
    assert_int_equal(s.n, 2); /* out-3 and out-5 */
    assert_non_null(find(&s, 3, BRISA_MQTT_REC_PUBLISH));
    assert_non_null(find(&s, 5, BRISA_MQTT_REC_PUBLISH));
    const char *why = brisa_posix_store_error(&f->st);
    assert_non_null(strstr(why, f->dir));
    assert_non_null(strstr(why, "not replayed"));
    struct stat st;
    path_of(f, "out-1.corrupt", p, sizeof p);
    assert_int_equal(stat(p, &st), 0);
    path_of(f, "out-1", p, sizeof p);
    assert_int_not_equal(stat(p, &st), 0);
    path_of(f, "out-6.tmp", p, sizeof p);
    assert_int_not_equal(stat(p, &st), 0);
    /* Moved aside: the next load is clean. */
    s.n = 0;
    assert_int_equal(f->iface.load(f->iface.ctx, collect, &s), BRISA_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(f->st.corrupt, 0);
}

/* What each kind of damage is called. */
static void test_corruption_named(void **state)
{
    fx *f = *state;
    static const struct {
        size_t cut;   /* bytes kept (0: all) */
        size_t flip;  /* byte flipped (0: none) */
        const char *why;
    } cases[] = {
        { 10, 0, "truncated" },
        { 0, 1, "bad magic" },
        { 0, 21, "bad checksum" },
        { 26, 0, "length does not match" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        brisa_mqtt_record r = pub(7, 1, "t", "payload");
        assert_int_equal(f->iface.store(f->iface.ctx, &r), BRISA_OK);
        char p[400];
        uint8_t b[128];
        path_of(f, "out-7", p, sizeof p);
        size_t n = read_bytes(p, b, sizeof b);
        if (cases[i].flip)
            b[cases[i].flip] ^= 1;
        write_bytes(p, b, cases[i].cut ? cases[i].cut : n);
        seen s = { .n = 0 };
        assert_int_equal(f->iface.load(f->iface.ctx, collect, &s), BRISA_ERR_MALFORMED);
        assert_int_equal(s.n, 0);
        if (!strstr(brisa_posix_store_error(&f->st), cases[i].why))
            fail_msg("case %zu: '%s' does not say '%s'", i, brisa_posix_store_error(&f->st),
                     cases[i].why);
    }
}

/* Loads everything into @p s: the load's result and the records handed
 * over must be these. */
static void load_expect(fx *f, seen *s, int err, size_t n)
{
    s->n = 0;
    assert_int_equal(f->iface.load(f->iface.ctx, collect, s), err);
    assert_int_equal(s->n, n);
}

/* A PUBLISH's MQTT 5 properties come back as they were stored, covered
 * by the checksum and the length check; a record without properties keeps
 * the format earlier versions wrote (BRQ1). */
static void test_properties_kept(void **state)
{
    fx *f = *state;
    static const uint8_t pr[] = { 0x02, 0, 0, 0, 30, 0x09, 0, 2, 0xC0, 0xFF };
    brisa_mqtt_record a = pub(1, 1, "t", "payload"), b = pub(2, 2, "u", "p");
    a.props = pr;
    a.props_len = sizeof pr;
    assert_int_equal(f->iface.store(f->iface.ctx, &a), BRISA_OK);
    assert_int_equal(f->iface.store(f->iface.ctx, &b), BRISA_OK);
    seen s;
    load_expect(f, &s, BRISA_OK, 2);
    const brisa_mqtt_record *x = find(&s, 1, BRISA_MQTT_REC_PUBLISH);
    assert_non_null(x);
    assert_int_equal(x->props_len, sizeof pr);
    assert_memory_equal(s.props[x - s.r], pr, sizeof pr);
    assert_memory_equal(s.payload[x - s.r], "payload", 7);
    assert_int_equal(find(&s, 2, BRISA_MQTT_REC_PUBLISH)->props_len, 0);
    char p[400];
    uint8_t bytes[128];
    path_of(f, "out-1", p, sizeof p);
    size_t n = read_bytes(p, bytes, sizeof bytes);
    assert_memory_equal(bytes, "BRQ2", 4);
    assert_int_equal(n, 24 + 1 + 7 + sizeof pr + 4);
    path_of(f, "out-2", p, sizeof p);
    uint8_t old[64];
    read_bytes(p, old, sizeof old);
    assert_memory_equal(old, "BRQ1", 4);
    /* The last property byte flipped, then the properties cut short. */
    path_of(f, "out-1", p, sizeof p);
    bytes[n - 5] ^= 1;
    write_bytes(p, bytes, n);
    load_expect(f, &s, BRISA_ERR_MALFORMED, 1);
    assert_non_null(strstr(brisa_posix_store_error(&f->st), "bad checksum"));
    assert_int_equal(f->iface.store(f->iface.ctx, &a), BRISA_OK);
    n = read_bytes(p, bytes, sizeof bytes);
    write_bytes(p, bytes, n - 6);
    load_expect(f, &s, BRISA_ERR_MALFORMED, 1);
    assert_non_null(strstr(brisa_posix_store_error(&f->st), "length does not match"));
}

static void test_open_errors(void **state)
{
    fx *f = *state;
    brisa_posix_store st;
    char p[400];
    path_of(f, "file", p, sizeof p);
    write_bytes(p, (const uint8_t *)"x", 1);
    assert_int_equal(brisa_posix_store_open(&st, p, true), BRISA_ERR_IO);
    assert_non_null(strstr(brisa_posix_store_error(&st), "not a directory"));
    unlink(p);
    assert_int_equal(brisa_posix_store_open(&st, "/nonexistent-brisa/a/b", true), BRISA_ERR_IO);
    assert_non_null(strstr(brisa_posix_store_error(&st), "cannot create"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_load_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corruption_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corruption_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_properties_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
