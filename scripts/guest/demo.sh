#!/bin/bash
# The demo, run inside the guest by scripts/demo, in two boots.  First:
# carve the hmem region up with Debian's daxctl, write and read through
# mmap, lend an instance to the kernel as System RAM and save the layout
# (udev/dax-layout) into the run directory.  Second, booted with that
# layout in /etc/dax-layout.d: see udev put it back, then tear it down.
# Usage: demo.sh carve SELFTESTS_INSTALL_DIR | demo.sh restored SAVED_JSON
set -u
part=${1:?usage: demo.sh carve INSTALL_DIR | restored SAVED_JSON}
arg=${2:?usage: demo.sh carve INSTALL_DIR | restored SAVED_JSON}
summary=()
failed=0

step() { printf '\n\033[1m### %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }
record() { # record OK|FAIL TEXT
	summary+=("$(printf '%-4s %s' "$1" "$2")")
	[ "$1" = OK ] || failed=1
}
expect() { # expect TEXT COMMAND...: run it, record the outcome
	local text=$1; shift
	if "$@"; then record OK "$text"; else record FAIL "$text"; fi
}
dev_json() { daxctl list -d "$1" -M 2>/dev/null | jq -c '.[0]'; }
memtotal_mib() { echo $(($(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo) / 1024)); }

# The instances with memory: name, size, mode and ranges, one per line.
shape() {
	jq -r '.devices[] | select(.size > 0) | "\(.chardev) \(.size) \(.mode) " +
		([.mappings[] | "\(.start)-\(.end)"] | sort | join(","))' | sort
}

finish() {
	printf '\n\033[1m### Summary\033[0m\n'
	printf '%s\n' "${summary[@]}"
	exit $failed
}

if [ "$part" = restored ]; then
	step "Booted again: udev ran dax-layout, which put the saved layout back"
	dmesg | sed -n 's/^.*\(dax-layout: \)/\1/p'
	show daxctl list -D -M -r 0
	now=$(daxctl list -R -D -M -r 0 | jq '.[0]' | shape)
	expect "the same $(wc -l <<<"$now") instances, modes and ranges as saved" \
		test -n "$now" -a "$now" = "$(shape <"$arg")"
	big=$(daxctl list -D -r 0 | jq -r '.[] | select(.mode == "system-ram") | .chardev')
	online=$(daxctl list -d "$big" | jq '.[0].online_memblocks')
	expect "$big is System RAM again, $online memory blocks online" test "$online" = 8

	step "Tear down"
	show daxctl offline-memory "$big"
	show daxctl reconfigure-device -m devdax "$big" >/dev/null
	show daxctl disable-device -r 0 all
	show daxctl destroy-device -r 0 all
	show daxctl list -R -r 0
	avail=$(daxctl list -r 0 -R | jq '.[0].available_size')
	expect "all devices destroyed, region free" test "$avail" = $((2 << 30))
	finish
fi
bin=$arg/dax

step "The Soft Reserved range became dax region 0, given to the kernel as memory"
grep 'Soft Reserved' /proc/iomem
show daxctl list -R -D -M
expect "region 0 found, 2 GiB" test "$(daxctl list -r 0 -R | jq '.[0].size')" = $((2 << 30))

step "Take dax0.0 back from kmem and empty the region"
show daxctl reconfigure-device -m devdax dax0.0 >/dev/null
show daxctl disable-device dax0.0
show daxctl destroy-device dax0.0
avail=$(daxctl list -r 0 -R | jq '.[0].available_size')
expect "region emptied: $((avail >> 20)) MiB available" test "$avail" = $((2 << 30))

step "Create three devices of different sizes and aligns"
show daxctl create-device -r 0 -s 1G -a 1G
show daxctl create-device -r 0 -s 512M -a 2M
show daxctl create-device -r 0 -s 256M -a 4K
show daxctl list -r 0 -D
n=$(daxctl list -r 0 -D | jq '[.[] | select(.size > 0)] | length')
expect "3 devices created (1G@1G, 512M@2M, 256M@4K)" test "$n" = 3
big=$(daxctl list -r 0 -D | jq -r '.[] | select(.align == 1073741824) | .chardev')
mid=$(daxctl list -r 0 -D | jq -r '.[] | select(.align == 2097152 and .size > 0) | .chardev')
small=$(daxctl list -r 0 -D | jq -r '.[] | select(.align == 4096) | .chardev')

step "Destroy $mid, then grow $small past its free neighbour: it becomes discontiguous"
show daxctl disable-device "$mid"
show daxctl destroy-device "$mid"
show daxctl disable-device "$small"
show daxctl reconfigure-device -s 768M "$small"
show daxctl enable-device "$small"
show daxctl list -d "$small" -M
maps=$(dev_json "$small" | jq '.mappings | length')
expect "$small grown to 768M in $maps ranges" test "$maps" = 2

step "Write a pattern through mmap of /dev/$small and read it back"
show "$bin/dax_pattern" "/dev/$small" $((768 << 20)) write 0xdace &&
show "$bin/dax_pattern" "/dev/$small" $((768 << 20)) check 0xdace
expect "pattern written and read back through mmap" test $? = 0

step "Hand $big to the kernel as System RAM, then take it back"
before=$(memtotal_mib)
show daxctl reconfigure-device -m system-ram "$big"
during=$(memtotal_mib)
echo "MemTotal: $before MiB -> $during MiB"
expect "MemTotal grew by $((during - before)) MiB with $big as System RAM" \
	test $((during - before)) = 1024
show daxctl offline-memory "$big"
show daxctl reconfigure-device -m devdax "$big"
after=$(memtotal_mib)
echo "MemTotal: $during MiB -> $after MiB"
expect "MemTotal back to $after MiB with $big as devdax" test "$after" = "$before"

step "Keep a layout across reboots: $big as System RAM, saved for udev"
show daxctl reconfigure-device -m system-ram "$big" >/dev/null
mkdir -p /run/daxrun/etc/dax-layout.d
saved=/run/daxrun/etc/dax-layout.d/demo.json
/usr/local/sbin/dax-layout save 0 >"$saved"
echo "\$ dax-layout save 0 > /etc/dax-layout.d/demo.json"
shape <"$saved"
expect "layout saved: $(shape <"$saved" | wc -l) instances" test -s "$saved"
finish
