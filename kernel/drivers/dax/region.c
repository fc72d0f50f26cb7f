// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: Regions
 *
 * A region is a span of physical memory that a provider (hmem, pmem, cxl)
 * hands to device-dax.  The core keeps it in &struct dax_region, stored as
 * the provider device's driver data, and shows it in the provider's
 * dax_region/ directory: id, size, align and, for dynamic regions,
 * available_size, seed, create and delete.
 *
 * A dynamic region is carved into any number of instances, created zero
 * sized through "create" and sized afterwards.  A static region (pmem) has
 * exactly the one instance its provider describes.
 *
 * The region lives as long as its provider's driver is bound: one devres
 * action on the provider device removes the attributes (which waits for
 * running "create" and "delete" writes), unregisters every instance and
 * drops the provider's reference.  Instances hold references of their own,
 * so the structure outlives a provider that goes away while an instance
 * is still being released.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cleanup.h>
#include <linux/memremap.h>
#include <linux/slab.h>
#include "dax-private.h"

static void dax_region_release(struct kref *kref)
{
	struct dax_region *dax_region = container_of(kref, struct dax_region, kref);

	ida_destroy(&dax_region->ida);
	kfree(dax_region);
}

/**
 * dax_region_put() - drop a reference to a region
 * @dax_region: the region
 *
 * Context: any context that may sleep.
 */
void dax_region_put(struct dax_region *dax_region)
{
	kref_put(&dax_region->kref, dax_region_release);
}

/* The region's attributes are valid while the group exists: see teardown. */
static struct dax_region *to_dax_region(struct device *dev)
{
	return dev_get_drvdata(dev);
}

static ssize_t id_show(struct device *dev, struct device_attribute *attr,
		       char *buf)
{
	return sysfs_emit(buf, "%d\n", to_dax_region(dev)->id);
}
static DEVICE_ATTR_RO(id);

static ssize_t region_size_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  (u64)resource_size(&to_dax_region(dev)->res));
}

static struct device_attribute dev_attr_region_size =
	__ATTR(size, 0444, region_size_show, NULL);

static ssize_t region_align_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_dax_region(dev)->align);
}

static struct device_attribute dev_attr_region_align =
	__ATTR(align, 0400, region_align_show, NULL);

static ssize_t available_size_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct dax_region *dax_region = to_dax_region(dev);

	guard(rwsem_read)(&dax_rwsem);
	return sysfs_emit(buf, "%llu\n",
			  (u64)dax_space_available(&dax_region->res));
}
static DEVICE_ATTR_RO(available_size);

static ssize_t emit_dev_name(char *buf, struct device *dev)
{
	return sysfs_emit(buf, "%s\n", dev ? dev_name(dev) : "");
}

static ssize_t seed_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	guard(rwsem_read)(&dax_rwsem);
	return emit_dev_name(buf, to_dax_region(dev)->seed);
}
static DEVICE_ATTR_RO(seed);

static ssize_t create_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	guard(rwsem_read)(&dax_rwsem);
	return emit_dev_name(buf, to_dax_region(dev)->youngest);
}

static int dax_region_may_create(struct dax_region *dax_region)
{
	guard(rwsem_read)(&dax_rwsem);
	if (dax_region->dead)
		return -ENXIO;
	if (!dax_space_available(&dax_region->res)) {
		dev_dbg(dax_region->dev, "create: region %d is full\n",
			dax_region->id);
		return -ENOSPC;
	}
	return 0;
}

static ssize_t create_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t len)
{
	struct dax_region *dax_region = to_dax_region(dev);
	const struct dev_dax_info info = { .id = -1 };
	struct dev_dax *dev_dax;
	int val, rc;

	rc = kstrtoint(buf, 0, &val);
	if (rc || val != 1) {
		dev_dbg(dev, "create: write 1 to create an instance\n");
		return -EINVAL;
	}
	rc = dax_region_may_create(dax_region);
	if (rc)
		return rc;
	dev_dax = dev_dax_create(dax_region, &info);
	if (IS_ERR(dev_dax))
		return PTR_ERR(dev_dax);

	/* several unbound seeds may exist; the region names the oldest */
	guard(rwsem_write)(&dax_rwsem);
	if (!dax_region->seed)
		dax_region->seed = &dev_dax->dev;
	dax_region->youngest = &dev_dax->dev;
	return len;
}
static DEVICE_ATTR_RW(create);

static int match_instance_name(struct device *dev, void *name)
{
	return is_dev_dax(dev) && sysfs_streq(dev_name(dev), name);
}

/* Mark an unused instance dead; the caller then unregisters it. */
static int dax_region_claim_victim(struct dax_region *dax_region,
				   struct dev_dax *dev_dax)
{
	struct device *dev = &dev_dax->dev;

	guard(device)(dev);
	guard(rwsem_write)(&dax_rwsem);
	if (dev_dax->dead)
		return -ENXIO;
	if (dev->driver) {
		dev_dbg(dev, "delete: bound to %s\n", dev->driver->name);
		return -EBUSY;
	}
	if (dax_ranges_size(&dev_dax->ranges)) {
		dev_dbg(dev, "delete: resize to 0 first\n");
		return -EBUSY;
	}
	/* instance 0 stays, so the bus lists every region that exists */
	if (dev_dax->id == 0) {
		dev_dbg(dev, "delete: the first instance of a region stays\n");
		return -EBUSY;
	}
	dev_dax->dead = true;
	if (dax_region->seed == dev)
		dax_region->seed = NULL;
	if (dax_region->youngest == dev)
		dax_region->youngest = NULL;
	return 0;
}

static ssize_t delete_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t len)
{
	struct dax_region *dax_region = to_dax_region(dev);
	struct device *victim __free(put_device) =
		device_find_child(dev, (void *)buf, match_instance_name);
	int rc;

	if (!victim) {
		dev_dbg(dev, "delete: no instance \"%.*s\" in region %d\n",
			(int)strcspn(buf, "\n"), buf, dax_region->id);
		return -ENXIO;
	}
	rc = dax_region_claim_victim(dax_region, to_dev_dax(victim));
	if (rc)
		return rc;
	dev_dax_unregister(to_dev_dax(victim));
	return len;
}
static DEVICE_ATTR_WO(delete);

static struct attribute *dax_region_attrs[] = {
	&dev_attr_id.attr,
	&dev_attr_region_size.attr,
	&dev_attr_region_align.attr,
	&dev_attr_available_size.attr,
	&dev_attr_seed.attr,
	&dev_attr_create.attr,
	&dev_attr_delete.attr,
	NULL,
};

static umode_t dax_region_visible(struct kobject *kobj, struct attribute *a,
				  int n)
{
	struct dax_region *dax_region = to_dax_region(kobj_to_dev(kobj));

	if (!dax_region_is_static(dax_region))
		return a->mode;
	if (a == &dev_attr_available_size.attr || a == &dev_attr_seed.attr ||
	    a == &dev_attr_create.attr || a == &dev_attr_delete.attr)
		return 0;
	return a->mode;
}

static const struct attribute_group dax_region_group = {
	.name = "dax_region",
	.attrs = dax_region_attrs,
	.is_visible = dax_region_visible,
};

static int unregister_instance(struct device *dev, void *unused)
{
	if (is_dev_dax(dev))
		dev_dax_unregister(to_dev_dax(dev));
	return 0;
}

static void dax_region_teardown(void *data)
{
	struct dax_region *dax_region = data;
	struct device *parent = dax_region->dev;

	/* waits for running create/delete writes */
	sysfs_remove_group(&parent->kobj, &dax_region_group);
	scoped_guard(rwsem_write, &dax_rwsem) {
		dax_region->dead = true;
		dax_region->seed = NULL;
		dax_region->youngest = NULL;
	}
	device_for_each_child_reverse(parent, NULL, unregister_instance);
	dev_set_drvdata(parent, NULL);
	dax_region_put(dax_region);
}

static int dax_region_check(struct device *parent,
			    const struct dax_region_info *info)
{
	const struct range *range = &info->range;

	if (dev_get_drvdata(parent)) {
		dev_WARN(parent, "driver data already in use, no dax region\n");
		return -EBUSY;
	}
	if (!dax_align_valid(info->align)) {
		dev_err(parent, "dax region: bad alignment %#x\n", info->align);
		return -EINVAL;
	}
	if (range->end < range->start || !IS_ALIGNED(range->start, info->align) ||
	    !IS_ALIGNED(range_len(range), info->align)) {
		dev_err(parent, "dax region: range %#llx-%#llx not %#x aligned\n",
			range->start, range->end, info->align);
		return -EINVAL;
	}
	return 0;
}

/**
 * devm_dax_region_create() - register a dax region for a provider device
 * @parent: the provider's device, bound to its driver; its driver data
 *	must be unused, the core keeps the region there
 * @info: the region's id, span, target node, alignment and kind
 *
 * The region and all its instances go away when @parent's driver unbinds.
 *
 * Context: process context, from the provider's probe; takes no dax lock.
 * Return: the region, or ERR_PTR(): -EBUSY if @parent's driver data is in
 * use, -EINVAL for a bad alignment or span, -ENOMEM.
 */
struct dax_region *devm_dax_region_create(struct device *parent,
					  const struct dax_region_info *info)
{
	struct dax_region *dax_region;
	int rc;

	rc = dax_region_check(parent, info);
	if (rc)
		return ERR_PTR(rc);
	dax_region = kzalloc(sizeof(*dax_region), GFP_KERNEL);
	if (!dax_region)
		return ERR_PTR(-ENOMEM);

	kref_init(&dax_region->kref);
	ida_init(&dax_region->ida);
	dax_region->id = info->id;
	dax_region->target_node = info->target_node;
	dax_region->align = info->align;
	dax_region->kind = info->kind;
	dax_region->dev = parent;
	dax_region->res = DEFINE_RES_MEM_NAMED(info->range.start,
					       range_len(&info->range),
					       dev_name(parent));
	dev_set_drvdata(parent, dax_region);

	rc = sysfs_create_group(&parent->kobj, &dax_region_group);
	if (rc) {
		dev_set_drvdata(parent, NULL);
		dax_region_put(dax_region);
		return ERR_PTR(rc);
	}
	rc = devm_add_action_or_reset(parent, dax_region_teardown, dax_region);
	if (rc)
		return ERR_PTR(rc);
	return dax_region;
}
EXPORT_SYMBOL_GPL(devm_dax_region_create);
