#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A Soft Reserved range becomes platform device hmem.N, dax region N and
# its first instance daxN.0, which spans the range and is handed to kmem.
# The region is rebuilt from scratch by reloading dax_hmem.

. "$(dirname "$0")/dax_lib.sh"

dax_start
dax_reset
modprobe -r dax_hmem || ktap_exit_fail_msg "cannot unload dax_hmem"
check "unloading dax_hmem removes the region" \
	"$(ls -d /sys/bus/platform/devices/hmem.*/dax_region 2>/dev/null)" ""
modprobe dax_hmem || ktap_exit_fail_msg "cannot load dax_hmem"
dax_setup

read -r sr_start sr_end <<<"$(dax_soft_reserved)"
sr_size=$((0x$sr_end - 0x$sr_start + 1))
dev=dax$RID.0

check "region device is an hmem platform device" \
	"$(basename "$REGION_DEV" | sed 's/[0-9]*$//')" "hmem."
check "hmem device is bound to the hmem driver" \
	"$(basename "$(readlink -f "$REGION_DEV/driver")")" "hmem"
check "region id matches the hmem device" "$RID" "$(basename "$REGION_DEV" | sed 's/^hmem\.//')"
check "region size is the Soft Reserved size" "$RSIZE" "$sr_size"
check "region align is 2M" "$(cat "$REGION/align")" $((2 * MiB))
check "region is fully allocated" "$(dax_avail)" 0
check "first instance is a child of the region device" \
	"$(readlink -f "$DAX_BUS/devices/$dev")" "$REGION_DEV/$dev"
check "first instance spans the region" "$(dax_attr "$dev" size)" "$RSIZE"
check "first instance align is 2M" "$(dax_attr "$dev" align)" $((2 * MiB))
check "first instance target_node" "$(dax_attr "$dev" target_node)" "${DAX_TARGET_NODE:-0}"
check "first instance modalias" "$(dax_attr "$dev" modalias)" "dax:t0"
check "first instance resource is the range start" \
	"$(($(dax_attr "$dev" resource)))" $((0x$sr_start))
check "first instance has one mapping" "$(dax_mappings "$dev")" mapping0
check "mapping0 spans the range from page_offset 0" "$(dax_mapping "$dev" 0)" \
	"$((0x$sr_start)),$((0x$sr_end)),0"
check "hmem instances go to kmem by default" "$(dax_driver "$dev")" kmem
check "kmem adds the range as offline memory blocks" \
	"$(dax_memory_count "$dev" offline)" $((sr_size / 0x$(cat $DAX_MEM/block_size_bytes)))
check "kmem claims the range in /proc/iomem" \
	"$(iomem_count "$sr_start-$sr_end" "System RAM (kmem)")" 1

dax_reset
check "region is free after emptying the first instance" "$(dax_avail)" "$RSIZE"
check "the first instance cannot be deleted" \
	"$(dax_write "$REGION/delete" "$dev")" EBUSY
dax_done
