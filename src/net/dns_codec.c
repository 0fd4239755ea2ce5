// SPDX-License-Identifier: MIT
/* DNS message codec (RFC 1035 section 4, RFC 3596): pure functions, total
 * on any input. Every read is checked against the message length before
 * it happens. */
#include <string.h>

#include "brisa/dns.h"
#include "brisa/err.h"

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

const char *brisa_dns_rcode_str(int rcode)
{
    switch (rcode) {
    case BRISA_DNS_RCODE_NOERROR: return "NOERROR";
    case BRISA_DNS_RCODE_FORMERR: return "FORMERR";
    case BRISA_DNS_RCODE_SERVFAIL: return "SERVFAIL";
    case BRISA_DNS_RCODE_NXDOMAIN: return "NXDOMAIN";
    case BRISA_DNS_RCODE_NOTIMP: return "NOTIMP";
    case BRISA_DNS_RCODE_REFUSED: return "REFUSED";
    }
    return "RCODE";
}

const char *brisa_dns_type_str(int type)
{
    switch (type) {
    case BRISA_DNS_TYPE_A: return "A";
    case BRISA_DNS_TYPE_NS: return "NS";
    case BRISA_DNS_TYPE_CNAME: return "CNAME";
    case BRISA_DNS_TYPE_SOA: return "SOA";
    case BRISA_DNS_TYPE_PTR: return "PTR";
    case BRISA_DNS_TYPE_MX: return "MX";
    case BRISA_DNS_TYPE_TXT: return "TXT";
    case BRISA_DNS_TYPE_AAAA: return "AAAA";
    }
    return "TYPE";
}

brisa_err brisa_dns_header_parse(const uint8_t *msg, size_t len, brisa_dns_header *h)
{
    if (!msg || len < BRISA_DNS_HEADER_LEN)
        return BRISA_ERR_MALFORMED;
    h->id = get16(msg);
    h->flags = get16(msg + 2);
    h->qdcount = get16(msg + 4);
    h->ancount = get16(msg + 6);
    h->nscount = get16(msg + 8);
    h->arcount = get16(msg + 10);
    return BRISA_OK;
}

brisa_err brisa_dns_name_encode(const char *text, brisa_dns_name *out)
{
    if (!text || !out)
        return BRISA_ERR_INVALID_ARG;
    size_t tlen = strlen(text);
    if (tlen == 1 && text[0] == '.')
        tlen = 0; /* the root */
    else if (tlen > 0 && text[tlen - 1] == '.')
        tlen--;   /* a fully qualified name: same thing on the wire */
    size_t pos = 0, i = 0;
    while (i < tlen) {
        size_t start = i;
        while (i < tlen && text[i] != '.')
            i++;
        size_t label = i - start;
        /* +1 for this length byte, +1 for the final root label. */
        if (label == 0 || label > BRISA_DNS_LABEL_MAX || pos + label + 2 > BRISA_DNS_NAME_MAX)
            return BRISA_ERR_INVALID_ARG;
        out->wire[pos++] = (uint8_t)label;
        memcpy(&out->wire[pos], &text[start], label);
        pos += label;
        if (i < tlen && ++i == tlen)
            return BRISA_ERR_INVALID_ARG; /* "a..": an empty last label */
    }
    out->wire[pos++] = 0;
    out->len = (uint8_t)pos;
    return BRISA_OK;
}

brisa_err brisa_dns_name_read(const uint8_t *msg, size_t len, size_t *off, brisa_dns_name *out)
{
    size_t p = *off;
    size_t after = 0;     /* where the caller resumes: set at the first pointer */
    bool jumped = false;
    size_t pos = 0;

    for (;;) {
        if (p >= len)
            return BRISA_ERR_MALFORMED;
        uint8_t b = msg[p];
        if ((b & 0xc0u) == 0xc0u) {
            if (p + 1 >= len)
                return BRISA_ERR_MALFORMED;
            size_t target = (size_t)(b & 0x3fu) << 8 | msg[p + 1];
            /* Only strictly backward pointers: each jump lands earlier in
             * the message, so the walk ends, whatever the peer sent. */
            if (target >= p)
                return BRISA_ERR_MALFORMED;
            if (!jumped) {
                after = p + 2;
                jumped = true;
            }
            p = target;
            continue;
        }
        if (b & 0xc0u)
            return BRISA_ERR_MALFORMED; /* 0x40 / 0x80: extended label types */
        if (b == 0) {
            if (pos + 1 > BRISA_DNS_NAME_MAX)
                return BRISA_ERR_MALFORMED;
            out->wire[pos++] = 0;
            break;
        }
        /* b <= 63 here. Room for the label and the final root byte. */
        if (p + 1 + b > len || pos + 1 + b + 1 > BRISA_DNS_NAME_MAX)
            return BRISA_ERR_MALFORMED;
        memcpy(&out->wire[pos], &msg[p], 1u + b);
        pos += 1u + b;
        p += 1u + b;
    }
    out->len = (uint8_t)pos;
    *off = jumped ? after : p + 1;
    return BRISA_OK;
}

int brisa_dns_name_to_text(const brisa_dns_name *name, char *buf, size_t cap)
{
    size_t out = 0;
    size_t p = 0;

    if (!name || !buf || name->len == 0)
        return BRISA_ERR_INVALID_ARG;
    if (name->wire[0] == 0) {
        if (cap < 2)
            return BRISA_ERR_NO_SPACE;
        buf[0] = '.';
        buf[1] = '\0';
        return 1;
    }
    while (p < name->len && name->wire[p] != 0) {
        uint8_t l = name->wire[p++];
        if (out > 0) {
            if (out + 1 >= cap)
                return BRISA_ERR_NO_SPACE;
            buf[out++] = '.';
        }
        for (uint8_t i = 0; i < l && p < name->len; i++, p++) {
            uint8_t c = name->wire[p];
            if (c == '.' || c == '\\') {
                if (out + 2 >= cap)
                    return BRISA_ERR_NO_SPACE;
                buf[out++] = '\\';
                buf[out++] = (char)c;
            } else if (c < 0x21 || c > 0x7e) {
                if (out + 4 >= cap)
                    return BRISA_ERR_NO_SPACE;
                buf[out++] = '\\';
                buf[out++] = (char)('0' + c / 100);
                buf[out++] = (char)('0' + c / 10 % 10);
                buf[out++] = (char)('0' + c % 10);
            } else {
                if (out + 1 >= cap)
                    return BRISA_ERR_NO_SPACE;
                buf[out++] = (char)c;
            }
        }
    }
    buf[out] = '\0';
    return (int)out;
}

static uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

bool brisa_dns_name_equal(const brisa_dns_name *a, const brisa_dns_name *b)
{
    if (a->len != b->len)
        return false;
    /* Length bytes are <= 63 and so unaffected by lower(). */
    for (size_t i = 0; i < a->len; i++)
        if (lower(a->wire[i]) != lower(b->wire[i]))
            return false;
    return true;
}

int brisa_dns_query_build(const brisa_dns_question *q, uint8_t *buf, size_t cap)
{
    if (!q || !buf || q->name.len == 0)
        return BRISA_ERR_INVALID_ARG;
    size_t total = BRISA_DNS_HEADER_LEN + q->name.len + 4u;
    if (cap < total)
        return BRISA_ERR_NO_SPACE;
    memset(buf, 0, BRISA_DNS_HEADER_LEN);
    put16(buf, q->id);
    put16(buf + 2, BRISA_DNS_FLAG_RD);
    put16(buf + 4, 1);
    memcpy(buf + BRISA_DNS_HEADER_LEN, q->name.wire, q->name.len);
    put16(buf + BRISA_DNS_HEADER_LEN + q->name.len, q->qtype);
    put16(buf + BRISA_DNS_HEADER_LEN + q->name.len + 2, BRISA_DNS_CLASS_IN);
    return (int)total;
}

/* One resource record, its rdata still in the message. */
typedef struct rr {
    brisa_dns_name owner;
    uint16_t type, cls;
    uint32_t ttl;
    size_t rdata, rdlen;
} rr;

/* Reads the record at *off and checks the rdata of the types we use. */
static int rr_read(const uint8_t *msg, size_t len, size_t *off, rr *out)
{
    int rc = brisa_dns_name_read(msg, len, off, &out->owner);
    if (rc < 0)
        return rc;
    if (len - *off < 10)
        return BRISA_ERR_MALFORMED;
    const uint8_t *p = msg + *off;
    out->type = get16(p);
    out->cls = get16(p + 2);
    out->ttl = get32(p + 4);
    if (out->ttl & 0x80000000u)
        out->ttl = 0; /* RFC 2181 8: a TTL with the top bit set means zero */
    out->rdlen = get16(p + 8);
    out->rdata = *off + 10;
    if (out->rdlen > len - out->rdata)
        return BRISA_ERR_MALFORMED;
    *off = out->rdata + out->rdlen;
    if (out->cls != BRISA_DNS_CLASS_IN)
        return BRISA_OK;
    if ((out->type == BRISA_DNS_TYPE_A && out->rdlen != 4) ||
        (out->type == BRISA_DNS_TYPE_AAAA && out->rdlen != 16))
        return BRISA_ERR_MALFORMED;
    if (out->type == BRISA_DNS_TYPE_CNAME) {
        /* The target must fill the rdata exactly, not run past it. */
        size_t t = out->rdata;
        brisa_dns_name target;
        rc = brisa_dns_name_read(msg, out->rdata + out->rdlen, &t, &target);
        if (rc < 0 || t != out->rdata + out->rdlen)
            return BRISA_ERR_MALFORMED;
    }
    return BRISA_OK;
}

static uint32_t min32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

/* Stores the address of a matching A/AAAA record. */
static void take_addr(const uint8_t *msg, const rr *r, uint32_t chain_ttl, brisa_dns_result *res)
{
    res->addr_total++;
    res->ttl = min32(res->ttl, r->ttl);
    if (res->addr_count >= res->addr_cap)
        return;
    brisa_dns_addr *a = &res->addrs[res->addr_count++];
    memset(a, 0, sizeof *a);
    a->ip.family = r->type == BRISA_DNS_TYPE_A ? BRISA_IP_V4 : BRISA_IP_V6;
    memcpy(a->ip.bytes, msg + r->rdata, r->rdlen);
    a->ttl = min32(r->ttl, chain_ttl);
}

/* Parses header and question; BRISA_ERR_PROTOCOL unless they match q. */
static int check_question(const uint8_t *msg, size_t len, const brisa_dns_question *q,
                          brisa_dns_header *h, size_t *off)
{
    if (brisa_dns_header_parse(msg, len, h) < 0)
        return BRISA_ERR_PROTOCOL;
    if (!(h->flags & BRISA_DNS_FLAG_QR) || BRISA_DNS_OPCODE(h->flags) != 0 ||
        h->id != q->id || h->qdcount != 1)
        return BRISA_ERR_PROTOCOL;
    brisa_dns_name name;
    *off = BRISA_DNS_HEADER_LEN;
    if (brisa_dns_name_read(msg, len, off, &name) < 0 || len - *off < 4)
        return BRISA_ERR_PROTOCOL;
    if (!brisa_dns_name_equal(&name, &q->name) || get16(msg + *off) != q->qtype ||
        get16(msg + *off + 2) != BRISA_DNS_CLASS_IN)
        return BRISA_ERR_PROTOCOL;
    *off += 4;
    return BRISA_OK;
}

/* True when @p name is @p zone or below it (both in wire form). */
static bool name_within(const brisa_dns_name *name, const brisa_dns_name *zone)
{
    for (size_t i = 0; i < name->len; i += (size_t)name->wire[i] + 1u) {
        if ((size_t)(name->len - i) != zone->len)
            continue;
        for (size_t k = 0; k < zone->len; k++)
            if (lower(name->wire[i + k]) != lower(zone->wire[k]))
                return false;
        return true;
    }
    return false;
}

/* RFC 2308 5: a denial may be cached for the smaller of the SOA record's
 * TTL and its MINIMUM field, when the authority section (at @p off) holds
 * the SOA of a zone @p name is in. 0 otherwise: without it, not at all. */
static uint32_t denial_ttl(const uint8_t *msg, size_t len, size_t off,
                           const brisa_dns_header *h, const brisa_dns_name *name)
{
    rr r;
    for (unsigned i = 0; i < h->nscount; i++) {
        if (rr_read(msg, len, &off, &r) < 0)
            return 0;
        if (r.type != BRISA_DNS_TYPE_SOA || r.cls != BRISA_DNS_CLASS_IN ||
            !name_within(name, &r.owner))
            continue;
        /* MNAME and RNAME, then five 32-bit fields filling the rdata. */
        size_t end = r.rdata + r.rdlen, p = r.rdata;
        brisa_dns_name skip;
        if (brisa_dns_name_read(msg, end, &p, &skip) < 0 ||
            brisa_dns_name_read(msg, end, &p, &skip) < 0 || end - p != 20u)
            return 0;
        uint32_t minimum = get32(msg + p + 16);
        return min32(r.ttl, minimum & 0x80000000u ? 0 : minimum);
    }
    return 0;
}

brisa_err brisa_dns_reply_parse(const uint8_t *msg, size_t len, const brisa_dns_question *q,
                                brisa_dns_result *res)
{
    brisa_dns_header h;
    size_t answers = 0;
    rr r;

    if (!msg || !q || !res)
        return BRISA_ERR_INVALID_ARG;
    res->addr_count = res->addr_total = res->cname_count = 0;
    res->ttl = UINT32_MAX;
    res->rcode = 0;
    res->negative_ttl = 0;
    res->truncated = false;
    int rc = check_question(msg, len, q, &h, &answers);
    if (rc < 0)
        return rc;
    res->truncated = (h.flags & BRISA_DNS_FLAG_TC) != 0;
    res->rcode = (uint8_t)BRISA_DNS_RCODE(h.flags);
    if (res->rcode != BRISA_DNS_RCODE_NOERROR) {
        if (res->rcode == BRISA_DNS_RCODE_NXDOMAIN) {
            /* A denial reached through aliases lives no longer than they. */
            size_t off = answers;
            uint32_t aliases_ttl = UINT32_MAX;
            unsigned i = 0;
            for (; i < h.ancount && rr_read(msg, len, &off, &r) == BRISA_OK; i++)
                aliases_ttl = min32(aliases_ttl, r.ttl);
            if (i == h.ancount)
                res->negative_ttl = min32(aliases_ttl, denial_ttl(msg, len, off, &h, &q->name));
        }
        return BRISA_ERR_DNS_RCODE;
    }

    /* Check every answer record once, so the passes below cannot fail. */
    size_t off = answers;
    for (unsigned i = 0; i < h.ancount; i++)
        if (rr_read(msg, len, &off, &r) < 0)
            return BRISA_ERR_MALFORMED;
    size_t authority = off;

    /* Follow the chain: each pass looks for records owned by `cur`. */
    brisa_dns_name cur = q->name;
    uint32_t chain_ttl = UINT32_MAX;
    bool answered = false; /* records of the asked type, addresses or not */
    for (;;) {
        bool found = false, alias = false;
        size_t alias_at = 0;
        uint32_t alias_ttl = 0;
        off = answers;
        for (unsigned i = 0; i < h.ancount; i++) {
            (void)rr_read(msg, len, &off, &r);
            if (r.cls != BRISA_DNS_CLASS_IN || !brisa_dns_name_equal(&r.owner, &cur))
                continue;
            if (r.type == q->qtype) {
                if (r.type == BRISA_DNS_TYPE_A || r.type == BRISA_DNS_TYPE_AAAA)
                    take_addr(msg, &r, chain_ttl, res);
                found = true;
            } else if (r.type == BRISA_DNS_TYPE_CNAME && !alias) {
                alias = true;
                alias_at = r.rdata;
                alias_ttl = r.ttl;
            }
        }
        answered = found;
        if (found || !alias)
            break;
        if (res->cname_count >= BRISA_DNS_CNAME_MAX)
            return BRISA_ERR_TOO_LARGE; /* also what a CNAME loop ends in */
        (void)brisa_dns_name_read(msg, len, &alias_at, &cur);
        chain_ttl = min32(chain_ttl, alias_ttl);
        res->ttl = min32(res->ttl, alias_ttl);
        if (res->cnames && res->cname_count < res->cname_cap) {
            res->cnames[res->cname_count].target = cur;
            res->cnames[res->cname_count].ttl = alias_ttl;
        }
        res->cname_count++;
    }
    if (res->addr_total == 0) {
        if (res->ttl == UINT32_MAX)
            res->ttl = 0;
        if (!answered) /* cached under the asked name: no longer than the chain */
            res->negative_ttl = min32(chain_ttl, denial_ttl(msg, len, authority, &h, &cur));
        return BRISA_ERR_DNS_NO_ANSWER;
    }
    return BRISA_OK;
}
