# SPDX-License-Identifier: MIT
# brisa/config.h overridden by a user file (BRISA_CONFIG_FILE): the DHCP
# codec is compiled into the test with it, so the test sees the library obey.
# Left out when the whole build names a file of its own, and from the
# coverage build (gcovr cannot merge this copy of the codec, built with
# other limits, with the library's; gcc's --coverage cannot be undone per
# target).
if(NOT BRISA_CONFIG_FILE AND BRISA_MQTT5 AND NOT CMAKE_C_FLAGS MATCHES "--coverage")
  brisa_unit_test(test_config_file SOURCES unit/test_config_file.c
                  ${PROJECT_SOURCE_DIR}/src/net/dhcp_codec.c LIBS brisa_common)
  target_compile_definitions(test_config_file PRIVATE
    BRISA_CONFIG_FILE="${CMAKE_CURRENT_SOURCE_DIR}/unit/config/user_config.h")
endif()
