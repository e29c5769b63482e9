#!/usr/bin/env bash
# Runs every test of TicketGateway and ends with the line "N passed, N failed, N skipped".
# Installs what the tests need (Debian packages for the real test servers), builds with warnings
# as errors, runs all test projects, and sums their TRX results.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh || { echo "could not install the test servers' packages" >&2; echo "0 passed, 1 failed"; exit 1; }

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

if ! dotnet build TicketGateway.sln -c Release --nologo -v quiet -warnaserror; then
  echo "build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# The processes the tests start (ticketgw serve and every CLI command) run the executable as a production
# install has it: published with ReadyToRun code (README, "Install"), which starts in about 25 % less CPU
# than the JIT-only build output. The test run is CPU-bound on two cores, so this is time saved too.
exe_dir=artifacts/test-executable
rm -rf "$exe_dir"
# The analyzers already ran on these sources in the build above.
if ! dotnet publish src/OperatorGateway -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -p:RunAnalyzers=false -o "$exe_dir" --nologo -v quiet -warnaserror; then
  echo "publishing the ReadyToRun executable failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
export TICKETGW_TEST_EXECUTABLE="$PWD/$exe_dir/ticketgw.dll"

dotnet test TicketGateway.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"
test_status=$?

# Sum the counters of every TRX file (one per test assembly).
read -r passed failed skipped total < <(
  cat "$results"/*.trx 2>/dev/null | tr ' ' '\n' | awk -F'"' '
    /^total=/    { t += $2 }
    /^passed=/   { p += $2 }
    /^failed=/   { f += $2 }
    /^notExecuted=/ { s += $2 }
    END { printf "%d %d %d %d\n", p, f, s, t }')

if [ "$total" -eq 0 ]; then
  echo "no test ran" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
if [ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The runner failed without a failed test (a crashed test host, say): count it as a failure.
  failed=1
fi

# Name what failed right above the count, where a log cut to its tail still shows it.
python3 scripts/trx-failures.py "$results"/*.trx
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
