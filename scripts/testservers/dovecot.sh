#!/usr/bin/env bash
# A private Dovecot IMAP server on 127.0.0.1 for tests and benchmarks, in its own folder.
#
#   dovecot.sh start DIR [PORT]   create DIR (config, passwd-file, Maildir of user "support",
#                                 password "secret") if needed and start Dovecot in the
#                                 foreground as a background job; prints the IMAP port.
#                                 PORT 0 or absent: a free port is chosen. A restart of the
#                                 same DIR reuses its port and its mail.
#   dovecot.sh stop DIR           stop it (SIGTERM, then SIGKILL after 5 s)
#   dovecot.sh restart DIR        stop, then start on the same port
#   dovecot.sh maildir DIR        print the INBOX Maildir path (write mail to tmp/, rename into new/)
#
# Facts from the field notes: Dovecot refuses uid 0 as mail owner (we use nobody), needs
# first_valid_uid = 1, must not bind 993 (the imaps listener gets port 0 = disabled), and its
# folder must be world-readable (mktemp makes 0700).
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: dovecot.sh start|stop|restart|maildir DIR [PORT]" >&2; exit 2; }

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

setup() {
  local port=$1
  mkdir -p "$dir/run" "$dir/mail/support/Maildir"/{cur,new,tmp}
  chmod 755 "$dir" "$dir/run"
  local owner=nobody group
  group=$(id -gn nobody)
  local uid gid
  uid=$(id -u nobody); gid=$(id -g nobody)
  echo "support:{PLAIN}secret:$uid:$gid::$dir/mail/support::" > "$dir/passwd"
  cat > "$dir/dovecot.conf" <<CONF
base_dir = $dir/run
state_dir = $dir/run
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
mail_max_userip_connections = 200
default_internal_user = $owner
default_internal_group = $group
default_login_user = $owner
mail_location = maildir:~/Maildir
mail_fsync = never
mail_uid = $uid
mail_gid = $gid
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $dir/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
protocol imap {
  mail_max_userip_connections = 200
}
CONF
  echo "$port" > "$dir/port"
  chown -R "$uid:$gid" "$dir/mail"
}

# Starts Dovecot on $1 and waits until it is ready; returns 3 when the port was taken meanwhile.
# Ready means this instance logged "starting up" (it does so only after binding its listeners):
# a port that accepts connections may belong to another test's server.
started_count() {
  local n
  n=$(grep -c "starting up" "$dir/dovecot.log" 2>/dev/null) || true
  echo "${n:-0}"
}

launch() {
  local port=$1 before
  setup "$port"
  before=$(started_count)
  # Its own process group (setsid), so stop can end the master and every child it leaves behind:
  # an imap process serving an IDLE client outlives the master and would rewrite the index.
  setsid dovecot -F -c "$dir/dovecot.conf" >>"$dir/dovecot.out" 2>&1 &
  echo $! > "$dir/dovecot.pid"
  for _ in $(seq 1 100); do
    if [ "$(started_count)" -gt "$before" ] \
      && /usr/bin/python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$port)))" 2>/dev/null; then
      return 0
    fi
    if ! alive "$(cat "$dir/dovecot.pid")"; then
      tail -n 3 "$dir/dovecot.log" 2>/dev/null | grep -q "Address already in use" && return 3
      cat "$dir/dovecot.out" "$dir/dovecot.log" >&2 2>/dev/null
      return 1
    fi
    sleep 0.1
  done
  echo "dovecot did not start on $port within 10 s" >&2
  return 1
}

start() {
  local port=${1:-0} rc
  if [ -f "$dir/port" ] && [ "$port" = 0 ]; then port=$(cat "$dir/port"); fi
  if [ "$port" != 0 ]; then
    launch "$port" || { echo "dovecot could not start on port $port" >&2; exit 1; }
    echo "$port"; return 0
  fi
  # A free port can be taken by a parallel test between choosing and binding it: choose again.
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    rc=0; launch "$port" || rc=$?
    [ "$rc" = 0 ] && { echo "$port"; return 0; }
    [ "$rc" = 3 ] || exit 1
  done
  echo "dovecot found no free port in 5 attempts" >&2; exit 1
}

# Alive and not a zombie: when the starting shell is gone, PID 1 of a container may never reap it.
alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ "$state" != Z* ]]
}

stop() {
  [ -f "$dir/dovecot.pid" ] || return 0
  local pid; pid=$(cat "$dir/dovecot.pid")
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.05; done
  fi
  # Whatever is left of this instance's process group (the group id is the master's pid).
  kill -KILL -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    local left=""
    for p in $(pgrep -g "$pid" 2>/dev/null); do alive "$p" && left=1; done
    [ -z "$left" ] && break
    sleep 0.05
  done
  rm -f "$dir/dovecot.pid"
  # A master that nobody reaps stays a zombie, and Dovecot would refuse to start while master.pid names it.
  rm -f "$dir/run/master.pid"
  # The port is free once the master is gone; wait for it (bounded).
  if [ -f "$dir/port" ]; then
    local port; port=$(cat "$dir/port")
    for _ in $(seq 1 50); do
      /usr/bin/python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$port)))" 2>/dev/null || break
      sleep 0.05
    done
  fi
}

case "$cmd" in
  start) start "${3:-0}" ;;
  stop) stop ;;
  restart) stop; start "$(cat "$dir/port")" ;;
  maildir) echo "$dir/mail/support/Maildir" ;;
  *) echo "usage: dovecot.sh start|stop|restart|maildir DIR [PORT]" >&2; exit 2 ;;
esac
