// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: dax regions of CXL memory
 *
 * When the CXL driver assembles a RAM region that is not already System
 * RAM (firmware left it Soft Reserved, or the region was created after
 * boot), it adds a cxl_dax_region device, dax_regionN, on the cxl bus.
 * dax_cxl binds to it and makes the region's host physical range dax
 * region N, of kind %DAX_REGION_KMEM, with one instance spanning it all.
 * The instance therefore goes to kmem by default, with memmap_on_memory
 * set so that the struct pages of CXL memory live in CXL memory rather
 * than in scarcer local DRAM.
 *
 * The NUMA node is the one firmware assigned to the range, or else the
 * node memory hotplug would pick for its start address.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/memory_hotplug.h>
#include <linux/module.h>
#include <linux/numa.h>
#include "../cxl/cxl.h"
#include "bus.h"

static int cxl_dax_region_node(const struct range *hpa)
{
	int nid = phys_to_target_node(hpa->start);

	if (nid == NUMA_NO_NODE)
		nid = memory_add_physaddr_to_nid(hpa->start);
	return nid;
}

static int cxl_dax_region_probe(struct device *dev)
{
	struct cxl_dax_region *cxlr_dax = to_cxl_dax_region(dev);
	const struct dax_region_info region = {
		.id = cxlr_dax->cxlr->id,
		.range = cxlr_dax->hpa_range,
		.target_node = cxl_dax_region_node(&cxlr_dax->hpa_range),
		.align = PMD_SIZE,
		.kind = DAX_REGION_KMEM,
	};
	const struct dev_dax_info instance = {
		.size = range_len(&cxlr_dax->hpa_range),
		.id = -1,
		.memmap_on_memory = true,
	};
	struct dax_region *dax_region;
	struct dev_dax *dev_dax;

	dax_region = devm_dax_region_create(dev, &region);
	if (IS_ERR(dax_region)) {
		dev_warn(dev, "no dax region for %#llx-%#llx: %pe\n",
			 region.range.start, region.range.end, dax_region);
		return PTR_ERR(dax_region);
	}
	dev_dax = dev_dax_create(dax_region, &instance);
	if (IS_ERR(dev_dax)) {
		dev_warn(dev, "no dax instance of %llu bytes: %pe\n",
			 (unsigned long long)instance.size, dev_dax);
		return PTR_ERR(dev_dax);
	}
	return 0;
}

static struct cxl_driver cxl_dax_region_driver = {
	.name = "cxl_dax_region",
	.probe = cxl_dax_region_probe,
	.id = CXL_DEVICE_DAX_REGION,
	.drv = {
		/* the CXL region owns the binding; userspace may not undo it */
		.suppress_bind_attrs = true,
	},
};
module_cxl_driver(cxl_dax_region_driver);

MODULE_ALIAS_CXL(CXL_DEVICE_DAX_REGION);
MODULE_DESCRIPTION("CXL DAX: direct access to CXL RAM regions");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(CXL);
