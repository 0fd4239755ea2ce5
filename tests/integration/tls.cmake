# SPDX-License-Identifier: MIT
# TLS integration tests: real mosquitto listeners (plain, one-way, two-way)
# with certificates that brisa-pki makes in each test's scratch directory.
if(TARGET brisa_tls AND TARGET brisa_mqtt)
  add_executable(tls_probe integration/tls_probe.c)
  target_link_libraries(tls_probe PRIVATE brisa_tls brisa_mqtt brisa_posix)
  target_compile_definitions(tls_probe PRIVATE _GNU_SOURCE)
  brisa_warnings(tls_probe)

  brisa_integration_test(tls_handshake integration/test_tls_handshake.sh TIMEOUT 240 LABELS tls)
  brisa_integration_test(tls_refusals integration/test_tls_refusals.sh TIMEOUT 240 LABELS tls)
  brisa_integration_test(tls_capture integration/test_tls_capture.sh TIMEOUT 120 LABELS tls)
  if(TARGET brisa-pub AND TARGET brisa-sub)
    brisa_integration_test(tls_tools integration/test_tls_tools.sh TIMEOUT 300 LABELS tls)
  endif()
endif()
