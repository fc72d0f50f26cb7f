// SPDX-License-Identifier: GPL-2.0
/*
 * dax_mmap - mmap of /dev/daxX.Y: which mappings the device refuses, where
 * the data written through it lands, which page size its faults use, and
 * what an access gets once the instance is unbound.
 *
 * Run by dax_mmap.sh, which empties the hmem region first and passes its
 * dax_region directory in DAX_REGION and its physical start in
 * DAX_REGION_START.  Each test creates the instances it needs through the
 * region's "create" and deletes them again in its teardown.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "dax_sysfs.h"

#define MiB		(1ULL << 20)
#define GiB		(1ULL << 30)
#define PAGE		4096ULL
#define DEVICES		"/sys/bus/dax/devices"
#define DEVICE_DAX	"/sys/bus/dax/drivers/device_dax"
#define MAX_INST	4
#define NAME_LEN	32

/* ---- sysfs ---- */

/* Write a formatted value to attribute ATTR of instance DEV. */
static int __attribute__((format(printf, 3, 4)))
dev_write(const char *dev, const char *attr, const char *fmt, ...)
{
	char path[PATH_MAX], val[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), DEVICES "/%s/%s", dev, attr);
	return sysfs_write(path, val);
}

/* A number read from attribute ATTR of instance DEV; ~0 if unreadable. */
static uint64_t dev_u64(const char *dev, const char *attr)
{
	char path[PATH_MAX], buf[64];

	snprintf(path, sizeof(path), DEVICES "/%s/%s", dev, attr);
	if (sysfs_read(path, buf, sizeof(buf)))
		return ~0ULL;
	return strtoull(buf, NULL, 0);
}

struct range {
	uint64_t start, end, pgoff;	/* pgoff in bytes here */
};

/* mappingN of DEV; false if it does not exist. */
static bool dev_range(const char *dev, int n, struct range *r)
{
	char attr[64];
	uint64_t pages;

	snprintf(attr, sizeof(attr), "mapping%d/start", n);
	r->start = dev_u64(dev, attr);
	snprintf(attr, sizeof(attr), "mapping%d/end", n);
	r->end = dev_u64(dev, attr);
	snprintf(attr, sizeof(attr), "mapping%d/page_offset", n);
	pages = dev_u64(dev, attr);
	r->pgoff = pages * PAGE;
	return r->start != ~0ULL && r->end != ~0ULL && pages != ~0ULL;
}

/* ---- instances ---- */

FIXTURE(dax) {
	const char *region;		/* the dax_region directory */
	uint64_t start;			/* its physical start */
	uint64_t size;
	char inst[MAX_INST][NAME_LEN];	/* instances to delete in teardown */
	int n;
};

/* Bind DEV to device_dax through new_id, which succeeds even if nothing binds. */
static int dev_bind(const char *dev)
{
	char path[PATH_MAX];
	int err;

	err = sysfs_write(DEVICE_DAX "/new_id", dev);
	if (err)
		return err;
	snprintf(path, sizeof(path), DEVICES "/%s/driver", dev);
	return access(path, F_OK) ? ENXIO : 0;
}

/* Unbind and forget DEV; errors are fine (it may not be bound). */
static void dev_unbind(const char *dev)
{
	sysfs_write(DEVICE_DAX "/unbind", dev);
	sysfs_write(DEVICE_DAX "/remove_id", dev);
}

/*
 * Create an instance with ALIGN, then SIZE bytes (none if 0), bound to
 * device_dax if BIND.  Returns its name, or NULL with errno set.  The
 * instance is remembered for the teardown as soon as it exists.
 */
static const char *inst_new(FIXTURE_DATA(dax) *self, uint64_t align,
			    uint64_t size, bool bind)
{
	char path[PATH_MAX], *name;
	int err;

	if (self->n == MAX_INST) {
		errno = ENOSPC;
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/create", self->region);
	name = self->inst[self->n];
	err = sysfs_write(path, "1");
	if (!err)
		err = sysfs_read(path, name, NAME_LEN);
	if (!err && !*name)
		err = ENOENT;
	if (err) {
		errno = err;
		return NULL;
	}
	self->n++;
	err = dev_write(name, "align", "%llu", (unsigned long long)align);
	if (!err && size)
		err = dev_write(name, "size", "%llu", (unsigned long long)size);
	if (!err && bind)
		err = dev_bind(name);
	errno = err;
	return err ? NULL : name;
}

FIXTURE_SETUP(dax)
{
	char path[PATH_MAX], buf[64];
	const char *start = getenv("DAX_REGION_START");

	self->region = getenv("DAX_REGION");
	if (!self->region || !start)
		SKIP(return, "DAX_REGION and DAX_REGION_START not set: run dax_mmap.sh");
	self->start = strtoull(start, NULL, 0);
	snprintf(path, sizeof(path), "%s/size", self->region);
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	self->size = strtoull(buf, NULL, 0);
	self->n = 0;
}

FIXTURE_TEARDOWN(dax)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/delete", self->region);
	while (self->n) {
		const char *dev = self->inst[--self->n];

		dev_unbind(dev);
		dev_write(dev, "size", "0");
		sysfs_write(path, dev);
	}
}

/* ---- mappings ---- */

/* Map LEN bytes of /dev/DEV at OFF with FLAGS; MAP_FAILED with errno. */
static void *dev_map(const char *dev, size_t len, off_t off, int flags)
{
	char path[PATH_MAX];
	void *p;
	int fd, err;

	snprintf(path, sizeof(path), "/dev/%s", dev);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return MAP_FAILED;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, off);
	err = errno;
	close(fd);	/* the mapping keeps the file */
	errno = err;
	return p;
}

static uint64_t word(uint64_t seed, uint64_t off)
{
	uint64_t x = seed ^ (off * 0x9e3779b97f4a7c15ULL);

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 29);
}

/* One word per page, derived from SEED and the page's offset in the buffer. */
static void fill(volatile uint64_t *p, uint64_t len, uint64_t seed)
{
	uint64_t off;

	for (off = 0; off < len; off += PAGE)
		p[off / 8] = word(seed, off);
}

/* The offset of the first page that does not hold fill()'s word, or -1. */
static int64_t verify(volatile uint64_t *p, uint64_t len, uint64_t seed)
{
	uint64_t off;

	for (off = 0; off < len; off += PAGE)
		if (p[off / 8] != word(seed, off))
			return off;
	return -1;
}

TEST_F(dax, private_mapping_refused)
{
	const char *dev = inst_new(self, 2 * MiB, 32 * MiB, true);
	void *p;

	ASSERT_NE(NULL, dev) TH_LOG("cannot make a 32M instance: %s", strerror(errno));
	p = dev_map(dev, 2 * MiB, 0, MAP_PRIVATE);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = dev_map(dev, 2 * MiB, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("a shared mapping fails: %s", strerror(errno));
	munmap(p, 2 * MiB);
}

/*
 * A file offset that is not a multiple of the align.  The length is two
 * aligned pages, so that the kernel places the mapping at an address that
 * matches the offset modulo the align (see dax_get_unmapped_area()), and
 * the mapping is refused for its misaligned start whatever else is
 * checked.
 */
TEST_F(dax, misaligned_offset_refused)
{
	const char *dev = inst_new(self, 2 * MiB, 32 * MiB, true);
	static const off_t offs[] = { PAGE, MiB, 2 * MiB + PAGE };
	unsigned int i;
	void *p;

	ASSERT_NE(NULL, dev) TH_LOG("cannot make a 32M instance: %s", strerror(errno));
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		p = dev_map(dev, 4 * MiB, offs[i], MAP_SHARED);
		EXPECT_EQ(MAP_FAILED, p) TH_LOG("offset %#llx", (unsigned long long)offs[i]);
		EXPECT_EQ(EINVAL, errno);
		if (p != MAP_FAILED)
			munmap(p, 4 * MiB);
	}
	p = dev_map(dev, 4 * MiB, 2 * MiB, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("an aligned offset fails: %s", strerror(errno));
	munmap(p, 4 * MiB);
}

TEST_F(dax, misaligned_length_refused)
{
	const char *dev = inst_new(self, 2 * MiB, 32 * MiB, true);
	static const size_t lens[] = { PAGE, MiB, 2 * MiB + PAGE };
	unsigned int i;
	void *p;

	ASSERT_NE(NULL, dev) TH_LOG("cannot make a 32M instance: %s", strerror(errno));
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		p = dev_map(dev, lens[i], 0, MAP_SHARED);
		EXPECT_EQ(MAP_FAILED, p) TH_LOG("length %#zx", lens[i]);
		EXPECT_EQ(EINVAL, errno);
		if (p != MAP_FAILED)
			munmap(p, lens[i]);
	}
}

/*
 * Data written before a resize is where it was after it: unbind, grow
 * (into a second range, the space after the instance being taken), rebind.
 */
TEST_F_TIMEOUT(dax, data_survives_growth, 120)
{
	const char *a = inst_new(self, 2 * MiB, 32 * MiB, true);
	const char *b = inst_new(self, 2 * MiB, 32 * MiB, false);
	struct range r;
	uint64_t *p;

	ASSERT_NE(NULL, a) TH_LOG("cannot make a 32M instance: %s", strerror(errno));
	ASSERT_NE(NULL, b) TH_LOG("cannot make the blocking instance: %s", strerror(errno));
	p = dev_map(a, 32 * MiB, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	fill(p, 32 * MiB, 0xa11ce);
	munmap(p, 32 * MiB);

	dev_unbind(a);
	ASSERT_EQ(0, dev_write(a, "size", "%llu", 64 * MiB));
	ASSERT_TRUE(dev_range(a, 1, &r)) TH_LOG("%s did not grow into a second range", a);
	EXPECT_EQ(32 * MiB, r.pgoff);
	ASSERT_EQ(0, dev_bind(a));
	p = dev_map(a, 64 * MiB, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, verify(p, 32 * MiB, 0xa11ce));
	fill(p + 32 * MiB / 8, 32 * MiB, 0xb0b);
	EXPECT_EQ(-1, verify(p + 32 * MiB / 8, 32 * MiB, 0xb0b));
	EXPECT_EQ(-1, verify(p, 32 * MiB, 0xa11ce));
	munmap(p, 64 * MiB);
}

/*
 * Each range of a discontiguous instance is mapped at its page_offset:
 * write a distinct pattern through each range's offsets, then give the
 * memory to new instances that claim exactly those physical ranges
 * through "mapping", and find each pattern at offset 0 of its new owner.
 */
TEST_F_TIMEOUT(dax, ranges_map_their_physical_memory, 120)
{
	const uint64_t len = 32 * MiB, hi = self->start + 64 * MiB, lo = self->start;
	const char *a = inst_new(self, 2 * MiB, 0, false);
	struct range r[2];
	uint64_t *p;
	int i;

	ASSERT_NE(NULL, a) TH_LOG("cannot make an instance: %s", strerror(errno));
	ASSERT_EQ(0, dev_write(a, "mapping", "%#llx-%#llx", (unsigned long long)hi,
			       (unsigned long long)(hi + len - 1)));
	ASSERT_EQ(0, dev_write(a, "mapping", "%#llx-%#llx", (unsigned long long)lo,
			       (unsigned long long)(lo + len - 1)));
	ASSERT_TRUE(dev_range(a, 0, &r[0]));
	ASSERT_TRUE(dev_range(a, 1, &r[1]));
	EXPECT_EQ(hi, r[0].start);
	EXPECT_EQ((uint64_t)0, r[0].pgoff);
	EXPECT_EQ(lo, r[1].start);
	EXPECT_EQ(len, r[1].pgoff);

	ASSERT_EQ(0, dev_bind(a));
	p = dev_map(a, 2 * len, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < 2; i++)
		fill(p + r[i].pgoff / 8, r[i].end - r[i].start + 1, 0x100 + i);
	munmap(p, 2 * len);
	dev_unbind(a);
	ASSERT_EQ(0, dev_write(a, "size", "0"));

	for (i = 0; i < 2; i++) {
		const char *b = inst_new(self, 2 * MiB, 0, false);

		ASSERT_NE(NULL, b);
		ASSERT_EQ(0, dev_write(b, "mapping", "%#llx-%#llx",
				       (unsigned long long)r[i].start,
				       (unsigned long long)r[i].end));
		ASSERT_EQ(0, dev_bind(b));
		p = dev_map(b, len, 0, MAP_SHARED);
		ASSERT_NE(MAP_FAILED, p);
		EXPECT_EQ(-1, verify(p, len, 0x100 + i))
			TH_LOG("mapping%d of %s (%#llx) is not where its data went", i, a,
			       (unsigned long long)r[i].start);
		munmap(p, len);
	}
}

/* ---- the dev_dax:dax_fault tracepoint ---- */

/* The tracefs mount, mounted if it is not; NULL if there is none. */
static const char *tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[PATH_MAX];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (!access(path, F_OK))
			return dirs[i];
	}
	if (!mount("tracefs", dirs[0], "tracefs", 0, NULL))
		return dirs[0];
	return NULL;
}

static int trace_write(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return sysfs_write(path, val);
}

/* Empty the trace buffer: opening "trace" with O_TRUNC does it. */
static int trace_clear(const char *dir)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/trace", dir);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* The value of field NAME ("NAME=VALUE") in a trace line, as a string. */
static bool trace_field(const char *line, const char *name, char *val, size_t len)
{
	char key[32];
	const char *s;
	size_t n;

	snprintf(key, sizeof(key), " %s=", name);
	s = strstr(line, key);
	if (!s)
		return false;
	s += strlen(key);
	n = strcspn(s, "\n ");
	if (n >= len)
		n = len - 1;
	memcpy(val, s, n);
	val[n] = '\0';
	return true;
}

/*
 * Does the trace show a fault of DEV at page offset PGOFF (in pages) of
 * SIZE bytes that mapped it (result NOPAGE)?
 */
static bool trace_has_fault(const char *dir, const char *dev, uint64_t pgoff,
			    uint64_t size)
{
	char path[PATH_MAX], val[64], who[NAME_LEN + 2];
	char *line = NULL;
	size_t cap = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/trace", dir);
	snprintf(who, sizeof(who), "%s ", dev);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && getline(&line, &cap, f) > 0) {
		const char *s = strstr(line, "dax_fault: ");

		if (!s || strncmp(s + strlen("dax_fault: "), who, strlen(who)))
			continue;
		found = trace_field(s, "size", val, sizeof(val)) &&
			strtoull(val, NULL, 0) == size &&
			trace_field(s, "pgoff", val, sizeof(val)) &&
			strtoull(val, NULL, 0) == pgoff &&
			trace_field(s, "result", val, sizeof(val)) &&
			strstr(val, "NOPAGE");
	}
	free(line);
	fclose(f);
	return found;
}

/*
 * Make an instance of SIZE bytes at ALIGN, touch it at two aligned offsets
 * with dev_dax:dax_fault enabled, and find a fault of ALIGN bytes for each.
 */
static void check_fault_size(struct __test_metadata *_metadata,
			     FIXTURE_DATA(dax) *self, uint64_t align, uint64_t size)
{
	const char *dir = tracefs(), *dev;
	const uint64_t offs[] = { 0, size - align };
	char event[PATH_MAX];
	volatile char *p;
	unsigned int i;

	ASSERT_NE(NULL, dir) TH_LOG("no tracefs");
	snprintf(event, sizeof(event), "%s/events/dev_dax/dax_fault/enable", dir);
	if (access(event, F_OK)) {
		if (stock_kernel())
			SKIP(return, "no dev_dax:dax_fault tracepoint in 6.12");
		ASSERT_EQ(0, access(event, F_OK)) TH_LOG("no dev_dax:dax_fault tracepoint");
	}
	if (size > self->size)
		SKIP(return, "the region is smaller than %llu bytes", (unsigned long long)size);
	dev = inst_new(self, align, size, true);
	if (!dev && errno == ENOSPC)
		SKIP(return, "no %llu aligned room in the region", (unsigned long long)align);
	ASSERT_NE(NULL, dev) TH_LOG("cannot make the instance: %s", strerror(errno));
	p = dev_map(dev, size, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap: %s", strerror(errno));

	ASSERT_EQ(0, trace_write(dir, "events/dev_dax/dax_fault/enable", "0"));
	ASSERT_EQ(0, trace_clear(dir));
	ASSERT_EQ(0, trace_write(dir, "tracing_on", "1"));
	ASSERT_EQ(0, trace_write(dir, "events/dev_dax/dax_fault/enable", "1"));
	for (i = 0; i < 2; i++)
		p[offs[i]] = 1;
	trace_write(dir, "events/dev_dax/dax_fault/enable", "0");
	munmap((void *)p, size);

	/* braces: EXPECT_*() with TH_LOG() is more than one statement */
	for (i = 0; i < 2; i++) {
		EXPECT_TRUE(trace_has_fault(dir, dev, offs[i] / PAGE, align))
			TH_LOG("no %llu byte fault of %s at offset %#llx in the trace",
			       (unsigned long long)align, dev, (unsigned long long)offs[i]);
	}
	trace_clear(dir);
}

TEST_F_TIMEOUT(dax, fault_size_2m, 120)
{
	check_fault_size(_metadata, self, 2 * MiB, 32 * MiB);
}

TEST_F_TIMEOUT(dax, fault_size_1g, 600)
{
	check_fault_size(_metadata, self, GiB, GiB);
}

/* ---- access after unbind ---- */

static sigjmp_buf sigbus_env;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(sigbus_env, 1);
}

/* Does reading *P raise SIGBUS? */
static bool sigbus_on_read(volatile char *p)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	volatile bool hit = false;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(sigbus_env, 1) == 0)
		(void)*p;
	else
		hit = true;
	sigaction(SIGBUS, &old, NULL);
	return hit;
}

TEST_F_TIMEOUT(dax, sigbus_after_unbind, 120)
{
	const char *dev = inst_new(self, 2 * MiB, 32 * MiB, true);
	volatile char *p;

	ASSERT_NE(NULL, dev) TH_LOG("cannot make a 32M instance: %s", strerror(errno));
	p = dev_map(dev, 32 * MiB, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 0x5a;
	EXPECT_FALSE(sigbus_on_read(p));

	ASSERT_EQ(0, sysfs_write(DEVICE_DAX "/unbind", dev));
	EXPECT_TRUE(sigbus_on_read(p)) TH_LOG("a page mapped before unbind is still there");
	EXPECT_TRUE(sigbus_on_read(p + 16 * MiB)) TH_LOG("a new fault after unbind succeeds");
	munmap((void *)p, 32 * MiB);

	/* the memory is the same once bound again */
	ASSERT_EQ(0, sysfs_write(DEVICE_DAX "/bind", dev));
	p = dev_map(dev, 32 * MiB, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_FALSE(sigbus_on_read(p));
	EXPECT_EQ(0x5a, p[0]);
	munmap((void *)p, 32 * MiB);
}

/*
 * Bind again while a mapping (and so an open file) of the previous binding
 * is still there, then unbind and bind once more: the character device
 * must survive it.  A broken kernel reports a refcount underflow or list
 * corruption in its log, which fails the run.
 */
TEST_F_TIMEOUT(dax, rebind_while_mapped, 120)
{
	volatile char *p, *q;
	const char *dev;

	if (stock_kernel())
		SKIP(return, "6.12 bug: %s",
		     "binding while a file of the previous binding is open corrupts the cdev");
	dev = inst_new(self, 2 * MiB, 32 * MiB, true);
	ASSERT_NE(NULL, dev) TH_LOG("cannot make a 32M instance: %s", strerror(errno));
	p = dev_map(dev, 32 * MiB, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 0x6b;
	ASSERT_EQ(0, sysfs_write(DEVICE_DAX "/unbind", dev));
	ASSERT_EQ(0, sysfs_write(DEVICE_DAX "/bind", dev));
	q = dev_map(dev, 32 * MiB, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, q);
	EXPECT_EQ(0x6b, q[0]);
	munmap((void *)q, 32 * MiB);
	munmap((void *)p, 32 * MiB);

	ASSERT_EQ(0, sysfs_write(DEVICE_DAX "/unbind", dev));
	ASSERT_EQ(0, sysfs_write(DEVICE_DAX "/bind", dev));
	q = dev_map(dev, 32 * MiB, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, q);
	EXPECT_EQ(0x6b, q[0]);
	munmap((void *)q, 32 * MiB);
}

TEST_HARNESS_MAIN
