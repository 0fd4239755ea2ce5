# SPDX-License-Identifier: MIT
# AT engine and SIM7600 driver fuzz target; seeds in corpus/at.
brisa_fuzz_target(at SOURCES fuzz/fuzz_at.c unit/mqtt_fakes.c LIBS brisa_at)
