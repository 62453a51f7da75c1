#!/usr/bin/env bash
# Install the project with its test extras, the system tools the tests drive
# (Debian's Chromium for the browser tests, Debian's Virtuoso open source for the `virtuoso`
# store kind and its nginx for the deployment recipe's test; Node's npm packages are installed by the tests themselves from
# tests/js/package-lock.json), then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet -e '.[test]'
bash tests/browser_setup.sh
bash tests/engines_setup.sh
python -m pytest "$@"
