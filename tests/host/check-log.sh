#!/bin/bash
# scripts/check-log passes a clean guest log and fails one with any kind of
# kernel report.  Prints one TAP line per log.
top=$(cd "$(dirname "$0")/../.." && pwd)
n=0 bad=0
for log in "$top"/tests/host/logs/*.log; do
	n=$((n + 1))
	name=$(basename "$log" .log)
	want=1
	[ "$name" = clean ] && want=0
	"$top/scripts/check-log" "$log" >/dev/null && got=0 || got=1
	if [ "$got" = "$want" ]; then
		echo "ok $n check-log: $name log $([ $want = 0 ] && echo passes || echo fails)"
	else
		echo "not ok $n check-log: $name log"
		bad=1
	fi
done
exit $bad
