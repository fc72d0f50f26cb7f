// SPDX-License-Identifier: GPL-2.0
/*
 * dax_write - write a string to a sysfs attribute in one write(2) call and
 * report the outcome as an errno name, so that tests can check the exact
 * error an attribute returns.
 *
 * Usage: dax_write FILE STRING
 * Prints "OK" or the errno name (EINVAL, ENOSPC, ...) on stdout; exits 0
 * when the write took the whole string, 1 when it failed, 2 on misuse.
 * FILE "-" is standard input, already open for writing: a file opened
 * before its device went away.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t len;
	ssize_t rc;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s FILE STRING\n", argv[0]);
		return 2;
	}
	fd = strcmp(argv[1], "-") ? open(argv[1], O_WRONLY) : 0;
	if (fd < 0) {
		printf("%s\n", strerrorname_np(errno) ?: "EUNKNOWN");
		return 1;
	}
	len = strlen(argv[2]);
	rc = write(fd, argv[2], len);
	if (rc < 0) {
		printf("%s\n", strerrorname_np(errno) ?: "EUNKNOWN");
		close(fd);
		return 1;
	}
	close(fd);
	if ((size_t)rc != len) {
		printf("SHORT\n");
		return 1;
	}
	printf("OK\n");
	return 0;
}
