#!/bin/sh
# flaky-fetch: an example skill that fails some of the time, like a skill that
# calls a rate-limited API. Use it to see failures in `skill-forge profile`.
#
#   ./run.sh                          # fails about 30% of runs
#   FLAKY_FAILURE_RATE=0 ./run.sh     # never fails; 100 always fails
#
# It reports no token usage, so skill-forge estimates tokens from its output.
set -eu
rate=${FLAKY_FAILURE_RATE:-30}
roll=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 100 ))
# Some "work": checksum this script a few times.
i=0
while [ $i -lt 20 ]; do cksum "$0" > /dev/null; i=$((i + 1)); done
if [ "$roll" -lt "$rate" ]; then
    echo "fetching https://api.example.com/v1/quotes" >&2
    echo "flaky-fetch: HTTP 429 Too Many Requests (retry after 2 s)" >&2
    exit 1
fi
echo '{"quote": "Premature optimization is the root of all evil.", "author": "Donald Knuth"}'
