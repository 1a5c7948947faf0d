/* app/modules: the modules of `hotline serve`, one row each, in start order
 * (base/mod.h says what the hooks promise). Stopping runs the rows in
 * reverse, so each module stops while everything it uses still runs:
 *
 *   db        storage and its writer thread; closed last, which flushes
 *             every write the others queued while stopping
 *   pool      the house's worker pool (base/pool.h): database reads,
 *             report queries, file work, every module's. Each takes a
 *             lane and stops it in its own stop (api/ when it drains, so
 *             no job answers a request after the modules it reads from
 *             have stopped); the pool stops here, after all of them
 *   eventlog  the bus, and every event into the events table
 *   demo      the demo tenant's rows (--demo)
 *   sip       registrar and dialogs; binds SIP before anything is written
 *   route     the dial plan: numbers and where they lead (its row is
 *             route/'s own, as a new module's is)
 *   trunk     carriers' lines both ways and the outbound dial plans;
 *             tells sip/ which sources are trunks (trunk/'s row)
 *   prompt    uploaded prompts (files under DATA_DIR/prompts); before
 *             the IVR, which asks it whether a flow's prompts exist
 *   ivr       the voice menus (flows), compiled in memory; ivr/'s row
 *   tts       speech (espeak-ng) on its worker; absent without it
 *   audio     measures each call's recording once it is finished (its
 *             row is audio/'s own): before media, which reports the
 *             finished files to it, so it stops after media has finished
 *             every file
 *   media     RTP legs on the media threads
 *   call      the B2BUA; its drain ends live calls with BYE
 *   queue     the live ACD; stops after every call told it how it ended
 *             (its row is queue/'s own, in queue/http.c)
 *   crm       customers: screens callers for call/ and names owners for
 *             queue/ through their hooks, so it starts after both
 *             (crm/'s row, in crm/mod.c)
 *   kb        the knowledge base; creates its search index (kb/'s row)
 *   task      callback tasks and notices (task/'s row): above call
 *             and queue, whose events make tasks
 *   qa        quality inspection: scorecards, evaluations, appeals,
 *             samples (qa/'s row; routes only)
 *   spc       control charts and histograms (spc/'s row; routes only,
 *             the work on api's workers)
 *   sched     workforce management: forecasts, staffing, shifts and
 *             adherence (sched/'s row; routes only, read on api's
 *             workers, asking queue/ for its KPI rows)
 *   report    agent turnover per month, quarter or year (report/'s row;
 *             routes only, the work on api's workers)
 *   web       the console's files (web/'s row; routes only)
 *   api       HTTP and WebSocket; binds HTTP before anything is written,
 *             its drain says goodbye to WebSocket clients
 *   rpt       the report list (rpt/'s row; routes only, the reads on
 *             api's workers): last, so that GET /api/v1/reports/{id}
 *             matches only the report paths no other module serves
 *
 * The hooks here adapt each module's own start and stop functions (which
 * take their options as structs) to the house; a new module writes its
 * row's hooks in its own folder. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <libgen.h>
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
#include <re_mem.h>
#include <re_net.h>
#include <re_tmr.h>
#include "api/api.h"
#include "app/app.h"
#include "app/app_int.h"
#include "audio/audio.h"
#include "base/log.h"
#include "base/pool.h"
#include "call/call.h"
#include "crm/crm.h"
#include "db/db.h"
#include "ivr/ivr.h"
#include "kb/kb.h"
#include "media/media.h"
#include "prompt/prompt.h"
#include "qa/qa.h"
#include "queue/queue.h"
#include "route/route.h"
#include "rpt/rpt.h"
#include "sched/sched.h"
#include "sip/sipx.h"
#include "report/report.h"
#include "spc/spc.h"
#include "ticket/ticket.h"
#include "task/task.h"
#include "trunk/trunk.h"
#include "web/web.h"

static struct app_house *house_of(struct mod_house *h)
{
	return (struct app_house *)h;
}

/* ---- db ---- */

/* The data directory must exist or be creatable, checked before anything
 * is written: a --data nobody can create is the operator's mistake. */
static int db_open_check(struct mod_house *h, char *err, size_t n)
{
	const char *dir = house_of(h)->set.data_dir;
	char parent[sizeof(house_of(h)->set.data_dir)];
	struct stat st;

	if (!stat(dir, &st))
		return 0;
	util_strlcpy(parent, dir, sizeof(parent));
	if (errno == ENOENT && !access(dirname(parent), W_OK | X_OK))
		return 0;
	snprintf(err, n, "cannot create %s: %s", dir, strerror(errno));
	return errno ? errno : EACCES;
}

static int db_start(struct mod_house *h, char *err, size_t n)
{
	const struct app_settings *s = &house_of(h)->set;
	int e;

	if (mkdir(s->data_dir, 0750) && errno != EEXIST) {
		snprintf(err, n, "cannot create %s: %s", s->data_dir,
			 strerror(errno));
		return errno;
	}
	e = db_open(&h->db, s->db_url);
	if (e)
		snprintf(err, n, "cannot open the database %s (%s)", s->db_url,
			 strerror(e));
	return e;
}

static void db_stop(struct mod_house *h)
{
	db_close(h->db);
	h->db = NULL;
}

/* ---- pool: the house's workers ---- */

static int pool_start(struct mod_house *h, char *err, size_t n)
{
	int e = pool_alloc(&h->pool, MOD_POOL_THREADS);

	if (e)
		snprintf(err, n, "cannot start the worker pool (%s)",
			 strerror(e));
	return e;
}

static void pool_mod_stop(struct mod_house *h)
{
	pool_stop(h->pool);
	h->pool = mem_deref(h->pool);
}

/* ---- eventlog: the bus and the events table ---- */

static int eventlog_start(struct mod_house *h, char *err, size_t n)
{
	if (bus_alloc(&h->bus) ||
	    app_eventlog_start(&house_of(h)->eventlog, h->bus, h->db)) {
		snprintf(err, n, "out of memory");
		return ENOMEM;
	}
	return 0;
}

static void eventlog_stop(struct mod_house *h)
{
	app_eventlog_stop(&house_of(h)->eventlog);
	bus_free(h->bus);
	h->bus = NULL;
}

/* ---- demo ---- */

static int demo_start(struct mod_house *h, char *err, size_t n)
{
	if (!h->demo ||
	    !app_demo_provision(h->db, cfg_get(h->cfg, "sip.realm")))
		return 0;
	snprintf(err, n, "cannot provision the demo tenant");
	return EIO;
}

/* ---- sip ---- */

/* Binds SIP before anything is written, so a port in use changes nothing. */
static int sip_open(struct mod_house *h, char *err, size_t n)
{
	struct sipx_values v;
	struct sipx_conf sc;

	if (cfg_read(h->cfg, sipx_settings.rows, sipx_settings.n, &v, err, n))
		return EINVAL;
	sipx_conf_default(&sc);
	sc.listen = cfg_get(h->cfg, "sip.listen");
	sc.realm = cfg_get(h->cfg, "sip.realm");
	sc.tls_listen = cfg_get(h->cfg, "sip.tls_listen");
	sc.tls_cert = cfg_get(h->cfg, "sip.tls_cert");
	sc.trust_loopback = house_of(h)->set.demo;
	sc.min_expires_s = (uint32_t)v.min_expires;
	sc.max_expires_s = (uint32_t)v.max_expires;
	sc.min_se_s = (uint32_t)v.min_se_s;
	if (v.session_expires_s && v.session_expires_s < v.min_se_s) {
		snprintf(err, n, "bad sip.session_expires_s (want 0 or "
			 "min_se_s..86400)");
		return EINVAL;
	}
	sc.session_expires_s = (uint32_t)v.session_expires_s;
	sc.keepalive_s = (uint32_t)v.keepalive_s;
	sc.keepalive_misses = (uint32_t)v.keepalive_misses;
	sc.udp_rcvbuf = (uint32_t)v.udp_rcvbuf;
	return sipx_alloc(&h->sipx, &sc, err, n);
}

static int sip_start(struct mod_house *h, char *err, size_t n)
{
	int e = sipx_start(h->sipx, h->db, h->bus);

	if (e)
		snprintf(err, n, "cannot start the registrar (%s)", strerror(e));
	return e;
}

static void sip_stop(struct mod_house *h)
{
	h->sipx = mem_deref(h->sipx);
}

/* ---- tts ---- */

/* Without espeak-ng or its data Hotline still serves; only spoken
 * prompts are off (h->tts stays NULL). Spoken prompts are kept under
 * DATA_DIR/prompts/tts, so a restart speaks none of them again. */
static int tts_start(struct mod_house *h, char *err, size_t n)
{
	char dir[PATH_MAX];
	struct media_tts_values v;
	struct media_tts_opts to = {.cache_dir = dir};
	int e;

	if (cfg_read(h->cfg, media_tts_settings.rows, media_tts_settings.n,
		     &v, err, n))
		return EINVAL;
	to.rate_wpm = (unsigned)v.rate_wpm;
	snprintf(dir, sizeof(dir), "%s/prompts", h->data_dir);
	if (mkdir(dir, 0750) && errno != EEXIST) {
		snprintf(err, n, "cannot create %s: %s", dir, strerror(errno));
		return errno;
	}
	snprintf(dir, sizeof(dir), "%s/prompts/tts", h->data_dir);
	if (mkdir(dir, 0750) && errno != EEXIST) {
		snprintf(err, n, "cannot create %s: %s", dir, strerror(errno));
		return errno;
	}
	e = media_tts_alloc(&h->tts, &to);
	if (e)
		log_warn("tts.unavailable", "err=%s", strerror(e));
	return 0;
}

static void tts_stop(struct mod_house *h)
{
	struct media_tts_stats st;

	if (h->tts) {
		media_tts_stats(h->tts, &st);
		log_info("tts.stats", "requests=%llu memory_hits=%llu "
			 "disk_hits=%llu disk_misses=%llu disk_errors=%llu",
			 (unsigned long long)st.requests,
			 (unsigned long long)st.cache_hits,
			 (unsigned long long)st.disk_hits,
			 (unsigned long long)st.disk_misses,
			 (unsigned long long)st.disk_errors);
	}
	media_tts_free(h->tts);
	h->tts = NULL;
}

/* ---- media ---- */

/* The address written into SDP: rtp.address, else the --sip host unless
 * it is a wildcard, else the machine's default source address (*any). */
static int media_address(struct app_house *a, bool *any, char *err, size_t n)
{
	const char *set = cfg_get(a->cfg, "rtp.address");
	char host[64];
	uint16_t port;
	struct sa sa;

	if (set && *set) {
		util_strlcpy(a->media_ip, set, sizeof(a->media_ip));
		return 0;
	}
	util_parse_hostport(cfg_get(a->cfg, "sip.listen"), host, sizeof(host),
			    &port);
	if (sa_set_str(&sa, host, 0) == 0 && !sa_is_any(&sa)) {
		util_strlcpy(a->media_ip, host, sizeof(a->media_ip));
		return 0;
	}
	*any = true;
	if (net_default_source_addr_get(AF_INET, &sa)) {
		snprintf(err, n, "no address for RTP: set rtp.address");
		return EADDRNOTAVAIL;
	}
	re_snprintf(a->media_ip, sizeof(a->media_ip), "%j", &sa);
	return 0;
}

/* The recorder's thread: a finished call recording goes to be measured. */
static void on_recorded(int err, const char *path, unsigned channels,
			uint64_t frames, void *arg)
{
	(void)err;      /* a failed file is measured as missing or unreadable */
	(void)frames;
	(void)audio_recorded(arg, path, channels);
}

static int media_start(struct mod_house *h, char *err, size_t n)
{
	struct app_house *a = house_of(h);
	struct media_engine_opts mo = {
		.recorded = h->audio ? on_recorded : NULL,
		.recorded_arg = h->audio,
	};
	bool any = false;
	int e;

	if (cfg_read(h->cfg, media_settings.rows, media_settings.n, &a->media,
		     err, n))
		return EINVAL;
	mo.threads = (unsigned)a->media.threads;
	mo.port_lo = a->media.rtp_ports.lo;
	mo.port_hi = a->media.rtp_ports.hi;
	e = media_address(a, &any, err, n);
	if (e)
		return e;
	/* RTP listens where SIP does: everywhere for a wildcard --sip. */
	mo.bind_ip = any ? "0.0.0.0" : a->media_ip;
	e = media_engine_start(&h->media, &mo);
	if (e) {
		snprintf(err, n, "cannot start media (%s)", strerror(e));
		return e;
	}
	h->media_ip = a->media_ip;
	return 0;
}

static void media_stop(struct mod_house *h)
{
	media_engine_stop(h->media);
	h->media = NULL;
}

/* ---- call ---- */

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

/* Loads the prompts calls play: a file named by a setting that cannot be
 * read is the operator's mistake, found before anything is written. */
static int call_open(struct mod_house *h, char *err, size_t n)
{
	struct app_house *a = house_of(h);

	if (app_ringback_load(&a->ringback, cfg_get(h->cfg, "call.ringback"),
			      err, n) ||
	    app_vm_greeting_load(&a->vm_greeting,
				 cfg_get(h->cfg, "voicemail.greeting"), err, n))
		return EINVAL;
	if (app_sounds_alloc(&a->moh, &a->confirm)) {
		snprintf(err, n, "out of memory");
		return ENOMEM;
	}
	return 0;
}

/* Where this server answers HTTP on loopback: listen's port, and its host
 * unless that is every address (or not IPv4). */
static void own_http(char *out, size_t n, const char *listen)
{
	const char *colon = listen ? strrchr(listen, ':') : NULL;
	struct sa sa;
	char host[64];

	if (!colon) {
		snprintf(out, n, "127.0.0.1:8080");
		return;
	}
	snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
	if (sa_set_str(&sa, host, 0) || sa_af(&sa) != AF_INET ||
	    sa_is_any(&sa))
		snprintf(host, sizeof(host), "127.0.0.1");
	snprintf(out, n, "%s:%s", host, colon + 1);
}

static int call_start(struct mod_house *h, char *err, size_t n)
{
	struct app_house *a = house_of(h);
	char self[80];
	struct call_values v;
	struct call_opts co = {
		.sipx = h->sipx, .media = h->media, .db = h->db, .bus = h->bus,
		.route = h->route, .trunks = h->trunks, .ivr = h->ivr,
		.tts = h->tts,
		.prompts = h->prompts,
		.data_dir = a->set.data_dir, .media_ip = h->media_ip,
		.ringback = a->ringback, .moh = a->moh, .confirm = a->confirm,
		.vm_greeting = a->vm_greeting, .self_http = self,
	};
	int e;

	if (cfg_read(h->cfg, call_settings.rows, call_settings.n, &v, err, n))
		return EINVAL;
	co.record = v.record;
	co.srtp_keys_over_plain = v.srtp_keys_over_plain;
	co.conference_one_port = v.conference_one_port;
	co.ring_timeout_ms = (uint32_t)v.ring_timeout_s * 1000;
	co.rtp_timeout_ms = (uint32_t)v.rtp_timeout_s * 1000;
	co.vm_max_ms = (uint32_t)v.vm_max_s * 1000;
	co.max_calls = (uint32_t)v.max_calls;
	own_http(self, sizeof(self), cfg_get(h->cfg, "http.listen"));
	e = call_mgr_alloc(&h->calls, &co);

	if (e) {
		snprintf(err, n, "cannot start calls (%s)", strerror(e));
		return e;
	}
	/* voicemail.greeting "speech": ask for it; the beep until it comes. */
	if (h->tts && !strcmp(cfg_get(h->cfg, "voicemail.greeting"), "speech")) {
		e = media_tts_say(h->tts, "zh", "请在提示音后留言。",
				  on_greeting, h->calls);
		if (e)
			log_warn("voicemail.greeting", "err=%s: the beep alone",
				 strerror(e));
	}
	return 0;
}

/* Live calls end with BYE; their BYEs get 300 ms to leave. (libre's
 * headers cannot be included twice, so the timer stays out of app_int.h.) */
static struct tmr call_grace;

static void call_grace_over(void *arg)
{
	struct app_house *a = arg;

	a->call_done(&a->h);
}

static void call_drain(struct mod_house *h, mod_done_h *done)
{
	struct app_house *a = house_of(h);
	bool live = call_mgr_count(h->calls) > 0;

	call_mgr_hangup_all(h->calls);
	if (!live) {
		done(h);
		return;
	}
	a->call_done = done;
	tmr_start(&call_grace, 300, call_grace_over, a);
}

static void call_stop(struct mod_house *h)
{
	tmr_cancel(&call_grace);
	if (h->calls)
		call_mgr_hangup_all(h->calls);
	h->calls = mem_deref(h->calls);
}

/* ---- api ---- */

/* Binds HTTP before anything is written, so a port in use changes nothing. */
static int api_open(struct mod_house *h, char *err, size_t n)
{
	const char *addr = cfg_get(h->cfg, "http.listen");
	int e = api_alloc(&h->api, addr);

	if (e)
		snprintf(err, n, "cannot listen for HTTP on %s: %s", addr,
			 e == EADDRINUSE ? "address in use" : strerror(e));
	return e;
}

static int api_mod_start(struct mod_house *h, char *err, size_t n)
{
	struct app_house *a = house_of(h);
	struct api_values v;
	struct api_conf ac = {
		.db = h->db, .bus = h->bus, .pool = h->pool,
		.data_dir = a->set.data_dir,
		.modules = app_modules, .nmodules = app_nmodules, .house = h,
	};
	int e;

	if (cfg_read(h->cfg, api_settings.rows, api_settings.n, &v, err, n))
		return EINVAL;
	ac.token_ttl_ms = (int64_t)v.token_ttl_s * 1000;
	ac.header_timeout_ms = (uint32_t)v.header_timeout_ms;
	ac.idle_timeout_ms = (uint32_t)v.idle_timeout_ms;
	ac.max_conns = (uint32_t)v.max_conns;
	ac.audit_keep_days = (uint32_t)v.audit_keep_days;
	e = api_start(h->api, &ac);
	if (e)
		snprintf(err, n, "cannot start the HTTP API (%s)", strerror(e));
	return e;
}

static void api_done(void *arg)
{
	struct app_house *a = arg;

	a->api_done(&a->h);
}

static void api_drain(struct mod_house *h, mod_done_h *done)
{
	struct app_house *a = house_of(h);

	a->api_done = done;
	api_shutdown(h->api, api_done, a);
}

static void api_stop(struct mod_house *h)
{
	h->api = mem_deref(h->api);
}

/* ---- the table ---- */

static const struct mod_export m_db = {
	.name = "db", .open = db_open_check, .start = db_start,
	.stop = db_stop,
};
static const struct mod_export m_pool = {
	.name = "pool", .start = pool_start, .stop = pool_mod_stop,
};
static const struct mod_export m_eventlog = {
	.name = "eventlog", .start = eventlog_start, .stop = eventlog_stop,
};
static const struct mod_export m_demo = {
	.name = "demo", .start = demo_start, .routes = &app_demo_routes,
};
static const struct mod_export m_sip = {
	.name = "sip", .open = sip_open, .start = sip_start, .stop = sip_stop,
	.routes = &sipx_routes, .settings = &sipx_settings,
};
static const struct mod_export m_tts = {
	.name = "tts", .start = tts_start, .stop = tts_stop,
	.settings = &media_tts_settings,
};
static const struct mod_export m_media = {
	.name = "media", .start = media_start, .stop = media_stop,
	.settings = &media_settings,
};
static const struct mod_export m_call = {
	.name = "call", .open = call_open, .start = call_start,
	.drain = call_drain, .stop = call_stop, .routes = &call_routes,
	.settings = &call_settings, .snapshot = call_snapshot,
};
static const struct mod_export m_api = {
	.name = "api", .open = api_open, .start = api_mod_start,
	.drain = api_drain, .stop = api_stop,
	.routes = &api_routes_core, .settings = &api_settings,
};

const struct mod_export *const app_modules[] = {
	&m_db, &m_pool, &m_eventlog, &m_demo, &m_sip, &route_module, &trunk_module,
	&prompt_module,
	&ivr_module,
	&m_tts, &audio_module, &m_media, &m_call, &queue_module, &crm_module,
	&kb_module,
	&task_module, &qa_module, &spc_module, &sched_module, &report_module,
	&web_module,
	&m_api,
	&ticket_module, &rpt_module,
};
const size_t app_nmodules = ARRAY_LEN(app_modules);
