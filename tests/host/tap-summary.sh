#!/bin/bash
# scripts/tap-summary counts nested subtests, programs that failed or were
# skipped without reporting one, programs the plan announced that never
# reported, and a missing plan.  Prints one TAP line per case.
top=$(cd "$(dirname "$0")/../.." && pwd)
SUITE=tap-summary
. "$top/tests/host/lib.bash"
t() { # t DESCRIPTION WANT TAP-LINE...
	local desc=$1 want=$2
	shift 2
	check "$desc" "$(printf '%s\n' "$@" | "$top/scripts/tap-summary")" "$want"
}
t "subtests, failed and skipped programs" "1 2 2" 'TAP version 13' '1..4' \
	'# selftests: dax: a' '# ok 1 x' '# not ok 2 y' 'not ok 1 selftests: dax: a # exit=1' \
	'# selftests: dax: b' 'not ok 2 selftests: dax: b # TIMEOUT 1200 seconds' \
	'# ok 1 z # SKIP' 'ok 3 selftests: dax: c' 'ok 4 selftests: dax: d # SKIP'
t "programs that never reported fail" "1 2 0" 'TAP version 13' '1..3' \
	'# ok 1 x' 'ok 1 selftests: dax: a'
t "a run without a plan fails" "0 1 0" '/run/daxrun/cmd: line 1: cd: /x: No such file'
done_checks
