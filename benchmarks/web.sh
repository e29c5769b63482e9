#!/usr/bin/env bash
# Times the web console's two busiest pages on the real `ticketgw serve`, from outside with curl:
# the queue (GET /, and its other tabs) over a store of 100,000 open tickets, and the ticket page of a
# ticket with 200 messages (and 200 history lines). Issue 13 targets: queue < 300 ms, ticket < 200 ms.
# Usage: bash benchmarks/web.sh [RUNS=50]
#   WEB_ENGINES="sqlite postgres" (default both), WEB_BENCH_DIR=DIR keeps the stores between runs.
# The store is filled the way benchmarks/search.sh fills its own (Search.Benchmarks: prepared inserts or
# COPY with the search index set aside, then indexed in one pass; 400,000 messages make 100,000 open
# tickets), one agent owns every tenth ticket, and the 200-message ticket is made with the CLI and
# filled by SQL. The agent signs in with the form (cookie and antiforgery token, as a browser does);
# each URL is fetched once to warm up, then RUNS times. Printed per URL: median and p95 of curl's
# total time (connection included, a new one per request) and of the server's own Server-Timing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${1:-50}
engines=${WEB_ENGINES:-sqlite postgres}
work=${WEB_BENCH_DIR:-$(mktemp -d -p /tmp)}
gateway_pid=
stop_gateway() { [ -z "$gateway_pid" ] || { kill "$gateway_pid" 2>/dev/null || true; wait "$gateway_pid" 2>/dev/null || true; gateway_pid=; }; }
trap 'stop_gateway; bash scripts/testservers/postgres.sh stop "$work/pg" 2>/dev/null || true; [ -n "${WEB_BENCH_DIR:-}" ] || rm -rf "$work"' EXIT
chmod 755 "$work"

dotnet build benchmarks/Search.Benchmarks -c Release --nologo -v quiet
dotnet build src/OperatorGateway -c Release --nologo -v quiet
gw=(dotnet "$PWD/src/OperatorGateway/bin/Release/net10.0/ticketgw.dll")
generator=$root/benchmarks/Search.Benchmarks/bin/Release/net10.0/TicketGateway.Search.Benchmarks.dll
password=web-bench-password

median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
p95() { sort -n | awk '{a[NR]=$1} END{i=int(NR*0.95+0.999); if (i<1) i=1; print a[i]}'; }
# SQL on the store, the same statement text on both engines (through the generator: Debian's sqlite3 is too old for the store's FTS5 options).
sql() { dotnet "$generator" sql "$engine" "${target[@]}" "$1"; }

measure() {
  local label=$1 url=$2 i line totals=() servers=()
  curl -s -o /dev/null -b "$work/cookies" "$web$url"
  for i in $(seq "$runs"); do
    line=$(curl -s -o "$work/page" -D "$work/headers" -b "$work/cookies" -w '%{http_code} %{time_total}' "$web$url")
    [ "${line%% *}" = 200 ] || { echo "GET $url answered ${line%% *}"; head -c 600 "$work/page"; exit 1; }
    totals+=("$(awk '{printf "%.1f", $2 * 1000}' <<<"$line")")
    servers+=("$(tr -d '\r' < "$work/headers" | sed -n 's/^[Ss]erver-[Tt]iming: app;dur=//p')")
  done
  printf '%-44s curl median %6s ms  p95 %6s ms | server median %6s ms  p95 %6s ms  (%s bytes)\n' "$label" \
    "$(printf '%s\n' "${totals[@]}" | median)" "$(printf '%s\n' "${totals[@]}" | p95)" \
    "$(printf '%s\n' "${servers[@]}" | median)" "$(printf '%s\n' "${servers[@]}" | p95)" "$(wc -c < "$work/page")"
}

for engine in $engines; do
  echo "== $engine; load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
  if [ "$engine" = postgres ]; then
    export TG_PG_PASSWORD=${TG_PG_PASSWORD:-web-bench-$$}
    port=$(bash scripts/testservers/postgres.sh start "$work/pg")
    conn="Host=127.0.0.1;Port=$port;Username=tg;Password=$TG_PG_PASSWORD;Database=web"
    PGPASSWORD=$TG_PG_PASSWORD psql -h 127.0.0.1 -p "$port" -U tg -d postgres -qc "CREATE DATABASE web" 2>/dev/null || true
    export Storage__Provider=PostgreSQL Storage__ConnectionString="$conn"
    # An hour of command timeout for the fill: building the GIN indexes takes minutes on a busy machine.
    target=("$conn;Command Timeout=3600")
  else
    export Storage__Provider=Sqlite Storage__ConnectionString="Data Source=$work/web.db"
    target=("$work/web.db")
  fi

  folder="$work/$engine"
  mkdir -p "$folder"
  cd "$folder"
  if [ ! -f filled ]; then
    start=$(date +%s)
    dotnet "$generator" "$engine" "${target[@]}" 400000 彩铃 | grep -v '^in-process'
    "${gw[@]}" init > /dev/null
    printf '%s\n' "$password" | "${gw[@]}" agents add bench --name 压测客服 --email bench@desk.test --role agent --password-stdin > /dev/null
    sql "UPDATE tickets SET owner = 'bench' WHERE id % 10 = 0"
    big=$("${gw[@]}" tickets create --channel email --kind complaint --level 2 --customer-email big@customer.test --customer-name 李四 \
      --subject "彩铃反复扣费（200 条往来）" --text "第一次来信：彩铃被扣费。" --json | sed -n 's/.*"ref": *"\(TG-[0-9]*\)".*/\1/p' | head -1)
    id=$((10#${big#TG-}))
    sql "INSERT INTO messages (ticket_id, direction, at, from_addr, to_addr, subject, body_text, automatic, actor)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 199)
         SELECT $id, CASE WHEN i % 5 = 0 THEN 'note' WHEN i % 2 = 0 THEN 'outbound' ELSE 'inbound' END,
                (SELECT accepted_at FROM tickets WHERE id = $id) + i * 60000, 'big@customer.test', 'support@desk.test', 'Re: 彩铃反复扣费',
                '第 ' || i || ' 条：您好，我上个月被扣了 15 元彩铃费，但我从来没有订购过，退订以后仍然收到扣费短信，请尽快核实并退费。订单号 DD' || (10000000 + i) || '。', 0, 'bench'
         FROM n"
    sql "INSERT INTO history (ticket_id, at, actor, action, detail)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
         SELECT $id, (SELECT accepted_at FROM tickets WHERE id = $id) + i * 60000, 'bench', 'message', 'inbound message from big@customer.test (mail)' FROM n"
    echo "$big" > filled
    echo "filled in $(( $(date +%s) - start )) s: $(sql "SELECT count(*) FROM tickets WHERE status = 'open'") open tickets, $big has $(sql "SELECT count(*) FROM messages WHERE ticket_id = $id") messages"
  fi
  big=$(cat filled)

  stop_gateway
  Web__Enabled=true Kestrel__Endpoints__Web__Url=http://127.0.0.1:0 Kestrel__Endpoints__Grpc__Url=http://127.0.0.1:0 \
    "${gw[@]}" serve > serve.log 2>&1 &
  gateway_pid=$!
  for _ in $(seq 600); do grep -q 'Web console listening on http' serve.log 2>/dev/null && break; sleep 0.1; done
  web=$(grep -o 'Web console listening on http://127\.0\.0\.1:[0-9]*' serve.log | grep -o 'http.*' | head -1)
  [ -n "$web" ] || { echo "serve did not announce its web console:"; cat serve.log; exit 1; }
  rm -f "$work/cookies"
  token=$(curl -s -c "$work/cookies" -b "$work/cookies" "$web/signin" | grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | sed 's/.*value="//; s/"$//' | head -1)
  code=$(curl -s -o /dev/null -w '%{http_code}' -c "$work/cookies" -b "$work/cookies" --data-urlencode "login=bench" \
    --data-urlencode "password=$password" --data-urlencode "__RequestVerificationToken=$token" "$web/signin")
  [ "$code" = 302 ] || { echo "sign-in answered $code"; exit 1; }

  measure "GET / (my tickets: 10,000)" "/"
  measure "GET /?tab=unassigned (90,000)" "/?tab=unassigned"
  measure "GET /?tab=all (100,000)" "/?tab=all"
  measure "GET /?tab=all&kind=complaint" "/?tab=all&kind=complaint"
  measure "GET /?handler=Rows (the polled rows)" "/?handler=Rows"
  measure "GET /tickets/$big (200 messages)" "/tickets/$big"
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  stop_gateway
  cd "$root"
  [ "$engine" != postgres ] || bash scripts/testservers/postgres.sh stop "$work/pg"
done
