#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifetimes that outlast the objects they started with:
#  - an instance deleted while a process still has /dev/daxX.Y open and
#    mapped (dax_mmap.c covers SIGBUS after unbind and rebinding; here the
#    instance goes away entirely, and its name is reused meanwhile);
#  - device_dax, dax_hmem and kmem unloaded and loaded again with
#    instances present, bound, unbound and mapped;
#  - last, kmem unloaded while its memory is online: that memory stays
#    System RAM until reboot, so this leaves one memory block behind, at
#    the end of the region (see dax_helpers.sh).

. "$(dirname "$0")/dax_lib.sh"
. "$DAX_DIR/dax_helpers.sh"

dax_start
dd=$DAX_BUS/drivers/device_dax
km=$DAX_BUS/drivers/kmem
bs=$((0x$(cat $DAX_MEM/block_size_bytes)))
len=$((32 * MiB))

# Empty the region and pad what earlier tests left online (dax_helpers.sh).
reset_padded() {
	dax_reset
	PAD=$(dax_pad_kept) || ktap_exit_fail_msg "cannot pad the kept ranges"
}

# new_bound SIZE: a new instance bound to device_dax, holding a pattern.
new_bound() {
	local dev

	dev=$(dax_new "$1" $((2 * MiB))) || return 1
	echo "$dev" >"$dd/new_id" || return 1
	[ "$(dax_driver "$dev")" = device_dax ] || return 1
	[ "$(pattern "$dev" "$1" write 0x1ead)" = ok ] || return 1
	echo "$dev"
}

reset_padded

# ---- an instance deleted under an open, mapped file ----
dev=$(new_bound $len) || ktap_exit_fail_msg "cannot make a bound instance"
hold_start "$dev" $len
check "dax_hold maps /dev/$dev" "$HOLD_FIRST" ready
check_write "unbind $dev while mapped" "$dd/unbind" "$dev" OK
check "the mapping gets SIGBUS" "$(hold touch)" sigbus
dax_forget_id "$dev"
check_write "empty it while mapped" "$DAX_BUS/devices/$dev/size" 0 OK
check_write "delete it while mapped" "$REGION/delete" "$dev" OK
check "it is gone from sysfs" "$(present "$DAX_BUS/devices/$dev")" gone
check "and from /dev" "$(present "/dev/$dev")" gone
check "the mapping still gets SIGBUS" "$(hold touch)" sigbus
check "a new mmap of the open file is refused" "$(hold mmap)" ENXIO
check "read(2) of the open file fails as it always does" "$(hold read)" EINVAL

new=$(new_bound $len) || ktap_exit_fail_msg "cannot make a second bound instance"
check "a new instance takes the free name" "$new" "$dev"
check "the old file cannot map the new instance" "$(hold mmap)" ENXIO
check "the old mapping does not reach it" "$(hold touch)" sigbus
check "munmap after delete" "$(hold munmap)" ok
check "close after delete" "$(hold close)" ok
hold_stop
check "dax_hold exits cleanly" "$HOLD_RC" 0
check "the new instance kept its data" "$(pattern "$new" $len check 0x1ead)" ok
reset_padded

# ---- device_dax unloaded and loaded with a bound instance ----
dev=$(new_bound $len) || ktap_exit_fail_msg "cannot make a bound instance"
hold_start "$dev" $len
check "dax_hold maps /dev/$dev" "$HOLD_FIRST" ready
check "the open file pins device_dax" "$(($(cat /sys/module/device_dax/refcnt) > 0))" 1
modprobe -r device_dax 2>/dev/null
check "device_dax cannot be unloaded while /dev/$dev is open" \
	"$(present /sys/module/device_dax)" present
check "and $dev stays bound" "$(dax_driver "$dev")" device_dax
check "its mapping still works" "$(hold touch)" ok
hold_stop
check "dax_hold exits cleanly" "$HOLD_RC" 0
check "device_dax is free again" "$(cat /sys/module/device_dax/refcnt)" 0

modprobe -r device_dax
check "device_dax unloads with $dev bound" "$(present /sys/module/device_dax)" gone
check "which unbinds it" "$(dax_driver "$dev")" none
check "and keeps its size" "$(dax_attr "$dev" size)" $len
check "its device node opens no more" "$(dax_write "/dev/$dev" x)" ENXIO
check "nothing of it is claimed in /proc/iomem" "$(grep -c " : $dev\$" /proc/iomem)" 0
modprobe device_dax
check "device_dax loads again" "$(present $dd)" present
check "forgetting its new_id list: $dev stays unbound" "$(dax_driver "$dev")" none
check_write "new_id binds it again" "$dd/new_id" "$dev" OK
check "its data is still there" "$(pattern "$dev" $len check 0x1ead)" ok
reset_padded

# ---- dax_hmem unloaded with instances present, one of them mapped ----
iomem_before=$(cat /proc/iomem)
sized=$(dax_new $((4 * MiB))) || ktap_exit_fail_msg "cannot make an instance"
mapped=$(new_bound $len) || ktap_exit_fail_msg "cannot make a bound instance"
echo 1 >"$REGION/create" || ktap_exit_fail_msg "cannot make an empty instance"
empty=$(cat "$REGION/create")
# the mapped instance follows the sized one: growing it adds a range
echo $((len + 8 * MiB)) >"$DAX_BUS/devices/$sized/size"
check "the sized instance has two ranges" "$(dax_mappings "$sized")" "mapping0 mapping1"
region_dev=$REGION_DEV
hold_start "$mapped" $len
check "dax_hold maps /dev/$mapped" "$HOLD_FIRST" ready
modprobe -r dax_hmem
check "dax_hmem unloads with instances present" "$(present /sys/module/dax_hmem)" gone
check "the region is gone" "$(present "$region_dev")" gone
for d in "$mapped" "$sized" "$empty"; do
	check "$d is gone" "$(present "$DAX_BUS/devices/$d")$(present "/dev/$d")" gonegone
done
check "/proc/iomem is as before" "$(cat /proc/iomem)" "$iomem_before"
check "the mapping gets SIGBUS" "$(hold touch)" sigbus
check "a new mmap of the open file is refused" "$(hold mmap)" ENXIO

modprobe dax_hmem
[ -n "$(dax_hmem_region_dev)" ] || ktap_exit_fail_msg "no region after reloading dax_hmem"
dax_setup
check "reloading dax_hmem restores the region" \
	"$REGION_DEV $(dax_region_devices) $(dax_attr "dax$RID.0" size)" \
	"$region_dev dax$RID.0 $RSIZE"
check "the old mapping still gets SIGBUS" "$(hold touch)" sigbus
check "munmap and close after the region is gone" "$(hold munmap) $(hold close)" "ok ok"
hold_stop
check "dax_hold exits cleanly" "$HOLD_RC" 0
reset_padded

# ---- kmem unloaded and loaded with its memory offline ----
iomem_before=$(cat /proc/iomem)
dev=$(dax_new "$bs") || ktap_exit_fail_msg "cannot make an instance of one memory block"
check_write "kmem takes $dev" "$km/new_id" "$dev" OK
dax_forget_id "$dev"
check "its memory block is added offline" "$(dax_memory_count "$dev" offline)" 1
modprobe -r kmem
check "kmem unloads with its memory offline" "$(present /sys/module/kmem)" gone
check "which unbinds $dev" "$(dax_driver "$dev")" none
check "its memory block is removed" "$(dax_memory_count "$dev" any)" 0
check "/proc/iomem is as before" "$(cat /proc/iomem)" "$iomem_before"
# kmem, loaded, is offered every sized instance: the pad would be refused
[ -n "$PAD" ] && dax_destroy "$PAD"
modprobe kmem
check "loading kmem binds the sized hmem instance by default" "$(dax_driver "$dev")" kmem
check "its memory block is back" "$(dax_memory_count "$dev" offline)" 1
reset_padded

# ---- last: kmem unloaded while its memory is online ----
desc="kmem unloads with its memory online"
if ! stock_bug "$desc" "6.12 bug: kmem leaks its data when a removal fails (kmemleak)"; then
	[ -n "$PAD" ] && dax_destroy "$PAD"
	echo 1 >"$REGION/create"
	dev=$(cat "$REGION/create")
	last=$((RSTART + RSIZE - bs))
	check_write "$dev takes the region's last memory block" "$DAX_BUS/devices/$dev/mapping" \
		"$(printf '%#x-%#x' $last $((RSTART + RSIZE - 1)))" OK
	range=$(printf '%x-%x' $last $((RSTART + RSIZE - 1)))
	check_write "kmem takes $dev" "$km/new_id" "$dev" OK
	dax_forget_id "$dev"
	dax_memory_set "$dev" online_movable
	check "its memory block is online" "$(dax_memory_count "$dev" online)" 1
	total=$(dax_memtotal)
	modprobe -r kmem
	check "$desc" "$(present /sys/module/kmem)" gone
	check "$dev is unbound" "$(dax_driver "$dev")" none
	# Reading /proc/iomem reads the resource's name: it must outlive kmem.
	check "the range stays System RAM (kmem)" "$(iomem_count "$range" "System RAM (kmem)")" 1
	check "and claimed for $dev" "$(iomem_count "$range" "$dev")" 1
	check "its memory block stays online" "$(dax_memory_count "$dev" online)" 1
	check "MemTotal keeps it" "$(dax_memtotal)" "$total"
	msg="kmem $dev: range 0 ($(printf '%#x-%#x' $last $((RSTART + RSIZE - 1))))"
	msg+=" stays System RAM until reboot"
	check "the kernel says it stays until reboot" "$(dmesg | grep -cF "$msg")" 1
	modprobe kmem
	check "kmem loads again" "$(present $km)" present
	check "and cannot take the kept range again" "$(dax_driver "$dev")" none
	dax_reset
fi
dax_done
