// SPDX-License-Identifier: MIT
/* Tests for boards/mps2-an500/lan9118.c on the host, against a small model
 * of the controller's registers (what QEMU's model and the datasheet say):
 * the start-up, frames out (command words, padding to 60 bytes), frames in
 * (FCS removed, bad and oversized frames drained), and the faults QEMU never
 * produces: a TX FIFO that stays full, frames the controller dropped, a TX
 * data FIFO overrun, a TX error status. */
#include "cmocka_all.h"

#include <string.h>

#include "lan9118.h"
#include "mps2.h"

/* --- the model */

#define MAX_WORDS 512

static struct {
    uint32_t byte_test;
    uint32_t mac_regs[16];
    uint32_t mac_csr_data;
    uint32_t int_sts, tx_cfg, rx_drop;
    uint32_t tx_free;                  /* TDFREE in bytes */
    uint32_t tx_words[MAX_WORDS];      /* what was written to TX_DATA_FIFO */
    size_t tx_count;
    uint32_t tx_status[4];
    size_t tx_status_count;
    uint32_t rx_status[4];             /* queued frames' status words */
    uint32_t rx_data[4][MAX_WORDS];
    size_t rx_frames, rx_head, rx_pos;
    uint64_t now_ms;
} m;

uint64_t bri_mps2_ms(void)
{
    return m.now_ms++; /* time moves on every look at the clock */
}

uint32_t bri_lan9118_test_read(uint32_t off);
void bri_lan9118_test_write(uint32_t off, uint32_t value);

uint32_t bri_lan9118_test_read(uint32_t off)
{
    switch (off) {
    case 0x64: return m.byte_test;
    case 0x74: return 0;               /* HW_CFG: reset done */
    case 0x84: return 1;               /* PMT_CTRL: ready */
    case 0x58: return m.int_sts;
    case 0x70: return m.tx_cfg;
    case 0xA0: { uint32_t v = m.rx_drop; m.rx_drop = 0; return v; }
    case 0xA4: return 0;               /* MAC_CSR_CMD: never busy */
    case 0xA8: return m.mac_csr_data;
    case 0x80: return (uint32_t)(m.tx_status_count << 16) | m.tx_free;
    case 0x48: {
        uint32_t v = m.tx_status[0];
        memmove(m.tx_status, m.tx_status + 1, sizeof m.tx_status - sizeof m.tx_status[0]);
        m.tx_status_count--;
        return v;
    }
    case 0x7C: return (uint32_t)(m.rx_frames - m.rx_head) << 16;
    case 0x40: m.rx_pos = 0; return m.rx_status[m.rx_head++];
    case 0x00: return m.rx_data[m.rx_head - 1][m.rx_pos++];
    default: return 0;
    }
}

void bri_lan9118_test_write(uint32_t off, uint32_t value)
{
    switch (off) {
    case 0x58: m.int_sts &= ~value; break; /* write 1 to clear */
    case 0x70: m.tx_cfg = value; break;
    case 0x20: m.tx_words[m.tx_count++] = value; break;
    case 0xA8: m.mac_csr_data = value; break;
    case 0xA4: {
        uint32_t reg = value & 0xffu;
        if (value & 0x40000000u) {      /* read */
            m.mac_csr_data = reg == 7 ? 0x782d : m.mac_regs[reg]; /* MII_DATA: BMSR, link up */
        } else {
            m.mac_regs[reg] = m.mac_csr_data;
        }
        break;
    }
    default: break;
    }
}

/* Queues a received frame of @p len bytes (FCS included) with @p status
 * flags; its bytes count up from @p first. */
static void rx_frame(size_t len, uint32_t flags, uint8_t first)
{
    uint8_t bytes[MAX_WORDS * 4] = { 0 };
    for (size_t i = 0; i < len; i++)
        bytes[i] = (uint8_t)(first + i);
    m.rx_status[m.rx_frames] = (uint32_t)(len << 16) | flags;
    memcpy(m.rx_data[m.rx_frames], bytes, (len + 3) / 4 * 4);
    m.rx_frames++;
}

static int setup(void **state)
{
    (void)state;
    memset(&m, 0, sizeof m);
    m.byte_test = 0x87654321u;
    m.mac_regs[3] = 0x00005452u | (0x12u << 24); /* ADDRL: 52:54:00:12 */
    m.mac_regs[2] = 0x5634u;                     /* ADDRH: 34:56 */
    m.tx_free = 4096;
    uint8_t mac[6];
    assert_int_equal(bri_lan9118_init(mac), 0);
    static const uint8_t want[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    assert_memory_equal(mac, want, 6);
    return 0;
}

/* --- the tests */

static void test_init_enables_mac_and_tx(void **state)
{
    (void)state;
    assert_int_equal(m.mac_regs[1] & 0xCu, 0xCu); /* MAC_CR: RXEN and TXEN */
    assert_true(m.tx_cfg & 0x2u);                  /* TX_ON */
    assert_true(bri_lan9118_link_up());
    m.byte_test = 0;
    uint8_t mac[6];
    assert_int_equal(bri_lan9118_init(mac), -1); /* nobody home */
}

static void test_short_frame_padded(void **state)
{
    (void)state;
    uint8_t frame[42];
    for (size_t i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)(i + 1);
    assert_int_equal(bri_lan9118_send(frame, sizeof frame), 0);
    assert_int_equal(m.tx_count, 2 + 15);                   /* A, B, 60 bytes */
    assert_int_equal(m.tx_words[0], 0x3000u | 60u);         /* first, last, 60 */
    assert_int_equal(m.tx_words[1], (60u << 16) | 60u);
    uint8_t sent[60];
    memcpy(sent, &m.tx_words[2], 60);
    assert_memory_equal(sent, frame, sizeof frame);
    for (size_t i = sizeof frame; i < 60; i++)
        assert_int_equal(sent[i], 0);
    assert_int_equal(bri_lan9118_get_stats()->tx_frames, 1);
}

static void test_long_frame_as_is(void **state)
{
    (void)state;
    uint8_t frame[61];
    memset(frame, 0xAB, sizeof frame);
    assert_int_equal(bri_lan9118_send(frame, sizeof frame), 0);
    assert_int_equal(m.tx_words[0] & 0x7ffu, 61u);
    assert_int_equal(m.tx_count, 2 + 16);
    uint8_t too_long[BRISA_LAN9118_MTU_FRAME + 1] = { 0 };
    assert_int_equal(bri_lan9118_send(too_long, sizeof too_long), -1);
}

static void test_tx_fifo_full_drops_and_counts(void **state)
{
    (void)state;
    m.tx_free = 40; /* not room for 60 bytes and the command words */
    uint8_t frame[60] = { 0 };
    uint64_t t0 = m.now_ms;
    assert_int_equal(bri_lan9118_send(frame, sizeof frame), -1);
    assert_true(m.now_ms - t0 >= 10);   /* it waited for room first */
    assert_int_equal(m.tx_count, 0);    /* nothing half-written */
    assert_int_equal(bri_lan9118_get_stats()->tx_fifo_full, 1);
    m.tx_free = 4096;
    assert_int_equal(bri_lan9118_send(frame, sizeof frame), 0);
}

static void test_tx_status_errors_counted(void **state)
{
    (void)state;
    m.tx_status[0] = (60u << 16) | 0x8000u; /* error summary */
    m.tx_status[1] = 60u << 16;
    m.tx_status_count = 2;
    uint8_t frame[60] = { 0 };
    assert_int_equal(bri_lan9118_send(frame, sizeof frame), 0);
    assert_int_equal(m.tx_status_count, 0);
    assert_int_equal(bri_lan9118_get_stats()->tx_errors, 1);
}

static void test_tx_overrun_dumps_fifo(void **state)
{
    (void)state;
    m.int_sts = 0x400u; /* TDFO */
    uint8_t frame[60] = { 0 };
    assert_int_equal(bri_lan9118_send(frame, sizeof frame), 0);
    assert_true(m.tx_cfg & 0x4000u); /* TXD_DUMP */
    assert_int_equal(m.int_sts, 0);
    assert_int_equal(bri_lan9118_get_stats()->tx_overruns, 1);
}

static void test_receive_strips_fcs(void **state)
{
    (void)state;
    uint8_t buf[BRISA_LAN9118_MTU_FRAME];
    assert_int_equal(bri_lan9118_recv(buf, sizeof buf), 0); /* nothing yet */
    rx_frame(64, 0, 10);
    rx_frame(67, 0, 100);
    assert_int_equal(bri_lan9118_recv(buf, sizeof buf), 60);
    for (int i = 0; i < 60; i++)
        assert_int_equal(buf[i], (uint8_t)(10 + i));
    assert_int_equal(bri_lan9118_recv(buf, sizeof buf), 63); /* odd length */
    assert_int_equal(buf[62], (uint8_t)(100 + 62));
    assert_int_equal(m.rx_pos, 17); /* every word of it was read */
    assert_int_equal(bri_lan9118_get_stats()->rx_frames, 2);
}

static void test_bad_frames_drained(void **state)
{
    (void)state;
    uint8_t buf[100];
    rx_frame(64, 0x8000u, 1);   /* error summary */
    rx_frame(10, 0, 1);         /* runt */
    rx_frame(200, 0, 1);        /* longer than the caller's buffer */
    rx_frame(64, 0, 50);        /* and a good one after them */
    assert_int_equal(bri_lan9118_recv(buf, sizeof buf), -1);
    assert_int_equal(m.rx_pos, 16);
    assert_int_equal(bri_lan9118_recv(buf, sizeof buf), -1);
    assert_int_equal(bri_lan9118_recv(buf, sizeof buf), -1);
    assert_int_equal(m.rx_pos, 50);  /* the long one was read out, not copied */
    assert_int_equal(bri_lan9118_recv(buf, sizeof buf), 60);
    assert_int_equal(buf[0], 50);
    assert_int_equal(bri_lan9118_get_stats()->rx_errors, 3);
}

static void test_rx_drops_counted(void **state)
{
    (void)state;
    m.int_sts = 0x40u; /* RXDF: the controller dropped frames */
    m.rx_drop = 3;
    uint8_t buf[100];
    assert_int_equal(bri_lan9118_recv(buf, sizeof buf), 0);
    assert_int_equal(bri_lan9118_get_stats()->rx_dropped, 3);
    assert_int_equal(m.int_sts, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_enables_mac_and_tx, setup),
        cmocka_unit_test_setup(test_short_frame_padded, setup),
        cmocka_unit_test_setup(test_long_frame_as_is, setup),
        cmocka_unit_test_setup(test_tx_fifo_full_drops_and_counts, setup),
        cmocka_unit_test_setup(test_tx_status_errors_counted, setup),
        cmocka_unit_test_setup(test_tx_overrun_dumps_fifo, setup),
        cmocka_unit_test_setup(test_receive_strips_fcs, setup),
        cmocka_unit_test_setup(test_bad_frames_drained, setup),
        cmocka_unit_test_setup(test_rx_drops_counted, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
