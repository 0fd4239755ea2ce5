// SPDX-License-Identifier: MIT
/* Test mode: publish to the secret topic the device itself subscribes to,
 * check that what comes back is what was sent, and time each packet's
 * write (publish until the transport took it, or until the QoS 1/2 flow
 * completed) and read (publish until the same message is back). With
 * compare_tls the run is made with TLS and then without, side by side; with
 * compare_links over Ethernet and then over the SIM7600. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brisa/err.h"
#include "device.h"
#include "log.h"
#include "stats.h"

#define CYCLE_TIMEOUT_MS 10000u

typedef struct test_run {
    device *d;
    device_link link;
    bool tls;
    uint8_t *payload;
    size_t bytes;
    uint8_t qos;
    /* the cycle in progress */
    uint16_t packet_id;
    bool write_done, read_done, mismatch;
    uint64_t t_start, t_write, t_read;
    bool msg_matches;          /* the incoming message so far equals ours */
    bool msg_same_cycle;       /* it carries the current cycle's number */
    unsigned stale;            /* messages of earlier cycles that came late */
    /* results */
    double *write_us, *read_us;
    size_t done;
    unsigned lost, corrupted;
} test_run;

/* The CSV's transport column and the summary's title. */
static const char *pass_name(bool modem, bool tls)
{
    return modem ? (tls ? "sim7600-tls" : "sim7600") : (tls ? "tls" : "plain");
}

static const char *pass_title(bool modem, bool tls)
{
    return modem ? (tls ? "over the SIM7600 with TLS" : "over the SIM7600 without TLS")
                 : (tls ? "with TLS" : "without TLS");
}

static void fill_payload(uint8_t *p, size_t n, uint32_t cycle)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 31u + cycle * 7u + 1u);
    /* The cycle number up front tells a late message from the current one. */
    for (size_t i = 0; i < 4 && i < n; i++)
        p[i] = (uint8_t)(cycle >> (24 - 8 * i));
}

static void on_message(void *user, const brisa_mqtt_message *m)
{
    test_run *r = user;
    if (m->payload_offset == 0) {
        r->msg_matches = m->payload_total == r->bytes;
        r->msg_same_cycle = m->payload_len >= 4 && r->bytes >= 4 &&
                            memcmp(m->payload, r->payload, 4) == 0;
    }
    if (r->msg_matches && m->payload_offset + m->payload_len <= r->bytes)
        r->msg_matches = memcmp(r->payload + m->payload_offset, m->payload, m->payload_len) == 0;
    else
        r->msg_matches = false;
    if (m->payload_offset + m->payload_len != m->payload_total)
        return; /* more chunks follow */
    if (r->msg_matches) {
        r->read_done = true;
        r->t_read = log_now_us();
    } else if (!r->msg_same_cycle && r->bytes >= 4) {
        r->stale++;
    } else if (!r->read_done) {
        r->mismatch = true; /* same cycle, different bytes: corrupted */
    }
}

static void on_event(void *user, const brisa_mqtt_event *e)
{
    test_run *r = user;
    if (e->type == BRISA_MQTT_EVT_PUBLISHED && e->packet_id == r->packet_id && !r->write_done) {
        r->write_done = true;
        r->t_write = log_now_us();
    } else if (e->type == BRISA_MQTT_EVT_DISCONNECTED && e->err && r->link.open) {
        log_error("MQTT", "connection lost: %s", brisa_err_str(e->err));
    }
}

/* One cycle; false when the connection broke (the run ends). */
static bool run_cycle(test_run *r, uint32_t cycle, FILE *csv)
{
    const device_config *c = &r->d->cfg;
    fill_payload(r->payload, r->bytes, cycle);
    r->write_done = r->read_done = r->mismatch = false;
    r->t_start = log_now_us();
    /* Over the modem the publish returns once the module saw the flow
     * through: that is its write time at every QoS. */
    int rc = r->link.modem
                 ? link_publish(&r->link, c->secret_topic, r->payload, r->bytes, r->qos, NULL)
                 : brisa_mqtt_publish(&r->link.mqtt, c->secret_topic, r->payload, r->bytes,
                                      r->qos, false, &r->packet_id);
    if (rc < 0) {
        log_error("TEST", "cycle %u: publish: %s", (unsigned)cycle, brisa_err_str(rc));
        return false;
    }
    if (r->qos == 0 || r->link.modem) {
        r->write_done = true;
        r->t_write = log_now_us();
    }
    uint64_t deadline = log_now_ms() + CYCLE_TIMEOUT_MS;
    while (!(r->write_done && (r->read_done || r->mismatch)) && log_now_ms() < deadline) {
        rc = link_process(&r->link, 20);
        if (rc < 0)
            return false;
        if (device_should_stop(r->d))
            return false;
    }
    const char *verdict = "ok";
    if (r->mismatch) {
        verdict = "CORRUPTED (received bytes differ from those sent)";
        r->corrupted++;
    } else if (!r->write_done || !r->read_done) {
        verdict = !r->write_done ? "LOST (flow never completed)" : "LOST (never came back)";
        r->lost++;
    } else {
        r->write_us[r->done] = (double)(r->t_write - r->t_start);
        r->read_us[r->done] = (double)(r->t_read - r->t_start);
        r->done++;
    }
    double w = r->write_done ? (double)(r->t_write - r->t_start) : -1;
    double rd = r->read_done ? (double)(r->t_read - r->t_start) : -1;
    log_info("TEST", "cycle %4u/%d  write %8.0f us  read %8.0f us  %s", (unsigned)cycle,
             c->test_cycles, w, rd, verdict);
    if (csv)
        fprintf(csv, "%s,%u,%zu,%u,%.0f,%.0f,%s\n", pass_name(r->link.modem, r->tls), (unsigned)cycle, r->bytes,
                (unsigned)r->qos, w, rd, strcmp(verdict, "ok") == 0 ? "ok" : "fail");
    return true;
}

static void print_summary(const char *what, stats_summary s)
{
    printf("  %-6s %10.0f %10.0f %10.1f %10.0f %10.0f\n", what, s.min, s.median, s.mean, s.p99,
           s.max);
}

typedef struct pass_result {
    bool ran;
    bool tls, modem;
    stats_summary write, read;
    unsigned ok, lost, corrupted;
} pass_result;

/* One pass with @p cfg's link: d->cfg, or a copy that says Ethernet. */
static pass_result run_pass(device *d, bool tls, FILE *csv, const device_config *cfg)
{
    static test_run r;
    pass_result out;
    memset(&out, 0, sizeof out);
    out.tls = tls;
    out.modem = cfg->link == LINK_SIM7600;
    memset(&r, 0, sizeof r);
    r.d = d;
    r.tls = tls;
    r.bytes = (size_t)d->cfg.test_bytes;
    r.qos = (uint8_t)d->cfg.test_qos;
    r.payload = malloc(r.bytes);
    r.write_us = calloc((size_t)d->cfg.test_cycles, sizeof(double));
    r.read_us = calloc((size_t)d->cfg.test_cycles, sizeof(double));
    if (!r.payload || !r.write_us || !r.read_us) {
        log_error("TEST", "out of memory for %d cycles of %zu bytes", d->cfg.test_cycles, r.bytes);
        goto done;
    }
    /* No per-packet trace: it would be most of what is timed. */
    link_handlers h = { on_message, on_event, &r, false };
    link_init(&r.link, cfg, &d->net.clock, tls, &h);
    r.link.clean_session = true; /* each cycle counts its own messages */
    if (!device_boot_link(d, &r.link))
        goto done;
    uint8_t granted;
    if (!link_subscribe(&r.link, d->cfg.secret_topic, r.qos, &granted))
        goto done;
    log_info("TEST", "%s: %d cycles of %zu bytes at QoS %u on %s", pass_title(out.modem, tls),
             d->cfg.test_cycles, r.bytes, (unsigned)r.qos, d->cfg.secret_topic);
    out.ran = true;
    for (uint32_t i = 1; i <= (uint32_t)d->cfg.test_cycles; i++) {
        if (!run_cycle(&r, i, csv)) {
            r.lost += (unsigned)d->cfg.test_cycles - i + 1;
            break;
        }
        net_poll(&d->net); /* between cycles, outside what is timed */
    }
    out.ok = (unsigned)r.done;
    out.lost = r.lost;
    out.corrupted = r.corrupted;
    out.write = stats_summarise(r.write_us, r.done);
    out.read = stats_summarise(r.read_us, r.done);
    printf("\nTest mode %s: %u ok, %u lost, %u corrupted, %u late\n", pass_title(out.modem, tls),
           out.ok, out.lost, out.corrupted, r.stale);
    printf("  %-6s %10s %10s %10s %10s %10s   (microseconds)\n", "", "min", "median", "mean",
           "p99", "max");
    print_summary("write", out.write);
    print_summary("read", out.read);
    printf("\n");
    fflush(stdout);
done:
    link_free(&r.link);
    free(r.payload);
    free(r.write_us);
    free(r.read_us);
    return out;
}

static void print_comparison(const device_config *c, const pass_result *with,
                             const pass_result *without)
{
    bool links = with->modem != without->modem;
    printf("%s (%d bytes, QoS %d, medians in microseconds)\n",
           links ? "Ethernet versus the SIM7600" : "TLS versus plain TCP", c->test_bytes,
           c->test_qos);
    printf("  %-6s %12s %12s %12s %8s\n", "", links ? "Ethernet" : "with TLS",
           links ? "SIM7600" : "without", links ? "difference" : "TLS cost", "");
    const stats_summary *a[2] = { &with->write, &with->read };
    const stats_summary *b[2] = { &without->write, &without->read };
    const char *names[2] = { "write", "read" };
    for (int i = 0; i < 2; i++) {
        /* TLS: what TLS adds to plain TCP; links: what the SIM7600 adds
         * to Ethernet. */
        const stats_summary *base = links ? a[i] : b[i];
        double cost = links ? b[i]->median - a[i]->median : a[i]->median - b[i]->median;
        double pct = base->median > 0 ? 100.0 * cost / base->median : 0;
        printf("  %-6s %12.0f %12.0f %+12.0f %+7.1f%%\n", names[i], a[i]->median, b[i]->median,
               cost, pct);
    }
    fflush(stdout);
}

int device_run_test(device *d)
{
    const device_config *c = &d->cfg;
    FILE *csv = NULL;
    if (d->csv_path) {
        csv = fopen(d->csv_path, "w");
        if (!csv) {
            log_error("TEST", "cannot write %s", d->csv_path);
            return 1;
        }
        fprintf(csv, "transport,cycle,bytes,qos,write_us,read_us,result\n");
    }
    pass_result passes[2];
    int count = 0;
    static device_config ethernet;
    if (c->test_compare_tls) {
        passes[count++] = run_pass(d, true, csv, c);
        if (!d->stopping)
            passes[count++] = run_pass(d, false, csv, c);
    } else if (c->test_compare_links) {
        ethernet = *c;
        ethernet.link = LINK_ETHERNET;
        passes[count++] = run_pass(d, c->tls, csv, &ethernet);
        if (!d->stopping)
            passes[count++] = run_pass(d, c->tls, csv, c);
    } else {
        passes[count++] = run_pass(d, c->tls, csv, c);
    }
    if (csv)
        fclose(csv);
    if (count == 2 && passes[0].ran && passes[1].ran)
        print_comparison(c, &passes[0], &passes[1]);
    for (int i = 0; i < count; i++) {
        if (!passes[i].ran || passes[i].lost || passes[i].corrupted ||
            passes[i].ok != (unsigned)c->test_cycles)
            return 1;
    }
    return 0;
}
