# SPDX-License-Identifier: MIT
# The mps2-an500 board's LAN9118 driver on the host, against a model of the
# controller's registers (tests/unit/test_board_lan9118.c).
set(board_dir ${PROJECT_SOURCE_DIR}/boards/mps2-an500)
brisa_unit_test(test_board_lan9118 SOURCES unit/test_board_lan9118.c ${board_dir}/lan9118.c)
target_include_directories(test_board_lan9118 PRIVATE ${board_dir})
target_compile_definitions(test_board_lan9118 PRIVATE BRISA_LAN9118_TEST_HOOKS)
