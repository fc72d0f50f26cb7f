#!/bin/bash
# scripts/bench --report on a made-up raw run: ratios and verdicts of the
# targets, and the lines under a missed one (the spread of the runs, what
# 512 ranges cost each kernel, why 2M cannot show the lookup), computed
# from the runs.  Writes into a temporary directory (DAX_BENCH_OUT).
top=$(cd "$(dirname "$0")/../.." && pwd)
SUITE=bench-report
. "$top/tests/host/lib.bash"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
raw=$tmp/raw
mkdir -p "$raw" "$tmp/out"
printf 'date:   2026-01-02 03:04 UTC\n' >"$raw/info"

# result FLAVOUR BOOT FIELDS...: one RESULT line of a boot
result() {
	mkdir -p "$raw/$1-$2"
	echo "kernel=k-$1 round=1 ${*:3}" >>"$raw/$1-$2/raw.txt"
}
for b in 1 2 3; do
	s64=$((b * 10000000)) o64=$(((b == 3 ? 26 : 5 + b * 10) * 1000000))
	for inst in 64 256 1000; do
		for op in create size bind unbind empty delete; do
			result stock $b bench=ctl n=$inst op=$op ns_per_op=1000000
			result ours $b bench=ctl n=$inst op=$op ns_per_op=900000
		done
	done
	result stock $b bench=ctl n=64 op=total ns_per_op=$s64
	result ours $b bench=ctl n=64 op=total ns_per_op=$o64
	result stock $b bench=ctl n=256 op=total ns_per_op=20000000
	result ours $b bench=ctl n=256 op=total ns_per_op=10000000
	result stock $b bench=ctl n=1000 op=total ns_per_op=40000000
	result ours $b bench=ctl n=1000 op=total ns_per_op=10000000
	result stock $b bench=fault align=4096 ranges=1 faults_per_s=250000 ns_per_fault=4000
	result ours $b bench=fault align=4096 ranges=1 faults_per_s=333333 ns_per_fault=3000
	result stock $b bench=fault align=4096 ranges=512 faults_per_s=142857 ns_per_fault=7000
	result ours $b bench=fault align=4096 ranges=512 faults_per_s=166667 ns_per_fault=6000
	result stock $b bench=fault align=2097152 ranges=1 faults_per_s=6250 ns_per_fault=160000
	result ours $b bench=fault align=2097152 ranges=1 faults_per_s=$((5900 + b * 100)) ns_per_fault=160000
	result stock $b bench=fault align=2097152 ranges=512 faults_per_s=5882 ns_per_fault=170000
	result ours $b bench=fault align=2097152 ranges=512 faults_per_s=5952 ns_per_fault=168000
	result stock $b bench=kmem gib=2 op=add ns=2000000
	result ours $b bench=kmem gib=2 op=add ns=1000000
	result stock $b bench=kmem gib=2 op=online ns=30000000
	result ours $b bench=kmem gib=2 op=online ns=$((30000000 + b * 1000000))
	result stock $b bench=kmem gib=2 op=remove ns=3000000
	result ours $b bench=kmem gib=2 op=remove ns=3000000
	result stock $b bench=kmem gib=2 op=plug ns=40000000 how=blocks
	result ours $b bench=kmem gib=2 op=plug ns=20000000 how=state
	result stock $b bench=kmem gib=2 op=unplug ns=$((30000000 + b * 1000000)) how=blocks
	result ours $b bench=kmem gib=2 op=unplug ns=33000000 how=state
	result ours $b bench=kmem gib=2 op=plug_blocks ns=33000000 how=blocks
	result stock $b bench=memmap align=4096 memmap_bytes_per_gib=16777216 memfree_drop_per_gib=16777216
	result ours $b bench=memmap align=4096 memmap_bytes_per_gib=16777216 memfree_drop_per_gib=16777216
	result hmat $b bench=fault align=4096 ranges=1 faults_per_s=$((300000 + b * 10000)) ns_per_fault=3000
	result hmat $b bench=color align=4096 ranges=512 colors=2 faults_per_s=$((280000 + b * 10000)) ns_per_fault=3300
	result hmat $b bench=fault align=2097152 ranges=1 faults_per_s=6000 ns_per_fault=160000
	result stock $b bench=bind rcu=normal ranges=1 op=bind ns_per_op=4000000 ns_per_range=4000000
	result ours $b bench=bind rcu=normal ranges=1 op=bind ns_per_op=2000000 ns_per_range=2000000
	result stock $b bench=bind rcu=normal ranges=512 op=bind ns_per_op=2048000000 ns_per_range=4000000
	result ours $b bench=bind rcu=normal ranges=512 op=bind ns_per_op=1126400000 ns_per_range=2200000
	result stock $b bench=bind rcu=normal ranges=1 op=unbind ns_per_op=5000000 ns_per_range=5000000
	result ours $b bench=bind rcu=normal ranges=1 op=unbind ns_per_op=1000000 ns_per_range=1000000
	result stock $b bench=bind rcu=normal ranges=512 op=unbind ns_per_op=2560000000 ns_per_range=5000000
	result ours $b bench=bind rcu=normal ranges=512 op=unbind ns_per_op=512000000 ns_per_range=1000000
done

sums() { (cd "$top/bench" && md5sum results.md results.csv ./*.png); }
before=$(sums)
DAX_BENCH_OUT=$tmp/out "$top/scripts/bench" --report "$raw" >"$tmp/log" 2>&1
rc=$?
[ $rc = 0 ] || sed 's/^/# /' "$tmp/log"
check "the report is written" "$rc" 0
md=$tmp/out/results.md
# after TARGET-PREFIX [N]: the Nth line after the target's line (default 1)
after() { awk -v p="$1" -v k="${2:-1}" 'index($0, p) == 1 { f = NR } f && NR == f + k { print; exit }' "$md"; }
line() { grep -F -- "$1" "$md" | head -1; }

check "a missed ratio" "$(line '- control plane, N=64,')" \
	"- control plane, N=64, ours/stock (total): 0.800 (want >= 1.3): **missed**"
check "the spread under it" "$(after '- control plane, N=64,')" \
	"  - runs: stock 10.00 ms to 30.00 ms, ours 15.00 ms to 26.00 ms; our median is inside the spread of stock's runs"
check "what the total is made of" "$(after '- control plane, N=64,' 2)$(after '- control plane, N=64,' 4)" \
	"  - unbinding is 5% of stock's total (one normal RCU grace period in both    (create, size, bind, empty, delete; sum of medians): ours/stock 1.111"
check "a met target has no line under it" "$(after '- control plane, N=256,' | cut -c1-2)" "- "
check "cost per op against N" "$(line '- control plane, our cost per op')" \
	"- control plane, our cost per op N=1000 / N=64 (total): 0.400 (want <= 1.2): met"
check "faults with 512 ranges" "$(line '- faults/s, 4K, 512 ranges')" \
	"- faults/s, 4K, 512 ranges, ours/stock: 1.167 (want >= 1.3): **missed**"
check "what 512 ranges cost each kernel" "$(after '- faults/s, 4K, 512 ranges')" \
	"  - cost per fault, 512 ranges / 1 range: stock 1.750, ours 2.000"
check "no 2M reason at 4K" "$(after '- faults/s, 4K, 512 ranges' 2 | cut -c1-2)" "- "
check "the 2M reason, computed" "$(after '- faults/s, 2M, 512 ranges' 2)$(after '- faults/s, 2M, 512 ranges' 3)" \
	"  - 512 ranges add 3.0 us to a stock fault (its 4K fault with 512 ranges    less that with one), 1.8% of its 2M fault (170.0 us, the program then"
check "outside the spread" "$(after '- faults/s, 2M, 1 range')" \
	"  - runs: stock 6250 to 6250, ours 6000 to 6200 faults/s; our median is outside stock's runs"
check "kmem" "$(line '- kmem online')" "- kmem online 2 GiB, ours/stock: 0.938 (want >= 1.0): **missed**"
check "kmem's own work" "$(after '- kmem online' 3)" \
	"    code both kernels share; kmem's own work, ours/stock: add 2.000, remove 1.000"
check "no data is not met" "$(line '- kmem offline')" \
	"- kmem offline 2 GiB, ours/stock: nan (want >= 1.0): **no data**"
check "and has no line under it" "$(after '- kmem offline' | cut -c1-2)" "- "
check "memmap" "$(line '- memmap per GiB at 4K')" "- memmap per GiB at 4K, ours/stock: 1.000 (want <= 1.0): met"
check "every run in the CSV" "$(($(wc -l <"$tmp/out/results.csv") - 1))" 285
check "binding 512 ranges, missed" "$(line '- bind, 512 ranges, normal')" \
	"- bind, 512 ranges, normal grace periods, ours/stock: 1.818 (want >= 3): **missed**"
check "what a range costs each kernel, 512 against 1" "$(after '- bind, 512 ranges, normal' 2)" \
	"  - cost per range, 512 ranges / 1 range: stock 1.000, ours 1.100"
check "what 512 ranges cost stock against one" "$(after '- bind, 512 ranges, normal' 3)" \
	"  - stock's bind of 512 ranges takes 512.000 times its bind of one (512 if each"
check "unbinding 512 ranges, met" "$(line '- unbind, 512 ranges, normal')" \
	"- unbind, 512 ranges, normal grace periods, ours/stock: 5.000 (want >= 3): met"
check "our cost per range, flat" "$(line '- our cost per range to bind, normal')" \
	"- our cost per range to bind, normal grace periods, 512 ranges / 1 range: 1.100 (want <= 1.2): met"
check "no runs with expedited grace periods: no data" "$(line '- unbind, 512 ranges, expedited')" \
	"- unbind, 512 ranges, expedited grace periods, ours/stock: nan (want >= 3): **no data**"
check "the binding table" "$(line '| normal | unbind | 512 (per range)')" \
	"| normal | unbind | 512 (per range) | 5.00 ms | 5.00 ms | 1.00 ms | 1.00 ms | 5.000x | 5.000x |"
check "cache colors, 4K: colored over contiguous" "$(line '| 4K (faults/s)')" \
	"| 4K (faults/s) | 330000 | 320000 | 310000 | 300000 | 0.938x | 0.939x |"
check "a layout without runs shows no ratio" "$(line '| 2M (faults/s)')" \
	"| 2M (faults/s) | 6000 | 6000 | - | - | - | - |"
check "the cache color target" "$(line '- faults/s, 4K, 1 GiB in cache color')" \
	"- faults/s, 4K, 1 GiB in cache color 0 of 2 (512 ranges) / contiguous (ours, HMAT guest): 0.938 (want >= 0.95): **missed**"
check "one write against daxctl's path" "$(line '- kmem plug')" \
	"- kmem plug 2 GiB, one write (ours) / daxctl's path (stock): 2.000 (want >= 1.0): met"
check "and a missed one" "$(line '- kmem unplug')" \
	"- kmem unplug 2 GiB, one write (ours) / daxctl's path (stock): 0.970 (want >= 1.0): **missed**"
check "both paths on our kernel" "$(line '1.650, unplug')" \
	"1.650, unplug nan."
check "the plots" "$(cd "$tmp/out" && printf '%s ' ./*.png)" "./ctl.png ./fault.png ./kmem.png ./memmap.png "
check "bench/'s results untouched" "$(sums)" "$before"
done_checks
