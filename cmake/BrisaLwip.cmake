# SPDX-License-Identifier: MIT
# lwIP's core built from the fetched sources, and brisa's port over it.
#
#   include(BrisaLwip)
#   brisa_lwip_targets([OPTS_DIR dir])
#
# defines, when the sources are there (BRISA_LWIP_FOUND TRUE):
#   brisa_lwip_stack  lwIP core + IPv4 + Ethernet/ARP, NO_SYS, compiled with
#                     the lwipopts.h in OPTS_DIR (default src/port/lwip/config,
#                     which also holds arch/cc.h); its include dirs are public
#   brisa_port_lwip   src/port/lwip (transport, datagrams, clock, lease);
#                     links brisa_lwip_stack and brisa_common
# for whatever compiler the build uses (host gcc, or arm-none-eabi-gcc with
# the board's toolchain file). Call it once per build tree.
include_guard(GLOBAL)
include(BrisaThirdParty)

function(brisa_lwip_targets)
  cmake_parse_arguments(A "" "OPTS_DIR" "" ${ARGN})
  set(BRISA_LWIP_FOUND FALSE PARENT_SCOPE)
  if(TARGET brisa_lwip_stack)
    set(BRISA_LWIP_FOUND TRUE PARENT_SCOPE)
    return()
  endif()
  brisa_fetch_sources()
  if(NOT BRISA_LWIP_DIR)
    return()
  endif()
  set(config ${PROJECT_SOURCE_DIR}/src/port/lwip/config)
  if(NOT A_OPTS_DIR)
    set(A_OPTS_DIR ${config})
  endif()
  set(src ${BRISA_LWIP_DIR}/src)
  # Disabled features (IPv6, DHCP, DNS, altcp...) compile to nothing.
  file(GLOB core ${src}/core/*.c ${src}/core/ipv4/*.c)
  add_library(brisa_lwip_stack STATIC ${core} ${src}/netif/ethernet.c)
  # SYSTEM: lwIP's headers are not held to brisa's warning flags.
  target_include_directories(brisa_lwip_stack SYSTEM PUBLIC ${src}/include ${A_OPTS_DIR} ${config})

  file(GLOB port CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/port/lwip/*.c)
  add_library(brisa_port_lwip STATIC ${port})
  target_include_directories(brisa_port_lwip PUBLIC ${PROJECT_SOURCE_DIR}/include
                                             PRIVATE ${PROJECT_SOURCE_DIR}/src/port/lwip)
  target_link_libraries(brisa_port_lwip PUBLIC brisa_lwip_stack brisa_common)
  brisa_warnings(brisa_port_lwip)
  set(BRISA_LWIP_FOUND TRUE PARENT_SCOPE)
endfunction()
