# SPDX-License-Identifier: MIT
# scripts/fetch-sources.sh: its checksum checks, offline.
brisa_integration_test(fetch_sources_verify integration/test_fetch_sources_verify.sh TIMEOUT 60)
