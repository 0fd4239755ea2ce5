// SPDX-License-Identifier: MIT
/* LAN9118 driver, polled. Register facts from the datasheet, checked
 * against QEMU's model: BYTE_TEST reads 0x87654321, MAC registers go
 * through MAC_CSR_CMD/DATA, RX status words carry the length including the
 * FCS, short TX frames are not padded by the model. */
#include "lan9118.h"

#include <string.h>

#include "mps2.h"
#include "mps2_regs.h"

/* Register access; the host's unit test puts a model of the chip there. */
#ifdef BRISA_LAN9118_TEST_HOOKS
uint32_t bri_lan9118_test_read(uint32_t off);
void bri_lan9118_test_write(uint32_t off, uint32_t value);
#define RD(off) bri_lan9118_test_read(off)
#define WR(off, value) bri_lan9118_test_write((off), (value))
#else
#define RD(off) MPS2_REG(LAN9118_BASE + (off))
#define WR(off, value) (MPS2_REG(LAN9118_BASE + (off)) = (value))
#endif

#define RX_DATA_FIFO 0x00u
#define TX_DATA_FIFO 0x20u
#define RX_STATUS_FIFO 0x40u
#define TX_STATUS_FIFO 0x48u
#define IRQ_CFG 0x54u
#define INT_STS 0x58u
#define INT_EN 0x5Cu
#define BYTE_TEST 0x64u
#define RX_CFG 0x6Cu
#define TX_CFG 0x70u
#define HW_CFG 0x74u
#define RX_FIFO_INF 0x7Cu
#define TX_FIFO_INF 0x80u
#define PMT_CTRL 0x84u
#define RX_DROP 0xA0u
#define MAC_CSR_CMD 0xA4u
#define MAC_CSR_DATA 0xA8u

#define BYTE_TEST_VALUE 0x87654321u
#define HW_CFG_SRST 0x1u
#define PMT_CTRL_READY 0x1u
#define TX_CFG_TX_ON 0x2u
#define TX_CFG_TXSAO 0x4u     /* TX status may overrun: we drain it anyway */
#define TX_CFG_TXD_DUMP 0x4000u
#define INT_RXDF 0x40u        /* RX frame dropped (FIFO full) */
#define INT_TDFO 0x400u       /* TX data FIFO overrun */
#define CSR_BUSY 0x80000000u
#define CSR_READ 0x40000000u

/* MAC registers behind MAC_CSR_CMD */
#define MAC_CR 1u
#define MAC_ADDRH 2u
#define MAC_ADDRL 3u
#define MII_ACC 6u
#define MII_DATA 7u
#define MAC_CR_RXEN 0x4u
#define MAC_CR_TXEN 0x8u
#define MAC_CR_FDPX 0x100000u

/* TX command words */
#define TXA_FIRST 0x2000u
#define TXA_LAST 0x1000u
#define RX_STS_ERROR 0x8000u
#define TX_STS_ERROR 0x8000u

#define PHY_ADDR 1u
#define PHY_BMSR 1u
#define BMSR_LINK 0x4u

#define WAIT_MS 10u

static bri_lan9118_stats stats;

/* Polls until (reg & mask) == want, at most WAIT_MS. */
static bool wait_reg(uint32_t off, uint32_t mask, uint32_t want)
{
    uint64_t t0 = bri_mps2_ms();
    while ((RD(off) & mask) != want)
        if (bri_mps2_ms() - t0 > WAIT_MS)
            return false;
    return true;
}

static uint32_t mac_read(uint32_t reg)
{
    wait_reg(MAC_CSR_CMD, CSR_BUSY, 0);
    WR(MAC_CSR_CMD, CSR_BUSY | CSR_READ | reg);
    wait_reg(MAC_CSR_CMD, CSR_BUSY, 0);
    return RD(MAC_CSR_DATA);
}

static void mac_write(uint32_t reg, uint32_t value)
{
    wait_reg(MAC_CSR_CMD, CSR_BUSY, 0);
    WR(MAC_CSR_DATA, value);
    WR(MAC_CSR_CMD, CSR_BUSY | reg);
    wait_reg(MAC_CSR_CMD, CSR_BUSY, 0);
}

static uint32_t phy_read(uint32_t reg)
{
    mac_write(MII_ACC, (PHY_ADDR << 11) | (reg << 6) | 0x1u /* busy, read */);
    uint64_t t0 = bri_mps2_ms();
    while ((mac_read(MII_ACC) & 0x1u) && bri_mps2_ms() - t0 <= WAIT_MS)
        ;
    return mac_read(MII_DATA) & 0xffffu;
}

int bri_lan9118_init(uint8_t mac[6])
{
    memset(&stats, 0, sizeof stats);
    if (RD(BYTE_TEST) != BYTE_TEST_VALUE)
        return -1;
    WR(HW_CFG, HW_CFG_SRST);
    if (!wait_reg(HW_CFG, HW_CFG_SRST, 0) || !wait_reg(PMT_CTRL, PMT_CTRL_READY, PMT_CTRL_READY))
        return -1;
    WR(INT_EN, 0);
    WR(IRQ_CFG, 0);
    WR(INT_STS, 0xffffffffu);
    uint32_t lo = mac_read(MAC_ADDRL), hi = mac_read(MAC_ADDRH);
    for (int i = 0; i < 4; i++)
        mac[i] = (uint8_t)(lo >> (8 * i));
    mac[4] = (uint8_t)hi;
    mac[5] = (uint8_t)(hi >> 8);
    WR(RX_CFG, 0); /* no offset, 4-byte end alignment */
    mac_write(MAC_CR, MAC_CR_TXEN | MAC_CR_RXEN | MAC_CR_FDPX);
    WR(TX_CFG, TX_CFG_TX_ON | TX_CFG_TXSAO);
    return 0;
}

bool bri_lan9118_link_up(void)
{
    return (phy_read(PHY_BMSR) & BMSR_LINK) != 0;
}

/* Reads the TX status words of frames already sent. */
static void drain_tx_status(void)
{
    while ((RD(TX_FIFO_INF) >> 16) & 0xffu)
        if (RD(TX_STATUS_FIFO) & TX_STS_ERROR)
            stats.tx_errors++;
}

/* Counts what the controller dropped and recovers from a TX overrun. */
static void check_faults(void)
{
    uint32_t sts = RD(INT_STS);
    if (sts & INT_RXDF)
        stats.rx_dropped += RD(RX_DROP);
    if (sts & INT_TDFO) {
        stats.tx_overruns++;
        WR(TX_CFG, RD(TX_CFG) | TX_CFG_TXD_DUMP);
    }
    if (sts & (INT_RXDF | INT_TDFO))
        WR(INT_STS, sts & (INT_RXDF | INT_TDFO));
}

int bri_lan9118_send(const uint8_t *frame, size_t len)
{
    if (len > BRISA_LAN9118_MTU_FRAME)
        return -1;
    size_t padded = len < BRISA_LAN9118_MIN_FRAME ? BRISA_LAN9118_MIN_FRAME : len;
    size_t words = (padded + 3) / 4;
    drain_tx_status();
    check_faults();
    /* TDFREE (bytes) must hold the data and the two command words. */
    uint64_t t0 = bri_mps2_ms();
    while ((RD(TX_FIFO_INF) & 0xffffu) < words * 4 + 8) {
        drain_tx_status();
        if (bri_mps2_ms() - t0 > WAIT_MS) {
            stats.tx_fifo_full++;
            return -1;
        }
    }
    WR(TX_DATA_FIFO, TXA_FIRST | TXA_LAST | (uint32_t)padded);
    WR(TX_DATA_FIFO, ((uint32_t)padded << 16) | (uint32_t)padded); /* tag = length */
    for (size_t i = 0; i < words; i++) {
        uint32_t w = 0;
        size_t off = i * 4;
        if (off + 4 <= len) {
            memcpy(&w, frame + off, 4);
        } else if (off < len) {
            memcpy(&w, frame + off, len - off); /* the rest is zero padding */
        }
        WR(TX_DATA_FIFO, w);
    }
    stats.tx_frames++;
    return 0;
}

int bri_lan9118_recv(uint8_t *buf, size_t cap)
{
    check_faults();
    if (((RD(RX_FIFO_INF) >> 16) & 0xffu) == 0)
        return 0;
    uint32_t status = RD(RX_STATUS_FIFO);
    size_t len = (status >> 16) & 0x3fffu; /* includes the FCS */
    size_t words = (len + 3) / 4;
    bool bad = (status & RX_STS_ERROR) || len < 14 + 4 || len - 4 > cap;
    for (size_t i = 0; i < words; i++) {
        uint32_t w = RD(RX_DATA_FIFO);
        size_t off = i * 4;
        if (bad || off >= len - 4)
            continue;
        size_t n = len - 4 - off < 4 ? len - 4 - off : 4;
        memcpy(buf + off, &w, n);
    }
    if (bad) {
        stats.rx_errors++;
        return -1;
    }
    stats.rx_frames++;
    return (int)(len - 4);
}

const bri_lan9118_stats *bri_lan9118_get_stats(void)
{
    return &stats;
}
