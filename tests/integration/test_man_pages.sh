#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The man pages cannot drift from the programs: every option a tool's --help
# names (and its commands' --help) is in its man page, every option the man
# page names is in --help, and each page renders without groff warnings.
source "$BRISA_SRC/tests/harness/lib.sh"
MAN=$BRISA_SRC/docs/man

# help_text TOOL: everything the tool's help says, commands included.
help_text() {
    local bin=$BRISA_BIN/$1 c
    case "$1" in
        brisa-net)
            "$bin" --help
            for c in dhcp dns ntp; do "$bin" "$c" --help; echo; done ;;
        brisa-pki)
            "$bin" help
            for c in init broker device revoke crl mosquitto list; do "$bin" "$c" --help; done ;;
        *) "$bin" --help ;;
    esac
}

# options: the option names in stdin (roff escapes undone): -x and --long.
options() {
    sed -e 's/\\f[BIRP]//g; s/\\-/-/g; s/\\(em/ /g' |
        grep -oP '(?<![\w\\-])(--[a-z][a-z0-9-]*|-[A-Za-z0-9])(?![\w:-])' | sort -u
}

for tool in brisa-pub brisa-sub brisa-rr brisa-net brisa-pki brisa-device; do
    page=$MAN/$tool.1
    [ -f "$page" ] || fail "$tool: no man page ($page)"
    help_text "$tool" >"$TEST_DIR/$tool.help" 2>&1
    options <"$TEST_DIR/$tool.help" >"$TEST_DIR/$tool.help.opts"
    options <"$page" >"$TEST_DIR/$tool.man.opts"
    [ "$(wc -l <"$TEST_DIR/$tool.help.opts")" -ge 3 ] || fail "$tool: no options found in --help"
    missing=$(comm -23 "$TEST_DIR/$tool.help.opts" "$TEST_DIR/$tool.man.opts" | tr '\n' ' ')
    [ -z "$missing" ] || fail "$tool: in --help but not in $tool.1: $missing"
    extra=$(comm -13 "$TEST_DIR/$tool.help.opts" "$TEST_DIR/$tool.man.opts" | tr '\n' ' ')
    [ -z "$extra" ] || fail "$tool: in $tool.1 but not in --help: $extra"
    warnings=$(LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$page" 2>&1)
    [ -z "$warnings" ] || fail "$tool.1: groff warnings: $warnings"
    grep -q "^\.TH ${tool^^} 1 " "$page" || fail "$tool.1: no .TH ${tool^^} 1 line"
    pass "$tool.1: the $(wc -l <"$TEST_DIR/$tool.help.opts") options of --help, no more, renders cleanly"
done
