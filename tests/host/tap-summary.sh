#!/bin/bash
# scripts/tap-summary counts nested subtests, and programs that failed or
# were skipped without reporting one.  Prints one TAP line.
top=$(cd "$(dirname "$0")/../.." && pwd)
got=$(printf '%s\n' 'TAP version 13' '1..4' \
	'# selftests: dax: a' '# ok 1 x' '# not ok 2 y' 'not ok 1 selftests: dax: a # exit=1' \
	'# selftests: dax: b' 'not ok 2 selftests: dax: b # TIMEOUT 1200 seconds' \
	'# ok 1 z # SKIP' 'ok 3 selftests: dax: c' 'ok 4 selftests: dax: d # SKIP' |
	"$top/scripts/tap-summary")
if [ "$got" = "1 2 2" ]; then
	echo "ok 1 tap-summary: counts subtests and failed programs"
else
	echo "not ok 1 tap-summary: got '$got', want '1 2 2'"
	exit 1
fi
