// SPDX-License-Identifier: GPL-2.0
/*
 * dax_hold - keep /dev/daxX.Y open and mapped while a test script changes
 * the instance under it (unbinds it, deletes it, unloads modules), and
 * report on request what the open file and the mapping still do.
 *
 * Usage: dax_hold DEV LENGTH
 * Opens /dev/DEV, maps LENGTH bytes shared, reads the first byte (which
 * maps its page) and prints "ready", or the errno name of what failed and
 * exits 1.  It writes nothing.  Then it runs one command per line of
 * standard input and answers each with one line:
 *   touch   read the first byte again: "ok", "mismatch" (it changed) or
 *           "sigbus"
 *   mmap    map the open file again: "ok" (unmapped at once) or the errno
 *   read    read(2) one byte from the open file: "ok" or the errno
 *   munmap  unmap the first mapping: "ok" or the errno
 *   close   close the file: "ok" or the errno
 *   quit    exit 0
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf sigbus_env;
static unsigned char first;	/* the first byte, as read at start */

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(sigbus_env, 1);
}

static const char *errname(int err)
{
	return strerrorname_np(err) ?: "EUNKNOWN";
}

static const char *touch(volatile unsigned char *p)
{
	if (!p)
		return "unmapped";
	if (sigsetjmp(sigbus_env, 1))
		return "sigbus";
	return *p == first ? "ok" : "mismatch";
}

static const char *map_again(int fd, size_t len)
{
	void *q = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (q == MAP_FAILED)
		return errname(errno);
	munmap(q, len);
	return "ok";
}

static const char *read_one(int fd)
{
	char c;

	return read(fd, &c, 1) < 0 ? errname(errno) : "ok";
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	volatile unsigned char *p;
	char path[PATH_MAX], cmd[64];
	size_t len;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s DEV LENGTH\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGBUS, &sa, NULL);
	len = strtoull(argv[2], NULL, 0);
	snprintf(path, sizeof(path), "/dev/%s", argv[1]);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		printf("%s\n", errname(errno));
		return 1;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		printf("%s\n", errname(errno));
		return 1;
	}
	if (sigsetjmp(sigbus_env, 1)) {
		printf("sigbus\n");
		return 1;
	}
	first = *p;
	printf("ready\n");

	while (fgets(cmd, sizeof(cmd), stdin)) {
		cmd[strcspn(cmd, "\n")] = '\0';
		if (!strcmp(cmd, "touch")) {
			printf("%s\n", touch(p));
		} else if (!strcmp(cmd, "mmap")) {
			printf("%s\n", map_again(fd, len));
		} else if (!strcmp(cmd, "read")) {
			printf("%s\n", read_one(fd));
		} else if (!strcmp(cmd, "munmap")) {
			printf("%s\n", munmap((void *)p, len) ? errname(errno) : "ok");
			p = NULL;
		} else if (!strcmp(cmd, "close")) {
			printf("%s\n", close(fd) ? errname(errno) : "ok");
			fd = -1;
		} else if (!strcmp(cmd, "quit")) {
			return 0;
		} else {
			printf("unknown command %s\n", cmd);
		}
	}
	return 0;
}
