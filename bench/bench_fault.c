// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark 2, the fault path: map a 1 GiB instance of the given align,
 * made of one range or of 512 ranges, and write one word in every 4 KiB
 * page, timing the loop.  Each write to an unmapped page takes a fault of
 * the instance's align (4K: one per page; 2M: one per 512 pages).
 *
 * The 512 ranges come from fragmenting the region: 1024 instances of
 * 2 MiB, every other one deleted, then the 1 GiB instance sized into the
 * 512 holes.  Its mappingN count must be 512.  The region is fragmented
 * once for all the aligns asked for; the instance is emptied, given the
 * next align and sized again (into the same holes) between them, and
 * bound afresh, so each measure starts with nothing mapped.
 *
 * With --colors N, the ranges come from cache colors instead (a region
 * behind a direct-mapped memory-side cache, see the HMAT guest of
 * scripts/vm): the region is given N colors and the instance color 0, so
 * sizing it takes only the slices of the region that map to the first
 * 1/N of the cache.  A cache of 4 MiB in 2 colors gives slices of 2 MiB:
 * a 1 GiB instance of 512 ranges in a region of 2 GiB, and nothing to
 * fragment.  Its results are bench=color, to compare with the contiguous
 * instance's (bench=fault, ranges=1) of the same guest.
 *
 * Checked: the instance's size, align and number of ranges; the number
 * of faults taken (getrusage) is the number of align-sized pages; every
 * page reads back what was written.
 *
 * Usage: bench_fault [--colors N] NR_RANGES ALIGN...
 *                  (NR_RANGES 1 to 512, dividing 1 GiB into parts of
 *                   2 MiB or more; ALIGN 4096 or 2097152)
 * Prints: RESULT bench=fault align=A ranges=R faults=F ns=T
 *         faults_per_s=X ns_per_fault=Y ns_per_page=Z
 *         (bench=color ... colors=N with --colors)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#include "dax.h"

#define SIZE SZ_1G

/* --colors: the region's number of cache colors, 0 for none */
static unsigned int colors;

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

/* Size the instance at @align into the region, check it, bind it. */
static void setup(const char *name, uint64_t align, int ranges)
{
	int got;

	dev_set(name, "align", align);
	if (colors && dev_get(name, "cache_color") != 0)
		fail("%s: cache color %llu, want 0", name,
		     (unsigned long long)dev_get(name, "cache_color"));
	dev_set(name, "size", SIZE);
	if (dev_get(name, "size") != SIZE || dev_get(name, "align") != align)
		fail("%s: size %llu align %llu", name,
		     (unsigned long long)dev_get(name, "size"),
		     (unsigned long long)dev_get(name, "align"));
	got = dev_nr_mappings(name);
	if (got != ranges)
		fail("%s has %d ranges (mappingN), want %d", name, got, ranges);
	dev_bind(name, "device_dax");
}

/* " colors=N" for a colored run's result line, else "" */
static const char *colors_tag(void)
{
	static char tag[24];

	if (colors)
		snprintf(tag, sizeof(tag), " colors=%u", colors);
	return tag;
}

/* Cut the region's cache into @n colors (1, the default: none). */
static void region_colors(const struct region *r, unsigned int n)
{
	char path[400], v[16];

	snprintf(path, sizeof(path), "%s/memory_side_cache_size", r->dir);
	if (access(path, F_OK))
		fail("region %d has no memory_side_cache_size: no cache colors (scripts/vm --hmat)",
		     r->id);
	snprintf(path, sizeof(path), "%s/cache_colors", r->dir);
	snprintf(v, sizeof(v), "%u", n);
	must_write(path, v);
	if (read_u64(path) != n)
		fail("%s reads %llu after writing %u", path,
		     (unsigned long long)read_u64(path), n);
}

/* Map the bound instance, write every 4 KiB page, check, report. */
static void measure(const char *name, uint64_t align, int ranges)
{
	uint64_t pages = SIZE / SZ_4K, i, t, seed;
	volatile uint64_t *p;
	long f0, faults, want;
	char path[64];
	void *m;
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fail("open %s: %s", path, strerror(errno));
	m = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		fail("mmap %s: %s", path, strerror(errno));
	if ((uintptr_t)m % align)
		fail("mmap of %s at %p, not %llu aligned", path, m,
		     (unsigned long long)align);
	p = m;
	seed = now_ns();

	f0 = minflt();
	t = now_ns();
	for (i = 0; i < pages; i++)
		p[i * (SZ_4K / 8)] = seed ^ i;
	t = now_ns() - t;
	faults = minflt() - f0;

	want = SIZE / align;
	if (faults < want || faults > want + 16)
		fail("%ld faults for %llu pages of %llu, want %ld", faults,
		     (unsigned long long)pages, (unsigned long long)align, want);
	for (i = 0; i < pages; i++)
		if (p[i * (SZ_4K / 8)] != (seed ^ i))
			fail("page %llu reads back %#llx, wrote %#llx",
			     (unsigned long long)i,
			     (unsigned long long)p[i * (SZ_4K / 8)],
			     (unsigned long long)(seed ^ i));
	munmap(m, SIZE);
	close(fd);

	result("bench=%s align=%llu ranges=%d faults=%ld ns=%llu faults_per_s=%.0f ns_per_fault=%.0f ns_per_page=%.1f%s",
	       colors ? "color" : "fault", (unsigned long long)align, ranges, faults,
	       (unsigned long long)t, faults * 1e9 / t, (double)t / faults,
	       (double)t / pages, colors_tag());
}

/* Where the time goes outside the measure, on stderr. */
static void info(const char *what, uint64_t *t)
{
	uint64_t now = now_ns();

	fprintf(stderr, "bench_fault: %s: %.2f s\n", what, (now - *t) / 1e9);
	*t = now;
}

int main(int argc, char **argv)
{
	char name[NAME_MAX_LEN];
	struct region r;
	uint64_t align, t;
	int ranges, i;

	prog = "bench_fault";
	if (argc > 2 && !strcmp(argv[1], "--colors")) {
		colors = strtoul(argv[2], NULL, 0);
		if (colors < 2 || colors & (colors - 1))
			fail("--colors %s: a power of 2, 2 or more", argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc < 3)
		fail("usage: bench_fault [--colors N] NR_RANGES ALIGN...");
	ranges = atoi(argv[1]);
	if (ranges < 1 || SIZE / ranges < SZ_2M || SIZE % ranges ||
	    (SIZE / ranges) % SZ_2M)
		fail("NR_RANGES %s: 1 to 512, dividing 1 GiB", argv[1]);
	for (i = 2; i < argc; i++) {
		align = strtoull(argv[i], NULL, 0);
		if (align != SZ_4K && align != SZ_2M)
			fail("ALIGN %s: 4096 or 2097152", argv[i]);
	}
	region_find(&r);
	if (r.size != 2 * SIZE)
		fail("region of %llu bytes: need exactly 2 GiB",
		     (unsigned long long)r.size);
	t = now_ns();
	region_reset(&r);
	if (colors) {
		region_colors(&r, colors);
		dev_create(&r, name);
		dev_set(name, "cache_color", 0);
	} else {
		if (ranges > 1)
			region_fragment(&r, ranges, SIZE / ranges);
		dev_create(&r, name);
	}
	info("fragment", &t);
	for (i = 2; i < argc; i++) {
		align = strtoull(argv[i], NULL, 0);
		setup(name, align, ranges);
		info("size and bind", &t);
		measure(name, align, ranges);
		info("measure", &t);
		dev_unbind(name);
		info("unbind", &t);
		dev_set(name, "size", 0);
	}
	region_reset(&r);
	if (colors)
		region_colors(&r, 1);
	info("reset", &t);
	return 0;
}
