#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input to every writable attribute of the region, of its instances
# and of the dax drivers: empty, negative, overflowing, non-numeric, with
# trailing garbage, naming instances that do not exist or are in the wrong
# state.  Each write must fail with its exact errno (or be a documented
# no-op) and leave the region's layout as it was.

. "$(dirname "$0")/dax_lib.sh"

dax_start
dax_reset
dd=$DAX_BUS/drivers/device_dax
km=$DAX_BUS/drivers/kmem
bs=$((0x$(cat $DAX_MEM/block_size_bytes)))
two64=18446744073709551616		# 2^64: overflows
top=18446744073707454464		# 2^64 - 2M: fits, and 2M aligned

# A layout to disturb: a bound instance, a sized one, an empty one.
if ! { bound=$(dax_new $((256 * MiB))) && echo "$bound" >"$dd/new_id" &&
	sized=$(dax_new "$bs") && echo 1 >"$REGION/create"; }; then
	ktap_exit_fail_msg "cannot lay out three instances"
fi
empty=$(cat "$REGION/create")
first=dax$RID.0
check "the layout to disturb" \
	"$(dax_driver "$bound") $(dax_driver "$sized") $(dax_attr "$empty" size)" \
	"device_dax none 0"
B=$DAX_BUS/devices/$bound S=$DAX_BUS/devices/$sized E=$DAX_BUS/devices/$empty

for f in "$REGION/create" "$REGION/delete" "$S/size" "$S/align" "$E/mapping" \
	 "$S/memmap_on_memory" "$dd/new_id" "$km/remove_id" "$km/bind" "$dd/unbind"; do
	check_refused "an empty write to ${f#/sys/} does nothing" "$f" "" OK
done

# region: create
for bad in $'\n' 0 2 -1 1abc abc " 1" 1.0 0x; do
	printf -v qbad %q "$bad"
	check_refused "create $qbad is refused" "$REGION/create" "$bad" EINVAL
done
check_refused_fixed "create 99999999999 is refused" "$REGION/create" 99999999999 EINVAL \
	"6.12 differs: ERANGE"

# region: delete
for bad in $'\n' "dax$RID.999" "${empty}x" "x$empty" " $empty" "$empty"$'\n\n' \
	   "dax$((RID + 1)).0" "$empty/mapping" "$(basename "$REGION_DEV")"; do
	printf -v qbad %q "$bad"
	check_refused "delete $qbad is refused" "$REGION/delete" "$bad" ENXIO
done
check_refused "deleting a bound instance is refused" "$REGION/delete" "$bound" EBUSY
check_refused "deleting a sized instance is refused" "$REGION/delete" "$sized" EBUSY
check_refused "deleting the region's first instance is refused" "$REGION/delete" "$first" EBUSY

# instance: size
sz=$S/size
for bad in $'\n' abc -2097152 2M 2097152x " 2097152" "2097152 " 0x 1.5 4096 $((bs + 4096)) 1; do
	printf -v qbad %q "$bad"
	check_refused "size $qbad is refused" "$sz" "$bad" EINVAL
done
check_refused "size 2^64 is refused" "$sz" $two64 ERANGE
check_refused "size 2^64-2M is refused" "$sz" $top ENOSPC
check_refused "a size beyond the region is refused" "$sz" $((RSIZE + 2 * MiB)) ENOSPC
for v in 0 $((256 * MiB)) $((512 * MiB)); do
	check_refused "size $v of a bound instance is refused" "$B/size" $v EBUSY
done
echo 1 >"$REGION/create"
gone=$(cat "$REGION/create")
exec {fd}>"$DAX_BUS/devices/$gone/size"
echo "$gone" >"$REGION/delete"
check "size of a deleted instance, through a file opened before, is refused" \
	"$(dax_write - $((2 * MiB)) <&$fd)" ENODEV
exec {fd}>&-
check "the deleted instance is gone" "$(present "$DAX_BUS/devices/$gone")" gone

# instance: align
al=$S/align
for bad in $'\n' abc 2M 4096x -4096 " 4096" 0x $two64; do
	printf -v qbad %q "$bad"
	check_refused_fixed "align $qbad is refused" "$al" "$bad" EINVAL \
		"6.12 bug: ENXIO for an align that does not parse"
done
for bad in 0 1 3 8192 $((4 * MiB)) $((1 << 40)) $GiB; do
	check_refused "align $bad is refused" "$al" "$bad" EINVAL
done
check_refused "align of a bound instance is refused" "$B/align" 4096 EBUSY
check_refused_fixed "align abc of a bound instance is refused" "$B/align" abc EINVAL \
	"6.12 bug: ENXIO for an align that does not parse"

# instance: mapping
map=$E/mapping
free=$(printf '%#x-%#x' $((RSTART + RSIZE - 2 * MiB)) $((RSTART + RSIZE - 1)))
for bad in $'\n' - abc xyz-123 "${free}z" "$free-1" " $free"; do
	printf -v qbad %q "$bad"
	check_refused "mapping $qbad is refused" "$map" "$bad" EINVAL
done
check_refused_fixed "mapping beyond 64 bits is refused" "$map" \
	"10000000000000000-10000001fffffff" EINVAL "6.12 differs: ERANGE"
check_refused_fixed "mapping a taken range is refused" "$map" \
	"$(printf '%#x-%#x' "$RSTART" $((RSTART + 2 * MiB - 1)))" EADDRINUSE \
	"6.12 bug: ENOMEM for a taken range"
stock_bug "mapping a free range for a bound instance is refused" \
	"6.12 bug: allocates under a bound driver" ||
	check_refused "mapping a free range for a bound instance is refused" \
		"$B/mapping" "$free" EBUSY

# instance: memmap_on_memory
mom=$S/memmap_on_memory
for bad in $'\n' 2 -1 x o " 1" +1; do
	printf -v qbad %q "$bad"
	check_refused "memmap_on_memory $qbad is refused" "$mom" "$bad" EINVAL
done
check_refused "memmap_on_memory 0 when 0 is a no-op" "$mom" 0 OK
# Turning it on needs memory_hotplug.memmap_on_memory; refused before
# anything else without it.
param=$(cat /sys/module/memory_hotplug/parameters/memmap_on_memory 2>/dev/null || echo N)
if [ "$param" = N ]; then
	check_refused "memmap_on_memory 1 is refused without memory_hotplug.memmap_on_memory" \
		"$mom" 1 EOPNOTSUPP
else
	check_write "memmap_on_memory 1 with memory_hotplug.memmap_on_memory" "$mom" 1 OK
	echo 0 >"$mom"
fi
check_write "bind the sized instance to kmem" "$km/bind" "$sized" OK
if [ "$param" = N ]; then
	check_refused "memmap_on_memory 1 under kmem is refused as unsupported" "$mom" 1 EOPNOTSUPP
else
	check_refused "changing memmap_on_memory under kmem is refused" "$mom" 1 EBUSY
fi
check_refused "memmap_on_memory 0 under kmem is a no-op" "$mom" 0 OK
check_refused "device_dax new_id of an instance bound to kmem leaves it there" \
	"$dd/new_id" "$sized" OK
check_refused "remove_id of it forgets it again" "$dd/remove_id" "$sized" OK
check_write "unbind it from kmem" "$km/unbind" "$sized" OK

# drivers: new_id, remove_id.  The four files parse names alike: every
# bad name goes to one of them, a few to the others.
for bad in $'\n' dax "dax$RID" "dax$RID." "$RID.1" "${empty}x" "$empty.2" "dax0${empty#dax}" \
	   " $empty" "DAX${empty#dax}" "$empty"$'\n\n' "dax4294967296.0" "$empty/"; do
	printf -v qbad %q "$bad"
	check_refused "kmem new_id $qbad is refused" "$km/new_id" "$bad" EINVAL
done
for f in device_dax/new_id device_dax/remove_id kmem/remove_id; do
	for bad in $'\n' "${empty}x" "dax0${empty#dax}"; do
		printf -v qbad %q "$bad"
		check_refused "$f $qbad is refused" "$DAX_BUS/drivers/$f" "$bad" EINVAL
	done
done
for f in new_id remove_id; do
	stock_bug "$f dax$RID.-1 is refused" "6.12 bug: takes a negative instance number" ||
		check_refused "$f dax$RID.-1 is refused" "$km/$f" "dax$RID.-1" EINVAL
done
# new_id offers the driver every unbound instance it matches: kmem would
# take the sized one, so these go to device_dax, which matches none.
check_refused "new_id of an instance that does not exist binds nothing" \
	"$dd/new_id" "dax$RID.999" OK
check_refused "remove_id of it forgets it" "$dd/remove_id" "dax$RID.999" OK
check_refused "remove_id of a name never added does nothing" \
	"$dd/remove_id" "dax$RID.998" OK

# drivers: bind, unbind
for bad in $'\n' "dax$RID.999" "${sized}x" " $sized" mapping0; do
	printf -v qbad %q "$bad"
	check_refused "bind $qbad is refused" "$km/bind" "$bad" ENODEV
	check_refused "unbind $qbad is refused" "$dd/unbind" "$bad" ENODEV
done
check_refused "kmem bind of an instance bound to device_dax is refused" \
	"$km/bind" "$bound" EBUSY
check_refused "device_dax bind of an instance it already holds is refused" \
	"$dd/bind" "$bound" EBUSY
check_refused "device_dax bind of an instance it does not match is refused" \
	"$dd/bind" "$sized" ENODEV
check_refused "kmem bind of an empty instance is refused" "$km/bind" "$empty" ENXIO
check_refused "kmem unbind of an instance bound to device_dax is refused" \
	"$km/unbind" "$bound" ENODEV
check_refused "unbind of an unbound instance is refused" "$dd/unbind" "$sized" ENODEV

# a full region
echo $(($(dax_attr "$sized" size) + $(dax_avail))) >"$sz"
check "the region is full" "$(dax_avail)" 0
check_refused "create in a full region is refused" "$REGION/create" 1 ENOSPC
check_refused "growing in a full region is refused" "$E/size" $((2 * MiB)) ENOSPC
echo "$bs" >"$sz"

check "accounting after all refusals" "$(dax_accounting)" ok
dax_reset
check "accounting after reset" "$(dax_accounting)" ok
dax_done
