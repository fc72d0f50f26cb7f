#!/bin/bash
# Changing patch N the way the README says: "scripts/series edit", a
# fixup commit in the work tree it prints, "git rebase --autosquash",
# "scripts/series save".  On a fixture series of two patches to one file:
# the fix lands in patch 1, patch 2 follows without a hand rebase, the
# saved patches give the edited tree, and "edit" refuses to throw away
# commits that were not saved.
. "$(dirname "$0")/../../scripts/common.sh"
fx=$(mktemp -d)
export DAX_PATCHES=$fx/patches DAX_EDIT_TREE=$fx/edit
cleanup() {
	git --git-dir="$BASE_REPO" worktree remove --force "$DAX_EDIT_TREE" 2>/dev/null || true
	git --git-dir="$BASE_REPO" branch -q -D fixture-edit 2>/dev/null || true
	rm -rf "$fx"
}
trap cleanup EXIT
mkdir -p "$fx/patches"
SUITE=series-edit
. "$TOP/tests/host/lib.bash"
fixture_one "$fx/patches"
fixture_patch "$fx/patches/two.patch" "dax: fixture two" <<'PATCH'
@@ -1,3 +1,4 @@
 # SPDX-License-Identifier: GPL-2.0
+# two
 obj-$(CONFIG_DAX) += dax.o
 obj-$(CONFIG_DEV_DAX) += device_dax.o
PATCH
printf 'one.patch\ntwo.patch\n' >"$fx/patches/series"

# The edit branch is shared with the developer's own tree: use another.
export DAX_EDIT_BRANCH=fixture-edit

wt=$("$TOP/scripts/series" edit 2>/dev/null)
check "edit gives a work tree at the series" \
	"$(git -C "$wt" log --format=%s base..HEAD | tr '\n' '|')" "dax: fixture two|dax: fixture one|"
sed -i 's/^# one$/# one, mended/' "$wt/drivers/dax/Makefile"
git -C "$wt" -c user.name=Fixture -c user.email=fixture@localhost \
	commit -q -a --fixup=':/dax: fixture one'
check "edit refuses while a commit is not saved" \
	"$("$TOP/scripts/series" edit >/dev/null 2>&1 && echo accepted || echo refused)" refused
GIT_SEQUENCE_EDITOR=: git -C "$wt" -c user.name=Fixture -c user.email=fixture@localhost \
	rebase -q -i --autosquash base
"$TOP/scripts/series" save >/dev/null 2>&1
check "save writes one patch per commit, named by subject" \
	"$(grep -v '^#' "$fx/patches/series" | tr '\n' ' ')" "dax-fixture-one.patch dax-fixture-two.patch "
check "the fix lands in patch 1" \
	"$(grep -c '^+# one, mended$' "$fx/patches/dax-fixture-one.patch")" 1
check "patch 2 is unchanged but for its context" \
	"$(grep -c '^+# two$' "$fx/patches/dax-fixture-two.patch")" 1
head=$("$TOP/scripts/prepare" --commit-only ours 2>/dev/null)
check "the saved series gives the edited tree" \
	"$(git --git-dir="$BASE_REPO" show "$head:drivers/dax/Makefile" | sed -n '2p;$p' | tr '\n' '|')" \
	"# two|# one, mended|"
check "edit after save starts again from the saved series" \
	"$("$TOP/scripts/series" edit >/dev/null 2>&1 && echo accepted || echo refused)" accepted
# Another branch checked out in the work tree: save would write that
# branch's series and move the edit branch to it.
git -C "$wt" checkout -q --detach
check "save refuses a work tree without the edit branch checked out" \
	"$("$TOP/scripts/series" save >/dev/null 2>&1 && echo accepted || echo refused)" refused
done_checks
