#!/bin/bash
# "git am" of the exported series onto the base gives the prepared tree
# exactly, one commit a patch, behind a cover letter that names the base
# and lists every patch.
. "$(dirname "$0")/../../scripts/common.sh"
SUITE=series
. "$TOP/tests/host/lib.bash"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
head=$("$TOP/scripts/prepare" --commit-only ours)
"$TOP/scripts/series" export "$out/series" >/dev/null

# "git am" as a maintainer would run it, in a work tree of the base that
# checks out only the files the series touches (a whole kernel tree is
# not needed to apply it); the cover letter has no diff, which
# --empty=drop skips.
git --git-dir="$BASE_REPO" worktree add -q --no-checkout --detach "$out/am" base
trap 'git --git-dir="$BASE_REPO" worktree remove --force "$out/am" 2>/dev/null; rm -rf "$out"' EXIT
sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$out"/series/*.patch | sort -u >"$out/paths"
git -C "$out/am" sparse-checkout set --no-cone --stdin <"$out/paths"
git -C "$out/am" checkout -q --detach base
if git -C "$out/am" -c user.name=am -c user.email=am@localhost \
	am -q --empty=drop "$out"/series/*.patch >"$out/am.log" 2>&1 &&
   [ "$(git -C "$out/am" rev-parse 'HEAD^{tree}')" = "$(git --git-dir="$BASE_REPO" rev-parse "$head^{tree}")" ]; then
	got=same
else
	got=different
	cat "$out/am.log" >&2
fi
check "git am of the exported patches gives the prepared tree" "$got" same
check "git am makes one commit per patch" \
	"$(git -C "$out/am" rev-list --count base..HEAD)" "$(grep -c '^[^#]' "${DAX_PATCHES:-$TOP/patches}/series")"

cover=$out/series/0000-cover-letter.patch
check "the cover letter has a subject and no placeholder" \
	"$(grep -c -e '\*\*\*' -e '@BASE@' "$cover")/$(grep -c '^Subject: \[PATCH 00/[0-9]*\] [a-z]' "$cover")" 0/1
check "the cover letter names the base package" \
	"$(grep -c "$BASE_PACKAGE $BASE_VERSION" "$cover")" 1
check "the cover letter lists every patch" \
	"$(awk '/ \([0-9]+\):$/ { on = 1; next } on && /^$/ { on = 0 } on && /^  [^ ]/' "$cover" | wc -l)" \
	"$(grep -c '^[^#]' "${DAX_PATCHES:-$TOP/patches}/series")"
done_checks
