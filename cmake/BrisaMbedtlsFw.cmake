# SPDX-License-Identifier: MIT
# mbedTLS for the firmware, built from the fetched Debian sources with
# brisa's own configuration (src/tls/fw/brisa_mbedtls_config.h), and
# brisa's TLS layer (src/tls, mbedTLS backend only, no file access) over it.
#
#   include(BrisaMbedtlsFw)
#   brisa_mbedtls_fw_targets()
#
# defines, when the sources are there (BRISA_MBEDTLS_FW_FOUND TRUE):
#   brisa_mbedtls_fw  mbedTLS library/*.c + the time hook; PUBLIC
#                     MBEDTLS_CONFIG_FILE and include dirs
#   brisa_tls_fw      src/tls/{tls,util,mbedtls,mbedtls_verify}.c with
#                     BRISA_TLS_NO_FILES: credentials only from memory
# for whatever compiler the build uses (the board's toolchain, or the host
# for tests). brisa_common must exist. Call it once per build tree.
include_guard(GLOBAL)
include(BrisaThirdParty)

# A build tree configured before this default changed holds the old one
# (16384, known by its old description): it takes the new default once.
if(DEFINED CACHE{BRISA_MBEDTLS_IN_LEN})
  get_property(in_len_help CACHE BRISA_MBEDTLS_IN_LEN PROPERTY HELPSTRING)
  if(BRISA_MBEDTLS_IN_LEN EQUAL 16384 AND in_len_help MATCHES "^The firmware's TLS input record buffer: 16384 for any broker")
    message(STATUS "BRISA_MBEDTLS_IN_LEN: 16384 from an older build tree, now 2048 (the default)")
    unset(BRISA_MBEDTLS_IN_LEN CACHE)
  endif()
endif()
set(BRISA_MBEDTLS_IN_LEN 2048 CACHE STRING
    "The firmware's TLS input record buffer: 2048 when the broker accepts max_fragment_length (Mosquitto does), 16384 for any broker")
set(BRISA_MBEDTLS_OUT_LEN 2048 CACHE STRING "The firmware's TLS output record buffer")

function(brisa_mbedtls_fw_targets)
  set(BRISA_MBEDTLS_FW_FOUND FALSE PARENT_SCOPE)
  if(TARGET brisa_mbedtls_fw)
    set(BRISA_MBEDTLS_FW_FOUND TRUE PARENT_SCOPE)
    return()
  endif()
  brisa_fetch_sources()
  if(NOT BRISA_MBEDTLS_DIR)
    return()
  endif()
  set(fw ${PROJECT_SOURCE_DIR}/src/tls/fw)
  file(GLOB lib ${BRISA_MBEDTLS_DIR}/library/*.c)
  add_library(brisa_mbedtls_fw STATIC ${lib} ${fw}/mbedtls_time.c)
  # SYSTEM and first: these headers, not a system-wide mbedTLS's.
  target_include_directories(brisa_mbedtls_fw SYSTEM BEFORE PUBLIC ${BRISA_MBEDTLS_DIR}/include ${fw})
  target_include_directories(brisa_mbedtls_fw PRIVATE ${PROJECT_SOURCE_DIR}/include)
  target_compile_definitions(brisa_mbedtls_fw PUBLIC MBEDTLS_CONFIG_FILE="brisa_mbedtls_config.h"
                             MBEDTLS_SSL_IN_CONTENT_LEN=${BRISA_MBEDTLS_IN_LEN}
                             MBEDTLS_SSL_OUT_CONTENT_LEN=${BRISA_MBEDTLS_OUT_LEN})

  set(tls ${PROJECT_SOURCE_DIR}/src/tls)
  add_library(brisa_tls_fw STATIC ${tls}/tls.c ${tls}/util.c ${tls}/mbedtls.c ${tls}/mbedtls_verify.c
              ${tls}/connect.c)
  target_include_directories(brisa_tls_fw PUBLIC ${PROJECT_SOURCE_DIR}/include PRIVATE ${tls})
  target_compile_definitions(brisa_tls_fw PRIVATE BRISA_TLS_NO_FILES)
  target_link_libraries(brisa_tls_fw PUBLIC brisa_mbedtls_fw brisa_common)
  if(TARGET brisa_web) # connect.c: the tunnel and WebSocket layers
    target_link_libraries(brisa_tls_fw PUBLIC brisa_web)
  endif()
  # tls.c reaches its engine through a weak reference (engines are separate
  # libraries on Linux): name the ops so a static link keeps them.
  target_link_options(brisa_tls_fw INTERFACE "LINKER:-u,bri_tls_mbedtls_ops")
  brisa_warnings(brisa_tls_fw)
  set(BRISA_MBEDTLS_FW_FOUND TRUE PARENT_SCOPE)
endfunction()
