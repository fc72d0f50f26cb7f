// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark 4, memmap overhead: bind a 1 GiB instance of the given align
 * to device_dax and read how much memmap (struct pages) the kernel
 * accounts for it in /proc/vmstat nr_memmap_pages, which 6.12 charges in
 * populate_section_memmap() after the compound-page vmemmap savings
 * (section_nr_vmemmap_pages()).  Unbinding must give back exactly as
 * much.  MemFree around the bind is printed as a cross-check (it also
 * counts vmemmap page tables and the page map, and is noisy).
 *
 * Usage: bench_memmap ALIGN      (4096, 2097152 or 1073741824)
 * Prints: RESULT bench=memmap align=A memmap_bytes_per_gib=B
 *         freed_bytes_per_gib=F memfree_drop_per_gib=M
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <unistd.h>
#include "dax.h"

#define SIZE SZ_1G

static long long memmap_pages(void)
{
	long long v = vmstat("nr_memmap_pages");

	if (v < 0)
		fail("no nr_memmap_pages in /proc/vmstat");
	return v;
}

int main(int argc, char **argv)
{
	long long m0, m1, m2, f0, f1, pg = sysconf(_SC_PAGESIZE);
	char name[NAME_MAX_LEN], drv[64];
	struct region r;
	uint64_t align;

	prog = "bench_memmap";
	if (argc != 2)
		fail("usage: bench_memmap ALIGN");
	align = strtoull(argv[1], NULL, 0);
	if (align != SZ_4K && align != SZ_2M && align != SZ_1G)
		fail("usage: bench_memmap 4096|2097152|1073741824");
	region_find(&r);
	region_reset(&r);
	dev_create(&r, name);
	dev_set(name, "align", align);
	dev_set(name, "size", SIZE);
	if (dev_get(name, "size") != SIZE || dev_get(name, "align") != align ||
	    dev_nr_mappings(name) != 1)
		fail("%s: size %llu align %llu ranges %d", name,
		     (unsigned long long)dev_get(name, "size"),
		     (unsigned long long)dev_get(name, "align"),
		     dev_nr_mappings(name));

	sync();
	m0 = memmap_pages();
	f0 = meminfo_kb("MemFree");
	dev_bind(name, "device_dax");
	m1 = memmap_pages();
	f1 = meminfo_kb("MemFree");
	dev_unbind(name);
	m2 = memmap_pages();
	dev_driver(name, drv, sizeof(drv));
	if (drv[0])
		fail("%s still bound to %s", name, drv);
	if (m1 <= m0)
		fail("nr_memmap_pages did not grow on bind (%lld -> %lld)", m0, m1);
	if (m1 - m2 != m1 - m0)
		fail("bind took %lld memmap pages, unbind gave back %lld",
		     m1 - m0, m1 - m2);
	region_reset(&r);

	result("bench=memmap align=%llu memmap_bytes_per_gib=%lld freed_bytes_per_gib=%lld memfree_drop_per_gib=%lld",
	       (unsigned long long)align, (m1 - m0) * pg * (long long)(SZ_1G / SIZE),
	       (m1 - m2) * pg * (long long)(SZ_1G / SIZE),
	       (f0 - f1) * 1024 * (long long)(SZ_1G / SIZE));
	return 0;
}
