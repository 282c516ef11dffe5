#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (fuzzer + address sanitizers) and runs each of them.
#
#   scripts/fuzz.sh                 full run: 1,000,000 executions per target (`make fuzz`)
#   scripts/fuzz.sh --smoke         short run: 10,000 executions or 4 s per target (`make test`)
#   scripts/fuzz.sh --runs N        N executions per target
#   scripts/fuzz.sh --target csv    only the named target(s) (repeatable; names as in Fuzz/corpus/)
#   scripts/fuzz.sh --no-build      reuse the binaries of the last build
#   scripts/fuzz.sh --jobs 2        run two targets at a time (one core each)
#   FUZZ_FLAGS="-max_total_time=600" scripts/fuzz.sh   more libFuzzer flags (they win over the ones above)
#
# Each target fails on a crash, a sanitizer report, a leak (LeakSanitizer), a hang (-timeout=10), or
# going over -rss_limit_mb=2048; its input is left in Fuzz/artifacts/<target>/. The script runs every
# target, prints one line of figures per target, and exits non-zero when any of them failed.
# To replay an input: Fuzz/.build/release/<Binary> Fuzz/artifacts/<target>/crash-…
# New inputs libFuzzer finds go to Fuzz/.build/corpus/<target>/ (not committed, and not used by
# --smoke, which starts from the seeds alone each time); the seeds in
# Fuzz/corpus/<target>/ are committed (Fuzz/seed-corpus.sh regenerates those taken from fixtures/).
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"
fuzz="$root/Fuzz"
scratch="$fuzz/.build"

runs=1000000
max_time=0
build=1
smoke=0
parallel=1
selected=()
while (($#)); do
    case "$1" in
        --smoke) runs=10000; max_time=4; smoke=1 ;;
        --runs) runs="${2:?--runs needs a number}"; shift ;;
        --target) selected+=("${2:?--target needs a name}"); shift ;;
        --no-build) build=0 ;;
        --jobs) parallel="${2:?--jobs needs a number}"; shift ;;
        -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[[ "$runs" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: --runs takes a whole number, not '$runs'" >&2; exit 2; }
[[ "$parallel" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: --jobs takes a whole number, not '$parallel'" >&2; exit 2; }

# target name (corpus folder) -> executable, dictionary
# (the slowest first, so that with --jobs it does not start last)
targets=(
    "config FuzzConfig yaml"
    "generic FuzzGeneric json" "alertmanager FuzzAlertmanager json" "alertmanager-api FuzzAlertmanagerAPI json"
    "grafana FuzzGrafana json" "pagerduty-events FuzzPagerDutyEvents json"
    "pagerduty-webhook FuzzPagerDutyWebhook json" "opsgenie FuzzOpsgenie json" "jira FuzzJira json"
    "github FuzzGitHub json" "servicenow FuzzServiceNow json" "zendesk FuzzZendesk json"
    "csv FuzzCSV csv" "event-log FuzzEventLog csv"
)
if ((${#selected[@]})); then
    for name in "${selected[@]}"; do
        printf '%s\n' "${targets[@]}" | grep -q "^$name " || { echo "fuzz.sh: no target '$name'" >&2; exit 2; }
    done
fi

started=$SECONDS
if ((build)); then
    # `--sanitize=fuzzer` tells SwiftPM that libFuzzer supplies `main` (so it does not rename the
    # entry point); `-sanitize=fuzzer,address` must reach swiftc as one flag, since two separate
    # -sanitize flags leave the Swift code without coverage instrumentation. C code (libyaml) gets
    # address sanitizing through -Xcc. Release: optimised code runs ~10x more executions per second.
    echo "fuzz: building (release, fuzzer + address sanitizers)"
    mkdir -p "$scratch"
    swift build -c release --package-path "$fuzz" --scratch-path "$scratch" \
        --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
        -Xcc -fsanitize=address >"$scratch/build.log" 2>&1
    built=$?
    grep -v "Cannot export local symbol" "$scratch/build.log" | grep -E "error|warning: |Build complete" | head -40
    ((built == 0)) || { echo "fuzz: build failed (log: $scratch/build.log)" >&2; exit 1; }
    echo "fuzz: build took $((SECONDS - started)) s"
fi
bin="$scratch/release"

# Dictionaries, generated from the sources each time so they follow the code: the JSON keys the
# decoders read, the YAML keys the loader knows, the event log's columns.
dicts="$scratch/dicts"
mkdir -p "$dicts"
{
    printf '"{"\n"}"\n"["\n"]"\n":"\n","\n"true"\n"false"\n"null"\n"\\\\u"\n"\\\\ud83d\\\\ude00"\n"-0.5e-3"\n'
    grep -ohE '\["[A-Za-z0-9_.-]+"\]' "$root"/Sources/TriageCore/Ingest/Kinds/*.swift "$root"/Sources/TriageCore/Ingest/*.swift |
        sed -E 's/^\["(.*)"\]$/"\\"\1\\":"/' | sort -u
    grep -ohE '"[A-Za-z_-]+"' "$root"/Sources/TriageCore/Ingest/Kinds/*.swift | sort -u
} > "$dicts/json.dict"
{
    printf '":"\n": "\n"- "\n"{"\n"}"\n"["\n"]"\n"&a "\n"*a"\n"<<: "\n"---"\n"|"\n">"\n"!!str "\n'
    grep -ohE '"[a-z][a-z_]+"' "$root"/Sources/TriageConfig/*.swift | sort -u
} > "$dicts/yaml.dict"
{
    printf '","\n"\\""\n"\\"\\""\n"\\x0D\\x0A"\n"\\x0D"\n"?"\n"29/2/2016 01:16"\n"1 - Critical"\n"Awaiting"\n'
    grep -ohE '"[a-z_]+"' "$root"/Sources/TriageCore/Replay/EventLogReplay.swift | sort -u
} > "$dicts/csv.dict"

export SWIFT_BACKTRACE=enable=no  # libFuzzer and ASan print the stack; the Swift backtracer only slows a crash down
# Shorter allocation stacks: unwinding them on every malloc costs ~15% of the YAML targets' speed.
export ASAN_OPTIONS="detect_leaks=1:malloc_context_size=8:${ASAN_OPTIONS:-}"
mkdir -p "$fuzz/artifacts" "$scratch/logs" "$scratch/results"

# Runs one target; writes its line of figures to results/<name> and its libFuzzer output to logs/<name>.log.
run_target() {
    local name="$1" binary="$2" dict="$3"
    # A smoke run starts from the committed seeds only, so it takes the same time after a long `make fuzz`.
    local work="$scratch/corpus/$name" artifacts="$fuzz/artifacts/$name" log="$scratch/logs/$name.log"
    if ((smoke)); then work="$scratch/smoke-corpus/$name"; rm -rf "$work"; fi
    mkdir -p "$work" "$artifacts"
    local before began status found executions seconds speed last cov ft corpus result
    before=$(find "$artifacts" -type f | wc -l)
    began=$(date +%s.%N)
    "$bin/$binary" -runs="$runs" -max_total_time="$max_time" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -detect_leaks=1 -print_final_stats=1 -dict="$dicts/$dict.dict" -artifact_prefix="$artifacts/" \
        ${FUZZ_FLAGS:-} "$work" "$fuzz/corpus/$name" >"$log" 2>&1
    status=$?
    seconds=$(awk -v a="$began" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    found=$(($(find "$artifacts" -type f | wc -l) - before))
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$( [ -n "$executions" ] && awk -v n="$executions" -v t="$seconds" 'BEGIN { printf "%d", n / (t > 0 ? t : 1) }')
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
    ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
    corpus=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$last")
    result="ok"
    if ((status != 0 || found > 0)); then
        result="FAILED (exit $status, $found new input(s) in Fuzz/artifacts/$name/; log Fuzz/.build/logs/$name.log)"
    fi
    {
        printf '%-18s %10s %8s %7s %6s %7s %7s %6.0f %s\n' "$name" "${executions:-?}" "${speed:-?}" "${corpus:-?}" \
            "${cov:-?}" "${ft:-?}" "$found" "$seconds" "$result"
        [ "$result" = ok ] || grep -E '^(==[0-9]+==ERROR|SUMMARY|.*Fatal error|ALARM|MS:)' "$log" | head -5 | sed 's/^/    /'
    } >"$scratch/results/$name"
}

names=()
for entry in "${targets[@]}"; do
    read -r name binary dict <<<"$entry"
    if ((${#selected[@]})) && ! printf '%s\n' "${selected[@]}" | grep -qx "$name"; then continue; fi
    names+=("$name")
    rm -f "$scratch/results/$name"
    while (($(jobs -rp | wc -l) >= parallel)); do wait -n; done
    run_target "$name" "$binary" "$dict" &
done
wait
failed=()
# crashes: inputs libFuzzer left in Fuzz/artifacts/<target>/ (crash, leak, timeout or oom), each a failure.
printf '%-18s %10s %8s %7s %6s %7s %7s %6s %s\n' target executions exec/s corpus cov ft crashes secs result
for name in "${names[@]}"; do
    cat "$scratch/results/$name"
    grep -q " ok$" "$scratch/results/$name" || failed+=("$name")
done
echo "fuzz: total $((SECONDS - started)) s"
if ((${#failed[@]})); then
    echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: no crash, leak, hang or memory blow-up"
