#!/usr/bin/env bash
# Mail intake of `ticketgw serve` measured from outside (BENCHMARKS.md, "Issue 15: mail intake").
#
#   bash benchmarks/intake.sh [MAILS] [RUNS]          defaults 10000 3
#
# Per run, in one run: (a) a bare MailKit fetch of MAILS mails from a private Dovecot (mail on
# /dev/shm), (b) the same plus a MimeKit parse of every mail, (c) the Release `ticketgw serve`
# (fresh SQLite file on disk, acknowledgements queued, no SMTP server, logging at Warning) started on
# an empty INBOX; once /readyz answers, the MAILS mails arrive at once (Maildir renames) and the clock
# runs until all are in Processed; the store is checked (mails, tickets, acknowledgements). Reports
# mails/s, the ratios to (a) and (b), serve's CPU ms per mail and its VmHWM. The same on a private
# PostgreSQL 15 cluster (BENCH_ENGINES=sqlite to skip it). Then the acknowledgement latency: serve
# with an SMTP sink, 200 mails appended one every 50 ms, APPEND to acknowledgement at the sink.
set -euo pipefail
cd "$(dirname "$0")/.."
mails=${1:-10000}
runs=${2:-3}
engines=${BENCH_ENGINES:-sqlite postgres}
for n in "$mails" "$runs"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: intake.sh [MAILS] [RUNS], whole numbers above 0" >&2; exit 2; }
done

dotnet build benchmarks/MailIntake.Benchmarks -c Release --nologo -v quiet >/dev/null
dotnet build src/OperatorGateway -c Release --nologo -v quiet >/dev/null
bench=benchmarks/MailIntake.Benchmarks/bin/Release/net10.0/TicketGateway.MailIntake.Benchmarks.dll

work=$(mktemp -d /tmp/tg-intake-XXXXXX)
chmod 755 "$work"   # postgres.sh runs the cluster as user postgres, which must enter this folder
trap 'bash scripts/testservers/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
if [[ " $engines " == *" postgres "* ]]; then
  # The password reaches postgres.sh and the benchmark through the environment, never a command line.
  TG_PG_PASSWORD=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(16))')
  export TG_PG_PASSWORD TG_PG_OWNER_PID=$$
  BENCH_PG_PORT=$(bash scripts/testservers/postgres.sh start "$work/pg")
  export BENCH_PG_PORT
  if [ "${BENCH_PG_STATEMENTS:-0}" = 1 ]; then
    . benchmarks/pg-statements.sh
    pg_statements_enable "$work/pg" "$BENCH_PG_PORT"
  fi
fi

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$bench" serve "$PWD/src/OperatorGateway/bin/Release/net10.0/ticketgw.dll" "$mails" "$runs"
if [ "${BENCH_PG_STATEMENTS:-0}" = 1 ] && [ -n "${BENCH_PG_PORT:-}" ]; then
  pg_statements_print "$BENCH_PG_PORT"
fi
