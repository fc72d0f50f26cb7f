/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the device-dax benchmarks: the hmem region and its
 * instances, a monotonic clock, result lines.  The raw sysfs reads and
 * writes, and the instance helpers below build on, are the selftests'
 * tools/testing/selftests/dax/dax_util.{c,h}, linked in by scripts/bench.
 *
 * Every helper that changes the region checks what it did and calls
 * fail() otherwise, so that a benchmark whose setup went wrong stops with
 * "FAIL ..." and a nonzero status instead of printing a number.
 */
#ifndef BENCH_DAX_H
#define BENCH_DAX_H

#include <stdint.h>
#include <stdio.h>

#include "dax_util.h"

#define SZ_4K (4096ULL)
#define SZ_2M (2ULL << 20)
#define SZ_1G (1ULL << 30)
#define NAME_MAX_LEN 32

struct region {
	char dir[320];		/* .../hmem.N/dax_region */
	char dev[300];		/* .../hmem.N, parent of the instances */
	int id;
	uint64_t size;
};

extern const char *prog;

void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
uint64_t now_ns(void);

/* sysfs_write() and sysfs_read() of dax_util, failing the benchmark on error. */
void must_write(const char *path, const char *val);
uint64_t read_u64(const char *path);
uint64_t read_u64_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The largest hmem dax region. */
void region_find(struct region *r);
uint64_t region_avail(const struct region *r);
/* Delete every instance but the first, empty that one; assert it worked. */
void region_reset(const struct region *r);
/*
 * Leave @holes holes of @hole bytes in the empty region, the space between
 * them taken by instances: the next instance sized to @holes x @hole bytes
 * gets @holes ranges.
 */
void region_fragment(const struct region *r, int holes, uint64_t hole);

/* Instance helpers; @name is "daxR.Y". */
void dev_attr_path(char *buf, size_t len, const char *name, const char *attr);
void dev_create(const struct region *r, char name[NAME_MAX_LEN]);
void dev_set(const char *name, const char *attr, uint64_t val);
uint64_t dev_get(const char *name, const char *attr);
void dev_delete(const struct region *r, const char *name);
/* "device_dax", "kmem" or "" */
void dev_driver(const char *name, char *drv, size_t len);
void dev_bind(const char *name, const char *drv);
void dev_unbind(const char *name);
int dev_nr_mappings(const char *name);

/* /proc/vmstat and /proc/meminfo counters; -1 if absent. */
long long vmstat(const char *key);
long long meminfo_kb(const char *key);

void result(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
