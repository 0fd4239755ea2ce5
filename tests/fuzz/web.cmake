# SPDX-License-Identifier: MIT
# What a WebSocket server sends (upgrade answer and frames); seeds in
# corpus/ws_frame/ are mosquitto's own answers plus hand-made frames.
brisa_fuzz_target(ws_frame SOURCES fuzz/fuzz_ws_frame.c LIBS brisa_web)
