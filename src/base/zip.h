/* base/zip: writes a ZIP archive (PKWARE APPNOTE 6.3) of stored entries —
 * recordings are already PCM and do not compress enough to pay for
 * deflate — each with its CRC-32 and a UTF-8 name (general purpose flag
 * bit 11), so Chinese names open the same in every unzip.
 *
 * No ZIP64: an archive that would pass 4 GiB (or 65 535 entries) is
 * refused with EFBIG rather than written in a form some readers reject.
 * Entries are streamed from their files in 64 KiB pieces; nothing is held
 * whole in memory. Times are stored as UTC in the MS-DOS fields. */
#ifndef HL_BASE_ZIP_H
#define HL_BASE_ZIP_H

#include <stddef.h>
#include <stdint.h>

struct zip;

/* Creates the file at path (truncating it) for a new archive. *zp is
 * yours: zip_close() or zip_abort() it. errno of open, or ENOMEM. */
int  zip_open(struct zip **zp, const char *path);

/* Adds name with the bytes of the file at src, stamped mtime_s (Unix
 * seconds). EINVAL for an empty name, one starting with '/' or holding a
 * ".." segment, or one of 64 KiB or more; EFBIG past 4 GiB; errno of the
 * read or write. After an error only zip_abort() is left. */
int  zip_add_file(struct zip *z, const char *name, const char *src,
		  int64_t mtime_s);

/* Same with len bytes of buf as the entry's content. */
int  zip_add_buf(struct zip *z, const char *name, const void *buf, size_t len,
		 int64_t mtime_s);

/* Writes the central directory, closes the file and frees z; *size (may be
 * NULL) is the archive's length in bytes. On error the file is removed. */
int  zip_close(struct zip *z, uint64_t *size);

/* Closes and removes the partial file and frees z; NULL is a no-op. */
void zip_abort(struct zip *z);

/* The CRC-32 (ISO-HDLC, as ZIP and gzip use) of len bytes of buf,
 * continuing crc (0 to start). */
uint32_t zip_crc32(uint32_t crc, const void *buf, size_t len);

#endif
