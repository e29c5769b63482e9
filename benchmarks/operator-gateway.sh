#!/usr/bin/env bash
# Benchmark of the operator exchange (BENCHMARKS.md, sections OperatorGateway and "Issue 15: the
# operator exchange"): starts the real gateway (Release build of `ticketgw serve` with every feature
# on: gRPC, web console, mail intake on an idle Dovecot mailbox, acknowledgements by SMTP, operator
# updates, metrics, alerts) and runs the separate load generator against it: SubmitComplaint (durable
# commit) versus Ping (no storage) in the same run, once per engine, so PostgreSQL reads as a ratio
# to SQLite.
#   bash benchmarks/operator-gateway.sh [SECONDS] [CONCURRENCY] [RATE] [ENGINES]
# ENGINES: "Sqlite PostgreSQL" (default), "Sqlite" or "PostgreSQL". SQLite: WAL, synchronous=FULL,
# the file on disk. PostgreSQL 15: a private cluster from scripts/testservers/postgres.sh, data on
# disk, fsync on.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-10}
concurrency=${2:-64}
rate=${3:-1000}
engines=${4:-Sqlite PostgreSQL}
key=bench-key-0123456789abcdef
servers=$root/scripts/testservers
. "$root/benchmarks/gateway-settings.sh"

# h2load (Debian nghttp2-client) is the optional second load generator for Ping; see BENCHMARKS.md.
if ! command -v h2load >/dev/null; then
  apt-get install -y -qq --no-install-recommends nghttp2-client >/dev/null 2>&1 || echo "h2load not installed (optional)" >&2
fi

dotnet build benchmarks/OperatorGateway.Benchmarks -c Release --nologo -v quiet
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d /tmp/tg-opbench-XXXXXX)
chmod 755 "$work"   # postgres.sh runs the cluster as user postgres, which must enter this folder
shm=$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )
dovecot_dir=$(mktemp -d "$shm/tg-opbench-dovecot-XXXXXX")
sink_dir=$(mktemp -d "$shm/tg-opbench-sink-XXXXXX")
gateway=""
sink=""
pg_port=""
cleanup() {
  [ -z "$gateway" ] || { kill "$gateway" 2>/dev/null || true; wait "$gateway" 2>/dev/null || true; }
  [ -z "$sink" ] || { kill "$sink" 2>/dev/null || true; wait "$sink" 2>/dev/null || true; }
  bash "$servers/dovecot.sh" stop "$dovecot_dir" >/dev/null 2>&1 || true
  [ -z "$pg_port" ] || bash "$servers/postgres.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work" "$dovecot_dir" "$sink_dir"
}
trap cleanup EXIT

imap_port=$(bash "$servers/dovecot.sh" start "$dovecot_dir")
bash "$servers/smtp-sink.sh" "$sink_dir" > "$work/sink.out" 2>&1 &
sink=$!
smtp_port=""
for _ in $(seq 100); do
  smtp_port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/sink.out")
  [ -n "$smtp_port" ] && break
  sleep 0.1
done
[ -n "$smtp_port" ] || { echo "the SMTP sink did not start: $(cat "$work/sink.out")" >&2; exit 1; }
if [[ " $engines " == *" PostgreSQL "* ]]; then
  # The password reaches postgres.sh, psql and the gateway through the environment, never a command line.
  export TG_PG_USER=tg TG_PG_OWNER_PID=$$
  TG_PG_PASSWORD=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(16))')
  export TG_PG_PASSWORD PGPASSWORD=$TG_PG_PASSWORD
  pg_port=$(bash "$servers/postgres.sh" start "$work/pg")
  if [ "${BENCH_PG_STATEMENTS:-0}" = 1 ]; then
    . "$root/benchmarks/pg-statements.sh"
    pg_statements_enable "$work/pg" "$pg_port"
  fi
fi

for engine in $engines; do
  gw_port=$(free_port)
  web_port=$(free_port)
  receiver_port=$(free_port)
  dir=$work/$engine
  mkdir -p "$dir"
  if [ "$engine" = Sqlite ]; then
    connection="Data Source=$dir/ticketgw.db"
    count() { sqlite3 "$dir/ticketgw.db" "$1"; }
  else
    psql -h 127.0.0.1 -p "$pg_port" -U tg -d postgres -qc "CREATE DATABASE bench" >/dev/null
    connection="Host=127.0.0.1;Port=$pg_port;Username=tg;Password=$TG_PG_PASSWORD;Database=bench"
    count() { psql -h 127.0.0.1 -p "$pg_port" -U tg -d bench -tAqc "$1"; }
  fi
  mapfile -t settings < <(gateway_settings "$key" "$receiver_port" "$imap_port" "$smtp_port")
  (
    cd "$dir"
    export "${settings[@]}"
    Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$gw_port" \
    Kestrel__Endpoints__Web__Url="http://127.0.0.1:$web_port" \
    Storage__Provider="$engine" Storage__ConnectionString="$connection" \
    exec dotnet "$root/src/OperatorGateway/bin/Release/net10.0/ticketgw.dll" serve
  ) > "$dir/gateway.log" 2>&1 &
  gateway=$!
  for _ in $(seq 300); do
    grep -q 'Now listening' "$dir/gateway.log" && (exec 3<>"/dev/tcp/127.0.0.1/$gw_port") 2>/dev/null && break
    kill -0 "$gateway" 2>/dev/null || { cat "$dir/gateway.log" >&2; exit 1; }
    sleep 0.1
  done

  echo
  echo "== $engine: cores $(nproc); load average $(cut -d' ' -f1-3 /proc/loadavg); gateway pid $gateway on 127.0.0.1:$gw_port (web $web_port)"
  dotnet benchmarks/OperatorGateway.Benchmarks/bin/Release/net10.0/TicketGateway.OperatorGateway.Benchmarks.dll \
    --url "http://127.0.0.1:$gw_port" --key "$key" --receiver-port "$receiver_port" \
    --gateway-pid "$gateway" --seconds "$seconds" --concurrency "$concurrency" --rate "$rate"
  echo "tickets stored: $(count 'SELECT COUNT(*) FROM tickets')"
  if [ "$engine" = PostgreSQL ] && [ "${BENCH_PG_STATEMENTS:-0}" = 1 ]; then
    pg_statements_print "$pg_port"
  fi

  # Cross-check of the no-op with a second, independent load generator: h2load posting a pre-encoded
  # gRPC frame of the empty PingRequest (flag 0, length 0). h2load counts HTTP statuses only; the
  # client program above counts gRPC errors of the same call (its errors column).
  if command -v h2load >/dev/null; then
    printf '\x00\x00\x00\x00\x00' > "$work/ping.bin"
    h2load -n 200000 -c 4 -m 32 -d "$work/ping.bin" \
      -H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $key" \
      "http://127.0.0.1:$gw_port/ticketgateway.operator.v1.ComplaintExchange/Ping" \
      | grep -E '^(finished in|requests:|status codes:|time for request:)'
  fi
  kill "$gateway"
  wait "$gateway" 2>/dev/null || true
  gateway=""
done
