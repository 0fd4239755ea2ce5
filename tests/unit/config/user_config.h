// SPDX-License-Identifier: MIT
/* A user's tunables for test_config_file: named by BRISA_CONFIG_FILE, read
 * before brisa/config.h's defaults. Only what changes is defined. */
#define BRISA_TEST_USER_CONFIG 1
#define BRISA_DHCP_MAX_SERVERS 1
#define BRISA_DHCP_NAME_MAX 8
