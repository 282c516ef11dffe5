#!/usr/bin/env bash
# Ingest benchmark: wrk against triage's POST /api/v2/alerts (durable, SQLite) and against a real
# Alertmanager's POST /api/v2/alerts (in memory), same payloads, same connections, one after the other.
#
#   Benchmarks/ingest/run.sh                 # 32 connections, 15 s each, unique alerts, sqlite-sync full
#   CONNECTIONS=64 DURATION=30s MODE=refire SQLITE_SYNC=normal Benchmarks/ingest/run.sh
#
# Needs: wrk, prometheus-alertmanager (installed when missing), a release build of triage (built here).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
DURATION="${DURATION:-15s}"
MODE="${MODE:-unique}"
SQLITE_SYNC="${SQLITE_SYNC:-full}"
export MODE

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v prometheus-alertmanager >/dev/null || need+=(prometheus-alertmanager)
if ((${#need[@]})); then
  echo "installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}" >/dev/null
fi

echo "building triage (release)…" >&2
scratch=(); [[ -n "${SCRATCH:-}" ]] && scratch=(--scratch-path "$SCRATCH")
swift build -c release --product triage "${scratch[@]}" >/dev/null
TRIAGE="$(swift build -c release --show-bin-path "${scratch[@]}")/triage"

work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 200); do curl -fs -o /dev/null "$1" && return 0; sleep 0.05; done; echo "not ready: $1" >&2; return 1; }

# triage: receiver role only (the worker would compete for the two cores; Alertmanager's
# notification pipeline has no receiver configured either).
mkdir -p "$work/config"
cp rules/vendors.yaml rules/rules.yaml "$work/config/"
cat >"$work/config/sources.yaml" <<'YAML'
sources:
  - name: alertmanager
    kind: alertmanager
compatibility:
  alertmanager_api: alertmanager
YAML
triage_port="$(free_port)"
"$TRIAGE" serve --config "$work/config" --store "sqlite:$work/bench.sqlite" --sqlite-sync "$SQLITE_SYNC" \
  --port "$triage_port" --role receiver --log-level error >"$work/triage.log" 2>&1 &
pids+=($!)

cat >"$work/alertmanager.yml" <<'YAML'
route:
  receiver: blackhole
receivers:
  - name: blackhole
YAML
am_port="$(free_port)"
prometheus-alertmanager --config.file="$work/alertmanager.yml" --storage.path="$work/am" \
  --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= --log.level=error >"$work/am.log" 2>&1 &
pids+=($!)

wait_http "http://127.0.0.1:$triage_port/readyz"
wait_http "http://127.0.0.1:$am_port/-/ready"

run_wrk() { # name url
  local out
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s Benchmarks/ingest/alerts.lua "$2")"
  echo "$out" >"$work/$1.wrk"
  local rps p50 p99 errors
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  errors="$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")"
  printf '%s %s %s %s %s\n' "$1" "$rps" "$p50" "$p99" "${errors:-0}"
}

echo "warming up…" >&2
wrk -t1 -c4 -d2s -s Benchmarks/ingest/alerts.lua "http://127.0.0.1:$triage_port" >/dev/null
wrk -t1 -c4 -d2s -s Benchmarks/ingest/alerts.lua "http://127.0.0.1:$am_port" >/dev/null

read -r _ t_rps t_p50 t_p99 t_err < <(run_wrk triage "http://127.0.0.1:$triage_port")
read -r _ a_rps a_p50 a_p99 a_err < <(run_wrk alertmanager "http://127.0.0.1:$am_port")
metrics="$(curl -fs "http://127.0.0.1:$triage_port/metrics" || true)"
batch="$(awk '/^triage_intake_transactions_total/ {t=$2} /^triage_intake_batched_webhooks_total/ {w=$2} END { if (t > 0) printf "%.1f", w/t; else print "?" }' <<<"$metrics")"
stored="$(sqlite3 "$work/bench.sqlite" 'SELECT COUNT(*) FROM rawPayload' 2>/dev/null || echo '?')"

to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v } else if (v ~ /s$/) { sub(/s$/,"",v); print v*1000 } else print v }'; }
echo
echo "ingest benchmark: $CONNECTIONS connections, $THREADS wrk threads, $DURATION, MODE=$MODE, triage --sqlite-sync $SQLITE_SYNC"
echo "machine: $(nproc) cores, $(uname -sr)"
printf '%-14s %12s %10s %10s %8s\n' target "req/s" p50 p99 non-2xx
printf '%-14s %12s %10s %10s %8s\n' triage "$t_rps" "$t_p50" "$t_p99" "$t_err"
printf '%-14s %12s %10s %10s %8s\n' alertmanager "$a_rps" "$a_p50" "$a_p99" "$a_err"
awk -v t="$t_rps" -v a="$a_rps" -v tp="$(to_ms "$t_p99")" -v ap="$(to_ms "$a_p99")" 'BEGIN {
  printf "ratio triage/alertmanager: %.2fx request rate, p99 %.2fx (below 1 is better)\n", t/a, tp/ap }'
echo "triage stored $stored raw payloads durably (synchronous=$SQLITE_SYNC), $batch webhooks per transaction on average"
