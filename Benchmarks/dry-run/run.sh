#!/usr/bin/env bash
# Dry-run benchmark: 100,000 incidents from a CSV export, with the sample rules, the classifier and
# similar-incident search, replayed on a simulated clock; then the real ServiceNow event log
# (one row per incident). Needs ../shared/datasets (prints why and stops when it is absent).
set -euo pipefail
cd "$(dirname "$0")/../.."
data=../shared/datasets
if [ ! -f "$data/ata/train.csv" ] || [ ! -f "$data/event-logs/uci_incident_event_log.zip" ]; then
    echo "dry-run benchmark: $data/ata/train.csv or the event log is missing; nothing to measure" >&2
    exit 0
fi
swift build -c release --product triage --scratch-path .build-release >/dev/null
triage=.build-release/release/triage
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 100,000 rows: the labelled IT tickets (32,450) repeated with their own ids and times, one every 30 s.
python3 - "$data/ata/train.csv" "$work/history.csv" <<'PY'
import csv, sys, datetime
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
start = datetime.datetime(2026, 1, 5, 8, 0)
with open(sys.argv[2], 'w', newline='', encoding='utf-8') as out:
    w = csv.writer(out)
    w.writerow(['id', 'opened', 'resolved', 'short_description', 'description', 'assignment_group'])
    for i in range(100_000):
        r = rows[i % len(rows)]
        opened = start + datetime.timedelta(seconds=30 * i)
        resolved = opened + datetime.timedelta(hours=2 + i % 7)
        w.writerow([f'T-{i}', opened.strftime('%Y-%m-%d %H:%M:%S'), resolved.strftime('%Y-%m-%d %H:%M:%S'),
                    r['short_description'], r['description'], r['assignment_group']])
PY
echo "== 100,000 incidents (CSV), rules + classifier + similarity, --replay"
/usr/bin/time -f "wall %e s, peak memory %M KB" "$triage" dry-run --config rules --replay \
    --text short_description,description --time opened --resolved resolved --id id --label assignment_group \
    --format json --output "$work/out.json" "$work/history.csv"
"$triage" dry-run --config rules --replay --text short_description,description --time opened --resolved resolved \
    --id id "$work/history.csv" | tail -8

# The real event log, one row per incident (its first event, with the first resolve time).
unzip -p "$data/event-logs/uci_incident_event_log.zip" incident_event_log.csv > "$work/events.csv"
python3 - "$work/events.csv" "$work/incidents.csv" <<'PY'
import csv, sys
first, resolved = {}, {}
for r in csv.DictReader(open(sys.argv[1], newline='')):
    n = r['number']
    first.setdefault(n, r)
    if r['incident_state'] == 'Resolved' and n not in resolved:
        resolved[n] = r['sys_updated_at']
with open(sys.argv[2], 'w', newline='') as out:
    w = csv.writer(out)
    w.writerow(['number', 'opened_at', 'resolved', 'category', 'subcategory', 'u_symptom', 'priority'])
    for n, r in first.items():
        w.writerow([n, r['opened_at'], resolved.get(n, ''), r['category'], r['subcategory'], r['u_symptom'], r['priority']])
PY
echo "== the UCI ServiceNow event log: $(($(wc -l < "$work/incidents.csv") - 1)) incidents, --replay"
/usr/bin/time -f "wall %e s, peak memory %M KB" "$triage" dry-run --config rules --replay \
    --text category,subcategory,u_symptom --time opened_at --resolved resolved --id number \
    --format json --output "$work/uci.json" "$work/incidents.csv"
