// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: Soft Reserved ranges
 *
 * Firmware keeps "specific purpose" memory (EFI_MEMORY_SP) away from the
 * page allocator and lists it in iomem as "Soft Reserved".  This built-in
 * half of hmem records those ranges during boot, from two sources:
 *
 * - the ACPI HMAT parser, which knows the NUMA node of each of its memory
 *   targets and calls hmem_register_resource() at subsys_initcall time;
 * - a device_initcall sweep over iomem, which catches every Soft Reserved
 *   range HMAT did not describe, with the node the firmware tables give
 *   for its start address.
 *
 * Each range is recorded once: a registration that overlaps a recorded
 * range is ignored, so the sweep never duplicates what HMAT registered.
 *
 * The first recorded range also creates the "hmem_platform" device.  The
 * dax_hmem module binds to it and asks walk_hmem_resources() for the
 * record, making one "hmem" device per range.  Because the record lives in
 * built-in code, dax_hmem can be unloaded and loaded again and still find
 * every range firmware described.
 *
 * Booting with "device_hmem.disable=1" records nothing, so device-dax
 * leaves Soft Reserved memory alone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cleanup.h>
#include <linux/dax.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/platform_device.h>

static bool nohmem;
module_param_named(disable, nohmem, bool, 0444);
MODULE_PARM_DESC(disable, "Do not publish Soft Reserved memory to device-dax");

/*
 * hmem_lock protects the children of hmem_ranges (one per recorded range,
 * its desc holding the target node) and hmem_platform_added.
 */
static DEFINE_MUTEX(hmem_lock);
static struct resource hmem_ranges = {
	.name = "Soft Reserved ranges for hmem",
	.start = 0,
	.end = -1,
	.flags = IORESOURCE_MEM,
};

static bool hmem_platform_added;

/**
 * walk_hmem_resources() - call a function for every recorded range
 * @host: device passed through to @fn
 * @fn: called with @host, the range's target node and the range, in
 *	increasing address order
 *
 * The record does not change during the walk.  @fn must not call
 * hmem_register_resource().
 *
 * Context: Process context; takes and releases a mutex, so @fn may sleep.
 * Return: 0 once every range has been seen, or the first non-zero value
 * returned by @fn, which ends the walk.
 */
int walk_hmem_resources(struct device *host, walk_hmem_fn fn)
{
	struct resource *res;
	int rc;

	guard(mutex)(&hmem_lock);
	for (res = hmem_ranges.child; res; res = res->sibling) {
		rc = fn(host, (int)res->desc, res);
		if (rc)
			return rc;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(walk_hmem_resources);

/* Record a range unless it overlaps one already recorded. */
static bool hmem_record(int target_nid, const struct resource *res)
{
	struct resource *rec;

	lockdep_assert_held(&hmem_lock);
	rec = __request_region(&hmem_ranges, res->start, resource_size(res),
			       "hmem", 0);
	if (!rec) {
		pr_debug("%pr overlaps a recorded range, ignored\n", res);
		return false;
	}
	rec->desc = target_nid;
	return true;
}

/*
 * Create the device dax_hmem binds to.  This happens outside hmem_lock:
 * if dax_hmem is already loaded, it probes the device at once and walks
 * the record.
 */
static void hmem_add_platform(void)
{
	struct platform_device *pdev;

	pdev = platform_device_register_simple("hmem_platform", 0, NULL, 0);
	if (!IS_ERR(pdev))
		return;
	pr_warn("cannot add hmem_platform, will retry on the next range: %pe\n",
		pdev);
	guard(mutex)(&hmem_lock);
	hmem_platform_added = false;
}

/**
 * hmem_register_resource() - record a Soft Reserved range for dax_hmem
 * @target_nid: NUMA node the memory belongs to, or %NUMA_NO_NODE
 * @res: the physical range; only its start and end are read
 *
 * Records the range unless device_hmem.disable is set or the range
 * overlaps one recorded before, and creates the hmem_platform device the
 * first time.  A range recorded after dax_hmem has bound hmem_platform
 * gets its hmem device when hmem_platform is next bound.
 *
 * Context: Process context; may sleep.
 */
void hmem_register_resource(int target_nid, struct resource *res)
{
	bool first;

	if (nohmem)
		return;
	scoped_guard(mutex, &hmem_lock) {
		if (!hmem_record(target_nid, res))
			return;
		first = !hmem_platform_added;
		hmem_platform_added = true;
	}
	if (first)
		hmem_add_platform();
}

static __init int hmem_register_one(struct resource *res, void *unused)
{
	hmem_register_resource(phys_to_target_node(res->start), res);
	return 0;
}

/*
 * A device_initcall, so it runs after hmat_init() (subsys_initcall) has
 * registered the ranges it knows with their proper nodes.
 */
static __init int hmem_init(void)
{
	walk_iomem_res_desc(IORES_DESC_SOFT_RESERVED, IORESOURCE_MEM, 0, -1,
			    NULL, hmem_register_one);
	return 0;
}
device_initcall(hmem_init);
