#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An nvdimm namespace in devdax mode becomes a static dax region: the
# legacy pmem range (memmap=1G!8G) is reconfigured with ndctl, and
# dax_pmem must publish its data area, the namespace minus the info block
# and page array, as region X with the one instance daxX.Y, which can be
# unbound and bound again but neither resized, re-aligned nor deleted, and
# which keeps its data across unbinding and across a re-probe of the
# namespace.  The namespace is put back in its original mode at the end.

. "$(dirname "$0")/dax_lib.sh"

DD=$DAX_BUS/drivers/device_dax
ALIGN=$((2 * MiB))
PSIZE=$((32 * MiB))	# the part written through mmap

# The first namespace of the legacy (e820) pmem bus, as a sysfs path.
pmem_legacy_namespace() {
	local ns
	for ns in /sys/devices/platform/e820_pmem/ndbus*/region*/namespace*.*; do
		[ -d "$ns" ] && { echo "$ns"; return; }
	done
}

# Find the legacy namespace and remember how it is configured.
pmem_setup() {
	local tool m
	for tool in ndctl daxctl jq; do
		command -v $tool >/dev/null || dax_skip_all "$tool is not installed"
	done
	for m in nd_e820 nd_pmem dax_pmem device_dax; do
		modprobe -q "$m" 2>/dev/null
	done
	# nvdimm registers regions and namespaces asynchronously.
	cat /sys/bus/nd/devices/ndbus*/wait_probe >/dev/null 2>&1
	[ -d /sys/bus/nd/drivers/dax_pmem ] || dax_skip_all "no dax_pmem driver"
	NSDIR=$(pmem_legacy_namespace)
	[ -n "$NSDIR" ] ||
		dax_skip_all "no legacy pmem region (boot with memmap=1G!8G)"
	NS=${NSDIR##*/}
	NDREGION=$(basename "$(dirname "$NSDIR")")
	ORIG_HOLDER=$(cat "$NSDIR/holder")
	ORIG_MODE=$(ns_json .mode)
	ORIG_SIZE=$(ns_json .size)
	ORIG_IOMEM=$(pmem_iomem)
	case $ORIG_HOLDER in
	"") RESTORE=raw ;;
	pfn*) RESTORE=fsdax ;;
	btt*) RESTORE=sector ;;
	dax*) RESTORE=devdax ;;
	*) ktap_exit_fail_msg "$NS is held by unknown $ORIG_HOLDER" ;;
	esac
}

# ns_json FILTER: jq FILTER applied to "ndctl list" of the namespace.
ns_json() {
	ndctl list -v -n "$NS" | jq -r '(if type == "array" then .[0] else . end) | '"$1"
}

# dax_json FILTER ARGS...: jq FILTER applied to the one object that
# "daxctl list ARGS" prints (it prints an array only when there are more).
dax_json() {
	local filter=$1
	shift
	daxctl list "$@" | jq -r '(if type == "array" then .[] else . end) | '"$filter"
}

# The /proc/iomem lines inside the legacy pmem range, on one line.
pmem_iomem() {
	sed -n '/: Persistent Memory (legacy)$/,/^[0-9a-f]/p' /proc/iomem |
		sed '1!{/^[0-9a-f]/d}' | tr -s ' \n' ' '
}

# ndctl_do ARGS...: run ndctl quietly and say "OK" or "failed".
ndctl_do() { ndctl "$@" >/dev/null 2>&1 && echo OK || echo failed; }
daxctl_do() { daxctl "$@" >/dev/null 2>&1 && echo OK || echo failed; }

hex() { printf '%x' "$1"; }

# Put the namespace back as it was; quiet, for an early exit.
pmem_restore() {
	[ -n "${RECONFIGURED:-}" ] || return 0
	RECONFIGURED=
	dax_forget_id "${DEV:-none}"
	ndctl create-namespace -f -e "$NS" -m "$RESTORE" >/dev/null 2>&1
}

dax_header
[ "$(id -u)" = 0 ] || dax_skip_all "needs root"
pmem_setup
trap pmem_restore EXIT
ktap_print_msg "$NS of $NDREGION, held by '${ORIG_HOLDER:-nothing}' ($ORIG_MODE)"

# Reconfigure to devdax: nd_dax claims the namespace, dax_pmem probes it.
RECONFIGURED=1
check "ndctl reconfigures $NS to devdax" \
	"$(ndctl_do create-namespace -f -e "$NS" -m devdax -a $ALIGN)" OK
holder=$(cat "$NSDIR/holder")
check "an nd dax device claims the namespace" "${holder%%[0-9]*}" dax
REGION_DEV=/sys/bus/nd/devices/${holder:-none}
REGION=$REGION_DEV/dax_region
check "the nd dax device is bound to dax_pmem" \
	"$(basename "$(readlink -f "$REGION_DEV/driver")")" dax_pmem
[ -d "$REGION" ] || ktap_exit_fail_msg "no dax_region under $REGION_DEV"
ktap_test_pass "the nd dax device has a dax region"
RID=$(cat "$REGION/id")
RSIZE=$(cat "$REGION/size")
nsnum=${NS#namespace}
check "the region is numbered after its namespace" "$RID" "${nsnum%.*}"

# A static region: only id, size and align.
check "the region shows id, size and align only" "$(cd "$REGION" && echo *)" \
	"align id size"
for f in available_size seed create delete; do
	check "a static region has no $f" "$(present "$REGION/$f")" gone
done
check "region align is the namespace's 2M" "$(cat "$REGION/align")" $ALIGN

# The data area: the namespace minus the info block and page array.
ns_start=$(($(cat "$NSDIR/resource")))
ns_size=$(cat "$NSDIR/size")
data=$(($(cat "$REGION_DEV/resource")))
meta=$((data - ns_start))
check "the metadata is at the namespace start, 2M aligned" \
	"$((meta > 0 && meta % ALIGN == 0))" 1
check "region size is the namespace size minus the metadata" \
	"$RSIZE" $((ns_size - meta))
check "the nd dax device has the region's size" "$(cat "$REGION_DEV/size")" "$RSIZE"
check "ndctl lists $NS as devdax" "$(ns_json .mode)" devdax
check "ndctl's size is the region size" "$(ns_json .size)" "$RSIZE"
check "ndctl's dax region is this one" \
	"$(ns_json '"\(.daxregion.id) \(.daxregion.size) \(.daxregion.align)"')" \
	"$RID $RSIZE $ALIGN"
check "the metadata is claimed by the namespace" \
	"$(iomem_count "$(hex $ns_start)-$(hex $((data - 1)))" "$NS")" 1

# Its one instance, daxX.Y after namespaceX.Y.
DEV=dax$nsnum
check "the region has one instance, $DEV" "$(dax_region_devices | xargs)" "$DEV"
check "the instance is a child of the nd dax device" \
	"$(readlink -f "$DAX_BUS/devices/$DEV")" "$(readlink -f "$REGION_DEV")/$DEV"
check "the instance spans the region" "$(dax_attr "$DEV" size)" "$RSIZE"
check "the instance align is the region's" "$(dax_attr "$DEV" align)" $ALIGN
check "the instance starts at the data" "$(($(dax_attr "$DEV" resource)))" $data
check "the instance has one mapping, the data" \
	"$(dax_mappings "$DEV") $(dax_mapping "$DEV" 0)" \
	"mapping0 $data,$((data + RSIZE - 1)),0"
check "the instance target_node is the nd region's" \
	"$(dax_attr "$DEV" target_node)" "$(cat "/sys/bus/nd/devices/$NDREGION/target_node")"
check "the instance modalias" "$(dax_attr "$DEV" modalias)" "dax:t0"
for f in size align; do
	check "instance $f is read-only (0444)" \
		"$(stat -c %a "$DAX_BUS/devices/$DEV/$f")" 444
done
check_write "writing size fails with EACCES, even for root" \
	"$DAX_BUS/devices/$DEV/size" $((RSIZE - ALIGN)) EACCES
check_write "writing size 0 fails with EACCES" "$DAX_BUS/devices/$DEV/size" 0 EACCES
check_write "writing align fails with EACCES" "$DAX_BUS/devices/$DEV/align" 4096 EACCES
check "refused writes change nothing" \
	"$(dax_attr "$DEV" size) $(dax_attr "$DEV" align)" "$RSIZE $ALIGN"
check "a static instance has no mapping attribute" \
	"$(present "$DAX_BUS/devices/$DEV/mapping")" gone

# device_dax takes it and maps it.
data_range="$(hex $data)-$(hex $((data + RSIZE - 1)))"
check "the instance is bound to device_dax" "$(dax_driver "$DEV")" device_dax
check "/dev/$DEV is a character device" "$([ -c "/dev/$DEV" ] && echo yes)" yes
check "device_dax claims the data" "$(iomem_count "$data_range" "$DEV")" 1
check "a pattern is written through mmap" "$(pattern "$DEV" $PSIZE write 0x9e11)" ok
check "and read back" "$(pattern "$DEV" $PSIZE check 0x9e11)" ok
check "daxctl lists the region" \
	"$(dax_json "select(.id == $RID) | \"\(.size) \(.align) \(.path)\"" -R)" \
	"$RSIZE $ALIGN $(readlink -f "$REGION_DEV" | sed 's|^/sys/devices||')"
check "daxctl lists the instance as devdax" \
	"$(dax_json '"\(.chardev) \(.size) \(.mode)"' -d "$DEV")" "$DEV $RSIZE devdax"

# Unbind and bind through sysfs; the data stays.
check_write "unbind from device_dax" "$DD/unbind" "$DEV" OK
check "unbound" "$(dax_driver "$DEV")" none
check_write "/dev/$DEV cannot be opened (no cdev)" "/dev/$DEV" x ENXIO
check "the data is no longer claimed" "$(iomem_count "$data_range" "$DEV")" 0
check "the unbound instance stays, whole" \
	"$(present "$DAX_BUS/devices/$DEV") $(dax_attr "$DEV" size)" "present $RSIZE"
check_write "size stays read-only while unbound" \
	"$DAX_BUS/devices/$DEV/size" 0 EACCES
check_write "bind to device_dax" "$DD/bind" "$DEV" OK
check "bound to device_dax again" "$(dax_driver "$DEV")" device_dax
check "/dev/$DEV is back" "$([ -c "/dev/$DEV" ] && echo yes)" yes
check "the pattern survived unbinding" "$(pattern "$DEV" $PSIZE check 0x9e11)" ok

# Neither daxctl nor the ABI can add or remove instances.
check "daxctl disables the instance" "$(daxctl_do disable-device "$DEV")" OK
check "disabled" "$(dax_driver "$DEV")" none
check "daxctl cannot destroy it" "$(daxctl_do destroy-device "$DEV")" failed
check "it is still there, whole" \
	"$(present "$DAX_BUS/devices/$DEV") $(dax_attr "$DEV" size)" "present $RSIZE"
check "daxctl cannot create another" "$(daxctl_do create-device -r "$RID")" failed
check "the region still has one instance" "$(dax_region_devices | xargs)" "$DEV"
check "daxctl enables it" "$(daxctl_do enable-device "$DEV")" OK
check "enabled on device_dax" "$(dax_driver "$DEV")" device_dax

# Disabling the namespace tears the region down; enabling rebuilds it
# from the info block, with the data in place.
check "ndctl disables $NS" "$(ndctl_do disable-namespace "$NS")" OK
check "the region is gone" "$(present "$REGION")" gone
check "the instance is gone" "$(present "$DAX_BUS/devices/$DEV")" gone
check "the metadata is released" "$(grep -c " : $NS\$" /proc/iomem)" 0
check "ndctl enables $NS" "$(ndctl_do enable-namespace "$NS")" OK
check "the region is rebuilt alike" \
	"$(cat "$REGION/id" "$REGION/size" "$REGION/align" | xargs)" "$RID $RSIZE $ALIGN"
check "so is the instance" "$(dax_region_devices | xargs) $(dax_attr "$DEV" size)" \
	"$DEV $RSIZE"
check "bound to device_dax" "$(dax_driver "$DEV")" device_dax
check "the pattern survived the re-probe" "$(pattern "$DEV" $PSIZE check 0x9e11)" ok

# Back to the original mode; the dax region and instance go with it.
dax_forget_id "$DEV"
RECONFIGURED=
check "ndctl puts $NS back to $RESTORE" \
	"$(ndctl_do create-namespace -f -e "$NS" -m "$RESTORE")" OK
check "the dax region goes with devdax mode" "$(present "$REGION")" gone
check "and its instance" "$(present "$DAX_BUS/devices/$DEV")" gone
check "$NS is held as before" "$(sed 's/[0-9].*//' "$NSDIR/holder")" "${ORIG_HOLDER%%[0-9]*}"
check "ndctl lists $NS as before" "$(ns_json '"\(.mode) \(.size)"')" \
	"$ORIG_MODE $ORIG_SIZE"
check "/proc/iomem is as before" "$(pmem_iomem)" "$ORIG_IOMEM"
check "$NS stays so when re-enabled" \
	"$(ndctl_do disable-namespace "$NS") $(ndctl_do enable-namespace "$NS") $(ns_json .mode)" \
	"OK OK $ORIG_MODE"
dax_done
