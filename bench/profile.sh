#!/bin/bash
# The guest side of a profile: one benchmark program under perf (Debian's
# linux-perf from the host's root; the bench config has PERF_EVENTS).
# cpu-clock sampling of every CPU with call chains; writes to OUT:
# result.txt (the program's output), flat.txt (self time per symbol) and
# children.txt (time including callees).
#
# Usage: profile.sh BINDIR OUT [--kmem] PROGRAM [ARG...]
#   --kmem  load kmem too (bench_kmem needs it)
# From the host, for example (the fault path with 512 ranges, at 4K):
#   scripts/vm --obj "$OBJ/ours-bench" --prealloc --no-memmap \
#     --append 'memmap=2G%4G-1+0xefffffff rcupdate.rcu_expedited=1' \
#     --run-dir /tmp/prof -- bench/profile.sh ~/.cache/daxseries/bench/bin \
#     /run/daxrun/p bench_fault 512 4096
# and read /tmp/prof/p/*.txt.  scripts/bench builds the programs in BINDIR.
set -uo pipefail

[ $# -ge 3 ] || { echo "usage: profile.sh BINDIR OUT [--kmem] PROGRAM [ARG...]" >&2; exit 2; }
bin=$1 out=$2
shift 2
kmem=
[ "$1" = --kmem ] && { kmem=1; shift; }
command -v perf >/dev/null || { echo "no perf: apt install linux-perf on the host" >&2; exit 1; }
mkdir -p "$out" || exit 1
modprobe -r kmem 2>/dev/null
modprobe device_dax && modprobe dax_hmem || exit 1
[ -z "$kmem" ] || modprobe kmem || exit 1

data=/run/profile.data
perf record -q -F 2000 -a -g -o "$data" -- "$bin/$1" "${@:2}" >"$out/result.txt" 2>&1
rc=$?
perf report -i "$data" --stdio --no-children --sort sym -g none --percent-limit 0.5 \
	>"$out/flat.txt" 2>/dev/null
perf report -i "$data" --stdio --children --sort sym -g none --percent-limit 1 \
	>"$out/children.txt" 2>/dev/null
cat "$out/result.txt"
exit $rc
