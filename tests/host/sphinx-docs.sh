#!/bin/bash
# scripts/sphinx-docs renders a document with Sphinx and the tree's
# kernel-doc extension, and fails on what "make htmldocs" would warn
# about: bad reStructuredText in the document or in a kernel-doc comment
# it pulls in, and a DOC: section kernel-doc cannot find.
. "$(dirname "$0")/../../scripts/common.sh"
SUITE=sphinx-docs
. "$TOP/tests/host/lib.bash"
fx=$(mktemp -d)
trap 'rm -rf "$fx"' EXIT
git --git-dir="$BASE_REPO" archive base scripts/kernel-doc Documentation/sphinx | tar -x -C "$fx"
mkdir -p "$fx/drivers/x" "$fx/Documentation"
cat >"$fx/drivers/x/x.c" <<'C'
// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: Design
 *
 * How it works, with ``a literal``.
 */

/**
 * DOC: Broken
 *
 * A ``literal that never ends.
 */
C
# doc RST-TEXT: the verdict on a document of that text
doc() {
	printf '%s\n' "$@" >"$fx/Documentation/x.rst"
	"$TOP/scripts/sphinx-docs" "$fx" Documentation/x.rst >/dev/null 2>&1 && echo clean || echo refused
}
check "a section that renders cleanly" \
	"$(doc 'Title' '=====' '' '.. kernel-doc:: drivers/x/x.c' '   :doc: Design')" clean
check "bad reStructuredText in a kernel-doc comment" \
	"$(doc 'Title' '=====' '' '.. kernel-doc:: drivers/x/x.c' '   :doc: Broken')" refused
check "a DOC: section that is not there" \
	"$(doc 'Title' '=====' '' '.. kernel-doc:: drivers/x/x.c' '   :doc: Desing')" refused
check "bad reStructuredText in the document" \
	"$(doc 'Title' '=====' '' '.. kernel-doc:: drivers/x/x.c' '   :doc: Design' '' \
	       '.. no-such-directive:: x')" refused
check "a document without kernel-doc (an index) is left alone" \
	"$(doc 'Index' '=====' '' '.. toctree::' '' '   not-here')" clean
done_checks
