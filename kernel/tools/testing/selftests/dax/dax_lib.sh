# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the device-dax selftests: find the hmem region, put it back
# in a known state, write sysfs attributes expecting an exact errno, and
# report KTAP results.  Sourced by the tests; needs root.

DAX_DIR=$(dirname "$(readlink -f "$0")")
# shellcheck source=../kselftest/ktap_helpers.sh
. "$DAX_DIR/../kselftest/ktap_helpers.sh"

DAX_BUS=/sys/bus/dax
DAX_MEM=/sys/devices/system/memory
MiB=$((1 << 20))
GiB=$((1 << 30))

# Every check prints a KTAP line; the plan is printed at the end.
dax_start() {
	dax_header
	dax_prepare
}

DAX_HEADER=
dax_header() {
	[ -n "$DAX_HEADER" ] || ktap_print_header
	DAX_HEADER=1
}

# dax_skip_all REASON: skip the whole program.
dax_skip_all() {
	dax_header
	ktap_skip_all "$1"
	exit "$KSFT_SKIP"
}

# Check for root and find the region without printing anything, for a
# script whose program prints its own KTAP (see dax_mmap.sh).
dax_prepare() {
	[ "$(id -u)" = 0 ] || dax_skip_all "needs root"
	dax_setup
}

# Load the drivers and find the hmem region.
dax_setup() {
	local m
	for m in device_dax kmem dax_hmem; do
		modprobe -q "$m" 2>/dev/null
	done
	REGION_DEV=$(dax_hmem_region_dev)
	[ -n "$REGION_DEV" ] ||
		dax_skip_all "no hmem dax region (boot with memmap=2G%4G-1+0xefffffff)"
	REGION=$REGION_DEV/dax_region
	RID=$(cat "$REGION/id")
	RSIZE=$(cat "$REGION/size")
	RSTART=$(dax_region_start)
}

dax_done() {
	ktap_set_plan $((KTAP_TESTNO - 1))
	ktap_finished
}

# The platform device of the first hmem region.
dax_hmem_region_dev() {
	local d
	for d in /sys/bus/platform/devices/hmem.*; do
		[ -d "$d/dax_region" ] && { readlink -f "$d"; return; }
	done
}

# The first "Soft Reserved" range of /proc/iomem as "START END" in hex.
dax_soft_reserved() {
	sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Soft Reserved$/\1 \2/p' /proc/iomem |
		head -1
}

dax_region_start() {
	local start end
	read -r start end <<<"$(dax_soft_reserved)"
	echo $((0x$start))
}

# Read an attribute of a dax device.
dax_attr() { cat "$DAX_BUS/devices/$1/$2"; }

dax_driver() {
	local link=$DAX_BUS/devices/$1/driver
	if [ -e "$link" ]; then basename "$(readlink -f "$link")"; else echo none; fi
}

# The dax devices of the region, by name.
dax_region_devices() {
	local d
	for d in "$REGION_DEV"/dax"$RID".*; do
		[ -d "$d" ] && basename "$d"
	done
}

dax_avail() { cat "$REGION/available_size"; }

# pattern DEV SIZE write|check SEED: "ok", "mismatch", or "error N" when
# the device could not be mapped or the program died (see dax_pattern.c).
pattern() {
	local rc=0
	"$DAX_DIR/dax_pattern" "/dev/$1" "$2" "$3" "$4" 2>/dev/null || rc=$?
	case $rc in 0) echo ok ;; 1) echo mismatch ;; *) echo "error $rc" ;; esac
}

# present PATH: "present" or "gone"
present() { [ -e "$1" ] && echo present || echo gone; }

# The mappingN directories of a dax device, space separated.
dax_mappings() { (cd "$DAX_BUS/devices/$1" && echo mapping[0-9]*) | sed 's/mapping\[0-9\]\*//'; }

# START,END,PAGE_OFFSET of mapping N of a dax device, in decimal.
dax_mapping() {
	local m=$DAX_BUS/devices/$1/mapping$2
	echo "$(($(cat "$m/start"))),$(($(cat "$m/end"))),$(($(cat "$m/page_offset")))"
}

# The number of /proc/iomem lines naming RANGE (hex start-end) as NAME.
iomem_count() { grep -c "^ *$1 : $2\$" /proc/iomem; }

# dax_write FILE STRING: the errno name of writing STRING to FILE, or OK;
# FILE "-" is standard input, open for writing.
dax_write() { "$DAX_DIR/dax_write" "$1" "$2"; }

# MemTotal in bytes.
dax_memtotal() { echo $(($(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo) * 1024)); }

# The memory blocks spanned by the ranges of a dax device.
dax_memory_blocks() {
	local bs m start end b
	bs=$((0x$(cat $DAX_MEM/block_size_bytes)))
	for m in "$DAX_BUS/devices/$1"/mapping[0-9]*; do
		[ -d "$m" ] || continue
		start=$(($(cat "$m/start"))) end=$(($(cat "$m/end")))
		for ((b = start / bs; b <= end / bs; b++)); do
			echo "$b"
		done
	done
}

# Set every memory block of a dax device to STATE (online_movable|offline).
dax_memory_set() {
	local b rc=0 want=online
	[ "$2" = offline ] && want=offline
	for b in $(dax_memory_blocks "$1"); do
		[ -e "$DAX_MEM/memory$b/state" ] || continue
		[ "$(cat "$DAX_MEM/memory$b/state")" = "$want" ] && continue
		echo "$2" >"$DAX_MEM/memory$b/state" || rc=1
	done
	return $rc
}

# Count the memory blocks of a dax device that exist and are in STATE
# (online, offline, or any).
dax_memory_count() {
	local b n=0 state
	for b in $(dax_memory_blocks "$1"); do
		state=$(cat "$DAX_MEM/memory$b/state" 2>/dev/null) || continue
		[ "$2" = any ] || [ "$state" = "$2" ] && n=$((n + 1))
	done
	echo $n
}

dax_unbind() {
	local drv
	drv=$(dax_driver "$1")
	[ "$drv" = none ] && return 0
	[ "$drv" = kmem ] && dax_memory_set "$1" offline
	echo "$1" >"$DAX_BUS/drivers/$drv/unbind"
}

# Forget DEV in every driver's new_id list.
dax_forget_id() {
	local drv
	for drv in "$DAX_BUS"/drivers/*; do
		echo "$1" >"$drv/remove_id" 2>/dev/null
	done
	return 0
}

# Put the region back to one instance, dax<id>.0, unbound and empty.
dax_reset() {
	local dev op
	for dev in $(dax_region_devices); do
		# The region's first instance cannot be deleted, only emptied.
		op=dax_destroy
		[ "$dev" = "dax$RID.0" ] && op=dax_empty
		$op "$dev" || ktap_exit_fail_msg "cannot reset $dev"
	done
	[ "$(dax_avail)" = "$RSIZE" ] ||
		ktap_exit_fail_msg "region not empty after reset: $(dax_avail) of $RSIZE"
}

# dax_new SIZE [ALIGN]: create an instance through the region's "create",
# set its align and size, and print its name.
dax_new() {
	local dev
	echo 1 >"$REGION/create" || return 1
	# The seed stays the oldest unbound instance; "create" names the newest.
	dev=$(cat "$REGION/create")
	[ -n "$dev" ] || return 1
	if [ -n "${2:-}" ]; then
		echo "$2" >"$DAX_BUS/devices/$dev/align" || return 1
	fi
	echo "$1" >"$DAX_BUS/devices/$dev/size" || return 1
	echo "$dev"
}

# dax_empty DEV: unbind an instance and give its space back.
dax_empty() {
	dax_unbind "$1" && dax_forget_id "$1" && echo 0 >"$DAX_BUS/devices/$1/size"
}

# dax_destroy DEV: empty an instance and delete it.
dax_destroy() { dax_empty "$1" && echo "$1" >"$REGION/delete"; }

# "ok" when available_size plus the sizes of all instances is the region size.
dax_accounting() {
	local dev sum
	sum=$(dax_avail)
	for dev in $(dax_region_devices); do
		sum=$((sum + $(dax_attr "$dev" size)))
	done
	[ "$sum" = "$RSIZE" ] && echo ok || echo "off by $((sum - RSIZE))"
}

# check DESCRIPTION GOT WANT
check() {
	if [ "$2" = "$3" ]; then
		ktap_test_pass "$1"
	else
		ktap_print_msg "$1: got '$2', want '$3'"
		ktap_test_fail "$1"
	fi
}

# check_write DESCRIPTION FILE STRING WANT (OK or an errno name)
check_write() {
	check "$1" "$(dax_write "$2" "$3")" "$4"
}

# True on stock 6.12, the kernel the tests compare against: its release
# ends in "-stock".  Where 6.12 has a known bug, its checks are reported
# as skipped there, naming the bug, and assert the fixed behaviour on ours.
dax_stock() { case $(uname -r) in *-stock) return 0 ;; *) return 1 ;; esac; }

# dax_skip DESCRIPTION REASON: report one check as skipped.
dax_skip() {
	__ktap_test ok "$1" "SKIP $2"
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
}

# stock_bug DESCRIPTION REASON: on stock, report the check as skipped for
# REASON ("6.12 bug: ...") and succeed, so that "stock_bug ... || check ..."
# does not make the write at all (6.12 would act on it); fail elsewhere.
stock_bug() {
	dax_stock || return 1
	dax_skip "$1" "$2"
}

# dax_snapshot VAR: store the region's layout in VAR, in one line:
# available_size and, for each instance, its size, align,
# memmap_on_memory, driver and ranges.  Equal snapshots mean nothing
# changed.  Only shell builtins, no process: it runs around every write
# of bad_input.sh, in a slow guest.
dax_snapshot() {
	local -n snap=$1
	local dev name f m v
	read -r v <"$REGION/available_size"
	snap="avail=$v"
	for dev in "$REGION_DEV"/dax"$RID".*; do
		[ -d "$dev" ] || continue
		name=${dev##*/}
		snap+=" $name"
		for f in size align memmap_on_memory; do
			read -r v <"$dev/$f"
			snap+=":$v"
		done
		for f in "$DAX_BUS"/drivers/*/"$name"; do
			[ -L "$f" ] && { f=${f%/*}; snap+=":${f##*/}"; }
		done
		for m in "$dev"/mapping[0-9]*; do
			[ -d "$m" ] || continue
			for f in start end page_offset; do
				read -r v <"$m/$f"
				snap+=":$v"
			done
		done
	done
}

# check_refused DESCRIPTION FILE STRING WANT: the write fails with the errno
# WANT (or, for a write accepted as a no-op, answers OK) and leaves the
# region's layout as it was.
check_refused() {
	local before after got
	dax_snapshot before
	got=$(dax_write "$2" "$3")
	dax_snapshot after
	if [ "$got" = "$4" ] && [ "$after" = "$before" ]; then
		ktap_test_pass "$1"
		return
	fi
	ktap_print_msg "$1: got '$got', want '$4'"
	[ "$after" = "$before" ] ||
		ktap_print_msg "layout changed from '$before' to '$after'"
	ktap_test_fail "$1"
}

# check_refused_fixed / check_write_fixed DESCRIPTION FILE STRING WANT
# REASON: check_refused / check_write, but on stock, where 6.12 answers
# this write otherwise (REASON: "6.12 bug: ..." or "6.12 differs: ...")
# while changing nothing, the write is made and the check reported as
# skipped.
__check_fixed() {
	local check=$1
	shift
	if dax_stock; then
		dax_write "$2" "$3" >/dev/null
		dax_skip "$1" "$5"
	else
		"$check" "$1" "$2" "$3" "$4"
	fi
}
check_refused_fixed() { __check_fixed check_refused "$@"; }
check_write_fixed() { __check_fixed check_write "$@"; }
