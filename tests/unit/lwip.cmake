# The lwIP port on the host: src/port/lwip over lwIP built from the fetched
# Debian sources, two lwIP netifs joined in memory (lwip_wire.c). Skipped,
# not failed, when the sources could not be fetched.
set(lwip_tests test_lwip_tcp test_lwip_net)
if(TARGET brisa_port_lwip)
  brisa_unit_test(test_lwip_tcp SOURCES unit/test_lwip_tcp.c unit/lwip_wire.c
                  LIBS brisa_port_lwip)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_lwip_net.c)
    brisa_unit_test(test_lwip_net SOURCES unit/test_lwip_net.c unit/lwip_wire.c
                    unit/test_dhcp_server.c LIBS brisa_port_lwip brisa_net)
  endif()
else()
  foreach(t ${lwip_tests})
    add_test(NAME unit.${t} COMMAND sh -c "echo 'lwIP sources not fetched (see the configure warning)'; exit 77")
    set_tests_properties(unit.${t} PROPERTIES LABELS unit SKIP_RETURN_CODE 77)
  endforeach()
endif()
