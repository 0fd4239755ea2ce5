# SPDX-License-Identifier: MIT
# brisa-modem-emu's parameter parser and control commands.
if(TARGET brisa_modem_emu_core)
  brisa_unit_test(test_modem_emu_args SOURCES unit/test_modem_emu_args.c unit/modem_emu_broker_stub.c
                  LIBS brisa_modem_emu_core)
  target_compile_definitions(test_modem_emu_args PRIVATE _GNU_SOURCE)
endif()
