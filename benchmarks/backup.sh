#!/usr/bin/env bash
# Times `ticketgw backup` and `ticketgw restore` (the real executable, from outside) on a generated store
# (benchmarks/Search.Benchmarks fills it: default 200,000 messages, about 50,000 tickets), SQLite and PostgreSQL.
# Usage: bash benchmarks/backup.sh [MESSAGES]
#   BACKUP_ENGINES="sqlite postgres" (default both). PostgreSQL: a private cluster (scripts/testservers/postgres.sh)
#   in the work folder, on a free port, stopped at the end. Prints store size, backup size, wall times.
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-200000}
engines=${BACKUP_ENGINES:-sqlite postgres}
work=$(mktemp -d -p /tmp)
trap 'bash scripts/testservers/postgres.sh stop "$work/pg" 2>/dev/null || true; rm -rf "$work"' EXIT
chmod 755 "$work"

dotnet build benchmarks/Search.Benchmarks -c Release --nologo -v quiet
dotnet build src/OperatorGateway -c Release --nologo -v quiet
ticketgw=(dotnet "$PWD/src/OperatorGateway/bin/Release/net10.0/ticketgw.dll")
generator=benchmarks/Search.Benchmarks/bin/Release/net10.0/TicketGateway.Search.Benchmarks.dll
seconds() { local s e; s=$(date +%s%N); "$@" > "$work/out" 2>&1 || { cat "$work/out"; return 1; }; e=$(date +%s%N); awk -v ns=$((e - s)) 'BEGIN{printf "%.2f", ns / 1e9}'; }
mb() { awk -v b="$1" 'BEGIN{printf "%.1f MB", b / 1048576}'; }

for engine in $engines; do
  echo "== $engine, $messages messages; load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
  mkdir -p "$work/$engine/a" "$work/$engine/b"
  if [ "$engine" = postgres ]; then
    export TG_PG_PASSWORD=${TG_PG_PASSWORD:-backup-bench-$$}
    port=$(bash scripts/testservers/postgres.sh start "$work/pg")
    base="Host=127.0.0.1;Port=$port;Username=tg;Password=$TG_PG_PASSWORD"
    PGPASSWORD=$TG_PG_PASSWORD psql -h 127.0.0.1 -p "$port" -U tg -d postgres -qc "CREATE DATABASE bench_a"
    dotnet "$generator" postgres "$base;Database=bench_a" "$messages" A > /dev/null
    a=(env Storage__Provider=PostgreSQL Storage__ConnectionString="$base;Database=bench_a")
    b=(env Storage__Provider=PostgreSQL Storage__ConnectionString="$base;Database=bench_b")
    size=$(PGPASSWORD=$TG_PG_PASSWORD psql -h 127.0.0.1 -p "$port" -U tg -d bench_a -tAc "SELECT pg_database_size('bench_a')")
  else
    dotnet "$generator" sqlite "$work/$engine/a/ticketgw.db" "$messages" A > /dev/null
    a=(env Storage__Provider=Sqlite Storage__ConnectionString="Data Source=$work/$engine/a/ticketgw.db")
    b=(env Storage__Provider=Sqlite Storage__ConnectionString="Data Source=$work/$engine/b/ticketgw.db")
    size=$(stat -c %s "$work/$engine/a/ticketgw.db")
  fi
  backup=$(cd "$work/$engine/a" && seconds "${a[@]}" "${ticketgw[@]}" backup "$work/$engine/desk.tgz")
  grep -o 'tables, [0-9,]* rows, [0-9,]* tickets' "$work/out"
  restore=$(cd "$work/$engine/b" && seconds "${b[@]}" "${ticketgw[@]}" restore "$work/$engine/desk.tgz")
  tail -1 "$work/out" | grep -o 'integrity ok, counts equal.'
  echo "store $(mb "$size"), backup file $(mb "$(stat -c %s "$work/$engine/desk.tgz")"); backup ${backup} s, restore ${restore} s (whole process each)"
  [ "$engine" = postgres ] && bash scripts/testservers/postgres.sh stop "$work/pg" > /dev/null
done
