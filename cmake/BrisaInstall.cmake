# SPDX-License-Identifier: MIT
# What `cmake --install` puts where (GNUInstallDirs), and the CMake and
# pkg-config packages that let a program outside the tree use brisa:
#
#   library (static .a and shared .so)   CMake target     pkg-config module
#   libbrisa_core       common, mqtt, net, at, web  brisa::core     brisa-core
#   libbrisa_posix      the POSIX port          brisa::posix        brisa-posix
#   libbrisa_tls_mbedtls  TLS with mbedTLS      brisa::tls_mbedtls  brisa-tls-mbedtls
#   libbrisa_tls_openssl  TLS with OpenSSL      brisa::tls_openssl  brisa-tls-openssl
#
# Each TLS library holds the engine-independent part too (src/tls/tls.c), so
# a program names one and depends on that engine's library alone; linking
# both works (the first one's copy of the common part serves both engines).
#
# The in-tree libraries (brisa_mqtt, brisa_net, ...) stay as they are for the
# tools and tests; the installed ones are compiled again from their sources,
# the shared ones with -fvisibility=hidden so that only what the public
# headers declare (BRISA_BEGIN_DECLS, brisa/export.h) is exported.
include(CMakePackageConfigHelpers)

set(BRISA_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/brisa)
set(BRISA_INSTALLED_LIBS "")

# Sources, include directories and definitions of in-tree targets.
function(brisa_collect out_src out_inc out_def)
  set(src "")
  set(inc "")
  set(def "")
  foreach(t ${ARGN})
    if(NOT TARGET ${t})
      continue()
    endif()
    get_target_property(files ${t} SOURCES)
    get_target_property(dir ${t} SOURCE_DIR)
    foreach(f ${files})
      if(NOT IS_ABSOLUTE ${f})
        set(f ${dir}/${f})
      endif()
      list(APPEND src ${f})
    endforeach()
    get_target_property(i ${t} INCLUDE_DIRECTORIES)
    get_target_property(d ${t} COMPILE_DEFINITIONS)
    list(APPEND inc ${i})
    if(d)
      list(APPEND def ${d})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES inc)
  set(${out_src} ${src} PARENT_SCOPE)
  set(${out_inc} ${inc} PARENT_SCOPE)
  set(${out_def} ${def} PARENT_SCOPE)
endfunction()

# brisa_installed_library(core FROM brisa_common brisa_mqtt ... [PUBLIC libs]
#                         [PRIVATE libs] [UNDEFINED symbols...])
function(brisa_installed_library name)
  cmake_parse_arguments(A "" "" "FROM;PUBLIC;PRIVATE;UNDEFINED" ${ARGN})
  brisa_collect(src inc def ${A_FROM})
  if(NOT src)
    return()
  endif()
  foreach(kind shared static)
    set(t brisa_${name}_${kind})
    string(TOUPPER ${kind} KIND)
    add_library(${t} ${KIND} ${src})
    set_target_properties(${t} PROPERTIES OUTPUT_NAME brisa_${name} EXPORT_NAME ${name}
      ARCHIVE_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/lib
      LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/lib)
    target_include_directories(${t} PRIVATE ${inc}
      INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    target_compile_definitions(${t} PRIVATE ${def})
    brisa_warnings(${t})
    set(pub "")
    foreach(dep ${A_PUBLIC})
      list(APPEND pub brisa_${dep}_${kind})
    endforeach()
    target_link_libraries(${t} PUBLIC ${pub} PRIVATE ${A_PRIVATE})
    foreach(sym ${A_UNDEFINED})
      target_link_options(${t} INTERFACE "LINKER:-u,${sym}")
    endforeach()
  endforeach()
  set_target_properties(brisa_${name}_shared PROPERTIES
    C_VISIBILITY_PRESET hidden VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR})
  install(TARGETS brisa_${name}_shared EXPORT brisaTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev)
  install(TARGETS brisa_${name}_static ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
  set(BRISA_INSTALLED_LIBS ${BRISA_INSTALLED_LIBS} ${name} PARENT_SCOPE)
endfunction()

# Imported targets of src/ are local to their directories: find them again.
find_package(PkgConfig REQUIRED)
pkg_check_modules(BRISA_INSTALL_MNL IMPORTED_TARGET libmnl)
find_package(OpenSSL 3.0 COMPONENTS SSL Crypto)

# Imported targets of src/ are local to their directories: find them again.
find_package(PkgConfig REQUIRED)
pkg_check_modules(BRISA_INSTALL_MNL IMPORTED_TARGET libmnl)
find_package(OpenSSL 3.0 COMPONENTS SSL Crypto)

brisa_installed_library(core FROM brisa_common brisa_mqtt brisa_net brisa_web brisa_at)
if(TARGET brisa_posix)
  brisa_installed_library(posix FROM brisa_posix PUBLIC core PRIVATE PkgConfig::BRISA_INSTALL_MNL)
endif()
if(TARGET brisa_tls_base)
  brisa_installed_library(tls_mbedtls FROM brisa_tls_base brisa_tls_mbedtls PUBLIC core
    PRIVATE ${BRISA_MBEDTLS_LIB} ${BRISA_MBEDX509_LIB} ${BRISA_MBEDCRYPTO_LIB}
    UNDEFINED bri_tls_mbedtls_ops bri_tls_mbedtls_crypto)
endif()
if(TARGET brisa_tls_openssl)
  brisa_installed_library(tls_openssl FROM brisa_tls_base brisa_tls_openssl PUBLIC core
    PRIVATE OpenSSL::SSL OpenSSL::Crypto UNDEFINED bri_tls_openssl_ops bri_tls_openssl_crypto)
endif()

# Headers: the public ones and the generated version.h.
install(DIRECTORY include/brisa DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
        FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/brisa/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/brisa COMPONENT dev)

# The CMake package: find_package(brisa) gives brisa::core and the others.
install(EXPORT brisaTargets NAMESPACE brisa:: DESTINATION ${BRISA_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(cmake/brisaConfig.cmake.in
  ${PROJECT_BINARY_DIR}/brisaConfig.cmake INSTALL_DESTINATION ${BRISA_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/brisaConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/brisaConfig.cmake ${PROJECT_BINARY_DIR}/brisaConfigVersion.cmake
        DESTINATION ${BRISA_CMAKE_DIR} COMPONENT dev)

# pkg-config modules, relocatable: the prefix is found from the .pc file's
# own place, so a tree installed with --prefix elsewhere works as it is.
set(pc_up "")
string(REPLACE "/" ";" libdir_parts "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
foreach(part ${libdir_parts})
  string(APPEND pc_up "/..")
endforeach()
set(BRISA_PC_PREFIX "\${pcfiledir}${pc_up}")
set(BRISA_MBEDTLS_LIBS "-lmbedtls -lmbedx509 -lmbedcrypto")
foreach(name ${BRISA_INSTALLED_LIBS})
  string(REPLACE "_" "-" module brisa-${name})
  if(EXISTS ${PROJECT_SOURCE_DIR}/cmake/pkgconfig/${module}.pc.in)
    configure_file(cmake/pkgconfig/${module}.pc.in ${PROJECT_BINARY_DIR}/pkgconfig/${module}.pc @ONLY)
    install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/${module}.pc
            DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
  endif()
endforeach()

# Programs, man pages and documents.
foreach(tool brisa-pub brisa-sub brisa-net brisa-device)
  if(TARGET ${tool})
    install(TARGETS ${tool} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
  endif()
endforeach()
file(GLOB BRISA_MAN_PAGES ${PROJECT_SOURCE_DIR}/docs/man/*.1)
if(BRISA_MAN_PAGES)
  install(FILES ${BRISA_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)
endif()
file(GLOB BRISA_DOCS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES README.md LICENSE ${BRISA_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)

include(BrisaPackage)
