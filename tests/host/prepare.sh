#!/bin/bash
# scripts/prepare on a fixture series: taking over drivers/dax removes every
# base file there but the kept super.c, puts ours in place, applies a patch
# after it, refuses a file under kernel/ that no .own entry covers, and
# gives the same commit when nothing changed.
. "$(dirname "$0")/../../scripts/common.sh"
fx=$(mktemp -d)
trap 'rm -rf "$fx"' EXIT
mkdir -p "$fx/patches" "$fx/kernel/drivers/dax"
export DAX_PATCHES=$fx/patches DAX_KERNEL=$fx/kernel
echo '# fixture' >"$fx/kernel/drivers/dax/Makefile"
echo '/* fixture */' >"$fx/kernel/drivers/dax/bus.c"
printf 'Paths: drivers/dax\nKeep: drivers/dax/super.c\n\ndax: fixture\n' >"$fx/patches/dax.own"
cat >"$fx/patches/kconfig.patch" <<'PATCH'
From: Fixture <fixture@localhost>
Date: Sat, 1 Jan 2000 00:00:00 +0000
Subject: [PATCH] dax: fixture patch

---
diff --git a/drivers/dax/Makefile b/drivers/dax/Makefile
--- a/drivers/dax/Makefile
+++ b/drivers/dax/Makefile
@@ -1 +1,2 @@
 # fixture
+# patched
PATCH
printf 'dax.own\nkconfig.patch\n' >"$fx/patches/series"

SUITE=prepare
. "$TOP/tests/host/lib.bash"

head=$("$TOP/scripts/prepare" --commit-only ours 2>/dev/null)
files=$(git --git-dir="$BASE_REPO" ls-tree -r --name-only "$head" -- drivers/dax | tr '\n' ' ')
check "an owned path holds only our files and the kept ones" "$files" \
	"drivers/dax/Makefile drivers/dax/bus.c drivers/dax/super.c "
check "a patch applies on top of owned files" \
	"$(git --git-dir="$BASE_REPO" show "$head:drivers/dax/Makefile" | tail -1)" "# patched"
check "one commit per entry, subject from the entry" \
	"$(git --git-dir="$BASE_REPO" log --format=%s base.."$head" | tr '\n' '|')" \
	"dax: fixture patch|dax: fixture|"
check "an unchanged series gives the same commit" \
	"$("$TOP/scripts/prepare" --commit-only ours 2>/dev/null)" "$head"
cp "$fx/patches/kconfig.patch" "$fx/kconfig.patch.good"
sed -i 's/^ # fixture$/ # not in the file/' "$fx/patches/kconfig.patch"
check "a patch that does not apply fails the preparation" \
	"$("$TOP/scripts/prepare" --commit-only ours >/dev/null 2>&1 && echo accepted || echo refused)" refused
cp "$fx/kconfig.patch.good" "$fx/patches/kconfig.patch"
mkdir -p "$fx/kernel/mm"
echo x >"$fx/kernel/mm/memremap.c"
check "a file under kernel/ outside any owned path is refused" \
	"$("$TOP/scripts/prepare" --commit-only ours >/dev/null 2>&1 && echo accepted || echo refused)" refused
done_checks
