# SPDX-License-Identifier: MIT
# The Debian package (cpack -G DEB in the build directory): everything
# `cmake --install` puts in place, under /usr, with the shared libraries'
# dependencies found by dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME brisa)
set(CPACK_PACKAGE_VENDOR "The brisa authors")
set(CPACK_PACKAGE_CONTACT "The brisa authors <brisa@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
  "An MQTT 3.1.1 client with TLS (mbedTLS or OpenSSL) and DHCP, DNS and SNTP\nclients for embedded systems: libraries, headers, CMake and pkg-config\npackages, and the tools brisa-pub, brisa-sub, brisa-net, brisa-pki and\nbrisa-device.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
# Our own shared libraries (libbrisa_tls_mbedtls needs libbrisa_tls) are in
# the package itself.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/lib)
# brisa-pki runs the openssl command.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "openssl")
include(CPack)
