#!/usr/bin/env bash
# Times `ticketgw tickets search` over a generated SQLite store (default 1,000,000 messages).
# Usage: bash benchmarks/search.sh [MESSAGES] [RUNS]
# Prints, per query, the median and max wall time of RUNS real `ticketgw` processes (process start-up
# included), the time of `ticketgw tickets list --limit 1` (start-up and store open, no search) for
# comparison, and the in-process search times from the generator.
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-1000000}
runs=${2:-9}
work=${SEARCH_BENCH_DIR:-$(mktemp -d)}
[ -n "${SEARCH_BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT

dotnet build benchmarks/Search.Benchmarks -c Release --nologo -v quiet
dotnet build src/OperatorGateway -c Release --nologo -v quiet
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
dotnet benchmarks/Search.Benchmarks/bin/Release/net10.0/TicketGateway.Search.Benchmarks.dll "$work/search.db" "$messages"

export Storage__ConnectionString="Data Source=$work/search.db"
gw=src/OperatorGateway/bin/Release/net10.0/ticketgw.dll
time_ms() { local s e; s=$(date +%s%N); "$@" > "$work/out" 2>&1 || { cat "$work/out"; return 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
measure() {
  local label=$1; shift
  "$@" > /dev/null   # warm the OS file cache and this query's pages once
  local times=()
  for _ in $(seq "$runs"); do times+=("$(time_ms "$@")"); done
  local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  local median; median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
  local max; max=$(echo "$sorted" | tail -1)
  printf '%-40s median %5s ms  max %5s ms  (%s)\n' "$label" "$median" "$max" "$(echo "${times[@]}")"
}
measure "tickets list --limit 1 (no search)" dotnet "$gw" tickets list --limit 1
for q in "彩铃" "发票" "退订彩铃" "仍然收到" "refund" "+86 138 0013 8000" "VIP 彩铃"; do
  measure "tickets search '$q'" dotnet "$gw" tickets search "$q" --json
done
echo "hits for '退订 彩铃': $(dotnet "$gw" tickets search '退订 彩铃' --json | grep -c '"ref"')"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
