# MQTT core: codec vectors, topic rules, client state machine over the
# scripted transport (unit/mqtt_fakes.c) and a fake clock.
brisa_unit_test(test_mqtt_codec SOURCES unit/test_mqtt_codec.c unit/mqtt_fakes.c LIBS brisa_mqtt)
brisa_unit_test(test_mqtt_topic SOURCES unit/test_mqtt_topic.c LIBS brisa_mqtt)
brisa_unit_test(test_mqtt_client SOURCES unit/test_mqtt_client.c unit/mqtt_fakes.c LIBS brisa_mqtt)
brisa_unit_test(test_mqtt_flows SOURCES unit/test_mqtt_flows.c unit/mqtt_fakes.c LIBS brisa_mqtt)
brisa_unit_test(test_mqtt_api_args SOURCES unit/test_mqtt_api_args.c unit/mqtt_fakes.c LIBS brisa_mqtt)
brisa_unit_test(test_mqtt_encode_refusals SOURCES unit/test_mqtt_encode_refusals.c LIBS brisa_mqtt)
