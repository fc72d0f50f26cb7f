# shellcheck shell=bash
# TAP helpers for the tests that run inside the guest (tests/guest/*.sh):
# plain "ok N - ..." lines, counted by scripts/test.  Sourced.

TAP_N=0 TAP_FAILED=0
GiB=$((1 << 30)) MiB=$((1 << 20))

tap_ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
tap_fail() { TAP_N=$((TAP_N + 1)); echo "not ok $TAP_N - $*"; TAP_FAILED=1; }
tap_note() { echo "# $*"; }
tap_done() { echo "1..$TAP_N"; exit "$TAP_FAILED"; }

# check DESCRIPTION GOT WANT
check() {
	if [ "$2" = "$3" ]; then
		tap_ok "$1"
	else
		tap_note "$1: got '$2', want '$3'"
		tap_fail "$1"
	fi
}

# True on stock 6.12 (its release ends in "-stock", see scripts/build).
stock() { case $(uname -r) in *-stock) return 0 ;; *) return 1 ;; esac; }

# check_fixed DESCRIPTION GOT WANT REASON: check, but where stock 6.12
# answers otherwise because of a bug we fixed, report it there as
# skipped, naming the bug (REASON: "6.12 bug: ...").
check_fixed() {
	if stock && [ "$2" != "$3" ]; then
		tap_note "$1: got '$2' ($4)"
		TAP_N=$((TAP_N + 1))
		echo "ok $TAP_N - $1 # SKIP $4"
		return
	fi
	check "$1" "$2" "$3"
}

# skip_on_stock DESCRIPTION REASON: on stock, report a check as skipped
# and succeed, so that "skip_on_stock D R || check D ..." does not even
# run it (for checks that would hurt 6.12: an oops); fail elsewhere.
skip_on_stock() {
	stock || return 1
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

# show COMMAND...: print a command and its output, as a comment.
show() {
	local out rc=0
	out=$("$@" 2>&1) || rc=$?
	tap_note "\$ $*"
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/#   /'
	return $rc
}

# The id of the hmem region (daxctl's "path" /platform/hmem.0).
hmem_region() {
	daxctl list -R | jq '.[] | select(.path == "/platform/hmem.0") | .id'
}

# The whole layout of region $R, as one line of JSON with sorted keys.
layout() { daxctl list -R -D -M -i -r "$R" | jq -S -c '.[0]'; }

# dev_json DEV: daxctl's JSON of one device, with its mappings.
dev_json() { daxctl list -M -d "$1" | jq -c '.[0]'; }

# djq DEV FILTER: a jq filter applied to daxctl's JSON of DEV.
djq() { dev_json "$1" | jq -r "$2"; }

# daxctl leaves available_size out when it is zero.
avail() { daxctl list -R -r "$R" | jq '.[0].available_size // 0'; }

memtotal() { echo $(($(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo) * 1024)); }

driver() {
	local l=/sys/bus/dax/devices/$1/driver
	if [ -e "$l" ]; then l=$(readlink -f "$l"); echo "${l##*/}"; else echo none; fi
}

# The states of the memory blocks of DEV's ranges, counted: "online=8",
# "offline=2 online=6" (absent blocks as "absent").  Shell builtins only:
# a process costs a quarter of a second in the debug guest.
block_states() {
	local bs m s e b st k out=()
	local -A n=()
	read -r bs </sys/devices/system/memory/block_size_bytes
	bs=$((0x$bs))
	for m in /sys/bus/dax/devices/"$1"/mapping[0-9]*; do
		[ -d "$m" ] || continue
		read -r s <"$m/start"
		read -r e <"$m/end"
		for ((b = s / bs; b <= e / bs; b++)); do
			st=absent
			[ -r "/sys/devices/system/memory/memory$b/state" ] &&
				read -r st <"/sys/devices/system/memory/memory$b/state"
			n[$st]=$((${n[$st]:-0} + 1))
		done
	done
	for k in absent offline online; do
		[ -z "${n[$k]:-}" ] || out+=("$k=${n[$k]}")
		unset "n[$k]"
	done
	for k in "${!n[@]}"; do
		out+=("$k=${n[$k]}")
	done
	echo "${out[*]}"
}

# present PATH: "present" or "gone"
present() { if [ -e "$1" ]; then echo present; else echo gone; fi; }
