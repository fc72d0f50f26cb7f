#!/bin/bash
# scripts/prepare on a fixture series: one commit per patch with the
# patch's subject, patches applied in the order of the series file, the
# same commit when nothing changed, and a refusal for a patch that does
# not apply or an entry that is not a patch.
. "$(dirname "$0")/../../scripts/common.sh"
fx=$(mktemp -d)
trap 'rm -rf "$fx"' EXIT
mkdir -p "$fx/patches"
export DAX_PATCHES=$fx/patches
SUITE=prepare
. "$TOP/tests/host/lib.bash"
fixture_one "$fx/patches"
fixture_patch "$fx/patches/two.patch" "dax: fixture two" <<'PATCH'
@@ -14,3 +14,4 @@ dax_cxl-y := cxl.o
 
 obj-y += hmem/
 # one
+# two
PATCH
printf '# fixture\none.patch\ntwo.patch\n' >"$fx/patches/series"

head=$("$TOP/scripts/prepare" --commit-only ours 2>/dev/null)
check "the patches apply in the series' order" \
	"$(git --git-dir="$BASE_REPO" show "$head:drivers/dax/Makefile" | tail -2 | tr '\n' '|')" "# one|# two|"
check "one commit per patch, subject and author from the patch" \
	"$(git --git-dir="$BASE_REPO" log --format='%s %an %aI' base.."$head" | tr '\n' '|')" \
	"dax: fixture two Fixture 2000-01-01T00:00:00+00:00|dax: fixture one Fixture 2000-01-01T00:00:00+00:00|"
check "an unchanged series gives the same commit" \
	"$("$TOP/scripts/prepare" --commit-only ours 2>/dev/null)" "$head"
printf 'two.patch\none.patch\n' >"$fx/patches/series"
check "a patch that does not apply fails the preparation" \
	"$("$TOP/scripts/prepare" --commit-only ours >/dev/null 2>&1 && echo accepted || echo refused)" refused
printf 'one.patch\ntwo.own\n' >"$fx/patches/series"
check "an entry that is not a patch is refused" \
	"$("$TOP/scripts/prepare" --commit-only ours >/dev/null 2>&1 && echo accepted || echo refused)" refused
done_checks
