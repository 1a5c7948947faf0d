/* app/serve: start-up, the ready line, and the orderly stop, over the
 * module table (modules.c; base/mod.h says what its hooks promise).
 *
 * Start-up checks the command line, then runs every module's open hook
 * (settings checked, listening sockets bound) before any start hook, so a
 * bad flag or a port in use changes nothing on disk. The ready line is
 * printed only once every module has started. The first SIGTERM/SIGINT
 * starts an orderly stop: every module drains (live calls get BYE,
 * WebSocket clients a close frame) while the loop runs, then the modules
 * stop in reverse order; the database is the first row, so it closes
 * last, which flushes every queued write. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* libre piecemeal: <re.h> brings re_json.h, which clashes with jansson. */
#include <re_types.h>
#include <re_fmt.h>
#include <re_main.h>
#include <re_list.h>
#include <re_tmr.h>
#define DEBUG_MODULE "serve"
#define DEBUG_LEVEL 0
#include <re_dbg.h>
#include "app/app.h"
#include "app/app_int.h"
#include "base/log.h"
#include "base/memtrim.h"
#include "media/media.h"

/* How often base/memtrim looks at the heap: RSS is back at most this long
 * after a load has passed, plus the 32 s the last SIP transactions live. */
enum { MEMTRIM_PERIOD_MS = 10000 };

/* The stop's progress: drains still to finish. */
struct stopping {
	unsigned pending;
};

static struct stopping stopping;

static int usage_error(const char *msg)
{
	fprintf(stderr, "hotline serve: %s\n", msg);
	return 2;
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

/* Runs in signal context: only re_cancel() is safe here. The first stops
 * the main run of the loop; the stop sequence runs the loop once more. */
static void on_signal(int sig)
{
	(void)sig;
	re_cancel();
}

/* A stop asked for before re_main installed its own handlers: the ready
 * line goes out first, so a test (or systemd) may send SIGTERM at once,
 * and the default action would kill the process without the orderly
 * stop. early_signal records it; the loop's first timer acts on it. */
static volatile sig_atomic_t early_stop;

static void early_signal(int sig)
{
	(void)sig;
	early_stop = 1;
	re_cancel();
}

static void check_early_stop(void *arg)
{
	(void)arg;
	if (early_stop)
		re_cancel();
}

static int print_help(void)
{
	struct field *rows;

	if (app_cfg_table(&rows, NULL))
		return usage_error("out of memory");
	printf("usage: hotline serve [FLAGS]\n\n");
	cfg_print_help(rows);
	free(rows);
	return 0;
}

/* One module's drain is over; the loop ends with the last. */
static void drained(struct mod_house *h)
{
	(void)h;
	if (stopping.pending && !--stopping.pending)
		re_cancel();
}

/* Drains run in table order: a module's goodbyes (a call's BYE, its
 * call.ended event) still reach the modules above it, which have not
 * drained yet (the API streams that event before closing its sockets).
 * The loop runs until every drain has said done. */
static void drain_all(struct app_house *a)
{
	stopping.pending = 1;           /* held until every drain has begun */
	for (size_t i = 0; i < app_nmodules; i++) {
		if (!app_modules[i]->drain)
			continue;
		stopping.pending++;
		app_modules[i]->drain(&a->h, drained);
	}
	if (--stopping.pending)
		(void)re_main(on_signal);
}

int app_serve(int argc, char **argv)
{
	struct app_house a = {0};
	struct memtrim *trim = NULL;
	struct tmr early;
	char err[1400] = "";
	size_t reached = 0;
	int rc = 2;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			return print_help();
		}
	}
	if (app_cfg_table(&a.rows, NULL) || cfg_alloc(&a.cfg, a.rows))
		return usage_error("out of memory");
	a.h.cfg = a.cfg;
	a.h.data_dir = a.set.data_dir;
	if (cfg_parse_args(a.cfg, argc - 1, argv + 1, err, sizeof(err)) ||
	    app_settings_check(&a.set, a.cfg, err, sizeof(err))) {
		rc = usage_error(err);
		goto out;
	}
	a.h.demo = a.set.demo;
	if (libre_init()) {
		rc = usage_error("cannot initialise libre");
		goto out;
	}
	dbg_handler_set(libre_debug, NULL);
	/* Every check and every listening socket before anything is
	 * written: a bad setting or a port in use changes nothing on disk. */
	if (mod_open_all(app_modules, app_nmodules, &a.h, &reached, err,
			 sizeof(err))) {
		rc = usage_error(err);
		goto close;
	}
	if (mod_start_all(app_modules, app_nmodules, &a.h, err, sizeof(err))) {
		rc = 1;
		usage_error(err);
		goto close;
	}

	tmr_init(&early);
	signal(SIGTERM, early_signal);
	signal(SIGINT, early_signal);
	tmr_start(&early, 0, check_early_stop, NULL);
	printf("hotline ready sip=%s http=%s\n", cfg_get(a.cfg, "sip.listen"),
	       cfg_get(a.cfg, "http.listen"));
	fflush(stdout);
	log_info("serve.ready", "sip=%s http=%s rtp=%s:%u-%u data=%s db=%s",
		 cfg_get(a.cfg, "sip.listen"), cfg_get(a.cfg, "http.listen"),
		 a.media_ip, a.media.rtp_ports.lo, a.media.rtp_ports.hi,
		 a.set.data_dir,
		 a.set.db_url);

	/* Memory freed by a load goes back to the system once it has
	 * passed (base/memtrim.h; issue 18). Without it nothing is lost
	 * but the giving back. */
	if (memtrim_start(&trim, MEMTRIM_PERIOD_MS))
		log_warn("serve.memtrim", "err=start_failed");
	rc = re_main(on_signal) ? 1 : 0;
	tmr_cancel(&early);
	memtrim_stop(trim);
	log_info("serve.stopping", "status=%d", rc);
	drain_all(&a);
	log_info("serve.stop", "status=%d", rc);
 close:
	mod_stop_all(app_modules, reached, &a.h);
	libre_close();
 out:
	media_prompt_unref(a.ringback);
	media_prompt_unref(a.moh);
	media_prompt_unref(a.confirm);
	media_prompt_unref(a.vm_greeting);
	cfg_free(a.cfg);
	free(a.rows);
	return rc;
}
