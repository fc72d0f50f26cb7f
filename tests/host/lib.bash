# shellcheck shell=bash
# Shared by the host checks: one TAP line per check, numbered per file.
# Sourced; callers set SUITE to prefix their descriptions.
n=0 bad=0

# check DESCRIPTION GOT WANT
check() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n $SUITE: $1"
	else
		echo "not ok $n $SUITE: $1: got '$2', want '$3'"
		bad=1
	fi
}

done_checks() { exit "$bad"; }
