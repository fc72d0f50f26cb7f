#!/bin/bash
# Where unbinding an instance waits (guest side): for each NR_RANGES, an
# instance of that many ranges of 2 MiB is set up and bound to device_dax
# (bench_bind --setup), and its unbinding is traced with the scheduler's
# sched_switch event and a kernel stack each time the writing task
# sleeps.  Each sleep is charged to its wait site: the first FRAMES
# frames of the stack below the scheduler (a sleep in state R is
# "preempted": the task was runnable, another one ran).  Writes
# OUT/waits-R.txt: the unbind's time, the time the task slept, then each
# wait site with its count and total, largest first; and
# OUT/trace-R.txt, the raw trace.
#
# Usage: waits.sh BINDIR OUT NR_RANGES...      (FRAMES=6 by default)
# From the host, for example (both kernels, 1 and 512 ranges):
#   for f in stock ours; do
#     scripts/vm --obj "$OBJ/$f-bench" --prealloc --no-memmap \
#       --append 'memmap=2G%4G-1+0xefffffff rcupdate.rcu_expedited=1' \
#       --run-dir /tmp/waits-$f -- bench/waits.sh ~/.cache/daxseries/bench/bin \
#       /run/daxrun/w 1 512
#   done
# and read /tmp/waits-*/w/waits-*.txt.  scripts/bench builds BINDIR.
set -uo pipefail

[ $# -ge 3 ] || { echo "usage: waits.sh BINDIR OUT NR_RANGES..." >&2; exit 2; }
bin=$1 out=$2
shift 2
frames=${FRAMES:-6}
T=/sys/kernel/tracing
[ -d $T/events/sched ] || mount -t tracefs tracefs $T || exit 1
mkdir -p "$out" || exit 1
modprobe -r kmem 2>/dev/null
modprobe device_dax && modprobe dax_hmem || exit 1

ev=$T/events/sched/sched_switch
echo 0 >$T/tracing_on
echo 65536 >$T/buffer_size_kb
for ranges in "$@"; do
	name=$("$bin/bench_bind" --setup "$ranges") || exit 1
	echo >$T/trace
	# The unbind is written by this subshell itself (echo is a builtin),
	# so that its pid is the one the trace follows.
	(
		pid=$BASHPID
		echo "prev_pid == $pid || next_pid == $pid" >$ev/filter
		echo "stacktrace if prev_pid == $pid" >$ev/trigger
		echo 1 >$ev/enable
		echo 1 >$T/tracing_on
		t0=$EPOCHREALTIME
		echo "$name" >/sys/bus/dax/drivers/device_dax/unbind
		t1=$EPOCHREALTIME
		echo 0 >$T/tracing_on
		echo 0 >$ev/enable
		echo "!stacktrace if prev_pid == $pid" >$ev/trigger
		echo 0 >$ev/filter
		echo "$pid ${t0/./} ${t1/./}" >"$out/pid-$ranges"
	)
	echo "$name" >/sys/bus/dax/drivers/device_dax/remove_id
	cp $T/trace "$out/trace-$ranges.txt"
	read -r pid t0 t1 <"$out/pid-$ranges"
	rm -f "$out/pid-$ranges"
	awk -v pid="$pid" -v frames="$frames" -v total_us="$((t1 - t0))" -v ranges="$ranges" \
	    -v kernel="$(uname -r)" '
	# the scheduler and the tracing itself: not part of a wait site
	function generic(f) {
		return f ~ /^(__schedule|schedule|preempt_schedule|preempt_schedule_common)$/ ||
		       f ~ /^(__traceiter|trace_|ftrace_|stack_trace|__ftrace|event_triggers|__bpf_trace)/
	}
	function ts(s) { sub(":", "", s); return s * 1e6 }
	/ sched_switch: / {
		t = ts($4 ~ /^[0-9.]+:$/ ? $4 : $3)
		if ($0 ~ "prev_pid=" pid " ") {
			out_t = t; state = $0; sub(/.*prev_state=/, "", state); sub(/ .*/, "", state)
			instack = 1; site = ""; n = 0
		} else if ($0 ~ "next_pid=" pid "( |$)" && out_t) {
			k = (site == "" ? "?" : site) (state == "R" || state == "R+" ? " (preempted)" : "")
			cnt[k]++; us[k] += t - out_t; slept += t - out_t; out_t = 0
		}
		next
	}
	instack && /^ => / {
		f = $2; sub(/\+.*/, "", f)
		if (!generic(f) && n < frames) { site = site (n ? " < " : "") f; n++ }
		next
	}
	/<stack trace>/ { next }
	{ instack = 0 }
	END {
		printf "kernel %s, unbind of %d range(s): %.3f ms, asleep %.3f ms (%d%%)\n",
			kernel, ranges, total_us / 1e3, slept / 1e3, total_us ? 100 * slept / total_us : 0
		for (k in cnt) printf "%10.3f ms %6d x  %s\n", us[k] / 1e3, cnt[k], k | "sort -rn"
	}' "$out/trace-$ranges.txt" >"$out/waits-$ranges.txt"
	cat "$out/waits-$ranges.txt"
done
