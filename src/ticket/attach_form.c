/* ticket/attach_form: the file out of a multipart/form-data upload (RFC
 * 7578), for clients that post a form (curl -F, an HTML form) rather than
 * the file itself. Pure: no I/O; the file stays where it is in the body.
 *
 * Exactly one part may carry a file (a filename in its
 * Content-Disposition); other fields are skipped. The part ends at the
 * first CRLF "--boundary" after its headers: a boundary is chosen by the
 * client not to occur in the content (RFC 2046 5.1.1). */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include "ticket/ticket_int.h"

enum { BOUNDARY_MAX = 70 };   /* RFC 2046 */

/* The boundary parameter of a Content-Type value into b ("--" first). */
static int boundary(const char *ct, size_t n, char *b, size_t bn)
{
	const char *end = ct + n, *p;
	size_t k = 2;

	for (p = ct; p + 9 <= end; p++)
		if (!strncasecmp(p, "boundary=", 9) &&
		    (p == ct || p[-1] == ';' || p[-1] == ' '))
			break;
	if (p + 9 > end)
		return EINVAL;
	p += 9;
	b[0] = b[1] = '-';
	if (p < end && *p == '"') {
		for (p++; p < end && *p != '"' && k < bn - 1; p++)
			b[k++] = *p;
	}
	else {
		for (; p < end && *p != ';' && *p != ' ' && k < bn - 1; p++)
			b[k++] = *p;
	}
	b[k] = '\0';
	return k > 2 && k - 2 <= BOUNDARY_MAX ? 0 : EINVAL;
}

/* The filename="…" of a part's headers (hdr, n bytes) into name. 0,
 * ENOENT when the part is no file, ENAMETOOLONG. */
static int part_name(const char *hdr, size_t n, char *name, size_t nn)
{
	const char *end = hdr + n, *p = hdr, *q;

	while (p < end) {
		const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);

		eol = eol ? eol : end;
		if ((size_t)(eol - p) > 20 &&
		    !strncasecmp(p, "Content-Disposition:", 20)) {
			q = memmem(p, (size_t)(eol - p), "filename=\"", 10);
			if (!q)
				return ENOENT;
			q += 10;
			p = memchr(q, '"', (size_t)(eol - q));
			if (!p)
				return ENOENT;
			if ((size_t)(p - q) >= nn)
				return ENAMETOOLONG;
			memcpy(name, q, (size_t)(p - q));
			name[p - q] = '\0';
			return 0;
		}
		p = eol + 2;
	}
	return ENOENT;
}

int wo_attach_form(const char *ct, size_t ctlen, const char *body,
		   size_t len, const char **data, size_t *dlen, char *name,
		   size_t nn, const char **why)
{
	char b[BOUNDARY_MAX + 3], delim[BOUNDARY_MAX + 5];
	const char *end = body + len, *p, *hdr_end, *next;
	size_t bl;
	int found = 0;

	if (boundary(ct, ctlen, b, sizeof(b))) {
		*why = "a multipart body needs a boundary of 1 to 70 characters";
		return EINVAL;
	}
	bl = strlen(b);
	memcpy(delim, "\r\n", 2);
	memcpy(delim + 2, b, bl + 1);
	p = len >= bl && !memcmp(body, b, bl) ? body : NULL;
	/* each turn: p at "--boundary", then "--" (the end) or CRLF, headers,
	 * CRLF CRLF, the content up to CRLF "--boundary" */
	while (p) {
		int e;

		if ((size_t)(end - p) < bl + 2 || memcmp(p + bl, "\r\n", 2)) {
			p = (size_t)(end - p) >= bl + 2 &&
				!memcmp(p + bl, "--", 2) ? p : NULL;
			break;         /* the closing "--boundary--", or garbage */
		}
		p += bl + 2;
		hdr_end = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		next = hdr_end ? memmem(hdr_end + 4, (size_t)(end - hdr_end - 4),
					delim, bl + 2) : NULL;
		if (!next) {
			p = NULL;
			break;
		}
		e = part_name(p, (size_t)(hdr_end - p), name, nn);
		if (e == ENAMETOOLONG) {
			*why = "name: longer than 200 bytes";
			return EINVAL;
		}
		if (!e && found++) {
			*why = "one file per upload: the form has more than one";
			return EINVAL;
		}
		if (!e) {
			*data = hdr_end + 4;
			*dlen = (size_t)(next - *data);
		}
		p = next + 2;
	}
	if (!p) {
		*why = "the multipart body is cut short or malformed";
		return EINVAL;
	}
	if (!found) {
		*why = "the form has no file (a part with a filename)";
		return EINVAL;
	}
	return 0;
}
