#!/bin/bash
# scripts/check-log passes a clean guest log and fails one with any kind of
# kernel report.
top=$(cd "$(dirname "$0")/../.." && pwd)
SUITE=check-log
. "$top/tests/host/lib.bash"
for log in "$top"/tests/host/logs/*.log; do
	name=$(basename "$log" .log)
	want=fails
	[ "$name" = clean ] && want=passes
	"$top/scripts/check-log" "$log" >/dev/null && got=passes || got=fails
	check "$name log $want" "$got" "$want"
done
check "a missing log is an error" \
	"$("$top/scripts/check-log" "$top/tests/host/logs/none" >/dev/null; echo $?)" 2
done_checks
