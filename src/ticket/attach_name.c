/* ticket/attach_name: what an attachment's file name may be, and the
 * content type its extension gives it. Pure: no I/O.
 *
 * The name is only ever shown and offered back on download; the file on
 * disk is named by the attachment's id. Names are still held to one plain
 * file name, so that nothing that looks like a path (or hides one from a
 * reader: control characters, a leading dot) is stored or echoed. The type
 * comes from the extension alone, from the table below: a file whose
 * extension is not in it is refused, so a download is never served as
 * HTML or script the browser would run. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "ticket/ticket_int.h"

/* What back offices trade with customers: documents, sheets, scans and
 * photos, call audio, archives. No HTML, SVG or scripts (they run in the
 * console's origin when opened). */
static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{"pdf",  "application/pdf"},
	{"txt",  "text/plain; charset=utf-8"},
	{"csv",  "text/csv; charset=utf-8"},
	{"doc",  "application/msword"},
	{"docx", "application/vnd.openxmlformats-officedocument."
		 "wordprocessingml.document"},
	{"xls",  "application/vnd.ms-excel"},
	{"xlsx", "application/vnd.openxmlformats-officedocument."
		 "spreadsheetml.sheet"},
	{"ppt",  "application/vnd.ms-powerpoint"},
	{"pptx", "application/vnd.openxmlformats-officedocument."
		 "presentationml.presentation"},
	{"png",  "image/png"},
	{"jpg",  "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"gif",  "image/gif"},
	{"webp", "image/webp"},
	{"wav",  "audio/wav"},
	{"mp3",  "audio/mpeg"},
	{"zip",  "application/zip"},
	{"eml",  "message/rfc822"},
};

const char *wo_attach_exts(size_t i)
{
	return i < ARRAY_LEN(types) ? types[i].ext : NULL;
}

int wo_attach_name(const char *name, const char **type, const char **why)
{
	const size_t n = name ? strlen(name) : 0;
	const char *dot;
	json_t *utf8;

	if (!n) {
		*why = "name: the file's name is missing";
		return EINVAL;
	}
	if (n > WO_ATTACH_NAME_MAX) {
		*why = "name: longer than 200 bytes";
		return EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		const unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') {
			*why = "name: a file's name, not a path (no '/', '\\' "
			       "or control characters)";
			return EINVAL;
		}
	}
	if (name[0] == '.' || name[n - 1] == '.' || name[0] == ' ') {
		*why = "name: may not start with a dot or a space, nor end "
		       "with a dot";
		return EINVAL;
	}
	utf8 = json_string(name);    /* NULL unless valid UTF-8 */
	if (!utf8) {
		*why = "name: not UTF-8";
		return EINVAL;
	}
	json_decref(utf8);
	dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < ARRAY_LEN(types); i++)
		if (!strcasecmp(dot + 1, types[i].ext)) {
			*type = types[i].type;
			return 0;
		}
	*why = "name: this kind of file is not taken (see the allowed "
	       "extensions: pdf, txt, csv, doc(x), xls(x), ppt(x), png, jpg, "
	       "gif, webp, wav, mp3, zip, eml)";
	return ENOTSUP;
}

/* Content-Disposition for name: an ASCII stand-in for old clients, and
 * the name itself, percent-encoded (RFC 6266, RFC 8187). */
void wo_attach_disposition(const char *name, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	char plain[WO_ATTACH_NAME_MAX + 1], enc[3 * WO_ATTACH_NAME_MAX + 1];
	size_t i, k = 0;

	for (i = 0; name[i] && k < sizeof(plain) - 1; i++) {
		const unsigned char c = (unsigned char)name[i];

		if (c >= 0x80 && c < 0xc0)
			continue;      /* one '_' per character, not per byte */
		plain[k++] = c < 0x80 && c != '"' && c != '%' ? (char)c : '_';
	}
	plain[k] = '\0';
	k = 0;
	for (i = 0; name[i] && k + 4 < sizeof(enc); i++) {
		const unsigned char c = (unsigned char)name[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c))
			enc[k++] = (char)c;
		else {
			enc[k++] = '%';
			enc[k++] = hex[c >> 4];
			enc[k++] = hex[c & 15];
		}
	}
	enc[k] = '\0';
	snprintf(out, n, "Content-Disposition: attachment; filename=\"%s\"; "
		 "filename*=UTF-8''%s\r\n", plain, enc);
}
