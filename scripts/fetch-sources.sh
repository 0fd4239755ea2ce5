#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches the lwIP and mbedTLS source packages the firmware is built from
# (Debian bookworm, pinned versions) into DESTDIR, checks them and unpacks
# them:  DESTDIR/lwip  DESTDIR/mbedtls  (each with a .brisa-ok stamp).
#
#   scripts/fetch-sources.sh DESTDIR
#   scripts/fetch-sources.sh --verify DSC SHA256   (the checks alone, offline)
#
# apt is run with a private sources list, lists and cache directory under
# DESTDIR/apt, so the machine's apt configuration is never read for sources
# nor changed. Trust: apt checks the Sources index against Debian's signed
# Release file and each download against the index; on top of that, the
# .dsc files are pinned here by SHA-256 and every file a .dsc names is
# checked against the .dsc before dpkg-source unpacks it. Several builds
# may share DESTDIR: one fetches while the others wait.
# Exit status: 0 ready (already or now), 1 failure (one line on stderr).
set -euo pipefail

LWIP_VERSION=2.1.3+dfsg1-2
LWIP_DSC_SHA256=8d8f944db8e6d542fc2d6f01559078fb1b5dda71651c67ee5fa3571ed1342c50
MBEDTLS_VERSION=2.28.3-1
MBEDTLS_DSC_SHA256=a8bf91b5ffb40654efb0ebe0c962ac1e87b8eed5e104880982eaa70dd4bb33e3
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

die() { echo "fetch-sources: $*" >&2; exit 1; }

# Checks DSC against its pinned SHA256, then every file it lists (beside
# it) against the SHA-256 the .dsc gives.
verify() {
    local dsc=$1 sha=$2 dir name list
    dir=$(dirname "$dsc")
    name=$(basename "$dsc")
    [ -f "$dsc" ] || die "$name: missing"
    echo "$sha  $dsc" | sha256sum -c --status 2>/dev/null || die "$name: SHA-256 is not the pinned $sha"
    list=$(awk '/^Checksums-Sha256:/ {on=1; next} /^[^ ]/ {on=0} on && NF==3 {print $1 "  " $3}' \
               "$dsc")
    [ -n "$list" ] || die "$name lists no SHA-256 checksums"
    while read -r want file; do
        [ -f "$dir/$file" ] || die "$file (named in $name): missing"
        echo "$want  $dir/$file" | sha256sum -c --status 2>/dev/null ||
            die "$file: SHA-256 differs from the one in $name"
    done <<<"$list"
}

if [ "${1:-}" = --verify ]; then
    [ $# -eq 3 ] || die "usage: fetch-sources.sh --verify DSC SHA256"
    verify "$2" "$3"
    exit 0
fi
[ $# -eq 1 ] || die "usage: fetch-sources.sh DESTDIR"
dest=$1
mkdir -p "$dest" || die "cannot create $dest"
dest=$(cd "$dest" && pwd)

# The Debian mirror the machine already uses (first deb.debian.org-style
# URI of its sources), so no new host is contacted; default Debian's.
mirror() {
    local m
    m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list \
            2>/dev/null | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n1 || true)
    m=${m%% }
    echo "${m:-http://deb.debian.org/debian}"
}

ready() { [ -f "$dest/$1/.brisa-ok" ]; }

if ready lwip && ready mbedtls; then
    exit 0
fi
exec 9>"$dest/.lock"
flock 9 # another build may be fetching into the same place
if ready lwip && ready mbedtls; then
    exit 0
fi
command -v apt-get >/dev/null || die "apt-get not found (Debian needed to fetch sources)"
command -v dpkg-source >/dev/null || die "dpkg-source not found (install dpkg-dev)"
[ -r "$KEYRING" ] || die "$KEYRING missing (install debian-archive-keyring)"

apt_dir=$dest/apt
mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$dest/dl"
echo "deb-src [signed-by=$KEYRING] $(mirror) bookworm main" >"$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list"
          -o "Dir::Etc::SourceParts=$apt_dir/parts"
          -o "Dir::State::Lists=$apt_dir/lists"
          -o "Dir::Cache=$apt_dir/cache"
          -o "APT::Sandbox::User=root"
          -q)

if ! apt-get "${apt_opts[@]}" update >"$apt_dir/update.log" 2>&1; then
    die "apt-get update of the private Debian source list failed (see $apt_dir/update.log)"
fi

# name version pinned-dsc-sha256
fetch() {
    local name=$1 version=$2 sha=$3 dsc
    ready "$name" && return 0
    dsc=${name}_${version#*:}.dsc
    (cd "$dest/dl" && apt-get "${apt_opts[@]}" source --download-only "$name=$version") \
        >"$apt_dir/$name.log" 2>&1 ||
        die "apt-get source $name=$version failed (see $apt_dir/$name.log)"
    verify "$dest/dl/$dsc" "$sha"
    # Unpacked beside, then moved: a half-unpacked tree never looks ready.
    rm -rf "${dest:?}/$name" "$dest/$name.new"
    dpkg-source --no-copy -x "$dest/dl/$dsc" "$dest/$name.new" >"$apt_dir/$name.unpack.log" 2>&1 ||
        die "dpkg-source -x $dsc failed (see $apt_dir/$name.unpack.log)"
    echo "$version" >"$dest/$name.new/.brisa-ok"
    mv "$dest/$name.new" "$dest/$name"
}

fetch lwip "$LWIP_VERSION" "$LWIP_DSC_SHA256"
fetch mbedtls "$MBEDTLS_VERSION" "$MBEDTLS_DSC_SHA256"
