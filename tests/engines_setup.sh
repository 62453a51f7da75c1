#!/usr/bin/env bash
# The external triple stores the tests publish into and read from: Oxigraph's server comes with
# the test extras (PyPI's oxigraph); Virtuoso open source is Debian's virtuoso-opensource
# (virtuoso-t and isql-vt), which the `virtuoso` store kind needs: the suite does not skip it.
set -euo pipefail
exec bash "$(dirname "$0")/apt_install.sh" virtuoso-t=virtuoso-opensource isql-vt=virtuoso-opensource
