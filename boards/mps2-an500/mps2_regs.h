// SPDX-License-Identifier: MIT
/* Register addresses of the mps2-an500 and the Cortex-M7 core (private to
 * the board folder). */
#ifndef BRISA_MPS2_REGS_H
#define BRISA_MPS2_REGS_H

#include <stdint.h>

#define MPS2_REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* Cortex-M7 system control */
#define SYST_CSR 0xE000E010u
#define SYST_RVR 0xE000E014u
#define SYST_CVR 0xE000E018u
#define SCB_ICSR 0xE000ED04u
#define SCB_ICSR_PENDSTSET (1u << 26)
#define SCB_CFSR 0xE000ED28u
#define SCB_HFSR 0xE000ED2Cu
#define SCB_BFAR 0xE000ED38u

/* CMSDK APB UART0 */
#define UART0_BASE 0x40004000u
#define UART_DATA (UART0_BASE + 0x00u)
#define UART_STATE (UART0_BASE + 0x04u)
#define UART_CTRL (UART0_BASE + 0x08u)
#define UART_BAUDDIV (UART0_BASE + 0x10u)
#define UART_STATE_TX_FULL 0x1u
#define UART_STATE_RX_FULL 0x2u
#define UART_CTRL_TX_EN 0x1u
#define UART_CTRL_RX_EN 0x2u

/* FPGA I/O (LED0: two user LEDs) and the serial communication controller
 * (CFG1: the MCC LEDs) */
#define FPGAIO_LED0 0x40028000u
#define SCC_CFG1 0x4002F004u

/* LAN9118 Ethernet controller (on the AN500 at 0xA0000000) */
#define LAN9118_BASE 0xA0000000u

#define MPS2_STACK_PAINT 0xA5C3A5C3u

#endif
