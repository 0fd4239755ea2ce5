// SPDX-License-Identifier: MIT
/* bench_store: the cost of the POSIX file store per QoS 1 message -- the
 * client stores a record before sending and removes it at PUBACK -- with
 * fsync (the default) and without.
 *
 *   bench_store [DIR [COUNT [PAYLOAD_BYTES]]]     (default /tmp 2000 64)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "brisa/err.h"
#include "brisa/port/posix_store.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int run(const char *dir, bool sync, unsigned count, size_t payload_len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/bench-store-%ld-%d", dir, (long)getpid(), sync);
    brisa_posix_store st;
    if (brisa_posix_store_open(&st, path, sync) != BRISA_OK) {
        fprintf(stderr, "bench_store: %s\n", brisa_posix_store_error(&st));
        return 1;
    }
    brisa_mqtt_store s = brisa_posix_store_iface(&st);
    uint8_t *payload = calloc(1, payload_len ? payload_len : 1);
    if (!payload)
        return 1;
    double t0 = now_us();
    for (unsigned i = 0; i < count; i++) {
        uint16_t id = (uint16_t)(i % 20 + 1); /* a window of 20, as mosquitto's */
        brisa_mqtt_record r = { .seq = i, .packet_id = id, .kind = BRISA_MQTT_REC_PUBLISH,
                                .qos = 1, .topic = "bench/store", .topic_len = 11,
                                .payload = payload, .payload_len = payload_len };
        if (s.store(s.ctx, &r) != BRISA_OK || s.remove(s.ctx, id, false) != BRISA_OK) {
            fprintf(stderr, "bench_store: %s\n", brisa_posix_store_error(&st));
            return 1;
        }
    }
    double per = (now_us() - t0) / count;
    printf("file store, %s: %u QoS 1 messages of %zu bytes, %.1f us per message "
           "(store + remove)\n", sync ? "fsync" : "no fsync", count, payload_len, per);
    free(payload);
    rmdir(path);
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    unsigned count = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 2000;
    size_t len = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 64;
    if (count == 0)
        count = 1;
    return run(dir, true, count, len) || run(dir, false, count, len);
}
