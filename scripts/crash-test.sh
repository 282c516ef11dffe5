#!/usr/bin/env bash
# The crash test alone, at full scale (issue 13, item 1): 20 SIGKILLs of `triage serve` under a
# steady webhook load, each followed by a restart; then every webhook answered 2xx must be exactly
# one incident, triaged and delivered once per idempotency key. Prints a `crash: …` summary line.
#
#   scripts/crash-test.sh                      # after `swift build --build-tests`
#   TRIAGE_CRASH_SEED=1234 scripts/crash-test.sh   # replay the kill moments of a run (its seed is printed)
#
# Extra arguments go to `swift test` (e.g. --verbose). Needs no PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
export TRIAGE_RELIABILITY=full
exec swift test --skip-build --filter CrashTests "$@"
