#!/usr/bin/env bash
# make reliability: the crash, vendor-outage, store-failure and soak tests at full scale (issue 13),
# one after another so each has the machine to itself, then their figures. Needs root for the
# store-failure test (it mounts a small tmpfs) and PostgreSQL is not used.
set -uo pipefail
cd "$(dirname "$0")/.."
export TRIAGE_RELIABILITY=full
[ "$(id -u)" = 0 ] && export TRIAGE_REQUIRE_ROOT=1
log=.build/reliability.log
: >"$log"
start=$(date +%s)
status=0
for suite in CrashTests VendorOutageTests DiskFullTests SoakTests; do
    echo "== $suite (full scale)"
    suite_start=$(date +%s)
    swift test --skip-build --filter "$suite" 2>&1 | tee -a "$log" | grep -E '^(crash|outage|diskfull|soak):|✘|error:' 
    [ "${PIPESTATUS[0]}" = 0 ] || status=1
    echo "   $suite took $(( $(date +%s) - suite_start )) s"
done
echo
echo "== figures"
grep -E '^(crash|outage|diskfull|soak):' "$log"
failed=$(grep -cE '^. Test .* failed after' "$log" || true)
echo "reliability: $(( $(date +%s) - start )) s in all, $failed failed; full log in $log"
exit "$status"
