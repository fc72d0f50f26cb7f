#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sysfs fuzzing (dax_fuzz.c, which reports its own KTAP): ten thousand
# malformed and hostile writes to every writable attribute of the hmem
# region, its instances, the dax bus and its drivers, each checked for
# its documented errno and for leaving the layout as it was.  Arguments
# go to dax_fuzz ("-s SEED" replays a run).  This script only empties the
# region before and after.

. "$(dirname "$0")/dax_lib.sh"

dax_prepare
dax_reset
rc=0
DAX_REGION=$REGION DAX_REGION_START=$RSTART "$DAX_DIR/dax_fuzz" "$@" || rc=$?
dax_reset
exit $rc
