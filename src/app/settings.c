/* app/settings: every value of "hotline serve"'s settings checked and
 * parsed once, before anything is created, so a bad value is one line on
 * standard error and exit 2 with nothing touched. The rows of cfg.c say
 * what each setting accepts; here is only what no single row can say. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "app/app_int.h"
#include "base/log.h"

int app_settings_check(struct app_settings *s, const struct cfg *c,
		       char *err, size_t n)
{
	enum log_level lvl;
	uint64_t lo = 0, hi = 0;

	*s = (struct app_settings){0};
	if (cfg_check(c, s, err, n))
		return EINVAL;
	if (log_level_parse(s->log_level, &lvl)) {
		snprintf(err, n, "bad --log-level '%s'", s->log_level);
		return EINVAL;
	}
	log_set_level(lvl);
	if (!util_parse_u64(cfg_get(c, "sip.min_expires"), 0, UINT32_MAX, &lo) &&
	    !util_parse_u64(cfg_get(c, "sip.max_expires"), 0, UINT32_MAX, &hi) &&
	    hi < lo) {
		snprintf(err, n, "bad sip.max_expires '%llu' (want "
			 "sip.min_expires..86400)", (unsigned long long)hi);
		return EINVAL;
	}
	if (!*s->db_url)
		snprintf(s->db_url, sizeof(s->db_url), "sqlite:%s/hotline.db",
			 s->data_dir);
	if (strncmp(s->db_url, "sqlite:", 7)) {
		snprintf(err, n, "unsupported --db '%s' (want sqlite:PATH)",
			 s->db_url);
		return EINVAL;
	}
	return 0;
}
