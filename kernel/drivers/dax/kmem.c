// SPDX-License-Identifier: GPL-2.0-only
/*
 * kmem: give the memory of a dax instance to the kernel as System RAM.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/kmemleak.h>
#include <linux/memory.h>
#include <linux/memory-tiers.h>
#include <linux/memory_hotplug.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/range.h>
#include <linux/slab.h>
#include "dax-private.h"
#include "bus.h"

/**
 * DOC: kmem overview
 *
 * Binding an instance to kmem hot-plugs each of its ranges as memory of
 * the instance's target node, in one static memory group per instance.
 * The memory arrives offline or online according to the system's
 * auto-online policy; userspace (daxctl) onlines it through the memory
 * block devices otherwise.
 *
 * Hot-plug works in whole memory blocks, so every range is trimmed
 * inwards to memory_block_size_bytes() boundaries first.  A range left
 * empty is skipped with a warning; an instance left with nothing is
 * refused.
 *
 * Each trimmed range is first claimed in iomem_resource under the
 * instance's name and then added below that claim as "System RAM (kmem)",
 * which marks it driver managed: a kexec'd kernel does not take it for
 * ordinary RAM.  The first range that cannot be added fails the probe,
 * but once one range is in, later failures only skip their range: memory
 * already added may be online and in use, and must not be pulled back.
 *
 * The target node gets a memory type (for memory tiering) of abstract
 * distance MEMTIER_DEFAULT_DAX_ADISTANCE, unless the platform computes
 * another one.  Types are shared by every instance of the same distance
 * and released when the module goes.
 *
 * Unbinding removes every range.  Removal fails while a memory block of
 * the range is online: userspace offlines the memory first.  Such a range stays System
 * RAM, its claim stays in iomem_resource, and the per-instance data and
 * memory type that describe it are kept on purpose until the next boot;
 * the unbind itself still completes, as the driver core requires.
 */

/*
 * Abstract distance for a node that the platform says nothing about:
 * slower than DRAM, so that the memory lands in a lower tier.
 */
#define MEMTIER_DEFAULT_DAX_ADISTANCE	(MEMTIER_ADISTANCE_DRAM * 5)

/*
 * The hot-plugged resources are named after this string, and they can
 * outlive the module when a removal fails, so the name must not live in
 * the module's own read-only data.
 */
#define KMEM_RESOURCE_NAME	"System RAM (kmem)"
static const char *kmem_res_name;
/* some memory stays plugged in and still points at kmem_res_name */
static bool kmem_ram_kept;

static DEFINE_MUTEX(kmem_types_lock);
static LIST_HEAD(kmem_types);

/**
 * struct dax_kmem_data - what kmem keeps for a bound instance
 * @mtype: memory type set on @nid, or NULL if none was set
 * @name: the instance's name, owner of the iomem claims in @res
 * @nid: node the memory was added to
 * @mgid: the static memory group of the instance, or -1
 * @nr: number of entries in @res, one per range of the instance
 * @res: claim of each trimmed range that was added, or NULL
 *
 * Freed on unbind, unless some range could not be removed: then it is
 * kept, since that memory is still System RAM described by it.
 */
struct dax_kmem_data {
	struct memory_dev_type *mtype;
	const char *name;
	int nid;
	int mgid;
	unsigned int nr;
	struct resource *res[] __counted_by(nr);
};

/* Trim @dr to memory block boundaries in @r; false if nothing is left. */
static bool kmem_range(const struct dev_dax_range *dr, struct range *r)
{
	u64 block = memory_block_size_bytes();
	u64 end = ALIGN_DOWN(dr->range.end + 1, block);

	r->start = ALIGN(dr->range.start, block);
	if (end <= r->start)
		return false;
	r->end = end - 1;
	return true;
}

/* Sum of the trimmed ranges, warning about each range that vanishes. */
static u64 kmem_usable_size(struct dev_dax *dev_dax)
{
	const struct dax_ranges *t = &dev_dax->ranges;
	struct range r;
	u64 total = 0;
	unsigned int i;

	for (i = 0; i < t->nr; i++) {
		if (kmem_range(&t->r[i], &r)) {
			total += range_len(&r);
			continue;
		}
		dev_warn(&dev_dax->dev,
			 "range %u (%#llx-%#llx) holds no whole memory block, skipped\n",
			 i, t->r[i].range.start, t->r[i].range.end);
	}
	return total;
}

static struct memory_dev_type *kmem_memory_type(int nid)
{
	int adist = MEMTIER_DEFAULT_DAX_ADISTANCE;

	mt_calc_adistance(nid, &adist);
	guard(mutex)(&kmem_types_lock);
	return mt_find_alloc_memory_type(adist, &kmem_types);
}

static void kmem_put_memory_types(void)
{
	guard(mutex)(&kmem_types_lock);
	mt_put_memory_types(&kmem_types);
}

/* Drop a claim of kmem_add_range(): not busy, so release_resource() won't */
static void kmem_unclaim(struct resource *res)
{
	if (!res)
		return;
	remove_resource(res);
	kfree(res);
}

DEFINE_FREE(kmem_unclaim, struct resource *, kmem_unclaim(_T))

/* Undo kmem_data_alloc(); every range must be gone from System RAM. */
static void kmem_data_free(struct dax_kmem_data *data)
{
	if (IS_ERR_OR_NULL(data))
		return;
	if (data->mtype)
		clear_node_memory_type(data->nid, data->mtype);
	if (data->mgid >= 0)
		memory_group_unregister(data->mgid);
	kfree(data->name);
	kfree(data);
}

DEFINE_FREE(kmem_data, struct dax_kmem_data *, kmem_data_free(_T))

/*
 * Allocate the per-instance data, register the memory group for @size
 * bytes and set the node's memory type.  Returns the data or an ERR_PTR.
 */
static struct dax_kmem_data *kmem_data_alloc(struct dev_dax *dev_dax,
					     u64 size)
{
	struct dax_kmem_data *data __free(kmem_data) = NULL;
	unsigned int nr = dev_dax->ranges.nr;
	struct memory_dev_type *mtype;
	int nid = dev_dax->target_node;
	int mgid;

	mtype = kmem_memory_type(nid);
	if (IS_ERR(mtype))
		return ERR_CAST(mtype);

	data = kzalloc(struct_size(data, res, nr), GFP_KERNEL);
	if (!data)
		return ERR_PTR(-ENOMEM);
	data->nr = nr;
	data->nid = nid;
	data->mgid = -1;
	data->name = kstrdup(dev_name(&dev_dax->dev), GFP_KERNEL);
	if (!data->name)
		return ERR_PTR(-ENOMEM);

	mgid = memory_group_register_static(nid, PFN_UP(size));
	if (mgid < 0)
		return ERR_PTR(mgid);
	data->mgid = mgid;

	/* before any memory arrives, so the node joins the right tier */
	init_node_memory_type(nid, mtype);
	data->mtype = mtype;
	return no_free_ptr(data);
}

/**
 * kmem_add_range() - claim one trimmed range and add it as System RAM
 * @dev_dax: the instance being bound
 * @data: its kmem data, with the memory group registered
 * @i: index of the range, for messages
 * @r: the range, trimmed to memory block boundaries
 *
 * The claim is left non-busy, so that the memory resource that hot-plug
 * creates can nest below it.
 *
 * Return: the claim, or an ERR_PTR; on error nothing is left behind.
 */
static struct resource *kmem_add_range(struct dev_dax *dev_dax,
				       struct dax_kmem_data *data,
				       unsigned int i, const struct range *r)
{
	struct resource *res __free(kmem_unclaim) =
		request_mem_region(r->start, range_len(r), data->name);
	mhp_t flags = MHP_NID_IS_MGID;
	int rc;

	if (!res) {
		dev_warn(&dev_dax->dev, "range %u (%#llx-%#llx) is busy\n",
			 i, r->start, r->end);
		return ERR_PTR(-EBUSY);
	}
	res->flags = IORESOURCE_SYSTEM_RAM | IORESOURCE_SYSRAM_DRIVER_MANAGED;

	if (dev_dax->memmap_on_memory)
		flags |= MHP_MEMMAP_ON_MEMORY;
	rc = add_memory_driver_managed(data->mgid, r->start, range_len(r),
				       kmem_res_name, flags);
	if (rc) {
		dev_warn(&dev_dax->dev,
			 "range %u (%#llx-%#llx) not added as System RAM: %d\n",
			 i, r->start, r->end, rc);
		return ERR_PTR(rc);
	}
	return no_free_ptr(res);
}

/* Add every usable range; fail only if the first one to try fails. */
static int kmem_add_ranges(struct dev_dax *dev_dax, struct dax_kmem_data *data)
{
	unsigned int i, added = 0;
	struct resource *res;
	struct range r;

	for (i = 0; i < data->nr; i++) {
		if (!kmem_range(&dev_dax->ranges.r[i], &r))
			continue;
		res = kmem_add_range(dev_dax, data, i, &r);
		if (IS_ERR(res)) {
			if (!added)
				return PTR_ERR(res);
			continue;
		}
		data->res[i] = res;
		added++;
	}
	return added ? 0 : -EINVAL;
}

static int dev_dax_kmem_probe(struct dev_dax *dev_dax)
{
	struct dax_kmem_data *data __free(kmem_data) = NULL;
	int nid = dev_dax->target_node;
	u64 size;
	int rc;

	/* guessing a node would mix slow memory into a fast node */
	if (nid < 0 || nid >= MAX_NUMNODES || !node_possible(nid)) {
		dev_warn(&dev_dax->dev, "refused: invalid target node %d\n",
			 nid);
		return -EINVAL;
	}

	size = kmem_usable_size(dev_dax);
	if (!size) {
		dev_warn(&dev_dax->dev,
			 "refused: no whole memory block to hot-plug\n");
		return -EINVAL;
	}

	data = kmem_data_alloc(dev_dax, size);
	if (IS_ERR(data))
		return PTR_ERR(data);

	rc = kmem_add_ranges(dev_dax, data);
	if (rc)
		return rc;

	dev_set_drvdata(&dev_dax->dev, no_free_ptr(data));
	return 0;
}

#ifdef CONFIG_MEMORY_HOTREMOVE
/* Online memory is in use: refuse, as daxctl expects, rather than offline it */
static int kmem_unplug(const struct resource *res)
{
	return remove_memory(res->start, resource_size(res));
}
#else
static int kmem_unplug(const struct resource *res)
{
	return -EOPNOTSUPP;
}
#endif

/**
 * kmem_remove_range() - take one range out of System RAM
 * @dev_dax: the instance being unbound
 * @data: its kmem data
 * @i: index of the range
 *
 * Removes the range's memory blocks, which must be offline, and drops
 * the claim.  On failure (a block is still online) the claim stays.
 *
 * Return: true if the range is gone (or was never added), false if it
 * remains System RAM.
 */
static bool kmem_remove_range(struct dev_dax *dev_dax,
			      struct dax_kmem_data *data, unsigned int i)
{
	struct resource *res = data->res[i];
	int rc;

	if (!res)
		return true;

	rc = kmem_unplug(res);
	if (rc) {
		dev_err(&dev_dax->dev,
			"range %u (%#llx-%#llx) stays System RAM until reboot: %d\n",
			i, (u64)res->start, (u64)res->end, rc);
		return false;
	}
	kmem_unclaim(res);
	data->res[i] = NULL;
	return true;
}

static void dev_dax_kmem_remove(struct dev_dax *dev_dax)
{
	struct dax_kmem_data *data = dev_get_drvdata(&dev_dax->dev);
	unsigned int i, kept = 0;

	for (i = 0; i < data->nr; i++)
		kept += !kmem_remove_range(dev_dax, data, i);

	dev_set_drvdata(&dev_dax->dev, NULL);
	if (!kept) {
		kmem_data_free(data);
		return;
	}
	/* still describes memory in use; nothing points at it any more */
	kmemleak_not_leak(data);
	WRITE_ONCE(kmem_ram_kept, true);
}

static struct dax_device_driver dax_kmem_driver = {
	.type = DAXDRV_KMEM_TYPE,
	.probe = dev_dax_kmem_probe,
	.remove = dev_dax_kmem_remove,
};

static int __init dax_kmem_init(void)
{
	int rc;

	kmem_res_name = kstrdup(KMEM_RESOURCE_NAME, GFP_KERNEL);
	if (!kmem_res_name)
		return -ENOMEM;

	rc = dax_driver_register(&dax_kmem_driver);
	if (rc) {
		kmem_put_memory_types();
		kfree(kmem_res_name);
	}
	return rc;
}

static void __exit dax_kmem_exit(void)
{
	dax_driver_unregister(&dax_kmem_driver);
	kmem_put_memory_types();
	if (!READ_ONCE(kmem_ram_kept))
		kfree(kmem_res_name);
}

module_init(dax_kmem_init);
module_exit(dax_kmem_exit);
MODULE_DESCRIPTION("Device DAX: hot-plug dax instances as System RAM");
MODULE_LICENSE("GPL");
MODULE_ALIAS_DAX_DEVICE(0);
