#!/bin/bash
# scripts/kunit-log reads a module's KUnit suite from a guest's console
# log with the kernel's kunit.py parse: the last block of that suite, not
# the empty one KUnit prints at boot; a failed case and a missing suite
# fail.
. "$(dirname "$0")/../../scripts/common.sh"
SUITE=kunit-log
. "$TOP/tests/host/lib.bash"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git --git-dir="$BASE_REPO" archive base tools/testing/kunit | tar -x -C "$tmp"
kunit=$tmp/tools/testing/kunit

# console LOG RESULT-OF-CASE-2: a boot block, noise, and the suite
console() {
	printf '%s\r\n' '[    8.04] KTAP version 1' '[    8.05] 1..0' '[   98.46] kmem dax0.1: noise' \
		'[  112.12] KTAP version 1' '[  112.13] 1..1' \
		'[  112.14]     KTAP version 1' '[  112.15]     # Subtest: dax_ranges' \
		'[  112.16]     1..2' '[  112.17]     ok 1 case_one' \
		"[  112.18]     $1 2 case_two" '[  112.19] ok 1 dax_ranges' \
		'[  125.02] nd_pmem namespace1.0: noise' >"$tmp/console.log"
}
run() { "$TOP/scripts/kunit-log" "$kunit" "$tmp/console.log" dax_ranges 2>&1; echo "rc=$?"; }

console ok
check "each case of the suite is one TAP line" "$(run | tr '\n' '|')" \
	"ok - kunit dax_ranges: case_one|ok - kunit dax_ranges: case_two|rc=0|"
console 'not ok'
check "a failed case fails" "$(run | grep -c '^not ok - kunit dax_ranges: case_two'; run | tail -1)" $'1\nrc=1'
printf '[ 8.0] KTAP version 1\n[ 8.1] 1..0\n' >"$tmp/console.log"
check "a log without the suite fails" "$(run | tail -1)" "rc=1"
done_checks
