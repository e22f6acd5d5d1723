#!/usr/bin/env bash
# The README's main job: installs what is missing (the Pulumi engine included), starts the lab,
# onboards the sample participants through the engine (`prichal up`: edge firewalls, bus
# registrations and gateway containers on the lab's two Docker hosts, test then prod), runs the
# connectivity probe through each gateway for every registration and writes the results into out/.
set -euo pipefail
. "$(dirname "$0")/setup.sh"
. "$(dirname "$0")/setup-lab.sh"
cd "$PRICHAL_ROOT"
out=${PRICHAL_OUT:-out}
inv=${PRICHAL_INVENTORY:-inventory}
mkdir -p "$out/probes"
step() { printf '\n== %s\n' "$*"; }

step "validate"
bin/prichal validate --inventory "$inv"
step "plan"
bin/prichal plan --inventory "$inv" | tee "$out/plan.txt"
bin/prichal plan --inventory "$inv" --format json > "$out/plan.json"
step "lab up"
bin/prichal-lab up --inventory "$inv"
# --refresh: the lab may have been rebuilt since the state was written; up converges to it.
step "prichal up: test contour (edge firewalls, test registrations and gateways) through the Pulumi engine"
bin/prichal up --contour test --refresh --yes --inventory "$inv"
step "prichal up: prod contour (registrations and gateways of tested participants)"
bin/prichal up --contour prod --refresh --yes --inventory "$inv"
step "connectivity probes"
failed=0
for contour in test prod; do
  for participant in $(bin/prichal plan --inventory "$inv" --format json | node -e '
      const plan = JSON.parse(require("fs").readFileSync(0, "utf8")).plan;
      console.log(plan.contours[process.argv[1]].registrations.map((r) => r.participant).join(" "));' "$contour"); do
    if bin/prichal probe --inventory "$inv" --contour "$contour" --participant "$participant" --out "$out/probes/$contour-$participant.json" | head -n 1; then :; fi
    node -e 'process.exit(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).passed ? 0 : 1)' "$out/probes/$contour-$participant.json" || failed=$((failed + 1))
  done
done
# Drift before the documents: the connection acts state the channel from its result (п. 9).
step "drift and audit report (nightly mode)"
set +e
bin/prichal drift --all --inventory "$inv" --out "$out/reports"
report=$?
set -e
step "documents, the ViPNet administrator's tunnels and coverage statistics"
bin/prichal docs --all --inventory "$inv" --out "$out/documents" --probes "$out/probes" --pdf | tail -n 3
bin/prichal coordinator --inventory "$inv" --out "$out/documents" | tail -n 3
bin/prichal coverage --inventory "$inv" --out "$out"
step "the engine agrees: nothing left to change"
bin/prichal preview --contour test --expect-no-changes --inventory "$inv"
bin/prichal preview --contour prod --expect-no-changes --inventory "$inv"
step "done: results in $out/ ($failed failed probes; drift/audit exit code $report)"
[ "$failed" -eq 0 ] && [ "$report" -eq 0 ]
