// SPDX-License-Identifier: MIT
/* brisa-net: the network service clients (DHCP, DNS, SNTP) on the command
 * line. Each subcommand lives in its own file (see commands.h). */
#include <stdio.h>
#include <string.h>

#include "brisa/version.h"
#include "commands.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    { "dhcp", bri_net_cmd_dhcp, "obtain, apply, renew and release a DHCP lease" },
    { "dns", bri_net_cmd_dns, "resolve a name with brisa's DNS client" },
    { "ntp", bri_net_cmd_ntp, "query an NTP server with brisa's SNTP client" },
};

static void usage(FILE *out)
{
    fprintf(out, "usage: brisa-net COMMAND [ARGS...]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-6s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'brisa-net COMMAND --help' describes each command;"
                 " 'brisa-net --version' prints the version.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("brisa-net %s\n", brisa_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "brisa-net: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
