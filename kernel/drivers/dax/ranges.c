// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device-dax range allocation: the physical ranges of the instances of a
 * region, kept free of struct device so that KUnit can drive it alone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/minmax.h>
#include <linux/pfn.h>
#include <linux/range.h>
#include <linux/slab.h>
#include <kunit/visibility.h>
#include "dax-private.h"

/**
 * DOC: Range allocation
 *
 * Two structures describe where the memory of a region's instances lives.
 *
 * The region's span is a struct resource, the root, which is never
 * inserted into iomem_resource.  Each piece of memory that an instance
 * owns is one busy child of the root, requested with __request_region()
 * under the instance's name.  The children never overlap, so the free
 * space of the region is exactly the space between them, and the
 * available size is the root's size minus the children's.
 *
 * Each instance has a range table, &struct dax_ranges.  Entry i covers one
 * child of the root (&dev_dax_range.res, with the same start and end in
 * &dev_dax_range.range) and is mapped at page offset &dev_dax_range.pgoff
 * of the instance.  Entries are kept in increasing page offset order with
 * no hole in page offset space: entry 0 starts at page offset 0, and each
 * next entry starts where the previous one ends.  Physical order is free;
 * an instance that grew into holes may own ranges in any physical order.
 *
 * Growth follows the rule of the upstream device-dax core, so that the
 * same sysfs writes leave the same layout, which daxctl and the people
 * using it may rely on.  Growth is first fit: take the lowest free span of
 * the region that holds at least one aligned block; if the instance's last
 * entry ends right where that span starts, extend the last entry in place,
 * otherwise append a new entry at the span's start; repeat until the
 * request is met.  An entry is never extended if that would move the page
 * offsets of the entries after it, which is why only the last one may
 * grow.  Shrinking always takes from the end of the instance: whole
 * entries from the last one backwards, then the last remaining one is
 * trimmed.  An exact range asked for through the "mapping" attribute is
 * always a new entry.
 *
 * Every change is all or nothing: a failed growth gives back what it had
 * taken, so the table and the tree look as before the call.
 *
 * Nothing here locks.  The table and the root's children are protected by
 * dax_rwsem, which the callers hold (see DOC: Locking in dax-private.h);
 * the resource functions take resource_lock themselves.  The page fault
 * path reads a table without locks, which is safe because a table only
 * changes while no driver is bound to its instance.
 */

/* Alignments are powers of two: 4K, 2M or 1G in practice. */
static bool dax_align_ok(resource_size_t align)
{
	return align && !(align & (align - 1));
}

/**
 * dax_ranges_size() - total size of a range table
 * @t: the range table
 *
 * Context: Caller holds dax_rwsem, or the instance is bound to a driver.
 * Return: the sum of the lengths of @t's entries, 0 for an empty table.
 */
resource_size_t dax_ranges_size(const struct dax_ranges *t)
{
	resource_size_t size = 0;
	unsigned int i;

	for (i = 0; i < t->nr; i++)
		size += range_len(&t->r[i].range);
	return size;
}
EXPORT_SYMBOL_IF_KUNIT(dax_ranges_size);

/**
 * dax_space_available() - free space of a region
 * @root: the region's span, whose children are the allocated ranges
 *
 * Context: Caller holds dax_rwsem for read.
 * Return: the size of @root minus the sizes of its children.
 */
resource_size_t dax_space_available(const struct resource *root)
{
	resource_size_t size = resource_size(root);
	const struct resource *res;

	for (res = root->child; res; res = res->sibling)
		size -= resource_size(res);
	return size;
}
EXPORT_SYMBOL_IF_KUNIT(dax_space_available);

/* Fit the largest @align aligned block run into [@start, @end]. */
static bool dax_gap_fit(resource_size_t start, resource_size_t end,
			resource_size_t align, struct range *gap)
{
	resource_size_t first = ALIGN(start, align);

	if (first < start || first > end || end - first < align - 1)
		return false;
	gap->start = first;
	gap->end = first + round_down(end - first + 1, align) - 1;
	return true;
}

/**
 * dax_space_first_gap() - lowest free span of a region that can be used
 * @root: the region's span, whose children are the allocated ranges
 * @align: alignment of the start and the length of the span, a power of 2
 * @gap: filled with the span found
 *
 * Walks the free space of @root from its start and stops at the first
 * free span that still holds a block of @align bytes once its start is
 * rounded up to @align.  The span reported is that free span with its
 * start rounded up and its length rounded down to multiples of @align.
 *
 * Context: Caller holds dax_rwsem for read.
 * Return: 0 with @gap filled, -ENOSPC when no free span fits one block,
 * -EINVAL when @align is not a power of 2.
 */
int dax_space_first_gap(const struct resource *root, resource_size_t align,
			struct range *gap)
{
	resource_size_t start = root->start;
	const struct resource *res;

	if (!dax_align_ok(align))
		return -EINVAL;
	for (res = root->child; res; res = res->sibling) {
		if (res->start > start &&
		    dax_gap_fit(start, res->start - 1, align, gap))
			return 0;
		if (res->end >= root->end)
			return -ENOSPC;
		start = res->end + 1;
	}
	if (dax_gap_fit(start, root->end, align, gap))
		return 0;
	return -ENOSPC;
}
EXPORT_SYMBOL_IF_KUNIT(dax_space_first_gap);

/* Request [@start, @start + @n) from @root and append it to @t. */
static int dax_ranges_append(struct resource *root, struct dax_ranges *t,
			     resource_size_t start, resource_size_t n,
			     const char *name)
{
	unsigned long pgoff = PHYS_PFN(dax_ranges_size(t));
	struct dev_dax_range *r;
	struct resource *res;

	res = __request_region(root, start, n, name, 0);
	if (!res)
		return -ENOMEM;
	r = krealloc_array(t->r, t->nr + 1, sizeof(*r), GFP_KERNEL);
	if (!r) {
		__release_region(root, start, n);
		return -ENOMEM;
	}
	r[t->nr] = (struct dev_dax_range) {
		.pgoff = pgoff,
		.range = { .start = res->start, .end = res->end },
		.res = res,
	};
	t->r = r;
	t->nr++;
	pr_debug("%s: range %u is %pa-%pa at page offset %#lx\n", name,
		 t->nr - 1, &res->start, &res->end, pgoff);
	return 0;
}

/* Move the end of @t's last entry so that it is @len bytes long. */
static int dax_ranges_resize_last(struct dax_ranges *t, resource_size_t len)
{
	struct dev_dax_range *last = &t->r[t->nr - 1];
	int rc;

	rc = adjust_resource(last->res, last->range.start, len);
	if (rc)
		return rc;
	last->range.end = last->range.start + len - 1;
	pr_debug("%s: range %u is now %pa-%pa\n", last->res->name, t->nr - 1,
		 &last->res->start, &last->res->end);
	return 0;
}

/* One step of dax_ranges_grow(): take up to @left bytes of the first gap. */
static int dax_ranges_grow_step(struct resource *root, struct dax_ranges *t,
				resource_size_t *left, resource_size_t align,
				const char *name)
{
	struct dev_dax_range *last = t->nr ? &t->r[t->nr - 1] : NULL;
	resource_size_t n;
	struct range gap;
	int rc;

	rc = dax_space_first_gap(root, align, &gap);
	if (rc)
		return rc;
	n = min(range_len(&gap), *left);
	if (last && last->range.end + 1 == gap.start)
		rc = dax_ranges_resize_last(t, range_len(&last->range) + n);
	else
		rc = dax_ranges_append(root, t, gap.start, n, name);
	if (rc)
		return rc;
	*left -= n;
	return 0;
}

/**
 * dax_ranges_grow() - add space to a range table, first fit
 * @root: the region's span, whose children are the allocated ranges
 * @t: the range table of the instance
 * @size: bytes to add, a multiple of @align
 * @align: alignment of every piece taken, a power of 2
 * @name: name of the new resources, the instance's name; must outlive them
 *
 * Takes the lowest usable free span again and again (see
 * dax_space_first_gap()), extending @t's last entry in place when it ends
 * right before the span and appending a new entry otherwise, until @size
 * bytes were added.  The page offsets of existing entries do not change.
 * On failure everything taken is given back: @t and @root are as before.
 *
 * Context: Caller holds dax_rwsem for write.  Allocates, may sleep.
 * Return: 0 on success; -EINVAL if @size is 0 or not a multiple of @align,
 * or @align is not a power of 2; -ENOSPC if the region has not enough
 * suitably aligned free space; -ENOMEM.
 */
int dax_ranges_grow(struct resource *root, struct dax_ranges *t,
		    resource_size_t size, resource_size_t align,
		    const char *name)
{
	resource_size_t old = dax_ranges_size(t), left = size;
	int rc;

	if (!dax_align_ok(align) || !size || !IS_ALIGNED(size, align))
		return -EINVAL;
	if (size > dax_space_available(root))
		return -ENOSPC;
	while (left) {
		rc = dax_ranges_grow_step(root, t, &left, align, name);
		if (rc) {
			dax_ranges_shrink(root, t, old);
			return rc;
		}
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dax_ranges_grow);

/* Does any allocation of @root overlap @want? */
static bool dax_space_busy(const struct resource *root,
			   const struct range *want)
{
	const struct resource *res;

	for (res = root->child; res; res = res->sibling)
		if (res->start <= want->end && want->start <= res->end)
			return true;
	return false;
}

/**
 * dax_ranges_claim() - add an exact physical range to a range table
 * @root: the region's span, whose children are the allocated ranges
 * @t: the range table of the instance
 * @want: the physical range wanted, inclusive
 * @align: alignment of @want's start and length, a power of 2
 * @name: name of the new resource, the instance's name; must outlive it
 *
 * The range becomes a new last entry of @t, even when it directly follows
 * the current last entry.  @t and @root are unchanged on failure.
 *
 * Context: Caller holds dax_rwsem for write.  Allocates, may sleep.
 * Return: 0 on success; -EINVAL if @want is empty or inverted, its start
 * or length is not a multiple of @align, or @align is not a power of 2;
 * -ERANGE if @want is not entirely inside @root; -EADDRINUSE if it overlaps
 * an allocated range; -ENOMEM.
 */
int dax_ranges_claim(struct resource *root, struct dax_ranges *t,
		     const struct range *want, resource_size_t align,
		     const char *name)
{
	resource_size_t len = range_len(want);

	if (!dax_align_ok(align) || want->end < want->start || !len ||
	    !IS_ALIGNED(want->start, align) || !IS_ALIGNED(len, align))
		return -EINVAL;
	if (want->start < root->start || want->end > root->end)
		return -ERANGE;
	if (dax_space_busy(root, want))
		return -EADDRINUSE;
	return dax_ranges_append(root, t, want->start, len, name);
}
EXPORT_SYMBOL_IF_KUNIT(dax_ranges_claim);

/* Give the last entry of @t back to @root and forget it. */
static void dax_ranges_drop_last(struct resource *root, struct dax_ranges *t)
{
	struct dev_dax_range *last = &t->r[t->nr - 1];

	pr_debug("%s: range %u released\n", last->res->name, t->nr - 1);
	__release_region(root, last->range.start, range_len(&last->range));
	t->nr--;
}

/**
 * dax_ranges_shrink() - cut a range table down to a size, from its end
 * @root: the region's span, whose children are the allocated ranges
 * @t: the range table of the instance
 * @size: the new total size, at most the current one
 *
 * Releases whole entries from the last one backwards, then trims the last
 * remaining entry in place.  The entries' mapping devices must already be
 * detached by the caller.  The array of @t is freed when no entry is left.
 *
 * Context: Caller holds dax_rwsem for write.
 */
void dax_ranges_shrink(struct resource *root, struct dax_ranges *t,
		       resource_size_t size)
{
	resource_size_t cur = dax_ranges_size(t);

	if (WARN_ON_ONCE(size > cur))
		return;
	while (cur > size) {
		resource_size_t len = range_len(&t->r[t->nr - 1].range);

		if (cur - len < size) {
			WARN_ON_ONCE(dax_ranges_resize_last(t, len - (cur - size)));
			break;
		}
		dax_ranges_drop_last(root, t);
		cur -= len;
	}
	if (!t->nr) {
		kfree(t->r);
		t->r = NULL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(dax_ranges_shrink);

/**
 * dax_ranges_aligned() - do all entries of a range table fit an alignment?
 * @t: the range table
 * @align: the alignment, a power of 2
 *
 * Context: Caller holds dax_rwsem for read.
 * Return: true if the start and the length of every entry of @t are
 * multiples of @align (always true for an empty table).
 */
bool dax_ranges_aligned(const struct dax_ranges *t, resource_size_t align)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++) {
		const struct range *r = &t->r[i].range;

		if (!IS_ALIGNED(r->start, align) ||
		    !IS_ALIGNED(range_len(r), align))
			return false;
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(dax_ranges_aligned);

/**
 * dax_ranges_to_phys() - physical address of a page offset of an instance
 * @t: the range table of the instance
 * @pgoff: page offset in the instance
 * @size: bytes wanted from @pgoff on, all within one physical range
 *
 * Finds the entry holding @pgoff by binary search.  This runs on every
 * page fault of device_dax: it takes no lock and allocates nothing.
 *
 * Context: none; any context.  The table must not change meanwhile, which
 * holds while a driver is bound to the instance.
 * Return: the physical address of @pgoff, or (phys_addr_t)-1 if
 * [@pgoff, @pgoff + @size) is not inside one entry of @t.
 */
phys_addr_t dax_ranges_to_phys(const struct dax_ranges *t, pgoff_t pgoff,
			       unsigned long size)
{
	unsigned int lo = 0, hi = t->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct dev_dax_range *r = &t->r[mid];
		phys_addr_t phys;

		if (pgoff < r->pgoff) {
			hi = mid;
			continue;
		}
		if (pgoff - r->pgoff >= PHYS_PFN(range_len(&r->range))) {
			lo = mid + 1;
			continue;
		}
		phys = r->range.start + PFN_PHYS(pgoff - r->pgoff);
		if (size && r->range.end - phys < size - 1)
			break;
		return phys;
	}
	return (phys_addr_t)-1;
}
EXPORT_SYMBOL_IF_KUNIT(dax_ranges_to_phys);
