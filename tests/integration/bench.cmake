# SPDX-License-Identifier: MIT
# The benchmark suite (bench/) on a tiny configuration: proves the three
# programs, the runner, the report and the plots work. Never a speed test.
brisa_integration_test(bench_smoke integration/test_bench_smoke.sh TIMEOUT 900 LABELS bench)
