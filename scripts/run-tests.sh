#!/usr/bin/env bash
# Runs the already-built suite and ends with one plain summary line taken from Swift Testing's
# own summary, so CI reads the real count (XCTest's "Executed 0 tests" line is about XCTest only).
set -uo pipefail
cd "$(dirname "$0")/.."
log=.build/test-output.log
# make test installs Alertmanager, so the real-Alertmanager suite must run, not skip.
export TRIAGE_REQUIRE_ALERTMANAGER=1
# make test starts a throwaway PostgreSQL (scripts/with-postgres.sh): its suites must run too.
export TRIAGE_REQUIRE_POSTGRES=1
# As root (CI), the store-failure tests mount a small tmpfs: they must run, not skip.
[ "$(id -u)" = 0 ] && export TRIAGE_REQUIRE_ROOT=1
# The dashboard page test writes its sample here; it is rendered in headless Chromium after the suite.
export TRIAGE_DASHBOARD_SAMPLE="$PWD/.build/dashboard-sample.html"
rm -f "$TRIAGE_DASHBOARD_SAMPLE"
swift test --skip-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary=$(grep -E '^. Test run with [0-9]+ tests? ' "$log" | tail -1)
total=$(sed -E 's/.*Test run with ([0-9]+) tests?.*/\1/' <<<"$summary")
skipped=$(grep -cE '^. Test .* skipped' "$log" || true)
failed=$(grep -E '^. Test .* failed after' "$log" | grep -cv '^. Test run with' || true)
if ! scripts/render-dashboard.sh .build/dashboard.png --from "$TRIAGE_DASHBOARD_SAMPLE"; then status=1; fi
if [ -n "$summary" ]; then
    echo "swift-testing: $((total - failed - skipped)) passed, $failed failed, $skipped skipped"
fi
exit "$status"
