# SPDX-License-Identifier: MIT
# Connections that survive faults (broker restarts, black hole, loss) with
# a real mosquitto; the loss part needs root for its network namespace.
if(TARGET brisa-pub AND TARGET brisa-sub)
  brisa_integration_test(mqtt_faults integration/test_mqtt_faults.sh TIMEOUT 600 LABELS mqtt faults)
endif()
