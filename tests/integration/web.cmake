# SPDX-License-Identifier: MIT
# WebSockets and HTTP proxies through brisa-pub / brisa-sub against real
# mosquitto listeners (websockets plain and TLS).
if(TARGET brisa-pub AND TARGET brisa-sub AND TARGET tls_probe)
  brisa_integration_test(ws_tools integration/test_ws_tools.sh TIMEOUT 300 LABELS "mqtt;tls")
  brisa_integration_test(proxy_tools integration/test_proxy_tools.sh TIMEOUT 300 LABELS "mqtt;tls")
endif()
