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
