#!/usr/bin/env bash
# Installs the system packages triage needs to build and test, when they are missing.
# Idempotent: does nothing (and needs no network) when everything is there.
# With --test, also what the test suite runs against: a real Prometheus Alertmanager, and openssl
# with python3 for a throwaway HTTPS endpoint (TLS verification and CA bundle tests), and
# PostgreSQL for the throwaway cluster the PostgreSQL store's suites run against.
set -euo pipefail

missing=()
if [ "${1:-}" = "--test" ]; then
    command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
    [ -x /usr/bin/openssl ] || missing+=(openssl)
    [ -x /usr/bin/python3 ] || missing+=(python3)
    [ -x /usr/bin/unzip ] || missing+=(unzip)
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)  # throwaway test cluster
fi
pkg-config --exists libcurl 2>/dev/null || missing+=(libcurl4-openssl-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
[ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
[ -f /usr/share/zoneinfo/Europe/Paris ] || missing+=(tzdata)  # IANA time zones for calendars
command -v curl >/dev/null 2>&1 || missing+=(curl)

if ((${#missing[@]})); then
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing packages: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}"
fi

if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then
        echo "swift is at /opt/swift/usr/bin; add it to PATH" >&2
    else
        echo "swift 6.x is required (https://www.swift.org/install/linux/)" >&2
    fi
    exit 1
fi
