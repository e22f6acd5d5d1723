#!/usr/bin/env bash
# The README's main job: installs what is missing, validates the sample inventory and writes
# the plan into out/. Later stages (lab, apply, drift report) extend this same script.
set -euo pipefail
. "$(dirname "$0")/setup.sh"
cd "$PRICHAL_ROOT"
out=${PRICHAL_OUT:-out}
mkdir -p "$out"
echo "== validate"
bin/prichal validate --inventory inventory
echo "== plan"
bin/prichal plan --inventory inventory | tee "$out/plan.txt"
bin/prichal plan --inventory inventory --format json > "$out/plan.json"
echo "== wrote $out/plan.txt and $out/plan.json"
