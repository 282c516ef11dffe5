#!/usr/bin/env bash
# TriageCore stays pure: no I/O modules, no full Foundation (FoundationEssentials is fine).
set -euo pipefail
cd "$(dirname "$0")/.."
bad=$(grep -rnE '^\s*(@preconcurrency )?(public |internal |package )?import (NIO[A-Za-z]*|Hummingbird[A-Za-z]*|GRDB|PostgresNIO|CCurl|Logging|Metrics|Foundation)$' Sources/TriageCore || true)
if [ -n "$bad" ]; then
    echo "TriageCore must not import I/O modules or full Foundation:" >&2
    echo "$bad" >&2
    exit 1
fi
echo "layers: TriageCore imports no I/O module"
