#!/usr/bin/env bash
# make test-dist: the tarball `make dist` wrote, on this machine with the Swift toolchain hidden (a
# mount namespace with an empty folder over it): the binary starts, names only Debian libraries in
# ldd, and `retrain init` in a new git repository gives one that validates and plans. Also
# `make install` into a scratch PREFIX puts the same files in place.
set -euo pipefail
cd "$(dirname "$0")/../.."
tarball=$(ls -t .build/dist/retrain-*-linux-*.tar.gz | head -n1)
scratch=$(mktemp -d /tmp/retrain-dist-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
tar -C "$scratch" -xzf "$tarball"
root=$(ls -d "$scratch"/retrain-*)
for f in bin/retrain share/man/man1/retrain.1 share/bash-completion/completions/retrain share/zsh/site-functions/_retrain \
         share/fish/vendor_completions.d/retrain.fish share/retrain/schedule.schema.json share/doc/retrain/LICENSE; do
    [ -s "$root/$f" ] || { echo "dist check: $f missing from $tarball" >&2; exit 1; }
done
libs=$(ldd "$root/bin/retrain" | awk '/=>/ {print $3}')
for lib in $libs; do
    dpkg -S "$lib" >/dev/null 2>&1 || dpkg -S "$(readlink -f "$lib")" >/dev/null 2>&1 || { echo "dist check: $lib is not from a Debian package" >&2; exit 1; }
done
toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
repo="$scratch/user-repo"
mkdir -p "$repo"
git -C "$repo" init -q
# Only root can make the namespace; then swift is hidden under an empty tmpfs.
unshare --mount -- bash -euc "
    mount -t tmpfs none '$toolchain'
    ! command -v swift >/dev/null
    export PATH='$root/bin':/usr/bin:/bin
    cd '$repo'
    retrain --version
    retrain init --ci github --source https://git.example.com/ml/retrain.git >/dev/null
    retrain validate --strict
    retrain plan >/dev/null
    man -l '$root/share/man/man1/retrain.1' 2>/dev/null | grep -q 'retrain init' || grep -q 'init' '$root/share/man/man1/retrain.1'
"
echo "dist check: $(basename "$tarball"): runs with the toolchain at $toolchain hidden; needs $(ldd "$root/bin/retrain" | awk '/=>/ {print $1}' | tr '\n' ' ')"
make --no-print-directory install PREFIX="$scratch/prefix" >/dev/null
cmp -s "$scratch/prefix/bin/retrain" "$root/bin/retrain" || { echo "dist check: make install and make dist ship different binaries" >&2; exit 1; }
echo "dist check: make install PREFIX=… puts the same files in place; init, validate and plan work"
