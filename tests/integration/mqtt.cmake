# SPDX-License-Identifier: MIT
# brisa-pub / brisa-sub against a real mosquitto (and fake brokers). The
# tools exist once the MQTT core does.
if(TARGET brisa-pub AND TARGET brisa-sub)
  foreach(t qos interop retained will wildcards large lines session auth errors fakepeer)
    brisa_integration_test(mqtt_${t} integration/test_mqtt_${t}.sh TIMEOUT 120 LABELS mqtt)
  endforeach()
endif()
# MQTT 5 against mosquitto 2.0 (brisa-rr too); not in a 3.1.1-only core.
if(BRISA_MQTT5 AND TARGET brisa-pub AND TARGET brisa-sub AND TARGET brisa-rr)
  brisa_integration_test(mqtt_v5 integration/test_mqtt_v5.sh TIMEOUT 120 LABELS mqtt)
  brisa_integration_test(mqtt_v5_session integration/test_mqtt_v5_session.sh TIMEOUT 120 LABELS mqtt)
  brisa_integration_test(mqtt_scram integration/test_mqtt_scram.sh TIMEOUT 60 LABELS mqtt)
endif()
# Exit statuses side by side with mosquitto_pub/mosquitto_sub.
if(TARGET brisa-pub AND TARGET brisa-sub)
  brisa_integration_test(exit_codes integration/test_exit_codes.sh TIMEOUT 180 LABELS mqtt)
endif()
