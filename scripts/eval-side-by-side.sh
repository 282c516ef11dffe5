#!/usr/bin/env bash
# triage eval against a scikit-learn baseline, same rows, same folds, same metrics, side by side.
#
#   scripts/eval-side-by-side.sh                               # ../shared/datasets/ata/train.csv, 5 folds
#   scripts/eval-side-by-side.sh path/to/tickets.csv 10
#   THRESHOLD=0.7 TEXT=title,body LABEL=team SCRATCH=/tmp/build scripts/eval-side-by-side.sh tickets.jsonl
#
# Row i (0-based, after dropping rows with an empty label) is in fold i % K for both; the metric
# definitions are EvaluationReport.swift's, re-implemented in scripts/sklearn_baseline.py (which
# also documents the baseline model). scikit-learn goes into a private venv (EVAL_VENV, default
# .build/eval-venv); triage is built in release (honours SCRATCH like Benchmarks/ingest/run.sh).
# Training time per fold is the mean of the `fold N: fit X s` lines each tool writes to stderr,
# or, when a tool writes none, its wall time divided by K (marked "wall/K": loading and
# prediction included).
set -euo pipefail
caller_dir="$PWD"
cd "$(dirname "$0")/.."
repo="$PWD"
export PATH="/opt/swift/usr/bin:$PATH"

if [[ $# -ge 1 ]]; then
  case "$1" in /*) DATA="$1" ;; *) DATA="$caller_dir/$1" ;; esac
else
  DATA="$repo/../shared/datasets/ata/train.csv"
fi
K="${2:-5}"
THRESHOLD="${THRESHOLD:-0.6}"
TEXT="${TEXT:-short_description,description}"
LABEL="${LABEL:-assignment_group}"
VENV="${EVAL_VENV:-$repo/.build/eval-venv}"
[[ -f "$DATA" ]] || { echo "no such file: $DATA" >&2; exit 1; }

if ! "$VENV/bin/python" -c 'import sklearn' 2>/dev/null; then
  echo "installing scikit-learn into $VENV…" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip >/dev/null
  "$VENV/bin/pip" install --quiet scikit-learn
fi

echo "building triage (release)…" >&2
scratch=(); [[ -n "${SCRATCH:-}" ]] && scratch=(--scratch-path "$SCRATCH")
swift build -c release --product triage "${scratch[@]}" >/dev/null
TRIAGE="$(swift build -c release --show-bin-path "${scratch[@]}")/triage"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
now() { python3 -c 'import time; print(time.monotonic())'; }

run() { # name command…
  local name="$1"; shift
  echo "running $name ($K folds)…" >&2
  local start end
  start="$(now)"
  if ! "$@" >"$work/$name.json" 2>"$work/$name.err"; then
    echo "$name failed:" >&2; cat "$work/$name.err" >&2; exit 1
  fi
  end="$(now)"
  python3 -c "print($end - $start)" >"$work/$name.wall"
}

run triage "$TRIAGE" eval --train "$DATA" --folds "$K" --text "$TEXT" --label "$LABEL" \
  --threshold "$THRESHOLD" --format json
run sklearn "$VENV/bin/python" scripts/sklearn_baseline.py "$DATA" --folds "$K" --text "$TEXT" --label "$LABEL" \
  --threshold "$THRESHOLD" --format json

"$VENV/bin/python" - "$work" "$K" "$THRESHOLD" "$DATA" <<'PY'
import json, re, sys
work, k, threshold, data = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]

def load(name):
    report = json.load(open(f"{work}/{name}.json"))
    fits = [float(m.group(1)) for m in re.finditer(r"^fold \d+: fit ([0-9.]+) s", open(f"{work}/{name}.err").read(), re.M)]
    wall = float(open(f"{work}/{name}.wall").read())
    fit = f"{sum(fits) / len(fits):.2f} s" if fits else f"{wall / k:.2f} s wall/K"
    return report, fit, wall

tools = {name: load(name) for name in ("triage", "sklearn")}
rows = [
    ("accuracy", "accuracy"),
    ("macro-F1 (labels with >= 40 training rows)", "macro_f1"),
    (f"coverage at confidence >= {threshold:.2f}", "coverage"),
    (f"precision at confidence >= {threshold:.2f}", "precision_at_threshold"),
    ("coverage at precision 0.90", "coverage_at_precision_90"),
]
width = max(len(name) for name, _ in rows + [("training time per fold", "")])
print(f"\n{data}: {k}-fold cross-validation (row i in fold i % {k}), threshold {threshold:.2f}")
print(f"{'':<{width}}  {'triage':>16}  {'scikit-learn':>16}  {'difference':>10}")
for name, key in rows:
    t, s = tools["triage"][0][key], tools["sklearn"][0][key]
    print(f"{name:<{width}}  {t:>16.4f}  {s:>16.4f}  {t - s:>+10.4f}")
print(f"{'training time per fold':<{width}}  {tools['triage'][1]:>16}  {tools['sklearn'][1]:>16}")
print(f"{'wall time, whole run':<{width}}  {tools['triage'][2]:>14.1f} s  {tools['sklearn'][2]:>14.1f} s")
print("scikit-learn: TF-IDF word 1-2 + char_wb 2-5 (sublinear tf), LinearSVC(C=1.0),"
      " CalibratedClassifierCV(cv=3, sigmoid); see scripts/sklearn_baseline.py")
PY
