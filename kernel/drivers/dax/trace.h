/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of the device_dax driver (drivers/dax/device.c).
 *
 * dax_fault fires once for every fault that reaches /dev/daxX.Y, whatever
 * its outcome, so that the page size actually used for a mapping can be
 * observed: a 2M instance shows size=0x200000 with result=NOPAGE, a PUD
 * attempt on it shows size=0x40000000 with result=FALLBACK.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM dev_dax

#if !defined(_DEV_DAX_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DEV_DAX_TRACE_H

#include <linux/device.h>
#include <linux/mm.h>
#include <linux/tracepoint.h>

/*
 * vm_fault_t is a sparse-restricted type: the event keeps it as an
 * unsigned int and names the results a device_dax fault can have (other
 * bits print in hex).
 */
#define DEV_DAX_RESULT(r)	{ (__force unsigned int)VM_FAULT_##r, #r }

TRACE_EVENT(dax_fault,
	    TP_PROTO(const struct device *dev, const struct vm_fault *vmf,
		     pgoff_t pgoff, unsigned long size, vm_fault_t result),
	    TP_ARGS(dev, vmf, pgoff, size, result),
	    TP_STRUCT__entry(__string(dev, dev_name(dev))
			     __field(dev_t, devt)
			     __field(unsigned long, address)
			     __field(pgoff_t, pgoff)
			     __field(unsigned long, size)
			     __field(bool, write)
			     __field(unsigned int, result)),
	    TP_fast_assign(__assign_str(dev);
			   __entry->devt = dev->devt;
			   __entry->address = vmf->address;
			   __entry->pgoff = pgoff;
			   __entry->size = size;
			   __entry->write = !!(vmf->flags & FAULT_FLAG_WRITE);
			   __entry->result = (__force unsigned int)result;),
	    TP_printk("%s (%d:%d) %s addr=%#lx pgoff=%#lx size=%#lx result=%s",
		      __get_str(dev), MAJOR(__entry->devt),
		      MINOR(__entry->devt), __entry->write ? "write" : "read",
		      __entry->address, __entry->pgoff, __entry->size,
		      __print_flags(__entry->result, "|",
				    DEV_DAX_RESULT(OOM), DEV_DAX_RESULT(SIGBUS),
				    DEV_DAX_RESULT(NOPAGE),
				    DEV_DAX_RESULT(FALLBACK)))
);

#endif /* _DEV_DAX_TRACE_H */

/* This part must be outside the include guard */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
