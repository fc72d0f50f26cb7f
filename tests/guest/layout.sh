#!/bin/bash
# The layout of the hmem region, saved and put back at boot by udev
# (udev/dax-layout, udev/90-dax-layout.rules), in a guest booted with
# scripts/vm --udev.  Prints TAP.  Driven by scripts/boot-restore:
#
#   layout.sh save DIR     first boot: the region as the kernel made it;
#                          carve it with daxctl, save the layout into
#                          DIR/etc/dax-layout.d/ and the facts to check
#                          into DIR/expected
#   layout.sh check DIR    later boots (DIR/etc copied over /etc): udev
#                          put the layout back before anything else ran
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
set -u
mode=${1:?usage: layout.sh save|check DIR} dir=${2:?usage: layout.sh save|check DIR}

R=$(hmem_region)
[ -n "$R" ] || { tap_fail "a dax region from hmem.0"; tap_done; }

# What must come back: per instance with memory, its name, size, align,
# mode, driver, memory blocks' states and ranges; and available_size.
facts() {
	local dev
	echo "available_size $(avail)"
	for dev in $(daxctl list -D -r "$R" | jq -r '.[] | select(.size > 0) | .chardev' | sort); do
		echo "$dev $(djq "$dev" '"\(.size) \(.align) \(.mode)" +
			([.mappings[] | " \(.page_offset):\(.start)-\(.end)"] |
			sort_by(split(":")[0] | tonumber) | add)') $(driver "$dev") $(block_states "$dev")"
	done
}

kmsg_count() { dmesg | grep -c "dax-layout: region $R: layout of .* in place" || true; }

save() {
	mkdir -p "$dir/etc/dax-layout.d"
	check "first boot: dax$R.0 spans the region, kmem, memory offline" \
		"$(djq "dax$R.0" '"\(.size) \(.mode) \(.online_memblocks)"') $(driver "dax$R.0")" \
		"$((2 * GiB)) system-ram 0 kmem"
	check "first boot: no layout applied" "$(kmsg_count)" 0
	show daxctl reconfigure-device -m devdax "dax$R.0"
	show daxctl disable-device "dax$R.0"
	show daxctl reconfigure-device -s 0 "dax$R.0"
	# dax.1 becomes discontiguous: grown after dax.2 was placed behind it.
	show daxctl create-device -r "$R" -s 256M
	show daxctl create-device -r "$R" -s 256M -a 4K
	show daxctl disable-device "dax$R.1"
	show daxctl reconfigure-device -s 512M "dax$R.1"
	show daxctl enable-device "dax$R.1"
	show daxctl create-device -r "$R" -s 1G
	show daxctl reconfigure-device -m system-ram "dax$R.3"
	check "first boot: the layout made (3 instances, dax$R.1 in 2 ranges, dax$R.3 online)" \
		"$(djq "dax$R.1" '.mappings | length') $(djq "dax$R.2" .size) $(block_states "dax$R.3")" \
		"2 $((256 * MiB)) online=8"
	/usr/local/sbin/dax-layout save "$R" >"$dir/etc/dax-layout.d/hmem.json"
	check "dax-layout save: the region's path and 4 instances in the file" \
		"$(jq -r '"\(.path) \(.devices | length)"' "$dir/etc/dax-layout.d/hmem.json")" \
		"/platform/hmem.0 4"
	facts >"$dir/expected"
	show cat "$dir/expected"
}

check_restored() {
	local expected=$dir/expected before
	[ -f "$expected" ] || { tap_fail "facts of the first boot in $expected"; tap_done; }
	check "at boot, udev put the layout back once" "$(kmsg_count)" 1
	# facts costs seconds of processes in the debug guest: once per state
	before=$(facts)
	check "every instance back: names, sizes, aligns, modes, drivers, ranges, memory online" \
		"$before" "$(cat "$expected")"
	[ "$before" = "$(cat "$expected")" ] ||
		diff <(echo "$before") "$expected" | sed 's/^/# /'
	check "dax$R.3's memory online in ZONE_MOVABLE, as saved" \
		"$(djq "dax$R.3" .movable)" true
	# With daxX.Y/state, one write brings it back; daxctl otherwise.
	if [ -e "/sys/bus/dax/devices/dax$R.3/state" ]; then
		check "dax$R.3 came back through one write of its state, not daxctl" \
			"$(dmesg | grep -c "dax-layout: dax$R.3: state online_movable") $(dmesg |
			   grep -c "dax-layout: daxctl reconfigure-device -m system-ram.* dax$R.3")" "1 0"
	else
		check "dax$R.3 came back through daxctl (no daxX.Y/state)" \
			"$(dmesg | grep -c "dax-layout: daxctl reconfigure-device -m system-ram.* dax$R.3")" 1
	fi

	# Events again (udevadm trigger, a driver reload): nothing to do.
	udevadm trigger --subsystem-match=dax --action=add
	udevadm settle
	check "a second add event changes nothing" "$(facts) $(kmsg_count)" "$before 1"

	# A region changed since boot is not the saved one: left alone.
	show daxctl disable-device "dax$R.2"
	show daxctl destroy-device "dax$R.2"
	before=$(facts)
	udevadm trigger --subsystem-match=dax --action=add
	udevadm settle
	check "a region changed since boot is left alone" \
		"$(facts) $(($(dmesg | grep -c "changed since boot") > 0))" "$before 1"
}

case $mode in
save) save ;;
check) check_restored ;;
*) tap_fail "usage: layout.sh save|check DIR" ;;
esac
tap_done
