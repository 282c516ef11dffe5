#!/usr/bin/env bash
# Replays the real ServiceNow incident event log (UCI, 141,712 events of 24,918 incidents; see
# ../shared/datasets/README.md) through triage's lifecycle state machine and SLA clocks, and
# compares our met/breached verdicts with the log's own made_sla, per policy and priority.
#
#   scripts/replay-event-log.sh                                   # every built-in policy, table
#   scripts/replay-event-log.sh --policy itil-24x7,itil-business --format json
#
# Arguments are passed on to `triage replay servicenow-log FILE`. The zip is unpacked into a
# temporary directory, removed on exit. triage is the release binary in .build-release, built
# first when it is missing or has no `replay` command yet (REBUILD=1 builds it anyway).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
export PATH="/opt/swift/usr/bin:$PATH"

zip="$repo/../shared/datasets/event-logs/uci_incident_event_log.zip"
if [[ ! -f "$zip" ]]; then
  echo "no event log at $zip (the shared data sets are not beside the project); nothing to replay" >&2
  exit 1
fi
if ! command -v unzip >/dev/null 2>&1; then
  echo "unzip is missing (scripts/install-deps.sh --test installs it)" >&2
  exit 1
fi

scratch="$repo/.build-release"
triage="$scratch/release/triage"
if [[ -n "${REBUILD:-}" || ! -x "$triage" ]] || ! "$triage" replay servicenow-log --help >/dev/null 2>&1; then
  echo "building triage (release, --scratch-path .build-release)…" >&2
  swift build -c release --product triage --scratch-path "$scratch" >&2
  triage="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/triage"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
unzip -o -q "$zip" incident_event_log.csv -d "$work"
"$triage" replay servicenow-log "$work/incident_event_log.csv" "$@"
