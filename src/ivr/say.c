/* say: a value read out as the text a TTS voice (espeak-ng "zh" or "en")
 * speaks. Pure: the text is built in the caller's buffer, nothing else.
 *
 * What each `as` takes (anything else is EINVAL, never a guess):
 *   digits  one or more of 0-9 * #, a leading + allowed ("+8613800138000").
 *           Each is a word: Chinese says 1 as 幺 (phone numbers are read so),
 *           0 零, * 星, # 井, + 加; English "one", "zero", "star", "pound",
 *           "plus".
 *   number  -?D{1,16}(.D{1,16})?: at most 16 integer digits (Chinese up to
 *           千万亿, English up to "trillion"), leading zeros allowed and not
 *           spoken, the fraction read digit by digit as written ("3.10" is
 *           三点一零, "three point one zero"). A minus on a value that is all
 *           zeros is not spoken.
 *   money   a number with at most 2 decimals, in yuan: 元/角/分 in Chinese
 *           (一百元零五分: a 零 where 角 is skipped between 元 and 分),
 *           "yuan" and "fen" in English, where jiao and fen are read together
 *           as fen ("one hundred twenty-three yuan forty-five fen"; no "and",
 *           which espeak would stress oddly). Zero is 零元 / "zero yuan".
 *   date    YYYY-MM-DD, a real Gregorian day, year 0001-9999: 二零二六年十二月
 *           四日 (the year digit by digit, as it is said); "December 4, 2026"
 *           (espeak reads the figures as a date).
 *   time    HH:MM, 00:00-23:59: 十四点零五分, 九点整; "two oh five p m",
 *           "nine a m" (12-hour, as an English speaker says a time).
 *
 * Chinese numbers: 十 alone opens a number from 10 to 19 (十二, 十万) but is
 * 一十 inside one (一百一十, 一万零一十); one 零 stands for any run of zeros
 * between two spoken digits; 二 is used throughout, never 两. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "ivr/ivr_text.h"

enum { INT_DIGITS = 16, FRAC_DIGITS = 16 };

struct out {
	char *buf;
	size_t size, len;
	int err;            /* ENOSPC once something did not fit */
	bool spaced;        /* words are separated by spaces (English) */
};

/* The words a language uses outside its number grammar. */
struct words {
	const char *phone[10];   /* digits read one by one in a phone number */
	const char *digit[10];   /* digits of a fraction or a year */
	const char *star, *pound, *plus, *minus, *point;
};

static const struct words zh_words = {
	{"零", "幺", "二", "三", "四", "五", "六", "七", "八", "九"},
	{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"},
	"星", "井", "加", "负", "点",
};

static const char *const en_small[20] = {
	"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
	"nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
	"sixteen", "seventeen", "eighteen", "nineteen",
};

static const struct words en_words = {
	{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
	 "nine"},
	{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
	 "nine"},
	"star", "pound", "plus", "minus", "point",
};

static const struct words *const lang_words[] = {
	[IVR_LANG_ZH] = &zh_words,
	[IVR_LANG_EN] = &en_words,
};

static void put(struct out *o, const char *s)
{
	const size_t n = strlen(s);

	if (o->err)
		return;
	if (o->len + n >= o->size) {
		o->err = ENOSPC;
		return;
	}
	memcpy(o->buf + o->len, s, n + 1);
	o->len += n;
}

/* A word: after a space when the language spaces its words. */
static void word(struct out *o, const char *s)
{
	if (o->spaced && o->len)
		put(o, " ");
	put(o, s);
}

/* --- numbers ------------------------------------------------------------ */

struct num {
	bool neg;
	unsigned long long ip;   /* the integer part */
	const char *frac;        /* its digits, nfrac of them; NULL when none */
	size_t nfrac;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* -?D{1,16}(.D{1,max_frac})? into *n; EINVAL if it is not one. */
static int parse_num(const char *s, size_t max_frac, struct num *n)
{
	size_t i = 0;

	memset(n, 0, sizeof(*n));
	if (*s == '-') {
		n->neg = true;
		s++;
	}
	for (; is_digit(*s); s++, i++) {
		if (i == INT_DIGITS)
			return EINVAL;
		n->ip = n->ip * 10 + (unsigned)(*s - '0');
	}
	if (!i)
		return EINVAL;
	if (*s == '.') {
		n->frac = ++s;
		while (is_digit(*s))
			s++;
		n->nfrac = (size_t)(s - n->frac);
		if (!n->nfrac || n->nfrac > max_frac)
			return EINVAL;
	}
	if (*s)
		return EINVAL;

	bool zero = !n->ip;
	for (size_t k = 0; k < n->nfrac; k++)
		zero = zero && n->frac[k] == '0';
	n->neg = n->neg && !zero;
	return 0;
}

/* 0 < g < 10000. leading: the group opens the number, so 1x is 十x. */
static void zh_group(struct out *o, unsigned g, bool leading)
{
	static const char *const unit[] = {"千", "百", "十", ""};
	static const unsigned pow10[] = {1000, 100, 10, 1};
	bool said = false, zero = false;

	for (int i = 0; i < 4; i++) {
		const unsigned d = g / pow10[i] % 10;
		if (!d) {
			zero = said;
			continue;
		}
		if (zero)
			put(o, "零");
		zero = false;
		if (!(i == 2 && d == 1 && !said && leading))
			put(o, zh_words.digit[d]);
		put(o, unit[i]);
		said = true;
	}
}

/* 0 < n < 10^16: 亿 splits off the top eight digits, 万 the next four; a 零
 * marks a lower part that does not fill its places. */
static void zh_int(struct out *o, unsigned long long n, bool leading)
{
	if (n >= 100000000ULL) {
		const unsigned long long low = n % 100000000ULL;
		zh_int(o, n / 100000000ULL, leading);
		put(o, "亿");
		if (low && low < 10000000ULL)
			put(o, "零");
		if (low)
			zh_int(o, low, false);
	}
	else if (n >= 10000) {
		const unsigned low = (unsigned)(n % 10000);
		zh_group(o, (unsigned)(n / 10000), leading);
		put(o, "万");
		if (low && low < 1000)
			put(o, "零");
		if (low)
			zh_group(o, low, false);
	}
	else {
		zh_group(o, (unsigned)n, leading);
	}
}

/* 0 < n < 1000 */
static void en_below1000(struct out *o, unsigned n)
{
	static const char *const tens[] = {"", "", "twenty", "thirty", "forty",
					   "fifty", "sixty", "seventy", "eighty",
					   "ninety"};

	if (n >= 100) {
		word(o, en_small[n / 100]);
		word(o, "hundred");
		n %= 100;
	}
	if (!n)
		return;
	if (n < 20) {
		word(o, en_small[n]);
		return;
	}
	word(o, tens[n / 10]);
	if (n % 10) {
		put(o, "-");
		put(o, en_small[n % 10]);
	}
}

/* 0 < n < 10^16; the trillions may count past a thousand. */
static void en_int(struct out *o, unsigned long long n)
{
	static const struct {
		unsigned long long v;
		const char *name;
	} scales[] = {
		{1000000000000ULL, "trillion"}, {1000000000ULL, "billion"},
		{1000000ULL, "million"}, {1000ULL, "thousand"},
	};

	for (size_t i = 0; i < sizeof(scales) / sizeof(scales[0]); i++) {
		if (n >= scales[i].v) {
			en_int(o, n / scales[i].v);
			word(o, scales[i].name);
			n %= scales[i].v;
		}
	}
	if (n)
		en_below1000(o, (unsigned)n);
}

/* A whole number in lang, zero included. */
static void say_int(struct out *o, unsigned long long n, enum ivr_lang lang)
{
	if (!n)
		word(o, lang_words[lang]->digit[0]);
	else if (lang == IVR_LANG_ZH)
		zh_int(o, n, true);
	else
		en_int(o, n);
}

/* --- each `as` -------------------------------------------------------- */

static int say_digits(struct out *o, const char *v, enum ivr_lang lang)
{
	const struct words *w = lang_words[lang];

	if (*v == '+') {
		word(o, w->plus);
		v++;
	}
	if (!*v)
		return EINVAL;
	for (; *v; v++) {
		if (is_digit(*v))
			word(o, w->phone[*v - '0']);
		else if (*v == '*')
			word(o, w->star);
		else if (*v == '#')
			word(o, w->pound);
		else
			return EINVAL;
	}
	return 0;
}

static int say_number(struct out *o, const char *v, enum ivr_lang lang)
{
	const struct words *w = lang_words[lang];
	struct num n;
	int err = parse_num(v, FRAC_DIGITS, &n);

	if (err)
		return err;
	if (n.neg)
		word(o, w->minus);
	say_int(o, n.ip, lang);
	if (n.frac)
		word(o, w->point);
	for (size_t i = 0; i < n.nfrac; i++)
		word(o, w->digit[n.frac[i] - '0']);
	return 0;
}

static int say_money(struct out *o, const char *v, enum ivr_lang lang)
{
	struct num n;
	int err = parse_num(v, 2, &n);

	if (err)
		return err;
	const unsigned jiao = n.nfrac > 0 ? (unsigned)(n.frac[0] - '0') : 0;
	const unsigned fen = n.nfrac > 1 ? (unsigned)(n.frac[1] - '0') : 0;

	if (n.neg)
		word(o, lang_words[lang]->minus);
	if (lang == IVR_LANG_EN) {
		if (n.ip || !(jiao || fen)) {
			say_int(o, n.ip, lang);
			word(o, "yuan");
		}
		if (jiao || fen) {
			en_below1000(o, jiao * 10 + fen);
			word(o, "fen");
		}
		return 0;
	}
	if (n.ip || !(jiao || fen)) {
		say_int(o, n.ip, lang);
		put(o, "元");
	}
	if (jiao) {
		put(o, zh_words.digit[jiao]);
		put(o, "角");
	}
	if (fen) {
		if (!jiao && n.ip)
			put(o, "零");
		put(o, zh_words.digit[fen]);
		put(o, "分");
	}
	return 0;
}

/* Two digits at s into *v, in [lo, hi]. */
static int two_digits(const char *s, int lo, int hi, int *v)
{
	if (!is_digit(s[0]) || !is_digit(s[1]))
		return EINVAL;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return *v < lo || *v > hi ? EINVAL : 0;
}

static int say_date(struct out *o, const char *v, enum ivr_lang lang)
{
	static const char *const months[] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December",
	};
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int hi, lo, m, d;

	if (strlen(v) != 10 || v[4] != '-' || v[7] != '-' ||
	    two_digits(v, 0, 99, &hi) || two_digits(v + 2, 0, 99, &lo) ||
	    two_digits(v + 5, 1, 12, &m) || two_digits(v + 8, 1, mdays[m - 1], &d))
		return EINVAL;
	const int y = hi * 100 + lo;
	const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (!y || (m == 2 && d == 29 && !leap))
		return EINVAL;

	if (lang == IVR_LANG_EN) {
		char s[32];
		snprintf(s, sizeof(s), "%s %d, %d", months[m - 1], d, y);
		put(o, s);
		return 0;
	}
	for (int i = 0; i < 4; i++)
		put(o, zh_words.digit[v[i] - '0']);
	put(o, "年");
	zh_int(o, (unsigned)m, true);
	put(o, "月");
	zh_int(o, (unsigned)d, true);
	put(o, "日");
	return 0;
}

static int say_time(struct out *o, const char *v, enum ivr_lang lang)
{
	int h, m;

	if (strlen(v) != 5 || v[2] != ':' || two_digits(v, 0, 23, &h) ||
	    two_digits(v + 3, 0, 59, &m))
		return EINVAL;

	if (lang == IVR_LANG_EN) {
		en_int(o, h % 12 ? (unsigned)(h % 12) : 12);
		if (m && m < 10) {
			word(o, "oh");
			word(o, en_small[m]);
		}
		else if (m) {
			en_below1000(o, (unsigned)m);
		}
		word(o, h < 12 ? "a m" : "p m");
		return 0;
	}
	say_int(o, (unsigned)h, lang);
	put(o, "点");
	if (!m) {
		put(o, "整");
		return 0;
	}
	if (m < 10)
		put(o, "零");
	zh_int(o, (unsigned)m, true);
	put(o, "分");
	return 0;
}

/* Indexed by enum ivr_say_as: the word a flow writes, and who says it. */
static const struct {
	const char *name;
	int (*say)(struct out *o, const char *v, enum ivr_lang lang);
} kinds[] = {
	[IVR_SAY_DIGITS] = {"digits", say_digits},
	[IVR_SAY_NUMBER] = {"number", say_number},
	[IVR_SAY_MONEY]  = {"money",  say_money},
	[IVR_SAY_DATE]   = {"date",   say_date},
	[IVR_SAY_TIME]   = {"time",   say_time},
};

int ivr_say(char *buf, size_t size, const char *value, enum ivr_say_as as,
	    enum ivr_lang lang)
{
	struct out o = {buf, size, 0, 0, lang == IVR_LANG_EN};
	int err;

	if (buf && size)
		buf[0] = '\0';
	if (!value || (unsigned)as >= sizeof(kinds) / sizeof(kinds[0]) ||
	    (unsigned)lang >= sizeof(lang_words) / sizeof(lang_words[0]))
		return EINVAL;
	if (!buf)
		o.size = 0;
	err = kinds[as].say(&o, value, lang);
	if (!err)
		err = o.err;
	if (err && buf && size)
		buf[0] = '\0';
	return err;
}

int ivr_say_as_parse(const char *word, enum ivr_say_as *as)
{
	for (size_t i = 0; word && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!strcmp(word, kinds[i].name)) {
			*as = (enum ivr_say_as)i;
			return 0;
		}
	}
	return EINVAL;
}
