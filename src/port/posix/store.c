// SPDX-License-Identifier: MIT
/* The POSIX file store for the MQTT client's in-flight state: one file
 * per record, written beside its name, fsync'd and renamed into place. */
#include "brisa/port/posix_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brisa/err.h"

#define MAGIC "BRQ1"
#define HEADER_LEN 20u /* magic, seq, id, kind, qos, retain, pad, topic len, payload len */
/* A PUBLISH with MQTT 5 properties: "BRQ2", the same header, the
 * properties' length, and the properties after the payload. Records
 * without properties stay BRQ1, as earlier versions wrote and read them. */
#define MAGIC_PROPS "BRQ2"
#define HEADER_PROPS_LEN 24u
#define CRC_LEN 4u
#define MAX_RECORD ((uint64_t)HEADER_PROPS_LEN + 65535u + 2u * 268435455u + CRC_LEN)

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    static uint32_t table[256];
    static bool ready;
    if (!ready) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1u ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        ready = true;
    }
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

static void put_u16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    put_u16(p, v);
    put_u16(p + 2, v >> 16);
}

static uint32_t get_u16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get_u32(const uint8_t *p)
{
    return get_u16(p) | get_u16(p + 2) << 16;
}

/* "<dir>[/<name>]: <what>[: <why>]" into s->error; returns @p err. */
static int set_error(brisa_posix_store *s, int err, const char *name, const char *what,
                     const char *why)
{
    snprintf(s->error, sizeof s->error, "%s%s%s: %s%s%s", s->dir, name[0] ? "/" : "", name,
             what, why[0] ? ": " : "", why);
    return err;
}

static void record_name(char *out, size_t size, uint16_t id, bool incoming)
{
    snprintf(out, size, "%s-%u", incoming ? "in" : "out", (unsigned)id);
}

/* Flushes the directory so a rename or unlink in it survives a power cut. */
static int sync_dir(brisa_posix_store *s)
{
    if (!s->sync)
        return 0;
    int fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

brisa_err brisa_posix_store_open(brisa_posix_store *s, const char *dir, bool sync)
{
    if (!s || !dir || !dir[0] || strlen(dir) >= sizeof s->dir)
        return BRISA_ERR_INVALID_ARG;
    memset(s, 0, sizeof *s);
    strcpy(s->dir, dir);
    s->sync = sync;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return set_error(s, BRISA_ERR_IO, "", "cannot create", strerror(errno));
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return set_error(s, BRISA_ERR_IO, "", "not a directory", "");
    return BRISA_OK;
}

static int write_all(int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int store_record(void *ctx, const brisa_mqtt_record *r)
{
    brisa_posix_store *s = ctx;
    char name[32], path[300], tmp[310];
    record_name(name, sizeof name, r->packet_id, r->kind == BRISA_MQTT_REC_INCOMING);
    snprintf(path, sizeof path, "%s/%s", s->dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    size_t topic_len = r->kind == BRISA_MQTT_REC_PUBLISH ? r->topic_len : 0;
    size_t payload_len = r->kind == BRISA_MQTT_REC_PUBLISH ? r->payload_len : 0;
    size_t props_len = r->kind == BRISA_MQTT_REC_PUBLISH && r->props ? r->props_len : 0;
    if (topic_len > 65535u || payload_len > 268435455u || props_len > 268435455u)
        return BRISA_ERR_TOO_LARGE;
    uint8_t h[HEADER_PROPS_LEN];
    size_t hl = props_len ? HEADER_PROPS_LEN : HEADER_LEN;
    memcpy(h, props_len ? MAGIC_PROPS : MAGIC, 4);
    put_u32(h + 4, r->seq);
    put_u16(h + 8, r->packet_id);
    h[10] = r->kind;
    h[11] = r->qos;
    h[12] = r->retain ? 1 : 0;
    h[13] = 0;
    put_u16(h + 14, (uint32_t)topic_len);
    put_u32(h + 16, (uint32_t)payload_len);
    put_u32(h + 20, (uint32_t)props_len);
    uint32_t crc = crc32_update(0, h, hl);
    crc = crc32_update(crc, (const uint8_t *)r->topic, topic_len);
    crc = crc32_update(crc, r->payload, payload_len);
    crc = crc32_update(crc, r->props, props_len);
    uint8_t tail[CRC_LEN];
    put_u32(tail, crc);

    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return set_error(s, BRISA_ERR_IO, name, "cannot write", strerror(errno));
    int rc = write_all(fd, h, hl);
    if (rc == 0 && topic_len)
        rc = write_all(fd, r->topic, topic_len);
    if (rc == 0 && payload_len)
        rc = write_all(fd, r->payload, payload_len);
    if (rc == 0 && props_len)
        rc = write_all(fd, r->props, props_len);
    if (rc == 0)
        rc = write_all(fd, tail, sizeof tail);
    if (rc == 0 && s->sync)
        rc = fsync(fd);
    int saved = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0) {
        unlink(tmp);
        return set_error(s, BRISA_ERR_IO, name, "cannot write", strerror(saved));
    }
    if (sync_dir(s) != 0)
        return set_error(s, BRISA_ERR_IO, "", "cannot flush the directory", strerror(errno));
    return BRISA_OK;
}

static int remove_record(void *ctx, uint16_t packet_id, bool incoming)
{
    brisa_posix_store *s = ctx;
    char name[32], path[300];
    record_name(name, sizeof name, packet_id, incoming);
    snprintf(path, sizeof path, "%s/%s", s->dir, name);
    if (unlink(path) != 0 && errno != ENOENT)
        return set_error(s, BRISA_ERR_IO, name, "cannot remove", strerror(errno));
    /* No directory flush: a record that comes back after a power cut is
     * resent, which the broker's session (or QoS 1) tolerates. */
    return BRISA_OK;
}

/* Reads @p path whole into a malloc'd buffer. Returns NULL with errno. */
static uint8_t *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    uint8_t *buf = NULL;
    if (fstat(fd, &st) == 0 && (uint64_t)st.st_size <= MAX_RECORD &&
        (buf = malloc((size_t)st.st_size + 1)) != NULL) {
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        *len = got;
    } else if (buf == NULL) {
        errno = errno ? errno : EFBIG;
    }
    close(fd);
    return buf;
}

/* Checks a record's bytes; NULL when sound, else what is wrong. */
static const char *check(const uint8_t *b, size_t len, const char *name,
                         brisa_mqtt_record *r)
{
    if (len < HEADER_LEN + CRC_LEN)
        return "truncated";
    bool with_props = memcmp(b, MAGIC_PROPS, 4) == 0;
    if (memcmp(b, MAGIC, 4) != 0 && !with_props)
        return "not a brisa record (bad magic)";
    size_t hl = with_props ? HEADER_PROPS_LEN : HEADER_LEN;
    if (len < hl + CRC_LEN)
        return "truncated";
    uint64_t topic_len = get_u16(b + 14), payload_len = get_u32(b + 16);
    uint64_t props_len = with_props ? get_u32(b + 20) : 0;
    if (len != hl + topic_len + payload_len + props_len + CRC_LEN)
        return "truncated or padded (length does not match its header)";
    if (crc32_update(0, b, len - CRC_LEN) != get_u32(b + len - CRC_LEN))
        return "bad checksum";
    memset(r, 0, sizeof *r);
    r->seq = get_u32(b + 4);
    r->packet_id = (uint16_t)get_u16(b + 8);
    r->kind = b[10];
    r->qos = b[11];
    r->retain = b[12] != 0;
    r->topic = (const char *)b + hl;
    r->topic_len = (size_t)topic_len;
    r->payload = b + hl + topic_len;
    r->payload_len = (size_t)payload_len;
    r->props = props_len ? r->payload + payload_len : NULL;
    r->props_len = (size_t)props_len;
    char want[32];
    record_name(want, sizeof want, r->packet_id, r->kind == BRISA_MQTT_REC_INCOMING);
    if (strcmp(want, name) != 0)
        return "its contents belong to another record (name does not match)";
    bool publish = r->kind == BRISA_MQTT_REC_PUBLISH;
    if (r->kind < BRISA_MQTT_REC_PUBLISH || r->kind > BRISA_MQTT_REC_INCOMING ||
        r->packet_id == 0 || (publish && (r->qos < 1 || r->qos > 2 || topic_len == 0)) ||
        (!publish && (topic_len || payload_len || props_len)) || (with_props && !props_len))
        return "fields out of range";
    return NULL;
}

static bool is_record_name(const char *n)
{
    const char *digits = strncmp(n, "out-", 4) == 0 ? n + 4
                         : strncmp(n, "in-", 3) == 0 ? n + 3 : NULL;
    if (!digits || !*digits)
        return false;
    for (; *digits; digits++)
        if (*digits < '0' || *digits > '9')
            return false;
    return true;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int load_records(void *ctx, brisa_mqtt_record_fn fn, void *arg)
{
    brisa_posix_store *s = ctx;
    s->corrupt = 0;
    s->error[0] = '\0';
    DIR *d = opendir(s->dir);
    if (!d)
        return set_error(s, BRISA_ERR_IO, "", "cannot read", strerror(errno));
    int result = BRISA_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", s->dir, de->d_name);
        if (ends_with(de->d_name, ".tmp") && strlen(de->d_name) < 40) {
            unlink(path); /* never renamed into place: never sent */
            continue;
        }
        if (!is_record_name(de->d_name))
            continue;
        size_t len = 0;
        uint8_t *buf = read_file(path, &len);
        if (!buf) {
            result = set_error(s, BRISA_ERR_IO, de->d_name, "cannot read", strerror(errno));
            break;
        }
        brisa_mqtt_record r;
        const char *why = check(buf, len, de->d_name, &r);
        int err = why ? BRISA_OK : fn(arg, &r);
        free(buf);
        if (why) {
            char aside[620];
            snprintf(aside, sizeof aside, "%s.corrupt", path);
            rename(path, aside);
            s->corrupt++;
            set_error(s, BRISA_ERR_MALFORMED, de->d_name, why,
                      "not replayed, moved aside to .corrupt");
            result = BRISA_ERR_MALFORMED;
        } else if (err < 0) {
            result = set_error(s, err, de->d_name, "the client could not take it back",
                               brisa_err_str(err));
            break;
        }
    }
    closedir(d);
    return result;
}

brisa_mqtt_store brisa_posix_store_iface(brisa_posix_store *s)
{
    brisa_mqtt_store st = { s, store_record, remove_record, load_records };
    return st;
}

const char *brisa_posix_store_error(const brisa_posix_store *s)
{
    return s ? s->error : "";
}
