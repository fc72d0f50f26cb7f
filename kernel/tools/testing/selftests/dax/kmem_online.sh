#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hand an instance to kmem through unbind, new_id and bind, online its
# memory and see MemTotal grow by exactly its size; offline it, give it
# back to device_dax and check the memory is usable through mmap again.
# Then the same with an instance of two discontiguous ranges.

. "$(dirname "$0")/dax_lib.sh"

dax_start
dax_reset
dd=$DAX_BUS/drivers/device_dax
km=$DAX_BUS/drivers/kmem
bs=$((0x$(cat $DAX_MEM/block_size_bytes)))
size=$((4 * bs))

echo 1 >"$REGION/create"
dev=$(cat "$REGION/seed")
echo $size >"$DAX_BUS/devices/$dev/size"
check "sized a new instance" "$(dax_attr "$dev" size)" $size
check_write "bind to device_dax" "$dd/new_id" "$dev" OK
check "$dev starts on device_dax" "$(dax_driver "$dev")" device_dax
check "its pattern is written" "$(pattern "$dev" $size write 0xfeed)" ok

total=$(dax_memtotal)
check_write "unbind from device_dax" "$dd/unbind" "$dev" OK
check_write "forget device_dax's id" "$dd/remove_id" "$dev" OK
check_write "kmem takes it through new_id" "$km/new_id" "$dev" OK
check "bound to kmem" "$(dax_driver "$dev")" kmem
range="$(printf '%x-%x' "$(dax_attr "$dev" mapping0/start)" "$(dax_attr "$dev" mapping0/end)")"
check "its range is System RAM (kmem)" "$(iomem_count "$range" "System RAM (kmem)")" 1
check "its memory blocks are added offline" "$(dax_memory_count "$dev" offline)" 4
check "offline memory does not count in MemTotal" "$(dax_memtotal)" "$total"

dax_memory_set "$dev" online_movable
check "its memory blocks come online" "$(dax_memory_count "$dev" online)" 4
check "MemTotal grows by the instance size" "$(dax_memtotal)" $((total + size))
check_write "resizing under kmem is refused" "$DAX_BUS/devices/$dev/size" $((size / 2)) EBUSY

dax_memory_set "$dev" offline
check "its memory blocks go offline" "$(dax_memory_count "$dev" offline)" 4
check "MemTotal is back" "$(dax_memtotal)" "$total"
check_write "unbind from kmem" "$km/unbind" "$dev" OK
check "unbound" "$(dax_driver "$dev")" none
check "the System RAM (kmem) range is gone" "$(iomem_count "$range" "System RAM (kmem)")" 0
check "its memory blocks are removed" "$(dax_memory_count "$dev" any)" 0
check_write "bind to kmem through bind" "$km/bind" "$dev" OK
check "bound to kmem again" "$(dax_driver "$dev")" kmem
check "MemTotal unchanged while offline" "$(dax_memtotal)" "$total"
check_write "unbind from kmem again" "$km/unbind" "$dev" OK
check_write "forget kmem's id" "$km/remove_id" "$dev" OK

check_write "back to device_dax" "$dd/new_id" "$dev" OK
check "bound to device_dax again" "$(dax_driver "$dev")" device_dax
check "the memory takes a new pattern through mmap again" "$(pattern "$dev" $size write 0xbeef)" ok
check "and gives it back" "$(pattern "$dev" $size check 0xbeef)" ok
dax_reset
check "the region is whole again" "$(dax_avail)" "$RSIZE"

# A discontiguous instance, its ranges in reverse physical order: kmem
# adds each range whole, and only it.
echo 1 >"$REGION/create"
dev=$(cat "$REGION/create")
hi=$((RSTART + 3 * bs)) lo=$((RSTART + bs))
for start in $hi $lo; do
	printf '%#x-%#x' "$start" $((start + bs - 1)) >"$DAX_BUS/devices/$dev/mapping"
done
check "$dev has two ranges" "$(dax_mappings "$dev") $(dax_attr "$dev" size)" \
	"mapping0 mapping1 $((2 * bs))"
total=$(dax_memtotal)
check_write "kmem takes $dev through new_id" "$km/new_id" "$dev" OK
check "bound to kmem" "$(dax_driver "$dev")" kmem
for start in $hi $lo; do
	check "range at $(printf %#x "$start") is System RAM (kmem)" \
		"$(iomem_count "$(printf '%x-%x' "$start" $((start + bs - 1)))" "System RAM (kmem)")" 1
done
check "nothing between them is" "$(iomem_count "$(printf '%x-%x' $((lo + bs)) $((hi - 1)))" \
	"System RAM (kmem)")" 0
check "both ranges' memory blocks are added offline" "$(dax_memory_count "$dev" offline)" 2
check_write "deleting an instance under kmem is refused" "$REGION/delete" "$dev" EBUSY
dax_memory_set "$dev" online_movable
check "both come online" "$(dax_memory_count "$dev" online)" 2
check "MemTotal grows by both ranges" "$(dax_memtotal)" $((total + 2 * bs))
dax_memory_set "$dev" offline
check "MemTotal is back after offlining" "$(dax_memtotal)" "$total"
check_write "unbind from kmem" "$km/unbind" "$dev" OK
check "its memory blocks are removed" "$(dax_memory_count "$dev" any)" 0
check "no range is System RAM (kmem) any more" "$(grep -c 'System RAM (kmem)' /proc/iomem)" 0
dax_forget_id "$dev"

dax_reset
check "accounting after reset" "$(dax_accounting)" ok

# Unbinding kmem while its memory is online: the removal is refused, the
# range stays System RAM (kmem) and reserved in iomem, the kernel says so
# once, and nothing splats.  That memory stays until reboot, so this runs
# last and leaves the instance as it is.
desc="kmem unbound with its memory online keeps the range"
if ! stock_bug "$desc" "6.12 bug: kmem leaks its data when a removal fails (kmemleak)"; then
	echo 1 >"$REGION/create"
	dev=$(cat "$REGION/create")
	echo "$bs" >"$DAX_BUS/devices/$dev/size"
	check_write "kmem takes $dev" "$km/new_id" "$dev" OK
	range="$(printf '%x-%x' "$(dax_attr "$dev" mapping0/start)" "$(dax_attr "$dev" mapping0/end)")"
	dax_memory_set "$dev" online_movable
	total=$(dax_memtotal)
	check_write "unbind from kmem with its memory online" "$km/unbind" "$dev" OK
	check "unbound" "$(dax_driver "$dev")" none
	check "$desc" "$(iomem_count "$range" "System RAM (kmem)")" 1
	check "its memory block stays online" "$(dax_memory_count "$dev" online)" 1
	check "MemTotal keeps it" "$(dax_memtotal)" "$total"
	check "the kernel says it stays until reboot" \
		"$(dmesg | grep "kmem $dev: " | grep -c 'until reboot')" 1
	dax_forget_id "$dev"
fi
dax_done
