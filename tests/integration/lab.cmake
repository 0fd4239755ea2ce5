# SPDX-License-Identifier: MIT
# Tests in the network lab (lab/lab): network namespaces with real dnsmasq,
# chronyd -x and mosquitto. They need root; without it they report "skipped"
# (exit 77), never "passed".
foreach(t lab_servers lab_dhcp_lease lab_dhcp_renew lab_dhcp_fallback lab_dhcp_decline
          lab_boot_example)
  brisa_integration_test(${t} integration/test_${t}.sh TIMEOUT 120 LABELS lab)
endforeach()
