#!/usr/bin/env bash
# Regenerates the fixture seeds of Fuzz/corpus/<target>/ from the project's own fixtures/ and rules/
# (files named fixture-*). Hand-written seeds (seed-*) and crash inputs kept as regressions (crash-*)
# are left alone. Run after adding fixtures; commit the result.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$root/Fuzz/corpus"

# target <- files (paths relative to the repository root)
seed() {
    local target="$1"; shift
    mkdir -p "$corpus/$target"
    rm -f "$corpus/$target"/fixture-*
    local file
    for file in "$@"; do
        cp "$root/$file" "$corpus/$target/fixture-$(echo "$file" | tr '/' '_')"
    done
}

# Config seeds of sources.yaml or vendors.yaml, with the marker line.
marked() {
    local kind="$1"; shift
    local file
    for file in "$@"; do
        { echo "#$kind"; cat "$root/$file"; } > "$corpus/config/fixture-$(echo "$file" | tr '/' '_')"
    done
}

# Also one small seed per list item and per top-level block of a YAML file (`rules:` with one rule,
# `calendars:` alone, …): small inputs run many times faster than whole files.
split_yaml() {
    local kind="$1" file="$2" base marker=""
    base="$(echo "$file" | tr '/' '_')"
    [ -n "$kind" ] && marker="#$kind"
    awk -v out="$corpus/config/fixture-$base" -v marker="$marker" '
        function flush() { if (item != "") { n++; printf "%s", key "\n" item > (out "-part" n); close(out "-part" n) } item = "" }
        /^[ \t]*#/ || /^[ \t]*$/ { next }
        /^[A-Za-z_]+:/ { flush(); if (block != "") { n++; printf "%s", (marker == "" ? "" : marker "\n") block > (out "-part" n); close(out "-part" n) }
                         key = $0; block = $0 "\n"; next }
        /^  - / { flush(); item = $0 "\n"; block = block $0 "\n"; next }
        { if (item != "") item = item $0 "\n"; block = block $0 "\n" }
        END { flush(); if (block != "") { n++; printf "%s", (marker == "" ? "" : marker "\n") block > (out "-part" n); close(out "-part" n) } }
    ' "$root/$file"
}

cd "$root"
seed generic fixtures/payloads/generic-login.json fixtures/payloads/generic/*.json
seed alertmanager fixtures/payloads/alertmanager-firing.json
seed alertmanager-api fixtures/payloads/alertmanager-api/*.json
for kind in grafana pagerduty-events pagerduty-webhook opsgenie jira github servicenow zendesk; do
    seed "$kind" fixtures/payloads/"$kind"/*.json
done
# The configuration target reads `#sources` / `#vendors` on the first line as "this is that file".
seed config rules/rules.yaml fixtures/rules/bad/rules.yaml fixtures/rules/invalid/*.yaml
marked sources rules/sources.yaml fixtures/rules/bad/sources.yaml
marked vendors rules/vendors.yaml fixtures/rules/bad/vendors.yaml
split_yaml "" rules/rules.yaml
split_yaml sources rules/sources.yaml
split_yaml vendors rules/vendors.yaml
seed csv fixtures/dry-run/history.csv rules/history/incidents.csv
seed event-log fixtures/event-logs/*.csv
echo "fixture seeds written under $corpus"
