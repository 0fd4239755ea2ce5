# SPDX-License-Identifier: MIT
# HTTP-based transports: SHA-1, base64 and WebSockets over the scripted
# transport (unit/mqtt_fakes.c) and a fake clock.
# brisa_tls: the layers of brisa/connect.h live in the TLS library.
brisa_unit_test(test_ws SOURCES unit/test_ws.c unit/mqtt_fakes.c LIBS brisa_web brisa_mqtt brisa_tls)
