# SPDX-License-Identifier: MIT
# The mps2-an500 firmware in QEMU (the tests cross-build it themselves).
find_program(BRISA_QEMU_ARM qemu-system-arm)
find_program(BRISA_ARM_GCC arm-none-eabi-gcc)
if(BRISA_QEMU_ARM AND BRISA_ARM_GCC)
  brisa_integration_test(board_selftest integration/test_board_selftest.sh TIMEOUT 300 LABELS board)
endif()
if(BRISA_QEMU_ARM AND BRISA_ARM_GCC AND TARGET brisa-device-config-c)
  brisa_integration_test(board_demo_lab integration/test_board_demo_lab.sh TIMEOUT 600 LABELS "board;lab")
  brisa_integration_test(board_refusals integration/test_board_refusals.sh TIMEOUT 600 LABELS "board;lab")
endif()
