#!/bin/bash
# The exported series applies, patch by patch, to the base and gives the
# prepared tree exactly; and every base file under an owned path is gone
# from the prepared tree unless the series ships or keeps it.
. "$(dirname "$0")/../../scripts/common.sh"
SUITE=series
. "$TOP/tests/host/lib.bash"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$TOP/scripts/series" "$out/series" >/dev/null

export GIT_DIR=$BASE_REPO GIT_INDEX_FILE=$out/index GIT_WORK_TREE=$out/empty
mkdir "$out/empty"
git read-tree base
applied=yes
for p in "$out"/series/*.patch; do
	git apply --cached "$p" 2>/dev/null || { applied=no; break; }
done
[ "$applied" = yes ] && [ "$(git write-tree)" = "$(git rev-parse 'ours^{tree}')" ] &&
	got=same || got=different
check "the exported patches rebuild the prepared tree" "$got" same

leftover=$(for own in "$TOP"/patches/*.own; do
	keep=$(sed -n '/^$/q; s/^Keep:[[:space:]]*//p' "$own")
	for path in $(sed -n '/^$/q; s/^Paths:[[:space:]]*//p' "$own"); do
		git ls-tree -r --name-only ours -- "$path" | while read -r f; do
			[ -e "$TOP/kernel/$f" ] && continue
			case " $keep " in *" $f "*) continue ;; esac
			echo "$f"
		done
	done
done)
check "no base file survives under an owned path" "$leftover" ""
done_checks
