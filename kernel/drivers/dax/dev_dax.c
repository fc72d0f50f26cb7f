// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: Instances
 *
 * An instance, daxX.Y, is the unit that drivers bind to: an ordered list of
 * physical ranges from one region (&struct dax_ranges), a mapping
 * alignment, and a dax_device whose inode backs /dev/daxX.Y.  Each range is
 * also shown as a child device, mappingN, with its start, end and
 * page_offset.
 *
 * While no driver is bound an administrator may change the geometry:
 * "size" grows or shrinks the instance (growth extends the last range in
 * place when the space after it is free and otherwise takes new ranges
 * first fit; shrinking gives back the last ranges first), "mapping" claims
 * one exact physical range, and "align" picks the page size.  The page
 * offset of a range never changes while the range exists, so data written
 * through /dev/daxX.Y stays where it was across a resize.
 *
 * Every rejected write returns a precise errno, leaves the instance as it
 * was and logs the reason with dev_dbg().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cleanup.h>
#include <linux/dax.h>
#include <linux/fs.h>
#include <linux/memory_hotplug.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "dax-private.h"

/* Sizes and range boundaries for @align: never finer than memremap_pages() needs */
static resource_size_t dax_granule(unsigned long align)
{
	return max_t(resource_size_t, align, memremap_compat_align());
}

/**
 * dev_dax_size() - the size of an instance
 * @dev_dax: the instance
 *
 * Context: takes dax_rwsem for read.
 * Return: the sum of the instance's range lengths.
 */
resource_size_t dev_dax_size(struct dev_dax *dev_dax)
{
	guard(rwsem_read)(&dax_rwsem);
	return dax_ranges_size(&dev_dax->ranges);
}

/**
 * static_dev_dax() - is this the fixed instance of a static region?
 * @dev_dax: the instance
 *
 * Return: true when the region's provider supplies the page map.
 */
bool static_dev_dax(struct dev_dax *dev_dax)
{
	return dax_region_is_static(dev_dax->region);
}
EXPORT_SYMBOL_GPL(static_dev_dax);

/**
 * dax_pgoff_to_phys() - physical address of a page offset of an instance
 * @dev_dax: a bound instance
 * @pgoff: page offset into the instance
 * @size: bytes that must be contiguous from there
 *
 * Context: any; lock free.  The range table does not change while a
 * driver is bound (see DOC: Locking).
 * Return: the physical address, or -1 if [@pgoff, @pgoff + @size) is not
 * inside one range.
 */
phys_addr_t dax_pgoff_to_phys(struct dev_dax *dev_dax, pgoff_t pgoff,
			      unsigned long size)
{
	return dax_ranges_to_phys(&dev_dax->ranges, pgoff, size);
}
EXPORT_SYMBOL_GPL(dax_pgoff_to_phys);

/**
 * dev_dax_kill() - stop all access to an instance's memory
 * @dev_dax: the instance, being unbound from its driver
 *
 * Marks the dax_device dead and waits for running faults, zaps every user
 * mapping (later accesses get SIGBUS) and forgets a page map the driver
 * allocated for a dynamic region.
 *
 * Context: process context, from a driver's teardown.
 */
void dev_dax_kill(struct dev_dax *dev_dax)
{
	struct inode *inode = dax_inode(dev_dax->dax_dev);

	kill_dax(dev_dax->dax_dev);
	unmap_mapping_range(inode->i_mapping, 0, 0, 1);
	if (!static_dev_dax(dev_dax))
		dev_dax->pgmap = NULL;
}
EXPORT_SYMBOL_GPL(dev_dax_kill);

/* ---- mappingN children ---- */

/* Return the N of mappingN; see dax_mapping_unregister() */
static void dax_mapping_free_id(struct dax_mapping *mapping)
{
	if (mapping->id < 0)
		return;
	ida_free(&mapping->dev_dax->ida, mapping->id);
	mapping->id = -1;
}

static void dax_mapping_release(struct device *dev)
{
	struct dax_mapping *mapping = to_dax_mapping(dev);
	struct dev_dax *dev_dax = mapping->dev_dax;

	dax_mapping_free_id(mapping);
	kfree(mapping);
	put_device(&dev_dax->dev);
}

/* Copy out the mapping's range; -ENXIO once it has been detached. */
static int dax_mapping_range(struct device *dev, struct dev_dax_range *out)
{
	struct dax_mapping *mapping = to_dax_mapping(dev);

	guard(rwsem_read)(&dax_rwsem);
	if (mapping->range_id < 0)
		return -ENXIO;
	*out = mapping->dev_dax->ranges.r[mapping->range_id];
	return 0;
}

/* start, end and page_offset: root only, like the instance's resource */
static ssize_t dax_mapping_show(struct device *dev,
				struct device_attribute *attr, char *buf);
static struct device_attribute dev_attr_start =
	__ATTR(start, 0400, dax_mapping_show, NULL);
static struct device_attribute dev_attr_end =
	__ATTR(end, 0400, dax_mapping_show, NULL);
static struct device_attribute dev_attr_page_offset =
	__ATTR(page_offset, 0400, dax_mapping_show, NULL);

static ssize_t dax_mapping_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct dev_dax_range r;
	int rc = dax_mapping_range(dev, &r);

	if (rc)
		return rc;
	if (attr == &dev_attr_start)
		return sysfs_emit(buf, "%#llx\n", r.range.start);
	if (attr == &dev_attr_end)
		return sysfs_emit(buf, "%#llx\n", r.range.end);
	return sysfs_emit(buf, "%#lx\n", r.pgoff);
}

static struct attribute *dax_mapping_attrs[] = {
	&dev_attr_start.attr,
	&dev_attr_end.attr,
	&dev_attr_page_offset.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dax_mapping);

static const struct device_type dax_mapping_type = {
	.release = dax_mapping_release,
	.groups = dax_mapping_groups,
};

/*
 * Give range @i its mappingN device.  Adding a device under the lock is
 * safe; only removal must wait for the lock to be dropped.
 */
static int __dev_dax_add_mapping(struct dev_dax *dev_dax, unsigned int i)
{
	struct dax_mapping *mapping;
	struct device *dev;
	int rc;

	lockdep_assert_held_write(&dax_rwsem);
	mapping = kzalloc(sizeof(*mapping), GFP_KERNEL);
	if (!mapping)
		return -ENOMEM;
	mapping->id = ida_alloc(&dev_dax->ida, GFP_KERNEL);
	if (mapping->id < 0) {
		kfree(mapping);
		return -ENOMEM;
	}
	mapping->dev_dax = dev_dax;
	mapping->range_id = i;
	dev = &mapping->dev;
	device_initialize(dev);
	dev->parent = get_device(&dev_dax->dev);
	dev->type = &dax_mapping_type;
	rc = dev_set_name(dev, "mapping%d", mapping->id);
	if (!rc)
		rc = device_add(dev);
	if (rc) {
		mapping->range_id = -1;
		put_device(dev);
		return rc;
	}
	dev_dax->ranges.r[i].mapping = mapping;
	return 0;
}

/* Detach the mappings of ranges @from and up; reap them after unlocking. */
static void __dev_dax_detach_mappings(struct dev_dax *dev_dax,
				      unsigned int from)
{
	struct dax_ranges *t = &dev_dax->ranges;
	unsigned int i;

	lockdep_assert_held_write(&dax_rwsem);
	for (i = from; i < t->nr; i++) {
		if (!t->r[i].mapping)
			continue;
		t->r[i].mapping->range_id = -1;
		t->r[i].mapping = NULL;
	}
}

/*
 * The name goes with the sysfs entry, not with the last reference: a
 * reference held elsewhere (or CONFIG_DEBUG_KOBJECT_RELEASE) puts the
 * release off, and the next range must still be shown as the lowest free
 * mappingN.  Runs under the instance's device lock, like every addition.
 */
static void dax_mapping_unregister(struct dax_mapping *mapping)
{
	device_del(&mapping->dev);
	dax_mapping_free_id(mapping);
	put_device(&mapping->dev);
}

static int reap_mapping(struct device *dev, void *unused)
{
	bool detached;

	if (dev->type != &dax_mapping_type)
		return 0;
	scoped_guard(rwsem_read, &dax_rwsem)
		detached = to_dax_mapping(dev)->range_id < 0;
	if (detached)
		dax_mapping_unregister(to_dax_mapping(dev));
	return 0;
}

/*
 * Unregister detached mappings.  The caller holds the instance's device
 * lock, so no other reaper runs, and does not hold dax_rwsem.
 */
static void dev_dax_reap_mappings(struct dev_dax *dev_dax)
{
	device_lock_assert(&dev_dax->dev);
	device_for_each_child(&dev_dax->dev, NULL, reap_mapping);
}

/* Shrink to @size bytes, detaching the mappings of dropped ranges. */
static void __dev_dax_shrink(struct dev_dax *dev_dax, resource_size_t size)
{
	struct dax_ranges *t = &dev_dax->ranges;
	unsigned int keep = 0;

	lockdep_assert_held_write(&dax_rwsem);
	while (keep < t->nr && ((resource_size_t)t->r[keep].pgoff << PAGE_SHIFT) < size)
		keep++;
	__dev_dax_detach_mappings(dev_dax, keep);
	dax_ranges_shrink(&dev_dax->region->res, t, size);
}

/* Give ranges @from and up their mappings. */
static int __dev_dax_add_mappings(struct dev_dax *dev_dax, unsigned int from)
{
	unsigned int i;
	int rc;

	for (i = from; i < dev_dax->ranges.nr; i++) {
		rc = __dev_dax_add_mapping(dev_dax, i);
		if (rc)
			return rc;
	}
	return 0;
}

/* Map ranges @nr and up, added by a growth from @old bytes, or undo it. */
static int __dev_dax_commit_growth(struct dev_dax *dev_dax, unsigned int nr,
				   resource_size_t old)
{
	int rc = __dev_dax_add_mappings(dev_dax, nr);

	if (rc)
		__dev_dax_shrink(dev_dax, old);
	return rc;
}

static int __dev_dax_resize(struct dev_dax *dev_dax, resource_size_t size)
{
	struct dax_ranges *t = &dev_dax->ranges;
	resource_size_t old = dax_ranges_size(t);
	unsigned int nr = t->nr;
	int rc;

	lockdep_assert_held_write(&dax_rwsem);
	if (size <= old) {
		__dev_dax_shrink(dev_dax, size);
		return 0;
	}
	rc = dax_ranges_grow(&dev_dax->region->res, t, size - old,
			     dax_granule(dev_dax->align), dev_name(&dev_dax->dev));
	if (rc)
		return rc;
	return __dev_dax_commit_growth(dev_dax, nr, old);
}

/* ---- instance attributes ---- */

/*
 * Common checks before a geometry change: the instance and its region
 * exist and no driver is bound.  Caller holds the device lock and dax_rwsem.
 */
static int __dev_dax_may_change(struct dev_dax *dev_dax, const char *what)
{
	struct device *dev = &dev_dax->dev;

	device_lock_assert(dev);
	lockdep_assert_held(&dax_rwsem);
	if (dev_dax->dead || dev_dax->region->dead) {
		dev_dbg(dev, "%s: instance is being deleted\n", what);
		return -ENXIO;
	}
	if (dev->driver) {
		dev_dbg(dev, "%s: unbind %s first\n", what, dev->driver->name);
		return -EBUSY;
	}
	return 0;
}

static ssize_t size_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%llu\n", (u64)dev_dax_size(to_dev_dax(dev)));
}

static ssize_t size_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t len)
{
	struct dev_dax *dev_dax = to_dev_dax(dev);
	unsigned long long size;
	int rc;

	rc = kstrtoull(buf, 0, &size);
	if (rc) {
		dev_dbg(dev, "size: not a number of bytes\n");
		return rc;
	}
	if (!IS_ALIGNED(size, dax_granule(dev_dax->align))) {
		dev_dbg(dev, "size: %llu is not a multiple of %llu\n", size,
			(u64)dax_granule(dev_dax->align));
		return -EINVAL;
	}
	if (static_dev_dax(dev_dax))
		return -EPERM;

	guard(device)(dev);
	scoped_guard(rwsem_write, &dax_rwsem) {
		rc = __dev_dax_may_change(dev_dax, "size");
		if (!rc)
			rc = __dev_dax_resize(dev_dax, size);
	}
	dev_dax_reap_mappings(dev_dax);
	if (rc == -ENOSPC)
		dev_dbg(dev, "size: region %d has no room for %llu bytes\n",
			dev_dax->region->id, size);
	return rc ? rc : len;
}
static DEVICE_ATTR_RW(size);

/* "START-END", both hexadecimal, END inclusive. */
static int parse_range(const char *buf, struct range *range)
{
	char *str __free(kfree) = kstrdup(buf, GFP_KERNEL);
	char *end = str, *start;
	u64 s, e;

	if (!str)
		return -ENOMEM;
	start = strsep(&end, "-");
	if (!end || kstrtoull(start, 16, &s) || kstrtoull(end, 16, &e) || e < s)
		return -EINVAL;
	*range = (struct range) { .start = s, .end = e };
	return 0;
}

static int __dev_dax_claim(struct dev_dax *dev_dax, const struct range *want)
{
	struct dax_ranges *t = &dev_dax->ranges;
	resource_size_t old = dax_ranges_size(t);
	unsigned int nr = t->nr;
	int rc;

	rc = dax_ranges_claim(&dev_dax->region->res, t, want,
			      dax_granule(dev_dax->align), dev_name(&dev_dax->dev));
	if (rc)
		return rc;
	return __dev_dax_commit_growth(dev_dax, nr, old);
}

static ssize_t mapping_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	struct dev_dax *dev_dax = to_dev_dax(dev);
	struct range want;
	int rc;

	rc = parse_range(buf, &want);
	if (rc) {
		dev_dbg(dev, "mapping: expected START-END in hex\n");
		return rc;
	}
	if (static_dev_dax(dev_dax))
		return -EPERM;

	guard(device)(dev);
	scoped_guard(rwsem_write, &dax_rwsem) {
		rc = __dev_dax_may_change(dev_dax, "mapping");
		if (!rc)
			rc = __dev_dax_claim(dev_dax, &want);
	}
	dev_dax_reap_mappings(dev_dax);
	if (rc)
		dev_dbg(dev, "mapping: %#llx-%#llx refused: %d\n", want.start,
			want.end, rc);
	return rc ? rc : len;
}
static DEVICE_ATTR_WO(mapping);

static ssize_t align_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", to_dev_dax(dev)->align);
}

static ssize_t align_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	struct dev_dax *dev_dax = to_dev_dax(dev);
	unsigned long align;
	int rc;

	if (kstrtoul(buf, 0, &align) || !dax_align_valid(align)) {
		dev_dbg(dev, "align: expected 4K, 2M or 1G in bytes\n");
		return -EINVAL;
	}
	if (static_dev_dax(dev_dax))
		return -EPERM;

	guard(device)(dev);
	guard(rwsem_write)(&dax_rwsem);
	rc = __dev_dax_may_change(dev_dax, "align");
	if (rc)
		return rc;
	if (!dax_ranges_aligned(&dev_dax->ranges, dax_granule(align))) {
		dev_dbg(dev, "align: ranges are not %lu aligned\n", align);
		return -EINVAL;
	}
	dev_dax->align = align;
	return len;
}
static DEVICE_ATTR_RW(align);

static ssize_t target_node_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_dev_dax(dev)->target_node);
}
static DEVICE_ATTR_RO(target_node);

static ssize_t resource_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct dev_dax *dev_dax = to_dev_dax(dev);
	u64 start = dev_dax->region->res.start;

	scoped_guard(rwsem_read, &dax_rwsem)
		if (dev_dax->ranges.nr)
			start = dev_dax->ranges.r[0].range.start;
	return sysfs_emit(buf, "%#llx\n", start);
}
static DEVICE_ATTR_ADMIN_RO(resource);

static ssize_t modalias_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, DAX_DEVICE_MODALIAS_FMT "\n", 0);
}
static DEVICE_ATTR_RO(modalias);

static ssize_t numa_node_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%d\n", dev_to_node(dev));
}
static DEVICE_ATTR_RO(numa_node);

static ssize_t memmap_on_memory_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_dev_dax(dev)->memmap_on_memory);
}

static bool bound_to_kmem(struct device *dev)
{
	return dev->driver && to_dax_drv(dev->driver)->type == DAXDRV_KMEM_TYPE;
}

static ssize_t memmap_on_memory_store(struct device *dev,
				      struct device_attribute *attr,
				      const char *buf, size_t len)
{
	struct dev_dax *dev_dax = to_dev_dax(dev);
	bool val;

	if (kstrtobool(buf, &val)) {
		dev_dbg(dev, "memmap_on_memory: expected a boolean\n");
		return -EINVAL;
	}
	if (val && !mhp_supports_memmap_on_memory()) {
		dev_dbg(dev, "memmap_on_memory: not supported by this kernel\n");
		return -EOPNOTSUPP;
	}
	guard(device)(dev);
	if (val != dev_dax->memmap_on_memory && bound_to_kmem(dev)) {
		dev_dbg(dev, "memmap_on_memory: unbind kmem first\n");
		return -EBUSY;
	}
	dev_dax->memmap_on_memory = val;
	return len;
}
static DEVICE_ATTR_RW(memmap_on_memory);

static struct attribute *dev_dax_attrs[] = {
	&dev_attr_modalias.attr,
	&dev_attr_size.attr,
	&dev_attr_mapping.attr,
	&dev_attr_target_node.attr,
	&dev_attr_align.attr,
	&dev_attr_resource.attr,
	&dev_attr_numa_node.attr,
	&dev_attr_memmap_on_memory.attr,
	NULL,
};

static umode_t dev_dax_visible(struct kobject *kobj, struct attribute *a, int n)
{
	struct dev_dax *dev_dax = to_dev_dax(kobj_to_dev(kobj));
	bool is_static = static_dev_dax(dev_dax);

	if (a == &dev_attr_target_node.attr && dev_dax->target_node < 0)
		return 0;
	if (a == &dev_attr_numa_node.attr && !IS_ENABLED(CONFIG_NUMA))
		return 0;
	if (a == &dev_attr_mapping.attr && is_static)
		return 0;
	if ((a == &dev_attr_size.attr || a == &dev_attr_align.attr) && is_static)
		return 0444;
	return a->mode;
}

static const struct attribute_group dev_dax_group = {
	.attrs = dev_dax_attrs,
	.is_visible = dev_dax_visible,
};
__ATTRIBUTE_GROUPS(dev_dax);

/* ---- life cycle ---- */

static void dev_dax_free_id(struct dev_dax *dev_dax)
{
	if (!dev_dax->dyn_id)
		return;
	ida_free(&dev_dax->region->ida, dev_dax->id);
	dev_dax->dyn_id = false;
}

static void dev_dax_release(struct device *dev)
{
	struct dev_dax *dev_dax = to_dev_dax(dev);

	WARN_ON_ONCE(dev_dax->ranges.nr);
	if (dev_dax->dax_dev)
		put_dax(dev_dax->dax_dev);
	dev_dax_free_id(dev_dax);
	ida_destroy(&dev_dax->ida);
	kfree(dev_dax->pgmap);
	dax_region_put(dev_dax->region);
	kfree(dev_dax);
}

const struct device_type dev_dax_type = {
	.release = dev_dax_release,
	.groups = dev_dax_groups,
};

/**
 * dev_dax_unregister() - unbind, empty and remove an instance
 * @dev_dax: the instance; the caller has made sure nobody else
 *	unregisters it (delete marks it dead first, region teardown
 *	runs after delete can no longer be called)
 *
 * Context: process context; takes the instance's device lock and dax_rwsem,
 * so the caller holds neither.
 */
void dev_dax_unregister(struct dev_dax *dev_dax)
{
	struct device *dev = &dev_dax->dev;

	scoped_guard(rwsem_write, &dax_rwsem)
		dev_dax->dead = true;
	device_release_driver(dev);
	scoped_guard(device, dev) {
		scoped_guard(rwsem_write, &dax_rwsem)
			__dev_dax_shrink(dev_dax, 0);
		dev_dax_reap_mappings(dev_dax);
	}
	device_del(dev);
	dev_dax_free_id(dev_dax);
	put_device(dev);
}

static int dev_dax_set_id(struct dev_dax *dev_dax, int id)
{
	struct dax_region *dax_region = dev_dax->region;

	if (dax_region_is_static(dax_region)) {
		if (id < 0)
			return -EINVAL;
		dev_dax->id = id;
		return 0;
	}
	if (id >= 0)
		return -EINVAL;
	id = ida_alloc(&dax_region->ida, GFP_KERNEL);
	if (id < 0)
		return id;
	dev_dax->id = id;
	dev_dax->dyn_id = true;
	return 0;
}

static int dev_dax_alloc_dax(struct dev_dax *dev_dax)
{
	struct dax_device *dax_dev = alloc_dax(dev_dax, NULL);

	if (IS_ERR(dax_dev))
		return PTR_ERR(dax_dev);
	set_dax_synchronous(dax_dev);
	set_dax_nocache(dax_dev);
	set_dax_nomc(dax_dev);
	/* dead until a driver binds: see dev_dax_kill() */
	kill_dax(dax_dev);
	dev_dax->dax_dev = dax_dev;
	dev_dax->dev.devt = dax_inode(dax_dev)->i_rdev;
	return 0;
}

/* Everything but the ranges and device_add(); undone by put_device(). */
static struct dev_dax *dev_dax_alloc(struct dax_region *dax_region,
				     const struct dev_dax_info *info)
{
	struct dev_dax *dev_dax;
	struct device *dev;
	int rc;

	dev_dax = kzalloc(sizeof(*dev_dax), GFP_KERNEL);
	if (!dev_dax)
		return ERR_PTR(-ENOMEM);
	kref_get(&dax_region->kref);
	dev_dax->region = dax_region;
	dev_dax->align = dax_region->align;
	dev_dax->target_node = dax_region->target_node;
	dev_dax->memmap_on_memory = info->memmap_on_memory;
	ida_init(&dev_dax->ida);
	dev = &dev_dax->dev;
	device_initialize(dev);
	dev->bus = &dax_bus_type;
	dev->type = &dev_dax_type;
	dev->parent = dax_region->dev;

	rc = dev_dax_set_id(dev_dax, info->id);
	if (!rc)
		rc = dev_set_name(dev, "dax%d.%d", dax_region->id, dev_dax->id);
	if (!rc)
		rc = dev_dax_alloc_dax(dev_dax);
	if (!rc && info->pgmap) {
		dev_dax->pgmap = kmemdup(info->pgmap, sizeof(*info->pgmap),
					 GFP_KERNEL);
		if (!dev_dax->pgmap)
			rc = -ENOMEM;
	}
	if (rc) {
		put_device(dev);
		return ERR_PTR(rc);
	}
	return dev_dax;
}

static int dev_dax_add_initial(struct dev_dax *dev_dax, resource_size_t size)
{
	if (!size)
		return 0;
	guard(rwsem_write)(&dax_rwsem);
	return dax_ranges_grow(&dev_dax->region->res, &dev_dax->ranges, size,
			       dax_granule(dev_dax->align),
			       dev_name(&dev_dax->dev));
}

static void dev_dax_drop_initial(struct dev_dax *dev_dax)
{
	guard(rwsem_write)(&dax_rwsem);
	dax_ranges_shrink(&dev_dax->region->res, &dev_dax->ranges, 0);
}

/**
 * dev_dax_create() - add an instance to a region
 * @dax_region: the region
 * @info: initial size (taken first fit from the region's free space), id
 *	for a static region or -1, page map of a static region, and the
 *	initial memmap_on_memory setting
 *
 * The instance is registered on the dax bus, so a matching driver may bind
 * it before this returns.  It is unregistered with the region.
 *
 * Context: process context; takes dax_rwsem, so the caller must not hold it.
 * Return: the instance, or ERR_PTR(): -EINVAL for an id that does not suit
 * the region's kind, -ENOSPC when the size does not fit, -ENOMEM, or the
 * driver core's error.
 */
struct dev_dax *dev_dax_create(struct dax_region *dax_region,
			       const struct dev_dax_info *info)
{
	struct dev_dax *dev_dax;
	int rc;

	dev_dax = dev_dax_alloc(dax_region, info);
	if (IS_ERR(dev_dax))
		return dev_dax;
	rc = dev_dax_add_initial(dev_dax, info->size);
	if (!rc) {
		rc = device_add(&dev_dax->dev);
		if (rc)
			dev_dax_drop_initial(dev_dax);
	}
	if (rc) {
		put_device(&dev_dax->dev);
		return ERR_PTR(rc);
	}
	scoped_guard(device, &dev_dax->dev) {
		scoped_guard(rwsem_write, &dax_rwsem)
			rc = __dev_dax_add_mappings(dev_dax, 0);
	}
	if (rc) {
		/* unbinds a driver that bound meanwhile, then frees the ranges */
		dev_dax_unregister(dev_dax);
		return ERR_PTR(rc);
	}
	return dev_dax;
}
EXPORT_SYMBOL_GPL(dev_dax_create);
