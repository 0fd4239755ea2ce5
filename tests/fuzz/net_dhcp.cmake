# SPDX-License-Identifier: MIT
# DHCP: the reply parser on any bytes, and the client fed hostile replies.
# The DHCP sources are compiled into the targets (not linked from brisa_net)
# so that libFuzzer's coverage instrumentation reaches them.
set(BRISA_DHCP_DIR ${PROJECT_SOURCE_DIR}/src/net)
brisa_fuzz_target(dhcp_reply SOURCES fuzz/fuzz_dhcp_reply.c ${BRISA_DHCP_DIR}/dhcp_codec.c
                  LIBS brisa_common)
brisa_fuzz_target(dhcp_client SOURCES fuzz/fuzz_dhcp_client.c ${BRISA_DHCP_DIR}/dhcp.c
                  ${BRISA_DHCP_DIR}/dhcp_codec.c LIBS brisa_common)
