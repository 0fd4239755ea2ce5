# SPDX-License-Identifier: MIT
# The SIM7600 link end to end: the driver (through brisa-pub/brisa-sub
# --modem, modem_probe and brisa-device) on a pty, brisa-modem-emu behind
# it, a real mosquitto behind that; certificates from brisa-pki.
if(TARGET brisa_at AND TARGET brisa-modem-emu AND TARGET brisa-pub AND TARGET brisa-sub)
  add_executable(modem_probe integration/modem_probe.c)
  target_link_libraries(modem_probe PRIVATE brisa_at brisa_mqtt brisa_posix)
  target_compile_definitions(modem_probe PRIVATE _GNU_SOURCE)
  brisa_warnings(modem_probe)

  brisa_integration_test(modem_plain integration/test_modem_plain.sh TIMEOUT 180 LABELS modem)
  brisa_integration_test(modem_tls integration/test_modem_tls.sh TIMEOUT 180 LABELS "modem;tls")
  brisa_integration_test(modem_faults integration/test_modem_faults.sh TIMEOUT 180 LABELS modem)
endif()
if(TARGET brisa_at AND TARGET brisa-modem-emu AND TARGET brisa-device)
  brisa_integration_test(modem_device integration/test_modem_device.sh TIMEOUT 240 LABELS "modem;device")
endif()
