#!/bin/bash
# The exported series applies, patch by patch, to the base and gives the
# prepared tree exactly, behind a cover letter that names the base and
# lists every patch.
. "$(dirname "$0")/../../scripts/common.sh"
SUITE=series
. "$TOP/tests/host/lib.bash"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
head=$("$TOP/scripts/prepare" --commit-only ours)
"$TOP/scripts/series" export "$out/series" >/dev/null

export GIT_DIR=$BASE_REPO GIT_INDEX_FILE=$out/index GIT_WORK_TREE=$out/empty
mkdir "$out/empty"
git read-tree base
applied=yes
for p in "$out"/series/*.patch; do
	[ "${p##*/}" = 0000-cover-letter.patch ] && continue
	git apply --cached "$p" 2>/dev/null || { applied=no; break; }
done
[ "$applied" = yes ] && [ "$(git write-tree)" = "$(git rev-parse "$head^{tree}")" ] &&
	got=same || got=different
check "the exported patches rebuild the prepared tree" "$got" same

cover=$out/series/0000-cover-letter.patch
check "the cover letter has a subject and no placeholder" \
	"$(grep -c -e '\*\*\*' -e '@BASE@' "$cover")/$(grep -c '^Subject: \[PATCH 00/[0-9]*\] [a-z]' "$cover")" 0/1
check "the cover letter names the base package" \
	"$(grep -c "$BASE_PACKAGE $BASE_VERSION" "$cover")" 1
check "the cover letter lists every patch" \
	"$(awk '/ \([0-9]+\):$/ { on = 1; next } on && /^$/ { on = 0 } on && /^  [^ ]/' "$cover" | wc -l)" \
	"$(grep -c '^[^#]' "$TOP/patches/series")"
done_checks
