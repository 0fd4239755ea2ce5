// SPDX-License-Identifier: MIT
/**
 * @file dhcp.h
 * DHCP client (RFC 2131, options from RFC 2132): a pure codec and a state
 * machine that obtains, renews, rebinds and releases an IPv4 lease.
 *
 * The state machine talks only through the datagram, clock and rng
 * interfaces, plus an optional "address in use" hook (an ARP probe on a
 * real network). It never configures an interface: it reports events and
 * the application (or the port) applies the lease.
 *
 * Typical use:
 *
 *     brisa_dhcp_client c;
 *     brisa_dhcp_init(&c, &cfg, &dgram, &clock, &rng, buf, sizeof buf);
 *     int ev = brisa_dhcp_obtain(&c, 0);   // BOUND or FALLBACK, or error
 *     ... apply brisa_dhcp_get_lease(&c) ...
 *     for (;;) { ev = brisa_dhcp_step(&c, 1000); ... }   // renew/rebind
 *     brisa_dhcp_release(&c);
 */
#ifndef BRISA_DHCP_H
#define BRISA_DHCP_H

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

BRISA_BEGIN_DECLS

/** UDP port DHCP servers listen on. */
#define BRISA_DHCP_SERVER_PORT 67
/** UDP port DHCP clients listen on. */
#define BRISA_DHCP_CLIENT_PORT 68

/** Fixed BOOTP header (RFC 2131 figure 1), then the 4-byte magic cookie. */
#define BRISA_DHCP_HEADER_LEN 236
/** Where the options start: the header and the magic cookie. */
#define BRISA_DHCP_OPTIONS_OFFSET 240
/** Messages we build are padded to the BOOTP minimum (RFC 1542 2.1). */
#define BRISA_DHCP_MIN_MSG_LEN 300
/** Smallest receive buffer: a 576-byte IP datagram less IP and UDP headers
 *  (RFC 2131 2: clients must accept messages of that size). */
#define BRISA_DHCP_MIN_BUFFER 548
/** Lease, T1 or T2 value meaning "forever". */
#define BRISA_DHCP_INFINITE 0xffffffffu

/* BRISA_DHCP_MAX_SERVERS and BRISA_DHCP_NAME_MAX: brisa/config.h */

/** BOOTP op codes. */
enum { BRISA_DHCP_BOOTREQUEST = 1, BRISA_DHCP_BOOTREPLY = 2 };

/** DHCP message types (option 53). */
typedef enum brisa_dhcp_msg_type {
    BRISA_DHCP_DISCOVER = 1,
    BRISA_DHCP_OFFER = 2,
    BRISA_DHCP_REQUEST = 3,
    BRISA_DHCP_DECLINE = 4,
    BRISA_DHCP_ACK = 5,
    BRISA_DHCP_NAK = 6,
    BRISA_DHCP_RELEASE = 7,
    BRISA_DHCP_INFORM = 8
} brisa_dhcp_msg_type;

/** Option codes the codec understands (RFC 2132). */
enum {
    BRISA_DHCP_OPT_PAD = 0,
    BRISA_DHCP_OPT_SUBNET_MASK = 1,
    BRISA_DHCP_OPT_ROUTER = 3,
    BRISA_DHCP_OPT_DNS = 6,
    BRISA_DHCP_OPT_HOST_NAME = 12,
    BRISA_DHCP_OPT_DOMAIN = 15,
    BRISA_DHCP_OPT_NTP = 42,
    BRISA_DHCP_OPT_REQUESTED_IP = 50,
    BRISA_DHCP_OPT_LEASE_TIME = 51,
    BRISA_DHCP_OPT_OVERLOAD = 52,
    BRISA_DHCP_OPT_MSG_TYPE = 53,
    BRISA_DHCP_OPT_SERVER_ID = 54,
    BRISA_DHCP_OPT_PARAMS = 55,
    BRISA_DHCP_OPT_MESSAGE = 56,
    BRISA_DHCP_OPT_MAX_SIZE = 57,
    BRISA_DHCP_OPT_T1 = 58,
    BRISA_DHCP_OPT_T2 = 59,
    BRISA_DHCP_OPT_CLIENT_ID = 61,
    BRISA_DHCP_OPT_END = 255
};

/** The flags bit asking servers to broadcast their replies. */
#define BRISA_DHCP_FLAG_BROADCAST 0x8000u

/** Where a configuration came from. */
typedef enum brisa_dhcp_source {
    BRISA_DHCP_SOURCE_NONE = 0,
    BRISA_DHCP_SOURCE_SERVER = 1, /**< a lease from DHCPACK */
    BRISA_DHCP_SOURCE_STATIC = 2, /**< the fallback after attempts ran out */
    BRISA_DHCP_SOURCE_INFORM = 3  /**< own static address + DHCPINFORM options */
} brisa_dhcp_source;

/** An IPv4 configuration. Absent addresses have family BRISA_IP_NONE. */
typedef struct brisa_dhcp_lease {
    brisa_ip_addr address;   /**< yiaddr (or the static/informing address) */
    brisa_ip_addr mask;      /**< option 1 */
    uint8_t prefix_len;      /**< the mask as a prefix length */
    brisa_ip_addr router;    /**< first address of option 3 */
    brisa_ip_addr dns[BRISA_DHCP_MAX_SERVERS]; /**< option 6 */
    uint8_t dns_count;       /**< entries used in @c dns */
    brisa_ip_addr ntp[BRISA_DHCP_MAX_SERVERS]; /**< option 42 */
    uint8_t ntp_count;       /**< entries used in @c ntp */
    brisa_ip_addr server_id; /**< option 54 */
    char domain[BRISA_DHCP_NAME_MAX + 1];    /**< option 15, "" if absent */
    char host_name[BRISA_DHCP_NAME_MAX + 1]; /**< option 12, "" if absent */
    uint32_t lease_s;        /**< option 51, seconds or BRISA_DHCP_INFINITE */
    uint32_t t1_s;           /**< renewal time (option 58 or lease/2) */
    uint32_t t2_s;           /**< rebinding time (option 59 or 7/8 lease) */
    uint8_t source;          /**< brisa_dhcp_source */
} brisa_dhcp_lease;

/* ------------------------------------------------------------------ codec */

/** True when option @p code (< 64) was present in a parsed message. */
#define BRISA_DHCP_HAS(msg, code) ((((msg)->present) >> (code)) & 1u)

/**
 * A parsed DHCP message. Lease-related options are decoded into @c lease
 * (whose address is yiaddr); pointer fields point into the parsed buffer
 * and are valid only while it is.
 */
typedef struct brisa_dhcp_msg {
    uint8_t op;                   /**< BRISA_DHCP_BOOTREQUEST or _BOOTREPLY */
    uint8_t htype;                /**< hardware type (1: Ethernet) */
    uint8_t hlen;                 /**< hardware address length (<= 16) */
    uint8_t hops;                 /**< relay agent hops */
    uint32_t xid;                 /**< transaction id */
    uint16_t secs;                /**< seconds since the client began */
    uint16_t flags;               /**< BRISA_DHCP_FLAG_BROADCAST or 0 */
    brisa_ip_addr ciaddr;         /**< client's address (renewing) */
    brisa_ip_addr yiaddr;         /**< "your" address: the one offered */
    brisa_ip_addr siaddr;         /**< next server (BOOTP) */
    brisa_ip_addr giaddr;         /**< relay agent's address */
    uint8_t chaddr[16];           /**< client hardware address, hlen bytes */
    uint8_t type;                 /**< option 53 (always present) */
    uint64_t present;             /**< bit n set when option n was seen */
    brisa_dhcp_lease lease;       /**< options 1 3 6 12 15 42 51 54 58 59 */
    brisa_ip_addr requested;      /**< option 50 */
    uint16_t max_size;            /**< option 57 */
    uint8_t overload;             /**< option 52: 1 file, 2 sname, 3 both */
    const uint8_t *params;        /**< option 55 */
    uint8_t params_len;           /**< bytes at @c params */
    const uint8_t *client_id;     /**< option 61 */
    uint8_t client_id_len;        /**< bytes at @c client_id */
    const uint8_t *message;       /**< option 56 (not NUL-terminated) */
    uint8_t message_len;          /**< bytes at @c message */
} brisa_dhcp_msg;

/**
 * Parses one DHCP message of @p len bytes whose op must be @p op
 * (BRISA_DHCP_BOOTREPLY for a client). Total on any input: reads nothing
 * outside @p buf. Rejects a short header, a wrong magic cookie, hlen > 16,
 * an option running past its field, a fixed-size option of the wrong
 * length, a missing END, a missing or unknown message type, a repeated
 * single-valued option and a non-contiguous mask. Options in sname/file
 * are read when option 52 says so; repeated list and name options are
 * concatenated (RFC 3396); unknown options are skipped.
 * Returns BRISA_OK or BRISA_ERR_MALFORMED (BRISA_ERR_INVALID_ARG for NULL).
 */
brisa_err brisa_dhcp_parse(const uint8_t *buf, size_t len, uint8_t op, brisa_dhcp_msg *msg);

/** What a client puts in one message. Unset addresses (family NONE) and
 *  NULL pointers leave the field zero or the option out. */
typedef struct brisa_dhcp_request {
    uint8_t type;                 /**< brisa_dhcp_msg_type */
    uint32_t xid;                 /**< transaction id */
    uint16_t secs;                /**< seconds since the client began */
    bool broadcast;               /**< set BRISA_DHCP_FLAG_BROADCAST */
    brisa_ip_addr ciaddr;         /**< client's address (renewing, INFORM) */
    const uint8_t *chaddr;        /**< hardware address, @c hlen bytes */
    uint8_t hlen;                 /**< at most 16 */
    brisa_ip_addr requested;      /**< option 50 */
    brisa_ip_addr server_id;      /**< option 54 */
    const uint8_t *client_id;     /**< option 61, 2..255 bytes */
    uint8_t client_id_len;        /**< bytes at @c client_id */
    const char *host_name;        /**< option 12, NUL-terminated */
    const uint8_t *params;        /**< option 55 */
    uint8_t params_len;           /**< bytes at @c params */
    uint16_t max_size;            /**< option 57 (>= 576), 0 to leave out */
    const char *message;          /**< option 56, NUL-terminated */
} brisa_dhcp_request;

/**
 * Builds @p req into @p buf (BOOTREQUEST, htype Ethernet, magic cookie,
 * options, END, zero padding to BRISA_DHCP_MIN_MSG_LEN).
 * Returns the length, BRISA_ERR_NO_SPACE when @p cap is too small, or
 * BRISA_ERR_INVALID_ARG for a bad type, hlen or option length.
 */
int brisa_dhcp_build(const brisa_dhcp_request *req, uint8_t *buf, size_t cap);

/** Prefix length of a contiguous IPv4 mask, or -1 if it is not contiguous. */
int brisa_dhcp_mask_prefix(const brisa_ip_addr *mask);

/** The IPv4 mask of @p prefix_len (0..32) bits. */
brisa_ip_addr brisa_dhcp_prefix_mask(uint8_t prefix_len);

/* ---------------------------------------------------------- state machine */

/** Client states (RFC 2131 figure 5, plus where it ends up). */
typedef enum brisa_dhcp_state {
    BRISA_DHCP_STOPPED = 0,   /**< not started, released, or gave up */
    BRISA_DHCP_INIT,          /**< about to send DHCPDISCOVER */
    BRISA_DHCP_SELECTING,     /**< DISCOVER sent, waiting for an OFFER */
    BRISA_DHCP_REQUESTING,    /**< REQUEST sent, waiting for ACK/NAK */
    BRISA_DHCP_BOUND,         /**< lease in use */
    BRISA_DHCP_RENEWING,      /**< past T1: unicast REQUEST to the server */
    BRISA_DHCP_REBINDING,     /**< past T2: broadcast REQUEST */
    BRISA_DHCP_INFORMING,     /**< DHCPINFORM sent, waiting for ACK */
    BRISA_DHCP_INFORMED,      /**< static address, server options known */
    BRISA_DHCP_STATIC         /**< fallback configuration in use */
} brisa_dhcp_state;

/** What a step reports; at most one per call. */
typedef enum brisa_dhcp_event {
    BRISA_DHCP_EVENT_NONE = 0,
    BRISA_DHCP_EVENT_BOUND,     /**< new lease: apply address, mask, route */
    BRISA_DHCP_EVENT_RENEWED,   /**< same address, new lease times */
    BRISA_DHCP_EVENT_LOST,      /**< lease expired or NAKed: stop using it */
    BRISA_DHCP_EVENT_NAK,       /**< REQUEST refused; starting over */
    BRISA_DHCP_EVENT_DECLINED,  /**< address in use: DECLINE sent */
    BRISA_DHCP_EVENT_FALLBACK,  /**< attempts ran out: static config in use */
    BRISA_DHCP_EVENT_INFORMED   /**< DHCPINFORM answered */
} brisa_dhcp_event;

/** Settings; zero means the default named in each field. */
typedef struct brisa_dhcp_config {
    uint8_t mac[6];                /**< chaddr (Ethernet) */
    const uint8_t *client_id;      /**< option 61; NULL: 0x01 + mac */
    uint8_t client_id_len;         /**< bytes at @c client_id */
    const char *host_name;         /**< option 12; NULL: none */
    uint8_t attempts;              /**< DISCOVERs before giving up; 0: never */
    uint32_t retry_base_ms;        /**< first retransmission wait (4000); the
                                        wait doubles, +-base/4 at random */
    uint32_t retry_max_ms;         /**< cap of that wait (64000) */
    uint32_t renew_min_ms;         /**< shortest RENEWING/REBINDING retry (60000) */
    uint32_t decline_delay_ms;     /**< wait after DECLINE (10000) */
    uint32_t start_delay_max_ms;   /**< random wait before the first DISCOVER
                                        (RFC 2131 4.4.1 suggests 10000); 0: none */
    /** Used when attempts run out; NULL: give up with
     *  BRISA_ERR_DHCP_NO_LEASE. Needs address and prefix_len (or mask). */
    const brisa_dhcp_lease *fallback;
    /** Final check of an offered address after ACK (an ARP probe): returns
     *  1 if another host uses @p addr, 0 if not, < 0 if it cannot tell
     *  (taken as free). NULL: no check. Called synchronously. */
    int (*address_in_use)(void *ctx, const brisa_ip_addr *addr);
    void *address_in_use_ctx;      /**< passed to address_in_use */
} brisa_dhcp_config;

/** Client state; the caller owns the memory. Fields are private. */
typedef struct brisa_dhcp_client {
    /** @cond PRIVATE */
    brisa_datagram dgram;
    brisa_clock clock;
    brisa_rng rng;
    brisa_dhcp_config cfg;
    uint8_t client_id[7];
    uint8_t *buf;
    size_t cap;
    uint8_t state;
    uint8_t discovers;       /* DISCOVERs sent in this acquisition */
    uint8_t sends;           /* transmissions of the current message */
    uint32_t xid;
    uint64_t started_ms;     /* start of acquisition/renewal: 'secs' */
    uint64_t next_ms;        /* when the next transmission is due */
    uint64_t sent_ms;        /* when the last REQUEST went out */
    uint64_t t1_ms, t2_ms, expiry_ms; /* absolute, UINT64_MAX = never */
    brisa_ip_addr offered;   /* yiaddr of the OFFER being requested */
    brisa_ip_addr server;    /* server id of that OFFER */
    brisa_dhcp_lease lease;
    char nak_message[48];
    uint32_t ignored;        /* replies dropped (xid, chaddr, malformed) */
    /** @endcond */
} brisa_dhcp_client;

/**
 * Prepares @p c. @p cfg, @p dgram, @p clock and @p rng are copied (what
 * their pointers reference must outlive @p c); @p buf (at least
 * BRISA_DHCP_MIN_BUFFER bytes) is the caller's and is used for every
 * message sent and received. Sends nothing; the client starts STOPPED.
 * Returns BRISA_OK or BRISA_ERR_INVALID_ARG.
 */
brisa_err brisa_dhcp_init(brisa_dhcp_client *c, const brisa_dhcp_config *cfg,
                          const brisa_datagram *dgram, const brisa_clock *clock,
                          const brisa_rng *rng, uint8_t *buf, size_t cap);

/** Starts acquiring a lease (INIT; DISCOVER on the next step). Any current
 *  lease is forgotten. Returns BRISA_OK. */
brisa_err brisa_dhcp_start(brisa_dhcp_client *c);

/** Starts DHCPINFORM for a host configured with @p address (ciaddr): the
 *  server's options (mask, router, DNS, NTP, domain) without a lease.
 *  Returns BRISA_OK or BRISA_ERR_INVALID_ARG. */
brisa_err brisa_dhcp_inform(brisa_dhcp_client *c, const brisa_ip_addr *address);

/**
 * Drives the client: handles due timers (sending and retransmitting),
 * then waits at most @p timeout_ms (less if a timer falls due sooner) for
 * one datagram and handles it. With @p timeout_ms 0 it only polls.
 * Returns a brisa_dhcp_event (>= 0), BRISA_ERR_DHCP_NO_LEASE once when
 * attempts run out without a fallback (the client is then STOPPED), or
 * another negative brisa_err from the datagram.
 */
int brisa_dhcp_step(brisa_dhcp_client *c, uint32_t timeout_ms);

/** Handles due timers only (for ports that receive by callback). Same
 *  returns as brisa_dhcp_step(). */
int brisa_dhcp_poll(brisa_dhcp_client *c);

/** Handles one received datagram of @p len bytes (from a callback).
 *  Anything malformed or not for us is counted and ignored. Returns a
 *  brisa_dhcp_event (>= 0) or a negative brisa_err from sending. */
int brisa_dhcp_input(brisa_dhcp_client *c, const uint8_t *pkt, size_t len);

/** Milliseconds until brisa_dhcp_poll() has work (UINT32_MAX: none). */
uint32_t brisa_dhcp_next_ms(const brisa_dhcp_client *c);

/**
 * Blocking helper: starts (unless already acquiring) and steps until the
 * client is BOUND (returns BRISA_DHCP_EVENT_BOUND), on its fallback
 * (BRISA_DHCP_EVENT_FALLBACK) or INFORMED. @p timeout_ms 0 waits as long
 * as the attempts last. Returns BRISA_ERR_DHCP_NO_LEASE, BRISA_ERR_TIMEOUT
 * or a datagram error otherwise.
 */
int brisa_dhcp_obtain(brisa_dhcp_client *c, uint32_t timeout_ms);

/** Enters RENEWING now, as if T1 had passed (a link came back, a test).
 *  Returns BRISA_OK or BRISA_ERR_STATE when not BOUND. */
brisa_err brisa_dhcp_renew(brisa_dhcp_client *c);

/** Sends DHCPRELEASE (unicast to the server, while the address is still
 *  configured) and stops. Returns BRISA_OK, BRISA_ERR_STATE when there is
 *  no server lease, or a datagram error (the client stops either way). */
brisa_err brisa_dhcp_release(brisa_dhcp_client *c);

/** The current configuration (meaningful when BOUND, RENEWING, REBINDING,
 *  INFORMED or STATIC). Owned by @p c. */
const brisa_dhcp_lease *brisa_dhcp_get_lease(const brisa_dhcp_client *c);

/** The current brisa_dhcp_state. */
brisa_dhcp_state brisa_dhcp_get_state(const brisa_dhcp_client *c);

/** Milliseconds of lease left (0 when none, UINT32_MAX when infinite or
 *  longer than that). */
uint32_t brisa_dhcp_lease_remaining_ms(const brisa_dhcp_client *c);

/** Text of option 56 in the last DHCPNAK ("" if none). Owned by @p c. */
const char *brisa_dhcp_nak_message(const brisa_dhcp_client *c);

/** Lower-case name of a state ("bound"); never NULL (static storage). */
const char *brisa_dhcp_state_name(int state);
/** Lower-case name of an event ("renewed"); never NULL (static storage). */
const char *brisa_dhcp_event_name(int event);

BRISA_END_DECLS

#endif /* BRISA_DHCP_H */
