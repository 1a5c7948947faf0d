// region: libphonenumber's offline geocoder behind region.h. The geocoder
// answers with one Chinese text per prefix ("广东省深圳市", "北京市",
// "新疆乌鲁木齐市", "中国"); the table below splits it into province and
// city. Everything here is static except the two functions of the header.
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <new>
#include <string>
#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include "region/region.h"

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

enum { CN_CODE = 86 };

// How the data begins a text → the province's full name. A municipality's
// city is itself. Longer forms come before their prefixes ("天津市" before
// "天津"), so the first match is the longest; the full forms of the
// autonomous regions are here too, should newer data use them.
struct province_row {
	const char *data;
	const char *name;
	bool municipality;
};

const province_row provinces[] = {
	{"北京市", "北京市", true},
	{"北京", "北京市", true},
	{"天津市", "天津市", true},
	{"天津", "天津市", true},
	{"上海市", "上海市", true},
	{"上海", "上海市", true},
	{"重庆市", "重庆市", true},
	{"重庆", "重庆市", true},
	{"河北省", "河北省", false},
	{"山西省", "山西省", false},
	{"辽宁省", "辽宁省", false},
	{"吉林省", "吉林省", false},
	{"黑龙江省", "黑龙江省", false},
	{"江苏省", "江苏省", false},
	{"浙江省", "浙江省", false},
	{"安徽省", "安徽省", false},
	{"福建省", "福建省", false},
	{"江西省", "江西省", false},
	{"山东省", "山东省", false},
	{"河南省", "河南省", false},
	{"湖北省", "湖北省", false},
	{"湖南省", "湖南省", false},
	{"广东省", "广东省", false},
	{"海南省", "海南省", false},
	{"四川省", "四川省", false},
	{"贵州省", "贵州省", false},
	{"云南省", "云南省", false},
	{"陕西省", "陕西省", false},
	{"甘肃省", "甘肃省", false},
	{"青海省", "青海省", false},
	{"内蒙古自治区", "内蒙古自治区", false},
	{"内蒙古", "内蒙古自治区", false},
	{"广西壮族自治区", "广西壮族自治区", false},
	{"广西", "广西壮族自治区", false},
	{"西藏自治区", "西藏自治区", false},
	{"西藏", "西藏自治区", false},
	{"宁夏回族自治区", "宁夏回族自治区", false},
	{"宁夏", "宁夏回族自治区", false},
	{"新疆维吾尔自治区", "新疆维吾尔自治区", false},
	{"新疆", "新疆维吾尔自治区", false},
};

pthread_once_t once = PTHREAD_ONCE_INIT;
const PhoneNumberOfflineGeocoder *geocoder;   // lives as long as the process
const icu::Locale *chinese;

// Lets no exception out: without memory the geocoder stays NULL (ENOMEM).
void init_once(void)
{
	try {
		chinese = new icu::Locale("zh");
		geocoder = new PhoneNumberOfflineGeocoder();
		// The first lookup loads the +86 table; pay for it now.
		PhoneNumber n;
		n.set_country_code(CN_CODE);
		n.set_national_number(13800138000ULL);
		(void)geocoder->GetDescriptionForNumber(n, *chinese, "CN");
	} catch (...) {
		geocoder = nullptr;
	}
}

const province_row *province_of(const std::string &text)
{
	for (const province_row &p : provinces) {
		if (!text.compare(0, strlen(p.data), p.data))
			return &p;
	}
	return nullptr;
}

// Copies src into dst[n] whole, or cut at a character boundary.
void copy_utf8(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);

	if (len >= n) {
		len = n - 1;
		while (len && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

int lookup(const char *number, struct region *out)
{
	const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
	PhoneNumber n;

	if (util->Parse(number, "CN", &n) != PhoneNumberUtil::NO_PARSING_ERROR ||
	    n.country_code() != CN_CODE)
		return ENOENT;
	// Checks validity and type (fixed line or mobile) itself; "" when not.
	const std::string text =
		geocoder->GetDescriptionForNumber(n, *chinese, "CN");
	const province_row *p = province_of(text);
	if (!p)
		return ENOENT;
	const char *rest = text.c_str() + strlen(p->data);
	copy_utf8(out->province, sizeof(out->province), p->name);
	copy_utf8(out->city, sizeof(out->city),
		  p->municipality && !*rest ? p->name : rest);
	return 0;
}

// number without separators into buf, "00" turned into "+"; false when
// it holds anything else than digits and one leading '+'.
bool strip(const char *number, std::string &buf)
{
	for (const char *p = number; *p; p++) {
		if (strchr(" -.()", *p))
			continue;
		if (*p == '+' && buf.empty()) {
			buf += '+';
			continue;
		}
		if (*p < '0' || *p > '9')
			return false;
		buf += *p;
	}
	if (!buf.compare(0, 2, "00"))
		buf.replace(0, 2, "+");
	return !buf.empty() && buf != "+";
}

std::string digits_of(const std::string &s)
{
	std::string out;

	for (char c : s) {
		if (c >= '0' && c <= '9')
			out += c;
	}
	return out;
}

// A Chinese mobile dialled nationally, 1[3-9] and nine digits, is its own
// national form: libphonenumber says so for every such prefix
// (tests/unit/region/test_normalise), and reading it there costs ~30 us of
// ICU regular expressions — the largest part of what a click-to-dial
// set-up cost beyond an inbound one (bench/outbound.sh), for the numbers
// a center dials most.
bool is_mobile(const std::string &buf)
{
	return buf.size() == 11 && buf[0] == '1' && buf[1] >= '3' &&
	       buf.find_first_not_of("0123456789") == std::string::npos;
}

std::string normalise(const std::string &buf)
{
	const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
	PhoneNumber n;
	std::string text;

	if (util->Parse(buf, "CN", &n) != PhoneNumberUtil::NO_PARSING_ERROR)
		return buf[0] == '+' ? "00" + buf.substr(1) : buf;
	if (n.country_code() == CN_CODE) {
		// National format adds the trunk prefix 0 where China dials
		// it (fixed lines), not to mobiles or 400/800 numbers.
		util->Format(n, PhoneNumberUtil::NATIONAL, &text);
		return digits_of(text);
	}
	util->GetNationalSignificantNumber(n, &text);
	return "00" + std::to_string(n.country_code()) + text;
}

}  // namespace

extern "C" int region_init(void)
{
	pthread_once(&once, init_once);
	return geocoder ? 0 : ENOMEM;
}

extern "C" int region_lookup(const char *number, struct region *out)
{
	struct region r;
	int err;

	if (!number || !out)
		return EINVAL;
	err = region_init();
	if (err)
		return err;
	if (!*number || strnlen(number, REGION_NUMBER_MAX + 1) > REGION_NUMBER_MAX)
		return ENOENT;
	try {
		err = lookup(number, &r);
	} catch (const std::bad_alloc &) {
		return ENOMEM;
	} catch (...) {
		return ENOENT;
	}
	if (!err)
		*out = r;
	return err;
}

extern "C" int region_normalise(const char *number, char *out, size_t n)
{
	std::string buf, res;

	if (!number || !out)
		return EINVAL;
	if (!*number || strnlen(number, REGION_NUMBER_MAX + 1) > REGION_NUMBER_MAX)
		return EINVAL;
	try {
		if (!strip(number, buf))
			return EINVAL;
		res = is_mobile(buf) ? buf : normalise(buf);
	} catch (const std::bad_alloc &) {
		return ENOMEM;
	} catch (...) {
		return EINVAL;
	}
	if (res.empty())
		return EINVAL;
	if (res.size() >= n)
		return ENOSPC;
	memcpy(out, res.c_str(), res.size() + 1);
	return 0;
}
