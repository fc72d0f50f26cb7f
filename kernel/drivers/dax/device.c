// SPDX-License-Identifier: GPL-2.0-only
/*
 * device_dax: the /dev/daxX.Y character device of a dax instance.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/cleanup.h>
#include <linux/dax.h>
#include <linux/fs.h>
#include <linux/huge_mm.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/pagemap.h>
#include <linux/pfn_t.h>
#include <linux/sched/mm.h>
#include "dax-private.h"
#include "bus.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

/**
 * DOC: device_dax
 *
 * device_dax hands a whole dax instance to userspace as /dev/daxX.Y.  The
 * device can only be mapped shared, and every mapping is made of pages of
 * exactly the instance's align (4K, 2M or 1G): the start, end and file
 * offset of a mapping must be multiples of it, get_unmapped_area picks
 * suitably aligned addresses, and a fault of any other size is either
 * retried smaller (VM_FAULT_FALLBACK) or refused (VM_FAULT_SIGBUS).
 *
 * Binding maps the instance's ranges with devm_memremap_pages() so that
 * the memory has struct pages (compound pages of the align for 2M and 1G
 * instances), claims the ranges in iomem under the instance's name, and
 * publishes the character device on the instance's dax_device inode.
 *
 * Unbinding kills the dax_device: faults and mmap() run inside
 * dax_read_lock() and check dax_alive() first, and dev_dax_kill() waits
 * for those in flight and zaps every user mapping, so a process that still
 * holds a mapping of an unbound instance gets SIGBUS on its next access.
 *
 * Every fault is reported by the dev_dax:dax_fault tracepoint.
 */

/*
 * dax_read_lock() is an SRCU read section over the liveness of every
 * dax_device; make it a scoped guard.
 */
DEFINE_LOCK_GUARD_0(dax_read, _T->id = dax_read_lock(),
		    dax_read_unlock(_T->id), int id)

/**
 * dev_dax_check_vma() - may this vma map the instance?
 * @dev_dax: the instance behind the file
 * @vma: the mapping being set up
 *
 * Checked once, at mmap() time: none of it changes afterwards, and
 * may_split keeps the vma's ends aligned.  A fault only checks that the
 * instance is still alive and that its page lies in the vma.
 *
 * Context: inside dax_read_lock().
 * Return: 0; -ENXIO once the instance is unbound; -EINVAL, with a
 * ratelimited message naming the process, for a private mapping, one whose
 * start, end or file offset is not a multiple of the align, or a file
 * that is not DAX.
 */
static int dev_dax_check_vma(struct dev_dax *dev_dax,
			     struct vm_area_struct *vma)
{
	struct device *dev = &dev_dax->dev;
	unsigned long align = dev_dax->align;

	if (!dax_alive(dev_dax->dax_dev))
		return -ENXIO;

	if (!(vma->vm_flags & VM_MAYSHARE)) {
		dev_info_ratelimited(dev, "%s: mmap refused: private mapping\n",
				     current->comm);
		return -EINVAL;
	}

	if (!IS_ALIGNED(vma->vm_start | vma->vm_end, align) ||
	    !IS_ALIGNED(vma->vm_pgoff, align >> PAGE_SHIFT)) {
		dev_info_ratelimited(dev,
				     "%s: mmap refused: %#lx-%#lx at page offset %#lx is not %#lx aligned\n",
				     current->comm, vma->vm_start,
				     vma->vm_end, vma->vm_pgoff, align);
		return -EINVAL;
	}

	if (!vma_is_dax(vma)) {
		dev_info_ratelimited(dev, "%s: mmap refused: file is not DAX\n",
				     current->comm);
		return -EINVAL;
	}

	return 0;
}

/*
 * Tell memory_failure() which file and offset a page belongs to.  The
 * fault size always equals the align here, and for align > PAGE_SIZE the
 * memmap is made of compound pages of that size, so the fault covers
 * exactly one folio.
 */
static void dev_dax_set_mapping(struct vm_fault *vmf, pfn_t pfn, pgoff_t pgoff)
{
	struct folio *folio = page_folio(pfn_t_to_page(pfn));

	if (folio->mapping)
		return;
	folio->mapping = vmf->vma->vm_file->f_mapping;
	folio->index = pgoff;
}

static vm_fault_t dev_dax_insert(struct vm_fault *vmf, unsigned long addr,
				 pfn_t pfn, unsigned long size)
{
	bool write = vmf->flags & FAULT_FLAG_WRITE;

	if (size == PAGE_SIZE)
		return vmf_insert_mixed(vmf->vma, addr, pfn);
	if (size == PMD_SIZE)
		return vmf_insert_pfn_pmd(vmf, pfn, write);
	if (IS_ENABLED(CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD) &&
	    size == PUD_SIZE)
		return vmf_insert_pfn_pud(vmf, pfn, write);
	return VM_FAULT_FALLBACK;
}

/**
 * __dev_dax_fault() - map one page of the fault size
 * @dev_dax: the instance behind the faulting file
 * @vmf: the fault
 * @addr: the faulting address rounded down to @size
 * @pgoff: page offset in the instance of @addr
 * @size: PAGE_SIZE, PMD_SIZE or PUD_SIZE
 *
 * Context: inside dax_read_lock().
 * Return: VM_FAULT_NOPAGE once mapped; VM_FAULT_FALLBACK when @size is
 * larger than the align, so that the core retries with a smaller one;
 * VM_FAULT_SIGBUS when the instance is gone, @size is smaller than the
 * align, or the page does not fit the vma or the instance.
 */
static vm_fault_t __dev_dax_fault(struct dev_dax *dev_dax, struct vm_fault *vmf,
				  unsigned long addr, pgoff_t pgoff,
				  unsigned long size)
{
	struct vm_area_struct *vma = vmf->vma;
	phys_addr_t phys;
	pfn_t pfn;

	if (!dax_alive(dev_dax->dax_dev))
		return VM_FAULT_SIGBUS;
	if (size < dev_dax->align)
		return VM_FAULT_SIGBUS;
	if (size > dev_dax->align)
		return VM_FAULT_FALLBACK;
	if (addr < vma->vm_start || addr + size > vma->vm_end)
		return VM_FAULT_SIGBUS;

	phys = dax_pgoff_to_phys(dev_dax, pgoff, size);
	if (phys == (phys_addr_t)-1) {
		dev_dbg(&dev_dax->dev, "no range holds page offset %#lx (%#lx bytes)\n",
			pgoff, size);
		return VM_FAULT_SIGBUS;
	}

	pfn = phys_to_pfn_t(phys, PFN_DEV | PFN_MAP);
	dev_dax_set_mapping(vmf, pfn, pgoff);
	return dev_dax_insert(vmf, addr, pfn, size);
}

static vm_fault_t dev_dax_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct dev_dax *dev_dax = vmf->vma->vm_file->private_data;
	unsigned long size = PAGE_SIZE << order;
	unsigned long addr = ALIGN_DOWN(vmf->address, size);
	pgoff_t pgoff = linear_page_index(vmf->vma, addr);
	vm_fault_t ret;

	guard(dax_read)();
	ret = __dev_dax_fault(dev_dax, vmf, addr, pgoff, size);
	trace_dax_fault(&dev_dax->dev, vmf, pgoff, size, ret);
	return ret;
}

static vm_fault_t dev_dax_fault(struct vm_fault *vmf)
{
	return dev_dax_huge_fault(vmf, 0);
}

static int dev_dax_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	struct dev_dax *dev_dax = vma->vm_file->private_data;

	return IS_ALIGNED(addr, dev_dax->align) ? 0 : -EINVAL;
}

static unsigned long dev_dax_pagesize(struct vm_area_struct *vma)
{
	struct dev_dax *dev_dax = vma->vm_file->private_data;

	return dev_dax->align;
}

static const struct vm_operations_struct dev_dax_vm_ops = {
	.fault = dev_dax_fault,
	.huge_fault = dev_dax_huge_fault,
	.may_split = dev_dax_may_split,
	.pagesize = dev_dax_pagesize,
};

static int dax_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct dev_dax *dev_dax = filp->private_data;

	/* each fault checks again that the instance is alive */
	scoped_guard(dax_read) {
		int rc = dev_dax_check_vma(dev_dax, vma);

		if (rc)
			return rc;
	}

	vma->vm_ops = &dev_dax_vm_ops;
	vm_flags_set(vma, VM_HUGEPAGE);
	return 0;
}

/*
 * Find room for @len bytes whose address is congruent to the file offset
 * modulo the align, so that 2M and 1G instances can be mapped with huge
 * pages: search for @len + align bytes and slide into them.
 */
static unsigned long dax_get_unmapped_area(struct file *filp,
					   unsigned long addr,
					   unsigned long len,
					   unsigned long pgoff,
					   unsigned long flags)
{
	struct dev_dax *dev_dax = filp ? filp->private_data : NULL;
	unsigned long align, area;

	if (!dev_dax || (flags & MAP_FIXED) || dev_dax->align <= PAGE_SIZE)
		goto plain;
	align = dev_dax->align;
	if (len < align || len + align < len)
		goto plain;

	if (addr) {
		area = mm_get_unmapped_area(current->mm, filp, addr, len,
					    pgoff, flags);
		if (!IS_ERR_VALUE(area) &&
		    IS_ALIGNED(area - (pgoff << PAGE_SHIFT), align))
			return area;
	}

	area = mm_get_unmapped_area(current->mm, filp, 0, len + align, pgoff,
				    flags);
	if (IS_ERR_VALUE(area))
		goto plain;
	return area + (((pgoff << PAGE_SHIFT) - area) & (align - 1));

plain:
	return mm_get_unmapped_area(current->mm, filp, addr, len, pgoff, flags);
}

static const struct address_space_operations dev_dax_aops = {
	.dirty_folio = noop_dirty_folio,
};

/*
 * The device node's inode shares the page cache of the dax_device inode,
 * which is where faults record their folios and where dev_dax_kill()
 * zaps user mappings from.
 */
static int dax_open(struct inode *inode, struct file *filp)
{
	/* the cdev holds a reference to its parent, the instance */
	struct device *dev = kobj_to_dev(inode->i_cdev->kobj.parent);
	struct dev_dax *dev_dax = to_dev_dax(dev);
	struct inode *dax_ino = dax_inode(dev_dax->dax_dev);

	guard(dax_read)();
	if (!dax_alive(dev_dax->dax_dev))
		return -ENXIO;

	inode->i_mapping = dax_ino->i_mapping;
	inode->i_mapping->host = dax_ino;
	inode->i_mapping->a_ops = &dev_dax_aops;
	inode->i_flags = S_DAX;
	filp->f_mapping = inode->i_mapping;
	filp->f_wb_err = filemap_sample_wb_err(filp->f_mapping);
	filp->f_sb_err = file_sample_sb_err(filp);
	filp->private_data = dev_dax;
	dev_dbg(&dev_dax->dev, "opened by %s\n", current->comm);
	return 0;
}

static int dax_release(struct inode *inode, struct file *filp)
{
	struct dev_dax *dev_dax = filp->private_data;

	dev_dbg(&dev_dax->dev, "closed by %s\n", current->comm);
	return 0;
}

static const struct file_operations dax_fops = {
	.owner = THIS_MODULE,
	.llseek = noop_llseek,
	.open = dax_open,
	.release = dax_release,
	.mmap = dax_mmap,
	.get_unmapped_area = dax_get_unmapped_area,
	.fop_flags = FOP_MMAP_SYNC,
};

/* claim every range in iomem under the instance's name */
static int dev_dax_request_ranges(struct dev_dax *dev_dax)
{
	struct device *dev = &dev_dax->dev;
	unsigned int i;

	for (i = 0; i < dev_dax->ranges.nr; i++) {
		const struct range *range = &dev_dax->ranges.r[i].range;

		if (!devm_request_mem_region(dev, range->start,
					     range_len(range), dev_name(dev))) {
			dev_warn(dev, "mapping%u: %#llx-%#llx is already claimed\n",
				 i, range->start, range->end);
			return -EBUSY;
		}
	}
	return 0;
}

/* a failed probe must not leave a pointer to the freed page map behind */
static void dev_dax_forget_pgmap(void *data)
{
	struct dev_dax *dev_dax = data;

	dev_dax->pgmap = NULL;
}

/* a dynamic instance's page map: one entry per range, freed by devres */
static struct dev_pagemap *dev_dax_alloc_pgmap(struct dev_dax *dev_dax)
{
	const struct dax_ranges *t = &dev_dax->ranges;
	struct device *dev = &dev_dax->dev;
	struct dev_pagemap *pgmap;
	unsigned int i;
	int rc;

	if (dev_dax->pgmap) {
		dev_warn(dev, "dynamic instance already has a page map\n");
		return ERR_PTR(-EINVAL);
	}

	/* the first entry of the ranges[] union is part of the struct */
	pgmap = devm_kzalloc(dev, struct_size(pgmap, ranges, t->nr - 1),
			     GFP_KERNEL);
	if (!pgmap)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < t->nr; i++)
		pgmap->ranges[i] = t->r[i].range;
	pgmap->nr_range = t->nr;

	dev_dax->pgmap = pgmap;
	rc = devm_add_action_or_reset(dev, dev_dax_forget_pgmap, dev_dax);
	return rc ? ERR_PTR(rc) : pgmap;
}

/* a static instance maps the page map its provider described */
static struct dev_pagemap *dev_dax_static_pgmap(struct dev_dax *dev_dax)
{
	struct device *dev = &dev_dax->dev;

	if (dev_dax->ranges.nr != 1 || !dev_dax->pgmap) {
		dev_warn(dev, "static instance needs one range and a page map, has %u and %s\n",
			 dev_dax->ranges.nr, dev_dax->pgmap ? "one" : "none");
		return ERR_PTR(-EINVAL);
	}
	return dev_dax->pgmap;
}

/* give the ranges struct pages: compound ones of the align above 4K */
static int dev_dax_map_pages(struct dev_dax *dev_dax)
{
	struct dev_pagemap *pgmap;
	void *addr;

	if (static_dev_dax(dev_dax))
		pgmap = dev_dax_static_pgmap(dev_dax);
	else
		pgmap = dev_dax_alloc_pgmap(dev_dax);
	if (IS_ERR(pgmap))
		return PTR_ERR(pgmap);

	pgmap->type = MEMORY_DEVICE_GENERIC;
	pgmap->vmemmap_shift = ilog2(dev_dax->align >> PAGE_SHIFT);
	addr = devm_memremap_pages(&dev_dax->dev, pgmap);
	return PTR_ERR_OR_ZERO(addr);
}

/*
 * Undo dev_dax_publish(): kill the dax_device first, so that no new fault
 * or open gets through and every user mapping is zapped, then remove the
 * device number.  Files still open keep the cdev until they are closed.
 */
static void dev_dax_unpublish(void *data)
{
	struct dev_dax *dev_dax = data;
	struct device *dev = &dev_dax->dev;

	dev_dax_kill(dev_dax);
	cdev_del(dev_get_drvdata(dev));
	dev_set_drvdata(dev, NULL);
}

/*
 * Make /dev/daxX.Y open the instance.  Each bind gets a cdev of its own:
 * a file opened during an earlier bind may still hold the previous one,
 * so it must not be initialised again (the cdev embedded in the
 * dax_device would be).
 */
static int dev_dax_publish(struct dev_dax *dev_dax)
{
	struct device *dev = &dev_dax->dev;
	struct cdev *cdev = cdev_alloc();
	int rc;

	if (!cdev)
		return -ENOMEM;
	cdev->ops = &dax_fops;
	cdev->owner = THIS_MODULE;
	cdev_set_parent(cdev, &dev->kobj);
	rc = cdev_add(cdev, dev->devt, 1);
	if (rc) {
		dev_warn(dev, "cannot add the character device: %d\n", rc);
		/* cdev_add() took no reference on the parent */
		cdev->kobj.parent = NULL;
		kobject_put(&cdev->kobj);
		return rc;
	}
	dev_set_drvdata(dev, cdev);
	run_dax(dev_dax->dax_dev);
	return devm_add_action_or_reset(dev, dev_dax_unpublish, dev_dax);
}

static int dev_dax_probe(struct dev_dax *dev_dax)
{
	int rc;

	if (!dev_dax->ranges.nr || !dax_align_valid(dev_dax->align))
		return -EINVAL;

	rc = dev_dax_request_ranges(dev_dax);
	if (rc)
		return rc;
	rc = dev_dax_map_pages(dev_dax);
	if (rc)
		return rc;
	return dev_dax_publish(dev_dax);
}

static struct dax_device_driver device_dax_driver = {
	.probe = dev_dax_probe,
	.type = DAXDRV_DEVICE_TYPE,
};
module_driver(device_dax_driver, dax_driver_register, dax_driver_unregister);

MODULE_DESCRIPTION("Device DAX: the /dev/daxX.Y character device");
MODULE_LICENSE("GPL");
MODULE_ALIAS_DAX_DEVICE(0);
