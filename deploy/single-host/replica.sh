#!/bin/sh
# One API replica: `skillsgraph serve` over the triple store, read-only, on 127.0.0.1:PORT (nginx
# is its only client). Start as many as the host has cores for, each on its own port, and list
# each in nginx.conf's upstream. It loads nothing, so it starts in seconds and may be stopped
# and started at any time.
#   replica.sh CONFIG_DIR PORT
# SKILLSGRAPH_QUERY_TIMEOUT: the time limit of one SPARQL query in seconds (10 by default),
# under nginx's proxy_read_timeout.
set -eu
config=$1
port=$2
set -a
. "$config/skillsgraph.env"
set +a
exec skillsgraph serve --store sparql --host 127.0.0.1 --port "$port" \
    --timeout "${SKILLSGRAPH_QUERY_TIMEOUT:-10}" --log-level warning
