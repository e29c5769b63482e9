#!/usr/bin/env bash
# Installs the Debian packages the tests' real servers need, once. Safe to run again: it only
# calls apt-get when a package is missing. Runs as root (CI and developer machines here are root).
set -euo pipefail

# postgresql-15 brings the server and its pg_dump/pg_restore (the backup tests); systemd brings systemd-analyze
# (the unit files are verified); neither starts a daemon here (policy-rc.d below).
packages=(dovecot-imapd dovecot-lmtpd python3-aiosmtpd swaks sqlite3 procps postgresql-15 systemd
  # The KPI report test and the web console tests (Playwright) drive headless Chromium; the font draws its Chinese text.
  chromium fonts-wqy-zenhei)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

# Packages must not start system-wide daemons: the tests start private servers on loopback.
if [ ! -x /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
fi

echo "installing test server packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
