#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Concurrent stress of one dax region (dax_stress.c, which reports its own
# KTAP): workers create, resize, map, bind, unbind and delete instances and
# race on each other's, a reader reads every attribute, for
# DAX_STRESS_SECONDS (60 by default; 600 for the long run).  Afterwards the
# region must be exactly as before.  This script only empties the region
# before and after, and pads the memory earlier tests left online (see
# dax_helpers.sh).  kmem is never offered an instance: no worker writes to its
# files, and instances are created empty.

. "$(dirname "$0")/dax_lib.sh"
. "$DAX_DIR/dax_helpers.sh"

dax_prepare
dax_reset
dax_pad_kept >/dev/null || ktap_exit_fail_msg "cannot pad the kept ranges"
rc=0
DAX_REGION=$REGION DAX_REGION_START=$RSTART "$DAX_DIR/dax_stress" || rc=$?
dax_reset
exit $rc
