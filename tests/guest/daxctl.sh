#!/bin/bash
# Debian's daxctl, end to end, on the hmem region of a guest booted with
# udev (scripts/vm --udev): every scenario is judged by what daxctl list
# reports (JSON) and by sysfs, not by daxctl's exit status alone.
# Prints TAP.  Run by scripts/test; needs root and a 2 GiB hmem region.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
set -u

# The layout of region $R that a refused command must leave alone: the
# instances with memory (size, align, mode, driver state, ranges) and
# available_size.  Zero-sized instances are left out: create-device writes
# the region's "create" before it sizes the new instance, so a refused
# create-device leaves an empty seed behind (as on 6.12).
sized_layout() {
	layout | jq -c '.devices |= [(. // [])[] | select(.size > 0)]'
}

# refused DESCRIPTION MESSAGE-REGEX COMMAND...: daxctl fails, says why
# (its message is shown), and the region's layout is what it was.
refused() {
	local desc=$1 want=$2 before after out rc=0
	shift 2
	before=$(sized_layout)
	out=$("$@" 2>&1) || rc=$?
	after=$(sized_layout)
	tap_note "\$ $* -> status $rc"
	printf '%s\n' "$out" | grep -v '^ *$' | sed 's/^/#   /'
	if [ "$rc" != 0 ] && grep -qE -- "$want" <<<"$out" && [ "$before" = "$after" ]; then
		tap_ok "$desc"
		return
	fi
	[ "$before" = "$after" ] || tap_note "layout changed: $before -> $after"
	tap_fail "$desc"
}

# create SIZE-ARGS...: daxctl create-device in region $R; prints the name.
create() { daxctl create-device -r "$R" "$@" 2>/dev/null | jq -r '.[0].chardev'; }

# ranges DEV: "page_offset:start-end" of each mapping, by page offset.
ranges() {
	djq "$1" '[.mappings[] | "\(.page_offset):\(.start)-\(.end)"] |
		sort_by(split(":")[0] | tonumber) | join(" ")'
}

# sysfs_ranges DEV: the same from /sys/bus/dax/devices/DEV/mappingN.
sysfs_ranges() {
	local m out=()
	for m in /sys/bus/dax/devices/"$1"/mapping[0-9]*; do
		[ -d "$m" ] || continue
		out+=("$(($(cat "$m/page_offset"))):$(($(cat "$m/start")))-$(($(cat "$m/end")))")
	done
	printf '%s\n' "${out[@]}" | sort -t: -k1,1n | paste -sd' '
}

######## a fresh boot
R=$(hmem_region)
[ -n "$R" ] || { tap_fail "a dax region from hmem.0"; tap_done; }
show daxctl list -R -D -M
check "fresh boot: the hmem range is region $R, 2 GiB" \
	"$(daxctl list -R -r "$R" | jq '.[0].size')" $((2 * GiB))
check "fresh boot: region $R is region 0" "$R" 0
START=$(djq "dax$R.0" '.mappings[0].start')
check "fresh boot: dax$R.0 spans the region in one range" \
	"$(djq "dax$R.0" '"\(.size) \(.mappings | length) \(.mappings[0].end - .mappings[0].start + 1)"')" \
	"$((2 * GiB)) 1 $((2 * GiB))"
check "fresh boot: the range is the Soft Reserved one of /proc/iomem" \
	"$(printf '%x' "$START")" \
	"$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : Soft Reserved$/\1/p' /proc/iomem | head -1)"
check "fresh boot: dax$R.0 is system-ram (kmem, loaded by udev), memory offline" \
	"$(djq "dax$R.0" '"\(.mode) \(.online_memblocks) \(.total_memblocks)"') $(driver "dax$R.0")" \
	"system-ram 0 16 kmem"

######## emptying the region
show daxctl reconfigure-device -m devdax "dax$R.0"
check "reconfigure-device -m devdax: device_dax bound, memory blocks removed" \
	"$(driver "dax$R.0") $(djq "dax$R.0" .mode) $(block_states "dax$R.0")" \
	"device_dax devdax absent=16"
show daxctl disable-device "dax$R.0"
show daxctl reconfigure-device -s 0 "dax$R.0"
check "disable-device + reconfigure-device -s 0: dax$R.0 empty, unbound" \
	"$(driver "dax$R.0") $(cat /sys/bus/dax/devices/dax$R.0/size) $(avail)" \
	"none 0 $((2 * GiB))"

######## creating
a=$(create -s 256M -a 4K)
check "create-device -s 256M -a 4K: $a, enabled, 256 MiB at 4K" \
	"$(djq "$a" '"\(.size) \(.align) \(.mode)"') $(driver "$a")" \
	"$((256 * MiB)) 4096 devdax device_dax"
check "$a: sysfs size and align agree" \
	"$(cat /sys/bus/dax/devices/"$a"/size) $(cat /sys/bus/dax/devices/"$a"/align)" \
	"$((256 * MiB)) 4096"
b=$(create -s 512M)
check "create-device -s 512M: $b, 512 MiB at the region's 2M align" \
	"$(djq "$b" '"\(.size) \(.align)"')" "$((512 * MiB)) $((2 * MiB))"
c=$(create -s 1G -a 1G)
check_fixed "create-device -s 1G -a 1G: $c at a 1 GiB aligned address" \
	"$(djq "$c" '"\(.size) \(.align) \(.mappings[0].start % 1073741824)"')" \
	"$GiB $GiB 0" "6.12 bug: sizing places the range at the region's align, not the instance's"
check "the three instances are in one range each, in sysfs as in daxctl" \
	"$(sysfs_ranges "$a")|$(sysfs_ranges "$b")|$(sysfs_ranges "$c")" \
	"$(ranges "$a")|$(ranges "$b")|$(ranges "$c")"
rest=$(avail)
d=$(create)
check "create-device with no size: $d takes the rest ($((rest / MiB)) MiB)" \
	"$(djq "$d" .size) $(avail)" "$rest 0"
check "available_size plus the sizes is the region size" \
	"$(daxctl list -D -r "$R" | jq '[.[].size] | add')" $((2 * GiB))
refused "create-device in a full region: refused, nothing changed" \
	'No space left on device' daxctl create-device -r "$R" -s 2M
refused "create-device larger than the region: refused" \
	'No space left on device|Invalid argument|failed' \
	daxctl create-device -r "$R" -s 4G

######## resizing
show daxctl disable-device "$b"
show daxctl destroy-device "$b"
check "destroy-device $b: its 512 MiB available again" "$(avail)" $((512 * MiB))
show daxctl disable-device "$a"
show daxctl reconfigure-device -s 128M "$a"
check "reconfigure-device -s 128M: $a shrunk in place" \
	"$(djq "$a" '"\(.size) \(.mappings | length)"') $(avail)" \
	"$((128 * MiB)) 1 $((640 * MiB))"
old=$(ranges "$d")
show daxctl disable-device "$d"
show daxctl reconfigure-device -s 768M "$d"
check "reconfigure-device -s 768M: $d grown past its neighbour, now 2 ranges" \
	"$(djq "$d" '"\(.size) \(.mappings | length)"')" "$((768 * MiB)) 2"
check "$d: its first range kept at page_offset 0, the second at 256 MiB" \
	"$(ranges "$d" | cut -d' ' -f1) $(ranges "$d" | cut -d' ' -f2 | cut -d: -f1)" \
	"$old $((256 * MiB / 4096))"
check "$d: the new range is the lowest hole (first fit)" \
	"$(djq "$d" '[.mappings[] | select(.page_offset > 0) | .start][0]')" \
	"$((START + 128 * MiB))"
check "$d: mappingN in sysfs match daxctl's mappings" \
	"$(sysfs_ranges "$d")" "$(ranges "$d")"
show daxctl reconfigure-device -s 384M "$d"
check "reconfigure-device -s 384M: $d shrinks from its last range" \
	"$(djq "$d" '"\(.size) \(.mappings | length)"') $(ranges "$d" | cut -d' ' -f1)" \
	"$((384 * MiB)) 2 $old"
show daxctl enable-device "$d"
show daxctl enable-device "$a"

######## re-creating from saved JSON
saved=$(mktemp)
dev_json "$d" >"$saved"
show daxctl disable-device "$d"
show daxctl destroy-device "$d"
e=$(daxctl create-device --input "$saved" 2>/dev/null | jq -r '.[0].chardev')
check "create-device --input (the saved JSON of $d): $e, same ranges, enabled" \
	"$(ranges "$e") $(djq "$e" '"\(.size) \(.align)"') $(driver "$e")" \
	"$(jq -r '[.mappings[] | "\(.page_offset):\(.start)-\(.end)"] |
		sort_by(split(":")[0] | tonumber) | join(" ")' "$saved") $((384 * MiB)) $((2 * MiB)) device_dax"
rm -f "$saved"

######## system-ram and back
mem0=$(memtotal)
show daxctl reconfigure-device -m system-ram "$c"
check "reconfigure-device -m system-ram: $c is kmem's, 8 blocks online movable" \
	"$(driver "$c") $(djq "$c" '"\(.mode) \(.online_memblocks)/\(.total_memblocks) \(.movable)"') $(block_states "$c")" \
	"kmem system-ram 8/8 true online=8"
check "MemTotal grew by 1 GiB" $(($(memtotal) - mem0)) "$GiB"
refused "reconfigure-device -m devdax with memory online: refused" \
	'online|busy|Device or resource busy' daxctl reconfigure-device -m devdax "$c"
show daxctl offline-memory "$c"
check "offline-memory: blocks offline, MemTotal back" \
	"$(block_states "$c") $(($(memtotal) - mem0))" "offline=8 0"
show daxctl online-memory "$c"
check "online-memory: blocks online again, MemTotal +1 GiB" \
	"$(block_states "$c") $(($(memtotal) - mem0))" "online=8 $GiB"
show daxctl reconfigure-device -f -m devdax "$c"
check "reconfigure-device -f -m devdax: device_dax again, blocks gone, MemTotal back" \
	"$(driver "$c") $(djq "$c" .mode) $(block_states "$c") $(($(memtotal) - mem0))" \
	"device_dax devdax absent=8 0"
show daxctl reconfigure-device -m system-ram --no-online "$c"
check "reconfigure-device --no-online: hot-added but offline, MemTotal unchanged" \
	"$(driver "$c") $(block_states "$c") $(($(memtotal) - mem0))" "kmem offline=8 0"
show daxctl reconfigure-device -m devdax "$c"
show daxctl reconfigure-device -m system-ram --no-movable "$a"
zones=$(for m in /sys/bus/dax/devices/"$a"/mapping0; do
	s=$(($(cat $m/start))) bs=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
	cat /sys/devices/system/memory/memory$((s / bs))/valid_zones
done)
check "reconfigure-device --no-movable: $a online in ZONE_NORMAL" \
	"$(djq "$a" '"\(.mode) \(.movable)"') $(block_states "$a") ${zones%% *}" \
	"system-ram false online=1 Normal"
show daxctl reconfigure-device -f -m devdax "$a"
check "$a back to devdax" "$(driver "$a") $(djq "$a" .mode)" "device_dax devdax"

######## misuse
refused "reconfigure-device -s on an enabled device: refused" \
	'failed to set size' daxctl reconfigure-device -s 64M "$a"
refused "destroy-device of an enabled device: refused" \
	'active|--force' daxctl destroy-device "$a"
show daxctl disable-device "$a"
refused "reconfigure-device -s 5M (not a multiple of the 2 MiB memremap granule): refused" \
	'Invalid argument|align|failed' daxctl reconfigure-device -s 5M "$a"
refused "create-device -s 3M -a 2M: refused" \
	'Invalid argument|align|failed' daxctl create-device -r "$R" -s 3M -a 2M
refused "reconfigure-device -s beyond what the region has: refused" \
	'No space left|failed' daxctl reconfigure-device -s 1G "$a"
refused "reconfigure-device -a 1G on a 128M device: refused" \
	'Invalid argument|align|failed' daxctl reconfigure-device -a 1G "$a"

######## disable, enable, destroy
show daxctl enable-device "$a"
check "enable-device: device_dax bound, /dev/$a there" \
	"$(driver "$a") $([ -c "/dev/$a" ] && echo chardev)" "device_dax chardev"
show daxctl disable-device "$a"
check "disable-device: unbound, daxctl says disabled" \
	"$(driver "$a") $(daxctl list -d "$a" -i | jq -r '.[0].state')" "none disabled"
show daxctl destroy-device "$a"
check "destroy-device $a: gone, sizes plus available_size still the region" \
	"$(present "/sys/bus/dax/devices/$a") $(($(daxctl list -D -r "$R" | jq -s 'add // [] | [.[].size] | add + 0') + $(avail)))" \
	"gone $((2 * GiB))"
show daxctl disable-device -r "$R" all
show daxctl destroy-device -r "$R" all
check "disable-device all + destroy-device all: region $R empty" \
	"$(avail) $(daxctl list -D -r "$R" | jq -s 'add // [] | [.[] | select(.size > 0)] | length')" \
	"$((2 * GiB)) 0"
show daxctl list -R -D -r "$R" -i
tap_done
