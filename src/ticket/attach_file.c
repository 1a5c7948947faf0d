/* ticket/attach_file: the bytes of attachments, DATA/work-orders/<id>.
 * Every call blocks on the disk: workers only (attach.c's jobs). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "ticket/ticket_int.h"

#define DIR_NAME "work-orders"

/* DATA/work-orders/<id><suffix> into buf. */
static int path_of(const char *data_dir, const char *id, const char *suffix,
		   char *buf, size_t n)
{
	return snprintf(buf, n, "%s/" DIR_NAME "/%s%s", data_dir, id, suffix) <
		(int)n ? 0 : ENAMETOOLONG;
}

int wo_attach_save(const char *data_dir, const char *id, const void *buf,
		   size_t len)
{
	char dir[PATH_MAX], tmp[PATH_MAX], path[PATH_MAX];
	size_t done = 0;
	int fd, err = 0;

	if (snprintf(dir, sizeof(dir), "%s/" DIR_NAME, data_dir) >=
	    (int)sizeof(dir) || path_of(data_dir, id, ".part", tmp, sizeof(tmp))
	    || path_of(data_dir, id, "", path, sizeof(path)))
		return ENAMETOOLONG;
	if (mkdir(dir, 0750) && errno != EEXIST)
		return errno;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0)
		return errno;
	while (!err && done < len) {
		ssize_t w = write(fd, (const char *)buf + done, len - done);

		if (w < 0 && errno != EINTR)
			err = errno;
		else if (w > 0)
			done += (size_t)w;
	}
	/* Synced before the rename, so that after a crash the name never
	 * points at a file shorter than its row says. */
	if (!err && fsync(fd))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (err)
		unlink(tmp);
	return err;
}

void wo_attach_unlink(const char *data_dir, const char *id)
{
	char path[PATH_MAX];

	if (!path_of(data_dir, id, "", path, sizeof(path)))
		unlink(path);
}

int wo_attach_read(const char *data_dir, const char *id, char **data,
		   size_t *len)
{
	char path[PATH_MAX], *buf;
	struct stat sb;
	size_t n = 0;
	int fd, err = 0;

	if (path_of(data_dir, id, "", path, sizeof(path)))
		return ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode))
		err = ENOENT;
	else if (sb.st_size > API_UPLOAD_MAX)
		err = EFBIG;
	buf = err ? NULL : malloc((size_t)sb.st_size + 1);
	if (!err && !buf)
		err = ENOMEM;
	while (!err && n < (size_t)sb.st_size) {
		ssize_t got = read(fd, buf + n, (size_t)sb.st_size - n);

		if (got == 0)
			break;             /* shorter than it was: EIO below */
		if (got < 0 && errno != EINTR)
			err = errno;
		else if (got > 0)
			n += (size_t)got;
	}
	close(fd);
	if (!err && n != (size_t)sb.st_size)
		err = EIO;
	if (err) {
		free(buf);
		return err;
	}
	*data = buf;
	*len = n;
	return 0;
}
