#!/usr/bin/env bash
# The browser that tests/test_browser.py drives: Debian's Chromium package.
# (Playwright's own browser download is never used: the tests pass executable_path.)
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
command -v chromium
