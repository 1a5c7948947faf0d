/* app/serve: start-up, the ready line, and the orderly stop.
 *
 * Start-up checks everything that can be wrong with the command line before
 * creating anything, so a bad flag changes nothing on disk. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
/* libre piecemeal: <re.h> brings re_json.h, which clashes with jansson. */
#include <re_types.h>
#include <re_fmt.h>
#include <re_mbuf.h>
#include <re_msg.h>
#include <re_list.h>
#include <re_sa.h>
#include <re_uri.h>
#include <re_sip.h>
#include <re_main.h>
#include <re_mem.h>
#define DEBUG_MODULE "serve"
#define DEBUG_LEVEL 0
#include <re_dbg.h>
#include "app/app.h"
#include "app/app_int.h"
#include "base/bus.h"
#include "base/log.h"
#include "base/util.h"
#include "db/db.h"
#include "sip/sipx.h"

struct serve {
	struct cfg *cfg;
	char data_dir[512];
	char db_url[600];
	uint16_t rtp_lo, rtp_hi;
	struct bus *bus;
	struct db *db;
	struct sipx *sipx;
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

/* libre's own warnings ("tcp: sock_bind: …") become our debug lines, so
 * a port in use is reported once, by us, and the log keeps one format. */
static void libre_debug(int level, const char *p, size_t len, void *arg)
{
	(void)arg;
	while (len && (p[len - 1] == '\n' || p[len - 1] == '\r'))
		len--;
	log_debug("re.debug", "level=%d msg=\"%.*s\"", level, (int)len, p);
}

/* Binds SIP before anything is written, so a port in use changes nothing. */
static int sip_open(struct serve *s, char *err, size_t n)
{
	struct sipx_conf sc;
	uint64_t v;

	sipx_conf_default(&sc);
	sc.listen = cfg_get(s->cfg, "sip.listen");
	sc.realm = cfg_get(s->cfg, "sip.realm");
	sc.trust_loopback = cfg_get_bool(s->cfg, "demo.enabled");
	if (util_parse_u64(cfg_get(s->cfg, "sip.min_expires"), 1, 86400, &v)) {
		snprintf(err, n, "bad sip.min_expires (want 1..86400 seconds)");
		return EINVAL;
	}
	sc.min_expires_s = (uint32_t)v;
	if (util_parse_u64(cfg_get(s->cfg, "sip.max_expires"), v, 86400, &v)) {
		snprintf(err, n, "bad sip.max_expires (want min_expires..86400)");
		return EINVAL;
	}
	sc.max_expires_s = (uint32_t)v;
	return sipx_alloc(&s->sipx, &sc, err, n);
}

/* Opens storage, provisions the demo, and starts the registrar on it. */
static int sip_start(struct serve *s, char *err, size_t n)
{
	int rc = bus_alloc(&s->bus);

	rc = rc ? rc : db_open(&s->db, s->db_url);
	if (rc) {
		snprintf(err, n, "cannot open %s: %s", s->db_url, strerror(rc));
		return rc;
	}
	if (cfg_get_bool(s->cfg, "demo.enabled")) {
		rc = app_demo_extensions(s->db, cfg_get(s->cfg, "sip.realm"));
		if (rc) {
			snprintf(err, n, "cannot provision the demo: %s",
				 strerror(rc));
			return rc;
		}
	}
	rc = sipx_start(s->sipx, s->db, s->bus);
	if (rc)
		snprintf(err, n, "cannot start the registrar: %s", strerror(rc));
	return rc;
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
	if (libre_init()) {
		rc = usage_error("cannot initialise libre");
		goto out;
	}
	dbg_handler_set(libre_debug, NULL);
	if (sip_open(&s, err, sizeof(err))) {
		rc = usage_error(err);
		goto out_re;
	}
	if (mkdir(s.data_dir, 0750) && errno != EEXIST) {
		snprintf(err, sizeof(err), "cannot create %s: %s", s.data_dir,
			 strerror(errno));
		rc = usage_error(err);
		goto out_re;
	}
	if (sip_start(&s, err, sizeof(err))) {
		fprintf(stderr, "hotline serve: %s\n", err);
		rc = 1;
		goto out_re;
	}

	printf("hotline ready sip=%s http=%s\n", cfg_get(s.cfg, "sip.listen"),
	       cfg_get(s.cfg, "http.listen"));
	fflush(stdout);
	log_info("serve.ready", "data=%s db=%s", s.data_dir, s.db_url);

	rc = re_main(on_signal) ? 1 : 0;
	log_info("serve.stop", "status=%d", rc);
out_re:
	s.sipx = mem_deref(s.sipx);
	db_close(s.db);
	bus_free(s.bus);
	libre_close();
out:
	cfg_free(s.cfg);
	return rc;
}
