// SPDX-License-Identifier: MIT
/* DHCP client state machine (RFC 2131 section 4.4): what to send when, and
 * what a reply means in each state. Bytes come from dhcp_codec.c; the
 * network, time and randomness come through the interfaces. */
#include "brisa/dhcp.h"

#include <string.h>

#include "brisa/err.h"

#define NEVER UINT64_MAX
#define DEFAULT_RETRY_BASE_MS BRISA_DHCP_RETRY_BASE_MS
#define DEFAULT_RETRY_MAX_MS BRISA_DHCP_RETRY_MAX_MS
#define DEFAULT_RENEW_MIN_MS BRISA_DHCP_RENEW_MIN_MS
#define DEFAULT_DECLINE_DELAY_MS BRISA_DHCP_DECLINE_DELAY_MS
/* REQUESTs sent in REQUESTING before starting over (RFC 2131 3.1 step 5). */
#define REQUEST_TRIES BRISA_DHCP_REQUEST_TRIES

/* What we ask servers for (option 55). */
static const uint8_t wanted_params[] = {
    BRISA_DHCP_OPT_SUBNET_MASK, BRISA_DHCP_OPT_ROUTER, BRISA_DHCP_OPT_DNS,
    BRISA_DHCP_OPT_HOST_NAME, BRISA_DHCP_OPT_DOMAIN, BRISA_DHCP_OPT_NTP,
    BRISA_DHCP_OPT_LEASE_TIME, BRISA_DHCP_OPT_T1, BRISA_DHCP_OPT_T2,
};

static uint64_t now_ms(const brisa_dhcp_client *c)
{
    return c->clock.monotonic_ms(c->clock.ctx);
}

static uint32_t random32(brisa_dhcp_client *c)
{
    uint8_t b[4];
    if (c->rng.fill(c->rng.ctx, b, sizeof b) != BRISA_OK) {
        /* Still unlikely to collide with another client's xid. */
        uint64_t t = now_ms(c) ^ ((uint64_t)c->xid << 7);
        memcpy(b, &t, sizeof b);
        b[0] ^= c->cfg.mac[5];
    }
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* RFC 2131 4.1: base, 2*base, 4*base... up to the cap, +-base/4. */
static uint32_t backoff_ms(brisa_dhcp_client *c, uint8_t sends)
{
    uint64_t wait = c->cfg.retry_base_ms;
    for (uint8_t i = 1; i < sends && wait < c->cfg.retry_max_ms; i++)
        wait *= 2;
    if (wait > c->cfg.retry_max_ms)
        wait = c->cfg.retry_max_ms;
    uint32_t jitter = c->cfg.retry_base_ms / 4;
    if (jitter > 0) {
        wait = wait - jitter + random32(c) % (2u * jitter + 1u);
    }
    return (uint32_t)wait;
}

static bool usable_address(const brisa_ip_addr *ip)
{
    uint8_t a = ip->bytes[0];
    return ip->family == BRISA_IP_V4 && a != 0 && a != 127 && a < 224;
}

static const brisa_ip_addr *broadcast_addr(void)
{
    static const brisa_ip_addr bcast = { BRISA_IP_V4, { 255, 255, 255, 255 } };
    return &bcast;
}

/* ---------------------------------------------------------------- sending */

static int send_msg(brisa_dhcp_client *c, uint8_t type, const brisa_ip_addr *dst)
{
    brisa_dhcp_request r;
    memset(&r, 0, sizeof r);
    r.type = type;
    r.xid = c->xid;
    r.chaddr = c->cfg.mac;
    r.hlen = 6;
    r.client_id = c->cfg.client_id;
    r.client_id_len = c->cfg.client_id_len;

    bool asks = type == BRISA_DHCP_DISCOVER || type == BRISA_DHCP_REQUEST
                || type == BRISA_DHCP_INFORM;
    if (asks) {
        uint64_t secs = (now_ms(c) - c->started_ms) / 1000u;
        r.secs = secs > 0xffff ? 0xffff : (uint16_t)secs;
        r.params = wanted_params;
        r.params_len = sizeof wanted_params;
        size_t max = c->cap + 28u; /* + IP and UDP headers */
        r.max_size = max > 0xffff ? 0xffff : (uint16_t)max;
        r.host_name = c->cfg.host_name;
        /* No address to receive unicast on yet (INFORM and renewal have one). */
        r.broadcast = type != BRISA_DHCP_INFORM && c->state != BRISA_DHCP_RENEWING
                      && c->state != BRISA_DHCP_REBINDING;
    }
    switch (type) {
    case BRISA_DHCP_REQUEST:
        if (c->state == BRISA_DHCP_REQUESTING) {
            r.requested = c->offered;
            r.server_id = c->server;
        } else {
            r.ciaddr = c->lease.address;
        }
        break;
    case BRISA_DHCP_DECLINE:
        r.requested = c->offered;
        r.server_id = c->server;
        break;
    case BRISA_DHCP_RELEASE:
        r.ciaddr = c->lease.address;
        r.server_id = c->lease.server_id;
        break;
    case BRISA_DHCP_INFORM:
        r.ciaddr = c->lease.address;
        break;
    default:
        break;
    }
    int len = brisa_dhcp_build(&r, c->buf, c->cap);
    if (len < 0)
        return len;
    if (type == BRISA_DHCP_REQUEST)
        c->sent_ms = now_ms(c);
    return c->dgram.send_to(c->dgram.ctx, dst, BRISA_DHCP_SERVER_PORT, c->buf, (size_t)len);
}

/* Sends the current state's message and schedules its retransmission. */
static int transmit(brisa_dhcp_client *c)
{
    uint64_t t = now_ms(c);
    int rc;
    c->sends++;
    switch (c->state) {
    case BRISA_DHCP_SELECTING:
        c->discovers++;
        rc = send_msg(c, BRISA_DHCP_DISCOVER, broadcast_addr());
        c->next_ms = t + backoff_ms(c, c->sends);
        break;
    case BRISA_DHCP_REQUESTING:
        rc = send_msg(c, BRISA_DHCP_REQUEST, broadcast_addr());
        c->next_ms = t + backoff_ms(c, c->sends);
        break;
    case BRISA_DHCP_INFORMING:
        c->discovers++;
        rc = send_msg(c, BRISA_DHCP_INFORM, broadcast_addr());
        c->next_ms = t + backoff_ms(c, c->sends);
        break;
    case BRISA_DHCP_RENEWING:
    case BRISA_DHCP_REBINDING: {
        bool renewing = c->state == BRISA_DHCP_RENEWING;
        uint64_t limit = renewing ? c->t2_ms : c->expiry_ms;
        rc = send_msg(c, BRISA_DHCP_REQUEST, renewing ? &c->lease.server_id : broadcast_addr());
        /* RFC 2131 4.4.5: half the time left, at least a minute. */
        uint64_t wait = limit > t ? (limit - t) / 2 : 0;
        if (wait < c->cfg.renew_min_ms)
            wait = c->cfg.renew_min_ms;
        c->next_ms = (limit != NEVER && t + wait > limit) ? limit : t + wait;
        break;
    }
    default:
        rc = BRISA_OK;
        break;
    }
    return rc;
}

/* ------------------------------------------------------------ transitions */

static void enter_init(brisa_dhcp_client *c, uint32_t delay_ms)
{
    c->state = BRISA_DHCP_INIT;
    c->next_ms = now_ms(c) + delay_ms;
}

/* Starts a new exchange in @p state with a fresh xid and sends at once. */
static int begin(brisa_dhcp_client *c, uint8_t state)
{
    c->state = state;
    c->xid = random32(c);
    c->started_ms = now_ms(c);
    c->sends = 0;
    return transmit(c);
}

static int give_up(brisa_dhcp_client *c)
{
    c->next_ms = NEVER;
    if (c->cfg.fallback == NULL || c->state == BRISA_DHCP_INFORMING) {
        c->state = BRISA_DHCP_STOPPED;
        return BRISA_ERR_DHCP_NO_LEASE;
    }
    brisa_dhcp_lease *l = &c->lease;
    *l = *c->cfg.fallback;
    if (l->mask.family == BRISA_IP_V4) {
        int p = brisa_dhcp_mask_prefix(&l->mask);
        l->prefix_len = p < 0 ? 0 : (uint8_t)p;
    } else {
        l->mask = brisa_dhcp_prefix_mask(l->prefix_len);
    }
    l->lease_s = l->t1_s = l->t2_s = BRISA_DHCP_INFINITE;
    l->source = BRISA_DHCP_SOURCE_STATIC;
    c->state = BRISA_DHCP_STATIC;
    return BRISA_DHCP_EVENT_FALLBACK;
}

static int lose_lease(brisa_dhcp_client *c)
{
    c->discovers = 0;
    enter_init(c, 0);
    return BRISA_DHCP_EVENT_LOST;
}

static uint64_t deadline(uint64_t base, uint32_t seconds)
{
    return seconds == BRISA_DHCP_INFINITE ? NEVER : base + (uint64_t)seconds * 1000u;
}

/* Takes the ACKed lease; its times count from when the REQUEST was sent. */
static void take_lease(brisa_dhcp_client *c, const brisa_dhcp_msg *m)
{
    brisa_dhcp_lease *l = &c->lease;
    *l = m->lease;
    l->source = BRISA_DHCP_SOURCE_SERVER;
    if (l->server_id.family != BRISA_IP_V4)
        l->server_id = c->server;
    if (l->mask.family != BRISA_IP_V4) {
        /* No option 1: the class of the address (RFC 1122 3.3.1.1). */
        uint8_t a = l->address.bytes[0];
        l->prefix_len = a < 128 ? 8 : a < 192 ? 16 : 24;
        l->mask = brisa_dhcp_prefix_mask(l->prefix_len);
    }
    if (l->lease_s != BRISA_DHCP_INFINITE
        && (l->t1_s > l->t2_s || l->t2_s > l->lease_s)) {
        l->t1_s = l->lease_s / 2;
        l->t2_s = (uint32_t)((uint64_t)l->lease_s * 7 / 8);
    }
    c->t1_ms = deadline(c->sent_ms, l->t1_s);
    c->t2_ms = deadline(c->sent_ms, l->t2_s);
    c->expiry_ms = deadline(c->sent_ms, l->lease_s);
    c->state = BRISA_DHCP_BOUND;
    c->next_ms = c->t1_ms;
}

static int on_offer(brisa_dhcp_client *c, const brisa_dhcp_msg *m)
{
    if (m->type != BRISA_DHCP_OFFER || !usable_address(&m->yiaddr)
        || !BRISA_DHCP_HAS(m, BRISA_DHCP_OPT_SERVER_ID)) {
        c->ignored++;
        return BRISA_DHCP_EVENT_NONE;
    }
    c->offered = m->yiaddr;
    c->server = m->lease.server_id;
    c->state = BRISA_DHCP_REQUESTING;
    c->sends = 0;
    int rc = transmit(c);
    return rc < 0 ? rc : BRISA_DHCP_EVENT_NONE;
}

static void keep_nak_message(brisa_dhcp_client *c, const brisa_dhcp_msg *m)
{
    size_t n = m->message_len;
    if (n >= sizeof c->nak_message)
        n = sizeof c->nak_message - 1;
    for (size_t i = 0; i < n; i++) {
        uint8_t ch = m->message[i];
        c->nak_message[i] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
    }
    c->nak_message[n] = '\0';
}

static int on_ack_or_nak(brisa_dhcp_client *c, const brisa_dhcp_msg *m)
{
    bool selecting = c->state == BRISA_DHCP_REQUESTING;
    if (selecting && BRISA_DHCP_HAS(m, BRISA_DHCP_OPT_SERVER_ID)
        && !brisa_ip_equal(&m->lease.server_id, &c->server)) {
        c->ignored++; /* a server we did not choose */
        return BRISA_DHCP_EVENT_NONE;
    }
    if (m->type == BRISA_DHCP_NAK) {
        keep_nak_message(c, m);
        if (!selecting)
            return lose_lease(c);
        enter_init(c, 0);
        return BRISA_DHCP_EVENT_NAK;
    }
    if (m->type != BRISA_DHCP_ACK || !usable_address(&m->yiaddr)
        || !BRISA_DHCP_HAS(m, BRISA_DHCP_OPT_LEASE_TIME)) {
        c->ignored++;
        return BRISA_DHCP_EVENT_NONE;
    }
    if (selecting) {
        c->offered = m->yiaddr;
        if (c->cfg.address_in_use
            && c->cfg.address_in_use(c->cfg.address_in_use_ctx, &m->yiaddr) == 1) {
            int rc = send_msg(c, BRISA_DHCP_DECLINE, broadcast_addr());
            enter_init(c, c->cfg.decline_delay_ms);
            return rc < 0 ? rc : BRISA_DHCP_EVENT_DECLINED;
        }
        take_lease(c, m);
        return BRISA_DHCP_EVENT_BOUND;
    }
    bool same = brisa_ip_equal(&m->yiaddr, &c->lease.address);
    c->server = m->lease.server_id.family == BRISA_IP_V4 ? m->lease.server_id : c->lease.server_id;
    take_lease(c, m);
    return same ? BRISA_DHCP_EVENT_RENEWED : BRISA_DHCP_EVENT_BOUND;
}

static int on_inform_ack(brisa_dhcp_client *c, const brisa_dhcp_msg *m)
{
    if (m->type != BRISA_DHCP_ACK) {
        c->ignored++;
        return BRISA_DHCP_EVENT_NONE;
    }
    brisa_ip_addr own = c->lease.address;
    c->lease = m->lease;
    c->lease.address = own;
    c->lease.lease_s = c->lease.t1_s = c->lease.t2_s = 0;
    c->lease.source = BRISA_DHCP_SOURCE_INFORM;
    c->state = BRISA_DHCP_INFORMED;
    c->next_ms = NEVER;
    return BRISA_DHCP_EVENT_INFORMED;
}

/* ------------------------------------------------------------------- API */

brisa_err brisa_dhcp_init(brisa_dhcp_client *c, const brisa_dhcp_config *cfg,
                          const brisa_datagram *dgram, const brisa_clock *clock,
                          const brisa_rng *rng, uint8_t *buf, size_t cap)
{
    if (c == NULL || cfg == NULL || dgram == NULL || clock == NULL || rng == NULL
        || buf == NULL || cap < BRISA_DHCP_MIN_BUFFER || dgram->send_to == NULL
        || dgram->recv_from == NULL || clock->monotonic_ms == NULL || rng->fill == NULL
        || (cfg->client_id != NULL && cfg->client_id_len < 2))
        return BRISA_ERR_INVALID_ARG;
    memset(c, 0, sizeof *c);
    c->dgram = *dgram;
    c->clock = *clock;
    c->rng = *rng;
    c->cfg = *cfg;
    c->buf = buf;
    c->cap = cap;
    if (c->cfg.client_id == NULL) {
        /* RFC 2132 9.14: hardware type 1 followed by the MAC. */
        c->client_id[0] = 1;
        memcpy(c->client_id + 1, cfg->mac, 6);
        c->cfg.client_id = c->client_id;
        c->cfg.client_id_len = sizeof c->client_id;
    }
    if (c->cfg.retry_base_ms == 0)
        c->cfg.retry_base_ms = DEFAULT_RETRY_BASE_MS;
    if (c->cfg.retry_max_ms == 0)
        c->cfg.retry_max_ms = DEFAULT_RETRY_MAX_MS;
    if (c->cfg.retry_max_ms < c->cfg.retry_base_ms)
        c->cfg.retry_max_ms = c->cfg.retry_base_ms;
    if (c->cfg.renew_min_ms == 0)
        c->cfg.renew_min_ms = DEFAULT_RENEW_MIN_MS;
    if (c->cfg.decline_delay_ms == 0)
        c->cfg.decline_delay_ms = DEFAULT_DECLINE_DELAY_MS;
    c->state = BRISA_DHCP_STOPPED;
    c->next_ms = NEVER;
    return BRISA_OK;
}

brisa_err brisa_dhcp_start(brisa_dhcp_client *c)
{
    memset(&c->lease, 0, sizeof c->lease);
    c->discovers = 0;
    c->nak_message[0] = '\0';
    uint32_t delay = 0;
    if (c->cfg.start_delay_max_ms)
        delay = random32(c) % (c->cfg.start_delay_max_ms + 1u);
    enter_init(c, delay);
    return BRISA_OK;
}

brisa_err brisa_dhcp_inform(brisa_dhcp_client *c, const brisa_ip_addr *address)
{
    if (address == NULL || !usable_address(address))
        return BRISA_ERR_INVALID_ARG;
    memset(&c->lease, 0, sizeof c->lease);
    c->lease.address = *address;
    c->discovers = 0;
    c->state = BRISA_DHCP_INFORMING;
    c->xid = random32(c);
    c->started_ms = now_ms(c);
    c->sends = 0;
    c->next_ms = c->started_ms; /* first INFORM on the next poll */
    return BRISA_OK;
}

int brisa_dhcp_poll(brisa_dhcp_client *c)
{
    uint64_t t = now_ms(c);
    if (c->next_ms == NEVER || t < c->next_ms)
        return BRISA_DHCP_EVENT_NONE;
    uint8_t limit = c->cfg.attempts;
    int rc;
    switch (c->state) {
    case BRISA_DHCP_INIT:
        if (limit && c->discovers >= limit)
            return give_up(c);
        rc = begin(c, BRISA_DHCP_SELECTING);
        break;
    case BRISA_DHCP_SELECTING:
        if (limit && c->discovers >= limit)
            return give_up(c);
        rc = transmit(c);
        break;
    case BRISA_DHCP_REQUESTING:
        if (c->sends >= REQUEST_TRIES) {
            enter_init(c, 0);
            return brisa_dhcp_poll(c);
        }
        rc = transmit(c);
        break;
    case BRISA_DHCP_INFORMING:
        if (limit && c->discovers >= limit)
            return give_up(c);
        rc = transmit(c);
        break;
    case BRISA_DHCP_BOUND:
        rc = begin(c, BRISA_DHCP_RENEWING);
        break;
    case BRISA_DHCP_RENEWING:
        rc = t >= c->t2_ms ? begin(c, BRISA_DHCP_REBINDING) : transmit(c);
        break;
    case BRISA_DHCP_REBINDING:
        if (t >= c->expiry_ms)
            return lose_lease(c);
        rc = transmit(c);
        break;
    default:
        c->next_ms = NEVER;
        rc = BRISA_OK;
        break;
    }
    return rc < 0 ? rc : BRISA_DHCP_EVENT_NONE;
}

int brisa_dhcp_input(brisa_dhcp_client *c, const uint8_t *pkt, size_t len)
{
    brisa_dhcp_msg m;
    if (brisa_dhcp_parse(pkt, len, BRISA_DHCP_BOOTREPLY, &m) != BRISA_OK || m.xid != c->xid
        || m.htype != 1 || m.hlen != 6 || memcmp(m.chaddr, c->cfg.mac, 6) != 0) {
        c->ignored++;
        return BRISA_DHCP_EVENT_NONE;
    }
    switch (c->state) {
    case BRISA_DHCP_SELECTING:
        return on_offer(c, &m);
    case BRISA_DHCP_REQUESTING:
    case BRISA_DHCP_RENEWING:
    case BRISA_DHCP_REBINDING:
        return on_ack_or_nak(c, &m);
    case BRISA_DHCP_INFORMING:
        return on_inform_ack(c, &m);
    default:
        c->ignored++;
        return BRISA_DHCP_EVENT_NONE;
    }
}

uint32_t brisa_dhcp_next_ms(const brisa_dhcp_client *c)
{
    if (c->next_ms == NEVER)
        return UINT32_MAX;
    uint64_t t = now_ms(c);
    if (t >= c->next_ms)
        return 0;
    uint64_t d = c->next_ms - t;
    return d >= UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)d;
}

int brisa_dhcp_step(brisa_dhcp_client *c, uint32_t timeout_ms)
{
    int ev = brisa_dhcp_poll(c);
    if (ev != BRISA_DHCP_EVENT_NONE)
        return ev;
    uint32_t wait = brisa_dhcp_next_ms(c);
    if (wait > timeout_ms)
        wait = timeout_ms;
    int n = c->dgram.recv_from(c->dgram.ctx, NULL, NULL, c->buf, c->cap, wait);
    if (n == BRISA_ERR_TIMEOUT || n == BRISA_ERR_WOULD_BLOCK)
        return brisa_dhcp_poll(c);
    if (n == BRISA_ERR_TOO_LARGE) {
        c->ignored++;
        return BRISA_DHCP_EVENT_NONE;
    }
    if (n < 0)
        return n;
    return brisa_dhcp_input(c, c->buf, (size_t)n);
}

int brisa_dhcp_obtain(brisa_dhcp_client *c, uint32_t timeout_ms)
{
    switch (c->state) {
    case BRISA_DHCP_BOUND:
    case BRISA_DHCP_RENEWING:
    case BRISA_DHCP_REBINDING:
        return BRISA_DHCP_EVENT_BOUND;
    case BRISA_DHCP_INFORMED:
        return BRISA_DHCP_EVENT_INFORMED;
    case BRISA_DHCP_STOPPED:
    case BRISA_DHCP_STATIC:
        brisa_dhcp_start(c);
        break;
    default:
        break;
    }
    uint64_t end = timeout_ms ? now_ms(c) + timeout_ms : NEVER;
    for (;;) {
        uint64_t t = now_ms(c);
        if (t >= end)
            return BRISA_ERR_TIMEOUT;
        uint64_t left = end - t;
        int ev = brisa_dhcp_step(c, left > 1000u ? 1000u : (uint32_t)left);
        if (ev < 0 || ev == BRISA_DHCP_EVENT_BOUND || ev == BRISA_DHCP_EVENT_FALLBACK
            || ev == BRISA_DHCP_EVENT_INFORMED)
            return ev;
    }
}

brisa_err brisa_dhcp_renew(brisa_dhcp_client *c)
{
    if (c->state != BRISA_DHCP_BOUND)
        return BRISA_ERR_STATE;
    c->next_ms = now_ms(c);
    return BRISA_OK;
}

brisa_err brisa_dhcp_release(brisa_dhcp_client *c)
{
    if (c->state != BRISA_DHCP_BOUND && c->state != BRISA_DHCP_RENEWING
        && c->state != BRISA_DHCP_REBINDING)
        return BRISA_ERR_STATE;
    c->xid = random32(c);
    int rc = send_msg(c, BRISA_DHCP_RELEASE, &c->lease.server_id);
    c->state = BRISA_DHCP_STOPPED;
    c->next_ms = NEVER;
    return rc;
}

const brisa_dhcp_lease *brisa_dhcp_get_lease(const brisa_dhcp_client *c)
{
    return &c->lease;
}

brisa_dhcp_state brisa_dhcp_get_state(const brisa_dhcp_client *c)
{
    return (brisa_dhcp_state)c->state;
}

uint32_t brisa_dhcp_lease_remaining_ms(const brisa_dhcp_client *c)
{
    if (c->state != BRISA_DHCP_BOUND && c->state != BRISA_DHCP_RENEWING
        && c->state != BRISA_DHCP_REBINDING)
        return 0;
    if (c->expiry_ms == NEVER)
        return UINT32_MAX;
    uint64_t t = now_ms(c);
    if (t >= c->expiry_ms)
        return 0;
    uint64_t d = c->expiry_ms - t;
    return d >= UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

const char *brisa_dhcp_nak_message(const brisa_dhcp_client *c)
{
    return c->nak_message;
}

const char *brisa_dhcp_state_name(int state)
{
    static const char *const names[] = {
        "stopped", "init", "selecting", "requesting", "bound",
        "renewing", "rebinding", "informing", "informed", "static",
    };
    if (state < 0 || state >= (int)(sizeof names / sizeof names[0]))
        return "unknown";
    return names[state];
}

const char *brisa_dhcp_event_name(int event)
{
    static const char *const names[] = {
        "none", "bound", "renewed", "lost", "nak", "declined", "fallback", "informed",
    };
    if (event < 0 || event >= (int)(sizeof names / sizeof names[0]))
        return "unknown";
    return names[event];
}
