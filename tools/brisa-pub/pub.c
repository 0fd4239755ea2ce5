// SPDX-License-Identifier: MIT
/* brisa-pub: publish one message (or one per line of stdin) and exit,
 * with mosquitto_pub's options. QoS 1/2 messages are acknowledged before
 * the program says goodbye (DISCONNECT) and exits 0; a lost connection is
 * reconnected and unacknowledged messages resent (--exit-on-loss: not). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brisa/mqtt_codec.h"
#include "modem.h"
#include "opts.h"
#include "session.h"

/* The largest payload a PUBLISH can carry (remaining length limit, less
 * the smallest possible topic and packet id). */
#define MAX_PAYLOAD (268435455u - 5u)

static tools_session session; /* ~20 KiB of buffers: not on the stack */
/* -l: each QoS 1/2 line's own copy, by packet id, kept for resending
 * until it is acknowledged (or reported lost). */
static void *line_copies[65536];
/* Bumped by every acknowledgement: waits count --timeout from progress. */
static unsigned long progress;

static void on_event(void *user, const brisa_mqtt_event *e)
{
    const tools_opts *o = user;
    if (e->type != BRISA_MQTT_EVT_PUBLISHED && e->type != BRISA_MQTT_EVT_DROPPED)
        return;
    if (e->type == BRISA_MQTT_EVT_PUBLISHED && e->reason_code >= 0x80 && o)
        tools_error(o, "message %u refused by the broker: %s (reason 0x%02x)",
                    (unsigned)e->packet_id, brisa_mqtt_reason_str(BRISA_MQTT_PUBACK, e->reason_code),
                    (unsigned)e->reason_code);
    free(line_copies[e->packet_id]);
    line_copies[e->packet_id] = NULL;
    progress++;
}

/* Runs the session until @p done() holds, stopping when nothing moved
 * (no acknowledgement) for --timeout, or on a signal. */
static int run_while(const tools_opts *o, bool (*done)(const tools_opts *o), const char *doing)
{
    uint64_t deadline = tools_now_ms() + o->timeout_s * 1000u;
    unsigned long seen = progress;
    while (!done(o)) {
        if (tools_stop_requested()) {
            tools_error(o, "interrupted with %zu message%s unacknowledged",
                        brisa_mqtt_inflight_used(&session.client),
                        brisa_mqtt_inflight_used(&session.client) == 1 ? "" : "s");
            return TOOLS_EXIT_FAIL;
        }
        if (progress != seen) {
            seen = progress;
            deadline = tools_now_ms() + o->timeout_s * 1000u;
        }
        if (tools_now_ms() >= deadline) {
            if (brisa_mqtt_is_connected(&session.client))
                tools_error(o, "%s: no answer from the broker within %u s", doing, o->timeout_s);
            else
                tools_error(o, "%s: no connection to the broker within %u s", doing,
                            o->timeout_s);
            return TOOLS_EXIT_FAIL;
        }
        int rc = tools_session_run(&session, 50);
        if (rc != TOOLS_EXIT_OK)
            return rc;
    }
    return TOOLS_EXIT_OK;
}

static bool has_room(const tools_opts *o)
{
    /* -M, or the broker's MQTT 5 Receive Maximum when it is smaller. */
    const brisa_mqtt_limits *l = brisa_mqtt_server_limits(&session.client);
    size_t room = o->max_inflight;
    if (l && l->receive_maximum < room)
        room = l->receive_maximum;
    return brisa_mqtt_is_connected(&session.client) &&
           (o->qos == 0 || brisa_mqtt_inflight_used(&session.client) < room);
}

static bool all_acknowledged(const tools_opts *o)
{
    (void)o;
    return brisa_mqtt_is_connected(&session.client) &&
           brisa_mqtt_inflight_used(&session.client) == 0;
}

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
 * -M messages await acknowledgement -- a broker may drop what exceeds its
 * window rather than refuse it -- and until connected. With @p copy, a
 * QoS 1/2 payload is copied, to be resent after a reconnection. */
static int publish(const tools_opts *o, const void *payload, size_t len, bool copy)
{
    brisa_mqtt_client *c = &session.client;
    for (;;) {
        int rc = run_while(o, has_room, "publish: waiting for acknowledgements");
        if (rc != TOOLS_EXIT_OK)
            return rc;
        void *mine = NULL;
        if (copy && o->qos > 0 && (mine = malloc(len ? len : 1)) == NULL)
            return tools_session_fail(&session, "publish", BRISA_ERR_NO_SPACE);
        if (mine && len)
            memcpy(mine, payload, len);
        uint16_t id = 0;
        brisa_mqtt_properties pr;
        rc = brisa_mqtt_publish_props(c, o->topics[0], mine ? mine : payload, len,
                                      (uint8_t)o->qos, o->retain,
                                      tools_props(o, TOOLS_PROP_PUBLISH, &pr), &id);
        if (rc == BRISA_OK && mine)
            line_copies[id] = mine;
        else
            free(mine);
        if (rc == BRISA_OK)
            return TOOLS_EXIT_OK;
        if (rc == BRISA_ERR_BUSY || (!brisa_mqtt_is_connected(c) && !o->exit_on_loss))
            continue; /* lost while sending: not in flight, sent again once back */
        return tools_session_fail(&session, "publish", rc);
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
            status = publish(o, buf, line, true);
            size_t used = nl != NULL ? line + 1 : len;
            memmove(buf, buf + used, len - used);
            len -= used;
            continue;
        }
        if (tools_stop_requested())
            break;
        struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN, .revents = 0 };
        int ready = poll(&p, 1, 0);
        if (ready <= 0) {
            if (ready < 0 && errno != EINTR)
                break;
            /* stdin is quiet: keep the session (acks, keepalive, reconnecting) */
            status = tools_session_run(&session, 50);
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

/* --modem: the module takes whole messages, so -l splits stdin first. */
static int modem_publish(const tools_opts *o, const void *payload, size_t len)
{
    if (o->source != TOOLS_MSG_LINES)
        return tools_modem_pub(o, &payload, &len, 1);
    uint8_t *text = NULL;
    size_t total = 0, count = 0;
    int err = read_all(STDIN_FILENO, &text, &total);
    if (err != 0) {
        tools_error(o, "cannot read stdin: %s", strerror(err));
        return TOOLS_EXIT_FAIL;
    }
    const void **lines = malloc((total + 1) * sizeof *lines);
    size_t *lens = malloc((total + 1) * sizeof *lens);
    for (size_t start = 0, i = 0; lines && lens && i <= total; i++) {
        if (i == total ? i > start : text[i] == '\n') {
            lines[count] = text + start;
            lens[count++] = i - start;
            start = i + 1;
        }
    }
    int status = lines && lens ? tools_modem_pub(o, lines, lens, count) : TOOLS_EXIT_FAIL;
    free(lines);
    free(lens);
    free(text);
    return status;
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

    tools_signals_install(TOOLS_EXIT_FAIL);
    if (o.modem) {
        status = modem_publish(&o, payload, len);
        free(owned);
        return status;
    }
    status = tools_session_connect(&session, &o, NULL, &o); /* o: for on_event */
    if (status == TOOLS_EXIT_OK) {
        tools_session_watch(&session, NULL, 0, on_event);
        if (o.source == TOOLS_MSG_LINES)
            status = publish_lines(&o);
        else
            status = publish(&o, payload, len, false);
    }
    if (status == TOOLS_EXIT_OK)
        status = run_while(&o, all_acknowledged, "waiting for the broker's acknowledgement");
    if (status == TOOLS_EXIT_OK || brisa_mqtt_is_connected(&session.client))
        tools_session_end(&session);
    free(owned);
    if (mapped != NULL)
        munmap(mapped, mapped_len);
    return status;
}
