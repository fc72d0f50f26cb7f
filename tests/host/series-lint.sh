#!/bin/bash
# The per-patch text gates (scripts/series-check --lint): every patch of
# the series passes checkpatch --strict and kernel-doc -Wall, and a patch
# that adds a kernel-doc comment missing a parameter is refused, also
# when asked again (scripts/series-check remembers clean patches only).
. "$(dirname "$0")/../../scripts/common.sh"
SUITE=series-lint
. "$TOP/tests/host/lib.bash"

check "every patch of the series passes checkpatch and kernel-doc" \
	"$("$TOP/scripts/series-check" --lint >/dev/null 2>&1 && echo clean || echo refused)" clean

fx=$(mktemp -d)
trap 'rm -rf "$fx"' EXIT
cat >"$fx/bad.patch" <<'PATCH'
From: Fixture <fixture@localhost>
Date: Sat, 1 Jan 2000 00:00:00 +0000
Subject: [PATCH] dax: fixture with a kernel-doc comment missing @b

A fixture for the host checks.

Signed-off-by: Fixture <fixture@localhost>
---
diff --git a/drivers/dax/fixture.h b/drivers/dax/fixture.h
new file mode 100644
--- /dev/null
+++ b/drivers/dax/fixture.h
@@ -0,0 +1,8 @@
+/* SPDX-License-Identifier: GPL-2.0-only */
+/**
+ * dax_fixture() - add two numbers
+ * @a: the first
+ *
+ * Return: their sum.
+ */
+int dax_fixture(int a, int b);
PATCH
printf 'bad.patch\n' >"$fx/series"
check "a patch with a kernel-doc warning is refused" \
	"$(DAX_PATCHES=$fx "$TOP/scripts/series-check" --lint >/dev/null 2>&1 && echo clean || echo refused)" refused
check "refused again on a second run (a refusal is never remembered)" \
	"$(DAX_PATCHES=$fx "$TOP/scripts/series-check" --lint >/dev/null 2>&1 && echo clean || echo refused)" refused
sed -i 's/^+ \* @a: the first$/+ * @a: the first\n+ * @b: the second/; s/@@ -0,0 +1,8 @@/@@ -0,0 +1,9 @@/; s/missing @b/with both parameters/' "$fx/bad.patch"
check "the same patch with the comment mended passes" \
	"$(DAX_PATCHES=$fx "$TOP/scripts/series-check" --lint >/dev/null 2>&1 && echo clean || echo refused)" clean
done_checks
