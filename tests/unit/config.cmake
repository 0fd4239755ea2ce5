# SPDX-License-Identifier: MIT
# brisa/config.h overridden by a user file (BRISA_CONFIG_FILE): the DHCP
# codec is compiled into the test with it, so the test sees the library obey.
# Skipped when the whole build already names a file of its own.
if(NOT BRISA_CONFIG_FILE AND BRISA_MQTT5)
  brisa_unit_test(test_config_file SOURCES unit/test_config_file.c
                  ${PROJECT_SOURCE_DIR}/src/net/dhcp_codec.c LIBS brisa_common)
  target_compile_definitions(test_config_file PRIVATE
    BRISA_CONFIG_FILE="${CMAKE_CURRENT_SOURCE_DIR}/unit/config/user_config.h")
  # This copy of the codec has other limits: its coverage counts (if any)
  # must not be merged with the library's.
  if(CMAKE_C_FLAGS MATCHES "--coverage")
    target_compile_options(test_config_file PRIVATE -fno-profile-arcs -fno-test-coverage)
  endif()
endif()
