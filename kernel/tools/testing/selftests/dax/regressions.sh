#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Regression tests for device-dax bugs fixed upstream since Linux 5.10,
# each written so that it fails, or makes the kernel report (KASAN,
# lockdep, kmemleak, a warning), where the bug is back.  The comment above
# each section names the upstream fix.  The debug options of the test
# kernel do half of the checking: the guest run fails on any report.

. "$(dirname "$0")/dax_lib.sh"
. "$DAX_DIR/dax_helpers.sh"

dax_start
dd=$DAX_BUS/drivers/device_dax
km=$DAX_BUS/drivers/kmem
hp=/sys/bus/platform/drivers/hmem_platform
hd=/sys/bus/platform/drivers/hmem
idle=/sys/module/dax_hmem/parameters/region_idle
bs=$((0x$(cat $DAX_MEM/block_size_bytes)))

reset_padded() {
	dax_reset
	PAD=$(dax_pad_kept) || ktap_exit_fail_msg "cannot pad the kept ranges"
}

# The number of hmem regions, and of Soft Reserved ranges in /proc/iomem.
nr_hmem_regions() { compgen -G "/sys/bus/platform/devices/hmem.*/dax_region" | wc -l; }
nr_soft_reserved() { grep -c ' : Soft Reserved$' /proc/iomem; }

# A kernel config option: y, m, or n when absent.
config() {
	local v
	v=$(zcat /proc/config.gz 2>/dev/null | sed -n "s/^$1=//p")
	echo "${v:-n}"
}

# stress_check NAME OPS: a short dax_stress run of the given operations,
# with two readers, as one check; its output is shown only when it fails.
stress_check() {
	local out rc=0

	out=$(DAX_REGION=$REGION DAX_REGION_START=$RSTART DAX_STRESS_OPS=$2 \
	      DAX_STRESS_SECONDS=${DAX_REGRESSION_SECONDS:-10} DAX_STRESS_WORKERS=2 \
	      DAX_STRESS_READERS=2 "$DAX_DIR/dax_stress" 2>&1) || rc=$?
	if [ $rc != 0 ]; then
		sed 's/^/# /' <<<"$out"
	else
		sed -n 's/^ok 1 /# /p' <<<"$out"
	fi
	check "$1" $rc 0
}

reset_padded

# ---- Soft Reserved ranges are published once ----
# 472faf72b33d "device-dax: Fix duplicate 'hmem' device registration"
# (6.1): a range described by the ACPI HMAT was registered by the HMAT
# parser and again by the sweep over "Soft Reserved" resources, giving two
# overlapping hmem devices, regions and instances.  This guest has no
# HMAT, so the original path cannot run; the test checks the invariant
# that the bug broke, one region per range, at boot and after the
# hmem_platform device is probed again (further below), which walks the
# recorded ranges again.
check "one hmem region per Soft Reserved range" "$(nr_hmem_regions)" "$(nr_soft_reserved)"

# ---- kmem gives back every resource on unbind ----
# e686c32590f4 "dax/kmem: Fix leak of memory-hotplug resources" (6.3):
# kmem's unbind did not hand back everything it had claimed in iomem for
# the hot-plug (the claim named after the instance, around "System RAM
# (kmem)"): /proc/iomem kept stale entries after the memory was gone
# (seen as garbage names once their strings were freed), and the range
# could not be claimed again.  Bind and unbind an instance of two ranges
# several times with its memory offline: /proc/iomem must come back
# exactly, and device_dax must be able to claim the ranges afterwards;
# kmemleak catches a leaked claim too.
iomem_before=$(cat /proc/iomem)
a=$(dax_new "$bs") && b=$(dax_new "$bs") && echo $((2 * bs)) >"$DAX_BUS/devices/$a/size" &&
	dax_destroy "$b" || ktap_exit_fail_msg "cannot make an instance of two ranges"
check "$a has two ranges" "$(dax_mappings "$a")" "mapping0 mapping1"
# kmem is offered every sized instance of the region: the pad would be
# refused (busy), which is noise here
[ -n "$PAD" ] && dax_destroy "$PAD"
cycles=0
for i in 1 2 3; do
	echo "$a" >"$km/new_id" && [ "$(dax_driver "$a")" = kmem ] &&
		[ "$(dax_memory_count "$a" offline)" = 2 ] && echo "$a" >"$km/unbind" &&
		echo "$a" >"$km/remove_id" && [ "$(cat /proc/iomem)" = "$iomem_before" ] ||
		break
	cycles=$i
done
check "3 kmem bind/unbind cycles leave /proc/iomem as it was" $cycles 3
check_write "device_dax can claim the ranges afterwards" "$dd/new_id" "$a" OK
check "$a is bound to device_dax" "$(dax_driver "$a")" device_dax
reset_padded

# ---- deleting a bound instance changes nothing ----
# The 6.9 move of drivers/dax from the driver core's device lock to its own
# rwsems (c05ae9d85b47 "dax/bus.c: replace driver-core lock usage by a
# local rwsem") and its follow-up fixes.  delete_store() must look at the
# driver binding under the lock that probe and remove respect, and refuse
# before it touches anything: bad_input.sh checks the errno and the
# layout; here a process keeps the instance mapped across the refused
# delete, and its mapping must keep working (a delete that invalidated the
# instance id or killed the dax_device before refusing would make it fault).
dev=$(dax_new $((32 * MiB)) $((2 * MiB))) && echo "$dev" >"$dd/new_id" ||
	ktap_exit_fail_msg "cannot make a bound instance"
hold_start "$dev" $((32 * MiB))
check "dax_hold maps /dev/$dev" "$HOLD_FIRST" ready
check_refused "deleting the bound, mapped $dev is refused" "$REGION/delete" "$dev" EBUSY
check "its mapping still works" "$(hold touch)" ok
check "and new mappings too" "$(hold mmap)" ok
hold_stop
check "dax_hold exits cleanly" "$HOLD_RC" 0
reset_padded

# ---- memory_failure() finds the mapping of a poisoned page ----
# 7fcbd9785d4c "device-dax: correct pgoff align in dax_set_mapping()"
# (6.12-rc3): a fault recorded in the page the file offset of the faulting
# address rounded up, not down, to the fault size.  memory_failure() uses
# that offset to find which processes map the page and where: for a huge
# page first touched at an unaligned address it looked one huge page too
# far, signalled nobody and left the poisoned page mapped (on real
# hardware, an endless machine check loop).  dax_poison.c touches a 2 MiB
# page 4 KiB into it and poisons a page of it with MADV_HWPOISON: it must
# get SIGBUS BUS_MCEERR_AR for the 2 MiB page that holds the poisoned one.
# The poison marks the struct page only, which the instance's unbind
# throws away (device_dax builds a new memory map on every bind).
dev=$(dax_new $((8 * MiB)) $((2 * MiB))) && echo "$dev" >"$dd/new_id" ||
	ktap_exit_fail_msg "cannot make a bound instance"
recovered() { dmesg | grep -c 'recovery action for dax page: Recovered'; }
before=$(recovered)
rc=0
got=$("$DAX_DIR/dax_poison" "$dev") || rc=$?
if [ $rc = 4 ] && [ "$(config CONFIG_MEMORY_FAILURE)" != y ]; then
	dax_skip "memory_failure() signals the process mapping a poisoned page" \
		"no CONFIG_MEMORY_FAILURE"
else
	check "memory_failure() signals the process mapping a poisoned page" \
		"$got" "BUS_MCEERR_AR 0x200000 21"
	check "the kernel recovered the dax page" "$(recovered)" $((before + 1))
fi
reset_padded

# ---- sysfs readers racing geometry changes ----
# The same 6.9 series and its fixes (e.g. "dax/bus.c: Use the right locking
# mode (read vs write) in size_show"): size, available_size, resource and
# mappingN read the range table, which a resize or a "mapping" write
# reallocates.  Every reader must hold the lock that every writer holds,
# in the right mode: otherwise KASAN reports a use-after-free of the old
# table, or lockdep a held-lock mismatch.  Two workers resize and claim
# ranges while two readers read every attribute (dax_stress.c).
# 6.12 has such a bug still: a shrink or delete removes mappingN devices
# while holding its rwsems, waiting for the readers of their attributes,
# which wait for the rwsems (lockdep: circular dependency, then a hang).
bug="6.12 bug: removing a mappingN deadlocks against a reader of its attributes"
stock_bug "sysfs reads racing resizes and deletes" "$bug" ||
	stress_check "sysfs reads racing resizes and deletes" "create,grow,shrink,delete"
stock_bug "sysfs reads racing mapping writes" "$bug" ||
	stress_check "sysfs reads racing mapping writes" "create,mapping,shrink,delete"

# ---- region teardown and ids, with multi-range instances ----
# The next sections rebuild the region; with region_idle set it comes back
# empty rather than whole under kmem, which is quicker.
old_idle=$(cat $idle)
echo 1 >$idle

# 6d24b170a9db "dax: Fix dax_mapping_release() use after free" and
# 70aab281e18c "dax: Introduce alloc_dev_dax_id()" (6.5): a mappingN
# child's release returned its id to its parent's allocator, and the
# parent could be freed by then (seen with a delayed release,
# CONFIG_DEBUG_KOBJECT_RELEASE, on "modprobe -r dax_hmem"); an instance's
# id and the region that allocated it had lifetimes that did not match.
# Ids must stay unique while their owner lives and be reused once it is
# deleted: mappingN names of an instance are the lowest free ones, an
# instance name is never handed out twice, and a deleted instance's name
# goes to the next "create".  Releases run late only with
# CONFIG_DEBUG_KOBJECT_RELEASE (every release delayed by 1-4 s), which the
# test kernel does not have (see the README, "Reliability"): with it, an
# id returned in release() would still be taken when the instance grows
# again, and KASAN would see a release touching a freed parent.  This
# section passes with it on our kernel.
a=$(dax_new $((4 * MiB))) && b=$(dax_new $((4 * MiB))) &&
	echo $((8 * MiB)) >"$DAX_BUS/devices/$a/size" && c=$(dax_new $((4 * MiB))) &&
	echo $((12 * MiB)) >"$DAX_BUS/devices/$a/size" ||
	ktap_exit_fail_msg "cannot make an instance of three ranges"
check "$a has three ranges" "$(dax_mappings "$a")" "mapping0 mapping1 mapping2"
echo $((6 * MiB)) >"$DAX_BUS/devices/$a/size"
check "shrinking drops its last range" "$(dax_mappings "$a")" "mapping0 mapping1"
new=$(dax_new $((2 * MiB)))
check "a new instance does not take a live name" \
	"$([ -n "$new" ] && [ "$new" != "$a" ] && [ "$new" != "$b" ] && [ "$new" != "$c" ] &&
	   echo new)" new
dax_destroy "$new"
echo $((12 * MiB)) >"$DAX_BUS/devices/$a/size"
check "growing again takes the lowest free mapping name" "$(dax_mappings "$a")" \
	"mapping0 mapping1 mapping2"
for i in 1 2 3; do
	dax_destroy "$b"
	new=$(dax_new $((6 * MiB)))
	[ "$new" = "$b" ] || break
done
check "a deleted name goes to the next create, 3 times" "$new" "$b"
check "$b, recreated, is numbered from mapping0" "$(dax_mappings "$b" | cut -d' ' -f1)" mapping0

# Region teardown with those instances, from a process that gets SIGKILL
# meanwhile.  The 6.9 locking (above) took its rwsems with
# down_write_killable() also in the unregister paths of the teardown, and
# there only when they did not look taken already; a teardown whose lock
# attempt failed skipped instances and mappings, which stayed registered
# under a region that was gone ("dax/bus.c: Don't use down_write_killable
# for non-user processes", "dax/bus.c: fix locking for unregister_dax_dev /
# unregister_dax_mapping paths").  Everything must go, and the region must
# come back clean.  If the signal lands before the write starts, the
# teardown runs undisturbed afterwards and only that is checked.
iomem_before=$(cat /proc/iomem)
check_write "$a is bound to device_dax" "$dd/new_id" "$a" OK
region_dev=$REGION_DEV
hmem=$(basename "$REGION_DEV")
( echo "$hmem" >$hd/unbind ) &
pid=$!
# kill it as soon as the teardown is seen to start
while [ -e "$region_dev/dax_region" ] && [ -e "$DAX_BUS/devices/$c" ] &&
	kill -0 $pid 2>/dev/null; do
	:
done
kill -KILL $pid 2>/dev/null
st=0
wait $pid 2>/dev/null || st=$?
[ $st = 137 ] && ktap_print_msg "SIGKILL came during the unbind"
if [ -e "$region_dev/driver" ]; then
	ktap_print_msg "SIGKILL came before the unbind: tearing down undisturbed"
	echo "$hmem" >$hd/unbind
fi
check "the region is torn down" "$(present "$region_dev/dax_region")" gone
check "so are all its instances" "$(compgen -G "$DAX_BUS/devices/dax$RID.*" | wc -l)" 0
check "/proc/iomem is as before the bind" "$(cat /proc/iomem)" "$iomem_before"
echo "$hmem" >$hd/bind
check "the region comes back, empty" \
	"$(present "$region_dev/dax_region") $(cat "$REGION/available_size" 2>/dev/null)" \
	"present $RSIZE"
dax_forget_id "$a"

# hmem_platform probed again walks the recorded ranges again, twice: still
# one region per range, and the same region id (its memregion id freed).
for i in 1 2; do
	check_write "hmem_platform unbound ($i)" $hp/unbind hmem_platform.0 OK
	check_write "hmem_platform bound again ($i)" $hp/bind hmem_platform.0 OK
	check "hmem_platform probed again ($i): one region per range" \
		"$(nr_hmem_regions) $(cat "$REGION/id" 2>/dev/null)" "$(nr_soft_reserved) $RID"
done

# Back to the default region, whole under kmem, then emptied.
echo "$old_idle" >$idle
echo "$hmem" >$hd/unbind && echo "$hmem" >$hd/bind
dax_setup
check "the region is back as at boot" "$(dax_region_devices) $(dax_attr "dax$RID.0" size)" \
	"dax$RID.0 $RSIZE"
dax_reset
check "accounting at the end" "$(dax_accounting)" ok
dax_done
