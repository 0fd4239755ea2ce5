// SPDX-License-Identifier: MIT
/* The port's hold on lwIP under NO_SYS: the board's hooks, the one loop
 * step every wait is made of, the clock, and lwIP's sys_now()/LWIP_RAND(). */
#include <string.h>

#include "lwip/init.h"
#include "lwip/sys.h"
#include "lwip/timeouts.h"

#include "brisa/err.h"
#include "brisa/port/lwip_port.h"
#include "lwip_internal.h"

static brisa_lwip_platform plat;
static uint32_t last_tick;
static uint64_t tick_high; /* wraps of the 32-bit tick, << 32 */

brisa_err brisa_lwip_start(const brisa_lwip_platform *p)
{
    if (p == NULL || p->tick_ms == NULL || p->poll == NULL || p->rng.fill == NULL)
        return BRISA_ERR_INVALID_ARG;
    plat = *p;
    last_tick = plat.tick_ms(plat.ctx);
    tick_high = 0;
    lwip_init(); /* after the hooks: it draws random ports */
    return BRISA_OK;
}

uint64_t brisa_lwip_now_ms(void)
{
    uint32_t t = plat.tick_ms(plat.ctx);
    if (t < last_tick)
        tick_high += (uint64_t)1 << 32; /* the port is turned far more often than every 49 days */
    last_tick = t;
    return tick_high | t;
}

u32_t sys_now(void)
{
    return plat.tick_ms(plat.ctx);
}

unsigned int bri_lwip_rand32(void)
{
    uint32_t r = 0;
    /* A failing entropy hook leaves r as it is; lwIP only needs a value. */
    (void)plat.rng.fill(plat.rng.ctx, (uint8_t *)&r, sizeof r);
    return r;
}

void brisa_lwip_service(void)
{
    plat.poll(plat.ctx);
    sys_check_timeouts();
}

uint64_t bri_lwip_deadline(uint32_t timeout_ms)
{
    return brisa_lwip_now_ms() + timeout_ms;
}

bool bri_lwip_idle_until(uint64_t deadline)
{
    uint64_t now = brisa_lwip_now_ms();
    if (now >= deadline)
        return false;
    uint64_t left = deadline - now;
    uint32_t next = sys_timeouts_sleeptime(); /* lwIP's next timer */
    if (left > next)
        left = next;
    if (plat.idle != NULL && left > 0)
        plat.idle(plat.ctx, (uint32_t)left);
    return true;
}

void brisa_lwip_wait(uint32_t max_ms)
{
    brisa_lwip_service();
    (void)bri_lwip_idle_until(bri_lwip_deadline(max_ms));
}

static uint64_t clock_mono(void *ctx)
{
    (void)ctx;
    return brisa_lwip_now_ms();
}

static bool clock_wall(void *ctx, int64_t *unix_ms)
{
    (void)ctx;
    (void)unix_ms;
    return false; /* a board knows the date only from SNTP (brisa_softclock) */
}

brisa_clock brisa_lwip_clock(void)
{
    brisa_clock c = { NULL, clock_mono, clock_wall };
    return c;
}

brisa_rng brisa_lwip_rng(void)
{
    return plat.rng;
}

__attribute__((weak)) void brisa_lwip_assert_failed(const char *msg, const char *file, int line)
{
    (void)msg;
    (void)file;
    (void)line;
    for (;;) {
        /* stop here: a debugger shows msg, file and line */
    }
}

/* ---- messages and addresses --------------------------------------------- */

size_t bri_lwip_msg(char *out, size_t cap, size_t at, const char *s)
{
    if (cap == 0)
        return 0;
    while (*s != '\0' && at + 1 < cap)
        out[at++] = *s++;
    out[at < cap ? at : cap - 1] = '\0';
    return at;
}

size_t bri_lwip_msg_uint(char *out, size_t cap, size_t at, uint32_t v)
{
    char digits[11];
    size_t i = sizeof digits - 1;
    digits[i] = '\0';
    do {
        digits[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    return bri_lwip_msg(out, cap, at, digits + i);
}

size_t bri_lwip_msg_ip(char *out, size_t cap, size_t at, const brisa_ip_addr *ip)
{
    char text[BRISA_IP_STR_MAX];
    if (brisa_ip_format(ip, text, sizeof text) < 0)
        return bri_lwip_msg(out, cap, at, "?");
    return bri_lwip_msg(out, cap, at, text);
}

const char *bri_lwip_err_str(int lwip_err)
{
    switch (lwip_err) {
    case ERR_MEM: return "out of memory";
    case ERR_BUF: return "buffer error";
    case ERR_TIMEOUT: return "timeout";
    case ERR_RTE: return "no route";
    case ERR_USE: return "address in use";
    case ERR_CONN: return "not connected";
    case ERR_ABRT: return "connection aborted";
    case ERR_RST: return "connection reset";
    case ERR_CLSD: return "connection closed";
    case ERR_VAL: return "illegal value";
    case ERR_ARG: return "illegal argument";
    case ERR_IF: return "interface error";
    default: return "lwIP error";
    }
}

bool bri_lwip_to_lwip(const brisa_ip_addr *in, ip_addr_t *out)
{
    if (in == NULL || in->family != BRISA_IP_V4)
        return false;
    uint32_t v;
    memcpy(&v, in->bytes, 4); /* both in network order */
    ip_addr_set_ip4_u32_val(*out, v);
    return true;
}

brisa_ip_addr bri_lwip_from_lwip(const ip_addr_t *in)
{
    uint32_t v = ip4_addr_get_u32(ip_2_ip4(in));
    brisa_ip_addr out = brisa_ip_v4(0, 0, 0, 0);
    memcpy(out.bytes, &v, 4);
    return out;
}
