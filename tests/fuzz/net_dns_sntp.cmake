# SPDX-License-Identifier: MIT
# Parsers of what DNS and NTP servers send. Seeds in corpus/<name>/ are
# real dnsmasq and chronyd replies plus hand-made malformed ones.
brisa_fuzz_target(dns_reply SOURCES fuzz/fuzz_dns_reply.c LIBS brisa_net)
brisa_fuzz_target(sntp_reply SOURCES fuzz/fuzz_sntp_reply.c LIBS brisa_net)
