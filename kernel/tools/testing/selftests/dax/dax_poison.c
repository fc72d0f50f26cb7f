// SPDX-License-Identifier: GPL-2.0
/*
 * dax_poison - inject a memory failure into a page of /dev/daxX.Y that was
 * first faulted in through an address that is not aligned to the page
 * size, and report the signal that memory_failure() sends back.
 *
 * Usage: dax_poison DEV
 * DEV must be bound to device_dax, with a 2 MiB align and at least 8 MiB.
 * The program maps 8 MiB, reads the first huge page at its start and the
 * second one 4 KiB into it, then calls madvise(MADV_HWPOISON) on the page
 * 12 KiB into the second huge page.  memory_failure() finds the processes
 * that map the poisoned page through the file offset that the fault
 * recorded in the (compound) page, and signals them with the address of
 * the whole huge page, which is lost.
 *
 * Prints "CODE OFFSET LSB": the si_code of the SIGBUS (BUS_MCEERR_AR
 * expected), the offset of si_addr in the mapping (0x200000 expected: the
 * second huge page) and si_addr_lsb (21 expected: 2 MiB); or "no signal".  Exit status:
 * 0 when a SIGBUS came, 1 when none did, 3 on other failures, 4 when the
 * kernel cannot inject memory failures (no CONFIG_MEMORY_FAILURE).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MiB		(1UL << 20)
#define LEN		(8 * MiB)
#define FIRST_TOUCH	(2 * MiB + 4096)
#define POISON		(2 * MiB + 3 * 4096)

static sigjmp_buf env;
static siginfo_t got;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got = *si;
	siglongjmp(env, 1);
}

static const char *code_name(int code)
{
	switch (code) {
	case BUS_MCEERR_AR: return "BUS_MCEERR_AR";
	case BUS_MCEERR_AO: return "BUS_MCEERR_AO";
	case BUS_ADRERR: return "BUS_ADRERR";
	default: return "other";
	}
}

static volatile char *map_dev(const char *dev)
{
	char path[PATH_MAX];
	void *p;
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", dev);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return NULL;
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };
	volatile char *p;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DEV\n", argv[0]);
		return 3;
	}
	p = map_dev(argv[1]);
	if (!p) {
		printf("cannot map /dev/%s: %s\n", argv[1], strerror(errno));
		return 3;
	}
	(void)p[0];
	(void)p[FIRST_TOUCH];

	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(env, 1)) {
		printf("%s %#lx %d\n", code_name(got.si_code),
		       (unsigned long)((char *)got.si_addr - (char *)p),
		       got.si_addr_lsb);
		return 0;
	}
	if (madvise((void *)(p + POISON), 4096, MADV_HWPOISON)) {
		int err = errno;

		printf("madvise(MADV_HWPOISON): %s\n", strerror(err));
		/* EINVAL: a kernel without CONFIG_MEMORY_FAILURE */
		return err == EINVAL ? 4 : 3;
	}
	printf("no signal\n");
	return 1;
}
