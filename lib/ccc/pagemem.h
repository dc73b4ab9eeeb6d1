/*
 * pagemem.h: the memory of SQLite's page cache, in huge pages.
 *
 * SQLite takes each page of its cache from malloc: fresh memory the kernel
 * hands over 4 KiB at a time, a fault each. On a virtual machine a fault
 * can cost more than reading the page from the file again, so a larger
 * cache made checks slower even as it read fewer pages. pagemem_setup, run
 * before SQLite's first use in the process, gives the allocations of a page
 * cache line (a 16 KiB page and SQLite's header for it) from one mapping
 * asked for in 2 MiB pages, touched only as it is used, each line reused once
 * freed; every other allocation, and every line beyond the mapping, is
 * malloc's as before. Where the kernel gives no huge page, the mapping is in
 * 4 KiB pages and costs what malloc would.
 */
#ifndef CCC_PAGEMEM_H
#define CCC_PAGEMEM_H

#include <stddef.h>

#define PAGEMEM_PAGE  16384                 /* the page size of a store ccc creates */
#define PAGEMEM_LINE  (PAGEMEM_PAGE + 1024) /* a line: the page and SQLite's header */
#define PAGEMEM_BYTES (256UL << 20)         /* the mapping, reserved, not touched */

/* Install the allocator (SQLITE_CONFIG_MALLOC). Returns 0, or -1 when SQLite
 * is in use already or no mapping can be made: malloc then, as before. */
int pagemem_setup(void);
/* Whether p is a line of the mapping, and how many lines were ever touched. */
int pagemem_owns(const void *p);
size_t pagemem_lines_touched(void);

#endif
