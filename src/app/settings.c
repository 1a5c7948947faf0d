/* app/settings: every value of "hotline serve"'s settings checked and
 * parsed once, before anything is created, so a bad value is one line on
 * standard error and exit 2 with nothing touched. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "app/app_int.h"
#include "base/log.h"

/* The HTTP limits of api_conf, in its order, with the values allowed. */
static const struct {
	const char *key;
	uint64_t lo, hi;
} http_keys[] = {
	{"http.header_timeout_ms", 100, 3600000},
	{"http.idle_timeout_ms",   100, 86400000},
	{"http.max_conns",         1,   100000},
};

static int parse_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	char a[8], b[8];
	uint64_t x, y;
	const char *dash = s ? strchr(s, '-') : NULL;

	if (!dash || dash - s >= (long)sizeof(a) || strlen(dash + 1) >= sizeof(b))
		return EINVAL;
	memcpy(a, s, (size_t)(dash - s));
	a[dash - s] = '\0';
	strcpy(b, dash + 1);
	if (util_parse_u64(a, 1024, 65534, &x) ||
	    util_parse_u64(b, 1025, 65535, &y) || x >= y)
		return EINVAL;
	*lo = (uint16_t)x;
	*hi = (uint16_t)y;
	return 0;
}

int app_settings_check(struct app_settings *s, const struct cfg *c,
		       char *err, size_t n)
{
	char host[256];
	uint16_t port;
	enum log_level lvl;

	if (util_parse_hostport(cfg_get(c, "sip.listen"), host, sizeof(host), &port)) {
		snprintf(err, n, "bad --sip '%s' (want HOST:PORT)", cfg_get(c, "sip.listen"));
		return EINVAL;
	}
	if (util_parse_hostport(cfg_get(c, "http.listen"), host, sizeof(host), &port)) {
		snprintf(err, n, "bad --http '%s' (want HOST:PORT)", cfg_get(c, "http.listen"));
		return EINVAL;
	}
	if (parse_range(cfg_get(c, "rtp.ports"), &s->rtp_lo, &s->rtp_hi)) {
		snprintf(err, n, "bad --rtp-ports '%s' (want LO-HI, 1024..65535)",
			 cfg_get(c, "rtp.ports"));
		return EINVAL;
	}
	if (log_level_parse(cfg_get(c, "log.level"), &lvl)) {
		snprintf(err, n, "bad --log-level '%s'", cfg_get(c, "log.level"));
		return EINVAL;
	}
	log_set_level(lvl);
	if (util_parse_u64(cfg_get(c, "auth.token_ttl_s"), 60, 366ULL * 86400,
			   &s->token_ttl_s)) {
		snprintf(err, n, "bad auth.token_ttl_s '%s' (want 60..31622400)",
			 cfg_get(c, "auth.token_ttl_s"));
		return EINVAL;
	}
	for (size_t i = 0; i < ARRAY_LEN(http_keys); i++) {
		const char *v = cfg_get(c, http_keys[i].key);

		if (util_parse_u64(v, http_keys[i].lo, http_keys[i].hi,
				   &s->http_limits[i])) {
			snprintf(err, n, "bad %s '%s' (want %llu..%llu)",
				 http_keys[i].key, v,
				 (unsigned long long)http_keys[i].lo,
				 (unsigned long long)http_keys[i].hi);
			return EINVAL;
		}
	}
	if (util_parse_u64(cfg_get(c, "call.ring_timeout_s"), 0, 3600,
			   &s->ring_timeout_s)) {
		snprintf(err, n, "bad call.ring_timeout_s '%s' (want 0..3600)",
			 cfg_get(c, "call.ring_timeout_s"));
		return EINVAL;
	}
	if (util_parse_u64(cfg_get(c, "call.max_calls"), 0, 1000000,
			   &s->max_calls)) {
		snprintf(err, n, "bad call.max_calls '%s' (want 0..1000000)",
			 cfg_get(c, "call.max_calls"));
		return EINVAL;
	}
	if (util_parse_u64(cfg_get(c, "voicemail.max_s"), 1, 3600,
			   &s->vm_max_s)) {
		snprintf(err, n, "bad voicemail.max_s '%s' (want 1..3600)",
			 cfg_get(c, "voicemail.max_s"));
		return EINVAL;
	}
	if (util_parse_u64(cfg_get(c, "tts.rate_wpm"), 80, 450,
			   &s->tts_rate_wpm)) {
		snprintf(err, n, "bad tts.rate_wpm '%s' (want 80..450)",
			 cfg_get(c, "tts.rate_wpm"));
		return EINVAL;
	}
	if (util_parse_u64(cfg_get(c, "media.threads"), 1, 64, &s->media_threads)) {
		snprintf(err, n, "bad media.threads '%s' (want 1..64)",
			 cfg_get(c, "media.threads"));
		return EINVAL;
	}
	if (util_strlcpy(s->data_dir, cfg_get(c, "data.dir"), sizeof(s->data_dir))) {
		snprintf(err, n, "--data path too long");
		return EINVAL;
	}
	if (cfg_get(c, "db.url"))
		snprintf(s->db_url, sizeof(s->db_url), "%s", cfg_get(c, "db.url"));
	else
		snprintf(s->db_url, sizeof(s->db_url), "sqlite:%s/hotline.db", s->data_dir);
	if (strncmp(s->db_url, "sqlite:", 7)) {
		snprintf(err, n, "unsupported --db '%s' (want sqlite:PATH)", s->db_url);
		return EINVAL;
	}
	return 0;
}

