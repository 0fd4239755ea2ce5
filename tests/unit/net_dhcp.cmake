# SPDX-License-Identifier: MIT
# DHCP client: codec byte layouts and rejects, state machine with a
# scripted datagram and a fake clock.
brisa_unit_test(test_dhcp_codec SOURCES unit/test_dhcp_codec.c unit/test_dhcp_server.c
                LIBS brisa_net)
brisa_unit_test(test_dhcp_client SOURCES unit/test_dhcp_client.c unit/test_dhcp_server.c
                LIBS brisa_net)
