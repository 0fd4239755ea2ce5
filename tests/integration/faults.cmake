# SPDX-License-Identifier: MIT
# Connections that survive faults (broker restarts, black hole, loss) with
# a real mosquitto; the loss part needs root for its network namespace.
if(TARGET brisa-pub AND TARGET brisa-sub)
  brisa_integration_test(mqtt_faults integration/test_mqtt_faults.sh TIMEOUT 600 LABELS mqtt faults)
endif()
# SIGTERM ends the device and the tools at once while they connect or
# handshake (a black-holed SYN, a mute TLS peer).
if(TARGET brisa-device AND TARGET brisa-pub AND TARGET brisa-sub)
  brisa_integration_test(signal_stops integration/test_signal_stops.sh TIMEOUT 120 LABELS "faults;device")
endif()
