// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark 3, kmem: hand the whole region (2 GiB, one instance) to kmem
 * and time, separately, the hot-add (binding kmem), onlining every memory
 * block (online_movable), offlining them, and the hot-remove (unbinding
 * kmem).  Memory blocks are added offline (auto_online_blocks is set to
 * "offline" for the run) so that onlining is timed on its own.
 *
 * Then the whole instance in (plug: unplugged to online_movable) and out
 * again (unplug), each timed as one step: on a kernel with daxX.Y/state
 * one write of it each, kmem bound with nothing plugged; elsewhere the
 * path daxctl takes (reconfigure-device -m system-ram, then
 * offline-memory and disable), in the same sysfs writes: bind kmem and
 * online every block; offline every block and unbind kmem.  A kernel
 * with daxX.Y/state also takes daxctl's path after the one write
 * (plug_blocks, unplug_blocks).
 *
 * Checked: the number of memory blocks, their state after each step, and
 * MemTotal growing by exactly the instance's size while online.
 *
 * Needs the kmem module loaded.  Usage: bench_kmem
 * Prints: RESULT bench=kmem gib=G op=OP ns=T ns_per_gib=X [how=HOW]
 *         (OP: add, online, offline, remove; plug, unplug,
 *         plug_blocks, unplug_blocks with HOW state or blocks)
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dax.h"

#define MEM "/sys/devices/system/memory"

static uint64_t block_size;
static long first, nr;

/* Every block of the instance present and STATE, or (NULL) none present. */
static void check_blocks(const char *state, const char *after)
{
	char path[96], got[32];
	long b;

	for (b = first; b < first + nr; b++) {
		snprintf(path, sizeof(path), MEM "/memory%ld/state", b);
		if (!state && !access(path, F_OK))
			fail("memory%ld still there after %s", b, after);
		if (state && (sysfs_read(path, got, sizeof(got)) || strcmp(got, state)))
			fail("memory%ld is '%s' after %s, want %s", b, got, after, state);
	}
}

/* Write STATE to every block of the instance; each must then read WANT. */
static void set_blocks(const char *state, const char *want)
{
	char path[96];
	long b;

	for (b = first; b < first + nr; b++) {
		snprintf(path, sizeof(path), MEM "/memory%ld/state", b);
		must_write(path, state);
	}
	check_blocks(want, state);
}

static void find_blocks(const char *name, uint64_t size)
{
	char path[96], buf[32];
	uint64_t start, end;
	long b;

	if (sysfs_read(MEM "/block_size_bytes", buf, sizeof(buf)))
		fail("no " MEM "/block_size_bytes");
	block_size = strtoull(buf, NULL, 16);
	if (dev_nr_mappings(name) != 1)
		fail("%s: %d ranges, want 1", name, dev_nr_mappings(name));
	start = read_u64_fmt(DAX_BUS "/devices/%s/mapping0/start", name);
	end = read_u64_fmt(DAX_BUS "/devices/%s/mapping0/end", name);
	if (end + 1 - start != size || start % block_size || size % block_size)
		fail("%s: range %#llx-%#llx, blocks of %#llx", name,
		     (unsigned long long)start, (unsigned long long)end,
		     (unsigned long long)block_size);
	first = start / block_size;
	nr = size / block_size;
	for (b = first; b < first + nr; b++) {
		snprintf(path, sizeof(path), MEM "/memory%ld/state", b);
		if (sysfs_read(path, buf, sizeof(buf)) || strcmp(buf, "offline"))
			fail("memory%ld is '%s' after kmem bound, want offline",
			     b, buf);
	}
}

static void report(const char *op, uint64_t ns, uint64_t size, const char *how)
{
	result("bench=kmem gib=%llu op=%s ns=%llu ns_per_gib=%llu%s%s",
	       (unsigned long long)(size / SZ_1G), op, (unsigned long long)ns,
	       (unsigned long long)(ns * SZ_1G / size), how ? " how=" : "",
	       how ? how : "");
}

/*
 * plug_cycle: the instance NAME, unbound, in and out again, one step
 * each (see the top of the file), HOW: "state" or "blocks"; TOTAL0:
 * MemTotal in KiB without it.  Reported as op=PLUG and op=UNPLUG.
 */
static void plug_cycle(const char *name, uint64_t size, long long total0,
		       const char *how, const char *plug, const char *unplug)
{
	char state[96];
	uint64_t t, t_plug, t_unplug;

	snprintf(state, sizeof(state), DAX_BUS "/devices/%s/state", name);
	if (!strcmp(how, "state")) {
		/* The choice for the next bind: nothing plugged. */
		must_write(state, "unplugged");
		must_write(DAX_BUS "/drivers/kmem/new_id", name);
		check_blocks(NULL, "kmem bound unplugged");
		t = now_ns();
		must_write(state, "online_movable");
		t_plug = now_ns() - t;
	} else {
		t = now_ns();
		must_write(DAX_BUS "/drivers/kmem/new_id", name);
		set_blocks("online_movable", "online");
		t_plug = now_ns() - t;
	}
	check_blocks("online", "plug");
	if ((uint64_t)(meminfo_kb("MemTotal") - total0) * 1024 != size)
		fail("MemTotal grew by %lld KiB plugged, want %llu",
		     meminfo_kb("MemTotal") - total0,
		     (unsigned long long)(size / 1024));

	t = now_ns();
	if (!strcmp(how, "state")) {
		must_write(state, "unplugged");
	} else {
		set_blocks("offline", "offline");
		must_write(DAX_BUS "/drivers/kmem/unbind", name);
	}
	t_unplug = now_ns() - t;
	check_blocks(NULL, "unplug");
	if (meminfo_kb("MemTotal") != total0)
		fail("MemTotal %lld KiB unplugged, want %lld",
		     meminfo_kb("MemTotal"), total0);
	if (!strcmp(how, "state"))
		must_write(DAX_BUS "/drivers/kmem/unbind", name);
	must_write(DAX_BUS "/drivers/kmem/remove_id", name);

	report(plug, t_plug, size, how);
	report(unplug, t_unplug, size, how);
}

int main(void)
{
	uint64_t size, t_add, t_on, t_off, t_rm, t;
	long long total0, total1;
	char name[NAME_MAX_LEN], path[96], auto_online[32];
	struct region r;

	prog = "bench_kmem";
	if (access(DAX_BUS "/drivers/kmem", F_OK))
		fail("kmem is not loaded");
	region_find(&r);
	region_reset(&r);
	size = r.size;
	snprintf(name, sizeof(name), "dax%d.0", r.id);
	dev_set(name, "size", size);

	if (sysfs_read(MEM "/auto_online_blocks", auto_online, sizeof(auto_online)))
		fail("no " MEM "/auto_online_blocks");
	must_write(MEM "/auto_online_blocks", "offline");
	total0 = meminfo_kb("MemTotal");

	snprintf(path, sizeof(path), DAX_BUS "/drivers/kmem/new_id");
	t = now_ns();
	must_write(path, name);
	t_add = now_ns() - t;
	dev_driver(name, path, sizeof(path));
	if (strcmp(path, "kmem"))
		fail("%s: driver '%s' after kmem new_id", name, path);
	find_blocks(name, size);

	t = now_ns();
	set_blocks("online_movable", "online");
	t_on = now_ns() - t;
	total1 = meminfo_kb("MemTotal");
	if ((uint64_t)(total1 - total0) * 1024 != size)
		fail("MemTotal grew by %lld KiB online, want %llu", total1 - total0,
		     (unsigned long long)(size / 1024));

	t = now_ns();
	set_blocks("offline", "offline");
	t_off = now_ns() - t;
	if (meminfo_kb("MemTotal") != total0)
		fail("MemTotal %lld KiB after offline, want %lld",
		     meminfo_kb("MemTotal"), total0);

	t = now_ns();
	must_write(DAX_BUS "/drivers/kmem/unbind", name);
	t_rm = now_ns() - t;
	must_write(DAX_BUS "/drivers/kmem/remove_id", name);
	check_blocks(NULL, "kmem unbind");

	report("add", t_add, size, NULL);
	report("online", t_on, size, NULL);
	report("offline", t_off, size, NULL);
	report("remove", t_rm, size, NULL);

	/*
	 * One write where the kernel has daxX.Y/state, and then, on that
	 * kernel, daxctl's path too (second, so that any gain from going
	 * later counts against the one write); daxctl's path elsewhere.
	 */
	snprintf(path, sizeof(path), DAX_BUS "/devices/%s/state", name);
	if (!access(path, F_OK)) {
		plug_cycle(name, size, total0, "state", "plug", "unplug");
		plug_cycle(name, size, total0, "blocks", "plug_blocks", "unplug_blocks");
	} else {
		plug_cycle(name, size, total0, "blocks", "plug", "unplug");
	}

	must_write(MEM "/auto_online_blocks", auto_online);
	region_reset(&r);
	return 0;
}
