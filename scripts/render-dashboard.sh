#!/usr/bin/env bash
# Renders the dashboard (GET /) for a fixed sample snapshot in headless Chromium (Debian's
# `chromium`) to a PNG, and fails when the page does not render or its script reports an error.
#
#   scripts/render-dashboard.sh OUT.png [--from PAGE.html]
#
# The page is written by the test DashboardPageTests/samplePage (TRIAGE_DASHBOARD_SAMPLE names the
# file), run here with `swift test --skip-build`: build the tests first (`swift build --build-tests`).
# With --from, an already written page is used instead (scripts/run-tests.sh has the whole suite
# write it). Without chromium installed it says so and exits 0.
set -uo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/render-dashboard.sh OUT.png [--from PAGE.html]" >&2; exit 2; }
[ $# -ge 1 ] || usage
out=$1
shift
page=""
if [ $# -gt 0 ]; then
    [ "$1" = "--from" ] && [ $# -eq 2 ] || usage
    page=$2
fi

browser=$(command -v chromium || true)
if [ -z "$browser" ]; then
    echo "chromium not installed; dashboard render skipped"
    exit 0
fi

fail() { echo "dashboard render failed: $*" >&2; exit 1; }

mkdir -p .build
work=$(mktemp -d "${TMPDIR:-/tmp}/triage-dashboard.XXXXXX") || fail "no temporary folder"
trap 'rm -rf "$work"' EXIT

if [ -z "$page" ]; then
    page=$PWD/.build/dashboard-sample.html
    rm -f "$page"
    if ! TRIAGE_DASHBOARD_SAMPLE=$page swift test --skip-build --filter 'DashboardPageTests/samplePage' \
        >"$work/swift-test.log" 2>&1; then
        tail -20 "$work/swift-test.log" >&2
        fail "the sample page test failed (are the tests built? swift build --build-tests)"
    fi
fi
[ -s "$page" ] || fail "no sample page at $page"
case $page in /*) ;; *) page=$PWD/$page ;; esac
url="file://$page"

# A profile of its own each time: nothing remembered between runs (the refresh toggle starts on).
run_chromium() {
    timeout 90 "$browser" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$work/profile-$1" --window-size=1366,900 --enable-logging=stderr --v=0 "${@:2}" "$url"
}

rm -f "$out"
run_chromium shot --screenshot="$out" >"$work/shot.out" 2>"$work/shot.err"
status=$?
if [ "$status" -ne 0 ]; then
    tail -20 "$work/shot.err" >&2
    fail "chromium exited with status $status taking the screenshot"
fi
run_chromium dom --dump-dom >"$work/dom.html" 2>"$work/dom.err"
status=$?
if [ "$status" -ne 0 ]; then
    tail -20 "$work/dom.err" >&2
    fail "chromium exited with status $status dumping the DOM"
fi

# Page errors reach the log as console lines: uncaught exceptions, console.error, failed loads.
errors=$(cat "$work/shot.err" "$work/dom.err" | grep -E ':CONSOLE' \
    | grep -E 'Uncaught|ERROR:CONSOLE|Failed to load resource|Refused to' || true)
if [ -n "$errors" ]; then
    echo "$errors" >&2
    fail "the page reported errors"
fi
grep -q 'data-refresh="on"' "$work/dom.html" || fail "the page's auto-refresh script did not run"
for section in queue at-risk vendors decisions dead-letters; do
    grep -q "<section id=\"$section\"" "$work/dom.html" || fail "section '$section' missing from the rendered page"
done
[ -s "$out" ] || fail "no screenshot at $out"
[ "$(head -c 8 "$out" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$out is not a PNG"
echo "dashboard rendered: $out ($(wc -c <"$out") bytes) from $page"
