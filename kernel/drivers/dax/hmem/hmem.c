// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: dax regions of Soft Reserved memory
 *
 * dax_hmem holds two platform drivers.
 *
 * "hmem_platform" binds to the one device device_hmem creates once it has
 * recorded a Soft Reserved range.  Its probe turns every recorded range
 * into an "hmem.N" platform device, N taken from the memregion id
 * allocator, whose platform data is a &struct memregion_info.  Unbinding
 * it removes those devices again, and their N.
 *
 * "hmem" binds to each hmem.N device and makes its range dax region N,
 * with one instance daxN.0 spanning the whole range.  The region is of
 * kind %DAX_REGION_KMEM, so by default the instance binds to kmem and the
 * memory becomes System RAM on the range's node.  With the region_idle
 * parameter set the region starts empty instead, and its instances bind
 * to device_dax, for an administrator who wants to carve it first.
 *
 * When the kernel can assemble CXL regions, a range that touches a CXL
 * window is left to the CXL driver, which publishes it through dax_cxl;
 * an hmem device as well would hand the same memory out twice.  A range
 * that is not wholly Soft Reserved (HMAT may describe more than firmware
 * reserved) is skipped too.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dax.h>
#include <linux/ioport.h>
#include <linux/memregion.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/platform_device.h>
#include "../bus.h"

static bool region_idle;
module_param(region_idle, bool, 0644);
MODULE_PARM_DESC(region_idle,
		 "Create hmem regions empty, for device_dax, instead of one kmem instance");

static struct dax_region *hmem_region_create(struct platform_device *pdev,
					     const struct memregion_info *mri)
{
	const struct dax_region_info info = {
		.id = pdev->id,
		.range = mri->range,
		.target_node = mri->target_node,
		.align = PMD_SIZE,
		.kind = region_idle ? DAX_REGION_DEVICE : DAX_REGION_KMEM,
	};

	return devm_dax_region_create(&pdev->dev, &info);
}

static int dax_hmem_probe(struct platform_device *pdev)
{
	const struct memregion_info *mri = dev_get_platdata(&pdev->dev);
	struct dev_dax_info info = { .id = -1 };
	struct dax_region *dax_region;
	struct dev_dax *dev_dax;

	if (!mri) {
		dev_warn(&pdev->dev, "no memregion_info, nothing to publish\n");
		return -EINVAL;
	}

	dax_region = hmem_region_create(pdev, mri);
	if (IS_ERR(dax_region)) {
		dev_warn(&pdev->dev, "no dax region for %#llx-%#llx: %pe\n",
			 mri->range.start, mri->range.end, dax_region);
		return PTR_ERR(dax_region);
	}

	if (!region_idle)
		info.size = range_len(&mri->range);
	dev_dax = dev_dax_create(dax_region, &info);
	if (IS_ERR(dev_dax)) {
		dev_warn(&pdev->dev, "no dax instance of %llu bytes: %pe\n",
			 (unsigned long long)info.size, dev_dax);
		return PTR_ERR(dev_dax);
	}
	return 0;
}

static struct platform_driver dax_hmem_driver = {
	.probe = dax_hmem_probe,
	.driver = {
		.name = "hmem",
	},
};

static bool hmem_range_wanted(struct device *host, const struct resource *res)
{
	resource_size_t size = resource_size(res);

	if (IS_ENABLED(CONFIG_CXL_REGION) &&
	    region_intersects(res->start, size, IORESOURCE_MEM,
			      IORES_DESC_CXL) != REGION_DISJOINT) {
		dev_dbg(host, "%pr touches a CXL window, left to the CXL driver\n",
			res);
		return false;
	}
	if (region_intersects(res->start, size, IORESOURCE_MEM,
			      IORES_DESC_SOFT_RESERVED) != REGION_INTERSECTS) {
		dev_dbg(host, "%pr is not wholly Soft Reserved, skipped\n", res);
		return false;
	}
	return true;
}

static void hmem_free_id(void *id)
{
	memregion_free((long)id);
}

static void hmem_unregister(void *pdev)
{
	platform_device_unregister(pdev);
}

static int hmem_add_device(struct device *host, int id, int target_nid,
			   const struct resource *res)
{
	const struct memregion_info mri = {
		.target_node = target_nid,
		.range = { .start = res->start, .end = res->end },
	};
	struct platform_device *pdev;
	int rc;

	pdev = platform_device_alloc("hmem", id);
	if (!pdev)
		return -ENOMEM;
	pdev->dev.numa_node = numa_map_to_online_node(target_nid);
	rc = platform_device_add_data(pdev, &mri, sizeof(mri));
	if (!rc)
		rc = platform_device_add(pdev);
	if (rc) {
		dev_warn(host, "cannot add hmem.%d for %pr: %pe\n", id, res,
			 ERR_PTR(rc));
		platform_device_put(pdev);
		return rc;
	}
	dev_dbg(host, "hmem.%d publishes %pr, node %d\n", id, res, target_nid);
	return devm_add_action_or_reset(host, hmem_unregister, pdev);
}

/* walk_hmem_resources() callback: one hmem device per usable range */
static int hmem_register_device(struct device *host, int target_nid,
				const struct resource *res)
{
	int id, rc;

	if (!hmem_range_wanted(host, res))
		return 0;

	id = memregion_alloc(GFP_KERNEL);
	if (id < 0) {
		dev_warn(host, "no memregion id for %pr: %pe\n", res,
			 ERR_PTR(id));
		return id;
	}
	rc = devm_add_action_or_reset(host, hmem_free_id, (void *)(long)id);
	if (rc)
		return rc;
	return hmem_add_device(host, id, target_nid, res);
}

static int dax_hmem_platform_probe(struct platform_device *pdev)
{
	return walk_hmem_resources(&pdev->dev, hmem_register_device);
}

static struct platform_driver dax_hmem_platform_driver = {
	.probe = dax_hmem_platform_probe,
	.driver = {
		.name = "hmem_platform",
	},
};

/*
 * "hmem" first, so the devices hmem_platform adds are bound as they
 * appear; unregistering goes in reverse, removing the devices before
 * their driver.
 */
static struct platform_driver *const dax_hmem_drivers[] = {
	&dax_hmem_driver,
	&dax_hmem_platform_driver,
};

static int __init dax_hmem_init(void)
{
	return platform_register_drivers(dax_hmem_drivers,
					 ARRAY_SIZE(dax_hmem_drivers));
}
module_init(dax_hmem_init);

static void __exit dax_hmem_exit(void)
{
	platform_unregister_drivers(dax_hmem_drivers,
				    ARRAY_SIZE(dax_hmem_drivers));
}
module_exit(dax_hmem_exit);

/* cxl_acpi marks the CXL windows that hmem_range_wanted() defers to */
#if IS_ENABLED(CONFIG_CXL_REGION) && IS_MODULE(CONFIG_CXL_ACPI)
MODULE_SOFTDEP("pre: cxl_acpi");
#endif

MODULE_ALIAS("platform:hmem*");
MODULE_ALIAS("platform:hmem_platform*");
MODULE_DESCRIPTION("HMEM DAX: direct access to 'specific purpose' memory");
MODULE_LICENSE("GPL");
