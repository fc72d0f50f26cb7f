// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark 1, the control plane: create N instances in the hmem region,
 * size each to 2 MiB, bind each to device_dax, then tear them down
 * (unbind, size 0, delete), all with raw sysfs writes.  Each phase is
 * timed as a whole; the result is its cost per instance.
 *
 * Usage: bench_ctl N
 * Prints: RESULT bench=ctl n=N op=OP ns_per_op=NS (OP: create, size,
 * bind, unbind, empty, delete, total)
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dax.h"

struct inst {
	char name[NAME_MAX_LEN];
	char size[256];		/* path of its size attribute */
};

static struct inst *inst;
static int n;

enum op { CREATE, SIZE, BIND, UNBIND, EMPTY, DELETE, NR_OPS };
static const char *const op_name[NR_OPS] = {
	"create", "size", "bind", "unbind", "empty", "delete",
};
static uint64_t op_ns[NR_OPS];

static void check_driver(const char *want)
{
	char drv[64];
	int i;

	for (i = 0; i < n; i++) {
		dev_driver(inst[i].name, drv, sizeof(drv));
		if (strcmp(drv, want))
			fail("%s: driver '%s', want '%s'", inst[i].name, drv, want);
	}
}

static void check_sizes(const struct region *r, uint64_t each)
{
	int i;

	for (i = 0; i < n; i++)
		if (read_u64(inst[i].size) != each)
			fail("%s: size %llu, want %llu", inst[i].name,
			     (unsigned long long)read_u64(inst[i].size),
			     (unsigned long long)each);
	if (region_avail(r) != r->size - n * each)
		fail("available_size %llu, want %llu",
		     (unsigned long long)region_avail(r),
		     (unsigned long long)(r->size - n * each));
}

static void create_all(const struct region *r)
{
	char create[340];
	uint64_t t;
	int i, j;

	snprintf(create, sizeof(create), "%s/create", r->dir);
	t = now_ns();
	for (i = 0; i < n; i++) {
		if (sysfs_write(create, "1") ||
		    sysfs_read(create, inst[i].name, NAME_MAX_LEN))
			fail("create #%d failed", i);
	}
	op_ns[CREATE] = now_ns() - t;

	for (i = 0; i < n; i++) {
		if (strncmp(inst[i].name, "dax", 3))
			fail("create #%d named '%s'", i, inst[i].name);
		for (j = 0; j < i; j++)
			if (!strcmp(inst[i].name, inst[j].name))
				fail("create #%d and #%d both named %s", j, i,
				     inst[i].name);
		dev_attr_path(inst[i].size, sizeof(inst[i].size),
			      inst[i].name, "size");
	}
	check_sizes(r, 0);
}

/* Time one sysfs write per instance: to its own ATTR, or to FILE. */
static void timed_writes(enum op op, const char *file, const char *val)
{
	uint64_t t = now_ns();
	int i, err;

	for (i = 0; i < n; i++) {
		const char *path = file ? file : inst[i].size;

		err = sysfs_write(path, val ? val : inst[i].name);
		if (err)
			fail("%s %s: %s", op_name[op], inst[i].name, strerror(err));
	}
	op_ns[op] = now_ns() - t;
}

static void unbind_all(void)
{
	const char *unbind = DAX_BUS "/drivers/device_dax/unbind";
	const char *remove_id = DAX_BUS "/drivers/device_dax/remove_id";
	uint64_t t = now_ns();
	int i;

	for (i = 0; i < n; i++)
		if (sysfs_write(unbind, inst[i].name) ||
		    sysfs_write(remove_id, inst[i].name))
			fail("unbind %s", inst[i].name);
	op_ns[UNBIND] = now_ns() - t;
}

int main(int argc, char **argv)
{
	char sz[32], delete[340], path[256];
	struct region r;
	uint64_t total = 0;
	int i;

	prog = "bench_ctl";
	if (argc != 2 || (n = atoi(argv[1])) <= 0)
		fail("usage: bench_ctl N");
	region_find(&r);
	region_reset(&r);
	if ((uint64_t)n * SZ_2M > r.size)
		fail("%d instances of 2 MiB do not fit in %llu bytes", n,
		     (unsigned long long)r.size);
	inst = calloc(n, sizeof(*inst));
	if (!inst)
		fail("out of memory");

	create_all(&r);

	snprintf(sz, sizeof(sz), "%llu", SZ_2M);
	timed_writes(SIZE, NULL, sz);
	check_sizes(&r, SZ_2M);

	timed_writes(BIND, DAX_BUS "/drivers/device_dax/new_id", NULL);
	check_driver("device_dax");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/dev/%s", inst[i].name);
		if (access(path, F_OK))
			fail("%s bound but no %s", inst[i].name, path);
	}

	unbind_all();
	check_driver("");

	timed_writes(EMPTY, NULL, "0");
	check_sizes(&r, 0);

	snprintf(delete, sizeof(delete), "%s/delete", r.dir);
	timed_writes(DELETE, delete, NULL);
	for (i = 0; i < n; i++) {
		dev_attr_path(path, sizeof(path), inst[i].name, "");
		if (!access(path, F_OK))
			fail("%s still there after delete", inst[i].name);
	}
	region_reset(&r);

	for (i = 0; i < NR_OPS; i++) {
		result("bench=ctl n=%d op=%s ns_per_op=%llu", n, op_name[i],
		       (unsigned long long)(op_ns[i] / n));
		total += op_ns[i];
	}
	result("bench=ctl n=%d op=total ns_per_op=%llu", n,
	       (unsigned long long)(total / n));
	return 0;
}
