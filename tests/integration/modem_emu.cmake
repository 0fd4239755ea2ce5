# SPDX-License-Identifier: MIT
# brisa-modem-emu (the SIM7600 emulator) driven directly by a scripted DTE
# (modem_dte.py) on its pty, with a real mosquitto behind it.
if(TARGET brisa-modem-emu)
  brisa_integration_test(modem_emu integration/test_modem_emu.sh TIMEOUT 180 LABELS modem)
endif()
