#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Puts an SPDX licence line at the top of every source and script file of
# brisa's that lacks one (after a #! line, if any). Idempotent.
#
#   scripts/spdx.sh           add the missing lines
#   scripts/spdx.sh --check   add nothing; list the files without one and
#                             fail if there are any
#
# Files of ours: those git tracks or would track (not ignored), except data
# (fuzz corpora, vectors, benchmark results) and prose (Markdown).
set -euo pipefail
cd "$(dirname "$0")/.."
tag="SPDX-License-Identifier: MIT"
check=0
case "${1:-}" in
    --check) check=1 ;;
    "") ;;
    *) echo "usage: scripts/spdx.sh [--check]" >&2; exit 2 ;;
esac

# Prints the comment form of the SPDX line for file $1, or nothing when the
# file is not source (data, images, prose).
comment_for() {
    case "$1" in
        tests/fuzz/corpus/*|tests/vectors/*|bench/results/*) return ;;
        *.c|*.h|*.c.in|*.h.in) echo "// $tag" ;;
        *.sh|*.cmake|*/CMakeLists.txt|CMakeLists.txt|*.py|*.gp|*.pc.in|*.cmake.in|*.ini|*/Doxyfile|Doxyfile)
            echo "# $tag" ;;
        *.[1-8]) echo ".\\\" $tag" ;;
        *) [ -f "$1" ] && head -c 2 "$1" | grep -q '^#!' && echo "# $tag" ;;
    esac
}

missing=()
while IFS= read -r -d '' f; do
    [ -f "$f" ] || continue
    line=$(comment_for "$f") || true
    [ -n "$line" ] || continue
    head -n 5 "$f" | grep -q "$tag" && continue
    missing+=("$f")
    [ "$check" -eq 1 ] && continue
    tmp=$(mktemp)
    if head -c 2 "$f" | grep -q '^#!'; then
        { head -n 1 "$f"; printf '%s\n' "$line"; tail -n +2 "$f"; } >"$tmp"
    else
        { printf '%s\n' "$line"; cat "$f"; } >"$tmp"
    fi
    # Keep the file's mode (scripts stay executable).
    cat "$tmp" >"$f"
    rm -f "$tmp"
done < <(git ls-files -z --cached --others --exclude-standard)

if [ "$check" -eq 1 ]; then
    if [ ${#missing[@]} -gt 0 ]; then
        printf '%s: no SPDX-License-Identifier line\n' "${missing[@]}" >&2
        echo "spdx: ${#missing[@]} files without a licence line (run scripts/spdx.sh)" >&2
        exit 1
    fi
    echo "spdx: every source file names its licence"
else
    echo "spdx: added the licence line to ${#missing[@]} files"
fi
