// SPDX-License-Identifier: MIT
/* DHCP message codec (RFC 2131 header, RFC 2132 options): bytes <-> structs,
 * no state. The parser is total: every read is bounded by the field it
 * belongs to, so a hostile reply can only be rejected, never over-read. */
#include "brisa/dhcp.h"

#include <string.h>

#include "brisa/err.h"

static const uint8_t magic_cookie[4] = { 99, 130, 83, 99 };

/* Offsets inside the fixed header (RFC 2131 figure 1). */
enum {
    OFF_OP = 0, OFF_HTYPE = 1, OFF_HLEN = 2, OFF_HOPS = 3, OFF_XID = 4,
    OFF_SECS = 8, OFF_FLAGS = 10, OFF_CIADDR = 12, OFF_YIADDR = 16,
    OFF_SIADDR = 20, OFF_GIADDR = 24, OFF_CHADDR = 28, OFF_SNAME = 44,
    OFF_FILE = 108, OFF_COOKIE = 236,
    SNAME_LEN = 64, FILE_LEN = 128
};

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static brisa_ip_addr get_ip(const uint8_t *p)
{
    return brisa_ip_v4(p[0], p[1], p[2], p[3]);
}

static bool is_v4(const brisa_ip_addr *ip)
{
    return ip->family == BRISA_IP_V4;
}

int brisa_dhcp_mask_prefix(const brisa_ip_addr *mask)
{
    uint32_t m = get32(mask->bytes);
    int bits = 0;
    while (bits < 32 && (m & (0x80000000u >> bits)))
        bits++;
    /* Everything after the leading ones must be zero. */
    if (bits < 32 && (m << bits) != 0)
        return -1;
    return bits;
}

brisa_ip_addr brisa_dhcp_prefix_mask(uint8_t prefix_len)
{
    uint32_t m = prefix_len == 0 ? 0 : 0xffffffffu << (32 - (prefix_len > 32 ? 32 : prefix_len));
    uint8_t b[4];
    put32(b, m);
    return get_ip(b);
}

/* ------------------------------------------------------------------ parse */

enum { NAME_HOST = 0, NAME_DOMAIN = 1 };

typedef struct parse_state {
    brisa_dhcp_msg *m;
    uint8_t name_len[2];
    bool name_bad[2];   /* too long or not text: dropped at the end */
    bool name_done[2];  /* a NUL ended it; later bytes are padding */
} parse_state;

static int fixed(const parse_state *ps, uint8_t code, uint8_t len, uint8_t want)
{
    if (len != want || BRISA_DHCP_HAS(ps->m, code))
        return BRISA_ERR_MALFORMED;
    return BRISA_OK;
}

/* Appends a list of IPv4 addresses (RFC 3396 lets a list be split). */
static int add_addrs(brisa_ip_addr *list, uint8_t *count, const uint8_t *v, uint8_t len)
{
    if (len == 0 || len % 4 != 0)
        return BRISA_ERR_MALFORMED;
    for (uint8_t i = 0; i < len; i += 4) {
        if (*count < BRISA_DHCP_MAX_SERVERS)
            list[(*count)++] = get_ip(v + i);
    }
    return BRISA_OK;
}

static int add_name(parse_state *ps, int which, const uint8_t *v, uint8_t len)
{
    if (len == 0)
        return BRISA_ERR_MALFORMED;
    char *dst = which == NAME_HOST ? ps->m->lease.host_name : ps->m->lease.domain;
    for (uint8_t i = 0; i < len; i++) {
        /* Some servers count a trailing NUL in the length. */
        if (v[i] == 0) {
            ps->name_done[which] = true;
            continue;
        }
        if (ps->name_done[which] || v[i] < 0x20 || v[i] >= 0x7f) {
            ps->name_bad[which] = true;
            continue;
        }
        if (ps->name_len[which] >= BRISA_DHCP_NAME_MAX) {
            ps->name_bad[which] = true;
            continue;
        }
        dst[ps->name_len[which]++] = (char)v[i];
    }
    return BRISA_OK;
}

static int option(parse_state *ps, uint8_t code, const uint8_t *v, uint8_t len, bool main_field)
{
    brisa_dhcp_msg *m = ps->m;
    brisa_dhcp_lease *l = &m->lease;
    int rc = BRISA_OK;
    int prefix;
    switch (code) {
    case BRISA_DHCP_OPT_SUBNET_MASK:
        if ((rc = fixed(ps, code, len, 4)) != 0)
            return rc;
        l->mask = get_ip(v);
        prefix = brisa_dhcp_mask_prefix(&l->mask);
        if (prefix < 0)
            return BRISA_ERR_MALFORMED;
        l->prefix_len = (uint8_t)prefix;
        break;
    case BRISA_DHCP_OPT_ROUTER:
        if (len == 0 || len % 4 != 0)
            return BRISA_ERR_MALFORMED;
        if (!is_v4(&l->router))
            l->router = get_ip(v);
        break;
    case BRISA_DHCP_OPT_DNS:
        rc = add_addrs(l->dns, &l->dns_count, v, len);
        break;
    case BRISA_DHCP_OPT_NTP:
        rc = add_addrs(l->ntp, &l->ntp_count, v, len);
        break;
    case BRISA_DHCP_OPT_HOST_NAME:
        rc = add_name(ps, NAME_HOST, v, len);
        break;
    case BRISA_DHCP_OPT_DOMAIN:
        rc = add_name(ps, NAME_DOMAIN, v, len);
        break;
    case BRISA_DHCP_OPT_REQUESTED_IP:
        if ((rc = fixed(ps, code, len, 4)) == 0)
            m->requested = get_ip(v);
        break;
    case BRISA_DHCP_OPT_LEASE_TIME:
        if ((rc = fixed(ps, code, len, 4)) == 0)
            l->lease_s = get32(v);
        break;
    case BRISA_DHCP_OPT_T1:
        if ((rc = fixed(ps, code, len, 4)) == 0)
            l->t1_s = get32(v);
        break;
    case BRISA_DHCP_OPT_T2:
        if ((rc = fixed(ps, code, len, 4)) == 0)
            l->t2_s = get32(v);
        break;
    case BRISA_DHCP_OPT_OVERLOAD:
        /* Only the options field may say where else options are. */
        if (!main_field)
            return BRISA_ERR_MALFORMED;
        if ((rc = fixed(ps, code, len, 1)) == 0) {
            if (v[0] < 1 || v[0] > 3)
                return BRISA_ERR_MALFORMED;
            m->overload = v[0];
        }
        break;
    case BRISA_DHCP_OPT_MSG_TYPE:
        if ((rc = fixed(ps, code, len, 1)) == 0) {
            if (v[0] < BRISA_DHCP_DISCOVER || v[0] > BRISA_DHCP_INFORM)
                return BRISA_ERR_MALFORMED;
            m->type = v[0];
        }
        break;
    case BRISA_DHCP_OPT_SERVER_ID:
        if ((rc = fixed(ps, code, len, 4)) == 0)
            l->server_id = get_ip(v);
        break;
    case BRISA_DHCP_OPT_MAX_SIZE:
        if ((rc = fixed(ps, code, len, 2)) == 0) {
            m->max_size = (uint16_t)(v[0] << 8 | v[1]);
            if (m->max_size < 576)
                return BRISA_ERR_MALFORMED;
        }
        break;
    case BRISA_DHCP_OPT_PARAMS:
    case BRISA_DHCP_OPT_MESSAGE:
    case BRISA_DHCP_OPT_CLIENT_ID:
        if (len < (code == BRISA_DHCP_OPT_CLIENT_ID ? 2 : 1) || BRISA_DHCP_HAS(m, code))
            return BRISA_ERR_MALFORMED;
        if (code == BRISA_DHCP_OPT_PARAMS) {
            m->params = v;
            m->params_len = len;
        } else if (code == BRISA_DHCP_OPT_MESSAGE) {
            m->message = v;
            m->message_len = len;
        } else {
            m->client_id = v;
            m->client_id_len = len;
        }
        break;
    default:
        break; /* unknown options are skipped */
    }
    if (rc == BRISA_OK && code < 64)
        m->present |= (uint64_t)1 << code;
    return rc;
}

/* Walks one options area (the options field, file or sname). */
static int walk(parse_state *ps, const uint8_t *p, size_t len, bool main_field)
{
    size_t i = 0;
    while (i < len) {
        uint8_t code = p[i++];
        if (code == BRISA_DHCP_OPT_PAD)
            continue;
        if (code == BRISA_DHCP_OPT_END)
            return BRISA_OK;
        if (i >= len)
            return BRISA_ERR_MALFORMED; /* no length byte */
        uint8_t olen = p[i++];
        if (olen > len - i)
            return BRISA_ERR_MALFORMED; /* runs past the field */
        int rc = option(ps, code, p + i, olen, main_field);
        if (rc != BRISA_OK)
            return rc;
        i += olen;
    }
    return BRISA_ERR_MALFORMED; /* no END */
}

static void derive_times(brisa_dhcp_msg *m)
{
    brisa_dhcp_lease *l = &m->lease;
    if (!BRISA_DHCP_HAS(m, BRISA_DHCP_OPT_LEASE_TIME))
        return;
    if (l->lease_s == BRISA_DHCP_INFINITE) {
        l->t1_s = l->t2_s = BRISA_DHCP_INFINITE;
        return;
    }
    if (!BRISA_DHCP_HAS(m, BRISA_DHCP_OPT_T1))
        l->t1_s = l->lease_s / 2;
    if (!BRISA_DHCP_HAS(m, BRISA_DHCP_OPT_T2))
        l->t2_s = (uint32_t)((uint64_t)l->lease_s * 7 / 8);
}

brisa_err brisa_dhcp_parse(const uint8_t *buf, size_t len, uint8_t op, brisa_dhcp_msg *m)
{
    if (buf == NULL || m == NULL)
        return BRISA_ERR_INVALID_ARG;
    memset(m, 0, sizeof *m);
    if (len < BRISA_DHCP_OPTIONS_OFFSET)
        return BRISA_ERR_MALFORMED;
    if (memcmp(buf + OFF_COOKIE, magic_cookie, 4) != 0)
        return BRISA_ERR_MALFORMED;
    if (buf[OFF_OP] != op || buf[OFF_HLEN] > 16)
        return BRISA_ERR_MALFORMED;
    m->op = buf[OFF_OP];
    m->htype = buf[OFF_HTYPE];
    m->hlen = buf[OFF_HLEN];
    m->hops = buf[OFF_HOPS];
    m->xid = get32(buf + OFF_XID);
    m->secs = (uint16_t)(buf[OFF_SECS] << 8 | buf[OFF_SECS + 1]);
    m->flags = (uint16_t)(buf[OFF_FLAGS] << 8 | buf[OFF_FLAGS + 1]);
    m->ciaddr = get_ip(buf + OFF_CIADDR);
    m->yiaddr = get_ip(buf + OFF_YIADDR);
    m->siaddr = get_ip(buf + OFF_SIADDR);
    m->giaddr = get_ip(buf + OFF_GIADDR);
    memcpy(m->chaddr, buf + OFF_CHADDR, 16);

    parse_state ps;
    memset(&ps, 0, sizeof ps);
    ps.m = m;
    int rc = walk(&ps, buf + BRISA_DHCP_OPTIONS_OFFSET, len - BRISA_DHCP_OPTIONS_OFFSET, true);
    /* RFC 3396 order: options field, then file, then sname. */
    if (rc == BRISA_OK && (m->overload & 1))
        rc = walk(&ps, buf + OFF_FILE, FILE_LEN, false);
    if (rc == BRISA_OK && (m->overload & 2))
        rc = walk(&ps, buf + OFF_SNAME, SNAME_LEN, false);
    if (rc == BRISA_OK && m->type == 0)
        rc = BRISA_ERR_MALFORMED; /* BOOTP, not DHCP */
    if (rc != BRISA_OK) {
        memset(m, 0, sizeof *m);
        return rc;
    }
    if (ps.name_bad[NAME_HOST])
        memset(m->lease.host_name, 0, sizeof m->lease.host_name);
    if (ps.name_bad[NAME_DOMAIN])
        memset(m->lease.domain, 0, sizeof m->lease.domain);
    m->lease.address = m->yiaddr;
    derive_times(m);
    return BRISA_OK;
}

/* ------------------------------------------------------------------ build */

typedef struct writer {
    uint8_t *buf;
    size_t cap, len;
} writer;

static bool put_opt(writer *w, uint8_t code, const void *val, size_t len)
{
    if (len > 255 || w->cap - w->len < len + 2)
        return false;
    w->buf[w->len++] = code;
    w->buf[w->len++] = (uint8_t)len;
    if (len)
        memcpy(w->buf + w->len, val, len);
    w->len += len;
    return true;
}

static size_t text_len(const char *s)
{
    return s ? strlen(s) : 0;
}

int brisa_dhcp_build(const brisa_dhcp_request *req, uint8_t *buf, size_t cap)
{
    if (req == NULL || buf == NULL)
        return BRISA_ERR_INVALID_ARG;
    if (req->type < BRISA_DHCP_DISCOVER || req->type > BRISA_DHCP_INFORM || req->hlen > 16
        || (req->hlen && req->chaddr == NULL))
        return BRISA_ERR_INVALID_ARG;
    size_t host_len = text_len(req->host_name), msg_len = text_len(req->message);
    if ((req->host_name && (host_len == 0 || host_len > 255))
        || (req->message && (msg_len == 0 || msg_len > 255))
        || (req->client_id && req->client_id_len < 2)
        || (req->params && req->params_len == 0)
        || (req->max_size != 0 && req->max_size < 576))
        return BRISA_ERR_INVALID_ARG;
    if (cap < BRISA_DHCP_MIN_MSG_LEN)
        return BRISA_ERR_NO_SPACE;

    memset(buf, 0, BRISA_DHCP_MIN_MSG_LEN);
    buf[OFF_OP] = BRISA_DHCP_BOOTREQUEST;
    buf[OFF_HTYPE] = 1; /* Ethernet */
    buf[OFF_HLEN] = req->hlen;
    put32(buf + OFF_XID, req->xid);
    buf[OFF_SECS] = (uint8_t)(req->secs >> 8);
    buf[OFF_SECS + 1] = (uint8_t)req->secs;
    if (req->broadcast)
        buf[OFF_FLAGS] = BRISA_DHCP_FLAG_BROADCAST >> 8;
    if (is_v4(&req->ciaddr))
        memcpy(buf + OFF_CIADDR, req->ciaddr.bytes, 4);
    if (req->hlen)
        memcpy(buf + OFF_CHADDR, req->chaddr, req->hlen);
    memcpy(buf + OFF_COOKIE, magic_cookie, 4);

    writer w = { buf, cap, BRISA_DHCP_OPTIONS_OFFSET };
    uint8_t type = req->type;
    uint8_t size[2] = { (uint8_t)(req->max_size >> 8), (uint8_t)req->max_size };
    bool ok = put_opt(&w, BRISA_DHCP_OPT_MSG_TYPE, &type, 1);
    if (ok && req->client_id)
        ok = put_opt(&w, BRISA_DHCP_OPT_CLIENT_ID, req->client_id, req->client_id_len);
    if (ok && is_v4(&req->requested))
        ok = put_opt(&w, BRISA_DHCP_OPT_REQUESTED_IP, req->requested.bytes, 4);
    if (ok && is_v4(&req->server_id))
        ok = put_opt(&w, BRISA_DHCP_OPT_SERVER_ID, req->server_id.bytes, 4);
    if (ok && req->host_name)
        ok = put_opt(&w, BRISA_DHCP_OPT_HOST_NAME, req->host_name, host_len);
    if (ok && req->max_size)
        ok = put_opt(&w, BRISA_DHCP_OPT_MAX_SIZE, size, 2);
    if (ok && req->params)
        ok = put_opt(&w, BRISA_DHCP_OPT_PARAMS, req->params, req->params_len);
    if (ok && req->message)
        ok = put_opt(&w, BRISA_DHCP_OPT_MESSAGE, req->message, msg_len);
    if (!ok || w.len >= cap)
        return BRISA_ERR_NO_SPACE;
    buf[w.len++] = BRISA_DHCP_OPT_END;
    if (w.len < BRISA_DHCP_MIN_MSG_LEN)
        w.len = BRISA_DHCP_MIN_MSG_LEN; /* already zeroed */
    return (int)w.len;
}
