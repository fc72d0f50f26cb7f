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

# fixture_patch FILE SUBJECT: a "git format-patch" mail to
# drivers/dax/Makefile whose hunk (from "@@" on) is read from stdin.
fixture_patch() {
	{
		printf 'From: Fixture <fixture@localhost>\n'
		printf 'Date: Sat, 1 Jan 2000 00:00:00 +0000\n'
		printf 'Subject: [PATCH] %s\n\nFixture.\n---\n' "$2"
		printf 'diff --git a/drivers/dax/Makefile b/drivers/dax/Makefile\n'
		printf -- '--- a/drivers/dax/Makefile\n+++ b/drivers/dax/Makefile\n'
		cat
	} >"$1"
}

# fixture_one DIR: DIR/one.patch, "dax: fixture one", which adds the line
# "# one" after "obj-y += hmem/" in drivers/dax/Makefile (the first patch
# of the fixture series that prepare.sh and series-edit.sh build on).
fixture_one() {
	fixture_patch "$1/one.patch" "dax: fixture one" <<'PATCH'
@@ -12,3 +12,4 @@ dax_pmem-y := pmem.o
 dax_cxl-y := cxl.o
 
 obj-y += hmem/
+# one
PATCH
}
