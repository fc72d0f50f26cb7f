#!/bin/bash
# The guest side of scripts/bench: run every benchmark REPS times, round
# robin (one of each per round, so drift spreads over all of them), and
# append their RESULT lines to RAW, each prefixed with the kernel release
# and the round.  kmem goes last, in rounds of its own: once the module is
# loaded it would take instances of the hmem region by default.
#
# color is for the HMAT guest (scripts/vm --hmat --hmat-cache 4M): the
# 4K and 2M fault path of a 1 GiB instance in cache color 0 of 2 (512
# ranges of 2 MiB), and of a contiguous one, in the same boot, in either
# order by turns (use an even number of rounds).
#
# Usage: guest.sh BINDIR RAW REPS [BENCH...]
#        (BENCH: ctl fault memmap kmem bind, the default; or color)
set -uo pipefail

bin=$1 raw=$2 reps=$3
shift 3
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(ctl fault memmap kmem bind)
kernel=$(uname -r)
failed=0

want() { [[ " ${benches[*]} " == *" $1 "* ]]; }

# run ROUND PROGRAM ARG...: one benchmark, its results tagged.
run() {
	local round=$1 start out rc=0
	shift
	start=$(date +%s.%N)
	out=$("$bin/$1" "${@:2}") || rc=$?
	printf '%s\n' "$out" | sed -n "s/^RESULT /kernel=$kernel round=$round /p" >>"$raw"
	printf '%-28s %6.1fs%s\n' "$*" "$(echo "$(date +%s.%N) - $start" | bc)" \
		"$([ $rc = 0 ] || echo " FAILED ($rc)")"
	[ $rc = 0 ] || failed=1
}

modprobe -r kmem 2>/dev/null
modprobe device_dax && modprobe dax_hmem || exit 1
[ -d /sys/bus/dax/drivers/kmem ] && { echo "kmem is loaded" >&2; exit 1; }
echo "kernel $kernel: $reps rounds of: ${benches[*]}"
for ((round = 1; round <= reps; round++)); do
	if want ctl; then
		for n in 64 256 1000; do run "$round" bench_ctl "$n"; done
	fi
	if want bind; then
		# with the boot's expedited grace periods, then normal ones
		for rcu in 1 0; do
			echo $rcu >/sys/kernel/rcu_expedited || exit 1
			for ranges in 1 512; do run "$round" bench_bind "$ranges" 3; done
		done
		echo 1 >/sys/kernel/rcu_expedited
	fi
	if want fault; then
		# one fragmentation of the region serves both aligns
		for ranges in 1 512; do
			run "$round" bench_fault "$ranges" 4096 2097152
		done
	fi
	if want color; then
		# contiguous first in odd rounds, colored first in even ones:
		# whichever runs second may meet work the first one's teardown
		# left behind
		if ((round % 2)); then
			run "$round" bench_fault 1 4096 2097152
			run "$round" bench_fault --colors 2 512 4096 2097152
		else
			run "$round" bench_fault --colors 2 512 4096 2097152
			run "$round" bench_fault 1 4096 2097152
		fi
	fi
	if want memmap; then
		for align in 4096 2097152 1073741824; do
			run "$round" bench_memmap "$align"
		done
	fi
done
if want kmem; then
	modprobe kmem || exit 1
	for ((round = 1; round <= reps; round++)); do
		run "$round" bench_kmem
	done
fi
exit $failed
