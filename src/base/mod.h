/* mod: how a module plugs into `hotline serve`.
 *
 * A module declares itself in one export row (struct mod_export): its name,
 * the hooks that open, start, drain and stop it, the HTTP routes it serves
 * and the settings it reads. app/modules.c lists the rows in start order; `hotline serve` runs
 * every open hook in that order, then every start hook, serves, then
 * drains and stops them in the reverse order. Adding a module is one row
 * there and a folder of its own. (The shape is libre's `struct mod_export`
 * and Kamailio's `module_exports`: the core reads data, never a module's
 * name.)
 *
 * What modules share while the server runs is the house (struct
 * mod_house): the command line's settings and one pointer per service
 * that another module uses. Each pointer is set by the module that owns
 * it, in its start hook (its open hook for a bound socket, or for the
 * values of its settings that requests read), and is NULL before; a
 * module's hooks read only the services of modules listed above it (its
 * requests, served once every hook has run, may read any).
 *
 * A module's settings are field rows (base/field.h) in its own folder
 * (src/<module>/settings.c), keyed "section.key" as in the INI file; the
 * house-wide ones (db.url, data.dir, log.level, demo.enabled) are app/'s.
 * `hotline serve` reads the table's rows, house first, then module by
 * module: the INI reader and the flags find a key among them, every value
 * is held to its row before any hook runs (a bad one exits 2 naming it),
 * and `serve --help` and docs/operations.md's settings table print them.
 * Values reach a module through the house's cfg, read through the
 * module's own rows: its open or start hook calls cfg_read() once, which
 * parses them into the module's own values struct (its members are the
 * rows' offsets; the struct is declared beside the rows, in the module's
 * header when another folder reads it), and keeps them where its code
 * reaches them (its own state, or the house when requests read them); rows
 * without a member are read as text (cfg_get). So no folder but the
 * module knows a setting's type or range, app/ holds no struct of every
 * module's values, and nothing parses a value again where it is used;
 * the hook's read is of rows that already passed, so it cannot fail.
 *
 * A module's database tables are created by the migrations in its
 * folder (src/<module>/migrations/NNN_name.sql): numbered in one sequence
 * across modules, applied in number order when the database opens.
 *
 * Facts that always hold:
 *  (1) No hook of a later row runs before every hook of the same phase of
 *      the earlier rows has returned 0.
 *  (2) An open hook changes nothing on disk: a bad setting or a port in
 *      use exits 2 with nothing created.
 *  (3) Every module whose open or start was reached gets its stop hook,
 *      in reverse order, whether the server ran or failed to start; a
 *      stop hook copes with a module that never started.
 *  (4) Drain hooks run only after the server ran; each says once, through
 *      done, that its module has finished its goodbyes.
 */
#ifndef HL_BASE_MOD_H
#define HL_BASE_MOD_H

#include <stdbool.h>
#include <stddef.h>

struct cfg;
struct db;
struct pool;
struct bus;
struct sipx;
struct route;
struct trunk_host;
struct prompt_store;
struct media_engine;
struct audio;
struct media_tts;
struct call_mgr;
struct queue_host;
struct crm;
struct qa_values;
struct report_values;
struct api;
struct api_route;
struct field;
struct mod_house;
struct json_t;   /* jansson's, named without its header */

/* A drain is over: the module has nothing more to say to its peers. */
typedef void (mod_done_h)(struct mod_house *h);

/* The parts of the live state a module may hold (mod_export.snapshot).
 * Each is an array under its key, with the items the API lists: */
enum mod_live_part {
	MOD_LIVE_AGENTS = 1u << 0,   /* "agents": as GET /api/v1/agents */
	MOD_LIVE_QUEUES = 1u << 1,   /* "queues": as GET /api/v1/queues */
	MOD_LIVE_CALLS  = 1u << 2,   /* "calls": the live calls (docs/api.md) */
};

/* A module's HTTP routes: rows of api/'s route type, which says what each
 * field means. */
struct mod_routes {
	const struct api_route *rows;
	size_t n;
};

/* A module's settings: rows[0..n) of base/field.h, their members (if
 * any) in the module's values struct of size bytes (0: no struct, every
 * row is read as text). Keys are unique across the house. */
struct mod_settings {
	const struct field *rows;
	size_t n;
	size_t size;
};

struct mod_export {
	const char *name;
	/* Checks settings and binds sockets; writes nothing (fact 2). 0, or
	 * an errno with err set: the server exits 2. NULL: nothing to do. */
	int  (*open)(struct mod_house *h, char *err, size_t n);
	/* Creates the module's service on the loop. 0, or an errno with err
	 * set: the server exits 1. NULL: a module of routes alone (qa/, whose
	 * handlers need nothing but the house and its settings' values). */
	int  (*start)(struct mod_house *h, char *err, size_t n);
	/* The orderly stop begins: end sessions, say goodbye, then done(h),
	 * at once or later on the loop. NULL: nothing to say. */
	void (*drain)(struct mod_house *h, mod_done_h *done);
	/* Frees the service; after it the module's pointer in h is NULL. */
	void (*stop)(struct mod_house *h);
	/* The HTTP routes the module serves, or NULL. */
	const struct mod_routes *routes;
	/* The settings the module reads, or NULL. */
	const struct mod_settings *settings;
	/* Adds to data (a JSON object) the arrays of the parts asked for
	 * (mod_live_part bits) that the module holds, every item whole: who
	 * may see which is decided by api/ alone (scope_ws.c). On the loop,
	 * from memory only: it runs when a CTI client connects and once a
	 * second for the queue statistics. 0 or ENOMEM. NULL: holds none. */
	int  (*snapshot)(struct mod_house *h, unsigned parts,
			 struct json_t *data);
};

/* The house's worker pool, every module's (a lane each, base/pool.h).
 * api's requests take all workers but one: two, as reads share one SQLite
 * connection and more would only wait on it. The third keeps the modules'
 * serial lanes (a call's prompt file, the tasks events make) from waiting
 * behind a burst of report queries. */
enum { MOD_POOL_THREADS = 3 };

/* The parts of the running server that modules share. */
struct mod_house {
	const struct cfg *cfg;        /* every setting, checked at start */
	bool demo;                    /* demo.enabled: the demo tenant */
	/* services, each set by its module (see mod_export) */
	struct db *db;                /* db: storage, the writer thread */
	struct pool *pool;            /* pool: the house's workers
				       * (base/pool.h) for slow reads and
				       * file work; a module takes a lane
				       * at start and stops that lane, never
				       * the pool, in its stop hook */
	struct bus *bus;              /* eventlog: domain events */
	struct sipx *sipx;            /* sip: registrar, dialogs */
	struct route *route;          /* route: the dial plan */
	struct trunk_host *trunks;    /* trunk: carriers' lines, dial plans */
	struct prompt_store *prompts; /* prompt: uploaded prompts */
	struct ivr_store *ivr;        /* ivr: the voice menus */
	struct media_tts *tts;        /* tts: speech, or NULL without it */
	struct audio *audio;          /* audio: measures finished recordings */
	struct media_engine *media;   /* media: RTP legs */
	const char *media_ip;         /* media: the address in our SDP */
	const char *data_dir;         /* recordings, voicemail, caches */
	struct call_mgr *calls;       /* call: the B2BUA */
	struct queue_host *queues;    /* queue: the live ACD */
	struct crm *crm;              /* crm: customers (screen, owners) */
	struct qa_values *qa;         /* qa: its settings (open hook) */
	struct report_values *report; /* report: the side measures' windows,
				       * its settings (open hook), which the
				       * queue's and spc's KPI requests read */
	struct api *api;              /* api: HTTP and WebSocket */
};

/* The table's runners (mod.c). The drains stay with the caller, which
 * owns the loop they finish on. */

/* Reads s's rows from h's settings, typed, into a new zeroed values struct
 * of s->size bytes; *out is the caller's (free). 0, or ENOMEM or EINVAL
 * with err set (cfg_read's one-line reason). */
int  mod_settings_load(const struct mod_house *h, const struct mod_settings *s,
		       void **out, char *err, size_t n);

/* Runs the open hooks of mods[0..n) in order. *reached counts the modules
 * whose turn came, the failing one included (all n on success): those
 * mod_stop_all must stop. The first failure's errno, err set by its hook. */
int  mod_open_all(const struct mod_export *const *mods, size_t n,
		  struct mod_house *h, size_t *reached, char *err, size_t en);
/* Runs the start hooks of mods[0..n) in order; the first failure's errno
 * (err set by its hook), and no later start runs. */
int  mod_start_all(const struct mod_export *const *mods, size_t n,
		   struct mod_house *h, char *err, size_t en);
/* Runs the stop hooks of mods[0..n), last first. */
void mod_stop_all(const struct mod_export *const *mods, size_t n,
		  struct mod_house *h);

#endif
