#!/usr/bin/env bash
# A one-node Slurm cluster on localhost, for testing the batch recipe (scripts/slurm/submit-study.sh) for real.
#
#   scripts/slurm/local-cluster.sh start STATE_DIR   # prints the SLURM_CONF to export
#   scripts/slurm/local-cluster.sh stop  STATE_DIR
#
# Needs Debian's slurm-wlm and munge and root (slurmd runs jobs as their submitting user). Everything lives in
# STATE_DIR: its own munge key and socket, slurm.conf, spool, logs and pid files, and two free loopback ports, so
# it touches neither /etc nor a cluster the machine may already belong to. No systemd, no cgroups
# (proctrack/linuxproc, task/none), no accounting database.
set -euo pipefail

cmd=${1:?usage: local-cluster.sh start|stop STATE_DIR}
dir=${2:?usage: local-cluster.sh start|stop STATE_DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

free_port() {
  node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"
}

stop() {
  for p in slurmd slurmctld munged; do
    if [ -f "$dir/$p.pid" ]; then
      pid=$(cat "$dir/$p.pid" 2>/dev/null || true)
      [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    fi
  done
  # Give the daemons a moment to exit, then make sure.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    alive=0
    for p in slurmd slurmctld munged; do
      pid=$(cat "$dir/$p.pid" 2>/dev/null || true)
      [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && alive=1
    done
    [ $alive -eq 0 ] && break
    sleep 0.3
  done
  for p in slurmd slurmctld munged; do
    pid=$(cat "$dir/$p.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/$p.pid"
  done
}

case "$cmd" in
stop)
  stop
  exit 0
  ;;
start) ;;
*)
  echo "local-cluster.sh: unknown command '$cmd' (expected start or stop)" >&2
  exit 2
  ;;
esac

for b in munged mungekey slurmctld slurmd sbatch; do
  command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || {
    echo "local-cluster.sh: '$b' not found: apt-get install slurm-wlm munge" >&2
    exit 2
  }
done
export PATH="/usr/sbin:$PATH"

mkdir -p "$dir/munge" "$dir/spool/ctld" "$dir/spool/d" "$dir/log"
chmod 700 "$dir/munge"
[ -f "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null
chmod 600 "$dir/munge/munge.key"

munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.sock" \
  --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munge.seed"

cpus=$(nproc)
ctld_port=$(free_port)
d_port=$(free_port)
host=$(hostname -s)
cat >"$dir/slurm.conf" <<CONF
ClusterName=qmisid-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.sock
StateSaveLocation=$dir/spool/ctld
SlurmdSpoolDir=$dir/spool/d
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1024 State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"

# Ready when the node answers as idle (or mixed/allocated: jobs can be queued).
for _ in $(seq 1 100); do
  state=$(sinfo -h -N -o '%t' 2>/dev/null | head -n 1 || true)
  case "$state" in
  idle* | mix* | alloc*)
    echo "SLURM_CONF=$SLURM_CONF"
    exit 0
    ;;
  esac
  sleep 0.2
done
echo "local-cluster.sh: the node did not come up (state '${state:-none}'); logs in $dir/log" >&2
stop
exit 1
