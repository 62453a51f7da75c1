#!/usr/bin/env bash
# Debian packages for the tools the tests drive: apt_install.sh TOOL=PACKAGE ... installs, in one
# apt-get run, the package of each TOOL not on PATH yet (as root, or through sudo).
set -euo pipefail
missing=()
for spec in "$@"; do
    tool="${spec%%=*}"
    command -v "$tool" >/dev/null 2>&1 || missing+=("${spec#*=}")
done
if [ "${#missing[@]}" = 0 ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
for spec in "$@"; do
    command -v "${spec%%=*}"
done
