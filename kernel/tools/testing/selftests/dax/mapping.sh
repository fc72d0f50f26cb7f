#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Writing "START-END" (hex) to an instance's "mapping" allocates exactly
# that physical range as its next range; a range that is taken (EADDRINUSE),
# outside the region (ERANGE), malformed or misaligned (EINVAL), or asked
# for while a driver is bound (EBUSY) is refused and changes nothing.

. "$(dirname "$0")/dax_lib.sh"

dax_start
dax_reset
q=$((256 * MiB))
echo 1 >"$REGION/create"
dev=$(cat "$REGION/seed")
map=$DAX_BUS/devices/$dev/mapping
range() { printf '%#x-%#x' "$1" $(($1 + $2 - 1)); }

check_write "allocate a chosen range" "$map" "$(range $((RSTART + q)) $q)" OK
check "it is the first mapping, exactly" "$(dax_mappings "$dev") $(dax_mapping "$dev" 0)" \
	"mapping0 $((RSTART + q)),$((RSTART + 2 * q - 1)),0"
check "the size follows" "$(dax_attr "$dev" size)" $q
check_write "allocate a second range below it" "$map" "$(range "$RSTART" $q)" OK
check "it continues the page offsets" "$(dax_mapping "$dev" 1)" \
	"$RSTART,$((RSTART + q - 1)),$((q / 4096))"
check "accounting after mapping" "$(dax_accounting)" ok

dax_snapshot before
enomem="6.12 bug: ENOMEM for every range it cannot take"
check_refused_fixed "a range overlapping another instance's is refused" "$map" \
	"$(range $((RSTART + q / 2)) $q)" EADDRINUSE "$enomem"
check_refused_fixed "a range overlapping its own is refused" "$map" \
	"$(range $((RSTART + q + 2 * MiB)) $((2 * MiB)))" EADDRINUSE "$enomem"
check_refused_fixed "a range past the region is refused" "$map" \
	"$(range $((RSTART + RSIZE)) $q)" ERANGE "$enomem"
check_refused_fixed "a range below the region is refused" "$map" \
	"$(range $((RSTART - q)) $q)" ERANGE "$enomem"
check_refused_fixed "a range straddling the region end is refused" "$map" \
	"$(range $((RSTART + RSIZE - 2 * MiB)) $((4 * MiB)))" ERANGE "$enomem"
for bad in $'\n' "zzz" "100-" "-100" "0x100000000" "-" "1x-2" "100000000-1ffffffffz"; do
	printf -v qbad %q "$bad"
	check_refused "malformed $qbad is refused" "$map" "$bad" EINVAL
done
check_refused_fixed "a misaligned length is refused" "$map" \
	"$(range $((RSTART + 4 * q)) $((q + 4096)))" EINVAL \
	"6.12 bug: answers success without allocating"
stock_bug "a misaligned start is refused" "6.12 bug: allocates at a misaligned start" ||
	check_refused "a misaligned start is refused" "$map" \
		"$(range $((RSTART + 4 * q + 4096)) $q)" EINVAL
check_refused_fixed "an inverted range is refused" "$map" \
	"$(printf '%#x-%#x' $((RSTART + 5 * q)) $((RSTART + 4 * q)))" EINVAL \
	"6.12 bug: answers success without allocating"
stock_bug "an empty range is refused" "6.12 bug: warns, then answers EBUSY" ||
	check_refused "an empty range is refused" "$map" \
		"$(printf '%#x-%#x' $((RSTART + 4 * q)) $((RSTART + 4 * q - 1)))" EINVAL
check_refused_fixed "an address beyond 64 bits is refused" "$map" \
	"1ffffffffffffffff-2ffffffffffffffff" EINVAL "6.12 differs: ERANGE"
dax_snapshot after
check "refused ranges change nothing" "$after" "$before"

echo "$dev" >"$DAX_BUS/drivers/device_dax/new_id"
check "bound to device_dax" "$(dax_driver "$dev")" device_dax
stock_bug "a range is refused while a driver is bound" "6.12 bug: allocates under a bound driver" ||
	check_refused "a range is refused while a driver is bound" "$map" \
		"$(range $((RSTART + 4 * q)) $q)" EBUSY

dax_reset
check "accounting after reset" "$(dax_accounting)" ok
dax_done
