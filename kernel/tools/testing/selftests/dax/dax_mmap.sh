#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mmap of /dev/daxX.Y (dax_mmap.c, which reports its own KTAP): private
# and misaligned mappings refused, data kept across growth, each range
# mapped at its page offset, the fault size seen through the
# dev_dax:dax_fault tracepoint, SIGBUS after unbind.  This script only
# empties the region before and after.

. "$(dirname "$0")/dax_lib.sh"

dax_prepare
dax_reset
rc=0
DAX_REGION=$REGION DAX_REGION_START=$RSTART "$DAX_DIR/dax_mmap" || rc=$?
dax_reset
exit $rc
