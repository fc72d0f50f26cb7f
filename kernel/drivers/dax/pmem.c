// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: dax regions of persistent memory
 *
 * An nvdimm namespace in "devdax" mode is claimed by an nd_dax device
 * (daxX.Y on the nd bus).  dax_pmem binds to it and publishes its data
 * area as a %DAX_REGION_STATIC region: one instance, fixed in size and
 * place, that cannot be resized, deleted or joined by others.
 *
 * The start of the namespace holds the pfn info block, written by
 * ndctl, and the struct page array the kernel keeps for the data.
 * nvdimm_setup_pfn() reads the info block and returns the page map that
 * describes that layout (with the array as its altmap).  dax_pmem claims
 * the metadata in iomem so nothing else maps it, and hands the page map
 * to the instance, whose driver maps the pages with it.
 *
 * The names follow the namespace: namespaceX.Y becomes region X and
 * instance daxX.Y.  The region's alignment is the one recorded in the
 * info block.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/memremap.h>
#include <linux/module.h>
#include "../nvdimm/pfn.h"
#include "../nvdimm/nd.h"
#include "bus.h"

/* Read the pfn info block through a temporarily enabled namespace. */
static int dax_pmem_setup_pfn(struct device *dev,
			      struct nd_namespace_common *ndns,
			      struct dev_pagemap *pgmap)
{
	struct nd_pfn *nd_pfn = &to_nd_dax(dev)->nd_pfn;
	int rc;

	rc = devm_namespace_enable(dev, ndns, nd_info_block_reserve());
	if (rc) {
		dev_dbg(dev, "cannot enable %s: %d\n", dev_name(&ndns->dev),
			rc);
		return rc;
	}
	rc = nvdimm_setup_pfn(nd_pfn, pgmap);
	if (rc)
		dev_dbg(dev, "no valid pfn info block on %s: %d\n",
			dev_name(&ndns->dev), rc);
	devm_namespace_disable(dev, ndns);
	return rc;
}

/* Claim the info block and page array; the instance claims the data. */
static int dax_pmem_reserve_metadata(struct device *dev,
				     struct nd_namespace_common *ndns,
				     resource_size_t size)
{
	struct nd_namespace_io *nsio = to_nd_namespace_io(&ndns->dev);

	if (!devm_request_mem_region(dev, nsio->res.start, size,
				     dev_name(&ndns->dev))) {
		dev_warn(dev, "metadata of %s (%pa bytes at %pa) is busy\n",
			 dev_name(&ndns->dev), &size, &nsio->res.start);
		return -EBUSY;
	}
	return 0;
}

static int dax_pmem_create(struct device *dev,
			   struct nd_namespace_common *ndns,
			   struct dev_pagemap *pgmap, resource_size_t dataoff)
{
	struct nd_region *nd_region = to_nd_region(dev->parent);
	struct dax_region_info region = {
		.range = pgmap->range,
		.target_node = nd_region->target_node,
		/* nvdimm_setup_pfn() checked it against the info block */
		.align = to_nd_dax(dev)->nd_pfn.align,
		.kind = DAX_REGION_STATIC,
	};
	struct dev_dax_info instance = { .pgmap = pgmap };
	struct dax_region *dax_region;
	struct dev_dax *dev_dax;

	if (sscanf(dev_name(&ndns->dev), "namespace%d.%d", &region.id,
		   &instance.id) != 2) {
		dev_warn(dev, "cannot number the region of %s\n",
			 dev_name(&ndns->dev));
		return -EINVAL;
	}
	region.range.start += dataoff;
	instance.size = range_len(&region.range);

	dax_region = devm_dax_region_create(dev, &region);
	if (IS_ERR(dax_region)) {
		dev_warn(dev, "no dax region for %s: %pe\n",
			 dev_name(&ndns->dev), dax_region);
		return PTR_ERR(dax_region);
	}
	dev_dax = dev_dax_create(dax_region, &instance);
	if (IS_ERR(dev_dax)) {
		dev_warn(dev, "no dax instance for %s: %pe\n",
			 dev_name(&ndns->dev), dev_dax);
		return PTR_ERR(dev_dax);
	}
	return 0;
}

static int dax_pmem_probe(struct device *dev)
{
	struct nd_namespace_common *ndns;
	struct dev_pagemap pgmap = { };
	resource_size_t dataoff;
	int rc;

	ndns = nvdimm_namespace_common_probe(dev);
	if (IS_ERR(ndns))
		return PTR_ERR(ndns);

	rc = dax_pmem_setup_pfn(dev, ndns, &pgmap);
	if (rc)
		return rc;

	dataoff = le64_to_cpu(to_nd_dax(dev)->nd_pfn.pfn_sb->dataoff);
	rc = dax_pmem_reserve_metadata(dev, ndns, dataoff);
	if (rc)
		return rc;

	/* the core copies pgmap, so a stack copy is enough */
	return dax_pmem_create(dev, ndns, &pgmap, dataoff);
}

static struct nd_device_driver dax_pmem_driver = {
	.probe = dax_pmem_probe,
	.drv = {
		.name = "dax_pmem",
	},
	.type = ND_DRIVER_DAX_PMEM,
};
module_nd_driver(dax_pmem_driver);

MODULE_ALIAS_ND_DEVICE(ND_DEVICE_DAX_PMEM);
MODULE_DESCRIPTION("PMEM DAX: direct access to persistent memory");
MODULE_LICENSE("GPL");
