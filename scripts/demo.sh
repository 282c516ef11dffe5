#!/usr/bin/env bash
# The whole vendor lifecycle on this machine, in about 20 seconds: builds triage, starts a simulated
# vendor on :9101 (where rules/vendors.yaml delivers) and the service on :8080 with the sample
# configuration and a throwaway SQLite file, posts the sample Alertmanager alert, and follows the
# incident while the vendor (acme-dba) acknowledges it after 5 s and resolves it after 15 s through
# the callback API. Exits 0 once the incident is resolved, 1 if it is not within 40 s.
#
# Usage (from anywhere): bash scripts/demo.sh, or make demo.
#   TRIAGE_BIN=path  use that triage executable instead of building one
#   TRIAGE_PORT=N    serve on port N instead of 8080 (the vendor port, 9101, is fixed by rules/)
# Needs bash, curl and, unless TRIAGE_BIN is set, swift. Both processes stop when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"
SWIFT=${SWIFT:-swift}
TRIAGE_PORT=${TRIAGE_PORT:-8080}
VENDOR_PORT=9101
TOKEN=demo-token
ACK_AFTER=5s
RESOLVE_AFTER=15s
TIMEOUT=40
FIXTURE=fixtures/payloads/alertmanager-firing.json
base="http://127.0.0.1:$TRIAGE_PORT"

say() { printf 'demo: %s\n' "$*"; }
fail() {
    printf 'demo: FAILED: %s\n' "$*" >&2
    exit 1
}

vendor_pid=""
triage_pid=""
work=""

# Stops what this script started (SIGTERM, then SIGKILL after 10 s); keeps the logs on failure.
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local pid
    for pid in $triage_pid $vendor_pid; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in $triage_pid $vendor_pid; do
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ -n "$work" ]; then
        if [ "$status" -eq 0 ]; then
            rm -rf "$work"
        else
            printf 'demo: logs kept in %s (triage.log, vendor.log)\n' "$work" >&2
        fi
    fi
    [ -n "$triage_pid$vendor_pid" ] && say "stopped the simulated vendor and triage"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

command -v curl >/dev/null 2>&1 || fail "curl is required (make demo installs it)"
[ -f "$FIXTURE" ] || fail "$FIXTURE is missing; run from a checkout of the project"
listening "$TRIAGE_PORT" && fail "port $TRIAGE_PORT is in use (another triage? make run?); stop it or set TRIAGE_PORT"
listening "$VENDOR_PORT" && fail "port $VENDOR_PORT is in use (make sink?); the sample vendors deliver there, stop it first"

if [ -n "${TRIAGE_BIN:-}" ]; then
    triage=$TRIAGE_BIN
    say "using $triage"
else
    say "building: $SWIFT build --product triage"
    "$SWIFT" build --product triage
    triage=.build/debug/triage
fi
[ -x "$triage" ] || fail "$triage is not an executable"

work=$(mktemp -d "${TMPDIR:-/tmp}/triage-demo.XXXXXX")

say "starting the simulated vendor on :$VENDOR_PORT (acknowledges after $ACK_AFTER, resolves after $RESOLVE_AFTER)"
# Its lines are shown as they come, prefixed "vendor |", and kept in vendor.log.
ACME_CALLBACK_TOKEN=$TOKEN "$triage" simulate-vendor --port "$VENDOR_PORT" --triage "$base" \
    --ack-after "$ACK_AFTER" --resolve-after "$RESOLVE_AFTER" \
    > >(tee "$work/vendor.log" | sed -u 's/^/        vendor | /') 2>&1 &
vendor_pid=$!

say "starting triage on :$TRIAGE_PORT with rules/ and sqlite:$work/demo.sqlite (log: $work/triage.log)"
ACME_CALLBACK_TOKEN=$TOKEN "$triage" serve --config rules --store "sqlite:$work/demo.sqlite" --port "$TRIAGE_PORT" \
    >"$work/triage.log" 2>&1 &
triage_pid=$!

for _ in $(seq 1 600); do
    kill -0 "$vendor_pid" 2>/dev/null || fail "the simulated vendor stopped: $(tail -5 "$work/vendor.log" 2>/dev/null)"
    kill -0 "$triage_pid" 2>/dev/null || fail "triage stopped: $(tail -20 "$work/triage.log")"
    if listening "$VENDOR_PORT" && curl -sf -o /dev/null "$base/healthz"; then break; fi
    sleep 0.1
done
listening "$VENDOR_PORT" && curl -sf -o /dev/null "$base/healthz" || fail "triage and the vendor did not both answer within 60 s"
say "both are up"

auth=()
[ -n "${TRIAGE_ALERTMANAGER_TOKEN:-}" ] && auth=(-H "Authorization: Bearer $TRIAGE_ALERTMANAGER_TOKEN")
say "posting $FIXTURE to $base/webhooks/alertmanager"
answer=$(curl -sS -X POST -H 'Content-Type: application/json' ${auth[@]+"${auth[@]}"} \
    --data-binary "@$FIXTURE" "$base/webhooks/alertmanager") || fail "could not post the alert"
say "triage answered: $answer"
id=$(printf '%s' "$answer" | grep -oE '"id":"[0-9A-Z]{26}"' | head -1 | cut -d'"' -f4 || true)
[ -n "$id" ] || fail "no incident id in the answer"

# The API answers compact JSON with sorted keys; these pick fields out of it without jq.
phase_of() { printf '%s' "$1" | grep -oE '"phase":"[a-z]+"' | tail -1 | cut -d'"' -f4 || true; }
# The decision's vendor: its last key, right before "deliveries".
vendor_of() { printf '%s' "$1" | grep -oE '"vendor":"[^"]*"},"deliveries"' | head -1 | cut -d'"' -f4 || true; }
# Events as "AT  KIND  DETAIL", oldest first.
events_of() {
    printf '%s' "$1" | grep -oE '\{"at":"[^"]*","detail":"([^"\\]|\\.)*","kind":"[^"]*"\}' \
        | sed -E 's/^\{"at":"([^"]*)","detail":"(.*)","kind":"([^"]*)"\}$/\1  \3  \2/; s/\\"/"/g; s/\\\\/\\/g' || true
}

say "following incident $id every second (up to ${TIMEOUT}s)"
start=$SECONDS
phase=""
detail=""
while [ $((SECONDS - start)) -le "$TIMEOUT" ]; do
    kill -0 "$triage_pid" 2>/dev/null || fail "triage stopped: $(tail -20 "$work/triage.log")"
    detail=$(curl -sS "$base/api/incidents/$id" 2>/dev/null || true)
    phase=$(phase_of "$detail")
    last=$(events_of "$detail" | tail -1)
    printf '  %3ss  phase=%-12s vendor=%-12s last event: %s\n' \
        "$((SECONDS - start))" "${phase:-?}" "$(vendor_of "$detail")" "${last#*  }"
    [ "$phase" = resolved ] || [ "$phase" = closed ] && break
    sleep 1
done

echo
say "timeline of incident $id:"
events_of "$detail" | sed 's/^/    /'
echo
if [ "$phase" = resolved ] || [ "$phase" = closed ]; then
    say "OK: delivered to the vendor, acknowledged and resolved by it through the callback API"
    exit 0
fi
fail "incident $id is '${phase:-unknown}' after ${TIMEOUT}s, not resolved (see the vendor lines above and $work/triage.log)"
