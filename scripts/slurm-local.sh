#!/usr/bin/env bash
# A single-node Slurm on this machine, for testing the sweep one-liners of
# experiments/sweep/README.md against a real scheduler (the cluster test,
# cluster_test.go, run by .ci/run).
#
#   scripts/slurm-local.sh start    install (if missing), configure, start; wait until the node is idle
#   scripts/slurm-local.sh status   the daemons' pids and sinfo
#   scripts/slurm-local.sh stop     stop the daemons by their pid files
#
# Runs as root on Debian (12): installs slurmctld, slurmd, slurm-client,
# munge (and parallel) with apt-get when any is missing. Writes /etc/slurm/slurm.conf (where
# sbatch, sinfo and the daemons look by default) only when it is absent or
# was written by this script; everything else -- state, spool, logs, pid
# files -- lives under $MT2ST_SLURM_DIR (default /tmp/mt2st-slurm).
set -euo pipefail

DIR=${MT2ST_SLURM_DIR:-/tmp/mt2st-slurm}
CONF=/etc/slurm/slurm.conf
MARK="# Written by mt2st scripts/slurm-local.sh"
WAIT=${MT2ST_SLURM_WAIT:-60} # seconds to wait for the node to become idle

die() { echo "slurm-local: $*" >&2; exit 1; }

alive() { # alive PIDFILE: the process named in PIDFILE is running
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

install_missing() {
  local missing=()
  command -v slurmctld >/dev/null || missing+=(slurmctld)
  command -v slurmd >/dev/null || missing+=(slurmd)
  command -v sbatch >/dev/null || missing+=(slurm-client)
  command -v munged >/dev/null || missing+=(munge)
  # Not Slurm: GNU parallel, for the README's other one-liner, which the
  # cluster test runs too.
  command -v parallel >/dev/null || missing+=(parallel)
  [ ${#missing[@]} -eq 0 ] && return
  echo "slurm-local: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

write_conf() {
  if [ -e "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
    die "$CONF exists and was not written by this script; not overwriting it"
  fi
  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  # RealMemory must not exceed what slurmd finds, or the node is drained.
  mem=$(awk '/^MemTotal:/ {printf "%d", $2 / 1024 * 0.95}' /proc/meminfo)
  mkdir -p "$(dirname "$CONF")" "$DIR/ctld" "$DIR/slurmd" "$DIR/log" "$DIR/run"
  cat >"$CONF" <<EOF
$MARK at $(date -u +%FT%TZ): scripts/slurm-local.sh stop; rm this file to remove.
ClusterName=mt2st-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
StateSaveLocation=$DIR/ctld
SlurmdSpoolDir=$DIR/slurmd
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
KillWait=5
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  echo "slurm-local: $CONF: node $host, $cpus CPUs, $mem MB"
}

start_munge() {
  if alive "$DIR/run/munged.pid"; then return; fi
  [ -s /etc/munge/munge.key ] || die "/etc/munge/munge.key missing (the munge package creates it: mungekey --create)"
  mkdir -p /run/munge "$DIR/munge"
  chown munge:munge /run/munge "$DIR/munge"
  runuser -u munge -- munged --pid-file="$DIR/munge/munged.pid" --log-file="$DIR/munge/munged.log" \
    || die "munged did not start; see $DIR/munge/munged.log"
  ln -sf "$DIR/munge/munged.pid" "$DIR/run/munged.pid"
  munge -n | unmunge >/dev/null || die "munge does not work: munge -n | unmunge failed"
}

start() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (installs packages, runs the daemons as root)"
  local t0=$SECONDS
  install_missing
  write_conf
  start_munge
  if ! alive "$DIR/run/slurmctld.pid"; then
    # -c: a clean start, no jobs or node states from an earlier run.
    slurmctld -c || die "slurmctld did not start; see $DIR/log/slurmctld.log"
  fi
  if ! alive "$DIR/run/slurmd.pid"; then
    slurmd || die "slurmd did not start; see $DIR/log/slurmd.log"
  fi
  local host state
  host=$(hostname -s)
  for ((i = 0; i < WAIT * 2; i++)); do
    state=$(sinfo -h -N -n "$host" -o '%T' 2>/dev/null || true)
    if [ "$state" = idle ]; then
      echo "slurm-local: node $host idle after $((SECONDS - t0)) s (daemons and logs in $DIR)"
      return
    fi
    case "$state" in
    down* | drain*) scontrol update NodeName="$host" State=RESUME 2>/dev/null || true ;;
    esac
    sleep 0.5
  done
  sinfo -N -l >&2 || true
  tail -n 20 "$DIR/log/slurmctld.log" "$DIR/log/slurmd.log" >&2 || true
  die "node $host not idle after ${WAIT}s (state: ${state:-none})"
}

stop() {
  # SIGTERM to all three at once, then wait for each (each takes 1-2 s).
  local name f pid pids=() names=()
  for name in slurmd slurmctld munged; do
    f=$DIR/run/$name.pid
    if alive "$f"; then
      pid=$(cat "$f")
      kill "$pid"
      pids+=("$pid") names+=("$name")
    fi
    rm -f "$f"
  done
  for i in "${!pids[@]}"; do
    pid=${pids[$i]} name=${names[$i]}
    for ((n = 0; n < 100; n++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "slurm-local: $name ($pid) still running after 10 s; sending SIGKILL" >&2
      kill -9 "$pid" 2>/dev/null || true
    fi
    echo "slurm-local: stopped $name ($pid)"
  done
}

status() {
  local name f rc=0
  for name in munged slurmctld slurmd; do
    f=$DIR/run/$name.pid
    if alive "$f"; then echo "$name: running ($(cat "$f"))"; else echo "$name: not running"; rc=1; fi
  done
  [ $rc -eq 0 ] && sinfo -N
  return $rc
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
*) die "usage: $0 start|stop|status" ;;
esac
