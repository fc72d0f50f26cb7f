#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The life of one instance: create through the region's "create", size it,
# bind it to device_dax, write and read it through mmap, shrink it, empty
# and delete it, checking available_size at each step and that rejected
# writes fail with the right errno and change nothing.

. "$(dirname "$0")/dax_lib.sh"

dax_start
dax_reset
dd=$DAX_BUS/drivers/device_dax

check_write "create rejects values other than 1" "$REGION/create" 2 EINVAL
check_write "create" "$REGION/create" 1 OK
dev=$(cat "$REGION/seed")
sz=$DAX_BUS/devices/$dev/size
check "create names the new instance" "$(cat "$REGION/create")" "$dev"
check "the new instance is the seed" "$(present "$DAX_BUS/devices/${dev:-none}")" present
check "the seed is empty" "$(dax_attr "$dev" size)" 0
check "the seed is unbound" "$(dax_driver "$dev")" none
check "the seed has no mapping" "$(dax_mappings "$dev")" ""
check "creating takes no space" "$(dax_avail)" "$RSIZE"

size=$((512 * MiB))
check_write "misaligned size is refused" "$sz" $((size + 4096)) EINVAL
check_write "non-numeric size is refused" "$sz" "12abc" EINVAL
check_write "size beyond the region is refused" "$sz" $((RSIZE + 2 * MiB)) ENOSPC
check "refused sizes change nothing" "$(dax_attr "$dev" size),$(dax_avail)" "0,$RSIZE"

check_write "size the instance" "$sz" $size OK
check "size reads back" "$(dax_attr "$dev" size)" $size
check "available_size shrinks by the size" "$(dax_avail)" $((RSIZE - size))
check "one mapping" "$(dax_mappings "$dev")" "mapping0"
check "first fit at the region start" "$(dax_mapping "$dev" 0)" "$RSTART,$((RSTART + size - 1)),0"

check_write "bind to device_dax through new_id" "$dd/new_id" "$dev" OK
check "bound to device_dax" "$(dax_driver "$dev")" device_dax
check "character device exists" "$([ -c "/dev/$dev" ] && echo yes)" yes
check "a bound instance is no longer the seed" "$(cat "$REGION/seed")" ""
check_write "create a second instance" "$REGION/create" 1 OK
other=$(cat "$REGION/create")
check "it becomes the seed" "$(cat "$REGION/seed")" "$other"
check_write "create a third" "$REGION/create" 1 OK
check "the seed stays the oldest unbound instance" "$(cat "$REGION/seed")" "$other"
check_write "delete the third" "$REGION/delete" "$(cat "$REGION/create")" OK
check_write "delete the second" "$REGION/delete" "$other" OK
check "no seed is left" "$(cat "$REGION/seed")" ""
check_write "resizing a bound instance is refused" "$sz" $((size / 2)) EBUSY
check_write "deleting a bound instance is refused" "$REGION/delete" "$dev" EBUSY
check "refused writes change nothing" "$(dax_attr "$dev" size),$(dax_avail)" \
	"$size,$((RSIZE - size))"

check "write a pattern through mmap" "$(pattern "$dev" $size write 0x5eed)" ok
check "read the pattern back" "$(pattern "$dev" $size check 0x5eed)" ok
check "a different pattern does not match" "$(pattern "$dev" $size check 0xbad)" mismatch

check_write "unbind" "$dd/unbind" "$dev" OK
dax_forget_id "$dev"
check "unbound" "$(dax_driver "$dev")" none
check_write "shrink to half" "$sz" $((size / 2)) OK
check "shrunk size reads back" "$(dax_attr "$dev" size)" $((size / 2))
check "shrinking returns space" "$(dax_avail)" $((RSIZE - size / 2))
check "shrinking keeps the start and trims the end" "$(dax_mapping "$dev" 0)" \
	"$RSTART,$((RSTART + size / 2 - 1)),0"
check_write "rebind through new_id" "$dd/new_id" "$dev" OK
check "the kept half still holds the pattern" "$(pattern "$dev" $((size / 2)) check 0x5eed)" ok
check_write "unbind again" "$dd/unbind" "$dev" OK
dax_forget_id "$dev"

check_write "deleting a sized instance is refused" "$REGION/delete" "$dev" EBUSY
check_write "empty the instance" "$sz" 0 OK
check "emptying returns all space" "$(dax_avail)" "$RSIZE"
check "an empty instance has no mapping" "$(dax_mappings "$dev")" ""
check_write "delete" "$REGION/delete" "$dev" OK
check "deleted instance is gone" "$(present "$DAX_BUS/devices/$dev")" gone
check "deleting leaves the region free" "$(dax_avail)" "$RSIZE"
check_write "deleting it again is refused" "$REGION/delete" "$dev" ENXIO
check_write "deleting an unknown name is refused" "$REGION/delete" "dax$RID.999" ENXIO
dax_done
