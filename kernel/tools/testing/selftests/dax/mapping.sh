#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Writing "START-END" (hex) to an instance's "mapping" allocates exactly
# that physical range as its next range; a range that is taken, outside the
# region or malformed is refused and changes nothing.

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

before="$(dax_attr "$dev" size),$(dax_avail),$(dax_mappings "$dev")"
# Refused, whatever the errno: 6.12 answers ENOMEM to both.
check "a taken range is refused" \
	"$(dax_write "$map" "$(range $((RSTART + q / 2)) $q)" | grep -vc '^OK$')" 1
check "a range past the region is refused" \
	"$(dax_write "$map" "$(range $((RSTART + RSIZE)) $q)" | grep -vc '^OK$')" 1
for bad in $'\n' "zzz" "100-" "-100" "0x100000000"; do
	check_write "malformed $(printf %q "$bad") is refused" "$map" "$bad" EINVAL
done
# 6.12 answers a misaligned length with success but allocates nothing.
dax_write "$map" "$(range $((RSTART + 4 * q)) $((q + 4096)))" >/dev/null
check "refused ranges change nothing" \
	"$(dax_attr "$dev" size),$(dax_avail),$(dax_mappings "$dev")" "$before"

dax_reset
check "accounting after reset" "$(dax_accounting)" ok
dax_done
