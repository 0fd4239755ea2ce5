# SPDX-License-Identifier: MIT
# The lwIP port on the host: src/port/lwip over lwIP built from the fetched
# Debian sources, two lwIP netifs joined in memory (lwip_wire.c); and the
# firmware's TLS stack (brisa_tls_fw over the port) against an in-process
# OpenSSL server. Skipped, not failed, when the sources could not be fetched.
find_package(OpenSSL 3.0 COMPONENTS SSL Crypto)
if(TARGET brisa_port_lwip)
  brisa_unit_test(test_lwip_tcp SOURCES unit/test_lwip_tcp.c unit/lwip_wire.c
                  LIBS brisa_port_lwip)
  brisa_unit_test(test_lwip_net SOURCES unit/test_lwip_net.c unit/lwip_wire.c
                  unit/test_dhcp_server.c LIBS brisa_port_lwip brisa_net)
  brisa_unit_test(test_lwip_clock SOURCES unit/test_lwip_clock.c LIBS brisa_port_lwip)
else()
  set(lwip_skipped test_lwip_tcp test_lwip_net test_lwip_clock)
endif()
if(TARGET brisa_port_lwip AND TARGET brisa_tls_fw AND OpenSSL_FOUND)
  find_package(Threads REQUIRED)
  brisa_unit_test(test_tls_fw SOURCES unit/test_tls_fw.c unit/lwip_wire.c unit/tls_pki.c
                  LIBS brisa_tls_fw brisa_port_lwip OpenSSL::SSL Threads::Threads)
  target_compile_definitions(test_tls_fw PRIVATE BRISA_PKI="${PROJECT_SOURCE_DIR}/tools/pki/brisa-pki")
else()
  list(APPEND lwip_skipped test_tls_fw)
endif()
foreach(t ${lwip_skipped})
  add_test(NAME unit.${t} COMMAND sh -c "echo 'lwIP/mbedTLS sources not fetched (see the configure warning)'; exit 77")
  set_tests_properties(unit.${t} PROPERTIES LABELS unit SKIP_RETURN_CODE 77)
endforeach()
