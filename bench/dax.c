// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the device-dax benchmarks: see dax.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dax.h"

const char *prog = "bench";

void fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "FAIL %s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void must_write(const char *path, const char *val)
{
	int err = sysfs_write(path, val);

	if (err)
		fail("write '%s' to %s: %s", val, path, strerror(err));
}

uint64_t read_u64(const char *path)
{
	char buf[64], *end;
	unsigned long long v;
	int err = sysfs_read(path, buf, sizeof(buf));

	if (err)
		fail("read %s: %s", path, strerror(err));
	errno = 0;
	v = strtoull(buf, &end, 0);
	if (errno || end == buf || *end)
		fail("%s: not a number: '%s'", path, buf);
	return v;
}

uint64_t read_u64_fmt(const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return read_u64(path);
}

/*
 * The hmem platform device with the largest dax region: the only one in
 * the benchmarks' usual guest, the 2 GiB range of node 1 in the HMAT
 * guest (whose node 2 has a smaller one).
 */
void region_find(struct region *r)
{
	const char *plat = "/sys/bus/platform/devices";
	struct region cand;
	struct dirent *de;
	DIR *d = opendir(plat);

	if (!d)
		fail("no %s", plat);
	r->dir[0] = 0;
	r->size = 0;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "hmem.", 5))
			continue;
		snprintf(cand.dev, sizeof(cand.dev), "%s/%.200s", plat, de->d_name);
		snprintf(cand.dir, sizeof(cand.dir), "%s/dax_region", cand.dev);
		if (access(cand.dir, F_OK))
			continue;
		cand.id = (int)read_u64_fmt("%s/id", cand.dir);
		cand.size = read_u64_fmt("%s/size", cand.dir);
		if (cand.size > r->size)
			*r = cand;
	}
	closedir(d);
	if (!r->dir[0])
		fail("no hmem dax region (modprobe dax_hmem; memmap=2G%%4G-1+0xefffffff)");
}

uint64_t region_avail(const struct region *r)
{
	return read_u64_fmt("%s/available_size", r->dir);
}

void dev_attr_path(char *buf, size_t len, const char *name, const char *attr)
{
	snprintf(buf, len, DAX_BUS "/devices/%s/%s", name, attr);
}

void dev_set(const char *name, const char *attr, uint64_t val)
{
	char path[256], v[32];

	dev_attr_path(path, sizeof(path), name, attr);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)val);
	must_write(path, v);
}

uint64_t dev_get(const char *name, const char *attr)
{
	char path[256];

	dev_attr_path(path, sizeof(path), name, attr);
	return read_u64(path);
}

void dev_create(const struct region *r, char name[NAME_MAX_LEN])
{
	int err = dax_region_create(r->dir, name, NAME_MAX_LEN);

	if (err || strncmp(name, "dax", 3))
		fail("create: no new instance named ('%s')", err ? "" : name);
}

void dev_delete(const struct region *r, const char *name)
{
	int err = dax_region_delete(r->dir, name);

	if (err)
		fail("delete %s: %s", name, strerror(err));
}

void dev_driver(const char *name, char *drv, size_t len)
{
	dax_dev_driver(name, drv, len);
}

/* Bind through new_id, the way daxctl does; the region is kmem's by default. */
void dev_bind(const char *name, const char *drv)
{
	char got[64];
	int err = dax_dev_bind(name, drv);

	if (err == ENXIO) {
		dev_driver(name, got, sizeof(got));
		fail("%s: bound to '%s' after %s new_id", name, got, drv);
	}
	if (err)
		fail("%s new_id %s: %s", drv, name, strerror(err));
}

/* Unbind and forget the new_id, so the next size change cannot rebind. */
void dev_unbind(const char *name)
{
	char drv[64];
	int err;

	dev_driver(name, drv, sizeof(drv));
	if (!drv[0])
		return;
	err = dax_dev_unbind(name, drv);
	if (err)
		fail("unbind %s from %s: %s", name, drv, strerror(err));
	dev_driver(name, drv, sizeof(drv));
	if (drv[0])
		fail("%s: still bound to %s after unbind", name, drv);
}

int dev_nr_mappings(const char *name)
{
	int n = dax_dev_nr_ranges(name);

	if (n < 0)
		fail("cannot read the directory of %s", name);
	return n;
}

void region_reset(const struct region *r)
{
	char first[NAME_MAX_LEN], pfx[16], (*names)[NAME_MAX_LEN] = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;

	snprintf(first, sizeof(first), "dax%d.0", r->id);
	snprintf(pfx, sizeof(pfx), "dax%d.", r->id);
	/* names first: the directory changes under readdir otherwise */
	d = opendir(r->dev);
	if (!d)
		fail("opendir %s", r->dev);
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, pfx, strlen(pfx)))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				fail("out of memory");
		}
		snprintf(names[n++], NAME_MAX_LEN, "%.31s", de->d_name);
	}
	closedir(d);
	for (i = 0; i < n; i++) {
		dev_unbind(names[i]);
		dev_set(names[i], "size", 0);
		if (strcmp(names[i], first))
			dev_delete(r, names[i]);
	}
	free(names);
	if (region_avail(r) != r->size)
		fail("region %d not empty after reset: %llu of %llu available",
		     r->id, (unsigned long long)region_avail(r),
		     (unsigned long long)r->size);
	if (dev_get(first, "size"))
		fail("%s not empty after reset", first);
}

/*
 * Fill the region with instances of @hole bytes (2 MiB for 512 holes in
 * 1 GiB), then delete every other one: all created first, as a hole made
 * at once would be refilled by the next.
 */
void region_fragment(const struct region *r, int holes, uint64_t hole)
{
	char (*names)[NAME_MAX_LEN] = calloc(2 * holes, NAME_MAX_LEN);
	int i;

	if (!names)
		fail("out of memory");
	for (i = 0; i < 2 * holes; i++) {
		dev_create(r, names[i]);
		dev_set(names[i], "size", hole);
	}
	for (i = 1; i < 2 * holes; i += 2) {
		dev_set(names[i], "size", 0);
		dev_delete(r, names[i]);
	}
	free(names);
	if (region_avail(r) != holes * hole)
		fail("fragmenting left %llu bytes available, want %llu",
		     (unsigned long long)region_avail(r),
		     (unsigned long long)(holes * hole));
}

static long long keyed(const char *file, const char *key, int colon)
{
	char line[256];
	size_t klen = strlen(key);
	long long v = -1;
	FILE *f = fopen(file, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != (colon ? ':' : ' '))
			continue;
		v = strtoll(line + klen + 1, NULL, 10);
		break;
	}
	fclose(f);
	return v;
}

long long vmstat(const char *key)
{
	return keyed("/proc/vmstat", key, 0);
}

long long meminfo_kb(const char *key)
{
	return keyed("/proc/meminfo", key, 1);
}

void result(const char *fmt, ...)
{
	va_list ap;

	printf("RESULT ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}
