/* ivr/expr_pattern: the patterns of matches(), refused before regcomp
 * when they could be slow or would mean bytes where a caller means
 * characters. The process runs in the C locale, where a regex sees
 * bytes: "广" is three, fine as plain text, wrong inside [...].
 *
 * Slow: back-references (matching them is exponential), and repeats
 * nested into a huge automaton — regcomp writes a{9} out as nine a's,
 * so (a{100}){100} would be 10,000 copies. The size once every repeat is
 * written out is capped; without back-references glibc then matches in
 * time at worst the subject's length times that size. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ivr/expr_int.h"

enum {
	PATTERN_SIZE_MAX = 4096,  /* atoms once repeats are written out */
	PATTERN_NEST_MAX = 32,
};

static int refuse(char *msg, size_t n, const char *why)
{
	snprintf(msg, n, "%s", why);
	return EINVAL;
}

static int bracket_end(const char *pat, size_t *i, char *msg, size_t n)
{
	size_t j = *i + 1;

	if (pat[j] == '^')
		j++;
	if (pat[j] == ']')
		j++;
	for (; pat[j] && pat[j] != ']'; j++) {
		if ((unsigned char)pat[j] >= 0x80)
			return refuse(msg, n, "a pattern sees bytes: write "
				       "Chinese outside [...], as (广东|广西)");
		if (pat[j] == '[' && pat[j + 1] && strchr(":.=", pat[j + 1])) {
			const char *close = strstr(pat + j + 2, ":]");

			if (close)
				j = (size_t)(close - pat) + 1;
		}
	}
	*i = pat[j] ? j : j - 1;
	return 0;
}

/* "{m}", "{m,}", "{m,n}" at pat[*i]: *times the most copies, or 0 when
 * it is no repeat (regcomp decides what it is). */
static void repeat_of(const char *pat, size_t *i, size_t *times)
{
	const char *s = pat + *i + 1;
	unsigned long m, n;
	char *end;

	*times = 0;
	if (*s < '0' || *s > '9')
		return;
	n = m = strtoul(s, &end, 10);
	if (*end == ',') {
		s = end + 1;
		if (*s >= '0' && *s <= '9')
			n = strtoul(s, &end, 10);
		else
			n = m + 1, end = (char *)s;
	}
	if (*end != '}')
		return;
	*times = n > m ? n : m;
	if (*times > PATTERN_SIZE_MAX)
		*times = PATTERN_SIZE_MAX + 1;
	*i = (size_t)(end - pat);
}

/* The pattern's size once every repeat is written out, as regcomp
 * builds it: the cost of compiling and of each match grows with it. */
static int pattern_check(const char *pat, char *msg, size_t n)
{
	size_t sum[PATTERN_NEST_MAX + 1] = {0}, last = 0, times;
	unsigned d = 0;
	int err;

	for (size_t i = 0; pat[i]; i++) {
		switch (pat[i]) {
		case '(':
			if (++d > PATTERN_NEST_MAX)
				return refuse(msg, n, "a pattern nested "
					       "deeper than 32");
			sum[d] = 0;
			continue;
		case ')':
			last = d ? sum[d] + 1 : 1;
			d -= d > 0;
			break;
		case '[':
			if ((err = bracket_end(pat, &i, msg, n)))
				return err;
			last = 1;
			break;
		case '\\':
			if (pat[i + 1] >= '1' && pat[i + 1] <= '9')
				return refuse(msg, n, "back-references "
					       "(\\1) are not allowed in a "
					       "pattern");
			i += pat[i + 1] != '\0';
			last = 1;
			break;
		case '+':           /* regcomp writes x+ as x x* */
			sum[d] += last;
			continue;
		case '{':
			repeat_of(pat, &i, &times);
			if (!times) {
				last = 1;
				break;
			}
			sum[d] += last * (times - 1);
			last *= times;
			if (sum[d] > PATTERN_SIZE_MAX)
				return refuse(msg, n, "a pattern whose "
					       "repeats multiply past 4096");
			continue;
		case '*': case '?': case '|': case '^': case '$':
			continue;
		default:
			last = 1;
			break;
		}
		sum[d] += last;
		if (sum[d] > PATTERN_SIZE_MAX)
			return refuse(msg, n, "a pattern whose repeats "
				       "multiply past 4096");
	}
	return 0;
}

int ivr_expr_pattern_check(const char *pat, char *why, size_t whysz)
{
	return pattern_check(pat, why, whysz);
}

int ex_pattern(regex_t **rep, const char *pat, char *msg, size_t n)
{
	regex_t *re;
	int err;

	if ((err = pattern_check(pat, msg, n)))
		return err;
	if (!(re = malloc(sizeof(*re))))
		return ENOMEM;
	if ((err = regcomp(re, pat, REG_EXTENDED | REG_NOSUB))) {
		char why[96];

		regerror(err, re, why, sizeof(why));
		free(re);
		snprintf(msg, n, "not a pattern: %s", why);
		return EINVAL;
	}
	*rep = re;
	return 0;
}
