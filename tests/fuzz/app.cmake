# SPDX-License-Identifier: MIT
# The device configuration parser.
if(TARGET brisa_device_lib)
  brisa_fuzz_target(app_config SOURCES fuzz/fuzz_app_config.c LIBS brisa_device_lib)
  target_include_directories(replay_app_config PRIVATE ${PROJECT_SOURCE_DIR}/app/brisa-device)
  if(TARGET fuzz_app_config)
    target_include_directories(fuzz_app_config PRIVATE ${PROJECT_SOURCE_DIR}/app/brisa-device)
  endif()
endif()
