# SPDX-License-Identifier: MIT
# MQTT core: codec vectors, topic rules, client state machine over the
# scripted transport (unit/mqtt_fakes.c) and a fake clock.
brisa_unit_test(test_mqtt_codec SOURCES unit/test_mqtt_codec.c unit/mqtt_fakes.c LIBS brisa_mqtt)
if(BRISA_MQTT5)
  brisa_unit_test(test_mqtt5_codec SOURCES unit/test_mqtt5_codec.c unit/mqtt_fakes.c LIBS brisa_mqtt)
  brisa_unit_test(test_mqtt5_props SOURCES unit/test_mqtt5_props.c LIBS brisa_mqtt)
  brisa_unit_test(test_mqtt_codec_edges SOURCES unit/test_mqtt_codec_edges.c LIBS brisa_mqtt)
  brisa_unit_test(test_mqtt5_client SOURCES unit/test_mqtt5_client.c unit/mqtt_fakes.c LIBS brisa_mqtt)
  brisa_unit_test(test_mqtt5_client_edges SOURCES unit/test_mqtt5_client_edges.c unit/mqtt_fakes.c
                  LIBS brisa_mqtt)
  if(TARGET brisa_tools_common)
    brisa_unit_test(test_tools_format SOURCES unit/test_tools_format.c LIBS brisa_tools_common)
    target_compile_definitions(test_tools_format PRIVATE _GNU_SOURCE)
  endif()
  if(TARGET brisa_tls)
    # SCRAM-SHA-256 with the TLS backends' hashes.
    brisa_unit_test(test_mqtt_scram SOURCES unit/test_mqtt_scram.c LIBS brisa_mqtt brisa_tls)
  endif()
  brisa_unit_test(test_mqtt_scram_edges SOURCES unit/test_mqtt_scram_edges.c LIBS brisa_mqtt)
endif()
brisa_unit_test(test_mqtt_topic SOURCES unit/test_mqtt_topic.c LIBS brisa_mqtt)
brisa_unit_test(test_mqtt_client SOURCES unit/test_mqtt_client.c unit/mqtt_fakes.c LIBS brisa_mqtt)
brisa_unit_test(test_mqtt_client_edges SOURCES unit/test_mqtt_client_edges.c unit/mqtt_fakes.c
                LIBS brisa_mqtt)
brisa_unit_test(test_mqtt_flows SOURCES unit/test_mqtt_flows.c unit/mqtt_fakes.c LIBS brisa_mqtt)
brisa_unit_test(test_mqtt_reconnect SOURCES unit/test_mqtt_reconnect.c unit/mqtt_fakes.c LIBS brisa_mqtt)
brisa_unit_test(test_mqtt_reconnect_edges SOURCES unit/test_mqtt_reconnect_edges.c unit/mqtt_fakes.c
                LIBS brisa_mqtt)
brisa_unit_test(test_mqtt_api_args SOURCES unit/test_mqtt_api_args.c unit/mqtt_fakes.c LIBS brisa_mqtt)
brisa_unit_test(test_mqtt_encode_refusals SOURCES unit/test_mqtt_encode_refusals.c LIBS brisa_mqtt)
