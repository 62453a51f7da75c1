#!/usr/bin/env bash
# The external triple stores the tests publish into and read from: Oxigraph's server comes with
# the test extras (PyPI's oxigraph); Virtuoso open source is Debian's virtuoso-opensource
# (virtuoso-t and isql-vt), which the `virtuoso` store kind needs: the suite does not skip it.
# Debian's nginx is the reverse proxy of the deployment recipe (deploy/single-host/), which
# tests/test_deploy.py runs end to end in front of two API replicas.
set -euo pipefail
# nginx is installed to /usr/sbin, which is not on an ordinary user's PATH on Debian.
export PATH="$PATH:/usr/sbin:/sbin"
exec bash "$(dirname "$0")/apt_install.sh" virtuoso-t=virtuoso-opensource isql-vt=virtuoso-opensource nginx=nginx
