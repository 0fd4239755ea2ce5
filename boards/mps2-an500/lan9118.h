// SPDX-License-Identifier: MIT
/* SMSC LAN9118 Ethernet controller (mps2-an500: at 0xA0000000), polled:
 * whole frames in and out of its FIFOs, no interrupts. */
#ifndef BRISA_LAN9118_H
#define BRISA_LAN9118_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BRISA_LAN9118_MTU_FRAME 1514 /* largest frame without FCS */
#define BRISA_LAN9118_MIN_FRAME 60   /* shorter frames are padded to this */

typedef struct bri_lan9118_stats {
    uint32_t tx_frames;
    uint32_t tx_errors;     /* TX status with the error bit */
    uint32_t tx_fifo_full;  /* frames dropped: no room in the TX FIFO */
    uint32_t tx_overruns;   /* TX data FIFO overrun seen (FIFO dumped) */
    uint32_t rx_frames;
    uint32_t rx_errors;     /* bad status, runt or too long: discarded */
    uint32_t rx_dropped;    /* the controller's RX_DROP count (FIFO full) */
} bri_lan9118_stats;

/**
 * Resets the controller, reads its MAC address into @p mac (QEMU sets it
 * from -nic ...,mac=; 52:54:00:12:34:56 by default), enables the MAC's
 * transmitter and receiver (without RXEN nothing arrives) and the TX path.
 * Returns 0, or -1 when no LAN9118 answers (BYTE_TEST) or the reset
 * does not complete.
 */
int bri_lan9118_init(uint8_t mac[6]);

/**
 * Sends one frame of @p len bytes (destination MAC first, no FCS); frames
 * shorter than 60 bytes are padded with zeros (QEMU's model does not pad).
 * Waits a few milliseconds for room in the TX FIFO. Returns 0, or -1 when
 * the frame is too long or the FIFO stayed full (counted in tx_fifo_full).
 */
int bri_lan9118_send(const uint8_t *frame, size_t len);

/**
 * Takes the next received frame out of the RX FIFO into @p buf (at most
 * @p cap bytes; the 4-byte FCS is removed). Returns its length, 0 when no
 * frame is waiting, or -1 when a frame was discarded (error, runt, longer
 * than @p cap): call again for the next one.
 */
int bri_lan9118_recv(uint8_t *buf, size_t cap);

/** True when the PHY reports the link up. */
bool bri_lan9118_link_up(void);

/** The counters since bri_lan9118_init(). */
const bri_lan9118_stats *bri_lan9118_get_stats(void);

#endif
