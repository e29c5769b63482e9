#!/usr/bin/env bash
# Benchmark of the operator exchange (BENCHMARKS.md, section OperatorGateway): starts the real
# gateway (Release build, its own SQLite file with synchronous=FULL) and runs the separate load
# generator against it: SubmitComplaint (durable commit) versus Ping (no storage) in the same run.
#   bash benchmarks/operator-gateway.sh [SECONDS] [CONCURRENCY] [RATE]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
concurrency=${2:-64}
rate=${3:-1000}

# h2load (Debian nghttp2-client) is the optional second load generator for Ping; see BENCHMARKS.md.
if ! command -v h2load >/dev/null; then
  apt-get install -y -qq --no-install-recommends nghttp2-client >/dev/null 2>&1 || echo "h2load not installed (optional)" >&2
fi

dotnet build benchmarks/OperatorGateway.Benchmarks -c Release --nologo -v quiet
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
gw_port=$(free_port)
receiver_port=$(free_port)
work=$(mktemp -d)
key=bench-key-0123456789abcdef

(
  cd "$work"
  Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$gw_port" \
  Web__Enabled=false \
  Logging__LogLevel__Default=Warning \
  Operators__0__Id=bench Operators__0__ApiKey=$key \
  Operators__0__CallbackAddress="http://127.0.0.1:$receiver_port" Operators__0__CallbackApiKey=bench-callback-0123456789 \
  OperatorGateway__RateLimitPerSecond=1000000 OperatorGateway__RateLimitBurst=1000000 \
  OperatorGateway__Delivery__PollInterval=00:00:00.200 \
  exec dotnet "$OLDPWD/src/OperatorGateway/bin/Release/net10.0/ticketgw.dll" serve
) > "$work/gateway.log" 2>&1 &
gateway=$!
trap 'kill $gateway 2>/dev/null; wait $gateway 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  (exec 3<>/dev/tcp/127.0.0.1/$gw_port) 2>/dev/null && break
  sleep 0.1
done

echo "cores: $(nproc); gateway pid $gateway on 127.0.0.1:$gw_port; store $work/data/ticketgw.db"
dotnet benchmarks/OperatorGateway.Benchmarks/bin/Release/net10.0/TicketGateway.OperatorGateway.Benchmarks.dll \
  --url "http://127.0.0.1:$gw_port" --key "$key" --receiver-port "$receiver_port" \
  --gateway-pid "$gateway" --seconds "$seconds" --concurrency "$concurrency" --rate "$rate"
echo "tickets stored: $(sqlite3 "$work/data/ticketgw.db" 'SELECT COUNT(*) FROM tickets')"

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
