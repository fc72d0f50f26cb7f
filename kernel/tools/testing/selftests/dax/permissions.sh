#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may touch device-dax.  Every attribute of the region, of its
# instances and their mappings, of the dax bus and of its drivers has its
# documented mode, root's, and no group or other write bit.  An
# unprivileged user (nobody) gets EACCES writing any of them and changes
# nothing, and EACCES reading the physical addresses (resource,
# mappingN/start, end and page_offset) that only root may see.
# /dev/daxX.Y is a character device, 0600 root:root, that nobody cannot
# open.

. "$(dirname "$0")/dax_lib.sh"

dax_start
command -v setpriv >/dev/null || dax_skip_all "needs setpriv (util-linux)"
dax_reset
dd=$DAX_BUS/drivers/device_dax
km=$DAX_BUS/drivers/kmem

# A bound instance, a sized one and an empty one.
if ! { bound=$(dax_new $((4 * MiB))) && echo "$bound" >"$dd/new_id" &&
	sized=$(dax_new $((2 * MiB))) && echo 1 >"$REGION/create"; }; then
	ktap_exit_fail_msg "cannot lay out three instances"
fi
empty=$(cat "$REGION/create")
check "the layout" "$(dax_driver "$bound") $(dax_driver "$sized") $(dax_attr "$empty" size)" \
	"device_dax none 0"
B=$DAX_BUS/devices/$bound S=$DAX_BUS/devices/$sized E=$DAX_BUS/devices/$empty

# ---- modes ----

# The documented mode of each attribute (Documentation/ABI/testing/sysfs-bus-dax
# and the driver core's), by directory kind.
declare -A mode=(
	[region/id]=444 [region/size]=444 [region/align]=400 [region/available_size]=444
	[region/seed]=444 [region/create]=644 [region/delete]=200
	[instance/size]=644 [instance/align]=644 [instance/mapping]=200
	[instance/target_node]=444 [instance/numa_node]=444 [instance/resource]=400
	[instance/modalias]=444 [instance/memmap_on_memory]=644 [instance/uevent]=644
	[instance/dev]=444
	[mapping/start]=400 [mapping/end]=400 [mapping/page_offset]=400 [mapping/uevent]=644
	[driver/bind]=200 [driver/unbind]=200 [driver/new_id]=200 [driver/remove_id]=200
	[driver/uevent]=200
	[bus/drivers_autoprobe]=644 [bus/drivers_probe]=200 [bus/uevent]=200
)

# check_modes KIND DIR...: the regular files of each DIR are root's, have
# the documented mode of KIND, and none is writable by group or others.
check_modes() {
	local kind=$1 bad='' n=0 m owner f want
	shift
	while read -r m owner f; do
		n=$((n + 1))
		want=${mode[$kind/${f##*/}]:-}
		if [ $((8#$m & 8#022)) != 0 ] || [ "$owner" != root:root ] ||
		   { [ -n "$want" ] && [ "$m" != "$want" ]; }; then
			bad+=" ${f#/sys/}=$m,$owner${want:+ (want $want)}"
		fi
	done < <(find -H "$@" -maxdepth 1 -type f -printf '%m %u:%g %p\n')
	[ -z "$bad" ] || ktap_print_msg "$kind:$bad"
	[ "$n" -gt 0 ] || bad=" no files found in $*"
	check "$kind attributes: documented modes, root's, no group/other write ($n files)" \
		"${bad:-none}" none
}

check_modes region "$REGION"
check_modes instance "$B" "$S" "$E"
check_modes mapping "$B"/mapping[0-9]* "$S"/mapping[0-9]*
check_modes driver "$dd" "$km"
check_modes bus "$DAX_BUS"

# ---- as nobody ----

# dax_write as nobody: it must be in a directory nobody may enter.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$DAX_DIR/dax_write" "$tmp/" && chmod 755 "$tmp" "$tmp/dax_write"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }

check "nobody is not root" "$(nobody id -u)" 65534

# Each write as nobody, in one process (processes are slow in a guest):
# "FILE VALUE DESCRIPTION" lines in, one errno name per line out.
free=$(printf '%#x-%#x' $((RSTART + RSIZE - 2 * MiB)) $((RSTART + RSIZE - 1)))
writes="$REGION/create 1 create an instance
$REGION/delete $empty delete an instance
$S/size $((4 * MiB)) grow an instance
$S/size 0 empty an instance
$S/align 4096 set the align
$E/mapping $free claim a range
$S/memmap_on_memory 0 write memmap_on_memory
$S/uevent change send an instance uevent
$S/mapping0/uevent change send a mapping uevent
$dd/unbind $bound unbind device_dax
$km/bind $sized bind kmem
$dd/new_id $sized add a device_dax id
$dd/remove_id $bound remove a device_dax id
$km/new_id $sized add a kmem id
$km/remove_id $sized remove a kmem id
$dd/uevent change send a driver uevent
$DAX_BUS/drivers_probe $sized probe an instance
$DAX_BUS/drivers_autoprobe 0 turn off autoprobe
$DAX_BUS/uevent change send a bus uevent"
dax_snapshot before
before+=" autoprobe=$(cat "$DAX_BUS/drivers_autoprobe")"
# shellcheck disable=SC2016
mapfile -t got < <(nobody bash -c 'while read -r f v _; do "$0" "$f" "$v"; done' \
	"$tmp/dax_write" <<<"$writes")
dax_snapshot after
after+=" autoprobe=$(cat "$DAX_BUS/drivers_autoprobe")"
i=0
while read -r _ _ what; do
	check "nobody cannot $what" "${got[i]:-}" EACCES
	i=$((i + 1))
done <<<"$writes"
[ "$after" = "$before" ] || ktap_print_msg "layout changed from '$before' to '$after'"
check "nobody's writes changed nothing" "$after" "$before"
check "the bound instance is still device_dax's" "$(dax_driver "$bound")" device_dax

# Physical addresses are root's to read; the rest is everyone's.  One
# process again: "OK", "EACCES" or the error for each file.
secret=("$B/resource" "$B/mapping0/start" "$B/mapping0/end" "$B/mapping0/page_offset"
	"$REGION/align")
public=("$B/size" "$B/align" "$B/target_node" "$REGION/size" "$REGION/available_size")
# shellcheck disable=SC2016
mapfile -t got < <(nobody bash -c 'for f; do
	if msg=$( { read -r _ <"$f"; } 2>&1); then echo OK
	elif [[ $msg == *"Permission denied"* ]]; then echo EACCES
	else echo "$msg"; fi
done' _ "${secret[@]}" "${public[@]}")
i=0
for f in "${secret[@]}"; do
	v=
	read -r v <"$f" 2>/dev/null
	check "root reads ${f#/sys/}" "${v:+OK}" OK
	check "nobody cannot read ${f#/sys/}" "${got[i]:-}" EACCES
	i=$((i + 1))
done
for f in "${public[@]}"; do
	check "nobody reads ${f#/sys/}" "${got[i]:-}" OK
	i=$((i + 1))
done

# ---- /dev/daxX.Y ----

for dev in "$bound" "$sized" "$empty"; do
	IFS=: read -r major minor <"$DAX_BUS/devices/$dev/dev"
	check "/dev/$dev is a character device, 0600 root:root, numbered as in sysfs" \
		"$(stat -c '%F %a %U:%G %t:%T' "/dev/$dev" 2>&1)" \
		"character special file 600 root:root $(printf '%x:%x' "$major" "$minor")"
done
check "root opens /dev/$bound" "$( (exec 3<>"/dev/$bound") 2>/dev/null && echo OK)" OK
# shellcheck disable=SC2016
msg=$(nobody bash -c 'exec 3<>"$1"' _ "/dev/$bound" 2>&1)
check "nobody cannot open /dev/$bound" "${msg//*Permission denied*/EACCES}" EACCES

dax_reset
dax_done
