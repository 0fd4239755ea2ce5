# SPDX-License-Identifier: MIT
# brisa-device end to end: the README's demo itself, in the lab and over
# loopback, and the device's behaviour when things go wrong.
if(BRISA_MQTT5 AND TARGET brisa-device)
  brisa_integration_test(device_demo_lab integration/test_device_demo_lab.sh TIMEOUT 300 LABELS "device;lab")
  brisa_integration_test(device_demo_loopback integration/test_device_demo_loopback.sh TIMEOUT 300 LABELS device)
  brisa_integration_test(device_errors integration/test_device_errors.sh TIMEOUT 300 LABELS device)
  brisa_integration_test(device_recovery integration/test_device_recovery.sh TIMEOUT 300 LABELS device)
  brisa_integration_test(device_ws integration/test_device_ws.sh TIMEOUT 300 LABELS device)
endif()
# brisa-device at MQTT 5 (normal and test mode); not in a 3.1.1-only core.
if(BRISA_MQTT5 AND TARGET brisa-device)
  brisa_integration_test(device_mqtt5 integration/test_device_mqtt5.sh TIMEOUT 200 LABELS device)
endif()
