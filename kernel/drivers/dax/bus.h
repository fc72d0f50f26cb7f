/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device-dax bus as seen by region providers (hmem, pmem, cxl) and by
 * instance drivers (device_dax, kmem).
 */
#ifndef __DAX_BUS_H__
#define __DAX_BUS_H__

#include <linux/device.h>
#include <linux/list.h>
#include <linux/range.h>

struct dev_dax;
struct dax_region;
struct dev_pagemap;

/**
 * enum dax_region_kind - how a region is carved up, and its default driver
 * @DAX_REGION_DEVICE: dynamic region; instances bind to device_dax
 * @DAX_REGION_KMEM: dynamic region; instances bind to kmem by default
 * @DAX_REGION_STATIC: one fixed instance described by the provider (pmem);
 *	no create/delete/resize, binds to device_dax
 */
enum dax_region_kind {
	DAX_REGION_DEVICE,
	DAX_REGION_KMEM,
	DAX_REGION_STATIC,
};

/**
 * struct dax_region_info - what a provider tells the core about a region
 * @id: region number, unique on the bus
 * @range: physical span; start and length must be multiples of @align
 * @target_node: NUMA node for hot-plugged memory, or NUMA_NO_NODE
 * @align: default instance alignment (PAGE_SIZE, PMD_SIZE or PUD_SIZE)
 * @kind: see &enum dax_region_kind
 */
struct dax_region_info {
	int id;
	struct range range;
	int target_node;
	unsigned int align;
	enum dax_region_kind kind;
};

struct dax_region *devm_dax_region_create(struct device *parent,
					  const struct dax_region_info *info);

/**
 * struct dev_dax_info - what a provider tells the core about an instance
 * @size: bytes allocated from the start of the region's free space
 * @id: instance number for a static region; -1 for a dynamic region
 * @pgmap: a static region's page map, copied by the core; NULL otherwise
 * @memmap_on_memory: initial value of the memmap_on_memory attribute
 */
struct dev_dax_info {
	resource_size_t size;
	int id;
	struct dev_pagemap *pgmap;
	bool memmap_on_memory;
};

struct dev_dax *dev_dax_create(struct dax_region *dax_region,
			       const struct dev_dax_info *info);

/**
 * enum dax_driver_type - which regions a driver serves by default
 * @DAXDRV_KMEM_TYPE: instances of %DAX_REGION_KMEM regions
 * @DAXDRV_DEVICE_TYPE: instances of every other region
 */
enum dax_driver_type {
	DAXDRV_KMEM_TYPE,
	DAXDRV_DEVICE_TYPE,
};

/**
 * struct dax_device_driver - a driver for dax instances
 * @drv: driver core
 * @ids: instance names added through new_id (protected by dax_id_lock)
 * @type: default match, see &enum dax_driver_type
 * @probe: bind an instance; called with a non-zero size and the
 *	instance's device lock held
 * @remove: undo @probe; optional
 */
struct dax_device_driver {
	struct device_driver drv;
	struct list_head ids;
	enum dax_driver_type type;
	int (*probe)(struct dev_dax *dev_dax);
	void (*remove)(struct dev_dax *dev_dax);
};

#define to_dax_drv(__drv) container_of_const(__drv, struct dax_device_driver, drv)

int __dax_driver_register(struct dax_device_driver *dax_drv,
			  struct module *module, const char *mod_name);
#define dax_driver_register(driver) \
	__dax_driver_register(driver, THIS_MODULE, KBUILD_MODNAME)
void dax_driver_unregister(struct dax_device_driver *dax_drv);

/* Helpers for bound drivers */
void dev_dax_kill(struct dev_dax *dev_dax);
bool static_dev_dax(struct dev_dax *dev_dax);
phys_addr_t dax_pgoff_to_phys(struct dev_dax *dev_dax, pgoff_t pgoff,
			      unsigned long size);

#define MODULE_ALIAS_DAX_DEVICE(type) \
	MODULE_ALIAS("dax:t" __stringify(type) "*")
#define DAX_DEVICE_MODALIAS_FMT "dax:t%d"

#endif /* __DAX_BUS_H__ */
