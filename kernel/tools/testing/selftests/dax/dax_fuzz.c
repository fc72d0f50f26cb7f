// SPDX-License-Identifier: GPL-2.0
/*
 * dax_fuzz - thousands of malformed and hostile writes to every writable
 * sysfs attribute of a dax region, of its instances, of the dax bus and
 * of its drivers.  Every value written is one the kernel must refuse (or,
 * for a zero-length write, ignore): after each write the errno must be
 * the documented one for the attribute and the class of the value, and
 * the region's layout must be exactly as before.
 *
 * Run by fuzz.sh, which empties the hmem region first and passes its
 * dax_region directory in DAX_REGION.  The program lays out instances of
 * several kinds, then fuzzes.  The values come from a fixed-seed
 * generator: the seed is printed and "-s SEED" (or DAX_FUZZ_SEED) replays
 * a run; "-n WRITES" (or DAX_FUZZ_WRITES) sets the total, 10000 by
 * default.  One KTAP line per attribute and class of value.
 *
 * On stock 6.12 (release ending in "-stock") some refusals carry another
 * errno and a few writes are accepted: those groups are written and
 * checked for changing nothing, and reported as skipped naming the
 * difference; groups that 6.12 would act on are not written at all.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest.h"
#include "dax_sysfs.h"

#define MiB		(1ULL << 20)
#define GiB		(1ULL << 30)
#define BUS		"/sys/bus/dax"
#define DEVICES		BUS "/devices"
#define NAME_LEN	32
#define VAL_MAX		5000		/* a write longer than a page */
#define MAX_RANGES	4
#define MAX_WATCH	128
#define MAX_NAMES	64
#define MAX_FILES	96

/* errno "expected" for a write the kernel takes as a no-op */
#define ACCEPTED	0
/* on 6.12: do not make the write, 6.12 would act on it */
#define NO_WRITE	-1

/* ---- random values ---- */

static uint64_t rng_state, seed;

/* splitmix64: small, fast, and the same sequence on every machine */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static const char *pick(const char *const *set, size_t n)
{
	return set[rnd_below(n)];
}

#define PICK(set) pick(set, ARRAY_SIZE(set))

/* A value to write: any bytes, NULs included. */
struct val {
	char s[VAL_MAX];
	size_t len;
};

static void val_add(struct val *v, const char *s, size_t len)
{
	if (v->len + len > sizeof(v->s))
		len = sizeof(v->s) - v->len;
	memcpy(v->s + v->len, s, len);
	v->len += len;
}

static __printf(2, 3) void val_addf(struct val *v, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	val_add(v, buf, n);
}

/* A number as kstrtoull(base 0) reads it: decimal, 0x hex or 0 octal. */
static void val_num(struct val *v, uint64_t n)
{
	switch (rnd_below(4)) {
	case 0:
		val_addf(v, "%#llx", (unsigned long long)n);
		break;
	case 1:
		val_addf(v, n ? "0%llo" : "0", (unsigned long long)n);
		break;
	default:
		val_addf(v, "%llu", (unsigned long long)n);
	}
}

/* A hex number as the mapping parser reads it, with or without 0x. */
static void val_hex(struct val *v, uint64_t n)
{
	static const char *const fmt[] = { "%llx", "%#llx", "%llX", "%016llx" };

	val_addf(v, PICK(fmt), (unsigned long long)n);
}

static void val_range(struct val *v, uint64_t start, uint64_t end)
{
	val_hex(v, start);
	val_add(v, "-", 1);
	val_hex(v, end);
}

/*
 * Garbage that no parser of these attributes takes: it starts with a
 * character that is neither a digit, a sign, a hex digit, the start of
 * a boolean, of a uevent action, nor of a dax name.
 */
static void val_garbage(struct val *v)
{
	static const char first[] = "ghijklpqswzGHIJKLPQSWZ!#%&*()_=[]{};:,<>?|~@^";
	size_t i, len = rnd_below(24);

	val_add(v, &first[rnd_below(sizeof(first) - 1)], 1);
	if (!rnd_below(16))
		len = 100 + rnd_below(VAL_MAX - 100);
	for (i = 0; i < len && v->len < sizeof(v->s); i++)
		v->s[v->len++] = 0x21 + rnd_below(0x7e - 0x21 + 1);
}

/*
 * Something after a valid value that makes it invalid (not one '\n'),
 * and that does not start with a digit: a number must not grow.
 */
static void val_suffix(struct val *v)
{
	static const char *const tail[] = {
		"x", " ", "\t", "k", "M", ".0", "\n\n", "\nx", " 1", "_", "-", ",",
		"g", "\r", "\n ",
	};
	const char *t = PICK(tail);

	if (rnd_below(4)) {
		val_add(v, t, strlen(t));
		return;
	}
	val_garbage(v);
}

/*
 * A prefix that is refused by itself, to put before an embedded NUL.
 * kstrtobool() takes "0x" for false: not for booleans.
 */
static void val_bad_prefix(struct val *v, bool boolean)
{
	static const char *const head[] = { "", "x", "+", "-", " ", "da", "dax", "0x" };

	if (rnd_below(3)) {
		const char *h = head[rnd_below(ARRAY_SIZE(head) - boolean)];

		val_add(v, h, strlen(h));
		return;
	}
	val_garbage(v);
}

/* ---- the region and its instances ---- */

enum role { FIRST, BOUND, SPLIT, SMALL, HUGE, EMPTY, NR_ROLES };

static const char *const role_what[NR_ROLES] = {
	[FIRST] = "the region's first instance, empty",
	[BOUND] = "4M bound to device_dax",
	[SPLIT] = "6M in two ranges",
	[SMALL] = "2M at 4K align",
	[HUGE] = "1G at 1G align",
	[EMPTY] = "empty, from create",
};

#define ROLE(r)		(1U << (r))
#define UNBOUND		(ROLE(FIRST) | ROLE(SPLIT) | ROLE(SMALL) | ROLE(HUGE) | ROLE(EMPTY))
#define ALL		(UNBOUND | ROLE(BOUND))
#define SIZED		(ROLE(BOUND) | ROLE(SPLIT) | ROLE(SMALL) | ROLE(HUGE))
/* instances whose ranges are multiples of 2M only */
#define FINE		(ROLE(FIRST) | ROLE(SPLIT) | ROLE(SMALL) | ROLE(EMPTY))

struct range {
	uint64_t start, end;
};

struct inst {
	char name[NAME_LEN];
	uint64_t size, align;
	unsigned int nr;
	struct range r[MAX_RANGES];
};

static struct {
	const char *dir;		/* .../dax_region */
	int id;
	uint64_t start, size, avail;
	struct inst in[NR_ROLES];
	char names[MAX_NAMES][NAME_LEN];	/* every device on the bus */
	int nr_names;
	bool stock, mom;		/* 6.12; memmap_on_memory supported */
} rg;

static uint64_t granule(enum role r)
{
	return rg.in[r].align > 2 * MiB ? rg.in[r].align : 2 * MiB;
}

/* Write LEN bytes in one write(2): 0, or the errno; EMSGSIZE if short. */
static int write_fd(int fd, const char *buf, size_t len)
{
	ssize_t n = pwrite(fd, buf, len, 0);

	if (n < 0)
		return errno;
	return (size_t)n == len ? 0 : EMSGSIZE;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int err;

	if (fd < 0)
		return errno;
	err = write_fd(fd, s, strlen(s));
	close(fd);
	return err;
}

static uint64_t read_u64(const char *fmt, ...)
{
	char path[PATH_MAX], buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (sysfs_read(path, buf, sizeof(buf)))
		return ~0ULL;
	return strtoull(buf, NULL, 0);
}

static int inst_write(const char *name, const char *attr, const char *fmt, ...)
{
	char path[PATH_MAX], val[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), DEVICES "/%s/%s", name, attr);
	return write_file(path, val);
}

/* Create an instance through the region's "create"; 0 or an errno. */
static int create_instance(enum role r)
{
	char path[PATH_MAX];
	int err;

	snprintf(path, sizeof(path), "%s/create", rg.dir);
	err = write_file(path, "1");
	if (!err)
		err = sysfs_read(path, rg.in[r].name, NAME_LEN);
	return err;
}

/* Read back an instance's size, align and ranges. */
static void inst_load(struct inst *in)
{
	unsigned int n;

	in->size = read_u64(DEVICES "/%s/size", in->name);
	in->align = read_u64(DEVICES "/%s/align", in->name);
	for (n = 0; n < MAX_RANGES; n++) {
		in->r[n].start = read_u64(DEVICES "/%s/mapping%u/start", in->name, n);
		in->r[n].end = read_u64(DEVICES "/%s/mapping%u/end", in->name, n);
		if (in->r[n].start == ~0ULL)
			break;
	}
	in->nr = n;
}

/* Make the instances to fuzz; the region must hold only its first one. */
static int layout(void)
{
	int err;

	snprintf(rg.in[FIRST].name, NAME_LEN, "dax%d.0", rg.id);
	err = create_instance(BOUND) ?: inst_write(rg.in[BOUND].name, "size", "%llu", 4 * MiB) ?:
	      write_file(BUS "/drivers/device_dax/new_id", rg.in[BOUND].name) ?:
	      create_instance(SPLIT) ?: inst_write(rg.in[SPLIT].name, "size", "%llu", 2 * MiB) ?:
	      create_instance(SMALL) ?: inst_write(rg.in[SMALL].name, "align", "4096") ?:
	      inst_write(rg.in[SMALL].name, "size", "%llu", 2 * MiB) ?:
	      /* SMALL follows SPLIT: growing SPLIT takes a second range */
	      inst_write(rg.in[SPLIT].name, "size", "%llu", 6 * MiB) ?:
	      create_instance(HUGE) ?: inst_write(rg.in[HUGE].name, "align", "%llu", GiB) ?:
	      inst_write(rg.in[HUGE].name, "size", "%llu", GiB) ?:
	      create_instance(EMPTY);
	return err;
}

static bool layout_ok(void)
{
	char path[PATH_MAX], drv[PATH_MAX];
	ssize_t n;
	int r;

	for (r = 0; r < NR_ROLES; r++)
		inst_load(&rg.in[r]);
	snprintf(path, sizeof(path), DEVICES "/%s/driver", rg.in[BOUND].name);
	n = readlink(path, drv, sizeof(drv) - 1);
	drv[n > 0 ? n : 0] = '\0';
	rg.avail = read_u64("%s/available_size", rg.dir);
	return rg.in[BOUND].nr == 1 && strstr(drv, "/device_dax") &&
	       rg.in[SPLIT].nr == 2 && rg.in[SMALL].align == 4096 &&
	       rg.in[HUGE].size == GiB && rg.in[EMPTY].size == 0 &&
	       rg.in[FIRST].size == 0;
}

static void print_inst(enum role r)
{
	const struct inst *in = &rg.in[r];
	char ranges[128] = "";
	unsigned int i;

	for (i = 0; i < in->nr; i++)
		snprintf(ranges + strlen(ranges), sizeof(ranges) - strlen(ranges), " %#llx-%#llx",
			 (unsigned long long)in->r[i].start, (unsigned long long)in->r[i].end);
	ksft_print_msg("%s: %s:%s\n", in->name, role_what[r], in->nr ? ranges : " no range");
}

/* Every device on the dax bus, so that made-up names avoid them. */
static void load_names(void)
{
	DIR *d = opendir(DEVICES);
	struct dirent *e;

	rg.nr_names = 0;
	while (d && (e = readdir(d)) && rg.nr_names < MAX_NAMES)
		if (e->d_name[0] != '.')
			snprintf(rg.names[rg.nr_names++], NAME_LEN, "%.31s", e->d_name);
	if (d)
		closedir(d);
}

/* ---- names ---- */

/* Does S name a device on the bus the way sysfs_streq() compares? */
static bool names_device(const char *s)
{
	size_t len = strlen(s);
	int i;

	if (len && s[len - 1] == '\n')
		len--;
	for (i = 0; i < rg.nr_names; i++)
		if (strlen(rg.names[i]) == len && !strncmp(rg.names[i], s, len))
			return true;
	return false;
}

/*
 * One decimal field as "dax%u.%u" prints it back: no leading 0, no sign
 * but a minus, which 6.12's "%d" prints back.
 */
static const char *canonical_uint(const char *s, char stop)
{
	const char *p;
	unsigned long long n = 0;

	s += *s == '-' && s[1] != '0';
	p = s;
	while (*p >= '0' && *p <= '9' && p - s < 12)
		n = n * 10 + *p++ - '0';
	if (p == s || *p != stop || (*s == '0' && p - s > 1) || n > UINT_MAX)
		return NULL;
	return p;
}

/*
 * Would new_id/remove_id take S as "daxX.Y", on our kernel or 6.12?  The
 * string ends at its first NUL, as the kernel sees it, with one optional
 * newline.
 */
static bool canonical_name(const char *s)
{
	char buf[VAL_MAX + 1];
	size_t len;

	snprintf(buf, sizeof(buf), "%s", s);
	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (strncmp(buf, "dax", 3))
		return false;
	s = canonical_uint(buf + 3, '.');
	return s && canonical_uint(s + 1, '\0');
}

/* A name no parser of the bus takes, nor any device has. */
static bool refused_name(const struct val *v)
{
	char buf[VAL_MAX + 1];

	memcpy(buf, v->s, v->len);
	buf[v->len] = '\0';
	return !canonical_name(buf) && !names_device(buf);
}

static const char *any_name(void)
{
	return rg.names[rnd_below(rg.nr_names)];
}

/* ---- value classes ---- */

struct group;
typedef void gen_fn(struct val *v, const struct group *g, enum role r);

enum where { REGION, INST, DRIVER, BUS_ATTR };

/* what a valid value of the attribute looks like, for spoiling */
enum kind { K_CREATE, K_NAME, K_SIZE, K_ALIGN, K_MAPPING, K_BOOL, K_UEVENT };

struct group {
	const char *attr;	/* file, below its directory */
	const char *cls;	/* class of the values */
	enum where where;
	enum kind kind;
	unsigned int roles;	/* INST: instances written; names: named */
	gen_fn *gen;
	int err;		/* the errno on ours, ACCEPTED for a no-op */
	int stock;		/* the errno on 6.12, ACCEPTED, or NO_WRITE */
	const char *why;	/* how 6.12 differs */
	unsigned int weight;	/* share of the writes, in quarters */
	/* results */
	unsigned int writes, wrong, changed;
	char note[256];
};

/* Refused by every numeric parser, whatever the attribute. */
static void gen_negative(struct val *v, const struct group *g, enum role r)
{
	val_add(v, "-", 1);
	val_num(v, 1 + rnd_below(INT_MAX));
}

/*
 * A number beyond 64 bits, in decimal, hex or octal.  Booleans get
 * decimal from 2 up: kstrtobool() takes a leading 0 or 1.
 */
static void gen_overflow(struct val *v, const struct group *g, enum role r)
{
	static const char *const pre[] = { "", "0x", "0" };
	unsigned int base = g->kind == K_BOOL ? 0 : rnd_below(3), i, digits;
	unsigned int radix = base == 0 ? 10 : base == 1 ? 16 : 8;
	const char *p = pre[base];

	digits = (base == 0 ? 21 : base == 1 ? 17 : 23) + rnd_below(12);
	val_add(v, p, strlen(p));
	for (i = 0; i < digits; i++) {
		unsigned int d = i ? rnd_below(radix) : 2 + rnd_below(radix - 2);

		val_add(v, &"0123456789abcdef"[d], 1);
	}
}

static void gen_garbage(struct val *v, const struct group *g, enum role r)
{
	val_garbage(v);
}

static void gen_empty_line(struct val *v, const struct group *g, enum role r)
{
	static const char *const e[] = { "\n", "", "\n\n" };
	const char *s = PICK(e);

	/* "" is one NUL byte: the kernel sees an empty string */
	val_add(v, s, *s ? strlen(s) : 1);
}

/* A value the attribute would take; the classes below spoil it. */
static void valid_value(struct val *v, const struct group *g, enum role r);

static void gen_trailing(struct val *v, const struct group *g, enum role r)
{
	valid_value(v, g, r);
	val_suffix(v);
}

static void gen_nul(struct val *v, const struct group *g, enum role r)
{
	val_bad_prefix(v, g->kind == K_BOOL);
	val_add(v, "", 1);
	valid_value(v, g, r);
}

/* A newline anywhere but at the end, or a second one at the end. */
static void gen_newline(struct val *v, const struct group *g, enum role r)
{
	struct val ok = { .len = 0 };
	size_t at;

	valid_value(&ok, g, r);
	/* kstrtobool() reads one character: only a leading newline spoils it */
	if (g->kind == K_BOOL) {
		val_add(v, "\n", 1);
		val_add(v, ok.s, ok.len);
		return;
	}
	if (!rnd_below(4)) {
		*v = ok;
		val_add(v, "\n\n", 2);
		return;
	}
	do {
		at = rnd_below(ok.len);
		/* "START\n-END" would parse: kstrtoull takes one newline */
	} while (at && ok.s[at] == '-');
	val_add(v, ok.s, at);
	val_add(v, "\n", 1);
	val_add(v, ok.s + at, ok.len - at);
}

/* create: a number that is not 1 */
static void gen_not_one(struct val *v, const struct group *g, enum role r)
{
	static const char *const odd[] = { "0", "00", "0x0", "+0", "-0", "+2", "02" };

	if (!rnd_below(4)) {
		const char *s = PICK(odd);

		val_add(v, s, strlen(s));
		return;
	}
	val_num(v, 2 + rnd_below(INT_MAX - 2));
}

/* create: beyond int, within 64 bits */
static void gen_beyond_int(struct val *v, const struct group *g, enum role r)
{
	val_num(v, (1ULL << 31) + rnd_below(1ULL << 62));
}

/* size: not a multiple of the instance's granule */
static void gen_unaligned(struct val *v, const struct group *g, enum role r)
{
	uint64_t gr = granule(r), off = 1 + rnd_below(gr - 1);
	uint64_t n = 1ULL << (20 + rnd_below(20));

	if (rnd_below(2))
		off &= ~4095ULL;
	off = off ?: 4096;
	/* up to 2^39 granules, but not so many that the value wraps */
	if (n > UINT64_MAX / gr - 1)
		n = UINT64_MAX / gr - 1;
	val_num(v, rnd_below(n) * gr + off);
}

/* size: aligned, but more than the instance and the free space hold */
static void gen_huge(struct val *v, const struct group *g, enum role r)
{
	uint64_t gr = granule(r), min = rg.in[r].size + rg.avail + gr, n;

	if (rnd_below(2))
		n = min + rnd_below(64) * gr;
	else
		n = min + rnd_below(~0ULL - min - gr);
	val_num(v, n / gr * gr);
}

/* size of a bound instance: anything valid, its own size included */
static void gen_any_size(struct val *v, const struct group *g, enum role r)
{
	if (!rnd_below(4)) {
		val_num(v, rg.in[r].size);
		return;
	}
	val_num(v, rnd_below(rg.size / (2 * MiB) + 1) * 2 * MiB);
}

/* align: not 4K, 2M or 1G */
static void gen_bad_align(struct val *v, const struct group *g, enum role r)
{
	static const unsigned int ok_shift[] = { 12, 21, 30 };
	unsigned int s = rnd_below(64), i;
	uint64_t n;

	if (rnd_below(2)) {
		n = rnd();
	} else {
		for (i = 0; i < ARRAY_SIZE(ok_shift); i++)
			if (s == ok_shift[i])
				s++;
		n = 1ULL << (s & 63);
	}
	if (n == 4096 || n == 2 * MiB || n == GiB)
		n++;
	val_num(v, n);
}

static void gen_valid_align(struct val *v, const struct group *g, enum role r)
{
	static const uint64_t a[] = { 4096, 2 * MiB, GiB };

	val_num(v, a[rnd_below(ARRAY_SIZE(a))]);
}

/* align larger than what the instance's ranges are aligned to */
static void gen_big_align(struct val *v, const struct group *g, enum role r)
{
	val_num(v, GiB);
}

/* ---- mapping ranges ---- */

static uint64_t region_end(void)
{
	return rg.start + rg.size - 1;
}

/* A taken range of any instance. */
static const struct range *taken(void)
{
	const struct inst *in;

	do
		in = &rg.in[rnd_below(NR_ROLES)];
	while (!in->nr);
	return &in->r[rnd_below(in->nr)];
}

static int range_cmp(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The largest free span of the region, between the taken ranges. */
static struct range free_space(void)
{
	struct range t[NR_ROLES * MAX_RANGES], best = { 0, 0 };
	uint64_t at = rg.start;
	unsigned int n = 0, i;
	int r;

	for (r = 0; r < NR_ROLES; r++)
		for (i = 0; i < rg.in[r].nr; i++)
			t[n++] = rg.in[r].r[i];
	qsort(t, n, sizeof(t[0]), range_cmp);
	for (i = 0; i <= n; i++) {
		uint64_t end = i < n ? t[i].start : region_end() + 1;

		if (end > at && end - at > best.end - best.start)
			best = (struct range) { at, end };
		if (i < n)
			at = t[i].end + 1;
	}
	best.end--;
	return best;
}

static uint64_t free_aligned_start(uint64_t len)
{
	struct range f = free_space();

	return f.start + rnd_below((f.end + 1 - f.start - len) / (2 * MiB) + 1) * 2 * MiB;
}

static void gen_free_range(struct val *v)
{
	uint64_t len = (1 + rnd_below(8)) * 2 * MiB, s = free_aligned_start(len);

	val_range(v, s, s + len - 1);
}

/* aligned, inside the region, overlapping a taken range */
static void gen_overlap(struct val *v, const struct group *g, enum role r)
{
	const struct range *t = taken();
	uint64_t before = rnd_below(3) * 2 * MiB, s = t->start - before, e;

	if (s < rg.start)
		s = t->start;
	/* up to 8M past the start of the taken range */
	e = t->start + (1 + rnd_below(4)) * 2 * MiB - 1;
	if (e > region_end())
		e = region_end();
	val_range(v, s, e);
}

/* aligned, not entirely inside the region */
static void gen_outside(struct val *v, const struct group *g, enum role r)
{
	uint64_t end = region_end(), s, len = (1 + rnd_below(8)) * 2 * MiB;

	switch (rnd_below(4)) {
	case 0:		/* below */
		s = rnd_below(rg.start / (2 * MiB) - 8) * 2 * MiB;
		break;
	case 1:		/* straddling the start */
		s = rg.start - len / 2 / (2 * MiB) * 2 * MiB - 2 * MiB;
		break;
	case 2:		/* straddling the end */
		s = end + 1 - 2 * MiB;
		len = 4 * MiB;
		break;
	default:	/* above, up to the top of 64 bits */
		s = end + 1 + rnd_below((~0ULL - end - len) / (2 * MiB)) * 2 * MiB;
	}
	val_range(v, s, s + len - 1);
}

/* start aligned, length not a multiple of the granule (2M, or 1G) */
static void gen_unaligned_len(struct val *v, const struct group *g, enum role r)
{
	uint64_t len = rnd_below(4) * 2 * MiB + 4096 * (1 + rnd_below(511));
	uint64_t s;

	if (granule(r) > 2 * MiB)
		len = (1 + rnd_below(8)) * 2 * MiB;
	s = free_aligned_start(len);
	val_range(v, s, s + len - 1);
}

/* length aligned, start not */
static void gen_unaligned_start(struct val *v, const struct group *g, enum role r)
{
	uint64_t len = (1 + rnd_below(4)) * 2 * MiB;
	uint64_t s = free_aligned_start(len + 2 * MiB) + 1 + rnd_below(2 * MiB - 1);

	val_range(v, s, s + len - 1);
}

/* END below START - 1 */
static void gen_inverted(struct val *v, const struct group *g, enum role r)
{
	uint64_t s = free_aligned_start(2 * MiB);

	val_range(v, s, rnd_below(s - 1));
}

/* END = START - 1: an empty range */
static void gen_empty_range(struct val *v, const struct group *g, enum role r)
{
	uint64_t s = rnd_below(2) ? free_aligned_start(2 * MiB) : taken()->start;

	val_range(v, s, s - 1);
}

/* the whole 64-bit space: its length wraps to 0 */
static void gen_wrap(struct val *v, const struct group *g, enum role r)
{
	val_range(v, 0, ~0ULL);
}

static void gen_free(struct val *v, const struct group *g, enum role r)
{
	gen_free_range(v);
}

/* START or END beyond 64 bits */
static void gen_map_overflow(struct val *v, const struct group *g, enum role r)
{
	unsigned int i, digits = 17 + rnd_below(12);
	bool first = rnd_below(2);

	if (!first) {
		val_hex(v, free_aligned_start(2 * MiB));
		val_add(v, "-", 1);
	}
	if (rnd_below(2))
		val_add(v, "0x", 2);
	for (i = 0; i < digits; i++)
		val_add(v, &"0123456789abcdef"[i ? rnd_below(16) : 1 + rnd_below(15)], 1);
	if (first) {
		val_add(v, "-", 1);
		val_hex(v, region_end());
	}
}

/* ---- memmap_on_memory ---- */

/* not a boolean: kstrtobool() looks at the first one or two characters */
static void gen_not_bool(struct val *v, const struct group *g, enum role r)
{
	static const char *const o[] = { "o", "oo", "O1", "o\n", "ox" };

	if (!rnd_below(4)) {
		const char *s = PICK(o);

		val_add(v, s, strlen(s));
		return;
	}
	val_garbage(v);
}

/* true, in any spelling, trailing garbage included */
static void gen_true(struct val *v, const struct group *g, enum role r)
{
	static const char *const t[] = {
		"1", "y", "Y", "yes", "on", "ON", "true", "T", "1abc", "y\n", "1\n\n",
		"on garbage", "11", "10",
	};
	const char *s = PICK(t);

	val_add(v, s, strlen(s));
}

/* ---- names ---- */

/* "daxX.Y" of no device: another region, or an id not in use */
static void gen_no_device(struct val *v, const struct group *g, enum role r)
{
	do {
		v->len = 0;
		if (rnd_below(2))
			val_addf(v, "dax%llu.%llu",
				 (unsigned long long)(rg.id + 1 + rnd_below(99)),
				 (unsigned long long)rnd_below(10));
		else
			val_addf(v, "dax%d.%llu", rg.id,
				 (unsigned long long)(8 + rnd_below(100000)));
	} while (names_device(v->s));
}

/* An existing name, mutated until nothing takes it. */
static void gen_bad_name(struct val *v, const struct group *g, enum role r)
{
	static const char *const junk[] = {
		"0", "x", " ", ".", "+", "-", "00", "DAX", "\t", "/", "..", "\n", "9",
	};
	struct val base;
	size_t at;

	do {
		const char *j = PICK(junk);

		base.len = 0;
		val_add(&base, any_name(), strlen(any_name()));
		at = rnd_below(base.len + 1);
		v->len = 0;
		val_add(v, base.s, at);
		switch (rnd_below(3)) {
		case 0:		/* insert */
			val_add(v, j, strlen(j));
			val_add(v, base.s + at, base.len - at);
			break;
		case 1:		/* delete */
			if (at < base.len)
				val_add(v, base.s + at + 1, base.len - at - 1);
			break;
		default:	/* replace */
			val_add(v, j, strlen(j));
			if (at < base.len)
				val_add(v, base.s + at + 1, base.len - at - 1);
		}
	} while (!refused_name(v));
}

static void gen_negative_name(struct val *v, const struct group *g, enum role r)
{
	if (rnd_below(2))
		val_addf(v, "dax%d.-%llu", rg.id, (unsigned long long)(1 + rnd_below(INT_MAX)));
	else
		val_addf(v, "dax-%llu.%llu", (unsigned long long)(1 + rnd_below(INT_MAX)),
			 (unsigned long long)rnd_below(4));
}

static void gen_overflow_name(struct val *v, const struct group *g, enum role r)
{
	struct val n = { .len = 0 };

	gen_overflow(&n, g, r);
	/* decimal only: the name parser reads no 0x */
	if (n.s[0] == '0')
		n.s[0] = '9';
	if (n.s[1] == 'x')
		n.s[1] = '9';
	val_add(v, "dax", 3);
	if (rnd_below(2)) {
		val_add(v, n.s, n.len);
		val_addf(v, ".%llu", (unsigned long long)rnd_below(4));
	} else {
		val_addf(v, "%d.", rg.id);
		val_add(v, n.s, n.len);
	}
}

static void gen_mapping_name(struct val *v, const struct group *g, enum role r)
{
	val_addf(v, "mapping%llu", (unsigned long long)rnd_below(4));
}

/* the name of instance R, maybe with its one allowed newline */
static void gen_name(struct val *v, const struct group *g, enum role r)
{
	val_add(v, rg.in[r].name, strlen(rg.in[r].name));
	if (rnd_below(2))
		val_add(v, "\n", 1);
}

/* uevent: no action */
static void gen_no_action(struct val *v, const struct group *g, enum role r)
{
	static const char *const a[] = {
		"ad", "adds", "Add", "add x", "change 1", "bind=1", "online\n\n",
	};
	const char *s = PICK(a);

	if (rnd_below(2)) {
		val_add(v, s, strlen(s));
		return;
	}
	val_garbage(v);
}

/* ---- the attributes and what they answer ---- */

static void valid_value(struct val *v, const struct group *g, enum role r)
{
	switch (g->kind) {
	case K_CREATE:
		val_add(v, "1", 1);
		break;
	case K_NAME:
		val_add(v, rg.in[r].name, strlen(rg.in[r].name));
		break;
	case K_SIZE:
		val_num(v, rnd_below(8) * granule(r));
		break;
	case K_ALIGN:
		gen_valid_align(v, g, r);
		break;
	case K_MAPPING:
		gen_free_range(v);
		break;
	case K_BOOL:
		val_add(v, "0", 1);
		break;
	case K_UEVENT:
		val_add(v, "change", 6);
	}
}

/* A class of values both kernels refuse with errno E, WT its share of writes. */
#define GRP(a, c, w, k, r, gen, e, wt)	{ a, c, w, k, r, gen, e, e, NULL, wt }
/* A class 6.12 answers with SE, or takes (ACCEPTED), or must not see (NO_WRITE) */
#define GRP612(a, c, w, k, r, gen, e, se, why, wt)	{ a, c, w, k, r, gen, e, se, why, wt }

/* How 6.12 differs, see the README's "Stock and ours" */
#define D_ALIGN		"6.12 differs: ENXIO for an align that does not parse"
#define D_CREATE	"6.12 differs: ERANGE for a number beyond int"
#define D_M_ERANGE	"6.12 differs: ERANGE for an address beyond 64 bits"
#define D_M_TAKEN	"6.12 bug: ENOMEM for a taken range"
#define D_M_OUT		"6.12 bug: ENOMEM for a range outside the region"
#define D_M_LEN		"6.12 bug: takes a misaligned length as a no-op"
#define D_M_START	"6.12 bug: allocates a misaligned start"
#define D_M_INVERTED	"6.12 bug: END below START wraps the length"
#define D_M_EMPTY	"6.12 bug: kernel warning for an empty range"
#define D_M_WRAP	"6.12 bug: kernel warning for a length that wraps to 0"
#define D_M_BOUND	"6.12 bug: allocates under a bound driver"
#define D_M_BOUND_TAKEN	"6.12 bug: ENOMEM, it allocates under a bound driver"
#define D_NEGATIVE	"6.12 bug: takes a negative number"

/*
 * Every writable attribute and the classes of values it must refuse: the
 * numbers (create, size, align, memmap_on_memory), the ranges (mapping)
 * and the instance names (delete, the drivers, drivers_probe) each get
 * garbage, trailing garbage, embedded NULs and newlines, empty lines and
 * the classes of their own.  "*" is device_dax or kmem, at random.
 */
static struct group groups[] = {
	/* the region */
	GRP("create", "garbage", REGION, K_CREATE, 0, gen_garbage, EINVAL, 4),
	GRP("create", "trailing garbage", REGION, K_CREATE, 0, gen_trailing, EINVAL, 4),
	GRP("create", "embedded NUL", REGION, K_CREATE, 0, gen_nul, EINVAL, 4),
	GRP("create", "embedded newline", REGION, K_CREATE, 0, gen_newline, EINVAL, 4),
	GRP("create", "empty line", REGION, K_CREATE, 0, gen_empty_line, EINVAL, 1),
	GRP("create", "negative", REGION, K_CREATE, 0, gen_negative, EINVAL, 4),
	GRP("create", "not 1", REGION, K_CREATE, 0, gen_not_one, EINVAL, 4),
	GRP612("create", "beyond int", REGION, K_CREATE, 0,
	       gen_beyond_int, EINVAL, ERANGE, D_CREATE, 2),
	GRP612("create", "beyond 64 bits", REGION, K_CREATE, 0,
	       gen_overflow, EINVAL, ERANGE, D_CREATE, 2),
	GRP("delete", "no such device", REGION, K_NAME, ALL, gen_no_device, ENXIO, 4),
	GRP("delete", "malformed name", REGION, K_NAME, ALL, gen_bad_name, ENXIO, 6),
	GRP("delete", "negative number", REGION, K_NAME, ALL, gen_negative_name, ENXIO, 2),
	GRP("delete", "number beyond 64 bits", REGION, K_NAME, ALL, gen_overflow_name, ENXIO, 2),
	GRP("delete", "mapping device", REGION, K_NAME, ALL, gen_mapping_name, ENXIO, 1),
	GRP("delete", "embedded NUL", REGION, K_NAME, ALL, gen_nul, ENXIO, 3),
	GRP("delete", "embedded newline", REGION, K_NAME, SIZED, gen_newline, ENXIO, 3),
	GRP("delete", "empty line", REGION, K_NAME, ALL, gen_empty_line, ENXIO, 1),
	GRP("delete", "instance in use", REGION, K_NAME, SIZED | ROLE(FIRST), gen_name, EBUSY, 4),
	/* the instances */
	GRP("size", "garbage", INST, K_SIZE, ALL, gen_garbage, EINVAL, 4),
	GRP("size", "trailing garbage", INST, K_SIZE, ALL, gen_trailing, EINVAL, 4),
	GRP("size", "embedded NUL", INST, K_SIZE, ALL, gen_nul, EINVAL, 4),
	GRP("size", "embedded newline", INST, K_SIZE, ALL, gen_newline, EINVAL, 4),
	GRP("size", "empty line", INST, K_SIZE, ALL, gen_empty_line, EINVAL, 1),
	GRP("size", "negative", INST, K_SIZE, ALL, gen_negative, EINVAL, 4),
	GRP("size", "beyond 64 bits", INST, K_SIZE, ALL, gen_overflow, ERANGE, 4),
	GRP("size", "unaligned", INST, K_SIZE, ALL, gen_unaligned, EINVAL, 6),
	GRP("size", "more than is free", INST, K_SIZE, UNBOUND, gen_huge, ENOSPC, 6),
	GRP("size", "of a bound instance", INST, K_SIZE, ROLE(BOUND), gen_any_size, EBUSY, 4),
	GRP612("align", "garbage", INST, K_ALIGN, ALL, gen_garbage, EINVAL, ENXIO, D_ALIGN, 4),
	GRP612("align", "trailing garbage", INST, K_ALIGN, ALL,
	       gen_trailing, EINVAL, ENXIO, D_ALIGN, 4),
	GRP612("align", "embedded NUL", INST, K_ALIGN, ALL, gen_nul, EINVAL, ENXIO, D_ALIGN, 4),
	GRP612("align", "embedded newline", INST, K_ALIGN, ALL,
	       gen_newline, EINVAL, ENXIO, D_ALIGN, 4),
	GRP612("align", "empty line", INST, K_ALIGN, ALL,
	       gen_empty_line, EINVAL, ENXIO, D_ALIGN, 1),
	GRP612("align", "negative", INST, K_ALIGN, ALL, gen_negative, EINVAL, ENXIO, D_ALIGN, 4),
	GRP612("align", "beyond 64 bits", INST, K_ALIGN, ALL,
	       gen_overflow, EINVAL, ENXIO, D_ALIGN, 2),
	GRP("align", "not 4K/2M/1G", INST, K_ALIGN, ALL, gen_bad_align, EINVAL, 6),
	GRP("align", "above the ranges' alignment", INST, K_ALIGN, ROLE(SPLIT) | ROLE(SMALL),
	    gen_big_align, EINVAL, 1),
	GRP("align", "of a bound instance", INST, K_ALIGN, ROLE(BOUND), gen_valid_align, EBUSY, 2),
	GRP("mapping", "garbage", INST, K_MAPPING, ALL, gen_garbage, EINVAL, 4),
	GRP("mapping", "trailing garbage", INST, K_MAPPING, ALL, gen_trailing, EINVAL, 4),
	GRP("mapping", "embedded NUL", INST, K_MAPPING, ALL, gen_nul, EINVAL, 4),
	GRP("mapping", "embedded newline", INST, K_MAPPING, ALL, gen_newline, EINVAL, 4),
	GRP("mapping", "empty line", INST, K_MAPPING, ALL, gen_empty_line, EINVAL, 1),
	GRP("mapping", "negative", INST, K_MAPPING, ALL, gen_negative, EINVAL, 2),
	GRP612("mapping", "beyond 64 bits", INST, K_MAPPING, ALL,
	       gen_map_overflow, EINVAL, ERANGE, D_M_ERANGE, 2),
	GRP612("mapping", "overlapping an instance", INST, K_MAPPING, FINE,
	       gen_overlap, EADDRINUSE, ENOMEM, D_M_TAKEN, 6),
	GRP612("mapping", "outside the region", INST, K_MAPPING, FINE,
	       gen_outside, ERANGE, ENOMEM, D_M_OUT, 6),
	GRP612("mapping", "unaligned length", INST, K_MAPPING, UNBOUND,
	       gen_unaligned_len, EINVAL, ACCEPTED, D_M_LEN, 4),
	GRP612("mapping", "unaligned start", INST, K_MAPPING, FINE,
	       gen_unaligned_start, EINVAL, NO_WRITE, D_M_START, 4),
	GRP612("mapping", "end below start", INST, K_MAPPING, FINE,
	       gen_inverted, EINVAL, NO_WRITE, D_M_INVERTED, 2),
	GRP612("mapping", "empty range", INST, K_MAPPING, FINE,
	       gen_empty_range, EINVAL, NO_WRITE, D_M_EMPTY, 2),
	GRP612("mapping", "whole 64-bit space", INST, K_MAPPING, FINE,
	       gen_wrap, EINVAL, NO_WRITE, D_M_WRAP, 1),
	GRP612("mapping", "free range of a bound instance", INST, K_MAPPING, ROLE(BOUND),
	       gen_free, EBUSY, NO_WRITE, D_M_BOUND, 2),
	GRP612("mapping", "taken range of a bound instance", INST, K_MAPPING, ROLE(BOUND),
	       gen_overlap, EBUSY, ENOMEM, D_M_BOUND_TAKEN, 2),
	/* kstrtobool() ignores what follows a boolean: no trailing garbage */
	GRP("memmap_on_memory", "garbage", INST, K_BOOL, ALL, gen_garbage, EINVAL, 4),
	GRP("memmap_on_memory", "embedded NUL", INST, K_BOOL, ALL, gen_nul, EINVAL, 2),
	GRP("memmap_on_memory", "leading newline", INST, K_BOOL, ALL, gen_newline, EINVAL, 1),
	GRP("memmap_on_memory", "empty line", INST, K_BOOL, ALL, gen_empty_line, EINVAL, 1),
	GRP("memmap_on_memory", "negative", INST, K_BOOL, ALL, gen_negative, EINVAL, 2),
	GRP("memmap_on_memory", "beyond 64 bits", INST, K_BOOL, ALL, gen_overflow, EINVAL, 2),
	GRP("memmap_on_memory", "not a boolean", INST, K_BOOL, ALL, gen_not_bool, EINVAL, 2),
	GRP("memmap_on_memory", "on, unsupported", INST, K_BOOL, ALL, gen_true, EOPNOTSUPP, 4),
	GRP("uevent", "no action", INST, K_UEVENT, ALL, gen_no_action, EINVAL, 1),
	/* the drivers: "*" is device_dax or kmem */
	GRP("*/bind", "no such device", DRIVER, K_NAME, ALL, gen_no_device, ENODEV, 4),
	GRP("*/bind", "malformed name", DRIVER, K_NAME, ALL, gen_bad_name, ENODEV, 6),
	GRP("*/bind", "negative number", DRIVER, K_NAME, ALL, gen_negative_name, ENODEV, 2),
	GRP("*/bind", "number beyond 64 bits", DRIVER, K_NAME, ALL, gen_overflow_name, ENODEV, 2),
	GRP("*/bind", "mapping device", DRIVER, K_NAME, ALL, gen_mapping_name, ENODEV, 1),
	GRP("*/bind", "embedded NUL", DRIVER, K_NAME, ALL, gen_nul, ENODEV, 3),
	GRP("*/bind", "embedded newline", DRIVER, K_NAME, SIZED, gen_newline, ENODEV, 3),
	GRP("*/bind", "empty line", DRIVER, K_NAME, ALL, gen_empty_line, ENODEV, 1),
	GRP("*/bind", "instance bound", DRIVER, K_NAME, ROLE(BOUND), gen_name, EBUSY, 2),
	GRP("device_dax/bind", "instance not matched", DRIVER, K_NAME, UNBOUND,
	    gen_name, ENODEV, 2),
	GRP("kmem/bind", "empty instance", DRIVER, K_NAME, ROLE(FIRST) | ROLE(EMPTY),
	    gen_name, ENXIO, 2),
	GRP("*/unbind", "no such device", DRIVER, K_NAME, ALL, gen_no_device, ENODEV, 4),
	GRP("*/unbind", "malformed name", DRIVER, K_NAME, ALL, gen_bad_name, ENODEV, 6),
	GRP("*/unbind", "negative number", DRIVER, K_NAME, ALL, gen_negative_name, ENODEV, 2),
	GRP("*/unbind", "number beyond 64 bits", DRIVER, K_NAME, ALL, gen_overflow_name, ENODEV, 2),
	GRP("*/unbind", "mapping device", DRIVER, K_NAME, ALL, gen_mapping_name, ENODEV, 1),
	GRP("*/unbind", "embedded NUL", DRIVER, K_NAME, ALL, gen_nul, ENODEV, 3),
	GRP("*/unbind", "embedded newline", DRIVER, K_NAME, SIZED, gen_newline, ENODEV, 3),
	GRP("*/unbind", "empty line", DRIVER, K_NAME, ALL, gen_empty_line, ENODEV, 1),
	GRP("device_dax/unbind", "instance not bound to it", DRIVER, K_NAME, UNBOUND,
	    gen_name, ENODEV, 2),
	GRP("kmem/unbind", "instance not bound to it", DRIVER, K_NAME, ALL, gen_name, ENODEV, 2),
	GRP("*/new_id", "garbage", DRIVER, K_NAME, ALL, gen_garbage, EINVAL, 4),
	GRP("*/new_id", "trailing garbage", DRIVER, K_NAME, ALL, gen_trailing, EINVAL, 4),
	GRP("*/new_id", "embedded NUL", DRIVER, K_NAME, ALL, gen_nul, EINVAL, 4),
	GRP("*/new_id", "embedded newline", DRIVER, K_NAME, ALL, gen_newline, EINVAL, 4),
	GRP("*/new_id", "empty line", DRIVER, K_NAME, ALL, gen_empty_line, EINVAL, 1),
	GRP("*/new_id", "malformed name", DRIVER, K_NAME, ALL, gen_bad_name, EINVAL, 6),
	GRP("*/new_id", "number beyond 64 bits", DRIVER, K_NAME, ALL, gen_overflow_name, EINVAL, 2),
	GRP("*/new_id", "mapping device", DRIVER, K_NAME, ALL, gen_mapping_name, EINVAL, 1),
	GRP612("*/new_id", "negative number", DRIVER, K_NAME, ALL,
	       gen_negative_name, EINVAL, NO_WRITE, D_NEGATIVE, 2),
	GRP("*/remove_id", "garbage", DRIVER, K_NAME, ALL, gen_garbage, EINVAL, 4),
	GRP("*/remove_id", "trailing garbage", DRIVER, K_NAME, ALL, gen_trailing, EINVAL, 4),
	GRP("*/remove_id", "embedded NUL", DRIVER, K_NAME, ALL, gen_nul, EINVAL, 4),
	GRP("*/remove_id", "embedded newline", DRIVER, K_NAME, ALL, gen_newline, EINVAL, 4),
	GRP("*/remove_id", "empty line", DRIVER, K_NAME, ALL, gen_empty_line, EINVAL, 1),
	GRP("*/remove_id", "malformed name", DRIVER, K_NAME, ALL, gen_bad_name, EINVAL, 6),
	GRP("*/remove_id", "number beyond 64 bits", DRIVER, K_NAME, ALL,
	    gen_overflow_name, EINVAL, 2),
	GRP("*/remove_id", "mapping device", DRIVER, K_NAME, ALL, gen_mapping_name, EINVAL, 1),
	GRP612("*/remove_id", "negative number", DRIVER, K_NAME, ALL,
	       gen_negative_name, EINVAL, ACCEPTED, D_NEGATIVE, 2),
	GRP("*/uevent", "no action", DRIVER, K_UEVENT, 0, gen_no_action, EINVAL, 1),
	/* the bus */
	GRP("drivers_probe", "no such device", BUS_ATTR, K_NAME, ALL, gen_no_device, ENODEV, 4),
	GRP("drivers_probe", "malformed name", BUS_ATTR, K_NAME, ALL, gen_bad_name, ENODEV, 6),
	GRP("drivers_probe", "negative number", BUS_ATTR, K_NAME, ALL,
	    gen_negative_name, ENODEV, 2),
	GRP("drivers_probe", "number beyond 64 bits", BUS_ATTR, K_NAME, ALL,
	    gen_overflow_name, ENODEV, 2),
	GRP("drivers_probe", "mapping device", BUS_ATTR, K_NAME, ALL, gen_mapping_name, ENODEV, 1),
	GRP("drivers_probe", "embedded NUL", BUS_ATTR, K_NAME, ALL, gen_nul, ENODEV, 3),
	GRP("drivers_probe", "embedded newline", BUS_ATTR, K_NAME, SIZED, gen_newline, ENODEV, 3),
	GRP("drivers_probe", "empty line", BUS_ATTR, K_NAME, ALL, gen_empty_line, ENODEV, 1),
	GRP("uevent", "no action", BUS_ATTR, K_UEVENT, 0, gen_no_action, EINVAL, 1),
};

/*
 * Writable files that take any value, so that no write to them is
 * refused: drivers_autoprobe reads only the first character.
 */
static const char *const not_fuzzed[] = { BUS "/drivers_autoprobe" };

/* ---- the layout snapshot ---- */

/*
 * Everything a refused write must leave alone, read through files kept
 * open (a pread() at offset 0 runs the attribute's show() again): the
 * free space, the newest instance and the seed, each instance's size,
 * align, memmap_on_memory, driver and ranges, and the absence of a next
 * mappingN.
 */
static struct {
	struct {
		int fd;
		bool counts;		/* available_size or a size */
	} f[MAX_WATCH];
	int nr;
	char link[NR_ROLES][PATH_MAX];	/* .../driver */
	char next[NR_ROLES][PATH_MAX];	/* .../mapping<nr> */
	char base[8192];		/* the layout to compare with */
} w;

static __printf(2, 3) void watch(bool counts, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	int fd;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		ksft_exit_fail_msg("cannot open %s: %s\n", path, strerror(errno));
	if (w.nr == MAX_WATCH)
		ksft_exit_fail_msg("too many files to watch\n");
	w.f[w.nr].fd = fd;
	w.f[w.nr++].counts = counts;
}

static void watch_inst(enum role r)
{
	const struct inst *in = &rg.in[r];
	unsigned int i;

	watch(true, DEVICES "/%s/size", in->name);
	watch(false, DEVICES "/%s/align", in->name);
	watch(false, DEVICES "/%s/memmap_on_memory", in->name);
	for (i = 0; i < in->nr; i++) {
		watch(false, DEVICES "/%s/mapping%u/start", in->name, i);
		watch(false, DEVICES "/%s/mapping%u/end", in->name, i);
		watch(false, DEVICES "/%s/mapping%u/page_offset", in->name, i);
	}
	snprintf(w.link[r], PATH_MAX, DEVICES "/%s/driver", in->name);
	snprintf(w.next[r], PATH_MAX, DEVICES "/%s/mapping%u", in->name, in->nr);
}

static void watch_all(void)
{
	int r;

	while (w.nr)
		close(w.f[--w.nr].fd);
	watch(true, "%s/available_size", rg.dir);
	watch(false, "%s/create", rg.dir);
	watch(false, "%s/seed", rg.dir);
	for (r = 0; r < NR_ROLES; r++)
		watch_inst(r);
}

struct snap {
	char s[8192];
	size_t len;
};

static __printf(2, 3) void snap_add(struct snap *sn, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(sn->s + sn->len, sizeof(sn->s) - sn->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		sn->len += (size_t)n < sizeof(sn->s) - sn->len ? (size_t)n : 0;
}

static void snap_driver(struct snap *sn, enum role r)
{
	char link[PATH_MAX];
	ssize_t n = readlink(w.link[r], link, sizeof(link) - 1);

	link[n > 0 ? n : 0] = '\0';
	snap_add(sn, "%s%s ", n > 0 ? strrchr(link, '/') : "unbound",
		 access(w.next[r], F_OK) ? "" : "+mapping");
}

/*
 * The layout as one string; false if the free space and the sizes of
 * the instances do not add up to the region's size.
 */
static bool snapshot(struct snap *sn)
{
	char val[64];
	uint64_t sum = 0;
	ssize_t n;
	int i, r;

	sn->len = 0;
	sn->s[0] = '\0';
	for (i = 0; i < w.nr; i++) {
		n = pread(w.f[i].fd, val, sizeof(val) - 1, 0);
		if (n < 0) {
			snap_add(sn, "<%s> ", strerror(errno));
			continue;
		}
		val[n] = '\0';
		val[strcspn(val, "\n")] = '\0';
		if (w.f[i].counts)
			sum += strtoull(val, NULL, 0);
		snap_add(sn, "%s ", val);
	}
	for (r = 0; r < NR_ROLES; r++)
		snap_driver(sn, r);
	return sum == rg.size;
}

/* ---- writing ---- */

static struct {
	char path[PATH_MAX];
	int fd;
} files[MAX_FILES];
static int nr_files;

/* The attribute file, opened for writing once and kept open. */
static int file_fd(const char *path)
{
	int i;

	for (i = 0; i < nr_files; i++)
		if (!strcmp(files[i].path, path))
			return files[i].fd;
	if (nr_files == MAX_FILES)
		ksft_exit_fail_msg("too many files to write\n");
	snprintf(files[nr_files].path, PATH_MAX, "%s", path);
	files[nr_files].fd = open(path, O_WRONLY);
	if (files[nr_files].fd < 0)
		ksft_exit_fail_msg("cannot open %s: %s\n", path, strerror(errno));
	return files[nr_files++].fd;
}

static enum role pick_role(const struct group *g)
{
	enum role r;

	if (!g->roles)
		return FIRST;
	do
		r = rnd_below(NR_ROLES);
	while (!(g->roles & ROLE(r)));
	return r;
}

static void target(char *path, const struct group *g, enum role r)
{
	static const char *const drivers[] = { "device_dax", "kmem" };
	const char *slash = strchr(g->attr, '/');

	switch (g->where) {
	case REGION:
		snprintf(path, PATH_MAX, "%s/%s", rg.dir, g->attr);
		break;
	case INST:
		snprintf(path, PATH_MAX, DEVICES "/%s/%s", rg.in[r].name, g->attr);
		break;
	case DRIVER:
		if (g->attr[0] == '*')
			snprintf(path, PATH_MAX, BUS "/drivers/%s%s", PICK(drivers), slash);
		else
			snprintf(path, PATH_MAX, BUS "/drivers/%s", g->attr);
		break;
	case BUS_ATTR:
		snprintf(path, PATH_MAX, BUS "/%s", g->attr);
	}
}

/* The value as C would quote it, cut short, for messages. */
static const char *quote(const struct val *v)
{
	static char out[96];
	size_t i, at = 0;

	for (i = 0; i < v->len && at < sizeof(out) - 8; i++) {
		unsigned char c = v->s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			out[at++] = c;
		else
			at += snprintf(out + at, sizeof(out) - at, "\\x%02x", c);
	}
	snprintf(out + at, sizeof(out) - at, "%s", i < v->len ? "..." : "");
	return out;
}

static const char *err_name(int err)
{
	if (err == ACCEPTED)
		return "accepted";
	return strerrorname_np(err) ?: "?";
}

struct stats {
	unsigned int writes, wrong, changed;
	struct timespec t0;
} st;

/* Take the current layout as the one to compare with. */
static void rebase(void)
{
	struct snap sn;
	int r;

	for (r = 0; r < NR_ROLES; r++)
		inst_load(&rg.in[r]);
	rg.avail = read_u64("%s/available_size", rg.dir);
	load_names();
	watch_all();
	snapshot(&sn);
	memcpy(w.base, sn.s, sn.len + 1);
}

/* One write: its errno and whether the layout stayed as it was. */
static void fuzz_one(struct group *g, int expect)
{
	char path[PATH_MAX];
	struct val v = { .len = 0 };
	enum role r = pick_role(g);
	struct snap sn;
	bool sum_ok;
	int err;

	g->gen(&v, g, r);
	target(path, g, r);
	err = write_fd(file_fd(path), v.s, v.len);
	sum_ok = snapshot(&sn);
	g->writes++;
	if (err != expect) {
		if (!g->wrong++)
			snprintf(g->note, sizeof(g->note), "\"%.100s\" to %.80s: %s, want %s",
				 quote(&v), path + 5, err_name(err), err_name(expect));
	}
	if (!sum_ok || strcmp(sn.s, w.base)) {
		if (!g->changed++)
			snprintf(g->note, sizeof(g->note), "\"%.100s\" to %.80s changed the layout",
				 quote(&v), path + 5);
		ksft_print_msg("layout before: %s\n", w.base);
		ksft_print_msg("layout after:  %s%s\n", sn.s,
			       sum_ok ? "" : "(sizes do not add up)");
		rebase();
	}
}

static void report(const struct group *g, int expect)
{
	char name[96];
	bool differs = rg.stock && g->stock != g->err;

	snprintf(name, sizeof(name), "%s: %s", g->attr, g->cls);
	st.writes += g->writes;
	st.wrong += g->wrong;
	st.changed += g->changed;
	if (!g->writes)
		ksft_test_result_code(KSFT_FAIL, name, "no write made");
	else if (g->changed && rg.stock)
		ksft_test_result_code(KSFT_SKIP, name,
				      "6.12 bug: %u of %u writes changed the layout, first %s",
				      g->changed, g->writes, g->note);
	else if (g->wrong || g->changed)
		ksft_test_result_code(KSFT_FAIL, name,
				      "%u of %u writes wrong, %u changed the layout; first %s",
				      g->wrong, g->writes, g->changed, g->note);
	else if (differs)
		ksft_test_result_code(KSFT_SKIP, name, "%s (%u writes, each %s, layout unchanged)",
				      g->why, g->writes, err_name(expect));
	else
		ksft_test_result_code(KSFT_PASS, name, "%u writes, each %s, layout unchanged",
				      g->writes, err_name(expect));
}

static void run_group(struct group *g, unsigned int count)
{
	int expect = rg.stock ? g->stock : g->err;
	unsigned int i;
	char name[96];

	snprintf(name, sizeof(name), "%s: %s", g->attr, g->cls);
	if (expect == NO_WRITE) {
		ksft_test_result_code(KSFT_SKIP, name, "%s (not written)", g->why);
		return;
	}
	if (expect == EOPNOTSUPP && rg.mom) {
		ksft_test_result_code(KSFT_SKIP, name, "%s",
				      "memory_hotplug.memmap_on_memory is on: it would succeed");
		return;
	}
	for (i = 0; i < count; i++)
		fuzz_one(g, expect);
	report(g, expect);
}

/* ---- every writable attribute ---- */

static bool fuzzed(enum where where, const char *attr)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(groups); i++) {
		const char *a = groups[i].attr, *slash = strchr(a, '/');

		if (groups[i].where != where)
			continue;
		if (!strcmp(a, attr) || (where == DRIVER && slash && !strcmp(slash + 1, attr)))
			return true;
	}
	return false;
}

static bool ignored(const char *path)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(not_fuzzed); i++)
		if (!strcmp(not_fuzzed[i], path))
			return true;
	return false;
}

/*
 * Check that each writable file of DIR is fuzzed; name those missed in
 * MISSED.  (A zero-length write never reaches a store() method: sysfs
 * drops it, so it would test sysfs, not device-dax.)
 */
static void scan_dir(const char *dir, enum where where, char *missed, size_t len)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	char path[PATH_MAX];
	struct stat s;

	while (d && (e = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &s) || !S_ISREG(s.st_mode) || !(s.st_mode & 0222))
			continue;
		if (!fuzzed(where, e->d_name) && !ignored(path))
			snprintf(missed + strlen(missed), len - strlen(missed), " %s", path);
	}
	if (d)
		closedir(d);
}

static void every_attribute_fuzzed(void)
{
	char dir[PATH_MAX], missed[1024] = "";
	glob_t gl;
	size_t i;
	int r;

	scan_dir(rg.dir, REGION, missed, sizeof(missed));
	for (r = 0; r < NR_ROLES; r++) {
		snprintf(dir, sizeof(dir), DEVICES "/%s", rg.in[r].name);
		scan_dir(dir, INST, missed, sizeof(missed));
	}
	scan_dir(BUS, BUS_ATTR, missed, sizeof(missed));
	if (!glob(BUS "/drivers/*", 0, NULL, &gl)) {
		for (i = 0; i < gl.gl_pathc; i++)
			scan_dir(gl.gl_pathv[i], DRIVER, missed, sizeof(missed));
		globfree(&gl);
	}
	ksft_test_result(!missed[0], "every writable attribute is fuzzed%s%s\n",
			 missed[0] ? ": not" : "", missed);
}

/* ---- setup and summary ---- */

/* The lines of /proc/iomem inside the region. */
static void read_iomem(char *buf, size_t len)
{
	FILE *f = fopen("/proc/iomem", "r");
	unsigned long long s, e;
	char line[256];
	size_t at = 0;

	buf[0] = '\0';
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %llx-%llx", &s, &e) != 2 || e < rg.start ||
		    s > region_end())
			continue;
		at += snprintf(buf + at, len - at, "%s", line);
		if (at >= len)
			break;
	}
	if (f)
		fclose(f);
}

static void setup(int argc, char **argv)
{
	const char *env = getenv("DAX_FUZZ_SEED"), *dir = getenv("DAX_REGION");
	char param[8] = "N";
	int opt;

	rng_state = env ? strtoull(env, NULL, 0) : 1;
	while ((opt = getopt(argc, argv, "s:n:")) != -1) {
		if (opt == 's')
			rng_state = strtoull(optarg, NULL, 0);
		else if (opt == 'n')
			setenv("DAX_FUZZ_WRITES", optarg, 1);
		else
			ksft_exit_fail_msg("usage: %s [-s SEED] [-n WRITES]\n", argv[0]);
	}
	seed = rng_state;
	ksft_print_msg("seed %llu (replay with -s or DAX_FUZZ_SEED)\n", (unsigned long long)seed);
	if (!dir || !getenv("DAX_REGION_START"))
		ksft_exit_skip("DAX_REGION and DAX_REGION_START not set: run fuzz.sh\n");
	rg.dir = dir;
	rg.id = read_u64("%s/id", dir);
	rg.size = read_u64("%s/size", dir);
	rg.start = strtoull(getenv("DAX_REGION_START"), NULL, 0);
	rg.stock = stock_kernel();
	sysfs_read("/sys/module/memory_hotplug/parameters/memmap_on_memory", param, sizeof(param));
	rg.mom = param[0] && param[0] != 'N';	/* Y or force */
	if (read_u64("%s/available_size", dir) != rg.size)
		ksft_exit_fail_msg("the region is not empty\n");
}

/* Is group G written on this kernel? */
static bool written(const struct group *g)
{
	int expect = rg.stock ? g->stock : g->err;

	return expect != NO_WRITE && !(expect == EOPNOTSUPP && rg.mom);
}

/* The weights of the groups written, which share the writes out. */
static unsigned int total_weight(void)
{
	unsigned int sum = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(groups); i++)
		sum += written(&groups[i]) ? groups[i].weight : 0;
	return sum;
}

/* A 1G instance must start on a 1G boundary, or its 1G faults cannot map. */
static void check_huge_start(void)
{
	unsigned long long start = rg.in[HUGE].r[0].start;
	const char *name = "the 1G instance starts on a 1G boundary";

	if (!(start % GiB))
		ksft_test_result_pass("%s\n", name);
	else if (rg.stock)
		ksft_test_result_code(KSFT_SKIP, name,
				      "6.12 bug: growth ignores the align, range at %#llx", start);
	else
		ksft_test_result_fail("%s: range at %#llx\n", name, start);
}

int main(int argc, char **argv)
{
	unsigned int total, weights;
	char iomem_before[4096], iomem_after[4096];
	struct snap sn, first;
	struct timespec t1;
	size_t i;
	int r;

	ksft_print_header();
	setup(argc, argv);
	total = getenv("DAX_FUZZ_WRITES") ? atoi(getenv("DAX_FUZZ_WRITES")) : 10000;
	weights = total_weight();
	ksft_set_plan(ARRAY_SIZE(groups) + 4);

	r = layout();
	if (r)
		ksft_exit_fail_msg("cannot lay out the instances: %s\n", strerror(r));
	ksft_test_result(layout_ok(), "layout to fuzz\n");
	for (r = 0; r < NR_ROLES; r++)
		print_inst(r);
	check_huge_start();
	rebase();
	memcpy(first.s, w.base, sizeof(first.s));
	read_iomem(iomem_before, sizeof(iomem_before));
	clock_gettime(CLOCK_MONOTONIC, &st.t0);

	every_attribute_fuzzed();
	for (i = 0; i < ARRAY_SIZE(groups); i++)
		run_group(&groups[i], (total * groups[i].weight + weights - 1) / weights);

	read_iomem(iomem_after, sizeof(iomem_after));
	ksft_test_result(snapshot(&sn) && !strcmp(sn.s, first.s) &&
			 !strcmp(iomem_before, iomem_after),
			 "layout, accounting and /proc/iomem as before\n");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ksft_print_msg("%u writes, %u with a wrong errno, %u changing the layout, in %.1f s\n",
		       st.writes, st.wrong, st.changed,
		       t1.tv_sec - st.t0.tv_sec + (t1.tv_nsec - st.t0.tv_nsec) / 1e9);
	ksft_print_msg("seed %llu\n", (unsigned long long)seed);
	ksft_finished();
}
