#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An instance's align: 4K, 2M or 1G; anything else, parsed or not, refused
# with EINVAL; sizes must be multiples of the align (and of 2M, the memory
# hotplug subsection); changing it while bound (EBUSY) or when the ranges
# do not fit (EINVAL) is refused.

. "$(dirname "$0")/dax_lib.sh"

dax_start
dax_reset
echo 1 >"$REGION/create"
dev=$(cat "$REGION/seed")
al=$DAX_BUS/devices/$dev/align
sz=$DAX_BUS/devices/$dev/size

check "a new hmem instance starts at 2M" "$(cat "$al")" $((2 * MiB))
for bad in 0 1 3 8192 $((4 * MiB)) $((512 * MiB)) $((2 * GiB)); do
	check_write "align $bad is refused" "$al" $bad EINVAL
done
for bad in $'\n' abc 2M 4096x -4096 " 4096" 0x 18446744073709551616; do
	printf -v qbad %q "$bad"
	check_write_fixed "align $qbad does not parse" "$al" "$bad" EINVAL \
		"6.12 bug: ENXIO for an align that does not parse"
done
check "refused aligns change nothing" "$(cat "$al")" $((2 * MiB))

for good in 4096 $((2 * MiB)) $GiB; do
	check_write "align $good" "$al" "$good" OK
	check "align $good reads back" "$(cat "$al")" "$good"
done
check_write "align accepts hex" "$al" 0x200000 OK
check "hex align reads back" "$(cat "$al")" $((2 * MiB))

check_write "align 4K" "$al" 4096 OK
check_write "at 4K, sizes still step by 2M" "$sz" $((2 * MiB + 4096)) EINVAL
check_write "at 4K, a 2M multiple is fine" "$sz" $((6 * MiB)) OK
check_write "1G does not fit a 6M instance" "$al" $GiB EINVAL
check "the refused align is not applied" "$(cat "$al")" 4096
echo 0 >"$sz"

check_write "align 1G" "$al" $GiB OK
check_write "at 1G, 512M is refused" "$sz" $((512 * MiB)) EINVAL
check_write "at 1G, 1G is fine" "$sz" $GiB OK
check "the 1G range starts 1G aligned" "$(($(dax_attr "$dev" mapping0/start) % GiB))" 0
echo "$dev" >"$DAX_BUS/drivers/device_dax/new_id"
check_write "align cannot change while bound" "$al" $((2 * MiB)) EBUSY
check "the bound align is kept" "$(cat "$al")" $GiB
check "a 1G instance maps and holds a pattern" "$(pattern "$dev" $GiB write 0x1)$(pattern "$dev" $GiB check 0x1)" okok

dax_reset
dax_done
