#!/bin/bash
# scripts/vm refuses the special ranges it cannot boot, before it looks
# for a kernel: a --pmem range that is not whole GiB, one that RAM does
# not reach, and --pmem beside the options that leave the ranges out;
# a memory-side cache (--hmat-cache) whose size is no power of 2 from 4K
# to 1G; an NVMe memory buffer (--nvme-cmb) whose size is no power of 2
# from 2M to 1024M.
# Prints one TAP line per case.
top=$(cd "$(dirname "$0")/../.." && pwd)
SUITE=vm-options
. "$top/tests/host/lib.bash"
# vm_says ARG...: scripts/vm's exit status and the last word of its message,
# with an object directory that holds no kernel.
vm_says() {
	local out rc=0
	out=$("$top/scripts/vm" --obj /nonexistent "$@" -- true 2>&1) || rc=$?
	echo "$rc ${out##* }"
}
check "--pmem 3 (no unit) is refused" "$(vm_says --pmem 3)" "1 '3'"
check "--pmem 0G is refused" "$(vm_says --pmem 0G)" "1 '0G'"
check "--pmem 2G beyond RAM is refused" "$(vm_says --pmem 2G --mem 7G)" "1 7G"
check "--pmem 2G with --mem 8G passes the checks (no kernel here)" \
	"$(vm_says --pmem 2G --mem 8G)" "1 first"
check "--pmem with --no-memmap is refused" \
	"$(vm_says --no-memmap --pmem 2G --mem 8G)" "1 --hmat"
check "--pmem with --nfit is refused" "$(vm_says --nfit --pmem 2G --mem 8G)" "1 --hmat"
check "--pmem with --numa is refused" "$(vm_says --numa --pmem 2G --mem 8G)" "1 --hmat"
check "--pmem with --hmat is refused" "$(vm_says --hmat --pmem 2G --mem 8G)" "1 --hmat"
check "--pmem 1G is the default range" "$(vm_says --pmem 1G --mem 7G)" "1 first"
check "--hmat-cache 3M (not a power of 2) is refused" "$(vm_says --hmat-cache 3M --mem 8G)" "1 '3M'"
check "--hmat-cache 2G (over 1G) is refused" "$(vm_says --hmat-cache 2G --mem 8G)" "1 '2G'"
check "--hmat-cache 4 (no unit) is refused" "$(vm_says --hmat-cache 4 --mem 8G)" "1 '4'"
check "--hmat-cache 4M passes the checks (no kernel here)" \
	"$(vm_says --hmat-cache 4M --mem 8G)" "1 first"
check "--nvme-cmb 64 (no unit) is refused" "$(vm_says --nvme-cmb 64)" "1 '64'"
check "--nvme-cmb 6M (not a power of 2) is refused" "$(vm_says --nvme-cmb 6M)" "1 '6M'"
check "--nvme-cmb 1M (under 2M) is refused" "$(vm_says --nvme-cmb 1M)" "1 '1M'"
check "--nvme-cmb 2048M (over 1G) is refused" "$(vm_says --nvme-cmb 2048M)" "1 '2048M'"
check "--nvme-cmb 1G (not in MiB) is refused" "$(vm_says --nvme-cmb 1G)" "1 '1G'"
check "--nvme-cmb 64M passes the checks (no kernel here)" \
	"$(vm_says --nvme-cmb 64M)" "1 first"
done_checks
