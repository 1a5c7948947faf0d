/* region: where a Chinese phone number is from (归属地), the province and
 * city of a mobile number's prefix (1380013…) or a fixed line's area code
 * (010, 020, 0755…), from libphonenumber's geocoding data in Chinese.
 * Callable from C; the C++ behind it lets no exception out.
 *
 * What a lookup gives (libphonenumber 8.12 as packaged in Debian 12):
 *  - province is one of the 31 mainland names, written in full: "广东省",
 *    "北京市", "新疆维吾尔自治区" (the data says "新疆", "天津" etc.; a
 *    table in region.cc turns each form into one name).
 *  - city is the rest of the data's text: "深圳市", "延边朝鲜族自治州",
 *    "喀什地区"; a municipality's city is its own name (北京市 北京市).
 *    Where one prefix covers several places the data lists them, and so
 *    does city: "贵阳市、遵义市、安顺市".
 *  - Numbers the data places only in China as a whole (170, 171, 166,
 *    199 and other newer mobile prefixes, 400 numbers), numbers of other
 *    countries (Hong Kong, Macau and Taiwan included) and anything that is
 *    not a valid number are ENOENT.
 *
 * Facts that always hold:
 *  (1) Thread-safe: lookups may run on any thread at once.
 *  (2) *out is written only on success, both strings NUL-terminated UTF-8.
 *  (3) A lookup does no I/O: the data is compiled into the library. */
#ifndef HL_REGION_REGION_H
#define HL_REGION_REGION_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
	REGION_PROVINCE_SZ = 32,   /* "新疆维吾尔自治区" is 24 bytes */
	REGION_CITY_SZ = 128,      /* the longest list in the data is 81 */
	REGION_NUMBER_MAX = 64,    /* longer input is no number: ENOENT */
};

struct region {
	char province[REGION_PROVINCE_SZ];
	char city[REGION_CITY_SZ];         /* "" when only the province is known */
};

/* Loads the geocoder and its Chinese data (tens of ms), so the first call's
 * lookup does not pay for it. Once per process, thread-safe; a lookup
 * before it does it itself. 0 or ENOMEM. */
int region_init(void);

/* Fills *out for number: national ("13800138000", "0755-12345678"), +86 or
 * 0086 form. ENOENT when the region is not known (see above), EINVAL for a
 * NULL argument, ENOMEM. */
int region_lookup(const char *number, struct region *out);

/* Writes number as dial plans match it (trunk/): a Chinese number in its
 * national form, digits only, whether it came bare, as +86… or 0086…, or
 * with separators: "13800138000", "075512345678" (the area code with its
 * 0), "4008001000"; another country's as 00, its country code and number
 * ("+44 20 7946 0958" and "0044…" → "00442079460958"). What the data does
 * not know (short codes: 10086, 95588) is passed on as its digits.
 * Separators are spaces, '-', '.', '(' and ')'. EINVAL: empty, longer
 * than REGION_NUMBER_MAX, or other characters than digits, separators and
 * one leading '+'; ENOSPC: n too small (out then untouched); ENOMEM. */
int region_normalise(const char *number, char *out, size_t n);

#ifdef __cplusplus
}
#endif

#endif
