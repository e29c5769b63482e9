#!/usr/bin/env bash
# Runs the test SMTP sink in the foreground: smtp-sink.sh MAILDIR [--port N] [--reject GLOB]... [--delay S] [--auth USER:PASS]
# Every accepted mail becomes a file in MAILDIR. Prints "listening on 127.0.0.1:PORT" once bound.
# Debian's python3-aiosmtpd is used, through /usr/bin/python3 (not another python on PATH).
set -euo pipefail
exec /usr/bin/python3 "$(dirname "$0")/smtp_sink.py" "$@"
