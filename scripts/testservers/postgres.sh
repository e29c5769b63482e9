#!/usr/bin/env bash
# A private PostgreSQL 15 cluster on 127.0.0.1 for tests and benchmarks, in its own folder.
#
#   postgres.sh check               exit 0 when this machine can run the cluster; otherwise print
#                                   one line saying why and exit 1
#   postgres.sh start DIR [PORT]    on first use create the cluster in DIR/data (superuser
#                                   $TG_PG_USER, default "tg", password $TG_PG_PASSWORD, required
#                                   then), start it and print the port. PORT 0 or absent: the
#                                   port of the last start, else a free one. Exit 3: PORT is taken.
#   postgres.sh stop DIR            fast shutdown (sessions are ended, nothing committed is lost)
#   postgres.sh restart DIR         stop, then start on the same port
#   postgres.sh status DIR          exit 0 while the server runs, 3 when it does not
#
# With TG_PG_OWNER_PID set, start also leaves a watcher that stops the cluster and removes DIR once
# that process has exited, however it ended: a test process that is killed (or whose exit handler
# is cut short by the test runner) must not leave a server holding 128 MB of shared memory behind.
#
# initdb and pg_ctl refuse to run as root: when the script runs as root (the tests do) they run as
# the "postgres" user, which then owns DIR. Only TCP on 127.0.0.1 and a unix socket inside DIR/data
# (not /var/run/postgresql, which a test machine may lack or share); every login, including over
# that socket, needs the password (scram-sha-256). fsync stays on: tests run what production runs.
# The password never reaches a command line or a log: initdb reads it from a file removed afterwards.
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
self=$(realpath -- "$0")
cmd=${1:-}
dir=${2:-}
usage() { echo "usage: postgres.sh check | start DIR [PORT] | stop DIR | restart DIR | status DIR" >&2; exit 2; }
[ -n "$cmd" ] || usage
[ "$cmd" = check ] || [ -n "$dir" ] || usage
# pg_ctl needs absolute paths: it changes directory before it starts the server.
[ -z "$dir" ] || dir=$(realpath -m -- "$dir")
data=$dir/data
wait_seconds=30

check() {
  [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] \
    || { echo "PostgreSQL 15 is not installed ($bin/pg_ctl missing; apt-get install postgresql-15)"; return 1; }
  if [ "$(id -u)" = 0 ]; then
    id -u postgres >/dev/null 2>&1 || { echo "there is no 'postgres' user to run the cluster as"; return 1; }
  fi
}

# Runs a PostgreSQL program as the postgres user when we are root, from a folder it may enter.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    (cd "$dir" && runuser -u postgres -- "$@")
  else
    (cd "$dir" && "$@")
  fi
}

init() {
  [ -f "$data/PG_VERSION" ] && return 0
  local user=${TG_PG_USER:-tg}
  [ -n "${TG_PG_PASSWORD:-}" ] || { echo "TG_PG_PASSWORD must hold the superuser's password for a new cluster" >&2; return 1; }
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
    chmod 700 "$dir"
    # Every folder above DIR must let postgres through (mktemp-style parents are 0700 root).
    as_pg test -x "$dir" || { echo "user postgres cannot enter $dir: put it under /tmp or /dev/shm" >&2; return 1; }
  fi
  local pwfile=$dir/.pw
  (umask 077; printf '%s\n' "$TG_PG_PASSWORD" > "$pwfile")
  [ "$(id -u)" != 0 ] || chown postgres: "$pwfile"
  local rc=0
  as_pg "$bin/initdb" -D "$data" -U "$user" --pwfile="$pwfile" --auth=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || rc=$?
  rm -f "$pwfile"
  [ "$rc" = 0 ] || { cat "$dir/initdb.log" >&2; return 1; }
  # Appended last, so these win over initdb's defaults. The port is given at each start (-p).
  as_pg tee -a "$data/postgresql.conf" >/dev/null <<CONF

# Private test cluster (scripts/testservers/postgres.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$data'
password_encryption = scram-sha-256
fsync = on
max_connections = 200
shared_buffers = 128MB
logging_collector = off
CONF
  # Only loopback and the private socket; every login with a password.
  as_pg tee "$data/pg_hba.conf" >/dev/null <<HBA
local all all scram-sha-256
host  all all 127.0.0.1/32 scram-sha-256
HBA
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Starts the cluster on $1 and waits (bounded) until it accepts connections; 3 when the port is taken.
launch() {
  local port=$1 log=$dir/postgres.log before=0
  [ -f "$log" ] && before=$(wc -l < "$log")
  echo "$port" > "$dir/port"
  if as_pg "$bin/pg_ctl" start -D "$data" -l "$log" -w -t "$wait_seconds" -o "-p $port" >/dev/null 2>"$dir/pg_ctl.err"; then
    return 0
  fi
  if tail -n "+$((before + 1))" "$log" 2>/dev/null | grep -q "Address already in use"; then
    return 3
  fi
  cat "$dir/pg_ctl.err" >&2
  tail -n 20 "$log" >&2 2>/dev/null || true
  # A server that missed the deadline may still come up later: make sure it does not.
  stop
  return 1
}

start() {
  local port=${1:-0} rc
  check >&2 || exit 1
  init || exit 1
  watch_owner
  if running; then cat "$dir/port"; return 0; fi
  if [ "$port" = 0 ] && [ -f "$dir/port" ]; then port=$(cat "$dir/port"); fi
  if [ "$port" != 0 ]; then
    rc=0; launch "$port" || rc=$?
    [ "$rc" = 0 ] && { echo "$port"; return 0; }
    echo "postgres could not start on port $port" >&2; exit "$rc"
  fi
  # A free port can be taken by a parallel test between choosing and binding it: choose again.
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    rc=0; launch "$port" || rc=$?
    [ "$rc" = 0 ] && { echo "$port"; return 0; }
    [ "$rc" = 3 ] || exit 1
  done
  echo "postgres found no free port in 5 attempts" >&2; exit 1
}

# One watcher per DIR; it waits on the owner without polling in this script (tail --pid).
watch_owner() {
  local owner=${TG_PG_OWNER_PID:-}
  [ -n "$owner" ] || return 0
  if [ -f "$dir/watcher.pid" ] && kill -0 "$(cat "$dir/watcher.pid")" 2>/dev/null; then return 0; fi
  # Detached from our output pipes, or whoever reads this script's output would wait for the watcher too.
  setsid bash -c 'tail --pid="$1" -f /dev/null; bash "$2" stop "$3"; rm -rf -- "$3"' watcher "$owner" "$self" "$dir" \
    </dev/null >/dev/null 2>&1 &
  echo $! > "$dir/watcher.pid"
}

running() {
  [ -f "$data/PG_VERSION" ] && as_pg "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1
}

stop() {
  running || return 0
  # Fast: ends the sessions, writes a checkpoint, and waits (bounded) until the postmaster is gone.
  as_pg "$bin/pg_ctl" stop -D "$data" -m fast -w -t "$wait_seconds" >/dev/null 2>"$dir/pg_ctl.err" && return 0
  # It did not stop in time: immediate mode (crash recovery on the next start, as after a power cut).
  as_pg "$bin/pg_ctl" stop -D "$data" -m immediate -w -t "$wait_seconds" >/dev/null 2>&1 || {
    cat "$dir/pg_ctl.err" >&2; return 1; }
}

case "$cmd" in
  check) check ;;
  start) start "${3:-0}" ;;
  stop) stop ;;
  restart) stop; start "$(cat "$dir/port")" ;;
  status) if running; then exit 0; else exit 3; fi ;;
  *) usage ;;
esac
