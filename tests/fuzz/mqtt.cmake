# SPDX-License-Identifier: MIT
# MQTT fuzz targets; seeds and past crashers in corpus/mqtt_decode and
# corpus/mqtt_client are replayed by every build.
brisa_fuzz_target(mqtt_decode SOURCES fuzz/fuzz_mqtt_decode.c LIBS brisa_mqtt)
brisa_fuzz_target(mqtt_client SOURCES fuzz/fuzz_mqtt_client.c unit/mqtt_fakes.c LIBS brisa_mqtt)
