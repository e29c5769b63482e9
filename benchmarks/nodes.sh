#!/usr/bin/env bash
# Benchmark of issue 11 (BENCHMARKS.md, section "Issue 11: PostgreSQL and several nodes"): the same
# `ticketgw serve` (Release build, run from outside) on SQLite with one node, PostgreSQL with one node
# and PostgreSQL with two nodes, in one run, so the figures can be compared as ratios.
#
#   bash benchmarks/nodes.sh [MAILS] [SECONDS] [CONCURRENCY] [ROUNDS]     defaults 5000 10 64 2
#
# Starts its own PostgreSQL 15 (scripts/testservers/postgres.sh, data on disk, fsync on), an SMTP sink
# (acknowledgements go out by SMTP, as in production) and, per configuration, a fresh Dovecot and a
# fresh store. For each configuration:
#   intake: MAILS mails are written into the INBOX Maildir before any node starts (4 in 5 new
#     customers, 1 in 5 replies by In-Reply-To, as benchmarks/MailIntake.Benchmarks); the node(s) start;
#     the clock starts when every node has logged "Now listening" (start-up, schema steps included,
#     is not timed; what the intake committed before that moment is subtracted) and stops when
#     mail_inbound holds MAILS rows and INBOX is empty (polled every 0.2 s). Then the counts are
#     checked and the acknowledgements awaited at the SMTP sink.
#   SubmitComplaint: benchmarks/OperatorGateway.Benchmarks (--phases submit) against the same node(s),
#     one --url per node, round-robin: warm-up, then a closed loop of CONCURRENCY calls for SECONDS.
#     Tickets stored by the load are checked against the calls it saw accepted.
# ROUNDS: round 1 runs SQLite 1, PostgreSQL 1, PostgreSQL 2; round 2 the reverse order; and so on.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mails=${1:-5000}
seconds=${2:-10}
concurrency=${3:-64}
rounds=${4:-2}
for n in "$mails" "$seconds" "$concurrency" "$rounds"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: nodes.sh [MAILS] [SECONDS] [CONCURRENCY] [ROUNDS], whole numbers above 0" >&2; exit 2; }
done
warmup=$((seconds < 8 ? seconds : 8))
key=bench-key-0123456789abcdef
gateway=$root/src/OperatorGateway/bin/Release/net10.0/ticketgw.dll
loadgen=$root/benchmarks/OperatorGateway.Benchmarks/bin/Release/net10.0/TicketGateway.OperatorGateway.Benchmarks.dll
servers=$root/scripts/testservers
. "$root/benchmarks/gateway-settings.sh"

fail() { echo "nodes.sh: $*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# What this machine needs; the README's test command installs all of it.
bash "$servers/postgres.sh" check >/dev/null || fail "$(bash "$servers/postgres.sh" check)"
command -v dovecot >/dev/null || fail "dovecot is not installed (apt-get install dovecot-imapd)"
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || fail "aiosmtpd is not installed (apt-get install python3-aiosmtpd)"
command -v sqlite3 >/dev/null && command -v psql >/dev/null || fail "sqlite3 and psql are needed (apt-get install sqlite3 postgresql-client-15)"

echo "== build (Release)"
dotnet build benchmarks/OperatorGateway.Benchmarks -c Release --nologo -v quiet >/dev/null \
  || fail "the Release build failed: dotnet build benchmarks/OperatorGateway.Benchmarks -c Release"
[ -f "$gateway" ] && [ -f "$loadgen" ] || fail "the build left no $gateway or $loadgen"

# --- everything this script starts, and its removal however the script ends ------------------------
# The work folder (SQLite stores, node logs, PostgreSQL's data) is on disk, where a desk keeps its
# store; Dovecot's mail and the SMTP sink's are on tmpfs, so the mail server's own disk writes are not
# what is measured (see "Mail intake" in BENCHMARKS.md).
work=$(mktemp -d /tmp/tg-nodes-XXXXXX)
chmod 755 "$work"   # postgres.sh runs the cluster as user postgres, which must enter this folder
shm=$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )
sink_dir=$(mktemp -d "$shm/tg-nodes-sink-XXXXXX")
node_pids=()
dovecot_dir=""
sink_pid=""
loadgen_pid=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -z "$loadgen_pid" ] || { kill "$loadgen_pid" 2>/dev/null || true; wait "$loadgen_pid" 2>/dev/null || true; }
  stop_nodes
  # A failed run keeps what the nodes and the load generator wrote.
  if [ "$rc" != 0 ] && compgen -G "$work/run*" >/dev/null; then
    local kept
    kept=$(mktemp -d /tmp/tg-nodes-failed-XXXXXX)
    (cd "$work" && find . -path './run*' \( -name log -o -name load.out \) -exec cp --parents {} "$kept" \;)
    echo "nodes.sh: the logs of the failed run are kept in $kept" >&2
  fi
  [ -z "$dovecot_dir" ] || { bash "$servers/dovecot.sh" stop "$dovecot_dir" || true; rm -rf "$dovecot_dir"; }
  [ -z "$sink_pid" ] || { kill "$sink_pid" 2>/dev/null || true; wait "$sink_pid" 2>/dev/null || true; }
  bash "$servers/postgres.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work" "$sink_dir"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# SIGTERM (the host shuts down), SIGKILL after 10 s.
stop_nodes() {
  local pid
  for pid in "${node_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  node_pids=()
}

echo "== servers"
# The password reaches postgres.sh, psql and the nodes through the environment, never a command line.
export TG_PG_USER=tg
TG_PG_PASSWORD=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(16))')
export TG_PG_PASSWORD PGPASSWORD=$TG_PG_PASSWORD
# The script's watcher stops the cluster even if this script is killed with SIGKILL.
export TG_PG_OWNER_PID=$$
pg_port=$(bash "$servers/postgres.sh" start "$work/pg") || fail "PostgreSQL did not start (see $work/pg/postgres.log)"
pg_version=$(psql -h 127.0.0.1 -p "$pg_port" -U tg -d postgres -tAqc 'SHOW server_version')
bash "$servers/smtp-sink.sh" "$sink_dir" > "$work/sink.out" 2>&1 &
sink_pid=$!
sink_port=""
for _ in $(seq 100); do
  sink_port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/sink.out")
  [ -n "$sink_port" ] && break
  kill -0 "$sink_pid" 2>/dev/null || fail "the SMTP sink exited: $(cat "$work/sink.out")"
  sleep 0.1
done
[ -n "$sink_port" ] || fail "the SMTP sink did not listen within 10 s"
echo "PostgreSQL $pg_version on 127.0.0.1:$pg_port (data $work/pg), SMTP sink on 127.0.0.1:$sink_port"

# Writes $2 mails into the Maildir $1 (tmp/, then renamed into new/; Dovecot numbers them in name order).
deliver() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import base64, os, sys
maildir, mails = sys.argv[1], int(sys.argv[2])
for i in range(mails):
    reply = i % 5 == 4
    customer = i - 1 if reply else i
    subject = base64.b64encode(("扣费咨询 %d" % customer).encode()).decode()
    mail = ("From: Customer %d <c%d@example.cn>\r\nTo: support@example.com\r\n" % (customer, customer)
            + "Subject: %s=?UTF-8?B?%s?=\r\n" % ("Re: " if reply else "", subject)
            + "Message-ID: <bench-%d@example.cn>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0800\r\n" % i
            + ("In-Reply-To: <bench-%d@example.cn>\r\n" % customer if reply else "")
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "您好，我的手机号码本月被扣了 %d 元信息费，我没有订购过这项服务，请核实并退费。\r\n" % (i % 97))
    name = "1764000000.M%08dP1.bench" % i
    with open(os.path.join(maildir, "tmp", name), "wb") as f:
        f.write(mail.encode())
    os.rename(os.path.join(maildir, "tmp", name), os.path.join(maildir, "new", name))
PY
}

# Mails in the folders given (a Maildir folder's new/ and cur/, the sink's folder); dot-files are still being written.
files_in() { find "$@" -maxdepth 1 -type f ! -name '.*' 2>/dev/null | wc -l; }
mailbox_count() { files_in "$1/new" "$1/cur"; }

# One number from the store of the configuration being run ($engine, $store); -1 when it cannot be read.
count() {
  local n
  if [ "$engine" = Sqlite ]; then
    n=$(sqlite3 -cmd '.timeout 5000' "$store" "$1" 2>/dev/null) || n=-1
  else
    n=$(psql -h 127.0.0.1 -p "$pg_port" -U tg -d "$store" -tAqc "$1" 2>/dev/null) || n=-1
  fi
  echo "${n:--1}"
}

# Polls "$@" every 0.2 s until it succeeds; fails with $2 after $1 seconds, or when a node has died.
wait_until() {
  local limit=$1 what=$2 deadline pid
  shift 2
  deadline=$((EPOCHSECONDS + limit))
  until "$@"; do
    for pid in "${node_pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || fail "a node (pid $pid) exited while waiting for $what; logs in $work"
    done
    [ "$EPOCHSECONDS" -lt "$deadline" ] || fail "$what did not happen within $limit s"
    sleep 0.2
  done
}

# run_config ROUND NAME ENGINE NODES: one configuration on a fresh mailbox and store; appends to $results.
results=()
run=0
run_config() {
  local round=$1 name=$2 nodes=$3 i
  engine=$4
  run=$((run + 1))
  local dir=$work/run$run
  mkdir -p "$dir"
  echo
  echo "== round $round, $name (load average $(load_average))"

  dovecot_dir=$(mktemp -d "$shm/tg-nodes-dovecot-XXXXXX")
  local imap_port maildir
  imap_port=$(bash "$servers/dovecot.sh" start "$dovecot_dir") || fail "Dovecot did not start"
  maildir=$(bash "$servers/dovecot.sh" maildir "$dovecot_dir")
  local t=$(now)
  deliver "$maildir" "$mails"
  echo "delivered $mails mails into the INBOX Maildir in $(elapsed "$t" "$(now)") s"
  rm -f "$sink_dir"/*.eml

  local connection
  if [ "$engine" = Sqlite ]; then
    store=$dir/ticketgw.db
    connection="Data Source=$store"
  else
    store=bench_$run
    psql -h 127.0.0.1 -p "$pg_port" -U tg -d postgres -qc "CREATE DATABASE $store" >/dev/null
    connection="Host=127.0.0.1;Port=$pg_port;Username=tg;Password=$TG_PG_PASSWORD;Database=$store"
  fi

  local urls=() pid_args=() receiver_port t_spawn
  receiver_port=$(free_port)
  t_spawn=$(now)
  for i in $(seq "$nodes"); do
    mkdir -p "$dir/node$i"
    (
      cd "$dir/node$i"
      mapfile -t settings < <(gateway_settings "$key" "$receiver_port" "$imap_port" "$sink_port")
      export "${settings[@]}"
      Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:0" \
      Web__Enabled=false \
      Storage__Provider="$engine" Storage__ConnectionString="$connection" \
      Mail__Imap__PollInterval=00:00:01 Mail__Smtp__PollInterval=00:00:00.200 \
      exec dotnet "$gateway" serve
    ) > "$dir/node$i/log" 2>&1 &
    node_pids+=($!)
  done

  # The clock starts when every node listens (checked every 0.05 s).
  local deadline=$((EPOCHSECONDS + 60)) listening url
  while :; do
    listening=0
    for i in $(seq "$nodes"); do
      grep -q 'Now listening on' "$dir/node$i/log" && listening=$((listening + 1))
      kill -0 "${node_pids[$((i - 1))]}" 2>/dev/null || fail "node $i exited at start-up: $(tail -n 5 "$dir/node$i/log")"
    done
    [ "$listening" = "$nodes" ] && break
    [ "$EPOCHSECONDS" -lt "$deadline" ] || fail "the nodes did not listen within 60 s; logs in $dir"
    sleep 0.05
  done
  local t0 c0
  t0=$(now)
  c0=$(count 'SELECT COUNT(*) FROM mail_inbound')
  [ "$c0" -ge 0 ] || c0=0
  for i in $(seq "$nodes"); do
    url=$(grep -o 'Now listening on: http://127\.0\.0\.1:[0-9]*' "$dir/node$i/log" | head -n 1 | sed 's/^Now listening on: //')
    urls+=(--url "$url")
    pid_args+=(--gateway-pid "${node_pids[$((i - 1))]}")
  done

  intake_done() { [ "$(count 'SELECT COUNT(*) FROM mail_inbound')" -ge "$mails" ] && [ "$(mailbox_count "$maildir")" = 0 ]; }
  wait_until $((60 + mails / 50)) "the intake of $mails mails" intake_done
  local t_done intake_s intake_rate
  t_done=$(now)
  intake_s=$(elapsed "$t0" "$t_done")
  intake_rate=$(awk -v n="$((mails - c0))" -v s="$intake_s" 'BEGIN { printf "%.0f", n / s }')
  local tickets expected_tickets inbound processed leader
  expected_tickets=$((mails - mails / 5))
  tickets=$(count 'SELECT COUNT(*) FROM tickets')
  inbound=$(count "SELECT COUNT(*) FROM messages WHERE direction = 'inbound'")
  processed=$(mailbox_count "$maildir/.Processed")
  leader=$(count "SELECT COALESCE(MAX(holder), 'none') FROM leases WHERE name = 'mail-intake'")
  # Node ids are machine:pid:random: name the node by its number here.
  for i in $(seq "$nodes"); do
    [[ "$leader" != *":${node_pids[$((i - 1))]}:"* ]] || leader="node $i ($leader)"
  done
  echo "start-up to listening $(elapsed "$t_spawn" "$t0") s ($c0 mails already committed then); intake $((mails - c0)) mails in $intake_s s: $intake_rate mails/s (spawn to done $(elapsed "$t_spawn" "$t_done") s); mail intake led by $leader"
  [ "$tickets" = "$expected_tickets" ] && [ "$inbound" = "$mails" ] && [ "$processed" = "$mails" ] \
    || fail "wrong intake result: $tickets tickets (expected $expected_tickets), $inbound inbound messages and $processed mails in Processed (expected $mails)"
  # Every new ticket is acknowledged by mail: wait (bounded) until the sink holds them all.
  acks_done() { [ "$(files_in "$sink_dir")" -ge "$expected_tickets" ]; }
  wait_until $((60 + expected_tickets / 20)) "$expected_tickets acknowledgements at the SMTP sink" acks_done
  echo "acknowledgements at the SMTP sink: $(files_in "$sink_dir") of $expected_tickets, $(elapsed "$t_done" "$(now)") s after the intake finished"

  local before after accepted row
  before=$(count 'SELECT COUNT(*) FROM tickets')
  # In the background, so a signal to this script ends the run at once (bash defers traps while a foreground child runs).
  dotnet "$loadgen" "${urls[@]}" "${pid_args[@]}" --key "$key" --receiver-port "$receiver_port" \
    --phases submit --warmup "$warmup" --seconds "$seconds" --concurrency "$concurrency" > "$dir/load.out" 2>&1 &
  loadgen_pid=$!
  wait "$loadgen_pid" || fail "the load generator failed: $(tail -n 20 "$dir/load.out")"
  loadgen_pid=""
  after=$(count 'SELECT COUNT(*) FROM tickets')
  # The node logs up to here; afterwards the updates of the last calls fail, as the receiver left with the load generator.
  local logged=()
  for i in $(seq "$nodes"); do logged+=("$(wc -l < "$dir/node$i/log")"); done
  accepted=$(sed -n 's/^SubmitComplaint accepted in total, warm-up included: //p' "$dir/load.out")
  row=$(grep '^| SubmitComplaint, closed loop' "$dir/load.out") || fail "no SubmitComplaint row in $(cat "$dir/load.out")"
  echo "$row"
  echo "tickets stored by the load: $((after - before)); SubmitComplaint OK'd (warm-up included): $accepted"
  [ "$((after - before))" = "$accepted" ] || echo "WARNING: tickets stored and calls accepted differ" >&2
  # | phase | calls | errors | calls/s | p50 ms | p99 ms | gateway CPU ms per call |
  local errors rate p50 p99 cpu
  read -r errors rate p50 p99 cpu < <(awk -F' *[|] *' '{ print $4, $5, $6, $7, $8 }' <<< "$row")
  for i in $(seq "$nodes"); do
    # Without a duty roster every node warns once at start-up that nobody is on duty: expected here.
    head -n "${logged[$((i - 1))]}" "$dir/node$i/log" | grep -E ' (warn|fail|crit): ' | grep -v 'DutyCoverageReport\[401\]' > "$dir/node$i/warnings" || true
    # The operator's receiver lives in the load generator: the updates of the last calls find it gone (event 111).
    echo "node $i: $(wc -l < "$dir/node$i/warnings") warnings or errors in its log during the run," \
      "$(grep -c 'UpdateDeliveryService\[111\]' "$dir/node$i/warnings" || true) of them updates not delivered as the load generator stopped"
    grep -v 'UpdateDeliveryService\[111\]' "$dir/node$i/warnings" | head -n 3 | cut -c 1-200 | sed 's/^/    /' || true
  done
  results+=("$round|$name|$intake_rate|$rate|$p50|$p99|$errors|$cpu|$((after - before))/$accepted")

  stop_nodes
  bash "$servers/dovecot.sh" stop "$dovecot_dir"
  rm -rf "$dovecot_dir"
  dovecot_dir=""
  if [ "$engine" != Sqlite ]; then
    psql -h 127.0.0.1 -p "$pg_port" -U tg -d postgres -qc "DROP DATABASE $store WITH (FORCE)" >/dev/null
  fi
}

started=$(now)
echo
echo "cores: $(nproc); load average $(load_average); $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "mails $mails, SubmitComplaint $seconds s closed loop at $concurrency in flight after $warmup s warm-up, rounds $rounds"
configs=("SQLite, 1 node|1|Sqlite" "PostgreSQL, 1 node|1|PostgreSQL" "PostgreSQL, 2 nodes|2|PostgreSQL")
for round in $(seq "$rounds"); do
  order=(0 1 2)
  [ $((round % 2)) = 1 ] || order=(2 1 0)
  for c in "${order[@]}"; do
    IFS='|' read -r name nodes engine <<< "${configs[$c]}"
    run_config "$round" "$name" "$nodes" "$engine"
  done
done

echo
echo "== summary ($(elapsed "$started" "$(now)") s; load average now $(load_average)); ratios to SQLite, 1 node, of the same round"
echo
echo "| round | configuration | intake mails/s | ratio | SubmitComplaint/s | ratio | p50 ms | p99 ms | errors | gateway CPU ms per call | tickets stored / OK'd |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for r in "${results[@]}"; do
  IFS='|' read -r round name intake rate p50 p99 errors cpu check <<< "$r"
  base=$(printf '%s\n' "${results[@]}" | awk -F'|' -v r="$round" '$1 == r && $2 == "SQLite, 1 node" { print $3 "|" $4 }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$round" "$name" "$intake" \
    "$(awk -v a="$intake" -v b="${base%%|*}" 'BEGIN { printf "%.2f", a / b }')" "$rate" \
    "$(awk -v a="$rate" -v b="${base##*|}" 'BEGIN { printf "%.2f", a / b }')" "$p50" "$p99" "$errors" "$cpu" "$check"
done
