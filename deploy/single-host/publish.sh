#!/bin/sh
# The publish job: builds if the data changed, loads what changed into the triple store under
# staging names and switches to it at once (README: External triple stores); a build the store
# already holds is not sent again. Run it after each change of the data: from CI, a timer, by hand.
#   publish.sh CONFIG_DIR [skillsgraph publish options, e.g. --data DIR, --load FILE=GRAPH]
# CONFIG_DIR holds skillsgraph.env and publisher.env. Then restart the replicas one at a time
# (README.md, step 7) so that their documents follow too.
set -eu
config=$1
shift
set -a
. "$config/skillsgraph.env"
. "$config/publisher.env"
set +a
exec skillsgraph publish "$@"
