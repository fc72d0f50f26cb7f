#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Allocation failures in every step that allocates: region "create",
# growth in place and into a new range (a new mappingN), "mapping",
# device_dax bind (resources, page map, cdev), kmem bind (hot-add of two
# ranges) and the hmem region's own creation (region, its first instance
# and mapping0).  dax_fault makes the Nth allocation of the write fail
# through /proc/thread-self/fail-nth, for N = 1, 2, ... until the write
# completes with fewer allocations, once with failslab and once with
# fail_page_alloc consulted; every failure must leave the region as it
# was or exactly as the faultless write does (see dax_fault.c).
#
# Page allocation failures are not aimed at binds: the vmemmap of
# hot-plugged memory warns with a stack trace on its first failure, by
# design.  Nor does kmem's bind fail the allocation of a section's usage
# map (section_activate()), after which x86's add_pages() warns: that
# kmalloc cache (found with the kmem:kmalloc tracepoint) is left out of
# its sweep, and with it whatever else kmem allocates from it, such as
# its resource claims.  device_dax's bind keeps another instance of the
# same section bound, so that the section is active already.

. "$(dirname "$0")/dax_lib.sh"

dax_start
dbg=/sys/kernel/debug
fs=$dbg/failslab fp=$dbg/fail_page_alloc
if ! [ -w /proc/self/fail-nth ] || ! [ -d "$fs" ] || ! [ -d "$fp" ]; then
	dax_skip_all "needs CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, FAULT_INJECTION_DEBUG_FS"
fi
dax_reset
dd=$DAX_BUS/drivers/device_dax
km=$DAX_BUS/drivers/kmem
bs=$((0x$(cat $DAX_MEM/block_size_bytes)))
hmem=$(basename "$REGION_DEV")
hmem_drv=/sys/bus/platform/drivers/hmem
export DAX_REGION_DEV=$REGION_DEV DAX_REGION_START=$RSTART DAX_REGION_SIZE=$RSIZE

# ---- the fault attributes ----

# Only fail-nth injects: probability stays 0.  "times" counts the
# injections down from a large number.
TIMES=1000000
fi_knobs="verbose probability times ignore-gfp-wait"
declare -A saved
fi_save() {
	local a k
	for a in "$fs" "$fp"; do
		for k in $fi_knobs; do saved[$a/$k]=$(cat "$a/$k"); done
	done
	saved[$fs/cache-filter]=$(cat "$fs/cache-filter")
	saved[$fp/min-order]=$(cat "$fp/min-order")
	saved[$fp/ignore-gfp-highmem]=$(cat "$fp/ignore-gfp-highmem")
}
fi_restore() {
	local k
	for k in "${!saved[@]}"; do echo "${saved[$k]}" >"$k"; done
	slab_mark 0
}
fi_save
trap fi_restore EXIT
for a in "$fs" "$fp"; do
	echo 0 >"$a/verbose"
	echo 0 >"$a/probability"
	echo $TIMES >"$a/times"
	echo N >"$a/ignore-gfp-wait"
done
echo N >"$fp/ignore-gfp-highmem"

# slab_mark 0|1 [CACHE...]: set the failslab flag of every slab cache
# but CACHE...
slab_mark() {
	local v=$1 c
	shift
	for c in /sys/kernel/slab/*/; do
		c=${c%/}
		[[ " $* " == *" ${c##*/} "* ]] && continue
		echo "$v" >"$c/failslab" 2>/dev/null
	done
}

# fi_mode slab|page|slab-except CACHE...: what the Nth allocation is
fi_mode() {
	case $1 in
	slab)
		echo N >"$fs/cache-filter"
		echo 100 >"$fp/min-order" ;;	# fail_page_alloc never consulted
	page)
		slab_mark 0
		echo Y >"$fs/cache-filter"	# no cache marked: failslab never consulted
		echo 0 >"$fp/min-order" ;;
	slab-except)
		shift
		slab_mark 1 "$@"
		echo Y >"$fs/cache-filter"
		echo 100 >"$fp/min-order" ;;
	esac
}

# ---- sweeps ----

INJECTED=0
# sweep [-e ERRNOS] [-x ERRNO REASON] [-k REASON] DESCRIPTION MODE [CACHE...] -- ARGS...
# Run dax_fault with ARGS in fault mode MODE and report one line.
#   -e ERRNOS: what a failed write may return (ENOMEM by default)
#   -x: on 6.12, ERRNO too; a sweep that saw it is skipped for REASON
#   -k: on 6.12, a sweep that goes wrong is skipped for REASON
sweep() {
	local errnos=ENOMEM xerr='' why='' known='' desc mode=() out rc=0 n
	while [ $# -gt 0 ]; do
		case $1 in
		-e) errnos=$2; shift 2 ;;
		-x) xerr=$2 why=$3; shift 3 ;;
		-k) known=$2; shift 2 ;;
		*) break ;;
		esac
	done
	desc=$1
	shift
	while [ "$1" != -- ]; do mode+=("$1"); shift; done
	shift
	dax_stock && [ -n "$xerr" ] && errnos+=,$xerr
	fi_mode "${mode[@]}"
	out=$("$DAX_DIR/dax_fault" -e "$errnos" "$@") || rc=$?
	grep '^#' <<<"$out"
	n=$(sed -n 's/^dax_fault .* injected=\([0-9]*\) .*/\1/p' <<<"$out")
	INJECTED=$((INJECTED + ${n:-0}))
	desc+=" (${mode[0]}: ${n:-0} faults)"
	if dax_stock && [ -n "$known" ] && [ $rc != 0 ]; then
		dax_skip "$desc" "$known"
	elif [ $rc = 0 ] && dax_stock && [ -n "$xerr" ] && grep -q "[( ]$xerr:" <<<"$out"; then
		dax_skip "$desc" "$why"
	elif [ $rc = 0 ] && [ "${n:-0}" -gt 0 ]; then
		ktap_test_pass "$desc"
	elif [ $rc = 0 ] && [ "${mode[0]}" = page ]; then
		dax_skip "$desc" "no page allocation reached"
	else
		ktap_test_fail "$desc"
	fi
}

# both [OPTIONS] DESCRIPTION ARGS...: a sweep with failslab, one with
# fail_page_alloc
both() {
	local opts=()
	while [[ $1 == -* ]]; do
		case $1 in
		-x) opts+=("$1" "$2" "$3"); shift 3 ;;
		*) opts+=("$1" "$2"); shift 2 ;;
		esac
	done
	local desc=$1
	shift
	sweep "${opts[@]}" "$desc" slab -- "$@"
	sweep "${opts[@]}" "$desc" page -- "$@"
}

# 6.12 deadlocks when a new instance's devres action cannot be allocated,
# answers EINVAL for some allocation failures, and keeps a dangling page
# map pointer after a failed device_dax probe.
DEADLOCK="6.12 bug: when devm_add_action_or_reset() fails to allocate in"
DEADLOCK+=" __devm_create_dev_dax(), unregister_dev_dax() takes dax_region_rwsem,"
DEADLOCK+=" which its caller holds: deadlock"
NONAME="6.12 bug: EINVAL when dev_set_name() fails: its result is not checked"
NONAME+=" and device_add() refuses the nameless device"
NOSTR="6.12 bug: EINVAL when kstrdup() fails in range_parse(), or when"
NOSTR+=" dev_set_name() fails (unchecked)"
PGMAP="6.12 bug: a failed probe leaves dev_dax->pgmap pointing at the freed"
PGMAP+=" page map: every later bind fails with EINVAL"

# A taken-back write must restore the region: check after each scenario.
scenario_end() {
	check "$1: accounting" "$(dax_accounting)" ok
	dax_reset
}

# region create
if ! stock_bug "create" "$DEADLOCK"; then
	both "create" create "$REGION/create" 1 "$REGION/delete" @youngest
	scenario_end create
fi

# growth in place: the last range is extended
a=$(dax_new $((2 * MiB)))
both "grow $a in place" grow "$DAX_BUS/devices/$a/size" $((4 * MiB)) \
	"$DAX_BUS/devices/$a/size" $((2 * MiB))
scenario_end "grow in place"

# growth past another instance (made right after it): a second range
# and its mapping1
a=$(dax_new $((2 * MiB))) && dax_new $((2 * MiB)) >/dev/null ||
	ktap_exit_fail_msg "cannot make an instance and its neighbour"
both -x EINVAL "$NONAME" "grow $a into a new range" grow-split \
	"$DAX_BUS/devices/$a/size" $((6 * MiB)) "$DAX_BUS/devices/$a/size" $((2 * MiB))
check "$a has one range again" "$(dax_mappings "$a")" mapping0

# mapping: an exact range, a second one for the same instance
free=$(printf '%#x-%#x' $((RSTART + RSIZE - 2 * MiB)) $((RSTART + RSIZE - 1)))
both -x EINVAL "$NOSTR" "mapping $free for $a" mapping \
	"$DAX_BUS/devices/$a/mapping" "$free" "$DAX_BUS/devices/$a/size" $((2 * MiB))
scenario_end "grow and mapping"

# device_dax bind of an instance of two ranges, in the section of a
# bound one (the guard), with another instance between its ranges
guard=$(dax_new $((2 * MiB)))
echo "$guard" >"$dd/new_id"
t=$(dax_new $((2 * MiB)))
dax_new $((2 * MiB)) >/dev/null
echo $((4 * MiB)) >"$DAX_BUS/devices/$t/size"
echo "$t" >"$dd/new_id" && echo "$t" >"$dd/unbind"
check "device_dax bind: $guard bound, $t unbound in two ranges" \
	"$(dax_driver "$guard") $(dax_driver "$t") $(dax_mappings "$t")" \
	"device_dax none mapping0 mapping1"
# EBUSY: a resource claim that cannot be allocated looks like a busy range
sweep -e ENOMEM,EBUSY -k "$PGMAP" "device_dax bind $t" slab -- \
	dd-bind "$dd/bind" "$t" "$dd/unbind" "$t"
scenario_end "device_dax bind"

# kmem bind of an instance of two memory blocks, apart
k=$(dax_new 0)
printf '%#x-%#x' $((RSTART + bs)) $((RSTART + 2 * bs - 1)) >"$DAX_BUS/devices/$k/mapping"
printf '%#x-%#x' $((RSTART + 3 * bs)) $((RSTART + 4 * bs - 1)) >"$DAX_BUS/devices/$k/mapping"
check "kmem bind: $k has two memory blocks" \
	"$(dax_memory_blocks "$k" | wc -l) $(dax_mappings "$k")" "2 mapping0 mapping1"

# The kmalloc caches that section_activate() allocates from in a bind.
kmalloc_class() {
	local n=$1 s
	for s in 8 16 32 64 96 128 192 256 512 1k 2k 4k 8k; do
		local b=${s/k/*1024}
		if [ "$n" -le $((b)) ]; then echo "kmalloc-$s"; return; fi
	done
}
section_caches() {
	local t=/sys/kernel/tracing/events/kmem/kmalloc tr=/sys/kernel/tracing n re
	echo 'comm == "dax_write"' >"$t/filter" && echo 1 >"$t/enable" || return 1
	echo >"$tr/trace"
	dax_write "$km/bind" "$k" >/dev/null
	echo 0 >"$t/enable"
	echo 0 >"$t/filter"
	dax_write "$km/unbind" "$k" >/dev/null
	# section_activate() may be inlined into sparse_add_section()
	re='s/.*call_site=(section_activate|sparse_add_section)\+.*bytes_req=([0-9]*) .*/\2/p'
	sed -En "$re" "$tr/trace" | sort -u | while read -r n; do
		kmalloc_class "$n"
	done
}
if caches=$(section_caches) && [ -n "$caches" ]; then
	ktap_print_msg "kmem bind: section_activate() allocates from ${caches//$'\n'/ }: left out"
	# shellcheck disable=SC2086
	sweep -e ENOMEM,EBUSY,EEXIST "kmem bind $k" slab-except $caches -- -p \
		kmem-bind "$km/bind" "$k" "$km/unbind" "$k"
else
	dax_skip "kmem bind $k" "cannot find section_activate()'s cache (kmem:kmalloc tracepoint)"
fi
scenario_end "kmem bind"

# The hmem region itself: the region, daxN.0 over all of it and its
# mapping0, left unbound (no autoprobe) so that kmem does not take it.
if ! stock_bug "hmem region $hmem" "$DEADLOCK"; then
	echo 0 >"$DAX_BUS/drivers_autoprobe"
	echo "$hmem" >"$hmem_drv/unbind"
	both "hmem region $hmem" hmem "$hmem_drv/bind" "$hmem" "$hmem_drv/unbind" "$hmem"
	echo "$hmem" >"$hmem_drv/bind"
	echo 1 >"$DAX_BUS/drivers_autoprobe"
	check "$hmem is back with its whole first instance" \
		"$(dax_attr "dax$RID.0" size) $(dax_driver "dax$RID.0")" "$RSIZE none"
	scenario_end "hmem region"
fi

counted=$(( (TIMES - $(cat "$fs/times")) + (TIMES - $(cat "$fp/times")) ))
check "debugfs counted every injected fault ($INJECTED)" "$counted" "$INJECTED"
ktap_print_msg "$INJECTED faults injected"
dax_done
