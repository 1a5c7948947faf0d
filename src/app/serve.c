/* app/serve: start-up, the ready line, and the orderly stop.
 *
 * Start-up checks everything that can be wrong with the command line, then
 * binds the listening sockets, before creating anything: a bad flag or a
 * port in use changes nothing on disk. The ready line is printed only once
 * the sockets accept. The first SIGTERM/SIGINT starts an orderly stop on
 * the loop (WebSocket clients get a close frame); the database is closed
 * last, which flushes every queued write. */
#include <errno.h>
#include <stdlib.h>
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
#include <re_net.h>
#include <re_tmr.h>
#define DEBUG_MODULE "serve"
#define DEBUG_LEVEL 0
#include <re_dbg.h>
#include "api/api.h"
#include "app/app.h"
#include "app/app_int.h"
#include "base/bus.h"
#include "base/log.h"
#include "base/util.h"
#include "call/call.h"
#include "db/db.h"
#include "media/media.h"
#include "queue/queue.h"
#include "route/route.h"
#include "sip/sipx.h"

struct serve {
	struct cfg *cfg;
	struct app_settings set;     /* cfg's values, checked */
	char media_ip[64];
	struct api *api;
	struct db *db;
	struct bus *bus;
	struct app_eventlog eventlog;
	struct sipx *sipx;
	struct route *route;         /* the dial plan */
	struct media_engine *media;
	struct call_mgr *calls;
	struct queue_host *queues;
	struct media_prompt *ringback, *moh, *confirm, *vm_greeting;
	struct media_tts *tts;       /* NULL when espeak-ng cannot be loaded */
	struct tmr grace;
	bool api_done;
};

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

/* Runs in signal context: only re_cancel() is safe here. The first stops
 * the main run of the loop; the stop sequence runs the loop once more. */
static void on_signal(int sig)
{
	(void)sig;
	re_cancel();
}

/* The stop sequence waits for the API's goodbyes and for the BYEs of
 * live calls to leave; the loop ends when both are done. */
static void maybe_stopped(struct serve *s)
{
	if (s->api_done && !tmr_isrunning(&s->grace))
		re_cancel();
}

static void api_stopped(void *arg)
{
	struct serve *s = arg;
	s->api_done = true;
	maybe_stopped(s);
}

static void grace_over(void *arg)
{
	maybe_stopped(arg);
}

static void print_help(void)
{
	printf("usage: hotline serve [FLAGS]\n\n");
	cfg_print_help(app_cfg_defs);
}

/* The address written into SDP: the --sip host unless it is a wildcard,
 * then the machine's default source address. */
static int media_address(struct serve *s, char *err, size_t n, bool *any)
{
	const char *set = cfg_get(s->cfg, "rtp.address");
	char host[64];
	uint16_t port;
	struct sa sa;

	if (set && *set) {
		util_strlcpy(s->media_ip, set, sizeof(s->media_ip));
		return 0;
	}
	util_parse_hostport(cfg_get(s->cfg, "sip.listen"), host, sizeof(host),
			    &port);
	if (sa_set_str(&sa, host, 0) == 0 && !sa_is_any(&sa)) {
		util_strlcpy(s->media_ip, host, sizeof(s->media_ip));
		return 0;
	}
	*any = true;
	if (net_default_source_addr_get(AF_INET, &sa)) {
		snprintf(err, n, "no address for RTP: set rtp.address");
		return EADDRNOTAVAIL;
	}
	re_snprintf(s->media_ip, sizeof(s->media_ip), "%j", &sa);
	return 0;
}

/* Starts RTP and the B2BUA on top of SIP. */
static int start_calls(struct serve *s, char *err, size_t n)
{
	struct media_engine_opts mo = {
		.threads = (unsigned)s->set.media_threads,
		.port_lo = s->set.rtp_lo, .port_hi = s->set.rtp_hi,
	};
	struct call_opts co;
	bool any = false;
	int e = media_address(s, err, n, &any);

	/* RTP listens where SIP does: everywhere for a wildcard --sip. */
	mo.bind_ip = any ? "0.0.0.0" : s->media_ip;

	if (!e)
		e = media_engine_start(&s->media, &mo);
	if (e) {
		if (!*err)
			snprintf(err, n, "cannot start media (%s)", strerror(e));
		return e;
	}
	co = (struct call_opts){
		.sipx = s->sipx, .media = s->media, .db = s->db, .bus = s->bus,
		.route = s->route,
		.data_dir = s->set.data_dir, .media_ip = s->media_ip,
		.record = cfg_get_bool(s->cfg, "record.enabled"),
		.ring_timeout_ms = (uint32_t)s->set.ring_timeout_s * 1000,
		.vm_max_ms = (uint32_t)s->set.vm_max_s * 1000,
		.max_calls = (uint32_t)s->set.max_calls,
	};
	co.ringback = s->ringback;
	co.moh = s->moh;
	co.confirm = s->confirm;
	co.vm_greeting = s->vm_greeting;
	e = call_mgr_alloc(&s->calls, &co);
	if (e)
		snprintf(err, n, "cannot start calls (%s)", strerror(e));
	return e;
}

/* Starts the text-to-speech worker. Without it (espeak-ng or its data
 * missing) Hotline still serves; only spoken announcements are off. */
static void start_tts(struct serve *s)
{
	struct media_tts_opts to = {
		.rate_wpm = (unsigned)s->set.tts_rate_wpm,
	};
	int e = media_tts_alloc(&s->tts, &to);

	if (e)
		log_warn("tts.unavailable", "err=%s", strerror(e));
}

/* The spoken voicemail greeting is ready: it replaces the plain beep. */
static void on_greeting(int err, struct media_prompt *p, void *arg)
{
	struct call_mgr *m = arg;
	struct media_prompt *g;

	if (err || app_vm_greeting_make(&g, media_prompt_pcm(p),
					media_prompt_len(p))) {
		log_warn("voicemail.greeting", "err=%s: the beep alone",
			 strerror(err ? err : ENOMEM));
		return;
	}
	call_mgr_set_vm_greeting(m, g);
	log_info("voicemail.greeting_ready", "ms=%u", media_prompt_ms(g));
	media_prompt_unref(g);
}

/* Asks for the spoken greeting when voicemail.greeting is "speech". */
static void start_greeting(struct serve *s)
{
	int e;

	if (!s->tts || strcmp(cfg_get(s->cfg, "voicemail.greeting"), "speech"))
		return;
	e = media_tts_say(s->tts, "zh", "请在提示音后留言。",
			  on_greeting, s->calls);
	if (e)
		log_warn("voicemail.greeting", "err=%s: the beep alone",
			 strerror(e));
}

/* Starts the ACD's host on top of calls. */
static int start_queues(struct serve *s, char *err, size_t n)
{
	const char *pl = cfg_get(s->cfg, "queue.phone_login");
	uint64_t flush;
	char why[300] = "";
	struct queue_opts qo = {
		.db = s->db, .bus = s->bus, .calls = s->calls, .sipx = s->sipx,
		.phone_login = pl ? cfg_get_bool(s->cfg, "queue.phone_login") :
			cfg_get_bool(s->cfg, "demo.enabled"),
	};
	int e;

	if (util_parse_u64(cfg_get(s->cfg, "queue.flush_ms"), 100, 3600000,
			   &flush)) {
		snprintf(err, n, "bad queue.flush_ms (want 100..3600000)");
		return EINVAL;
	}
	qo.flush_ms = (uint32_t)flush;
	qo.tts = s->tts;
	e = queue_host_start(&s->queues, &qo, why, sizeof(why));
	if (e)
		snprintf(err, n, "cannot start the queues (%s)", why);
	return e;
}

/* Opens storage and the bus, provisions the demo, starts the registrar,
 * media, calls and the API. Returns the exit status for a failure, 0 when
 * serving. */
static int start(struct serve *s, char *err, size_t n)
{
	struct api_conf ac;
	int e;

	if (mkdir(s->set.data_dir, 0750) && errno != EEXIST) {
		snprintf(err, n, "cannot create %s: %s", s->set.data_dir,
			 strerror(errno));
		return 2;
	}
	e = db_open(&s->db, s->set.db_url);
	if (e) {
		snprintf(err, n, "cannot open the database %s (%s)", s->set.db_url,
			 strerror(e));
		return 1;
	}
	if (bus_alloc(&s->bus) ||
	    app_eventlog_start(&s->eventlog, s->bus, s->db)) {
		snprintf(err, n, "out of memory");
		return 1;
	}
	if (cfg_get_bool(s->cfg, "demo.enabled") &&
	    app_demo_provision(s->db, cfg_get(s->cfg, "sip.realm"))) {
		snprintf(err, n, "cannot provision the demo tenant");
		return 1;
	}
	e = sipx_start(s->sipx, s->db, s->bus);
	if (e) {
		snprintf(err, n, "cannot start the registrar (%s)", strerror(e));
		return 1;
	}
	e = route_start(&s->route, s->db, s->sipx);
	if (e) {
		snprintf(err, n, "cannot load the dial plan (%s)", strerror(e));
		return 1;
	}
	start_tts(s);
	if (start_calls(s, err, n) || start_queues(s, err, n))
		return 1;
	start_greeting(s);
	ac = (struct api_conf){
		.db = s->db, .bus = s->bus, .queues = s->queues,
		.calls = s->calls,
		.data_dir = s->set.data_dir,
		.token_ttl_ms = (int64_t)s->set.token_ttl_s * 1000,
		.header_timeout_ms = (uint32_t)s->set.http_limits[0],
		.idle_timeout_ms = (uint32_t)s->set.http_limits[1],
		.max_conns = (uint32_t)s->set.http_limits[2],
	};
	e = api_start(s->api, &ac);
	if (e) {
		snprintf(err, n, "cannot start the HTTP API (%s)", strerror(e));
		return 1;
	}
	return 0;
}

/* Ends live calls and lets their BYEs out, says goodbye to API clients, then
 * tears down in the reverse order of start(); db_close flushes last. */
static void stop(struct serve *s)
{
	if (s->calls && call_mgr_count(s->calls)) {
		call_mgr_hangup_all(s->calls);
		tmr_start(&s->grace, 300, grace_over, s);
	}
	else if (s->calls) {
		call_mgr_hangup_all(s->calls);
	}
	api_shutdown(s->api, api_stopped, s);
	if (!s->api_done || tmr_isrunning(&s->grace))
		(void)re_main(on_signal);
	tmr_cancel(&s->grace);
}

int app_serve(int argc, char **argv)
{
	struct serve s = {0};
	char err[1400] = "";
	int rc = 2, e;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_help();
			return 0;
		}
	}
	if (cfg_alloc(&s.cfg, app_cfg_defs))
		return usage_error("out of memory");
	if (cfg_parse_args(s.cfg, argc - 1, argv + 1, err, sizeof(err)) ||
	    app_settings_check(&s.set, s.cfg, err, sizeof(err)) ||
	    app_ringback_load(&s.ringback, cfg_get(s.cfg, "call.ringback"),
			      err, sizeof(err)) ||
	    app_vm_greeting_load(&s.vm_greeting,
				 cfg_get(s.cfg, "voicemail.greeting"), err,
				 sizeof(err))) {
		rc = usage_error(err);
		goto out;
	}
	if (app_sounds_alloc(&s.moh, &s.confirm)) {
		snprintf(err, sizeof(err), "out of memory");
		rc = usage_error(err);
		goto out;
	}
	if (libre_init()) {
		rc = usage_error("cannot initialise libre");
		goto out;
	}
	tmr_init(&s.grace);
	dbg_handler_set(libre_debug, NULL);
	/* Both listening sockets before anything is written: a port in use
	 * changes nothing on disk. */
	if (sip_open(&s, err, sizeof(err))) {
		rc = usage_error(err);
		goto close;
	}
	e = api_alloc(&s.api, cfg_get(s.cfg, "http.listen"));
	if (e) {
		snprintf(err, sizeof(err), "cannot listen for HTTP on %s: %s",
			 cfg_get(s.cfg, "http.listen"),
			 e == EADDRINUSE ? "address in use" : strerror(e));
		rc = usage_error(err);
		goto close;
	}
	rc = start(&s, err, sizeof(err));
	if (rc) {
		usage_error(err);
		goto close;
	}

	printf("hotline ready sip=%s http=%s\n", cfg_get(s.cfg, "sip.listen"),
	       cfg_get(s.cfg, "http.listen"));
	fflush(stdout);
	log_info("serve.ready", "sip=%s http=%s rtp=%s:%u-%u data=%s db=%s",
		 cfg_get(s.cfg, "sip.listen"), cfg_get(s.cfg, "http.listen"),
		 s.media_ip, s.set.rtp_lo, s.set.rtp_hi, s.set.data_dir, s.set.db_url);

	rc = re_main(on_signal) ? 1 : 0;
	log_info("serve.stopping", "status=%d", rc);
	stop(&s);
	log_info("serve.stop", "status=%d", rc);
 close:
	/* The queue host stores states and buckets while the database is
	 * open, after every call has told it how it ended. */
	if (s.calls)
		call_mgr_hangup_all(s.calls);
	queue_host_stop(s.queues);
	media_tts_free(s.tts);
	s.calls = mem_deref(s.calls);
	s.route = mem_deref(s.route);
	media_engine_stop(s.media);
	s.sipx = mem_deref(s.sipx);
	s.api = mem_deref(s.api);
	app_eventlog_stop(&s.eventlog);
	db_close(s.db);
	bus_free(s.bus);
	libre_close();
 out:
	media_prompt_unref(s.ringback);
	media_prompt_unref(s.moh);
	media_prompt_unref(s.confirm);
	media_prompt_unref(s.vm_greeting);
	cfg_free(s.cfg);
	return rc;
}
