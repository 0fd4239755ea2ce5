// SPDX-License-Identifier: MIT
/* Subcommands of brisa-net; each lives in its own file and returns the
 * process exit status (0 success, 1 failure, 2 usage error). */
#ifndef BRISA_NET_COMMANDS_H
#define BRISA_NET_COMMANDS_H

int bri_net_cmd_dhcp(int argc, char **argv); /* dhcp_cmd.c */
int bri_net_cmd_dns(int argc, char **argv);  /* dns_cmd.c */
int bri_net_cmd_ntp(int argc, char **argv);  /* ntp_cmd.c */

#endif
