# SPDX-License-Identifier: MIT
# TLS extensions: ALPN (openssl s_server -alpn) and OCSP stapling.
if(TARGET tls_probe AND TARGET brisa-pub)
  brisa_integration_test(tls_alpn integration/test_tls_alpn.sh TIMEOUT 120 LABELS tls)
  brisa_integration_test(tls_ocsp integration/test_tls_ocsp.sh TIMEOUT 120 LABELS tls)
endif()
