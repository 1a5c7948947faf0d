/* app/serve: start-up, the ready line, and the orderly stop.
 *
 * Start-up checks everything that can be wrong with the command line before
 * creating anything, so a bad flag changes nothing on disk. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <re.h>
#include "app/app.h"
#include "app/app_int.h"
#include "base/log.h"
#include "base/util.h"

struct serve {
	struct cfg *cfg;
	char data_dir[512];
	char db_url[600];
	uint16_t rtp_lo, rtp_hi;
};

static int usage_error(const char *msg)
{
	fprintf(stderr, "hotline serve: %s\n", msg);
	return 2;
}

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

/* Validates every value; on error writes the reason to err. */
static int check_conf(struct serve *s, char *err, size_t n)
{
	const struct cfg *c = s->cfg;
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

static void on_signal(int sig)
{
	log_info("serve.signal", "sig=%d", sig);
	re_cancel();
}

static void print_help(void)
{
	printf("usage: hotline serve [FLAGS]\n\n");
	cfg_print_help(app_cfg_defs);
}

int app_serve(int argc, char **argv)
{
	struct serve s = {0};
	char err[1400];
	int rc = 2;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_help();
			return 0;
		}
	}
	if (cfg_alloc(&s.cfg, app_cfg_defs))
		return usage_error("out of memory");
	if (cfg_parse_args(s.cfg, argc - 1, argv + 1, err, sizeof(err)) ||
	    check_conf(&s, err, sizeof(err))) {
		rc = usage_error(err);
		goto out;
	}
	if (mkdir(s.data_dir, 0750) && errno != EEXIST) {
		snprintf(err, sizeof(err), "cannot create %s: %s", s.data_dir,
			 strerror(errno));
		rc = usage_error(err);
		goto out;
	}
	if (libre_init()) {
		rc = usage_error("cannot initialise libre");
		goto out;
	}

	printf("hotline ready sip=%s http=%s\n", cfg_get(s.cfg, "sip.listen"),
	       cfg_get(s.cfg, "http.listen"));
	fflush(stdout);
	log_info("serve.ready", "data=%s db=%s", s.data_dir, s.db_url);

	rc = re_main(on_signal) ? 1 : 0;
	log_info("serve.stop", "status=%d", rc);
	libre_close();
out:
	cfg_free(s.cfg);
	return rc;
}
