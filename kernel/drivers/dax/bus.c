// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: The dax bus
 *
 * Every dax instance (daxX.Y) is a device on the "dax" bus.  Two drivers
 * serve the bus: device_dax, which gives userspace /dev/daxX.Y to mmap, and
 * kmem, which hands the memory to the page allocator.  By default an
 * instance of a %DAX_REGION_KMEM region binds to kmem and every other
 * instance to device_dax.  An administrator overrides that per instance by
 * writing the instance name to a driver's new_id file, which also binds it
 * if it is free.
 *
 * Probing an instance succeeds only while it has a size and has not been
 * deleted.  The first successful probe of a region's seed instance clears
 * the region's seed, which is how userspace learns that its next "create"
 * must make a new one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cleanup.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "dax-private.h"

DECLARE_RWSEM(dax_rwsem);
static DEFINE_MUTEX(dax_id_lock);

/* "dax" + two ints and a dot: room for any name new_id accepts */
#define DAX_NAME_LEN 32

struct dax_id {
	struct list_head list;
	char name[DAX_NAME_LEN];
};

static struct dax_id *__dax_find_id(const struct dax_device_driver *dax_drv,
				    const char *name)
{
	struct dax_id *dax_id;

	lockdep_assert_held(&dax_id_lock);
	list_for_each_entry(dax_id, &dax_drv->ids, list)
		if (sysfs_streq(dax_id->name, name))
			return dax_id;
	return NULL;
}

static bool dax_match_id(const struct dax_device_driver *dax_drv,
			 struct device *dev)
{
	guard(mutex)(&dax_id_lock);
	return __dax_find_id(dax_drv, dev_name(dev));
}

static bool dax_match_type(const struct dax_device_driver *dax_drv,
			   struct device *dev)
{
	struct dax_region *dax_region = to_dev_dax(dev)->region;
	enum dax_driver_type want = DAXDRV_DEVICE_TYPE;

	if (dax_region->kind == DAX_REGION_KMEM)
		want = DAXDRV_KMEM_TYPE;
	if (dax_drv->type == want)
		return true;
	/* without kmem, device_dax takes every instance */
	return dax_drv->type == DAXDRV_DEVICE_TYPE &&
	       !IS_ENABLED(CONFIG_DEV_DAX_KMEM);
}

static int dax_bus_match(struct device *dev, const struct device_driver *drv)
{
	const struct dax_device_driver *dax_drv = to_dax_drv(drv);

	if (!is_dev_dax(dev))
		return 0;
	return dax_match_id(dax_drv, dev) || dax_match_type(dax_drv, dev);
}

static int dax_bus_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	/* every instance is of type 0, see MODULE_ALIAS_DAX_DEVICE() */
	return add_uevent_var(env, "MODALIAS=" DAX_DEVICE_MODALIAS_FMT, 0);
}

static int dax_bus_probe(struct device *dev)
{
	struct dax_device_driver *dax_drv = to_dax_drv(dev->driver);
	struct dev_dax *dev_dax = to_dev_dax(dev);
	struct dax_region *dax_region = dev_dax->region;
	int rc;

	scoped_guard(rwsem_read, &dax_rwsem) {
		if (dev_dax->dead) {
			dev_dbg(dev, "not probing: instance is deleted\n");
			return -ENXIO;
		}
		if (!dax_ranges_size(&dev_dax->ranges)) {
			dev_dbg(dev, "not probing: instance has no size\n");
			return -ENXIO;
		}
	}

	rc = dax_drv->probe(dev_dax);
	if (rc)
		return rc;

	guard(rwsem_write)(&dax_rwsem);
	if (dax_region->seed == dev)
		dax_region->seed = NULL;
	return 0;
}

static void dax_bus_remove(struct device *dev)
{
	struct dax_device_driver *dax_drv = to_dax_drv(dev->driver);

	if (dax_drv->remove)
		dax_drv->remove(to_dev_dax(dev));
}

/* Accept exactly "daxX.Y" with decimal X and Y, and one optional newline. */
static int dax_id_parse(const char *buf, char *name)
{
	unsigned int region_id, id;

	if (sscanf(buf, "dax%u.%u", &region_id, &id) != 2)
		return -EINVAL;
	snprintf(name, DAX_NAME_LEN, "dax%u.%u", region_id, id);
	if (!sysfs_streq(buf, name))
		return -EINVAL;
	return 0;
}

/*
 * Bind the instance called @name to @drv if it exists and is free.  Only
 * that instance: driver_attach() would try every instance on the bus,
 * each matched against the whole new_id list, which makes binding N
 * instances one by one cost O(N^3) name comparisons.  As with
 * driver_attach(), a failed probe is not new_id's error: the name stays
 * listed for a later bind.
 */
static void dax_attach_named(struct device_driver *drv, const char *name)
{
	struct device *dev = bus_find_device_by_name(&dax_bus_type, NULL, name);
	int rc;

	if (!dev)
		return;
	rc = device_driver_attach(drv, dev);
	if (rc)
		dev_dbg(dev, "new_id: %s did not bind: %d\n", drv->name, rc);
	put_device(dev);
}

static ssize_t new_id_store(struct device_driver *drv, const char *buf,
			    size_t count)
{
	struct dax_device_driver *dax_drv = to_dax_drv(drv);
	struct dax_id *dax_id __free(kfree) = NULL;
	char name[DAX_NAME_LEN];
	int rc;

	rc = dax_id_parse(buf, name);
	if (rc) {
		pr_debug("%s: new_id: not a daxX.Y name\n", drv->name);
		return rc;
	}
	dax_id = kzalloc(sizeof(*dax_id), GFP_KERNEL);
	if (!dax_id)
		return -ENOMEM;
	strscpy(dax_id->name, name);

	scoped_guard(mutex, &dax_id_lock) {
		if (!__dax_find_id(dax_drv, name))
			list_add(&no_free_ptr(dax_id)->list, &dax_drv->ids);
	}
	dax_attach_named(drv, name);
	return count;
}
static DRIVER_ATTR_WO(new_id);

static ssize_t remove_id_store(struct device_driver *drv, const char *buf,
			       size_t count)
{
	struct dax_device_driver *dax_drv = to_dax_drv(drv);
	struct dax_id *dax_id;
	char name[DAX_NAME_LEN];
	int rc;

	rc = dax_id_parse(buf, name);
	if (rc) {
		pr_debug("%s: remove_id: not a daxX.Y name\n", drv->name);
		return rc;
	}
	guard(mutex)(&dax_id_lock);
	dax_id = __dax_find_id(dax_drv, name);
	if (dax_id) {
		list_del(&dax_id->list);
		kfree(dax_id);
	}
	return count;
}
static DRIVER_ATTR_WO(remove_id);

static struct attribute *dax_drv_attrs[] = {
	&driver_attr_new_id.attr,
	&driver_attr_remove_id.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dax_drv);

const struct bus_type dax_bus_type = {
	.name = "dax",
	.uevent = dax_bus_uevent,
	.match = dax_bus_match,
	.probe = dax_bus_probe,
	.remove = dax_bus_remove,
	.drv_groups = dax_drv_groups,
};

/**
 * __dax_driver_register() - register a driver for dax instances
 * @dax_drv: the driver, with @probe set
 * @module: the module that owns it
 * @mod_name: its module name, also the driver name
 *
 * Use the dax_driver_register() wrapper.
 *
 * Context: process context; takes no dax lock.
 * Return: 0, -EINVAL without a probe method, or driver_register()'s error.
 */
int __dax_driver_register(struct dax_device_driver *dax_drv,
			  struct module *module, const char *mod_name)
{
	struct device_driver *drv = &dax_drv->drv;

	if (!dax_drv->probe)
		return -EINVAL;
	INIT_LIST_HEAD(&dax_drv->ids);
	drv->owner = module;
	drv->name = mod_name;
	drv->mod_name = mod_name;
	drv->bus = &dax_bus_type;
	return driver_register(drv);
}
EXPORT_SYMBOL_GPL(__dax_driver_register);

/**
 * dax_driver_unregister() - unregister a driver and forget its new_id list
 * @dax_drv: a driver registered with dax_driver_register()
 *
 * Context: process context; takes dax_id_lock.
 */
void dax_driver_unregister(struct dax_device_driver *dax_drv)
{
	struct dax_id *dax_id, *next;

	driver_unregister(&dax_drv->drv);
	guard(mutex)(&dax_id_lock);
	list_for_each_entry_safe(dax_id, next, &dax_drv->ids, list) {
		list_del(&dax_id->list);
		kfree(dax_id);
	}
}
EXPORT_SYMBOL_GPL(dax_driver_unregister);

int __init dax_bus_init(void)
{
	return bus_register(&dax_bus_type);
}

void __exit dax_bus_exit(void)
{
	bus_unregister(&dax_bus_type);
}
