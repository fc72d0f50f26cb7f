// SPDX-License-Identifier: GPL-2.0
/*
 * dax_stress - several processes change the instances of one dax region at
 * once, for a bounded time, while another process reads every attribute.
 *
 * Each worker mostly works on instances it created itself, so it knows
 * what every operation may answer: create, grow (first fit: instances
 * become discontiguous once they interleave), shrink, claim an exact free
 * range through "mapping", change the align, bind to device_dax (new_id or
 * bind), map /dev/daxX.Y and check a pattern through it, unbind, delete.
 * It also races on the instances of the other workers: it unbinds and binds
 * them, and tries to delete them, which only succeeds for an empty, unbound
 * instance.  Each operation has a list of the errnos a race may give it
 * (ops[] below, from the checks of drivers/dax); any other errno counts as a
 * failure.  Readers read every attribute of the region, of its instances
 * and of their mappings, and the drivers' directories, and check the form
 * of each value.
 *
 * At the end every instance the workers made is deleted and the region must
 * be as it was: the same instances (its first one, empty, and the pad of
 * stress.sh if there is one), the same available_size, and /proc/iomem and
 * the /dev/dax* nodes as before.
 *
 * On 6.12 (a release ending in "-stock") the operations that hit its known
 * bugs are left out and reported as skipped.
 *
 * Run by stress.sh, which empties the region first.  Environment:
 * DAX_REGION (the dax_region directory) and DAX_REGION_START (its physical
 * start), DAX_STRESS_SECONDS (default 60), DAX_STRESS_WORKERS (3),
 * DAX_STRESS_READERS (1), DAX_STRESS_OPS (comma separated operation names,
 * default all; "create" is always on), DAX_STRESS_SEED.
 */
#define _GNU_SOURCE
#include <dirent.h>
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest.h"
#include "dax_sysfs.h"

#define MiB		(1ULL << 20)
#define GRANULE		(2 * MiB)	/* allocation unit of every instance */
#define MAX_SIZE	(64 * MiB)	/* instances grow up to this */
#define MAX_MAP		(4 * MiB)	/* and are mapped this much at most */
#define MAX_WORKERS	8
#define MAX_READERS	4
#define PER_WORKER	3		/* instances a worker holds at most */
#define NR_SLOTS	(MAX_WORKERS * PER_WORKER)
#define NAME_LEN	32
#define MAX_ERRNO	136
#define MAX_IDS		1024		/* instance numbers tracked for remove_id */
#define MAX_NOTES	40
#define DEVICES		"/sys/bus/dax/devices"
#define DRIVERS		"/sys/bus/dax/drivers"
#define DEVICE_DAX	DRIVERS "/device_dax"
#define STOCK_MAPPING_READS \
	"6.12 bug: removing a mappingN deadlocks against a reader of its attributes"

enum op {
	OP_CREATE, OP_GROW, OP_SHRINK, OP_MAPPING, OP_ALIGN, OP_DELETE,
	OP_NEW_ID, OP_BIND, OP_UNBIND, OP_MMAP,
	OP_RACE_UNBIND, OP_RACE_BIND, OP_RACE_DELETE, OP_READ, NR_OPS
};

/*
 * What each operation may answer besides success.  On an instance of its
 * own a worker sees a driver bound behind its back (EBUSY), and a free
 * range taken meanwhile (EADDRINUSE); it never sees its instance vanish:
 * other workers delete it only under the slot lock, between two of its
 * operations.  Racing operations on others' instances may find them
 * unbound (ENODEV), not matched by device_dax (ENODEV), empty (ENXIO),
 * bound or sized (EBUSY).  A bind may also fail EBUSY in device_dax's probe
 * when a range is claimed in iomem by memory kept online.  Readers may
 * find a file gone (ENOENT), a file whose device went away after open
 * (ENODEV), or a detached mapping (ENXIO).
 */
static const struct op_info {
	const char *name;
	int weight;
	int errs[4];
	const char *stock_off;	/* why the op is off on 6.12, or NULL */
} ops[NR_OPS] = {
	[OP_CREATE] = { "create", 6, { ENOSPC } },
	[OP_GROW] = { "grow", 14, { ENOSPC, EBUSY } },
	[OP_SHRINK] = { "shrink", 8, { EBUSY } },
	[OP_MAPPING] = { "mapping", 8, { EBUSY, EADDRINUSE },
		"6.12 bug: mapping allocates under a bound driver" },
	[OP_ALIGN] = { "align", 4, { EBUSY } },
	[OP_DELETE] = { "delete", 4, { EBUSY } },
	[OP_NEW_ID] = { "new_id", 6, { 0 } },
	[OP_BIND] = { "bind", 8, { EBUSY, ENODEV, ENXIO } },
	[OP_UNBIND] = { "unbind", 10, { ENODEV } },
	[OP_MMAP] = { "mmap", 10, { ENXIO },
		"6.12 bug: an open racing with unbind gets no instance, the mmap oopses" },
	[OP_RACE_UNBIND] = { "race_unbind", 5, { ENODEV },
		"6.12 bug: binding while a file of the previous binding is open corrupts the cdev" },
	[OP_RACE_BIND] = { "race_bind", 4, { EBUSY, ENODEV, ENXIO },
		"6.12 bug: binding while a file of the previous binding is open corrupts the cdev" },
	[OP_RACE_DELETE] = { "race_delete", 4, { EBUSY } },
	[OP_READ] = { "read", 0, { ENOENT, ENODEV, ENXIO } },
};

/* An instance a worker created; other workers delete it under @lock only. */
struct slot {
	int lock;
	int owner;		/* worker index, or -1 when free */
	bool deleted;		/* deleted by another worker */
	bool listed;		/* the owner wrote its name to new_id last */
	char name[NAME_LEN];
};

/* Shared by every process, in a MAP_SHARED mapping. */
struct shared {
	int stop;
	int create_lock;
	int notes;
	struct slot slots[NR_SLOTS];
	unsigned long count[NR_OPS][MAX_ERRNO];	/* [op][0] counts successes */
	unsigned long unexpected[NR_OPS];
	unsigned long sigbus, discontig, mismatch, inconsistent, malformed;
	unsigned long lost, ids[MAX_IDS / 64];
	unsigned long picked[NR_OPS], usec[NR_OPS];	/* time per operation */
	unsigned long mmap_usec[4];	/* open, mmap, touch, munmap */
};

struct config {
	const char *region;	/* the dax_region directory */
	char region_dev[512];
	int id;
	uint64_t start, size;
	int seconds, workers, readers;
	bool enabled[NR_OPS];
	bool stock;
	unsigned int seed;
};

struct worker {
	int index;
	unsigned int rnd;	/* rand_r() state */
};

static struct config cfg;
static struct shared *sh;
static char initial[8192];	/* the instances before the workers started */
static uint64_t initial_avail;

/* ---- small helpers ---- */

static void spin_lock(int *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		usleep(200);
}

static bool spin_trylock(int *l)
{
	return !__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE);
}

static void spin_unlock(int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

static void inc(unsigned long *v)
{
	__atomic_fetch_add(v, 1, __ATOMIC_RELAXED);
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

/* Add the time since *T to phase I of the mmap operation; restart *T. */
static void mmap_phase(int i, uint64_t *t)
{
	uint64_t now = now_us();

	__atomic_fetch_add(&sh->mmap_usec[i], now - *t, __ATOMIC_RELAXED);
	*t = now;
}

static bool stopping(void)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_RELAXED);
}

/* A "# " line in one write(2), so that processes do not mix their lines. */
static void __printf(1, 2) note(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	if (__atomic_fetch_add(&sh->notes, 1, __ATOMIC_RELAXED) >= MAX_NOTES)
		return;
	n = snprintf(line, sizeof(line), "# [%d] ", getpid());
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDOUT_FILENO, line, n) < 0)
		return;
}

static const char *errname(int err)
{
	const char *s = err ? strerrorname_np(err) : "OK";

	return s ?: "E?";
}

static unsigned int rnd(struct worker *w, unsigned int n)
{
	return n ? rand_r(&w->rnd) % n : 0;
}

static int __printf(3, 4)
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

/* A number from attribute ATTR of DEV, or ~0 if it cannot be read. */
static uint64_t dev_u64(const char *dev, const char *attr)
{
	char path[PATH_MAX], buf[64];

	snprintf(path, sizeof(path), DEVICES "/%s/%s", dev, attr);
	if (sysfs_read(path, buf, sizeof(buf)))
		return ~0ULL;
	return strtoull(buf, NULL, 0);
}

static int region_write(const char *attr, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", cfg.region, attr);
	return sysfs_write(path, val);
}

static uint64_t region_u64(const char *attr)
{
	char path[PATH_MAX], buf[64];

	snprintf(path, sizeof(path), "%s/%s", cfg.region, attr);
	if (sysfs_read(path, buf, sizeof(buf)))
		return ~0ULL;
	return strtoull(buf, NULL, 0);
}

/* Is NAME an instance "dax<id>.<n>" of our region?  Sets *N. */
static bool our_instance(const char *name, int *n)
{
	int id, len = 0;

	if (sscanf(name, "dax%d.%d%n", &id, n, &len) != 2)
		return false;
	return id == cfg.id && !name[len];
}

/* Remember that NAME went into device_dax's new_id list. */
static void note_id(const char *name)
{
	int n;

	if (our_instance(name, &n) && n >= 0 && n < MAX_IDS)
		__atomic_fetch_or(&sh->ids[n / 64], 1UL << (n % 64),
				  __ATOMIC_RELAXED);
}

/*
 * Count the outcome ERR (0 or an errno) of OP on DEV.  Returns true when
 * it is one the operation may give.
 */
static bool record(enum op op, const char *dev, int err)
{
	const int *e;

	inc(&sh->count[op][err < MAX_ERRNO ? err : MAX_ERRNO - 1]);
	if (!err)
		return true;
	for (e = ops[op].errs; e < ops[op].errs + 4 && *e; e++)
		if (*e == err)
			return true;
	inc(&sh->unexpected[op]);
	note("%s %s: unexpected %s", ops[op].name, dev, errname(err));
	return false;
}

/* The number of mappingN directories of DEV. */
static int nr_mappings(const char *dev)
{
	char path[PATH_MAX];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), DEVICES "/%s", dev);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, "mapping", 7) && de->d_name[7];
	closedir(d);
	return n;
}

/* After a successful resize, the size must read back as WANT. */
static void check_size(const char *dev, uint64_t want, const char *what)
{
	uint64_t got = dev_u64(dev, "size");

	if (got == want)
		return;
	inc(&sh->inconsistent);
	note("%s %s: size reads %llu, want %llu", what, dev,
	     (unsigned long long)got, (unsigned long long)want);
}

/* ---- operations on a worker's own instances ---- */

/*
 * Take a free slot for NAME.  Busy slots are skipped: they belong to a
 * worker in the middle of an operation, or are being looked at briefly.
 */
static struct slot *slot_claim(struct worker *w, const char *name)
{
	int i, tries;

	for (tries = 0; tries < 100; tries++) {
		for (i = 0; i < NR_SLOTS; i++) {
			struct slot *s = &sh->slots[i];

			if (!spin_trylock(&s->lock))
				continue;
			if (s->owner < 0) {
				s->owner = w->index;
				s->deleted = false;
				s->listed = false;
				snprintf(s->name, NAME_LEN, "%s", name);
				spin_unlock(&s->lock);
				return s;
			}
			spin_unlock(&s->lock);
		}
		usleep(1000);
	}
	return NULL;
}

/* Called with the slot locked. */
static void slot_release(struct slot *s)
{
	s->owner = -1;
	s->deleted = false;
	s->name[0] = '\0';
}

static int owned(struct worker *w, struct slot **list)
{
	int i, n = 0;

	for (i = 0; i < NR_SLOTS; i++)
		if (__atomic_load_n(&sh->slots[i].owner, __ATOMIC_RELAXED) == w->index)
			list[n++] = &sh->slots[i];
	return n;
}

static void op_create(struct worker *w, struct slot *unused)
{
	char path[PATH_MAX], name[NAME_LEN] = "";
	int err, n;

	snprintf(path, sizeof(path), "%s/create", cfg.region);
	spin_lock(&sh->create_lock);
	err = sysfs_write(path, "1");
	if (!err)
		err = sysfs_read(path, name, sizeof(name));
	spin_unlock(&sh->create_lock);
	if (!record(OP_CREATE, "region", err) || err)
		return;
	if (!our_instance(name, &n) || n <= 0) {
		inc(&sh->inconsistent);
		note("create: reads back '%s'", name);
		return;
	}
	/* before other workers can see it, and delete it */
	err = dev_write(name, "align", "%llu", rnd(w, 2) ? GRANULE : 4096ULL);
	record(OP_ALIGN, name, err);
	if (!slot_claim(w, name)) {
		note("create: no free slot for %s", name);
		inc(&sh->inconsistent);
	}
}

static void op_shrink(struct worker *w, struct slot *s);

static void op_grow(struct worker *w, struct slot *s)
{
	const char *dev = s->name;
	uint64_t size = dev_u64(dev, "size"), avail, want;
	int err, ranges;

	if (size == ~0ULL) {
		record(OP_GROW, dev, ENOENT);
		return;
	}
	if (!rnd(w, 20)) {
		/* more than is left: ENOSPC, unless space was freed meanwhile */
		avail = region_u64("available_size");
		if (avail == ~0ULL)
			return;
		want = size + avail + GRANULE;
	} else {
		want = size + (1 + rnd(w, 8)) * GRANULE;
		if (want > MAX_SIZE) {
			op_shrink(w, s);
			return;
		}
	}
	ranges = nr_mappings(dev);
	err = dev_write(dev, "size", "%llu", (unsigned long long)want);
	if (!record(OP_GROW, dev, err) || err)
		return;
	check_size(dev, want, "grow");
	if (nr_mappings(dev) > ranges)
		inc(&sh->discontig);
}

static void op_shrink(struct worker *w, struct slot *s)
{
	const char *dev = s->name;
	uint64_t size = dev_u64(dev, "size"), want;
	int err;

	if (size == ~0ULL || !size)
		return;
	want = rnd(w, size / GRANULE) * GRANULE;
	err = dev_write(dev, "size", "%llu", (unsigned long long)want);
	if (record(OP_SHRINK, dev, err) && !err)
		check_size(dev, want, "shrink");
}

/* Mark in USED the granules of the ranges of instance DEV. */
static void mark_ranges(const char *dev, unsigned char *used, size_t n)
{
	char path[PATH_MAX], buf[32];
	struct dirent *me;
	uint64_t s, e, g;
	DIR *m;

	snprintf(path, sizeof(path), "%s/%s", cfg.region_dev, dev);
	m = opendir(path);
	if (!m)
		return;
	while ((me = readdir(m))) {
		if (strncmp(me->d_name, "mapping", 7) || !me->d_name[7])
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s/start", cfg.region_dev,
			 dev, me->d_name);
		if (sysfs_read(path, buf, sizeof(buf)))
			continue;
		s = strtoull(buf, NULL, 0);
		snprintf(path, sizeof(path), "%s/%s/%s/end", cfg.region_dev,
			 dev, me->d_name);
		if (sysfs_read(path, buf, sizeof(buf)))
			continue;
		e = strtoull(buf, NULL, 0);
		for (g = (s - cfg.start) / GRANULE;
		     g <= (e - cfg.start) / GRANULE && g < n; g++)
			used[g] = 1;
	}
	closedir(m);
}

/* Mark the granules of every range of every instance of the region. */
static void used_granules(unsigned char *used, size_t n)
{
	struct dirent *de;
	DIR *d;
	int inst;

	d = opendir(cfg.region_dev);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (our_instance(de->d_name, &inst))
			mark_ranges(de->d_name, used, n);
	closedir(d);
}

/* Claim a free range of 1 to 4 granules through "mapping". */
static void op_mapping(struct worker *w, struct slot *s)
{
	const char *dev = s->name;
	size_t n = cfg.size / GRANULE, g, len = 1 + rnd(w, 4), run = 0;
	unsigned char *used = calloc(n, 1);
	uint64_t size = dev_u64(dev, "size"), start;
	int err;

	if (!used)
		return;
	used_granules(used, n);
	/* the first free run of LEN granules from a random granule on */
	for (g = rnd(w, n); g < n && run < len; g++)
		run = used[g] ? 0 : run + 1;
	free(used);
	if (run < len || size == ~0ULL)
		return;
	start = cfg.start + (g - len) * GRANULE;
	err = dev_write(dev, "mapping", "%#llx-%#llx", (unsigned long long)start,
			(unsigned long long)(start + len * GRANULE - 1));
	if (record(OP_MAPPING, dev, err) && !err)
		check_size(dev, size + len * GRANULE, "mapping");
}

static void op_align(struct worker *w, struct slot *s)
{
	record(OP_ALIGN, s->name, dev_write(s->name, "align", "%llu",
					    rnd(w, 2) ? GRANULE : 4096ULL));
}

static void op_new_id(struct worker *w, struct slot *s)
{
	note_id(s->name);
	if (record(OP_NEW_ID, s->name, sysfs_write(DEVICE_DAX "/new_id", s->name)))
		s->listed = true;
}

static bool bound(const char *dev)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), DEVICES "/%s/driver", dev);
	return !access(path, F_OK);
}

/*
 * Bind through the bind file, which needs the name in device_dax's new_id
 * list: new_id it first if it is not; unbind it first if it is bound.
 */
static void op_bind(struct worker *w, struct slot *s)
{
	if (!s->listed) {
		op_new_id(w, s);
		return;
	}
	if (bound(s->name))
		record(OP_UNBIND, s->name, sysfs_write(DEVICE_DAX "/unbind", s->name));
	record(OP_BIND, s->name, sysfs_write(DEVICE_DAX "/bind", s->name));
}

static void op_unbind(struct worker *w, struct slot *s)
{
	record(OP_UNBIND, s->name, sysfs_write(DEVICE_DAX "/unbind", s->name));
	if (!rnd(w, 4)) {
		sysfs_write(DEVICE_DAX "/remove_id", s->name);
		s->listed = false;
	}
}

/* Unbind, empty and delete an instance; the slot is locked. */
static void op_delete(struct worker *w, struct slot *s)
{
	int err;

	record(OP_UNBIND, s->name, sysfs_write(DEVICE_DAX "/unbind", s->name));
	sysfs_write(DEVICE_DAX "/remove_id", s->name);
	s->listed = false;
	record(OP_SHRINK, s->name, dev_write(s->name, "size", "0"));
	err = region_write("delete", s->name);
	if (record(OP_DELETE, s->name, err) && !err)
		slot_release(s);
}

/* ---- mmap ---- */

static sigjmp_buf sigbus_env;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(sigbus_env, 1);
}

static uint64_t word(uint64_t seed, uint64_t off)
{
	uint64_t x = seed ^ (off * 0x9e3779b97f4a7c15ULL);

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 29);
}

/*
 * Write a word in every page of P, then read them all back.  Returns the
 * offset of the first wrong word, -1 if all are right, or -2 on SIGBUS.
 */
static int64_t touch(volatile uint64_t *p, uint64_t len, uint64_t step,
		     uint64_t seed)
{
	volatile uint64_t off;

	if (sigsetjmp(sigbus_env, 1))
		return -2;
	for (off = 0; off < len; off += step)
		p[off / 8] = word(seed, off);
	for (off = 0; off < len; off += step)
		if (p[off / 8] != word(seed, off))
			return off;
	return -1;
}

/* Map at most MAX_MAP bytes of DEV, fill and check them. */
static void op_mmap(struct worker *w, struct slot *s)
{
	const char *dev = s->name;
	uint64_t size, align, len, seed = rand_r(&w->rnd), t = now_us();
	char path[PATH_MAX];
	int64_t bad;
	void *p;
	int fd;

	/*
	 * Opening the node of an unbound instance is refused, but only after
	 * the kernel ran modprobe for a driver of its device number: seconds
	 * in a slow guest.  Only bound ones are opened; they can still be
	 * unbound before the open.
	 */
	if (!bound(dev))
		return;
	snprintf(path, sizeof(path), "/dev/%s", dev);
	fd = open(path, O_RDWR);
	mmap_phase(0, &t);
	if (fd < 0) {
		record(OP_MMAP, dev, errno);
		return;
	}
	size = dev_u64(dev, "size");
	align = dev_u64(dev, "align");
	len = size < MAX_MAP ? size : MAX_MAP;
	if (size == ~0ULL || align == ~0ULL || !align || len < align) {
		close(fd);
		return;
	}
	len -= len % align;
	t = now_us();
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	mmap_phase(1, &t);
	if (p == MAP_FAILED) {
		record(OP_MMAP, dev, errno);
		return;
	}
	record(OP_MMAP, dev, 0);
	bad = touch(p, len, align < MiB / 4 ? MiB / 4 : align, seed);
	mmap_phase(2, &t);
	munmap(p, len);
	mmap_phase(3, &t);
	if (bad == -2) {
		inc(&sh->sigbus);
	} else if (bad >= 0) {
		inc(&sh->mismatch);
		note("mmap %s: wrong data at offset %#llx", dev,
		     (unsigned long long)bad);
	}
}

/* ---- races on other workers' instances ---- */

/* Copy the name of a random instance of another worker; false if none. */
static bool other_instance(struct worker *w, char *name)
{
	unsigned int i, first = rnd(w, NR_SLOTS);

	for (i = 0; i < NR_SLOTS; i++) {
		struct slot *s = &sh->slots[(first + i) % NR_SLOTS];
		bool found;

		if (!spin_trylock(&s->lock))
			continue;
		found = s->owner >= 0 && s->owner != w->index && !s->deleted;
		if (found)
			snprintf(name, NAME_LEN, "%s", s->name);
		spin_unlock(&s->lock);
		if (found)
			return true;
	}
	return false;
}

static void race_bind(struct worker *w, bool bind)
{
	char name[NAME_LEN];

	if (!other_instance(w, name))
		return;
	if (bind)
		record(OP_RACE_BIND, name, sysfs_write(DEVICE_DAX "/bind", name));
	else
		record(OP_RACE_UNBIND, name, sysfs_write(DEVICE_DAX "/unbind", name));
}

static void op_race_unbind(struct worker *w, struct slot *unused)
{
	race_bind(w, false);
}

static void op_race_bind(struct worker *w, struct slot *unused)
{
	race_bind(w, true);
}

/* The region's first instance is never deleted: EBUSY, whatever its state. */
static void race_delete_first(void)
{
	char name[NAME_LEN];
	int err;

	snprintf(name, sizeof(name), "dax%d.0", cfg.id);
	err = region_write("delete", name);
	if (!err) {
		inc(&sh->unexpected[OP_RACE_DELETE]);
		note("race_delete %s: the first instance was deleted", name);
		return;
	}
	record(OP_RACE_DELETE, name, err);
}

/* Delete another worker's instance, under its slot lock. */
static void op_race_delete(struct worker *w, struct slot *unused)
{
	unsigned int i, first = rnd(w, NR_SLOTS);
	int err;

	if (!rnd(w, 8)) {
		race_delete_first();
		return;
	}
	for (i = 0; i < NR_SLOTS; i++) {
		struct slot *s = &sh->slots[(first + i) % NR_SLOTS];

		if (!spin_trylock(&s->lock))
			continue;
		if (s->owner < 0 || s->owner == w->index || s->deleted) {
			spin_unlock(&s->lock);
			continue;
		}
		err = region_write("delete", s->name);
		if (record(OP_RACE_DELETE, s->name, err) && !err) {
			s->deleted = true;
			sysfs_write(DEVICE_DAX "/remove_id", s->name);
		}
		spin_unlock(&s->lock);
		return;
	}
}

/* ---- the worker loop ---- */

/* May OP run now?  HAVE_OWN: the worker holds instances; ROOM: it may create. */
static bool op_possible(enum op op, bool have_own, bool room)
{
	if (!cfg.enabled[op])
		return false;
	if (op == OP_CREATE)
		return room;
	return op >= OP_RACE_UNBIND || have_own;
}

/* A random possible operation, by weight; OP_READ when there is none. */
static enum op pick_op(struct worker *w, bool have_own, bool room)
{
	int total = 0, r, i;

	for (i = 0; i < OP_READ; i++)
		if (op_possible(i, have_own, room))
			total += ops[i].weight;
	r = rnd(w, total);
	for (i = 0; i < OP_READ; i++) {
		if (!op_possible(i, have_own, room))
			continue;
		if (r < ops[i].weight)
			return i;
		r -= ops[i].weight;
	}
	return OP_READ;
}

static void (*const op_run[NR_OPS])(struct worker *w, struct slot *s) = {
	[OP_CREATE] = op_create,
	[OP_GROW] = op_grow,
	[OP_SHRINK] = op_shrink,
	[OP_MAPPING] = op_mapping,
	[OP_ALIGN] = op_align,
	[OP_DELETE] = op_delete,
	[OP_NEW_ID] = op_new_id,
	[OP_BIND] = op_bind,
	[OP_UNBIND] = op_unbind,
	[OP_MMAP] = op_mmap,
	[OP_RACE_UNBIND] = op_race_unbind,
	[OP_RACE_BIND] = op_race_bind,
	[OP_RACE_DELETE] = op_race_delete,
};

/*
 * Run OP, on one of the worker's instances MINE (N of them) if it works
 * on one: with its slot locked, unless another worker deleted it.
 */
static void run_op(struct worker *w, enum op op, struct slot **mine, int n)
{
	struct slot *s;

	if (op == OP_READ) {
		/* nothing to do for now */
		usleep(10000);
		return;
	}
	if (op == OP_CREATE || op >= OP_RACE_UNBIND) {
		op_run[op](w, NULL);
		return;
	}
	s = mine[rnd(w, n)];
	spin_lock(&s->lock);
	if (s->deleted) {
		/* its name may belong to another worker's instance already */
		slot_release(s);
		inc(&sh->lost);
	} else {
		op_run[op](w, s);
	}
	spin_unlock(&s->lock);
}

static void worker_step(struct worker *w)
{
	struct slot *mine[NR_SLOTS];
	int n = owned(w, mine);
	enum op op = pick_op(w, n > 0, n < PER_WORKER);
	uint64_t t0 = now_us();

	run_op(w, op, mine, n);
	inc(&sh->picked[op]);
	__atomic_fetch_add(&sh->usec[op], now_us() - t0, __ATOMIC_RELAXED);
}

static void worker_main(int index)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	struct worker w = {
		.index = index,
		.rnd = cfg.seed + 7919 * (index + 1),
	};

	sigaction(SIGBUS, &sa, NULL);
	while (!stopping())
		worker_step(&w);
	_exit(0);
}

/* ---- the reader ---- */

static bool parse_num(const char *v, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(v, &end, 0);
	return !errno && end != v && !*end;
}

static bool in_region(uint64_t v)
{
	return v >= cfg.start && v < cfg.start + cfg.size;
}

/* start, end, page_offset: inside the region, on granule boundaries */
static bool mapping_value_ok(const char *file, bool num, uint64_t v)
{
	if (!strcmp(file, "start"))
		return num && in_region(v) && !(v % GRANULE);
	if (!strcmp(file, "end"))
		return num && in_region(v) && !((v + 1) % GRANULE);
	if (!strcmp(file, "page_offset"))
		return num && !((v * 4096) % GRANULE);
	return true;
}

static bool region_value_ok(const char *file, const char *value, bool num,
			    uint64_t v)
{
	int n;

	if (!strcmp(file, "size"))
		return num && v == cfg.size;
	if (!strcmp(file, "available_size"))
		return num && v <= cfg.size && !(v % GRANULE);
	if (!strcmp(file, "seed") || !strcmp(file, "create"))
		return !*value || our_instance(value, &n);
	return true;
}

static bool instance_value_ok(const char *file, const char *value, bool num,
			      uint64_t v)
{
	if (!strcmp(file, "size"))
		return num && v <= cfg.size && !(v % GRANULE);
	if (!strcmp(file, "align"))
		return num && (v == 4096 || v == GRANULE || v == 1ULL << 30);
	if (!strcmp(file, "resource"))
		return num && in_region(v);
	if (!strcmp(file, "modalias"))
		return !strcmp(value, "dax:t0");
	return true;
}

/* Does VALUE, read from FILE of a directory of kind WHAT, look right? */
static bool value_ok(const char *what, const char *file, const char *value)
{
	uint64_t v;
	bool num = parse_num(value, &v);

	if (!strcmp(what, "mapping"))
		return mapping_value_ok(file, num, v);
	if (!strcmp(what, "region"))
		return region_value_ok(file, value, num, v);
	if (!strcmp(what, "instance"))
		return instance_value_ok(file, value, num, v);
	return true;
}

/* Read every readable file and link of directory DIR (of kind WHAT). */
static void read_dir(const char *dir, const char *what)
{
	char path[PATH_MAX], buf[4096];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int err;

	d = opendir(dir);
	if (!d) {
		record(OP_READ, dir, errno);
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st)) {
			record(OP_READ, path, errno);
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			err = readlink(path, buf, sizeof(buf)) < 0 ? errno : 0;
			record(OP_READ, path, err);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (!strncmp(de->d_name, "mapping", 7) && !cfg.stock)
				read_dir(path, "mapping");
			continue;
		}
		if (!(st.st_mode & 0444))
			continue;
		err = sysfs_read(path, buf, sizeof(buf));
		if (record(OP_READ, path, err) && !err &&
		    !value_ok(what, de->d_name, buf)) {
			inc(&sh->malformed);
			note("read %s: malformed '%s'", path, buf);
		}
	}
	closedir(d);
}

static void read_all(void)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int n;

	read_dir(cfg.region, "region");
	d = opendir(DEVICES);
	if (d) {
		while ((de = readdir(d)))
			if (our_instance(de->d_name, &n)) {
				snprintf(path, sizeof(path), DEVICES "/%s", de->d_name);
				read_dir(path, "instance");
			}
		closedir(d);
	}
	d = opendir(DRIVERS);
	if (d) {
		while ((de = readdir(d)))
			if (de->d_name[0] != '.') {
				snprintf(path, sizeof(path), DRIVERS "/%s", de->d_name);
				read_dir(path, "driver");
			}
		closedir(d);
	}
}

static void reader_main(void)
{
	while (!stopping())
		read_all();
	_exit(0);
}

/* ---- setup, teardown and report ---- */

static int env_int(const char *name, int def, int min, int max)
{
	const char *v = getenv(name);
	int n = v ? atoi(v) : def;

	return n < min ? min : n > max ? max : n;
}

static void parse_ops(void)
{
	const char *list = getenv("DAX_STRESS_OPS");
	char buf[512], pat[40];
	int i;

	snprintf(buf, sizeof(buf), ",%s,", list ?: "");
	for (i = 0; i < OP_READ; i++) {
		snprintf(pat, sizeof(pat), ",%s,", ops[i].name);
		cfg.enabled[i] = !list || !*list || i == OP_CREATE || strstr(buf, pat);
	}
	if (!cfg.stock)
		return;
	/* 6.12's bugs bite only where instances get bound */
	cfg.enabled[OP_RACE_UNBIND] = cfg.enabled[OP_RACE_BIND] = false;
	if (cfg.enabled[OP_NEW_ID] || cfg.enabled[OP_BIND])
		cfg.enabled[OP_MAPPING] = cfg.enabled[OP_MMAP] = false;
}

static void setup(void)
{
	const char *start = getenv("DAX_REGION_START");
	char *slash;
	int i;

	cfg.region = getenv("DAX_REGION");
	if (!cfg.region || !start)
		ksft_exit_skip("DAX_REGION and DAX_REGION_START not set: run stress.sh\n");
	snprintf(cfg.region_dev, sizeof(cfg.region_dev), "%s", cfg.region);
	slash = strrchr(cfg.region_dev, '/');
	if (slash)
		*slash = '\0';
	cfg.start = strtoull(start, NULL, 0);
	cfg.size = region_u64("size");
	cfg.id = (int)region_u64("id");
	if (cfg.size == ~0ULL || cfg.id < 0)
		ksft_exit_fail_msg("cannot read the region at %s\n", cfg.region);
	cfg.seconds = env_int("DAX_STRESS_SECONDS", 60, 1, 86400);
	cfg.workers = env_int("DAX_STRESS_WORKERS", 3, 1, MAX_WORKERS);
	cfg.readers = env_int("DAX_STRESS_READERS", 1, 0, MAX_READERS);
	cfg.seed = env_int("DAX_STRESS_SEED", (int)(time(NULL) & 0xffff), 0, INT_MAX);
	cfg.stock = stock_kernel();
	parse_ops();

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		ksft_exit_fail_perror("mmap");
	for (i = 0; i < NR_SLOTS; i++)
		sh->slots[i].owner = -1;
}

/* Read a whole file (/proc/iomem) into a malloc'd string. */
static char *slurp(const char *path)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *more = realloc(buf, cap *= 2);

			if (!more)
				break;
			buf = more;
		}
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* The names of /dev/dax*, space separated, sorted. */
static char *dev_nodes(void)
{
	struct dirent **list;
	char *out = calloc(1, 4096);
	int i, n;

	n = scandir("/dev", &list, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (out && !strncmp(list[i]->d_name, "dax", 3) &&
		    strlen(out) + NAME_LEN + 2 < 4096) {
			strcat(out, list[i]->d_name);
			strcat(out, " ");
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	return out;
}

/* The instances of the region, space separated, sorted. */
static void region_instances(char *out, size_t len)
{
	struct dirent **list;
	int i, n, id;

	*out = '\0';
	n = scandir(cfg.region_dev, &list, NULL, versionsort);
	for (i = 0; i < n; i++) {
		if (our_instance(list[i]->d_name, &id) &&
		    strlen(out) + strlen(list[i]->d_name) + 2 < len) {
			strcat(out, list[i]->d_name);
			strcat(out, " ");
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
}

static pid_t spawn(void (*fn)(int), int arg)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (!pid)
		fn(arg);
	return pid;
}

static void start_reader(int unused)
{
	(void)unused;
	reader_main();
}

/* Operations that succeeded (refusals, however expected, do not count) */
static unsigned long total_ops(void)
{
	unsigned long n = 0;
	int op;

	for (op = 0; op < OP_READ; op++)
		n += sh->count[op][0];
	return n;
}

/* Run the children for the configured time; false if one died early. */
static bool run(pid_t *pids, int n)
{
	time_t end = time(NULL) + cfg.seconds, next = time(NULL) + 30;
	bool died = false;
	int i, status;

	while (time(NULL) < end && !died) {
		sleep(1);
		for (i = 0; i < n; i++)
			if (pids[i] > 0 && waitpid(pids[i], &status, WNOHANG) == pids[i]) {
				ksft_print_msg("process %d ended early, status %#x\n",
					       pids[i], status);
				pids[i] = -1;
				died = true;
			}
		if (time(NULL) >= next) {
			ksft_print_msg("%lu operations so far\n", total_ops());
			next += 30;
		}
	}
	return !died;
}

/* SIGKILL the N processes of PIDS and reap them. */
static void kill_all(pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
}

/* Stop the children and wait for them; false if one fails or hangs. */
static bool stop(pid_t *pids, int n)
{
	time_t deadline = time(NULL) + 300;
	bool ok = true;
	int i, status;

	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < n; i++) {
		if (pids[i] <= 0) {
			ok = false;
			continue;
		}
		while (waitpid(pids[i], &status, WNOHANG) == 0) {
			if (time(NULL) > deadline) {
				ksft_print_msg("process %d does not stop\n", pids[i]);
				kill_all(pids + i, n - i);
				return false;
			}
			usleep(100000);
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			ksft_print_msg("process %d ended with status %#x\n",
				       pids[i], status);
			ok = false;
		}
	}
	return ok;
}

/* Delete one instance left by the workers; false if it cannot be. */
static bool cleanup_one(const char *dev)
{
	int err;

	sysfs_write(DEVICE_DAX "/unbind", dev);
	sysfs_write(DEVICE_DAX "/remove_id", dev);
	err = dev_write(dev, "size", "0");
	if (!err)
		err = region_write("delete", dev);
	if (err)
		ksft_print_msg("cleanup of %s: %s\n", dev, errname(err));
	return !err;
}

/* Is NAME a word of the space separated LIST (each word followed by a space)? */
static bool in_list(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	for (p = list; (p = strstr(p, name)); p += len)
		if ((p == list || p[-1] == ' ') && p[len] == ' ')
			return true;
	return false;
}

/* Delete every instance the workers made and forget every new_id. */
static bool cleanup(void)
{
	char list[8192], *dev, *save;
	bool ok = true;
	int n;

	region_instances(list, sizeof(list));
	for (dev = strtok_r(list, " ", &save); dev; dev = strtok_r(NULL, " ", &save))
		if (!in_list(initial, dev))
			ok &= cleanup_one(dev);
	for (n = 0; n < MAX_IDS; n++) {
		char name[NAME_LEN];

		if (!(sh->ids[n / 64] & (1UL << (n % 64))))
			continue;
		snprintf(name, sizeof(name), "dax%d.%d", cfg.id, n);
		sysfs_write(DEVICE_DAX "/remove_id", name);
	}
	return ok;
}

static void report_counts(enum op op)
{
	char line[1024];
	int e, n;

	n = snprintf(line, sizeof(line), "%s: %lu ok", ops[op].name, sh->count[op][0]);
	if (sh->picked[op])
		n += snprintf(line + n, sizeof(line) - n, " (%lu ms each)",
			      sh->usec[op] / sh->picked[op] / 1000);
	for (e = 1; e < MAX_ERRNO && n < (int)sizeof(line) - 40; e++)
		if (sh->count[op][e])
			n += snprintf(line + n, sizeof(line) - n, ", %s %lu",
				      errname(e), sh->count[op][e]);
	ksft_print_msg("%s\n", line);
}

/* Was OP turned off because of a 6.12 bug (see parse_ops())? */
static bool stock_off(enum op op)
{
	const char *list = getenv("DAX_STRESS_OPS");
	char buf[512], pat[40];

	if (!cfg.stock || !ops[op].stock_off || cfg.enabled[op])
		return false;
	snprintf(buf, sizeof(buf), ",%s,", list ?: "");
	snprintf(pat, sizeof(pat), ",%s,", ops[op].name);
	return !list || !*list || strstr(buf, pat);
}

/*
 * Which operations get a result line: those enabled, those off on 6.12
 * (as skipped), and those that ran as part of another one (the align of a
 * new instance, the unbind before a delete).
 */
static bool op_shown(enum op op)
{
	unsigned long n = 0;
	int e;

	if (op == OP_READ)
		return cfg.readers > 0;
	for (e = 0; e < MAX_ERRNO; e++)
		n += sh->count[op][e];
	return cfg.enabled[op] || n || stock_off(op);
}

static void report_ops(void)
{
	int op;

	for (op = 0; op < NR_OPS; op++) {
		bool on = op == OP_READ || cfg.enabled[op];

		if (!op_shown(op))
			continue;
		if (stock_off(op) && !sh->count[op][0] && !sh->unexpected[op]) {
			ksft_test_result_skip("%s: %s\n", ops[op].name,
					      ops[op].stock_off);
			continue;
		}
		report_counts(op);
		/* an operation that only ran as part of another need not succeed */
		ksft_test_result(!sh->unexpected[op] && (sh->count[op][0] || !on),
				 "%s: succeeded %lu times, no unexpected errno\n",
				 ops[op].name, sh->count[op][0]);
	}
}

static void report(bool ran, bool stopped, bool cleaned, const char *iomem,
		   const char *nodes)
{
	char *iomem_now = slurp("/proc/iomem"), *nodes_now = dev_nodes();
	unsigned long n = total_ops();
	char list[8192];
	bool grow = cfg.enabled[OP_GROW];

	int op, shown = 0;

	for (op = 0; op < NR_OPS; op++)
		shown += op_shown(op);
	ksft_set_plan(shown + 9 + grow + cfg.enabled[OP_MMAP] + (cfg.stock && cfg.readers));
	ksft_test_result(n >= 100, "%lu operations succeeded in %d s (%lu/s), %d workers, %d readers\n",
			 n, cfg.seconds, n / cfg.seconds, cfg.workers, cfg.readers);
	report_ops();
	if (cfg.stock && cfg.readers)
		ksft_test_result_skip("read mappingN: %s\n", STOCK_MAPPING_READS);
	ksft_print_msg("SIGBUS %lu, instances lost to other workers %lu\n",
		       sh->sigbus, sh->lost);
	if (sh->picked[OP_MMAP])
		ksft_print_msg("mmap: open %lu ms, mmap %lu ms, touch %lu ms, munmap %lu ms\n",
			       sh->mmap_usec[0] / sh->picked[OP_MMAP] / 1000,
			       sh->mmap_usec[1] / sh->picked[OP_MMAP] / 1000,
			       sh->mmap_usec[2] / sh->picked[OP_MMAP] / 1000,
			       sh->mmap_usec[3] / sh->picked[OP_MMAP] / 1000);
	ksft_test_result(!sh->inconsistent, "sizes and names read back as written\n");
	if (grow)
		ksft_test_result(sh->discontig > 0,
				 "%lu growths added a range (past another instance)\n",
				 sh->discontig);
	if (cfg.enabled[OP_MMAP])
		ksft_test_result(!sh->mismatch, "data read back through mmap as written\n");
	ksft_test_result(!sh->malformed, "every value read has the right form\n");
	ksft_test_result(ran && stopped, "every process ran to the end and exited cleanly\n");
	ksft_test_result(cleaned, "every instance could be emptied and deleted\n");
	region_instances(list, sizeof(list));
	ksft_test_result(!strcmp(list, initial), "the instances are as before: %s\n", list);
	ksft_test_result(region_u64("available_size") == initial_avail,
			 "available_size is back to %llu\n",
			 (unsigned long long)initial_avail);
	ksft_test_result(iomem && iomem_now && !strcmp(iomem, iomem_now),
			 "/proc/iomem is as before\n");
	ksft_test_result(nodes && nodes_now && !strcmp(nodes, nodes_now),
			 "the /dev/dax* nodes are as before\n");
	free(iomem_now);
	free(nodes_now);
}

int main(void)
{
	pid_t pids[MAX_WORKERS + MAX_READERS];
	char *iomem, *nodes, list[8192];
	bool ran, stopped, cleaned;
	int i, n = 0;

	ksft_print_header();
	setup();
	/* the region's first instance, empty, and maybe stress.sh's pad */
	region_instances(initial, sizeof(initial));
	initial_avail = region_u64("available_size");
	snprintf(list, sizeof(list), "dax%d.0", cfg.id);
	if (dev_u64(list, "size"))
		ksft_exit_fail_msg("%s is not empty: run stress.sh\n", list);
	iomem = slurp("/proc/iomem");
	nodes = dev_nodes();
	ksft_print_msg("%d s, %d workers, %d readers, seed %u%s\n", cfg.seconds,
		       cfg.workers, cfg.readers, cfg.seed,
		       cfg.stock ? ", 6.12: no racing binds, mapping writes, mmaps or mappingN reads" : "");

	for (i = 0; i < cfg.workers; i++)
		pids[n++] = spawn(worker_main, i);
	for (i = 0; i < cfg.readers; i++)
		pids[n++] = spawn(start_reader, i);
	ran = run(pids, n);
	stopped = stop(pids, n);
	cleaned = stopped && cleanup();
	report(ran, stopped, cleaned, iomem, nodes);
	free(iomem);
	free(nodes);
	ksft_finished();
}
