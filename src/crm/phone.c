/* crm/phone: the one form numbers are stored and looked up in, and the
 * service levels. Pure: no I/O, no clock. */
#include <errno.h>
#include <string.h>
#include "base/util.h"
#include "crm/crm.h"

/* Characters people write inside numbers ("138-0013 8000", "(010) 1234"). */
static const char SEPARATORS[] = " -.()\t";

int crm_phone_norm(const char *in, char out[CRM_PHONE_MAX])
{
	char d[CRM_PHONE_MAX * 2];
	size_t n = 0;
	bool plus = false;
	const char *s;

	if (!in)
		return EINVAL;
	while (*in == ' ')
		in++;
	if (*in == '+') {
		plus = true;
		in++;
	}
	for (s = in; *s; s++) {
		if (strchr(SEPARATORS, *s))
			continue;
		if (*s < '0' || *s > '9' || n + 1 >= sizeof(d))
			return EINVAL;
		d[n++] = *s;
	}
	d[n] = '\0';
	s = d;
	/* China's country code, written either way, is the local number. */
	if (plus && !strncmp(s, "86", 2))
		s += 2, plus = false;
	else if (!plus && !strncmp(s, "0086", 4))
		s += 4;
	else if (!plus && !strncmp(s, "00", 2))
		s += 2, plus = true;
	if (!*s || strlen(s) + plus + 1 > CRM_PHONE_MAX)
		return EINVAL;
	out[0] = '+';
	memcpy(out + plus, s, strlen(s) + 1);
	return 0;
}

/* Service levels, lowest first, with the queue priority each adds to the
 * DID's (route/ allows 0..100, so the raises leave room for a VIP line). */
static const struct {
	const char *name;
	int32_t raise;
} levels[] = {
	{"normal", 0}, {"silver", 10}, {"gold", 20}, {"vip", 30},
};

const char *const crm_levels[] = {"normal", "silver", "gold", "vip", NULL};

int crm_level_raise(const char *level, int32_t *raise)
{
	for (size_t i = 0; level && i < ARRAY_LEN(levels); i++)
		if (!strcmp(levels[i].name, level)) {
			*raise = levels[i].raise;
			return 0;
		}
	return EINVAL;
}
