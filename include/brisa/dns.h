// SPDX-License-Identifier: MIT
/**
 * @file dns.h
 * DNS stub resolver (RFC 1034/1035, AAAA from RFC 3596).
 *
 * Two layers, both freestanding:
 *  - the codec (src/net/dns_codec.c): pure functions that build a query
 *    and take a reply apart -- name compression, CNAME chains, every length
 *    checked against the packet;
 *  - the resolver (src/net/dns.c): asks a list of servers over UDP with a
 *    fresh random id and source port per query, retries, falls back to the
 *    next server, retries truncated answers over TCP, and keeps a small
 *    cache that honours TTLs -- of answers, and of denials (NXDOMAIN, no
 *    such record) that come with their zone's SOA (RFC 2308; at most
 *    BRISA_DNS_DENIAL_TTL_MAX).
 *
 * Names cross the API in wire form (length-prefixed labels, at most 255
 * bytes) so that a label holding a '.' cannot be confused with two labels;
 * brisa_dns_name_encode() and brisa_dns_name_to_text() convert.
 * All memory comes from the caller; nothing is allocated.
 */
#ifndef BRISA_DNS_H
#define BRISA_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brisa/err.h"
#include "brisa/export.h"
#include "brisa/config.h"
#include "brisa/clock.h"
#include "brisa/datagram.h"
#include "brisa/ip.h"
#include "brisa/rng.h"
#include "brisa/transport.h"

BRISA_BEGIN_DECLS

#define BRISA_DNS_PORT 53         /**< UDP and TCP port of DNS servers */
#define BRISA_DNS_HEADER_LEN 12   /**< bytes of the fixed header */
#define BRISA_DNS_NAME_MAX 255   /**< longest name in wire form */
#define BRISA_DNS_LABEL_MAX 63    /**< longest label of a name */
#define BRISA_DNS_TEXT_MAX 1024  /**< text of any wire name, escapes and NUL */
#define BRISA_DNS_UDP_MAX 512    /**< largest reply over UDP without EDNS */
#define BRISA_DNS_CNAME_MAX 8    /**< longest CNAME chain followed */
#define BRISA_DNS_MAX_SERVERS 32  /**< most servers a resolver is given */
#define BRISA_DNS_CACHE_ADDRS 4  /**< addresses kept per cache entry */
#define BRISA_DNS_DENIAL_TTL_MAX 10800u /**< longest a denial is cached (RFC 2308 5) */

/** Record types the resolver knows by name. */
typedef enum brisa_dns_type {
    BRISA_DNS_TYPE_A = 1,
    BRISA_DNS_TYPE_NS = 2,
    BRISA_DNS_TYPE_CNAME = 5,
    BRISA_DNS_TYPE_SOA = 6,
    BRISA_DNS_TYPE_PTR = 12,
    BRISA_DNS_TYPE_MX = 15,
    BRISA_DNS_TYPE_TXT = 16,
    BRISA_DNS_TYPE_AAAA = 28
} brisa_dns_type;

/** The Internet class, the only one asked for. */
#define BRISA_DNS_CLASS_IN 1

/** Response codes (RFC 1035 4.1.1). */
typedef enum brisa_dns_rcode {
    BRISA_DNS_RCODE_NOERROR = 0,
    BRISA_DNS_RCODE_FORMERR = 1,
    BRISA_DNS_RCODE_SERVFAIL = 2,
    BRISA_DNS_RCODE_NXDOMAIN = 3,
    BRISA_DNS_RCODE_NOTIMP = 4,
    BRISA_DNS_RCODE_REFUSED = 5
} brisa_dns_rcode;

/** Header flag bits (the 16-bit word after the id). */
#define BRISA_DNS_FLAG_QR 0x8000u /**< a response */
#define BRISA_DNS_FLAG_AA 0x0400u /**< authoritative answer */
#define BRISA_DNS_FLAG_TC 0x0200u /**< truncated: ask again over TCP */
#define BRISA_DNS_FLAG_RD 0x0100u /**< recursion desired */
#define BRISA_DNS_FLAG_RA 0x0080u /**< recursion available */
/** The opcode in header @p flags (0: a standard query). */
#define BRISA_DNS_OPCODE(flags) (((flags) >> 11) & 0xfu)
/** The brisa_dns_rcode in header @p flags. */
#define BRISA_DNS_RCODE(flags) ((flags) & 0xfu)

/** Name of an RCODE ("NXDOMAIN"), or "RCODE" for unknown ones; never NULL. */
const char *brisa_dns_rcode_str(int rcode);

/** Name of a record type ("AAAA"), or "TYPE" for unknown ones; never NULL. */
const char *brisa_dns_type_str(int type);

/** The fixed header of a DNS message. */
typedef struct brisa_dns_header {
    uint16_t id;      /**< query id, echoed by the reply */
    uint16_t flags;   /**< BRISA_DNS_FLAG_*, opcode and rcode */
    uint16_t qdcount; /**< entries in the question section */
    uint16_t ancount; /**< records in the answer section */
    uint16_t nscount; /**< records in the authority section */
    uint16_t arcount; /**< records in the additional section */
} brisa_dns_header;

/** A name in wire form, uncompressed. */
typedef struct brisa_dns_name {
    uint8_t len;                       /**< bytes used in wire, 1..255 */
    uint8_t wire[BRISA_DNS_NAME_MAX];  /**< length-prefixed labels, ending with 0 */
} brisa_dns_name;

/** What a query asked: the reply must echo it. */
typedef struct brisa_dns_question {
    uint16_t id;          /**< the query's id */
    uint16_t qtype;       /**< brisa_dns_type asked for */
    brisa_dns_name name;  /**< the name asked for */
} brisa_dns_question;

/** One address of an answer, with the seconds it may still be used. */
typedef struct brisa_dns_addr {
    brisa_ip_addr ip;  /**< the address */
    uint32_t ttl;      /**< seconds it may still be used */
} brisa_dns_addr;

/** One link of a CNAME chain: the name the previous one is an alias for. */
typedef struct brisa_dns_cname {
    brisa_dns_name target;  /**< the canonical name */
    uint32_t ttl;           /**< seconds the alias may be cached */
} brisa_dns_cname;

/**
 * The outcome of a lookup. The caller points addrs (and optionally cnames)
 * at its own arrays; everything else is filled in.
 */
typedef struct brisa_dns_result {
    brisa_dns_addr *addrs;    /**< caller's array for the addresses */
    size_t addr_cap;          /**< entries at addrs */
    brisa_dns_cname *cnames;  /**< caller's array for the chain, or NULL */
    size_t cname_cap;         /**< entries at cnames */

    size_t addr_count;        /**< addresses stored (at most addr_cap) */
    size_t addr_total;        /**< addresses in the answer (may be more) */
    size_t cname_count;       /**< links followed (stored: min with cap) */
    uint32_t ttl;             /**< smallest TTL of the chain and addresses */
    uint32_t negative_ttl;    /**< NXDOMAIN or no such record: seconds the
                                   denial may be cached (RFC 2308: the
                                   authority's SOA TTL or MINIMUM, the
                                   smaller); 0 without an SOA */
    uint8_t rcode;            /**< brisa_dns_rcode of the reply */
    bool truncated;           /**< the server set TC */
    bool from_cache;          /**< answered from the cache, no query sent */
    bool via_tcp;             /**< the answer came over TCP */
    size_t server;            /**< index of the server that answered */
    unsigned queries;         /**< queries sent (UDP and TCP) */
    unsigned ignored;         /**< datagrams dropped: wrong source, id or question */
} brisa_dns_result;

/** Decodes the header of @p msg. Returns BRISA_OK or BRISA_ERR_MALFORMED
 *  when @p len is shorter than a header. */
brisa_err brisa_dns_header_parse(const uint8_t *msg, size_t len, brisa_dns_header *h);

/**
 * Converts dotted text ("www.example.com", a final '.' allowed; "." is the
 * root) into wire form in @p out. Labels must be 1..63 bytes and the whole
 * name at most 255. Returns BRISA_OK or BRISA_ERR_INVALID_ARG.
 */
brisa_err brisa_dns_name_encode(const char *text, brisa_dns_name *out);

/**
 * Reads the possibly compressed name at @p *off of @p msg into @p out and
 * advances @p *off past it (past the first pointer, if any). Pointers must
 * point backwards, so loops are impossible; labels over 63 bytes, names
 * over 255, reserved label types and anything past @p len are rejected
 * with BRISA_ERR_MALFORMED. Returns BRISA_OK.
 */
brisa_err brisa_dns_name_read(const uint8_t *msg, size_t len, size_t *off, brisa_dns_name *out);

/**
 * Writes @p name as text into @p buf ("www.example.com", "." for the
 * root), escaping '.', '\\' and unprintable bytes as \\DDD like dig.
 * BRISA_DNS_TEXT_MAX bytes always suffice. Returns the text length or
 * BRISA_ERR_NO_SPACE.
 */
int brisa_dns_name_to_text(const brisa_dns_name *name, char *buf, size_t cap);

/** True when both names are equal ignoring ASCII case (RFC 4343). */
bool brisa_dns_name_equal(const brisa_dns_name *a, const brisa_dns_name *b);

/**
 * Builds a standard query with RD set for @p q (one question, class IN)
 * into @p buf. Returns the message length or BRISA_ERR_NO_SPACE.
 */
int brisa_dns_query_build(const brisa_dns_question *q, uint8_t *buf, size_t cap);

/**
 * Parses the reply @p msg to the query @p q into @p res (its counters are
 * reset; its arrays are the caller's). Follows the CNAME chain inside the
 * answer section from the question name, at most BRISA_DNS_CNAME_MAX links,
 * and collects the records of the asked type of the final name.
 *
 * Returns BRISA_OK with at least one address; BRISA_ERR_PROTOCOL when the
 * message is not a reply to @p q (QR clear, other id, opcode or question:
 * a resolver ignores it); BRISA_ERR_DNS_RCODE with res->rcode set;
 * BRISA_ERR_DNS_NO_ANSWER when the name has no such record;
 * BRISA_ERR_TOO_LARGE when the chain is longer than allowed;
 * BRISA_ERR_MALFORMED for anything broken. res->truncated reports TC in
 * every case but BRISA_ERR_PROTOCOL.
 */
brisa_err brisa_dns_reply_parse(const uint8_t *msg, size_t len, const brisa_dns_question *q,
                                brisa_dns_result *res);

/* ---- resolver ---------------------------------------------------------- */

/** Opens TCP streams for answers too large for UDP. */
typedef struct brisa_dns_tcp_opener {
    void *ctx;  /**< passed to open; the caller's, it outlives the resolver */
    /** Connects to @p ip : @p port within @p timeout_ms and fills @p out.
     *  At most one stream is open at a time; the resolver closes it.
     *  Returns 0 or a negative brisa_err. */
    int (*open)(void *ctx, const brisa_ip_addr *ip, uint16_t port,
                uint32_t timeout_ms, brisa_transport *out);
} brisa_dns_tcp_opener;

/** A server to ask. */
typedef struct brisa_dns_server {
    brisa_ip_addr addr;       /**< its address */
    uint16_t port;            /**< 0 means 53 */
} brisa_dns_server;

/** One cache slot. Internal: the caller only provides the array. */
typedef struct brisa_dns_cache_entry {
    brisa_dns_name name;      /**< lower-cased; len 0: slot free */
    uint16_t qtype;           /**< brisa_dns_type cached */
    uint8_t count;            /**< 0: a cached denial (see rcode) */
    uint8_t rcode;            /**< denial: NXDOMAIN, or NOERROR for no record */
    uint32_t denial_ttl;      /**< denial: its TTL when stored */
    uint64_t stored_ms;       /**< monotonic time it was stored */
    brisa_dns_addr addrs[BRISA_DNS_CACHE_ADDRS]; /**< TTLs when stored */
} brisa_dns_cache_entry;

/** Resolver settings: copied by brisa_dns_init(); what they point to
 *  stays the caller's and must outlive the resolver. */
typedef struct brisa_dns_config {
    const brisa_dns_server *servers; /**< tried in order; must outlive the resolver */
    size_t server_count;             /**< 1..BRISA_DNS_MAX_SERVERS */
    brisa_datagram_opener udp;       /**< one fresh endpoint per query */
    brisa_dns_tcp_opener tcp;        /**< open NULL: truncated answers used as they are */
    brisa_clock clock;               /**< monotonic time for timeouts and TTLs */
    brisa_rng rng;                   /**< query ids */
    uint8_t *buf;                    /**< message buffer, at least 512 bytes; */
    size_t buf_size;                 /**< also the largest TCP answer taken */
    uint32_t timeout_ms;             /**< wait per query; 0: 2000 */
    uint8_t attempts;                /**< rounds over the server list; 0: 2 */
    brisa_dns_cache_entry *cache;    /**< may be NULL: no cache */
    size_t cache_count;              /**< entries at cache */
} brisa_dns_config;

/** The resolver. Caller-allocated; fields are private. */
typedef struct brisa_dns_resolver {
    /** @cond PRIVATE */
    brisa_dns_config cfg;
    brisa_dns_question q;
    brisa_dns_result *res;
    brisa_datagram sock;
    bool sock_open;
    bool busy;
    uint8_t preferred;        /**< server that answered last */
    uint8_t server;           /**< server of the query in flight */
    uint32_t failed;          /**< servers out of this lookup (bit per index) */
    unsigned tries;           /**< UDP queries sent in this lookup */
    uint64_t try_deadline_ms;
    uint64_t deadline_ms;     /**< overall limit; UINT64_MAX: none */
    int last_err;
    uint8_t last_rcode;
    /** @endcond */
} brisa_dns_resolver;

/** Prepares @p r from @p cfg (copied; the server list, buffer and cache
 *  are referenced). Returns BRISA_OK or BRISA_ERR_INVALID_ARG. */
brisa_err brisa_dns_init(brisa_dns_resolver *r, const brisa_dns_config *cfg);

/**
 * Starts looking up @p name (text) for @p qtype (A or AAAA; other types
 * are parsed but yield no addresses). @p res must stay valid until the
 * lookup ends. Returns BRISA_OK when the cache answered (res is filled
 * with the addresses and their remaining TTLs, but not the CNAME chain),
 * BRISA_ERR_DNS_RCODE (rcode NXDOMAIN) or BRISA_ERR_DNS_NO_ANSWER when it
 * holds a denial (res->from_cache set, negative_ttl what is left of it),
 * BRISA_ERR_WOULD_BLOCK when a query is on its way (call brisa_dns_poll),
 * BRISA_ERR_INVALID_ARG for a bad name, BRISA_ERR_BUSY when a lookup is
 * already running, or the error of opening the first endpoint.
 */
brisa_err brisa_dns_start(brisa_dns_resolver *r, const char *name, uint16_t qtype,
                          brisa_dns_result *res);

/**
 * Advances the lookup: waits at most @p wait_ms for a reply (0: just
 * check), sends the next query when one timed out. Returns
 * BRISA_ERR_WOULD_BLOCK while the lookup goes on; otherwise its result,
 * as brisa_dns_reply_parse() describes, or BRISA_ERR_TIMEOUT when no
 * server answered. SERVFAIL, REFUSED, NOTIMP, FORMERR and malformed
 * replies move on to the next server; the last such failure is returned
 * when no server gave a usable answer. A retry over TCP (after TC) runs
 * to its end inside one call, bounded by the per-query timeout.
 */
brisa_err brisa_dns_poll(brisa_dns_resolver *r, uint32_t wait_ms);

/** Abandons the lookup in progress, if any, and closes its endpoint. */
void brisa_dns_cancel(brisa_dns_resolver *r);

/**
 * Blocking lookup: start + poll until done, but never longer than
 * @p timeout_ms in total (0: only the per-query timeouts and attempts
 * bound it). Returns what brisa_dns_poll() would.
 */
brisa_err brisa_dns_resolve(brisa_dns_resolver *r, const char *name, uint16_t qtype,
                            brisa_dns_result *res, uint32_t timeout_ms);

/** Empties the cache. */
void brisa_dns_cache_flush(brisa_dns_resolver *r);

BRISA_END_DECLS

#endif /* BRISA_DNS_H */
