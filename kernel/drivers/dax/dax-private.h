/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Declarations shared by the files of the device-dax core (bus.c,
 * region.c, dev_dax.c, ranges.c) and the drivers built beside it.
 */
#ifndef __DAX_PRIVATE_H__
#define __DAX_PRIVATE_H__

#include <linux/device.h>
#include <linux/idr.h>
#include <linux/ioport.h>
#include <linux/kref.h>
#include <linux/pgtable.h>
#include <linux/range.h>
#include <linux/rwsem.h>
#include "bus.h"

/**
 * DOC: Locking
 *
 * Three locks guard the device-dax core, always taken in this order:
 *
 * 1. device_lock() of a dax instance (&dev_dax.dev).  The driver core holds
 *    it across probe and remove, so holding it pins "is a driver bound?".
 *    Every change to an instance's geometry (size, align, mapping,
 *    memmap_on_memory) and the delete of an instance hold it, and fail
 *    with -EBUSY when a driver is bound.
 *
 * 2. dax_rwsem, one reader/writer semaphore for the whole bus.  Held for
 *    write while a region's allocation tree (&dax_region.res and its
 *    children) or an instance's range table (&dev_dax.ranges,
 *    &dev_dax.nr_range) changes, and while a region's @seed, @youngest or
 *    @dead and an instance's @dead change.  Held for read by everything
 *    that walks them from sysfs.  Functions whose names start with "__"
 *    expect it held and assert so with lockdep.
 *
 * 3. dax_id_lock, a mutex for the new_id/remove_id lists of the drivers.
 *    Nothing else is taken under it.
 *
 * Two rules follow from the driver core.  First, no device is unregistered
 * while dax_rwsem is held: device_del() waits for running sysfs callbacks,
 * and those may be waiting for dax_rwsem.  Removal is therefore split into
 * a locked step that detaches the object (and marks it dead) and an
 * unlocked step that unregisters it.  A mappingN child is detached by
 * setting its @range_id to -1 under dax_rwsem and reaped afterwards by
 * whoever holds its instance's device lock, so two reapers never meet;
 * the reaper returns its mappingN number right after device_del(), and
 * new mappings are added under that same device lock, so the lowest free
 * name is always the one shown next.  new_id binds with
 * device_driver_attach() after dropping dax_id_lock (it takes the device
 * lock, which comes first).
 * Second, dax_rwsem is not held across device_add() of an instance,
 * because the bus probes the new device, and probe reads the range table.
 * Adding a mappingN child under dax_rwsem is allowed: it has no bus, and
 * adding waits for no sysfs callback.
 *
 * A region's attributes are removed first when its provider unbinds;
 * that waits for running "create" and "delete" writes, so after it no
 * instance can appear or be deleted behind the teardown's back.
 *
 * The fault path of device_dax reads the range table without any lock:
 * the table only changes while no driver is bound (rule 1), and the
 * driver's remove waits for every fault to finish (dax_read_lock() and
 * kill_dax()) before the instance can be resized again.
 */
extern struct rw_semaphore dax_rwsem;

/* the fs-dax core (super.c) */
struct dax_device;
struct inode *dax_inode(struct dax_device *dax_dev);
struct dax_device *inode_dax(struct inode *inode);
void run_dax(struct dax_device *dax_dev);
int dax_bus_init(void);
void dax_bus_exit(void);

/**
 * struct dax_region - a span of memory that dax instances are carved from
 * @id: region number, the X in daxX.Y
 * @target_node: NUMA node the memory joins when hot-plugged by kmem
 * @align: default alignment of new instances, and of the region itself
 * @kind: what kind of region this is, see &enum dax_region_kind
 * @kref: the region lives until its provider and every instance let go
 * @dev: the provider's device; region attributes appear in its
 *	dax_region/ directory
 * @res: the region's span; each allocated range of an instance is a child
 * @ida: instance ids of a dynamic region
 * @seed: the oldest instance created through "create" that no driver
 *	has successfully bound yet, or NULL
 * @youngest: the instance most recently created through "create"
 * @dead: the provider is tearing the region down; nothing new may start
 *
 * @res's children, @seed, @youngest and @dead are protected by dax_rwsem.
 */
struct dax_region {
	int id;
	int target_node;
	unsigned int align;
	enum dax_region_kind kind;
	struct kref kref;
	struct device *dev;
	struct resource res;
	struct ida ida;
	struct device *seed;
	struct device *youngest;
	bool dead;
};

/**
 * struct dax_mapping - the mappingN child device of an instance
 * @dev: device core; its parent is the instance
 * @id: the N in mappingN, from &dev_dax.ida; returned (-1) when the
 *	device is unregistered, not at its release, so that the name is
 *	free again as soon as its sysfs entry is gone
 * @dev_dax: the instance it belongs to
 * @range_id: index into &dev_dax.ranges, or -1 once detached
 *
 * @range_id is protected by dax_rwsem.
 */
struct dax_mapping {
	struct device dev;
	int id;
	struct dev_dax *dev_dax;
	int range_id;
};

/**
 * struct dev_dax_range - one physically contiguous piece of an instance
 * @pgoff: page offset of @range.start within the instance
 * @range: the physical span
 * @res: its allocation in the region's resource tree
 * @mapping: the mappingN device showing it, or NULL
 */
struct dev_dax_range {
	unsigned long pgoff;
	struct range range;
	struct resource *res;
	struct dax_mapping *mapping;
};

/**
 * struct dax_ranges - the range table of an instance
 * @nr: number of entries in @r
 * @r: entries in increasing @pgoff order, with no hole in pgoff space
 */
struct dax_ranges {
	unsigned int nr;
	struct dev_dax_range *r;
};

/**
 * struct dev_dax - a dax instance daxX.Y, and the driver state bound to it
 * @dev: device core, on the dax bus, parent &dax_region.dev
 * @region: the region the instance is carved from (holds a reference)
 * @dax_dev: the dax_device behind /dev/daxX.Y, alive only while bound
 * @align: mapping and allocation granularity: 4K, 2M or 1G
 * @target_node: NUMA node for kmem
 * @id: the Y in daxX.Y
 * @dyn_id: @id came from &dax_region.ida and is returned on release
 * @memmap_on_memory: kmem places the memmap in the hot-plugged memory
 * @dead: deleted or being unregistered; geometry changes answer -ENXIO
 * @ida: ids for the mappingN children
 * @pgmap: the page map; the provider's for a static region, otherwise
 *	set by the bound driver
 * @ranges: the physical ranges, protected by dax_rwsem (see DOC: Locking)
 */
struct dev_dax {
	struct device dev;
	struct dax_region *region;
	struct dax_device *dax_dev;
	unsigned int align;
	int target_node;
	int id;
	bool dyn_id;
	bool memmap_on_memory;
	bool dead;
	struct ida ida;
	struct dev_pagemap *pgmap;
	struct dax_ranges ranges;
};

static inline struct dev_dax *to_dev_dax(struct device *dev)
{
	return container_of(dev, struct dev_dax, dev);
}

static inline struct dax_mapping *to_dax_mapping(struct device *dev)
{
	return container_of(dev, struct dax_mapping, dev);
}

static inline bool dax_region_is_static(const struct dax_region *dax_region)
{
	return dax_region->kind == DAX_REGION_STATIC;
}

/* ranges.c: range allocation, free of struct device (see its DOC) */
resource_size_t dax_ranges_size(const struct dax_ranges *t);
resource_size_t dax_space_available(const struct resource *root);
int dax_space_first_gap(const struct resource *root, resource_size_t align,
			struct range *gap);
int dax_ranges_grow(struct resource *root, struct dax_ranges *t,
		    resource_size_t size, resource_size_t align,
		    const char *name);
int dax_ranges_claim(struct resource *root, struct dax_ranges *t,
		     const struct range *want, resource_size_t align,
		     const char *name);
void dax_ranges_shrink(struct resource *root, struct dax_ranges *t,
		       resource_size_t size);
bool dax_ranges_aligned(const struct dax_ranges *t, resource_size_t align);
phys_addr_t dax_ranges_to_phys(const struct dax_ranges *t, pgoff_t pgoff,
			       unsigned long size);

/* bus.c */
extern const struct bus_type dax_bus_type;

/* region.c */
void dax_region_put(struct dax_region *dax_region);

/* dev_dax.c */
extern const struct device_type dev_dax_type;
resource_size_t dev_dax_size(struct dev_dax *dev_dax);
void dev_dax_unregister(struct dev_dax *dev_dax);

static inline bool is_dev_dax(const struct device *dev)
{
	return dev->type == &dev_dax_type;
}

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
/**
 * dax_align_valid() - may an instance use this alignment?
 * @align: alignment in bytes
 *
 * Return: true for the base page size, and for the PMD and PUD sizes when
 * the kernel can map pages that large.
 */
static inline bool dax_align_valid(unsigned long align)
{
	if (align == PUD_SIZE)
		return IS_ENABLED(CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD);
	if (align == PMD_SIZE)
		return has_transparent_hugepage();
	return align == PAGE_SIZE;
}
#else
static inline bool dax_align_valid(unsigned long align)
{
	return align == PAGE_SIZE;
}
#endif

#endif /* __DAX_PRIVATE_H__ */
