# SPDX-License-Identifier: MIT
if(TARGET brisa_device_lib)
  brisa_unit_test(test_app_config SOURCES unit/test_app_config.c LIBS brisa_device_lib)
  brisa_unit_test(test_app_commands SOURCES unit/test_app_commands.c LIBS brisa_device_lib)
  brisa_unit_test(test_app_stats SOURCES unit/test_app_stats.c LIBS brisa_device_lib)
endif()

# The libgpiod board, linked against a fake libgpiod (no GPIO chip here).
if(TARGET brisa_device_lib)
  set(app_dir ${PROJECT_SOURCE_DIR}/app/brisa-device)
  brisa_unit_test(test_app_gpiod SOURCES unit/test_app_gpiod.c ${app_dir}/board.c
                  ${app_dir}/posix/board_open.c
                  ${app_dir}/posix/board_gpiod.c ${app_dir}/posix/board_console.c LIBS brisa_common)
  target_include_directories(test_app_gpiod PRIVATE ${app_dir})
  target_compile_definitions(test_app_gpiod PRIVATE _GNU_SOURCE)
endif()

# The firmware's configuration path on the host: an INI file turned into C
# by brisa-device-config-c, loaded by lwip/config_builtin.c.
if(TARGET brisa-device-config-c AND TARGET brisa_tls)
  set(builtin_dir ${CMAKE_CURRENT_SOURCE_DIR}/unit/data/builtin)
  set(builtin_c ${CMAKE_CURRENT_BINARY_DIR}/builtin_device_config.c)
  add_custom_command(OUTPUT ${builtin_c}
    COMMAND brisa-device-config-c device.ini ${builtin_c}
    WORKING_DIRECTORY ${builtin_dir}
    DEPENDS brisa-device-config-c ${builtin_dir}/device.ini ${builtin_dir}/ca.pem
            ${builtin_dir}/device.pem ${builtin_dir}/device.key)
  brisa_unit_test(test_app_config_builtin SOURCES unit/test_app_config_builtin.c
                  ${app_dir}/config.c ${app_dir}/lwip/config_builtin.c ${builtin_c}
                  LIBS brisa_tls brisa_web brisa_mqtt brisa_common)
  target_include_directories(test_app_config_builtin PRIVATE ${app_dir} ${app_dir}/lwip)
  target_compile_definitions(test_app_config_builtin PRIVATE BUILTIN_FIXTURE_DIR="${builtin_dir}")
endif()
