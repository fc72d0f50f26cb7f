// SPDX-License-Identifier: GPL-2.0
/*
 * dax_pattern - write or check a pattern through an mmap of a device-dax
 * character device.
 *
 * Usage: dax_pattern DEVICE SIZE write|check SEED
 *
 * Maps SIZE bytes of DEVICE shared, and writes (or checks) one 64-bit word
 * at each 4 KiB page, derived from SEED and its offset, plus every word of
 * the first page of each MiB.  Which words are touched does not depend on
 * SIZE, so a pattern written over a device can be checked over any prefix
 * of it, for example after shrinking it.  A check reports the first
 * mismatch.  Exit status: 0 success, 1 mismatch, 2 misuse, 3 failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static uint64_t word(uint64_t seed, uint64_t off)
{
	uint64_t x = seed ^ (off * 0x9e3779b97f4a7c15ULL);

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 29);
}

/* Offsets touched: one word per page, all words of the first page of a MiB. */
static int walk(uint64_t *map, uint64_t size, uint64_t seed, int write)
{
	uint64_t off;

	for (off = 0; off < size; off += 8) {
		int dense = off % (1UL << 20) < PAGE;
		uint64_t want = word(seed, off);

		if (!dense && off % PAGE)
			continue;
		if (write) {
			map[off / 8] = want;
		} else if (map[off / 8] != want) {
			fprintf(stderr, "mismatch at offset %#llx: %#llx, expected %#llx\n",
				(unsigned long long)off,
				(unsigned long long)map[off / 8],
				(unsigned long long)want);
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t size, seed;
	char *end1, *end2;
	void *map;
	int fd, rc, write;

	if (argc != 5 || (strcmp(argv[3], "write") && strcmp(argv[3], "check"))) {
		fprintf(stderr, "usage: %s DEVICE SIZE write|check SEED\n", argv[0]);
		return 2;
	}
	size = strtoull(argv[2], &end1, 0);
	seed = strtoull(argv[4], &end2, 0);
	write = !strcmp(argv[3], "write");
	if (*end1 || *end2 || size < PAGE || size % PAGE) {
		fprintf(stderr, "SIZE must be a multiple of %lu, SEED a number\n", PAGE);
		return 2;
	}

	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", argv[1], strerror(errno));
		return 3;
	}
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, "mmap %s: %s\n", argv[1], strerror(errno));
		close(fd);
		return 3;
	}
	rc = walk(map, size, seed, write);
	munmap(map, size);
	close(fd);
	return rc;
}
