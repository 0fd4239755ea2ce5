# SPDX-License-Identifier: MIT
# Helpers shared by every CMakeLists.txt of the project.

# Warnings for brisa's own targets (never for third-party code).
function(brisa_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wpointer-arith -Wcast-qual -Wformat=2 -Wundef -Wvla
    $<$<BOOL:${BRISA_WERROR}>:-Werror>)
endfunction()

# Adds every immediate subdirectory of DIR that has a CMakeLists.txt, so that
# modules, tools and test groups can be added without editing a shared list.
function(brisa_add_subdirectories dir)
  file(GLOB children LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}/${dir}
       ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*)
  list(SORT children)
  foreach(child ${children})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/${child}/CMakeLists.txt)
      add_subdirectory(${dir}/${child})
    endif()
  endforeach()
endfunction()

# A library of brisa's own code.
function(brisa_library name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS" ${ARGN})
  add_library(${name} STATIC ${A_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/include
                                            ${PROJECT_BINARY_DIR}/include # brisa/version.h
                                     PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${A_LIBS})
  brisa_warnings(${name})
endfunction()

# A cmocka unit test: brisa_unit_test(test_mqtt_codec SOURCES ... LIBS ...)
function(brisa_unit_test name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${A_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/include
                                             ${PROJECT_SOURCE_DIR}/src
                                             ${PROJECT_SOURCE_DIR}/tests/unit)
  target_link_libraries(${name} PRIVATE ${A_LIBS} cmocka)
  brisa_warnings(${name})
  add_test(NAME unit.${name} COMMAND ${name})
  set_tests_properties(unit.${name} PROPERTIES LABELS unit TIMEOUT 120)
endfunction()

# An integration test script (bash) run with the build directory in
# BRISA_BUILD and the source tree in BRISA_SRC. Exit status 77 means
# "skipped" (e.g. the network lab without root), never "passed".
function(brisa_integration_test name script)
  cmake_parse_arguments(A "" "TIMEOUT" "LABELS" ${ARGN})
  if(NOT BRISA_INTEGRATION)
    return()
  endif()
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  add_test(NAME integration.${name}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/${script})
  set_tests_properties(integration.${name} PROPERTIES
    LABELS "integration;${A_LABELS}" TIMEOUT ${A_TIMEOUT} SKIP_RETURN_CODE 77
    ENVIRONMENT "BRISA_BUILD=${PROJECT_BINARY_DIR};BRISA_SRC=${PROJECT_SOURCE_DIR}")
endfunction()

# A fuzz target (a file defining LLVMFuzzerTestOneInput). With BRISA_FUZZ it
# is built for libFuzzer as fuzz_<name>; in every build it is also built with
# a small driver that replays tests/fuzz/corpus/<name>/* as a unit test, so
# the seeds and every crash ever found keep being checked.
function(brisa_fuzz_target name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS" ${ARGN})
  set(corpus ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
  add_executable(replay_${name} ${A_SOURCES} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.c)
  target_include_directories(replay_${name} PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(replay_${name} PRIVATE ${A_LIBS})
  target_compile_definitions(replay_${name} PRIVATE _POSIX_C_SOURCE=200809L)
  brisa_warnings(replay_${name})
  add_test(NAME fuzz_replay.${name} COMMAND replay_${name} ${corpus})
  set_tests_properties(fuzz_replay.${name} PROPERTIES LABELS unit TIMEOUT 120)
  if(BRISA_FUZZ)
    add_executable(fuzz_${name} ${A_SOURCES})
    target_include_directories(fuzz_${name} PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
    # The libraries are instrumented globally (see CMakeLists.txt); only the
    # fuzz binary links libFuzzer's main.
    target_compile_definitions(fuzz_${name} PRIVATE _POSIX_C_SOURCE=200809L)
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(fuzz_${name} PRIVATE ${A_LIBS})
  endif()
endfunction()
