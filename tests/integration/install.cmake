# SPDX-License-Identifier: MIT
# The installed tree (cmake --install), used from outside with pkg-config
# and find_package(brisa), once per TLS engine.
if(TARGET brisa_tls_openssl AND TARGET brisa-pub)
  brisa_integration_test(install integration/test_install.sh TIMEOUT 300 LABELS tls)
endif()
brisa_integration_test(man_pages integration/test_man_pages.sh TIMEOUT 60)
if(TARGET tls_two_way)
  brisa_integration_test(examples integration/test_examples.sh TIMEOUT 120 LABELS mqtt)
endif()
# brisa/config.h overridden through the CMake cache variable (a small build).
brisa_integration_test(config_file_build integration/test_config_file_build.sh TIMEOUT 300)
brisa_integration_test(api_names integration/test_api_names.sh TIMEOUT 60)
