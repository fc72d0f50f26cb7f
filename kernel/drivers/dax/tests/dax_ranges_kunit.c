// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the device-dax range allocator (drivers/dax/ranges.c).
 *
 * Each test gets a fresh region span (the root, 1 GiB at 4 GiB, never
 * inserted in iomem) and four empty range tables standing for instances
 * "a" to "d".  After every step the tests check that the tables and the
 * root's children describe the same allocations and that the available
 * space adds up.  The layouts expected are those the upstream 6.12
 * device-dax core produces for the same sequence of size writes.
 */
#include <kunit/test.h>
#include <linux/ioport.h>
#include <linux/pfn.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include "../dax-private.h"

#define ROOT_START	((resource_size_t)SZ_4G)
#define MB(x)		((resource_size_t)(x) * SZ_1M)
#define GB(x)		((resource_size_t)(x) * SZ_1G)
#define NO_PHYS		((phys_addr_t)-1)
#define MAX_RES		64

enum { A, B, C, D, NR_TABLES };

static const char * const dax_test_names[NR_TABLES] = { "a", "b", "c", "d" };

struct dax_test_ctx {
	struct resource root;
	struct dax_ranges t[NR_TABLES];
};

/* A copy of the tables and of the root's children, to check rollbacks. */
struct dax_test_snapshot {
	struct dax_ranges t[NR_TABLES];
	unsigned int nr_res;
	struct range res[MAX_RES];
};

static struct dax_test_ctx *ctx(struct kunit *test)
{
	return test->priv;
}

static struct resource *root(struct kunit *test)
{
	return &ctx(test)->root;
}

static struct dax_ranges *table(struct kunit *test, int i)
{
	return &ctx(test)->t[i];
}

/* Let the test's root span @size bytes (before anything is allocated). */
static void set_root_size(struct kunit *test, resource_size_t size)
{
	KUNIT_ASSERT_NULL(test, root(test)->child);
	root(test)->end = ROOT_START + size - 1;
}

static int grow(struct kunit *test, int i, resource_size_t size,
		resource_size_t align)
{
	return dax_ranges_grow(root(test), table(test, i), size, align,
			       dax_test_names[i]);
}

/* Claim [ROOT_START + @off, ROOT_START + @off + @len) for table @i. */
static int claim(struct kunit *test, int i, resource_size_t off,
		 resource_size_t len, resource_size_t align)
{
	struct range want = {
		.start = ROOT_START + off,
		.end = ROOT_START + off + len - 1,
	};

	return dax_ranges_claim(root(test), table(test, i), &want, align,
				dax_test_names[i]);
}

static void shrink(struct kunit *test, int i, resource_size_t size)
{
	dax_ranges_shrink(root(test), table(test, i), size);
}

static phys_addr_t to_phys(struct kunit *test, int i, resource_size_t off,
			   unsigned long size)
{
	return dax_ranges_to_phys(table(test, i), PHYS_PFN(off), size);
}

static unsigned int count_children(const struct resource *root)
{
	const struct resource *res;
	unsigned int n = 0;

	for (res = root->child; res; res = res->sibling)
		n++;
	return n;
}

/* Table @i is contiguous in page offset space and matches its resources. */
static void expect_table_sane(struct kunit *test, int i)
{
	const struct dax_ranges *t = table(test, i);
	unsigned long pgoff = 0;
	unsigned int k;

	if (!t->nr)
		KUNIT_EXPECT_NULL_MSG(test, t->r, "%s: empty but allocated",
				      dax_test_names[i]);
	for (k = 0; k < t->nr; k++) {
		const struct dev_dax_range *r = &t->r[k];

		KUNIT_EXPECT_EQ_MSG(test, r->pgoff, pgoff, "%s[%u] page offset",
				    dax_test_names[i], k);
		KUNIT_ASSERT_NOT_NULL(test, r->res);
		KUNIT_EXPECT_PTR_EQ(test, r->res->parent, root(test));
		KUNIT_EXPECT_EQ(test, r->res->start, r->range.start);
		KUNIT_EXPECT_EQ(test, r->res->end, r->range.end);
		KUNIT_EXPECT_STREQ(test, r->res->name, dax_test_names[i]);
		KUNIT_EXPECT_NULL(test, r->mapping);
		pgoff += PHYS_PFN(range_len(&r->range));
	}
}

/* The available size is the root minus every table, tables are sane. */
static void expect_consistent(struct kunit *test)
{
	resource_size_t used = 0;
	unsigned int nr = 0;
	int i;

	for (i = 0; i < NR_TABLES; i++) {
		expect_table_sane(test, i);
		used += dax_ranges_size(table(test, i));
		nr += table(test, i)->nr;
	}
	KUNIT_EXPECT_EQ(test, dax_space_available(root(test)),
			resource_size(root(test)) - used);
	KUNIT_EXPECT_EQ(test, count_children(root(test)), nr);
}

/* Entry @k of table @i is [@off, @off + @len) of the root at @pgoff_bytes. */
static void expect_entry(struct kunit *test, int i, unsigned int k,
			 resource_size_t off, resource_size_t len,
			 resource_size_t pgoff_bytes)
{
	const struct dax_ranges *t = table(test, i);
	const struct dev_dax_range *r;

	KUNIT_ASSERT_LT_MSG(test, k, t->nr, "%s has no entry %u",
			    dax_test_names[i], k);
	r = &t->r[k];
	KUNIT_EXPECT_EQ_MSG(test, r->range.start, ROOT_START + off,
			    "%s[%u] start", dax_test_names[i], k);
	KUNIT_EXPECT_EQ_MSG(test, range_len(&r->range), len,
			    "%s[%u] length", dax_test_names[i], k);
	KUNIT_EXPECT_EQ_MSG(test, r->pgoff, PHYS_PFN(pgoff_bytes),
			    "%s[%u] page offset", dax_test_names[i], k);
}

static void expect_avail(struct kunit *test, resource_size_t avail)
{
	KUNIT_EXPECT_EQ(test, dax_space_available(root(test)), avail);
	expect_consistent(test);
}

static struct dax_test_snapshot *snapshot(struct kunit *test)
{
	struct dax_test_snapshot *s;
	struct resource *res;
	int i;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < NR_TABLES; i++) {
		const struct dax_ranges *t = table(test, i);

		s->t[i].nr = t->nr;
		if (!t->nr)
			continue;
		s->t[i].r = kunit_kmalloc_array(test, t->nr, sizeof(*t->r),
						GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, s->t[i].r);
		memcpy(s->t[i].r, t->r, t->nr * sizeof(*t->r));
	}
	for (res = root(test)->child; res; res = res->sibling) {
		KUNIT_ASSERT_LT(test, s->nr_res, MAX_RES);
		s->res[s->nr_res].start = res->start;
		s->res[s->nr_res++].end = res->end;
	}
	return s;
}

/* Nothing changed since @s was taken. */
static void expect_unchanged(struct kunit *test,
			     const struct dax_test_snapshot *s)
{
	struct resource *res;
	unsigned int k = 0;
	int i;

	for (i = 0; i < NR_TABLES; i++) {
		const struct dax_ranges *t = table(test, i);

		KUNIT_ASSERT_EQ_MSG(test, t->nr, s->t[i].nr, "%s entries",
				    dax_test_names[i]);
		if (t->nr)
			KUNIT_EXPECT_MEMEQ(test, t->r, s->t[i].r,
					   t->nr * sizeof(*t->r));
	}
	for (res = root(test)->child; res; res = res->sibling, k++) {
		KUNIT_ASSERT_LT(test, k, s->nr_res);
		KUNIT_EXPECT_EQ(test, res->start, s->res[k].start);
		KUNIT_EXPECT_EQ(test, res->end, s->res[k].end);
	}
	KUNIT_EXPECT_EQ(test, k, s->nr_res);
	expect_consistent(test);
}

static void expect_first_gap(struct kunit *test, resource_size_t align,
			     resource_size_t off, resource_size_t len)
{
	struct range gap;

	KUNIT_ASSERT_EQ(test, dax_space_first_gap(root(test), align, &gap), 0);
	KUNIT_EXPECT_EQ(test, gap.start, ROOT_START + off);
	KUNIT_EXPECT_EQ(test, range_len(&gap), len);
}

static void test_empty_region(struct kunit *test)
{
	struct range gap;

	expect_avail(test, GB(1));
	expect_first_gap(test, SZ_4K, 0, GB(1));
	expect_first_gap(test, SZ_2M, 0, GB(1));
	expect_first_gap(test, SZ_1G, 0, GB(1));
	KUNIT_EXPECT_EQ(test, dax_space_first_gap(root(test), 0, &gap), -EINVAL);
	KUNIT_EXPECT_EQ(test, dax_space_first_gap(root(test), MB(3), &gap),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dax_ranges_size(table(test, A)), 0);
	KUNIT_EXPECT_TRUE(test, dax_ranges_aligned(table(test, A), SZ_1G));
	KUNIT_EXPECT_EQ(test, to_phys(test, A, 0, PAGE_SIZE), NO_PHYS);
}

static void test_grow_from_empty(struct kunit *test)
{
	struct dax_test_snapshot *s = snapshot(test);

	KUNIT_EXPECT_EQ(test, grow(test, A, 0, SZ_2M), -EINVAL);
	KUNIT_EXPECT_EQ(test, grow(test, A, MB(3), SZ_2M), -EINVAL);
	KUNIT_EXPECT_EQ(test, grow(test, A, MB(2), 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, grow(test, A, MB(2), MB(3)), -EINVAL);
	KUNIT_EXPECT_EQ(test, grow(test, A, MB(512), SZ_1G), -EINVAL);
	expect_unchanged(test, s);

	KUNIT_ASSERT_EQ(test, grow(test, A, MB(256), SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, table(test, A)->nr, 1);
	expect_entry(test, A, 0, 0, MB(256), 0);
	KUNIT_EXPECT_EQ(test, dax_ranges_size(table(test, A)), MB(256));
	expect_avail(test, MB(768));
	expect_first_gap(test, SZ_2M, MB(256), MB(768));
}

static void test_grow_extends_last_in_place(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, grow(test, A, MB(256), SZ_2M), 0);
	KUNIT_ASSERT_EQ(test, grow(test, A, MB(128), SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, table(test, A)->nr, 1);
	expect_entry(test, A, 0, 0, MB(384), 0);
	expect_avail(test, MB(640));

	/* b takes the space after a: a cannot extend any more */
	KUNIT_ASSERT_EQ(test, grow(test, B, MB(64), SZ_2M), 0);
	expect_entry(test, B, 0, MB(384), MB(64), 0);
	KUNIT_ASSERT_EQ(test, grow(test, A, MB(64), SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, table(test, A)->nr, 2);
	expect_entry(test, A, 1, MB(448), MB(64), MB(384));
	expect_avail(test, MB(512));

	/* but its new last entry extends again */
	KUNIT_ASSERT_EQ(test, grow(test, A, MB(64), SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, table(test, A)->nr, 2);
	expect_entry(test, A, 0, 0, MB(384), 0);
	expect_entry(test, A, 1, MB(448), MB(128), MB(384));
	expect_avail(test, MB(448));
}

/* a, b, c and d take 256M each, then b and d are deleted. */
static void setup_two_holes(struct kunit *test)
{
	int i;

	for (i = 0; i < NR_TABLES; i++) {
		KUNIT_ASSERT_EQ(test, grow(test, i, MB(256), SZ_2M), 0);
		expect_entry(test, i, 0, i * MB(256), MB(256), 0);
	}
	expect_avail(test, 0);
	KUNIT_EXPECT_EQ(test, grow(test, B, SZ_2M, SZ_2M), -ENOSPC);
	shrink(test, B, 0);
	shrink(test, D, 0);
	KUNIT_EXPECT_EQ(test, table(test, B)->nr, 0);
	KUNIT_EXPECT_EQ(test, table(test, D)->nr, 0);
	expect_avail(test, MB(512));
	expect_first_gap(test, SZ_2M, MB(256), MB(256));
}

static void test_grow_discontiguous(struct kunit *test)
{
	setup_two_holes(test);

	/* a ends where b's hole starts: it extends in place */
	KUNIT_ASSERT_EQ(test, grow(test, A, MB(128), SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, table(test, A)->nr, 1);
	expect_entry(test, A, 0, 0, MB(384), 0);
	expect_avail(test, MB(384));

	/*
	 * c takes the rest of b's hole, then d's: its last entry is then the
	 * one in b's hole, which does not touch d's, so a third entry starts.
	 */
	KUNIT_ASSERT_EQ(test, grow(test, C, MB(256), SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, table(test, C)->nr, 3);
	expect_entry(test, C, 0, MB(512), MB(256), 0);
	expect_entry(test, C, 1, MB(384), MB(128), MB(256));
	expect_entry(test, C, 2, MB(768), MB(128), MB(384));
	expect_avail(test, MB(128));
	KUNIT_EXPECT_EQ(test, to_phys(test, C, MB(256), PAGE_SIZE),
			ROOT_START + MB(384));
	KUNIT_EXPECT_EQ(test, to_phys(test, C, MB(384), PAGE_SIZE),
			ROOT_START + MB(768));

	/* a new b gets what is left at the end */
	KUNIT_ASSERT_EQ(test, grow(test, B, MB(128), SZ_2M), 0);
	expect_entry(test, B, 0, MB(896), MB(128), 0);
	expect_avail(test, 0);
}

static void test_grow_first_fit_from_region_start(struct kunit *test)
{
	setup_two_holes(test);

	/* a's space, at the start of the region, is the first fit */
	shrink(test, A, 0);
	expect_avail(test, MB(768));
	KUNIT_ASSERT_EQ(test, grow(test, D, MB(128), SZ_2M), 0);
	expect_entry(test, D, 0, 0, MB(128), 0);

	/* the gap does not follow c's last entry: c appends */
	KUNIT_ASSERT_EQ(test, grow(test, C, MB(384), SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, table(test, C)->nr, 2);
	expect_entry(test, C, 0, MB(512), MB(256), 0);
	expect_entry(test, C, 1, MB(128), MB(384), MB(256));
	expect_avail(test, MB(256));
	expect_first_gap(test, SZ_2M, MB(768), MB(256));
}

/* a gets three 64M entries, interleaved with b's two. */
static void setup_interleaved(struct kunit *test)
{
	int i;

	for (i = 0; i < 5; i++)
		KUNIT_ASSERT_EQ(test, grow(test, i % 2 ? B : A, MB(64), SZ_2M),
				0);
	KUNIT_ASSERT_EQ(test, table(test, A)->nr, 3);
	expect_entry(test, A, 0, 0, MB(64), 0);
	expect_entry(test, A, 1, MB(128), MB(64), MB(64));
	expect_entry(test, A, 2, MB(256), MB(64), MB(128));
	expect_entry(test, B, 1, MB(192), MB(64), MB(64));
	expect_avail(test, MB(704));
}

static void test_shrink(struct kunit *test)
{
	struct dax_test_snapshot *s;

	setup_interleaved(test);
	s = snapshot(test);
	shrink(test, A, MB(192));
	expect_unchanged(test, s);

	/* trim the last entry */
	shrink(test, A, MB(160));
	KUNIT_EXPECT_EQ(test, table(test, A)->nr, 3);
	expect_entry(test, A, 2, MB(256), MB(32), MB(128));
	expect_avail(test, MB(736));

	/* release the last entry and the next one whole */
	shrink(test, A, MB(64));
	KUNIT_EXPECT_EQ(test, table(test, A)->nr, 1);
	expect_entry(test, A, 0, 0, MB(64), 0);
	expect_avail(test, MB(832));

	/* trim the only entry, then release it */
	shrink(test, A, MB(32));
	expect_entry(test, A, 0, 0, MB(32), 0);
	expect_avail(test, MB(864));
	shrink(test, A, 0);
	KUNIT_EXPECT_EQ(test, table(test, A)->nr, 0);
	KUNIT_EXPECT_NULL(test, table(test, A)->r);
	expect_avail(test, MB(896));

	/* exactly at an entry boundary, nothing is trimmed */
	shrink(test, B, MB(64));
	KUNIT_EXPECT_EQ(test, table(test, B)->nr, 1);
	expect_entry(test, B, 0, MB(64), MB(64), 0);
	expect_avail(test, MB(960));

	/* growth goes to the released space first, then extends in place */
	KUNIT_ASSERT_EQ(test, grow(test, B, MB(32), SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, table(test, B)->nr, 2);
	expect_entry(test, B, 1, 0, MB(32), MB(64));
	KUNIT_ASSERT_EQ(test, grow(test, B, MB(64), SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, table(test, B)->nr, 3);
	expect_entry(test, B, 1, 0, MB(64), MB(64));
	expect_entry(test, B, 2, MB(128), MB(32), MB(128));
	expect_avail(test, MB(864));
}

static void test_fragmentation(struct kunit *test)
{
	unsigned int k;

	/* a and b take 2M in turns: 16 entries each, none adjacent */
	for (k = 0; k < 16; k++) {
		KUNIT_ASSERT_EQ(test, grow(test, A, MB(2), SZ_2M), 0);
		KUNIT_ASSERT_EQ(test, grow(test, B, MB(2), SZ_2M), 0);
	}
	KUNIT_EXPECT_EQ(test, table(test, A)->nr, 16);
	KUNIT_EXPECT_EQ(test, table(test, B)->nr, 16);
	expect_avail(test, MB(960));

	/* c fills b's 16 holes, and its last one extends into the tail */
	shrink(test, B, 0);
	expect_avail(test, MB(992));
	KUNIT_ASSERT_EQ(test, grow(test, C, MB(40), SZ_2M), 0);
	KUNIT_ASSERT_EQ(test, table(test, C)->nr, 16);
	for (k = 0; k < 16; k++) {
		resource_size_t off = k * MB(4) + MB(2);
		resource_size_t len = k < 15 ? MB(2) : MB(10);

		expect_entry(test, C, k, off, len, k * MB(2));
		KUNIT_EXPECT_EQ_MSG(test,
				    to_phys(test, C, k * MB(2), PAGE_SIZE),
				    ROOT_START + off, "c[%u] first page", k);
		KUNIT_EXPECT_EQ_MSG(test,
				    to_phys(test, C, k * MB(2) + len - PAGE_SIZE,
					    PAGE_SIZE),
				    ROOT_START + off + len - PAGE_SIZE,
				    "c[%u] last page", k);
	}
	KUNIT_EXPECT_EQ(test, to_phys(test, C, MB(40), PAGE_SIZE), NO_PHYS);
	expect_avail(test, MB(952));

	/* give back the extended entry: a's last one can then extend */
	shrink(test, C, MB(30));
	KUNIT_EXPECT_EQ(test, table(test, C)->nr, 15);
	KUNIT_ASSERT_EQ(test, grow(test, A, MB(4), SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, table(test, A)->nr, 16);
	expect_entry(test, A, 15, MB(60), MB(6), MB(30));
	expect_avail(test, MB(958));
}

static void test_alignment(struct kunit *test)
{
	struct dax_test_snapshot *s;
	struct range gap;

	set_root_size(test, GB(4));
	KUNIT_ASSERT_EQ(test, grow(test, A, MB(2), SZ_2M), 0);
	expect_first_gap(test, SZ_2M, MB(2), GB(4) - MB(2));
	expect_first_gap(test, SZ_1G, GB(1), GB(3));

	/* a 1G instance skips the partly used first gigabyte */
	KUNIT_ASSERT_EQ(test, grow(test, B, GB(1), SZ_1G), 0);
	expect_entry(test, B, 0, GB(1), GB(1), 0);
	KUNIT_ASSERT_EQ(test, grow(test, C, MB(2), SZ_2M), 0);
	expect_entry(test, C, 0, MB(2), MB(2), 0);

	/* the aligned gap after b is at 2G, the same b extends into it */
	KUNIT_ASSERT_EQ(test, grow(test, B, GB(1), SZ_1G), 0);
	KUNIT_EXPECT_EQ(test, table(test, B)->nr, 1);
	expect_entry(test, B, 0, GB(1), GB(2), 0);

	/* d spoils the last gigabyte: 2G - 6M are free, no aligned 1G block */
	KUNIT_ASSERT_EQ(test, claim(test, D, GB(4) - MB(2), MB(2), SZ_2M), 0);
	expect_avail(test, GB(2) - MB(6));
	KUNIT_EXPECT_EQ(test, dax_space_first_gap(root(test), SZ_1G, &gap),
			-ENOSPC);
	s = snapshot(test);
	KUNIT_EXPECT_EQ(test, grow(test, B, GB(1), SZ_1G), -ENOSPC);
	expect_unchanged(test, s);

	/* 2M growth still fits, first fit below b */
	KUNIT_ASSERT_EQ(test, grow(test, A, MB(2), SZ_2M), 0);
	expect_entry(test, A, 1, MB(4), MB(2), MB(2));

	KUNIT_EXPECT_TRUE(test, dax_ranges_aligned(table(test, B), SZ_1G));
	KUNIT_EXPECT_FALSE(test, dax_ranges_aligned(table(test, A), SZ_1G));
	KUNIT_EXPECT_TRUE(test, dax_ranges_aligned(table(test, A), SZ_2M));
	KUNIT_EXPECT_TRUE(test, dax_ranges_aligned(table(test, A), SZ_4K));
	KUNIT_EXPECT_FALSE(test, dax_ranges_aligned(table(test, D), SZ_1G));
	expect_avail(test, GB(2) - MB(8));
}

static void test_alignment_4k_gap(struct kunit *test)
{
	/* a 4K piece leaves a gap whose start rounds up for 2M */
	KUNIT_ASSERT_EQ(test, grow(test, A, SZ_4K, SZ_4K), 0);
	expect_first_gap(test, SZ_4K, SZ_4K, GB(1) - SZ_4K);
	expect_first_gap(test, SZ_2M, MB(2), GB(1) - MB(2));
	KUNIT_ASSERT_EQ(test, grow(test, B, MB(2), SZ_2M), 0);
	expect_entry(test, B, 0, MB(2), MB(2), 0);

	/* a 4K instance takes the space right after a, in place */
	KUNIT_ASSERT_EQ(test, grow(test, A, SZ_4K, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, table(test, A)->nr, 1);
	expect_entry(test, A, 0, 0, SZ_8K, 0);
	KUNIT_EXPECT_FALSE(test, dax_ranges_aligned(table(test, A), SZ_2M));
	expect_avail(test, GB(1) - MB(2) - SZ_8K);
}

static void test_exhaustion(struct kunit *test)
{
	struct dax_test_snapshot *s;

	/* not enough free space at all: refused before anything moves */
	KUNIT_ASSERT_EQ(test, grow(test, A, MB(768), SZ_2M), 0);
	s = snapshot(test);
	KUNIT_EXPECT_EQ(test, grow(test, B, MB(512), SZ_2M), -ENOSPC);
	KUNIT_EXPECT_EQ(test, grow(test, A, MB(258), SZ_2M), -ENOSPC);
	expect_unchanged(test, s);
	KUNIT_ASSERT_EQ(test, grow(test, A, MB(256), SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, grow(test, A, MB(2), SZ_2M), -ENOSPC);
	expect_avail(test, 0);
}

static void test_rollback_after_extend(struct kunit *test)
{
	struct dax_test_snapshot *s;

	/*
	 * b may extend in place into [2G, 3G), but no other 1G block is
	 * free although 3G - 4M are: the extension must be undone.
	 */
	set_root_size(test, GB(4));
	KUNIT_ASSERT_EQ(test, grow(test, A, MB(2), SZ_2M), 0);
	KUNIT_ASSERT_EQ(test, grow(test, B, GB(1), SZ_1G), 0);
	KUNIT_ASSERT_EQ(test, claim(test, C, GB(3), MB(2), SZ_2M), 0);
	expect_avail(test, GB(3) - MB(4));
	s = snapshot(test);
	KUNIT_EXPECT_EQ(test, grow(test, B, GB(2), SZ_1G), -ENOSPC);
	expect_unchanged(test, s);
	expect_entry(test, B, 0, GB(1), GB(1), 0);
}

static void test_rollback_after_append(struct kunit *test)
{
	struct dax_test_snapshot *s;

	/* b gets a second entry at 3G, then finds nothing: both undone */
	set_root_size(test, GB(4));
	KUNIT_ASSERT_EQ(test, grow(test, A, MB(2), SZ_2M), 0);
	KUNIT_ASSERT_EQ(test, grow(test, B, GB(1), SZ_1G), 0);
	KUNIT_ASSERT_EQ(test, claim(test, C, GB(3) - MB(2), MB(2), SZ_2M), 0);
	s = snapshot(test);
	KUNIT_EXPECT_EQ(test, grow(test, B, GB(2), SZ_1G), -ENOSPC);
	expect_unchanged(test, s);

	/* from empty, the table's array is freed again */
	s = snapshot(test);
	KUNIT_EXPECT_EQ(test, grow(test, D, GB(2), SZ_1G), -ENOSPC);
	expect_unchanged(test, s);
	KUNIT_EXPECT_NULL(test, table(test, D)->r);

	KUNIT_ASSERT_EQ(test, grow(test, B, GB(1), SZ_1G), 0);
	KUNIT_EXPECT_EQ(test, table(test, B)->nr, 2);
	expect_entry(test, B, 1, GB(3), GB(1), GB(1));
	expect_avail(test, GB(2) - MB(4));
}

static void test_claim(struct kunit *test)
{
	struct dax_test_snapshot *s;
	struct range bad;

	KUNIT_ASSERT_EQ(test, claim(test, A, MB(512), MB(256), SZ_2M), 0);
	expect_entry(test, A, 0, MB(512), MB(256), 0);

	/* never merged, even right after the last entry */
	KUNIT_ASSERT_EQ(test, claim(test, A, MB(768), MB(32), SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, table(test, A)->nr, 2);
	expect_entry(test, A, 1, MB(768), MB(32), MB(256));
	expect_avail(test, MB(736));

	s = snapshot(test);
	KUNIT_EXPECT_EQ(test, claim(test, B, MB(704), MB(192), SZ_2M),
			-EADDRINUSE);
	KUNIT_EXPECT_EQ(test, claim(test, B, MB(798), MB(4), SZ_2M),
			-EADDRINUSE);
	KUNIT_EXPECT_EQ(test, claim(test, B, MB(510), MB(4), SZ_2M),
			-EADDRINUSE);
	KUNIT_EXPECT_EQ(test, claim(test, B, 0, GB(1), SZ_2M), -EADDRINUSE);
	KUNIT_EXPECT_EQ(test, claim(test, B, GB(1) - MB(2), MB(4), SZ_2M),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, claim(test, B, GB(1), MB(2), SZ_2M), -ERANGE);
	KUNIT_EXPECT_EQ(test, claim(test, B, -MB(2), MB(4), SZ_2M), -ERANGE);
	KUNIT_EXPECT_EQ(test, claim(test, B, SZ_4K, MB(2), SZ_2M), -EINVAL);
	KUNIT_EXPECT_EQ(test, claim(test, B, 0, MB(3), SZ_2M), -EINVAL);
	KUNIT_EXPECT_EQ(test, claim(test, B, 0, MB(2), 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, claim(test, B, 0, GB(1), SZ_1G), -EADDRINUSE);
	bad = (struct range) { ROOT_START + MB(4), ROOT_START + MB(2) - 1 };
	KUNIT_EXPECT_EQ(test, dax_ranges_claim(root(test), table(test, B),
					       &bad, SZ_2M, "b"), -EINVAL);
	bad.end = bad.start - 1;
	KUNIT_EXPECT_EQ(test, dax_ranges_claim(root(test), table(test, B),
					       &bad, SZ_2M, "b"), -EINVAL);
	expect_unchanged(test, s);

	/* adjacent on both sides is fine */
	KUNIT_ASSERT_EQ(test, claim(test, B, MB(800), MB(2), SZ_2M), 0);
	KUNIT_ASSERT_EQ(test, claim(test, B, MB(510), MB(2), SZ_2M), 0);
	expect_entry(test, B, 1, MB(510), MB(2), MB(2));
	expect_avail(test, MB(732));

	/* growth after a claim still goes first fit */
	KUNIT_ASSERT_EQ(test, grow(test, B, MB(2), SZ_2M), 0);
	expect_entry(test, B, 2, 0, MB(2), MB(4));
	expect_avail(test, MB(730));
}

static void test_to_phys_edges(struct kunit *test)
{
	/* a: [512M, 768M) at page offset 0, then [0, 256M) at 256M */
	KUNIT_ASSERT_EQ(test, claim(test, A, MB(512), MB(256), SZ_2M), 0);
	KUNIT_ASSERT_EQ(test, claim(test, A, 0, MB(256), SZ_2M), 0);

	KUNIT_EXPECT_EQ(test, to_phys(test, A, 0, PAGE_SIZE),
			ROOT_START + MB(512));
	KUNIT_EXPECT_EQ(test, to_phys(test, A, 0, 0), ROOT_START + MB(512));
	KUNIT_EXPECT_EQ(test, to_phys(test, A, 0, MB(256)),
			ROOT_START + MB(512));
	KUNIT_EXPECT_EQ(test, to_phys(test, A, 0, MB(256) + PAGE_SIZE),
			NO_PHYS);
	KUNIT_EXPECT_EQ(test, to_phys(test, A, MB(256) - PAGE_SIZE, PAGE_SIZE),
			ROOT_START + MB(768) - PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, to_phys(test, A, MB(256) - MB(2), MB(2)),
			ROOT_START + MB(766));

	/* a size crossing into the next entry */
	KUNIT_EXPECT_EQ(test, to_phys(test, A, MB(256) - PAGE_SIZE,
				      2 * PAGE_SIZE), NO_PHYS);
	KUNIT_EXPECT_EQ(test, to_phys(test, A, MB(255), MB(2)), NO_PHYS);

	KUNIT_EXPECT_EQ(test, to_phys(test, A, MB(256), PAGE_SIZE), ROOT_START);
	KUNIT_EXPECT_EQ(test, to_phys(test, A, MB(512) - PAGE_SIZE, PAGE_SIZE),
			ROOT_START + MB(256) - PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, to_phys(test, A, MB(512) - PAGE_SIZE,
				      2 * PAGE_SIZE), NO_PHYS);

	/* one page past the end, and far past it */
	KUNIT_EXPECT_EQ(test, to_phys(test, A, MB(512), PAGE_SIZE), NO_PHYS);
	KUNIT_EXPECT_EQ(test, dax_ranges_to_phys(table(test, A), ULONG_MAX,
						 PAGE_SIZE), NO_PHYS);
	KUNIT_EXPECT_EQ(test, to_phys(test, B, 0, PAGE_SIZE), NO_PHYS);
	expect_avail(test, MB(512));
}

static int dax_ranges_test_init(struct kunit *test)
{
	struct dax_test_ctx *c;

	if (!IS_ENABLED(CONFIG_PHYS_ADDR_T_64BIT))
		kunit_skip(test, "needs 64-bit physical addresses");
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->root = DEFINE_RES_MEM_NAMED(ROOT_START, GB(1), "dax_ranges_kunit");
	test->priv = c;
	return 0;
}

static void dax_ranges_test_exit(struct kunit *test)
{
	struct dax_test_ctx *c = ctx(test);
	int i;

	if (!c)
		return;
	for (i = 0; i < NR_TABLES; i++)
		shrink(test, i, 0);
	KUNIT_EXPECT_NULL(test, c->root.child);
	KUNIT_EXPECT_EQ(test, dax_space_available(&c->root),
			resource_size(&c->root));
}

static struct kunit_case dax_ranges_test_cases[] = {
	KUNIT_CASE(test_empty_region),
	KUNIT_CASE(test_grow_from_empty),
	KUNIT_CASE(test_grow_extends_last_in_place),
	KUNIT_CASE(test_grow_discontiguous),
	KUNIT_CASE(test_grow_first_fit_from_region_start),
	KUNIT_CASE(test_shrink),
	KUNIT_CASE(test_fragmentation),
	KUNIT_CASE(test_alignment),
	KUNIT_CASE(test_alignment_4k_gap),
	KUNIT_CASE(test_exhaustion),
	KUNIT_CASE(test_rollback_after_extend),
	KUNIT_CASE(test_rollback_after_append),
	KUNIT_CASE(test_claim),
	KUNIT_CASE(test_to_phys_edges),
	{}
};

static struct kunit_suite dax_ranges_test_suite = {
	.name = "dax_ranges",
	.init = dax_ranges_test_init,
	.exit = dax_ranges_test_exit,
	.test_cases = dax_ranges_test_cases,
};

kunit_test_suite(dax_ranges_test_suite);

MODULE_DESCRIPTION("KUnit tests for the device-dax range allocator");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
