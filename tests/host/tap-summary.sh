#!/bin/bash
# scripts/tap-summary counts what programs report in their Totals lines, nested
# subtests of programs that died before them, programs that failed or were
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
t "a program's Totals line is its count" "3 2 1" 'TAP version 13' '1..1' \
	'# ok 1 x' '# # Totals: pass:2 fail:1 xfail:1 xpass:0 skip:1 error:1' \
	'not ok 1 selftests: dax: a # exit=1'
t "a program that fails with clean Totals counts one failure" "2 1 0" 'TAP version 13' '1..1' \
	'# ok 1 x' '# ok 2 y' '# # Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0' \
	'not ok 1 selftests: dax: a # exit=1'
t "a program that died before its Totals is counted by its lines" "2 1 0" 'TAP version 13' '1..2' \
	'# ok 1 x' '# # Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0' 'ok 1 selftests: dax: a' \
	'# ok 1 y' '# not ok 2 z' 'not ok 2 selftests: dax: b # exit=139'
done_checks
