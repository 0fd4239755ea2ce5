# SPDX-License-Identifier: MIT
# brisa-modem-emu's parser of what the DTE sends (AT commands and prompt
# data), with the broker side stubbed out; seeds in corpus/modem_emu.
if(TARGET brisa_modem_emu_core)
  brisa_fuzz_target(modem_emu SOURCES fuzz/fuzz_modem_emu.c unit/modem_emu_broker_stub.c
                    LIBS brisa_modem_emu_core)
endif()
