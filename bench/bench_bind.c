// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark 5, binding: bind an instance of NR_RANGES ranges of 2 MiB to
 * device_dax and unbind it, REPS times, timing each step.  Binding maps
 * every range with memremap_pages() (one pgmap of NR_RANGES ranges) and
 * unbinding takes them down again, so what a range costs there shows as
 * the cost per range of a 512-range instance against a 1-range one.
 *
 * The ranges are the holes of a fragmented region (see
 * region_fragment()): 1 GiB in 512 holes of 2 MiB for 512 ranges; a
 * single range is an instance of 2 MiB in the empty region.  Checked: the
 * instance's number of ranges (mappingN) and its driver after each step.
 *
 * Usage: bench_bind NR_RANGES REPS      (NR_RANGES 1 to 512)
 * Prints: RESULT bench=bind rcu=RCU ranges=R op=OP ns_per_op=NS
 *         ns_per_range=NS (OP: bind, unbind; each the mean of the REPS
 *         steps; RCU: expedited or normal, as /sys/kernel/rcu_expedited
 *         reads: 6.12 waits for a grace period per range on unbind)
 *
 * With --setup, only set the instance up and bind it, and print its name
 * (for bench/waits.sh, which traces its unbinding).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include "dax.h"

int main(int argc, char **argv)
{
	uint64_t bind_ns = 0, unbind_ns = 0, t;
	char name[NAME_MAX_LEN];
	const char *rcu;
	int ranges, reps, i, setup_only;
	struct region r;

	prog = "bench_bind";
	setup_only = argc == 3 && !strcmp(argv[1], "--setup");
	if (argc != 3)
		fail("usage: bench_bind NR_RANGES REPS | --setup NR_RANGES");
	ranges = atoi(argv[setup_only ? 2 : 1]);
	reps = setup_only ? 1 : atoi(argv[2]);
	if (ranges < 1 || ranges > 512 || reps < 1)
		fail("NR_RANGES %s (1 to 512), REPS %s (1 or more)",
		     argv[setup_only ? 2 : 1], setup_only ? "1" : argv[2]);
	region_find(&r);
	if (r.size < 2ULL * ranges * SZ_2M)
		fail("region of %llu bytes: %d holes of 2 MiB do not fit",
		     (unsigned long long)r.size, ranges);
	region_reset(&r);
	if (ranges > 1)
		region_fragment(&r, ranges, SZ_2M);
	dev_create(&r, name);
	dev_set(name, "size", ranges * SZ_2M);
	if (dev_nr_mappings(name) != ranges)
		fail("%s has %d ranges (mappingN), want %d", name,
		     dev_nr_mappings(name), ranges);
	if (setup_only) {
		dev_bind(name, "device_dax");
		printf("%s\n", name);
		return 0;
	}

	for (i = 0; i < reps; i++) {
		t = now_ns();
		dev_bind(name, "device_dax");
		bind_ns += now_ns() - t;

		t = now_ns();
		dev_unbind(name);
		unbind_ns += now_ns() - t;
	}
	region_reset(&r);

	rcu = read_u64("/sys/kernel/rcu_expedited") ? "expedited" : "normal";
	result("bench=bind rcu=%s ranges=%d op=bind ns_per_op=%llu ns_per_range=%llu",
	       rcu, ranges, (unsigned long long)(bind_ns / reps),
	       (unsigned long long)(bind_ns / reps / ranges));
	result("bench=bind rcu=%s ranges=%d op=unbind ns_per_op=%llu ns_per_range=%llu",
	       rcu, ranges, (unsigned long long)(unbind_ns / reps),
	       (unsigned long long)(unbind_ns / reps / ranges));
	return 0;
}
