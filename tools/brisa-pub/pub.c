/* brisa-pub: publish one message (or one per line of stdin) and exit,
 * with mosquitto_pub's options. QoS 1/2 messages are acknowledged before
 * the program says goodbye (DISCONNECT) and exits 0. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opts.h"
#include "session.h"

/* The largest payload a PUBLISH can carry (remaining length limit, less
 * the smallest possible topic and packet id). */
#define MAX_PAYLOAD (268435455u - 5u)

static tools_session session; /* ~20 KiB of buffers: not on the stack */

/* Reads all of @p fd into a malloc'd buffer. Returns 0 or errno. */
static int read_all(int fd, uint8_t **out, size_t *out_len)
{
    size_t cap = 65536, len = 0;
    uint8_t *buf = malloc(cap);
    if (buf == NULL)
        return ENOMEM;
    for (;;) {
        if (len == cap) {
            if (cap > MAX_PAYLOAD) {
                free(buf);
                return EFBIG;
            }
            uint8_t *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                return ENOMEM;
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            free(buf);
            return err;
        }
        len += (size_t)n;
    }
    if (len > MAX_PAYLOAD) {
        free(buf);
        return EFBIG;
    }
    *out = buf;
    *out_len = len;
    return 0;
}

/* The mapping of -f's file, unmapped at exit. */
static void *mapped;
static size_t mapped_len;

/* Maps a regular file read-only: the client writes the payload straight
 * from the caller's memory, so the file goes to the broker as the kernel
 * pages it in, never copied into ours, whatever its size. Returns 0,
 * ENODEV when @p fd is not a regular file (read it instead), or errno. */
static int map_file(int fd, const void **payload, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return errno;
    if (!S_ISREG(st.st_mode))
        return ENODEV;
    if ((uint64_t)st.st_size > MAX_PAYLOAD)
        return EFBIG;
    *len = (size_t)st.st_size;
    if (st.st_size == 0)
        return 0; /* payload stays "" */
    void *p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        return errno;
    (void)madvise(p, *len, MADV_SEQUENTIAL);
    mapped = p;
    mapped_len = *len;
    *payload = p;
    return 0;
}

/* Publishes one message. QoS 1/2 first wait (bounded) until fewer than
 * -M messages await acknowledgement: a broker may drop what exceeds its
 * window rather than refuse it. */
static int publish(const tools_opts *o, const void *payload, size_t len)
{
    brisa_mqtt_client *c = &session.client;
    uint64_t deadline = tools_now_ms() + o->timeout_s * 1000u;
    for (;;) {
        int rc = BRISA_ERR_BUSY;
        if (o->qos == 0 || brisa_mqtt_inflight_used(c) < o->max_inflight)
            rc = brisa_mqtt_publish(c, o->topics[0], payload, len, (uint8_t)o->qos,
                                    o->retain, NULL);
        if (rc == BRISA_OK)
            return TOOLS_EXIT_OK;
        if (rc != BRISA_ERR_BUSY)
            return tools_session_fail(&session, "publish", rc);
        if (tools_now_ms() >= deadline)
            return tools_session_fail(&session, "publish: waiting for acknowledgements",
                                      BRISA_ERR_TIMEOUT);
        rc = brisa_mqtt_process(c, 100);
        if (rc < 0)
            return tools_session_fail(&session, "connection lost", rc);
    }
}

/* -l: one message per line of stdin, without its newline. While stdin is
 * quiet the client keeps running, so keepalive and acknowledgements flow
 * however slowly the lines come. */
static int publish_lines(const tools_opts *o)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        return tools_session_fail(&session, "reading stdin", BRISA_ERR_NO_SPACE);
    int status = TOOLS_EXIT_OK;
    bool eof = false;
    while (status == TOOLS_EXIT_OK && !(eof && len == 0)) {
        char *nl = memchr(buf, '\n', len);
        if (nl != NULL || (eof && len > 0)) {
            size_t line = nl != NULL ? (size_t)(nl - buf) : len;
            status = publish(o, buf, line);
            size_t used = nl != NULL ? line + 1 : len;
            memmove(buf, buf + used, len - used);
            len -= used;
            continue;
        }
        struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN, .revents = 0 };
        int ready = poll(&p, 1, 200);
        if (ready <= 0) {
            if (ready < 0 && errno != EINTR)
                break;
            int rc = brisa_mqtt_process(&session.client, 0);
            if (rc < 0)
                status = tools_session_fail(&session, "connection lost", rc);
            continue;
        }
        if (len == cap) {
            char *bigger = cap < MAX_PAYLOAD ? realloc(buf, cap * 2) : NULL;
            if (bigger == NULL) {
                tools_error(o, "line of stdin too long");
                status = TOOLS_EXIT_FAIL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t n = read(STDIN_FILENO, buf + len, cap - len);
        if (n > 0)
            len += (size_t)n;
        else if (n == 0 || (errno != EINTR && errno != EAGAIN))
            eof = true;
    }
    free(buf);
    return status;
}

/* Loads the message of -m, -f, -s or -n before connecting, so a missing
 * file is reported without bothering the broker. */
static int load_message(const tools_opts *o, uint8_t **owned, const void **payload,
                        size_t *len)
{
    *owned = NULL;
    *payload = "";
    *len = 0;
    int err = 0;
    switch (o->source) {
    case TOOLS_MSG_ARG:
        *payload = o->message;
        *len = strlen(o->message);
        return 0;
    case TOOLS_MSG_FILE: {
        FILE *f = fopen(o->message, "rb");
        if (f == NULL) {
            err = errno;
        } else {
            err = map_file(fileno(f), payload, len);
            if (err == ENODEV) { /* a pipe or a device: read it */
                err = read_all(fileno(f), owned, len);
                *payload = *owned;
            }
            fclose(f);
        }
        if (err != 0) {
            tools_error(o, "cannot read '%s': %s", o->message,
                        err == EFBIG ? "larger than an MQTT message can be" : strerror(err));
            return TOOLS_EXIT_FAIL;
        }
        return 0;
    }
    case TOOLS_MSG_STDIN:
        err = read_all(STDIN_FILENO, owned, len);
        if (err != 0) {
            tools_error(o, "cannot read stdin: %s",
                        err == EFBIG ? "larger than an MQTT message can be" : strerror(err));
            return TOOLS_EXIT_FAIL;
        }
        *payload = *owned;
        return 0;
    default:
        return 0;
    }
}

int main(int argc, char **argv)
{
    tools_opts o;
    int status = tools_opts_parse(&o, TOOLS_PUB, "brisa-pub", argc, argv);
    if (status != 0)
        return status;
    if (o.help) {
        tools_opts_usage(&o);
        return TOOLS_EXIT_OK;
    }
    uint8_t *owned;
    const void *payload;
    size_t len;
    status = load_message(&o, &owned, &payload, &len);
    if (status != 0)
        return status;

    status = tools_session_connect(&session, &o, NULL, NULL);
    if (status == TOOLS_EXIT_OK) {
        if (o.source == TOOLS_MSG_LINES)
            status = publish_lines(&o);
        else
            status = publish(&o, payload, len);
    }
    if (status == TOOLS_EXIT_OK && brisa_mqtt_inflight_used(&session.client) > 0) {
        int rc = brisa_mqtt_wait_all(&session.client, o.timeout_s * 1000u);
        if (rc != BRISA_OK)
            status = tools_session_fail(&session, "waiting for the broker's acknowledgement", rc);
    }
    if (status == TOOLS_EXIT_OK || brisa_mqtt_is_connected(&session.client))
        tools_session_end(&session);
    free(owned);
    if (mapped != NULL)
        munmap(mapped, mapped_len);
    return status;
}
