#!/usr/bin/env bash
# Times `ticketgw tickets search` over a generated store (default 1,000,000 messages), SQLite and PostgreSQL.
# Usage: bash benchmarks/search.sh [MESSAGES] [RUNS]
#   SEARCH_ENGINES="sqlite postgres" (default both), SEARCH_BENCH_DIR=DIR keeps the stores between runs.
# Prints, per engine and query, the median and max wall time of RUNS real `ticketgw` processes (process
# start-up included), for the executable as built (`dotnet ticketgw.dll`) and as published for
# production (ReadyToRun, see README); `tickets list --limit 1` (start-up and store open, no search)
# for comparison; the start-up phases (TICKETGW_STARTUP_TRACE=1, medians); and the in-process search
# times from the generator. PostgreSQL: a private cluster (scripts/testservers/postgres.sh) in the work
# folder, on a free port, stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-1000000}
runs=${2:-9}
engines=${SEARCH_ENGINES:-sqlite postgres}
work=${SEARCH_BENCH_DIR:-$(mktemp -d -p /tmp)}
[ -n "${SEARCH_BENCH_DIR:-}" ] || trap 'bash scripts/testservers/postgres.sh stop "$work/pg" 2>/dev/null || true; rm -rf "$work"' EXIT
chmod 755 "$work"

dotnet build benchmarks/Search.Benchmarks -c Release --nologo -v quiet
dotnet build src/OperatorGateway -c Release --nologo -v quiet
dotnet publish src/OperatorGateway -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/published" --nologo -v quiet
built=(dotnet src/OperatorGateway/bin/Release/net10.0/ticketgw.dll)
published=("$work/published/ticketgw")
generator=benchmarks/Search.Benchmarks/bin/Release/net10.0/TicketGateway.Search.Benchmarks.dll
queries=("彩铃" "发票" "退订彩铃" "仍然收到" "refund" "+86 138 0013 8000" "VIP 彩铃" "铃")

time_ms() { local s e; s=$(date +%s%N); "$@" > "$work/out" 2>&1 || { cat "$work/out"; return 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
measure() {
  local label=$1; shift
  "$@" > /dev/null   # warm the OS file cache and this query's pages once
  local times=()
  for _ in $(seq "$runs"); do times+=("$(time_ms "$@")"); done
  printf '%-52s median %5s ms  max %5s ms  (%s)\n' "$label" "$(printf '%s\n' "${times[@]}" | median)" \
    "$(printf '%s\n' "${times[@]}" | sort -n | tail -1)" "${times[*]}"
}
# The start-up phases of one command: per phase, the median of RUNS runs of the time since process start.
phases() {
  local label=$1; shift
  for _ in $(seq "$runs"); do TICKETGW_STARTUP_TRACE=1 "$@" 2>&1 >/dev/null | grep '^startup-trace'; done \
    | awk '{ms=$2; $1=$2=$3=""; sub(/^ +/, ""); if (!($0 in n)) order[++k]=$0; v[$0, ++n[$0]]=ms}
           END {for (i=1; i<=k; i++) {p=order[i]; m=n[p]; for (a=1; a<=m; a++) {x=v[p, a]; b=a-1; while (b>0 && s[b]>x) {s[b+1]=s[b]; b--} s[b+1]=x}; printf "  %7.1f ms  %s\n", s[int((m+1)/2)], p; delete s}}' \
    | sed "1i startup phases, $label (ms since process start, median of $runs):"
}

for engine in $engines; do
  echo "== $engine, $messages messages; load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
  if [ "$engine" = postgres ]; then
    export TG_PG_PASSWORD=${TG_PG_PASSWORD:-search-bench-$$}
    port=$(bash scripts/testservers/postgres.sh start "$work/pg")
    conn="Host=127.0.0.1;Port=$port;Username=tg;Password=$TG_PG_PASSWORD;Database=search"
    PGPASSWORD=$TG_PG_PASSWORD psql -h 127.0.0.1 -p "$port" -U tg -d postgres -qc "CREATE DATABASE search" 2>/dev/null || true
    export Storage__Provider=PostgreSQL Storage__ConnectionString="$conn"
    dotnet "$generator" postgres "$conn" "$messages" "${queries[@]}" A
  else
    export Storage__Provider=Sqlite Storage__ConnectionString="Data Source=$work/search.db"
    dotnet "$generator" sqlite "$work/search.db" "$messages" "${queries[@]}" A
  fi

  for launcher in built published; do
    declare -n gw=$launcher
    measure "[$launcher] tickets list --limit 1 (no search)" "${gw[@]}" tickets list --limit 1
    for q in "${queries[@]}"; do
      measure "[$launcher] tickets search '$q'" "${gw[@]}" tickets search "$q" --json
    done
    phases "[$launcher] tickets search 彩铃" "${gw[@]}" tickets search 彩铃 --json
  done
  echo "hits for '退订 彩铃': $("${published[@]}" tickets search '退订 彩铃' --json | grep -c '"ref"')"
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  [ "$engine" != postgres ] || bash scripts/testservers/postgres.sh stop "$work/pg"
done
