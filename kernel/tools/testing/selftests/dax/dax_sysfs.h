/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the dax selftest programs: one-shot sysfs reads and
 * writes that return the errno the kernel gave, and the test for the
 * stock 6.12 kernel (its release ends in "-stock"), on which the known
 * 6.12 bugs are reported as skips.
 */
#ifndef DAX_SYSFS_H
#define DAX_SYSFS_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* Write a string in one write(2): 0, or the errno of the failure. */
static inline int sysfs_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	int fd, err = 0;
	ssize_t n;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	n = write(fd, val, len);
	if (n < 0)
		err = errno;
	else if ((size_t)n != len)
		err = EIO;
	close(fd);
	return err;
}

/* Read the first line of a file, without its newline: 0 or an errno. */
static inline int sysfs_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Is this stock 6.12 (a release ending in "-stock")? */
static inline bool stock_kernel(void)
{
	struct utsname u;
	size_t n;

	if (uname(&u))
		return false;
	n = strlen(u.release);
	return n > 6 && !strcmp(u.release + n - 6, "-stock");
}

#endif
