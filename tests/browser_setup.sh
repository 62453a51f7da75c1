#!/usr/bin/env bash
# The browser that tests/test_browser.py drives: Debian's Chromium package.
# (Playwright's own browser download is never used: the tests pass executable_path.)
set -euo pipefail
exec bash "$(dirname "$0")/apt_install.sh" chromium=chromium
