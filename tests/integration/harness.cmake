# SPDX-License-Identifier: MIT
brisa_integration_test(harness integration/test_harness.sh TIMEOUT 60)
