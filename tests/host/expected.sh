#!/bin/bash
# scripts/expected holds a selftest run against a list of known
# differences: an expected failure, an unexpected one, a stale entry, a
# subtest not to run (DAX_SKIP), an expected skip, a glob entry, an entry
# that matches nothing, and a program that ended abnormally.  Prints one
# TAP line per case.
top=$(cd "$(dirname "$0")/../.." && pwd)
SUITE=expected
. "$top/tests/host/lib.bash"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

T=$'\t'
cat >"$tmp/list" <<EOF
# a comment, then a blank line

a.sh${T}x is refused${T}fail${T}bug X
a.sh${T}y is refused${T}norun${T}bug Y hangs
b.sh${T}grow * (slab: * faults)${T}fail${T}bug G
b.sh${T}align \\ 4096 is refused${T}fail${T}bug A
c.sh${T}-${T}skip${T}no suite
EOF
# run TAP-LINE...: scripts/expected's verdict (its exit status), its "ok"
# lines, its "not ok" lines and its counts, on a runner's output.
run() {
	local rc=0 out
	printf '%s\n' "$@" >"$tmp/out.log"
	out=$("$top/scripts/expected" "$tmp/list" "$tmp/out.log") || rc=$?
	echo "rc=$rc ok=$(grep -c '^ok ' <<<"$out") notok=$(grep -c '^not ok ' <<<"$out")" \
		"$(grep '^# counts: ' <<<"$out")"
}
# a run of a.sh and b.sh as the list expects it
good=('TAP version 13' '1..3'
	'# selftests: dax: a.sh' '# ok 1 w is refused' '# not ok 2 x is refused'
	'# ok 3 y is refused # SKIP listed in DAX_SKIP' 'not ok 1 selftests: dax: a.sh # exit=1'
	'# selftests: dax: b.sh' '# not ok 1 grow dax0.1 (slab: 12 faults) #  EINVAL'
	'# ok 2 grow dax0.1 (page: 3 faults)' '# not ok 3 align \ 4096 is refused'
	'not ok 2 selftests: dax: b.sh # exit=1'
	'# selftests: dax: c.sh' '# 1..0 # SKIP no module' 'ok 3 selftests: dax: c.sh # SKIP')
# the start of a run of a.sh alone
a1=('TAP version 13' '1..1' '# selftests: dax: a.sh' '# ok 1 w is refused')

check "expected failures, a norun and a skip pass" "$(run "${good[@]}")" \
	"rc=0 ok=3 notok=0 # counts: 2 0 2"
check "the norun and the skipped program are reported" \
	"$(printf '%s\n' "${good[@]}" >"$tmp/out.log"
	   "$top/scripts/expected" "$tmp/list" "$tmp/out.log" | grep -c '^# \(not run\|skipped as expected\): ')" 2
check "an expected failure names the entry's reason" \
	"$(printf '%s\n' "${good[@]}" >"$tmp/out.log"
	   "$top/scripts/expected" "$tmp/list" "$tmp/out.log" | grep -c '^ok - stock 6.12 differs as expected: a.sh: x is refused: bug X$')" 1
check "an unexpected failure fails" \
	"$(run "${a1[@]}" '# not ok 2 x is refused' '# not ok 3 z is refused' \
	   '# ok 4 y is refused # SKIP listed in DAX_SKIP' 'not ok 1 selftests: dax: a.sh # exit=1')" \
	"rc=1 ok=1 notok=1 # counts: 1 0 1"
check "a fail entry whose subtest passed is stale" \
	"$(run "${a1[@]}" '# ok 2 x is refused' \
	   '# ok 3 y is refused # SKIP listed in DAX_SKIP' 'ok 1 selftests: dax: a.sh')" \
	"rc=1 ok=0 notok=1 # counts: 2 0 1"
check "a glob entry: each subtest it matches must fail" \
	"$(run 'TAP version 13' '1..1' '# selftests: dax: b.sh' \
	   '# not ok 1 grow dax0.1 (slab: 12 faults)' '# ok 2 grow dax0.2 (slab: 9 faults)' \
	   '# not ok 3 align \ 4096 is refused' 'not ok 1 selftests: dax: b.sh # exit=1')" \
	"rc=1 ok=2 notok=1 # counts: 1 0 0"
check "a norun subtest that ran is a failure" \
	"$(run "${a1[@]}" '# not ok 2 x is refused' '# ok 3 y is refused' 'not ok 1 selftests: dax: a.sh # exit=1')" \
	"rc=1 ok=1 notok=1 # counts: 2 0 0"
check "an entry that matches no subtest of a program that ran fails" \
	"$(run "${a1[@]}" '# not ok 2 x is refused' 'not ok 1 selftests: dax: a.sh # exit=1')" \
	"rc=1 ok=1 notok=1 # counts: 1 0 0"
check "entries of programs that did not run are left alone" \
	"$(run 'TAP version 13' '1..1' '# selftests: dax: d.sh' '# ok 1 q' 'ok 1 selftests: dax: d.sh')" \
	"rc=0 ok=0 notok=0 # counts: 1 0 0"
check "a program that ran instead of skipping is stale" \
	"$(run 'TAP version 13' '1..1' '# selftests: dax: c.sh' '# ok 1 q' 'ok 1 selftests: dax: c.sh')" \
	"rc=1 ok=0 notok=1 # counts: 1 0 0"
check "a program whose only failures are expected but that timed out fails" \
	"$(run "${a1[@]}" '# not ok 2 x is refused' '# ok 3 y is refused # SKIP listed in DAX_SKIP' \
	   'not ok 1 selftests: dax: a.sh # TIMEOUT 1200 seconds')" \
	"rc=1 ok=1 notok=1 # counts: 1 0 1"
check "--skip gives DAX_SKIP: the norun entries" \
	"$("$top/scripts/expected" --skip "$tmp/list")" "a.sh: y is refused"
printf 'a.sh\tx\tbroken\twhy\n' >"$tmp/bad"
check "a kind other than fail, norun or skip is refused" \
	"$("$top/scripts/expected" --skip "$tmp/bad" 2>/dev/null; echo $?)" 1
check "the stock list parses" \
	"$("$top/scripts/expected" --skip "$top/tests/stock-expected.tsv" >/dev/null; echo $?)" 0
done_checks
