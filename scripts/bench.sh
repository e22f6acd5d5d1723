#!/usr/bin/env bash
# npm run bench: every benchmark of the project, each printing ratios against a baseline
# measured in the same run.
set -euo pipefail
. "$(dirname "$0")/setup.sh"
node dist/bench/validate.bench.js
