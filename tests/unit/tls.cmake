# SPDX-License-Identifier: MIT
# TLS layer: pure helpers and error mapping, and loopback handshakes of both
# backends against an in-process OpenSSL server with certificates that
# brisa-pki makes when the test starts.
if(TARGET brisa_tls)
  brisa_unit_test(test_tls_util SOURCES unit/test_tls_util.c LIBS brisa_tls)
endif()
find_package(OpenSSL 3.0 COMPONENTS SSL Crypto)
if(TARGET brisa_tls AND TARGET brisa_posix AND OpenSSL_FOUND)
  find_package(Threads REQUIRED)
  brisa_unit_test(test_tls_loopback SOURCES unit/test_tls_loopback.c unit/tls_pki.c
                  LIBS brisa_tls brisa_posix OpenSSL::SSL Threads::Threads)
  target_compile_definitions(test_tls_loopback PRIVATE _GNU_SOURCE
                             BRISA_PKI="${PROJECT_SOURCE_DIR}/tools/pki/brisa-pki")
endif()
