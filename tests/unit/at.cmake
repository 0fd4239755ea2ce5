# SPDX-License-Identifier: MIT
# AT engine and SIM7600 driver: scripted transport and fake clock
# (unit/mqtt_fakes.c), golden transcripts from tests/vectors.
brisa_unit_test(test_at_engine SOURCES unit/test_at_engine.c unit/mqtt_fakes.c LIBS brisa_at)
brisa_unit_test(test_sim7600 SOURCES unit/test_sim7600.c unit/at_script.c unit/mqtt_fakes.c LIBS brisa_at)
target_compile_definitions(test_sim7600 PRIVATE VECTORS_DIR="${PROJECT_SOURCE_DIR}/tests/vectors")
# The serial port on a pseudo-terminal.
brisa_unit_test(test_posix_serial SOURCES unit/test_posix_serial.c LIBS brisa_posix)
target_compile_definitions(test_posix_serial PRIVATE _GNU_SOURCE)
