#!/usr/bin/env bash
# Pid files left by daemons that were killed rather than stopped (a session's processes end
# with it). A daemon refuses to start, or a status check says "running", while the number in
# its pid file is alive — and after a kill that number may be the dead daemon's zombie or a
# new, unrelated process. So a pid file counts only while its process runs that very program.
# Sourced by the setup scripts.

# running <pid> <program>: that process runs <program> and is not a zombie.
running() {
  [[ $1 =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] &&
    ! grep -qE '^State:[[:space:]]+Z' "/proc/$1/status" 2>/dev/null
}

# drop_stale_pidfile <file> <program> [<log function>]: removes <file> unless the process on its
# first line runs <program>; says so through the log function.
drop_stale_pidfile() {
  [ -e "$1" ] || return 0
  running "$(head -n 1 "$1" 2>/dev/null)" "$2" && return 0
  "${3:-echo}" "removing the stale $1 of a $2 that no longer runs"
  rm -f "$1"
}

# without_inherited_fds <command…>: runs <command> with only stdin, stdout and stderr of the
# caller's descriptors. A daemon started from a script keeps whatever it inherits for as long as
# it runs — a lock file the caller holds (`flock file bash scripts/test.sh`) above all, which
# would then stay locked until the daemon stops.
without_inherited_fds() {
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
    done 2>/dev/null
    exec "$@"
  )
}
