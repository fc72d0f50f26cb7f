# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of stress.sh, lifetime.sh and regressions.sh, sourced after
# dax_lib.sh.
#
# Memory of the region that stays System RAM until reboot: kmem unbound (or
# unloaded) while that memory was online keeps its claim in /proc/iomem
# (kmem_online.sh and lifetime.sh leave such a block behind on purpose), and
# device_dax cannot claim that range again.  dax_pad_kept hands every such
# range to an instance of its own, "the pad", so that the instances a test
# makes first fit land where device_dax can bind them.  dax_reset deletes
# the pad with the rest.

# The outermost claims in /proc/iomem inside the region, other than the
# Soft Reserved range itself, as "START END" in decimal, rounded out to
# 2 MiB.  Run after dax_reset, when no instance of the region is bound.
dax_kept_ranges() {
	local rend=$((RSTART + RSIZE - 1)) last=-1 line s e
	local re='^ *([0-9a-f]+)-([0-9a-f]+) : (.*)$'

	while IFS= read -r line; do
		[[ $line =~ $re ]] || continue
		[ "${BASH_REMATCH[3]}" = "Soft Reserved" ] && continue
		s=$((0x${BASH_REMATCH[1]})) e=$((0x${BASH_REMATCH[2]}))
		((s >= RSTART && e <= rend && s > last)) || continue
		last=$e
		echo "$((s & ~(2 * MiB - 1))) $(((e | (2 * MiB - 1))))"
	done </proc/iomem
}

# Print the name of a new instance holding every kept range, or nothing
# when there is none; fail if the ranges cannot be claimed.
dax_pad_kept() {
	local s e pad=

	while read -r s e; do
		if [ -z "$pad" ]; then
			echo 1 >"$REGION/create" || return 1
			pad=$(cat "$REGION/create")
		fi
		printf '%#x-%#x' "$s" "$e" >"$DAX_BUS/devices/$pad/mapping" || return 1
	done < <(dax_kept_ranges)
	echo "$pad"
}

# A process holding /dev/DEV open and mapped (dax_hold.c), driven as a
# coprocess.  hold_start DEV LENGTH starts it, not in a subshell, and sets
# HOLD_FIRST to its first line ("ready").
hold_start() {
	coproc HOLD { "$DAX_DIR/dax_hold" "$1" "$2"; }
	HOLD_FIRST=$(hold_reply)
}

hold_reply() {
	local reply=timeout

	read -r -t 120 reply <&"${HOLD[0]}"
	echo "$reply"
}

# hold CMD: send a command to dax_hold and print its answer.
hold() {
	echo "$1" >&"${HOLD[1]}"
	hold_reply
}

# hold_stop: quit dax_hold, not in a subshell; its exit status goes to HOLD_RC.
hold_stop() {
	local pid=$HOLD_PID

	echo quit >&"${HOLD[1]}"
	HOLD_RC=0
	wait "$pid" || HOLD_RC=$?
}
