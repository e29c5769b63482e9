#!/usr/bin/env bash
# Times `ticketgw kpi --month` and `kpi --month --by-agent` over a generated SQLite store (default 1,000,000 tickets over 12 months).
# Usage: bash benchmarks/kpi.sh [TICKETS] [MONTHS] [MONTH]
set -euo pipefail
cd "$(dirname "$0")/.."
tickets=${1:-1000000}
months=${2:-12}
month=${3:-2026-06}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build benchmarks/Kpi.Benchmarks -c Release --nologo -v quiet
dotnet build src/OperatorGateway -c Release --nologo -v quiet
dotnet benchmarks/Kpi.Benchmarks/bin/Release/net10.0/TicketGateway.Kpi.Benchmarks.dll "$work/kpi.db" "$tickets" "$months"

export Storage__ConnectionString="Data Source=$work/kpi.db"
gw=src/OperatorGateway/bin/Release/net10.0/ticketgw.dll
dotnet "$gw" kpi --month "$month" > /dev/null   # warm the OS file cache once
# Wall time, and the process's CPU time (on a busy shared machine the wall time includes waiting for a core).
for run in 1 2 3; do
  TIMEFORMAT="run $run: kpi --month $month over $tickets tickets: %R s wall, %U s user + %S s sys CPU (whole process)"
  time dotnet "$gw" kpi --month "$month" --json > "$work/out.json"
done
for run in 1 2 3; do
  TIMEFORMAT="run $run: kpi --month $month --by-agent over $tickets tickets: %R s wall, %U s user + %S s sys CPU (whole process)"
  time dotnet "$gw" kpi --month "$month" --by-agent --json > "$work/agents.json"
done
TIMEFORMAT="kpi --month $month --by-agent --json --refs over $tickets tickets: %R s wall, %U s user + %S s sys CPU (whole process)"
time dotnet "$gw" kpi --month "$month" --by-agent --json --refs > "$work/refs.json"
start=$(date +%s%N)
dotnet "$gw" help > /dev/null
end=$(date +%s%N)
echo "for comparison, ticketgw help (process start only): $(( (end - start) / 1000000 )) ms"
grep -A3 '"complaint_reply_rate"' "$work/out.json" | head -4
grep -A4 '"totals"' "$work/agents.json" | head -5
