#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The KUnit suite of the device-dax range allocator, run in this kernel:
# (re)load dax_ranges_kunit, read the suite's results from debugfs and
# report each KUnit test case as one KTAP line.  Fails if a case failed
# or the suite did not run; skips if the kernel has no such module.

DIR=$(dirname "$(readlink -f "$0")")
# shellcheck source=../kselftest/ktap_helpers.sh
. "$DIR/../kselftest/ktap_helpers.sh"

MODULE=dax_ranges_kunit
SUITE=dax_ranges
DEBUGFS=/sys/kernel/debug
RESULTS=$DEBUGFS/kunit/$SUITE/results

# The results file's case lines: "    ok 3 name", "    not ok 4 name",
# "    ok 5 name # SKIP reason".  Other lines of a case's log come before
# its result line.
CASE_RE='^    (ok|not ok) [0-9]+ ([^ ]+)( # SKIP(.*))?$'
SUITE_RE="^(ok|not ok) 1 $SUITE\$"
PLAN_RE='^    1\.\.([0-9]+)$'

bail() {
	ktap_exit_fail_msg "$*"
}

# Load the module afresh, so that its suite runs now.  Sets $how to
# "loaded", "builtin", or "" when the kernel has no such module.
load_suite() {
	local file

	how=
	file=$(modinfo -F filename "$MODULE" 2>/dev/null)
	case $file in
	"") return ;;
	"(builtin)") how=builtin; return ;;
	esac
	modprobe -q -r "$MODULE" 2>/dev/null
	modprobe "$MODULE" || bail "cannot load $MODULE"
	how=loaded
}

mount_debugfs() {
	grep -qs " $DEBUGFS debugfs " /proc/mounts && return
	mount -t debugfs debugfs "$DEBUGFS" 2>/dev/null ||
		bail "cannot mount debugfs on $DEBUGFS"
}

# Print the lines of $1 as KTAP diagnostics, verbatim.
diag() {
	local line

	while IFS= read -r line; do
		[ -n "$line" ] && printf '# %s\n' "$line"
	done <<<"$1"
}

ktap_print_header
if [ "$(id -u)" != 0 ]; then
	ktap_skip_all "needs root"
	exit "$KSFT_SKIP"
fi
if ! command -v modprobe >/dev/null || ! command -v modinfo >/dev/null; then
	ktap_skip_all "needs modprobe and modinfo (kmod)"
	exit "$KSFT_SKIP"
fi
mount_debugfs
load_suite
if [ -z "$how" ]; then
	ktap_skip_all "no $MODULE module in this kernel: it has no device-dax" \
		"KUnit suite (stock 6.12 has none; ours needs CONFIG_DEV_DAX_KUNIT_TEST=m)"
	exit "$KSFT_SKIP"
fi
[ -r "$RESULTS" ] ||
	bail "no $RESULTS: the $SUITE suite did not run" \
		"(needs CONFIG_KUNIT_DEBUGFS=y, and kunit.enable=1 if KUnit is off by default)"
mapfile -t lines <"$RESULTS"
[ "$how" = loaded ] && modprobe -q -r "$MODULE"

# Split the results into cases, each with the log lines before it.
results=() names=() reasons=() logs=() suite_ok='' planned=''
log=
for line in "${lines[@]}"; do
	if [[ $line =~ $CASE_RE ]]; then
		results+=("${BASH_REMATCH[1]}")
		names+=("${BASH_REMATCH[2]}")
		reasons+=("${BASH_REMATCH[4]}")
		logs+=("$log")
		log=
	elif [[ $line =~ $SUITE_RE ]]; then
		suite_ok=${BASH_REMATCH[1]}
	elif [[ $line =~ $PLAN_RE ]]; then
		planned=${BASH_REMATCH[1]}
	elif [[ ! $line =~ ^\ *(KTAP\ version|\#\ Subtest:|1\.\.) ]]; then
		log+=$line$'\n'
	fi
done
[ ${#names[@]} -gt 0 ] || bail "the $SUITE suite ran no test case"

ktap_set_plan ${#names[@]}
for i in "${!names[@]}"; do
	desc="$SUITE:${names[i]}"
	if [ "${results[i]}" != ok ]; then
		diag "${logs[i]}"
		ktap_test_fail "$desc"
	elif [ -n "${reasons[i]}" ]; then
		diag "$desc skipped:${reasons[i]}"
		ktap_test_skip "$desc"
	else
		ktap_test_pass "$desc"
	fi
done
[ "$planned" = ${#names[@]} ] ||
	bail "the $SUITE suite planned ${planned:-no} cases and ran ${#names[@]}"
if [ "$suite_ok" != ok ] && [ "$KTAP_CNT_FAIL" = 0 ]; then
	# A suite may fail outside its cases, e.g. in its suite_init.
	diag "$log"
	bail "the $SUITE suite reported '${suite_ok:-nothing}' with no failed case"
fi
ktap_finished
