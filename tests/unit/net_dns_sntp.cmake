# SPDX-License-Identifier: MIT
# DNS and SNTP clients: codecs against RFC byte layouts, state machines
# against scripted datagrams and a fake clock.
brisa_unit_test(test_dns_codec SOURCES unit/test_dns_codec.c LIBS brisa_net)
brisa_unit_test(test_dns_resolver SOURCES unit/test_dns_resolver.c LIBS brisa_net)
brisa_unit_test(test_sntp_codec SOURCES unit/test_sntp_codec.c LIBS brisa_net)
brisa_unit_test(test_sntp_client SOURCES unit/test_sntp_client.c LIBS brisa_net)
brisa_unit_test(test_dns_udp_port SOURCES unit/test_dns_udp_port.c LIBS brisa_posix)
brisa_unit_test(test_net_api_args SOURCES unit/test_net_api_args.c LIBS brisa_net)
