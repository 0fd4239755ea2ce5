# SPDX-License-Identifier: MIT
# brisa-net dns / ntp against real dnsmasq and chronyd (-x) on loopback,
# and against tests/harness/udppeer.py for replies real servers never send.
brisa_integration_test(dns_dnsmasq integration/test_dns_dnsmasq.sh TIMEOUT 120 LABELS net)
brisa_integration_test(dns_faults integration/test_dns_faults.sh TIMEOUT 120 LABELS net)
brisa_integration_test(ntp_chronyd integration/test_ntp_chronyd.sh TIMEOUT 120 LABELS net)
brisa_integration_test(ntp_faults integration/test_ntp_faults.sh TIMEOUT 120 LABELS net)
