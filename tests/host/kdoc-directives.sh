#!/bin/bash
# scripts/kdoc-directives resolves a document's kernel-doc directives and
# fails where Sphinx would warn: a DOC: section or a function that is not
# there, a file that renders nothing, a missing file.
. "$(dirname "$0")/../../scripts/common.sh"
SUITE=kdoc-directives
. "$TOP/tests/host/lib.bash"
fx=$(mktemp -d)
trap 'rm -rf "$fx"' EXIT
git --git-dir="$BASE_REPO" archive base scripts/kernel-doc | tar -x -C "$fx"
mkdir -p "$fx/drivers/x" "$fx/Documentation"
cat >"$fx/drivers/x/x.c" <<'C'
// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: Design
 *
 * How it works.
 */

/**
 * x_add() - add two numbers
 * @a: one
 * @b: the other
 *
 * Return: their sum.
 */
int x_add(int a, int b)
{
	return a + b;
}
C
printf '// SPDX-License-Identifier: GPL-2.0\nint x_none;\n' >"$fx/drivers/x/none.c"
# doc RST-TEXT: the verdict on a document of that text
doc() {
	printf '%s\n' "$@" >"$fx/Documentation/x.rst"
	"$TOP/scripts/kdoc-directives" "$fx" Documentation/x.rst >/dev/null 2>&1 && echo clean || echo refused
}
check "sections and functions that exist" \
	"$(doc '.. kernel-doc:: drivers/x/x.c' '   :doc: Design' '' \
	       '.. kernel-doc:: drivers/x/x.c' '   :identifiers: x_add' '' \
	       '.. kernel-doc:: drivers/x/x.c' '   :internal:')" clean
check "a DOC: section that is not there" \
	"$(doc '.. kernel-doc:: drivers/x/x.c' '   :doc: Desing')" refused
check "a function that is not there" \
	"$(doc '.. kernel-doc:: drivers/x/x.c' '   :identifiers: x_sub')" refused
check "a file that renders nothing" \
	"$(doc '.. kernel-doc:: drivers/x/none.c' '   :export:')" refused
check "a file that does not exist" \
	"$(doc '.. kernel-doc:: drivers/x/y.c')" refused
done_checks
