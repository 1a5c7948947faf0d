/* base/unzip: reads entries of a ZIP archive held in memory (an uploaded
 * XLSX), the counterpart of base/zip's writer. Stored and deflated entries
 * (zlib's raw inflate); no ZIP64, no encryption, no multi-disk: an XLSX
 * never needs them, and they are refused by name rather than misread.
 *
 * Nothing in the archive is trusted: every offset and length is checked
 * against the buffer before use, an entry is inflated in 64 KiB pieces
 * that are never more than the caller's limit (a zip bomb stops at the
 * limit, not at the end of memory), and each entry's size and CRC-32 are
 * checked against the central directory. */
#ifndef HL_BASE_UNZIP_H
#define HL_BASE_UNZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { UNZIP_WHY_LEN = 160 };

struct unzip;

/* Takes a piece of an entry's content; a non-zero return stops the read
 * and is passed up. */
typedef int (unzip_piece_h)(const void *p, size_t n, void *arg);

/* Reads the central directory of len bytes of buf, which must outlive
 * *up. EBADMSG for anything that is not a ZIP this reader supports, with
 * why (may be NULL) saying what; ENOMEM. */
int  unzip_open(struct unzip **up, const void *buf, size_t len,
		char why[UNZIP_WHY_LEN]);

/* Whether an entry is named name (ASCII case ignored: OPC part names). */
bool unzip_has(const struct unzip *u, const char *name);

/* Streams entry name to fn, stopping with EFBIG before it passes max
 * bytes. ENOENT if there is no such entry; EBADMSG for corrupt data; else
 * fn's return. *total (may be NULL) gets the bytes delivered. */
int  unzip_read(struct unzip *u, const char *name, uint64_t max,
		unzip_piece_h *fn, void *arg, uint64_t *total,
		char why[UNZIP_WHY_LEN]);

/* Frees u; NULL is a no-op. */
void unzip_free(struct unzip *u);

#endif
