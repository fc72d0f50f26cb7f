// SPDX-License-Identifier: GPL-2.0
/*
 * dax_fault - make one sysfs write fail at each of its memory allocations
 * in turn, and check that every failure leaves the dax region either as
 * it was or exactly as a successful write leaves it.
 *
 * Usage: dax_fault [-e ERRNO,...] [-p] [-m MAX] NAME FILE VALUE UNDO_FILE UNDO_VALUE
 *
 * The write of VALUE to FILE is made first without a fault, to learn the
 * state it leads to, and taken back by writing UNDO_VALUE to UNDO_FILE
 * (UNDO_VALUE "@youngest" is the instance the region's "create" names).
 * Then it is made again with /proc/thread-self/fail-nth set to 1, 2, 3...:
 * the Nth allocation of the write that the fault attributes consult
 * (failslab, fail_page_alloc: the caller configures which) fails.  The
 * sweep ends with the first write that completes before its Nth
 * allocation.  After each write:
 *
 * - a failed write must fail with one of the allowed errnos (-e, ENOMEM
 *   by default) and leave the state as it was;
 * - a write that succeeded despite the fault must leave the state the
 *   faultless write left, and is undone;
 * - with -p (kmem, which keeps the ranges it could add), a bind that
 *   succeeded with only some of its ranges in System RAM is accepted if
 *   each range is either fully added (its claim, its "System RAM (kmem)"
 *   and its memory blocks) or not at all.
 *
 * The state is the region's sysfs layout (available_size; each instance's
 * size, align, memmap_on_memory, driver, whether /dev/daxX.Y opens, and
 * its mappingN ranges, which must add up to its size), the lines of
 * /proc/iomem inside the region, and the memory blocks there.  The
 * region's provider device is DAX_REGION_DEV; DAX_REGION_START and
 * DAX_REGION_SIZE give its span, since the region may come and go.
 *
 * Prints one "# NAME: ..." summary line; exits 0 if every attempt was
 * consistent, 1 otherwise, 2 on misuse or when the faultless write fails.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __noreturn	__attribute__((noreturn))
#define MEMORY		"/sys/devices/system/memory"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define USAGE \
	"usage: dax_fault [-e ERRNO,...] [-p] [-m MAX] NAME FILE VALUE UNDO_FILE UNDO_VALUE\n"
#define MAX_ERRNOS	8
#define MAX_IOMEM	32
#define MAX_BLOCKS	64

static struct {
	const char *name, *file, *value, *undo_file, *undo_value;
	const char *dev;		/* the region's provider device */
	uint64_t start, end, block;
	int errnos[MAX_ERRNOS], nr_errnos;
	bool partial;
	unsigned int max;
	int nth_fd;
} cfg;

struct iomem {
	uint64_t start, end;
	char name[64];
};

struct state {
	char sysfs[16384];
	struct iomem io[MAX_IOMEM];
	int nr_io;
	bool block[MAX_BLOCKS];		/* memory block present */
	bool consistent;		/* the ranges add up to each size */
};

/* ---- small helpers ---- */

static __printf(1, 2) __noreturn void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# %s: ", cfg.name ?: "dax_fault");
	vprintf(fmt, ap);
	va_end(ap);
	exit(2);
}

static __printf(3, 4) void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t at = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
}

/* The first line of a file, or "<errno name>". */
static void read_line(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (n < 0)
		snprintf(buf, len, "<%s>", strerrorname_np(errno));
	else
		buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (fd >= 0)
		close(fd);
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) < 0)
		err = errno;
	close(fd);
	return err;
}

static const char *list_prefix;

static int list_match(const struct dirent *e)
{
	return !strncmp(e->d_name, list_prefix, strlen(list_prefix));
}

/* The entries of DIR starting with PREFIX, sorted. */
static int list_dir(const char *dir, const char *prefix, struct dirent ***out)
{
	list_prefix = prefix;
	return scandir(dir, out, list_match, versionsort);
}

/* ---- the state ---- */

static uint64_t state_mapping(struct state *s, const char *inst, const char *m)
{
	char path[PATH_MAX], v[3][32];
	static const char *const attr[] = { "start", "end", "page_offset" };
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s/%s", cfg.dev, inst, m, attr[i]);
		read_line(path, v[i], sizeof(v[i]));
	}
	add(s->sysfs, sizeof(s->sysfs), " %s=%s-%s@%s", m, v[0], v[1], v[2]);
	return strtoull(v[1], NULL, 0) + 1 - strtoull(v[0], NULL, 0);
}

/*
 * Does /dev/NAME of an instance bound to DRIVER open?  "open", or the
 * errno of the failure; "-" when not bound to device_dax, as opening a
 * device number without a cdev runs modprobe, which is slow.
 */
static const char *dev_opens(const char *name, const char *driver)
{
	char path[PATH_MAX];
	int fd;

	if (strcmp(driver, "device_dax"))
		return "-";
	snprintf(path, sizeof(path), "/dev/%s", name);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return strerrorname_np(errno);
	close(fd);
	return "open";
}

static void state_instance(struct state *s, const char *inst)
{
	char path[PATH_MAX], v[64], link[PATH_MAX];
	static const char *const attr[] = { "size", "align", "memmap_on_memory" };
	const char *driver;
	struct dirent **m;
	uint64_t sum = 0, size = 0;
	ssize_t len;
	int i, n;

	add(s->sysfs, sizeof(s->sysfs), "\n%s:", inst);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", cfg.dev, inst, attr[i]);
		read_line(path, v, sizeof(v));
		add(s->sysfs, sizeof(s->sysfs), " %s=%s", attr[i], v);
		if (!i)
			size = strtoull(v, NULL, 0);
	}
	snprintf(path, sizeof(path), "%s/%s/driver", cfg.dev, inst);
	len = readlink(path, link, sizeof(link) - 1);
	link[len > 0 ? len : 0] = '\0';
	driver = len > 0 ? strrchr(link, '/') + 1 : "none";
	add(s->sysfs, sizeof(s->sysfs), " driver=%s dev=%s", driver, dev_opens(inst, driver));
	snprintf(path, sizeof(path), "%s/%s", cfg.dev, inst);
	n = list_dir(path, "mapping", &m);
	for (i = 0; i < n; i++) {
		if (strcmp(m[i]->d_name, "mapping"))
			sum += state_mapping(s, inst, m[i]->d_name);
		free(m[i]);
	}
	free(n >= 0 ? m : NULL);
	if (sum != size) {
		add(s->sysfs, sizeof(s->sysfs), " RANGES-ADD-UP-TO=%llu", (unsigned long long)sum);
		s->consistent = false;
	}
}

static void state_sysfs(struct state *s)
{
	char path[PATH_MAX], v[64];
	struct dirent **d;
	int i, n;

	snprintf(path, sizeof(path), "%s/dax_region/available_size", cfg.dev);
	read_line(path, v, sizeof(v));
	add(s->sysfs, sizeof(s->sysfs), "available_size=%s", v);
	n = list_dir(cfg.dev, "dax", &d);
	for (i = 0; i < n; i++) {
		if (strcmp(d[i]->d_name, "dax_region"))
			state_instance(s, d[i]->d_name);
		free(d[i]);
	}
	free(n >= 0 ? d : NULL);
}

static void state_iomem(struct state *s)
{
	FILE *f = fopen("/proc/iomem", "r");
	unsigned long long a, b;
	char line[256], name[64];

	while (f && fgets(line, sizeof(line), f) && s->nr_io < MAX_IOMEM) {
		if (sscanf(line, " %llx-%llx : %63[^\n]", &a, &b, name) != 3 ||
		    b < cfg.start || a > cfg.end)
			continue;
		s->io[s->nr_io].start = a;
		s->io[s->nr_io].end = b;
		snprintf(s->io[s->nr_io++].name, sizeof(s->io[0].name), "%s", name);
	}
	if (f)
		fclose(f);
}

static void state_blocks(struct state *s)
{
	char path[PATH_MAX];
	uint64_t b, first = cfg.start / cfg.block;

	for (b = first; b <= cfg.end / cfg.block && b - first < MAX_BLOCKS; b++) {
		snprintf(path, sizeof(path), MEMORY "/memory%llu", (unsigned long long)b);
		s->block[b - first] = !access(path, F_OK);
	}
}

static void state_read(struct state *s)
{
	memset(s, 0, sizeof(*s));
	s->consistent = true;
	state_sysfs(s);
	state_iomem(s);
	state_blocks(s);
}

static bool state_equal(const struct state *a, const struct state *b)
{
	return !strcmp(a->sysfs, b->sysfs) && a->nr_io == b->nr_io &&
	       !memcmp(a->io, b->io, sizeof(a->io)) &&
	       !memcmp(a->block, b->block, sizeof(a->block));
}

static void state_print(const char *what, const struct state *s)
{
	char line[128];
	int i;

	printf("# %s: %s\n", what, s->sysfs);
	for (i = 0; i < s->nr_io; i++)
		printf("#   iomem %llx-%llx : %s\n", (unsigned long long)s->io[i].start,
		       (unsigned long long)s->io[i].end, s->io[i].name);
	line[0] = '\0';
	for (i = 0; i < MAX_BLOCKS; i++)
		if (s->block[i])
			add(line, sizeof(line), " %llu",
			    (unsigned long long)(cfg.start / cfg.block + i));
	printf("#   memory blocks:%s\n", line[0] ? line : " none");
}

/* ---- kmem's partial binds ---- */

static const struct iomem *find_io(const struct state *s, const struct iomem *want)
{
	int i;

	for (i = 0; i < s->nr_io; i++)
		if (s->io[i].start == want->start && s->io[i].end == want->end &&
		    !strcmp(s->io[i].name, want->name))
			return &s->io[i];
	return NULL;
}

/* Are the memory blocks of [START, END] all present in S (or all absent)? */
static bool blocks_are(const struct state *s, uint64_t start, uint64_t end, bool present)
{
	uint64_t b, first = cfg.start / cfg.block;

	for (b = start / cfg.block; b <= end / cfg.block; b++)
		if (b - first < MAX_BLOCKS && s->block[b - first] != present)
			return false;
	return true;
}

/* The other line of DONE over the same range as R: claim and System RAM. */
static const struct iomem *partner(const struct state *done, const struct iomem *r)
{
	int i;

	for (i = 0; i < done->nr_io; i++)
		if (&done->io[i] != r && done->io[i].start == r->start &&
		    done->io[i].end == r->end)
			return &done->io[i];
	return NULL;
}

/*
 * S, compared with the complete bind DONE and the state BEFORE it: the
 * same sysfs layout, and each range that DONE added either added
 * completely (the instance's claim, "System RAM (kmem)" below it and the
 * memory blocks) or not at all; at least one added.
 */
static bool partial_ok(const struct state *s, const struct state *done,
		       const struct state *before)
{
	int i, added = 0;

	if (strcmp(s->sysfs, done->sysfs) || s->nr_io > done->nr_io)
		return false;
	for (i = 0; i < s->nr_io; i++)
		if (!find_io(done, &s->io[i]))
			return false;
	for (i = 0; i < done->nr_io; i++) {
		const struct iomem *r = &done->io[i], *p = partner(done, r);
		bool here = find_io(s, r);

		if (find_io(before, r))
			continue;
		if (!p || here != !!find_io(s, p) ||
		    !blocks_are(s, r->start, r->end, here))
			return false;
		added += here;
	}
	return added > 0;
}

/* ---- the writes ---- */

static void nth_set(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(cfg.nth_fd, buf, len, 0) != len)
		die("cannot set fail-nth: %s\n", strerror(errno));
}

/* 0 if the fault set up with nth_set() was injected. */
static unsigned int nth_left(void)
{
	char buf[16] = "";

	if (pread(cfg.nth_fd, buf, sizeof(buf) - 1, 0) < 0)
		die("cannot read fail-nth: %s\n", strerror(errno));
	return strtoul(buf, NULL, 10);
}

/*
 * Write VALUE to FILE with the Nth allocation failing (none for N 0):
 * 0 or the errno.  *INJECTED tells whether the fault happened.
 */
static int write_nth(const char *file, const char *value, unsigned int n, bool *injected)
{
	size_t len = strlen(value);
	int fd = open(file, O_WRONLY), err = 0;
	ssize_t w;

	if (fd < 0)
		die("cannot open %s: %s\n", file, strerror(errno));
	nth_set(n);
	w = pwrite(fd, value, len, 0);
	if (w < 0)
		err = errno;
	*injected = n && !nth_left();
	nth_set(0);
	close(fd);
	return w >= 0 && (size_t)w != len ? EMSGSIZE : err;
}

static int undo(void)
{
	char path[PATH_MAX], name[64];
	const char *value = cfg.undo_value;

	if (!strcmp(value, "@youngest")) {
		snprintf(path, sizeof(path), "%s/dax_region/create", cfg.dev);
		read_line(path, name, sizeof(name));
		value = name;
	}
	return write_str(cfg.undo_file, value);
}

static bool allowed(int err)
{
	int i;

	for (i = 0; i < cfg.nr_errnos; i++)
		if (cfg.errnos[i] == err)
			return true;
	return false;
}

struct tally {
	unsigned int attempts, injected, failed, survived, partial, bad;
	unsigned int by_errno[MAX_ERRNOS];
};

/* Undo a write that succeeded; false if that does not restore BEFORE. */
static bool take_back(unsigned int n, const struct state *before)
{
	struct state s;
	int err = undo();

	state_read(&s);
	if (!err && state_equal(&s, before))
		return true;
	printf("# %s: fault %u: undoing the write: %s\n", cfg.name, n,
	       err ? strerrorname_np(err) : "did not restore the state");
	state_print("want", before);
	state_print("got", &s);
	return false;
}

/* Judge attempt N, which ended with ERR and state S. */
static bool judge(unsigned int n, int err, const struct state *s,
		  const struct state *before, const struct state *done, struct tally *t)
{
	int i;

	if (err) {
		t->failed++;
		for (i = 0; i < cfg.nr_errnos; i++)
			t->by_errno[i] += cfg.errnos[i] == err;
		if (allowed(err) && state_equal(s, before) && s->consistent)
			return true;
		printf("# %s: fault %u: write failed with %s%s\n", cfg.name, n,
		       strerrorname_np(err), allowed(err) ? ", state changed" : "");
		state_print("want", before);
		state_print("got", s);
		return false;
	}
	if (state_equal(s, done) && s->consistent) {
		t->survived++;
		return true;
	}
	if (cfg.partial && s->consistent && partial_ok(s, done, before)) {
		t->partial++;
		return true;
	}
	printf("# %s: fault %u: write succeeded, state is not the complete one\n", cfg.name, n);
	state_print("want", done);
	state_print("got", s);
	return false;
}

static void sweep(const struct state *before, const struct state *done, struct tally *t)
{
	struct state s;
	bool injected, ok;
	unsigned int n;
	int err;

	for (n = 1; n <= cfg.max; n++) {
		err = write_nth(cfg.file, cfg.value, n, &injected);
		state_read(&s);
		t->attempts++;
		if (!injected) {
			/* the write needed fewer than N allocations: done */
			if (err || !state_equal(&s, done) || !take_back(n, before)) {
				printf("# %s: the write without a fault went wrong: %s\n", cfg.name,
				       err ? strerrorname_np(err) : "state");
				t->bad++;
			}
			return;
		}
		t->injected++;
		ok = judge(n, err, &s, before, done, t);
		if (!err && !take_back(n, before))
			die("cannot go on: the state is lost\n");
		t->bad += !ok;
	}
	printf("# %s: still failing after %u faults\n", cfg.name, cfg.max);
	t->bad++;
}

/* ---- setup ---- */

static void parse_errnos(char *list)
{
	static const int known[] = { ENOMEM, EBUSY, EEXIST, ENODEV, ENXIO, EINVAL, ENOSPC };
	char *tok;
	size_t i;

	cfg.nr_errnos = 0;
	for (tok = strtok(list, ","); tok && cfg.nr_errnos < MAX_ERRNOS; tok = strtok(NULL, ",")) {
		for (i = 0; i < ARRAY_SIZE(known); i++)
			if (!strcmp(strerrorname_np(known[i]), tok))
				break;
		if (i == ARRAY_SIZE(known))
			die("unknown errno %s\n", tok);
		cfg.errnos[cfg.nr_errnos++] = known[i];
	}
}

static void setup(int argc, char **argv)
{
	char errnos[] = "ENOMEM", buf[32];
	int opt;

	cfg.max = 4000;
	parse_errnos(errnos);
	while ((opt = getopt(argc, argv, "e:pm:")) != -1) {
		if (opt == 'e')
			parse_errnos(optarg);
		else if (opt == 'p')
			cfg.partial = true;
		else if (opt == 'm')
			cfg.max = atoi(optarg);
		else
			die(USAGE);
	}
	if (argc - optind != 5)
		die(USAGE);
	cfg.name = argv[optind];
	cfg.file = argv[optind + 1];
	cfg.value = argv[optind + 2];
	cfg.undo_file = argv[optind + 3];
	cfg.undo_value = argv[optind + 4];
	cfg.dev = getenv("DAX_REGION_DEV");
	if (!cfg.dev || !getenv("DAX_REGION_START") || !getenv("DAX_REGION_SIZE"))
		die("DAX_REGION_DEV, DAX_REGION_START and DAX_REGION_SIZE must be set\n");
	cfg.start = strtoull(getenv("DAX_REGION_START"), NULL, 0);
	cfg.end = cfg.start + strtoull(getenv("DAX_REGION_SIZE"), NULL, 0) - 1;
	read_line(MEMORY "/block_size_bytes", buf, sizeof(buf));
	cfg.block = strtoull(buf, NULL, 16);
	if (!cfg.block)
		die("no memory block size\n");
	cfg.nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (cfg.nth_fd < 0)
		die("no /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION): %s\n",
		    strerror(errno));
	/* no page fault of ours may take the fault meant for the kernel */
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		die("mlockall: %s\n", strerror(errno));
}

static void report(const struct tally *t)
{
	char errs[128] = "";
	int i;

	for (i = 0; i < cfg.nr_errnos; i++)
		if (t->by_errno[i])
			add(errs, sizeof(errs), " %s:%u", strerrorname_np(cfg.errnos[i]),
			    t->by_errno[i]);
	printf("# %s: %u faults injected in %u attempts: %u writes failed (%s), ",
	       cfg.name, t->injected, t->attempts, t->failed, errs[0] ? errs + 1 : "none");
	printf("%u succeeded anyway, %u kmem binds kept only some ranges; %u bad\n",
	       t->survived, t->partial, t->bad);
	printf("dax_fault %s injected=%u bad=%u\n", cfg.name, t->injected, t->bad);
}

int main(int argc, char **argv)
{
	struct state before, done;
	struct tally t = { 0 };
	bool injected;
	int err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	setup(argc, argv);
	state_read(&before);
	err = write_nth(cfg.file, cfg.value, 0, &injected);
	if (err)
		die("the write without a fault fails: %s\n", strerrorname_np(err));
	state_read(&done);
	if (state_equal(&before, &done))
		die("the write changes nothing\n");
	if (!done.consistent || !take_back(0, &before))
		die("cannot take the write back\n");
	sweep(&before, &done, &t);
	report(&t);
	return t.bad ? 1 : 0;
}
