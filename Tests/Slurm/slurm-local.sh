#!/usr/bin/env bash
# slurm-local.sh — a throw-away single-node Slurm cluster on loopback (Debian 12, root, no systemd).
# Verified on Debian 12 / slurm-wlm 22.05.8 / munge 0.5.15, 2 CPUs, 24 GiB.
# The recipe verified on this project's build machine; `make slurm-up` / `make slurm-down` run it.
#
#   ./slurm-local.sh start    # install if missing, write config, start munged+slurmctld+slurmd, wait for idle
#   ./slurm-local.sh stop     # stop the three daemons (by the PIDs in their pid files) and wait for them to exit
#   ./slurm-local.sh status   # sinfo + daemon PIDs
#   ./slurm-local.sh clean    # stop, then delete state/spool/logs (job ids restart at 1)
#   source slurm-local.sh     # gives slurm_local_start / slurm_local_stop / slurm_local_status functions
#
# Clients (sbatch, squeue, scancel, scontrol, sinfo) find the config at $SLURM_CONF
# (default /etc/slurm/slurm.conf, the place they look when SLURM_CONF is unset).
# Env knobs: SLURM_LOCAL_DIR (default /tmp/slurm-local), SLURM_CONF, SLURM_LOCAL_CPUS (fake more CPUs
# than the machine has, e.g. 8, to let more 1-CPU jobs run at once), SLURM_LOCAL_CLUSTER (default local),
# SLURM_LOCAL_NODE (node name, default "localnode": slurmd is started with -N, so it need not match
# `hostname -s` and need not resolve; NodeAddr=127.0.0.1 is what is dialled).

SLURM_LOCAL_DIR="${SLURM_LOCAL_DIR:-/tmp/slurm-local}"
SLURM_CONF="${SLURM_CONF:-/etc/slurm/slurm.conf}"
SLURM_LOCAL_NODE="${SLURM_LOCAL_NODE:-localnode}"
export SLURM_CONF

_sl_log() { echo "slurm-local: $*" >&2; }

# true if PID is alive and not a zombie (the daemons are re-parented to PID 1, which may reap them late)
_sl_alive() { local st; st="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1; [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]; }
# PID from a pid file, only if that process is alive.
_sl_pid() { local f="$1" p; [ -s "$f" ] || return 1; p="$(cat "$f" 2>/dev/null)"; [ -n "$p" ] && _sl_alive "$p" && echo "$p"; }

slurm_local_install() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null && command -v munged >/dev/null; then
    return 0
  fi
  _sl_log "installing slurmctld slurmd slurm-client munge"
  # Debian 12: 8 packages, 3.5 MB download, ~5 s. Post-install "policy-rc.d denied execution of start" is expected.
  apt-get update -qq || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    slurmctld slurmd slurm-client munge >/dev/null || return 1
}

slurm_local_write_conf() {
  local node cpus mem realcpus
  node="$SLURM_LOCAL_NODE"
  # slurmd -C prints the hardware as slurm sees it: "NodeName=vm CPUs=2 Boards=1 SocketsPerBoard=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=24105"
  realcpus="$(nproc)"
  # without SLURM_LOCAL_CPUS, the CPUs of the config already written (a restart keeps the node as
  # slurmd registered it), else the real count
  cpus="${SLURM_LOCAL_CPUS:-$(sed -n 's/^NodeName=.* CPUs=\([0-9]*\) .*/\1/p' "$SLURM_CONF" 2>/dev/null | head -n1)}"
  cpus="${cpus:-$realcpus}"
  # ~1 GiB below what slurmd measures: a node configured with more than it has is set INVAL
  # ("Low RealMemory" / "Low CPUs") unless SlurmdParameters=config_overrides
  mem=$(( $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) - 1024 ))
  mkdir -p "$SLURM_LOCAL_DIR"/{state,spool,log,run} "$(dirname "$SLURM_CONF")"
  cat > "$SLURM_CONF.tmp" <<EOF
# written by slurm-local.sh
ClusterName=${SLURM_LOCAL_CLUSTER:-local}
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SelectType=select/cons_tres
# CR_Core, not CR_Core_Memory: with memory as a consumable and no DefMemPerCPU every job
# is given the whole node's memory and jobs run one at a time.
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
# default batch_sched_delay=3 makes every sbatch wait for a 3-second scheduling tick
SchedulerParameters=batch_sched_delay=0
# let slurmd register with more CPUs than it finds (only matters with SLURM_LOCAL_CPUS)
SlurmdParameters=config_overrides
ReturnToService=2
# finished jobs stay visible to scontrol/squeue -t all for this many seconds
MinJobAge=600
# seconds between SIGTERM and SIGKILL when a job is cancelled or times out (default 30)
KillWait=5
# no /usr/bin/mail here; slurm's own --mail-type mails are dropped
MailProg=/bin/true
StateSaveLocation=$SLURM_LOCAL_DIR/state
SlurmdSpoolDir=$SLURM_LOCAL_DIR/spool
SlurmctldPidFile=$SLURM_LOCAL_DIR/run/slurmctld.pid
SlurmdPidFile=$SLURM_LOCAL_DIR/run/slurmd.pid
SlurmctldLogFile=$SLURM_LOCAL_DIR/log/slurmctld.log
SlurmdLogFile=$SLURM_LOCAL_DIR/log/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
# no slurmdbd: sacct answers "Slurm accounting storage is disabled" (exit 1).
# Finished-job records go to a text file instead (one line per job, with ExitCode=).
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$SLURM_LOCAL_DIR/log/jobcomp.txt
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$SLURM_CONF.tmp" "$SLURM_CONF"
}

slurm_local_start() {
  local p i state
  slurm_local_install || { _sl_log "install failed"; return 1; }
  slurm_local_write_conf
  # munge: /run is a tmpfs without /run/munge; the key (made by the package's postinst) must stay
  # owned by munge, mode 0400/0600, and munged runs as the munge user.
  if ! _sl_pid /run/munge/munged.pid >/dev/null; then
    install -d -o munge -g munge -m 0755 /run/munge
    [ -s /etc/munge/munge.key ] || { mungekey --create --keyfile=/etc/munge/munge.key && chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key; }
    runuser -u munge -- /usr/sbin/munged || { _sl_log "munged failed: see /var/log/munge/munged.log"; return 1; }
  fi
  munge -n | unmunge >/dev/null || { _sl_log "munge round-trip failed"; return 1; }
  if ! _sl_pid "$SLURM_LOCAL_DIR/run/slurmctld.pid" >/dev/null; then
    slurmctld -f "$SLURM_CONF" || { _sl_log "slurmctld failed: see $SLURM_LOCAL_DIR/log/slurmctld.log"; return 1; }
  else
    scontrol reconfigure >/dev/null 2>&1 || true
  fi
  if ! _sl_pid "$SLURM_LOCAL_DIR/run/slurmd.pid" >/dev/null; then
    slurmd -f "$SLURM_CONF" -N "$SLURM_LOCAL_NODE" || { _sl_log "slurmd failed: see $SLURM_LOCAL_DIR/log/slurmd.log"; return 1; }
  fi
  # wait (up to 30 s) for the node to be idle (or mixed/allocated when jobs survived a restart)
  for i in $(seq 1 150); do
    state="$(sinfo -h -N -o '%T' 2>/dev/null | head -n1)" || state=""
    case "$state" in
      idle|mixed|allocated|completing) _sl_log "up: node $SLURM_LOCAL_NODE is $state"; return 0 ;;
      drain*|down*) scontrol update nodename="$SLURM_LOCAL_NODE" state=resume >/dev/null 2>&1 ;;
    esac
    sleep 0.2
  done
  _sl_log "node not idle after 30 s (state '$state'); logs in $SLURM_LOCAL_DIR/log"
  sinfo -R >&2
  return 1
}

# stop one daemon by the PID in its pid file; wait up to 10 s, then SIGKILL that PID
_sl_stop_pidfile() {
  local name="$1" f="$2" p i
  p="$(_sl_pid "$f")" || return 0
  kill -TERM "$p" 2>/dev/null
  for i in $(seq 1 100); do _sl_alive "$p" || { _sl_log "stopped $name ($p)"; return 0; }; sleep 0.1; done
  _sl_log "$name ($p) ignored SIGTERM, sending SIGKILL"; kill -KILL "$p" 2>/dev/null
}

slurm_local_stop() {
  local i
  # slurmd does not kill running jobs when it stops (their slurmstepd would outlive it): cancel them first
  if _sl_pid "$SLURM_LOCAL_DIR/run/slurmctld.pid" >/dev/null; then
    local ids
    ids="$(squeue -h -o %i 2>/dev/null || true)"   # scancel with no job id and no filter cancels nothing
    [ -n "$ids" ] && { scancel $ids >/dev/null 2>&1 || true; }
    for i in $(seq 1 100); do
      [ -z "$(squeue -h -t RUNNING,COMPLETING,PENDING,CONFIGURING -o %i 2>/dev/null || true)" ] && break; sleep 0.2
    done
  fi
  _sl_stop_pidfile slurmd "$SLURM_LOCAL_DIR/run/slurmd.pid"
  _sl_stop_pidfile slurmctld "$SLURM_LOCAL_DIR/run/slurmctld.pid"
  _sl_stop_pidfile munged /run/munge/munged.pid
}

slurm_local_status() {
  echo "munged:    $(_sl_pid /run/munge/munged.pid || echo stopped)"
  echo "slurmctld: $(_sl_pid "$SLURM_LOCAL_DIR/run/slurmctld.pid" || echo stopped)"
  echo "slurmd:    $(_sl_pid "$SLURM_LOCAL_DIR/run/slurmd.pid" || echo stopped)"
  sinfo 2>&1
}

slurm_local_clean() { slurm_local_stop; rm -rf "$SLURM_LOCAL_DIR"; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  case "${1:-start}" in
    start) slurm_local_start ;;
    stop) slurm_local_stop ;;
    status) slurm_local_status ;;
    clean) slurm_local_clean ;;
    *) echo "usage: $0 start|stop|status|clean" >&2; exit 2 ;;
  esac
fi
