#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Growing and shrinking: an instance grows in place when the space after
# its last range is free, otherwise into new ranges taken first fit from
# the region start; each new range continues the page offsets, existing
# ranges keep theirs, shrinking releases the last ranges first, and data
# in the kept part survives.

. "$(dirname "$0")/dax_lib.sh"

dax_start
dax_reset
q=$((256 * MiB))
pg=4096
dd=$DAX_BUS/drivers/device_dax

if ! { a=$(dax_new $q) && b=$(dax_new $q) && c=$(dax_new $q) && d=$(dax_new $q); }; then
	ktap_exit_fail_msg "cannot create four instances"
fi
check "four instances laid out in order" \
	"$(dax_mapping "$a" 0) $(dax_mapping "$b" 0) $(dax_mapping "$c" 0) $(dax_mapping "$d" 0)" \
	"$RSTART,$((RSTART + q - 1)),0 $((RSTART + q)),$((RSTART + 2 * q - 1)),0 $((RSTART + 2 * q)),$((RSTART + 3 * q - 1)),0 $((RSTART + 3 * q)),$((RSTART + 4 * q - 1)),0"
check "accounting after creating" "$(dax_accounting)" ok

echo "$c" >"$dd/new_id"
check "pattern written to $c" "$(pattern "$c" $q write 0xc0ffee)" ok
dax_unbind "$c"
dax_forget_id "$c"

dax_destroy "$b" && dax_destroy "$d"
check "second and fourth destroyed" "$(present "$DAX_BUS/devices/$b")$(present "$DAX_BUS/devices/$d")" gonegone
check "their space is available" "$(dax_avail)" $((RSIZE - 2 * q))

check_write "grow $c by twice its size" "$DAX_BUS/devices/$c/size" $((3 * q)) OK
check "$c has three ranges" "$(dax_mappings "$c")" "mapping0 mapping1 mapping2"
check "its first range is unchanged" "$(dax_mapping "$c" 0)" \
	"$((RSTART + 2 * q)),$((RSTART + 3 * q - 1)),0"
check "the hole before it is taken first, at the next page offset" "$(dax_mapping "$c" 1)" \
	"$((RSTART + q)),$((RSTART + 2 * q - 1)),$((q / pg))"
check "then the space after it, at the next page offset" "$(dax_mapping "$c" 2)" \
	"$((RSTART + 3 * q)),$((RSTART + 4 * q - 1)),$((2 * q / pg))"
check "accounting after growing" "$(dax_accounting)" ok

check_write "grow $a" "$DAX_BUS/devices/$a/size" $((2 * q)) OK
check "$a grows into the first free space" "$(dax_mappings "$a") $(dax_mapping "$a" 1)" \
	"mapping0 mapping1 $((RSTART + 4 * q)),$((RSTART + 5 * q - 1)),$((q / pg))"
check_write "grow $a again" "$DAX_BUS/devices/$a/size" $((3 * q)) OK
check "$a extends its last range in place" "$(dax_mappings "$a") $(dax_mapping "$a" 1)" \
	"mapping0 mapping1 $((RSTART + 4 * q)),$((RSTART + 6 * q - 1)),$((q / pg))"

echo "$c" >"$dd/new_id"
check "the pattern written before growing survives" "$(pattern "$c" $q check 0xc0ffee)" ok
check "$c maps all three ranges" "$(pattern "$c" $((3 * q)) write 0x5ca1ab1e)" ok
check "its data reads back across them" "$(pattern "$c" $((3 * q)) check 0x5ca1ab1e)" ok
dax_unbind "$c"
dax_forget_id "$c"

check_write "shrink $c into its second range" "$DAX_BUS/devices/$c/size" $((q + q / 2)) OK
check "the last range is released first" "$(dax_mappings "$c")" "mapping0 mapping1"
check "the second range is trimmed from its end" "$(dax_mapping "$c" 1)" \
	"$((RSTART + q)),$((RSTART + q + q / 2 - 1)),$((q / pg))"
check_write "shrink $c to its first range" "$DAX_BUS/devices/$c/size" $q OK
check "only the first range is left" "$(dax_mappings "$c") $(dax_mapping "$c" 0)" \
	"mapping0 $((RSTART + 2 * q)),$((RSTART + 3 * q - 1)),0"
check "accounting after shrinking" "$(dax_accounting)" ok
check_write "grow $c again" "$DAX_BUS/devices/$c/size" $((2 * q)) OK
check "it takes the first hole again, not the space after it" "$(dax_mapping "$c" 1)" \
	"$((RSTART + q)),$((RSTART + 2 * q - 1)),$((q / pg))"

# The same holes, filled by a new instance in the 2nd's place: it takes
# the 2nd's hole and then the 4th's, and it and the 3rd then grow past
# each other, each growth a new range at the next page offset.
dax_reset
if ! { a=$(dax_new $q) && b=$(dax_new $q) && c=$(dax_new $q) && d=$(dax_new $q) &&
	dax_destroy "$b" && dax_destroy "$d"; }; then
	ktap_exit_fail_msg "cannot make the holes again"
fi
e=$(dax_new $((2 * q))) || ktap_exit_fail_msg "cannot create a new instance"
check "the new instance fills both holes" \
	"$(dax_mappings "$e") $(dax_mapping "$e" 0) $(dax_mapping "$e" 1)" \
	"mapping0 mapping1 $((RSTART + q)),$((RSTART + 2 * q - 1)),0 $((RSTART + 3 * q)),$((RSTART + 4 * q - 1)),$((q / pg))"
check_write "grow the 3rd" "$DAX_BUS/devices/$c/size" $((2 * q)) OK
check "the 3rd gets a second range after the new one's" \
	"$(dax_mappings "$c") $(dax_mapping "$c" 1)" \
	"mapping0 mapping1 $((RSTART + 4 * q)),$((RSTART + 5 * q - 1)),$((q / pg))"
check_write "grow the new instance" "$DAX_BUS/devices/$e/size" $((3 * q)) OK
check "it gets a third range, not its second extended" \
	"$(dax_mappings "$e") $(dax_mapping "$e" 2)" \
	"mapping0 mapping1 mapping2 $((RSTART + 5 * q)),$((RSTART + 6 * q - 1)),$((2 * q / pg))"
check "the 1st is untouched" "$(dax_mappings "$a") $(dax_mapping "$a" 0)" \
	"mapping0 $RSTART,$((RSTART + q - 1)),0"
check "accounting after the second round" "$(dax_accounting)" ok

dax_reset
check "accounting after reset" "$(dax_accounting)" ok
dax_done
