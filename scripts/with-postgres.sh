#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster on loopback, then removes the cluster.
#
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# The cluster is created with initdb in a temporary directory, listens on 127.0.0.1 on a free
# port with trust authentication for the `triage` role, and is stopped and deleted when the
# command ends (however it ends). The command sees TRIAGE_TEST_POSTGRES=postgres://triage@127.0.0.1:PORT/triage.
# TRIAGE_PG_OPTIONS adds server options (for example "-c synchronous_commit=off" to measure
# what fsync costs). initdb refuses to run as root, so as root the server runs as the `postgres` system user.
set -euo pipefail

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && bindir="$candidate"
done
if [ -z "$bindir" ]; then
    command -v initdb >/dev/null 2>&1 || { echo "with-postgres: initdb not found (apt-get install -y postgresql)" >&2; exit 1; }
    bindir=$(dirname "$(command -v initdb)")
fi

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

dir=$(mktemp -d /tmp/triage-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM

as_owner "$bindir/initdb" -D "$dir/data" -U triage --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=128MB ${TRIAGE_PG_OPTIONS:-}" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U triage triage

export TRIAGE_TEST_POSTGRES="postgres://triage@127.0.0.1:$port/triage"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (cluster $dir)"
set +e
"$@"
status=$?
set -e
exit "$status"
