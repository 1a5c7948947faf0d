/* loadgen: the parts of bench/calls, a SIP + RTP call load generator that
 * speaks plain SIP and RTP to any address, so the same load can be put on
 * Hotline and on another SIP server.
 *
 * Threads: every SIP object (agents, callers, timers) lives on the one libre
 * loop of the main thread. RTP runs on lg_media's own threads, each driving
 * all its streams from one 20 ms timerfd; the loop hands a stream over with
 * lg_stream_open() and gives it back with lg_stream_close(), after which it
 * must not touch it again.
 *
 * Sides: LG_CALLER streams belong to calls we place, LG_AGENT streams to
 * calls our answering agents take. Counters are kept per side so both
 * directions through the target are visible. */
#ifndef HL_BENCH_LOADGEN_H
#define HL_BENCH_LOADGEN_H

#include <stdbool.h>
#include <stdint.h>

/* libre's headers have no include guards: include <re.h> (or re_types.h
 * and re_sa.h) before this file. */
struct sdp_session;

enum lg_side { LG_CALLER = 0, LG_AGENT = 1, LG_SIDES = 2 };

enum { LG_MAX_STEPS = 32, LG_DTMF_MAX = 16, LG_SCODES = 700,
       LG_MAX_WINDOWS = 200 };

/* Everything the command line decides. Strings are owned by argv. */
struct lg_opts {
	struct sa target;          /* SIP server: INVITEs and REGISTERs go here */
	bool dial_agents;          /* no server: call our own agents directly */
	char target_str[80];       /* "host:port" as given, used in URIs */
	struct sa local;           /* local IP for SIP and RTP (port unused) */
	const char *dial;          /* "NUMBER" or "LO-HI" (round robin) */
	const char *from_user;     /* From user of our calls */
	const char *auth_user;     /* digest credentials of our calls, or NULL */
	const char *auth_pass;
	unsigned agents;           /* answering agents, 0 for none */
	unsigned agent_base;       /* first extension */
	const char *agent_pw_prefix; /* password = prefix + extension */
	uint16_t agent_port;       /* 0: ephemeral */
	bool no_register;
	unsigned calls;            /* total calls to place */
	unsigned concurrent;       /* at most this many calls at once */
	double rate;               /* new calls per second, 0 = no limit */
	double hold_s;             /* seconds a call lasts once answered */
	char dtmf[LG_DTMF_MAX + 1];/* RFC 4733 digits each call sends, or "" */
	unsigned duration_s;       /* hard bound on the whole run */
	unsigned ramp[LG_MAX_STEPS]; /* ramp mode: concurrency per step */
	unsigned ramp_n;
	double step_s;             /* measuring window of each ramp step */
	double max_loss_pct;       /* ramp stops after a step above this */
	bool setup_mode;           /* short calls, set-up rate is the figure */
	bool sustained;            /* setup mode over many calls, in windows */
	unsigned window;           /* set-ups per sustained window, 0 off */
	bool no_media;             /* no RTP at all (setup mode default) */
	int target_pid;            /* target server process, 0 if unknown */
	unsigned media_threads;
	unsigned sim_loss_every;   /* drop every Nth packet we send (tests) */
	unsigned register_wait_s;
	bool json;
	/* Click-to-dial mode: instead of calling, POST /api/v1/calls at the
	 * target's API for an agent (round robin) and a number of `dial`;
	 * a second answering side on carrier_port plays the carrier behind
	 * the outbound trunk, and hangs up after hold_s. */
	bool click;
	struct sa api;             /* the target's HTTP API */
	const char *api_token;     /* a bearer token allowed to click */
	uint16_t carrier_port;
};

/* ---- rtp.c: RTP packets and their counters, no I/O ---- */

enum { LG_SAMPLES = 160, LG_RTP_HDR = 12, LG_PKT_MAX = 12 + 160,
       LG_MAX_DROPOUT = 3000, LG_MAX_MISORDER = 100 };

/* RTP counters of one side; all monotonic, summed over streams. */
struct lg_rtp {
	uint64_t tx, rx;         /* packets sent (--sim-loss drops too), valid
				  * RTP packets received */
	uint64_t expected;       /* span of sequence numbers seen */
	uint64_t gaps;           /* sequence numbers skipped on arrival */
	uint64_t late;           /* arrived behind a newer packet */
	uint64_t dup;            /* same sequence number twice */
	uint64_t foreign;        /* not RTP (RTCP, junk) */
	uint64_t ssrc_changes;   /* source switched mid-stream */
	uint64_t digits;         /* RFC 4733 events that ended */
	uint64_t digits_sent;    /* RFC 4733 events sent to their end */
	uint64_t send_err;       /* sendto failed (buffer full, refused) */
	uint64_t sim_dropped;    /* left out on purpose (--sim-loss) */
	uint64_t resyncs;        /* sequence jumps too far to be loss */
};

/* The fields of struct lg_rtp by number, for code that keeps them apart. */
enum lg_ctr { LG_TX, LG_RX, LG_EXPECTED, LG_GAPS, LG_LATE, LG_DUP,
	      LG_FOREIGN, LG_SSRC, LG_DIGITS, LG_SEND_ERR, LG_SIM_DROPPED,
	      LG_DIGITS_SENT, LG_RESYNC, LG_NCTR };

/* The counter c of r. */
uint64_t *lg_rtp_at(struct lg_rtp *r, enum lg_ctr c);
/* Sequence loss: packets expected (by sequence number) but never arrived,
 * and that in percent. A peer that rewrites sequence numbers skews it. */
uint64_t lg_rtp_lost(const struct lg_rtp *r);
double   lg_rtp_loss_pct(const struct lg_rtp *r);
/* Delivered: packets received on side s (duplicates left out) over the
 * packets the other side sent, in percent; -1 unless both sides sent (the
 * far end is not ours, e.g. an echo). Needs no sequence numbers. */
double   lg_rtp_delivered_pct(const struct lg_rtp r[LG_SIDES],
			      enum lg_side s);
/* Delivered loss over both directions: 100 - delivered, never below 0;
 * -1 when unknown (see lg_rtp_delivered_pct). */
double   lg_rtp_delivered_loss_pct(const struct lg_rtp r[LG_SIDES]);
/* The loss a ramp step is judged by: delivered loss when known, else
 * sequence loss. */
double   lg_rtp_judged_loss_pct(const struct lg_rtp r[LG_SIDES]);
/* d = a - b, field by field (for measuring windows). */
void     lg_rtp_diff(struct lg_rtp *d, const struct lg_rtp *a,
		     const struct lg_rtp *b);
/* d = r[LG_CALLER] + r[LG_AGENT], field by field. */
void     lg_rtp_sum(struct lg_rtp *d, const struct lg_rtp r[LG_SIDES]);

/* 20 ms of a 400 Hz tone: [0] PCMU, [1] PCMA. */
void lg_tone(uint8_t tone[2][LG_SAMPLES]);

/* A sending stream's state. dtmf may be set after lg_tx_init. */
struct lg_tx {
	uint32_t ssrc, ts, ev_ts;
	uint16_t seq;
	bool marker;
	unsigned ticks, dtmf_pos, dtmf_phase;
	unsigned digits_sent;         /* events whose end packets went out */
	char dtmf[LG_DTMF_MAX + 1];   /* digits to send, from the 51st tick */
};

void   lg_tx_init(struct lg_tx *tx, uint32_t ssrc, uint16_t seq, uint32_t ts);
/* Writes this tick's packet into buf and returns its length: audio with
 * payload type pt (PCMA if 8, else PCMU bytes), or an RFC 4733 event with
 * evpt while a digit is due (none if evpt < 0). Advances seq and ts. */
size_t lg_tx_next(struct lg_tx *tx, const uint8_t tone[2][LG_SAMPLES],
		  int pt, int evpt, uint8_t buf[LG_PKT_MAX]);

/* A receiving stream's state; zeroed is the start. */
struct lg_rx {
	bool started, have_end;
	uint32_t ssrc, last_end_ts;
	uint16_t max_seq;
};

/* Accounts one arrival of n bytes: adds to inc[] (rx, expected, gaps, late,
 * dup, foreign, ssrc changes, resyncs, digits ending with event payload
 * type evpt, 101 if evpt < 0). As RFC 3550 A.1: a jump forward of
 * LG_MAX_DROPOUT or more, or back by more than LG_MAX_MISORDER, restarts
 * the count (a resync) instead of being loss or a run of late packets. */
void lg_rx_account(struct lg_rx *rx, const uint8_t *p, size_t n, int evpt,
		   uint64_t inc[LG_NCTR]);

/* ---- media.c: RTP streams on media threads ---- */

struct lg_media;
struct lg_stream;

/* Starts n media threads. *mp is the caller's: lg_media_free(). */
int  lg_media_alloc(struct lg_media **mp, unsigned n, unsigned sim_loss_every);
/* Stops the threads, closes every stream still open; NULL is fine. */
void lg_media_free(struct lg_media *m);
/* Binds a UDP socket on ip (any port) and starts counting what arrives;
 * *port is the bound port for SDP. The stream belongs to the media thread;
 * the caller keeps a handle until lg_stream_close(). */
int  lg_stream_open(struct lg_media *m, struct lg_stream **sp,
		    enum lg_side side, const struct sa *ip, uint16_t *port);
/* Sends G.711 (pt 0 or 8) to raddr every 20 ms from now on, RFC 4733
 * events with evpt (-1: none) for the digits in dtmf after one second.
 * May be called again (re-INVITE) to move the stream; the digits of the
 * first call stay. IPv4 only. */
int  lg_stream_send(struct lg_stream *s, const struct sa *raddr, int pt,
		    int evpt, const char *dtmf);
/* Hands the stream back; the media thread closes and frees it. */
void lg_stream_close(struct lg_stream *s);
/* Current totals per side, and 20 ms ticks the threads ran late. */
void lg_media_totals(struct lg_media *m, struct lg_rtp tot[LG_SIDES],
		     uint64_t *late_ticks);

/* ---- sdp.c: offer/answer over libre's sdp ---- */

/* A session offering PCMU, PCMA and telephone-event/8000 (101) at ip:port.
 * *sp is the caller's (mem_deref). */
int lg_sdp_alloc(struct sdp_session **sp, const struct sa *ip, uint16_t port);
/* After sdp_decode(): where to send and which payload types: the first
 * G.711 format the peer listed, its telephone-event pt or -1. ENOENT if
 * no common audio codec, EPROTO for a port of 0. */
int lg_sdp_remote(const struct sdp_session *s, struct sa *raddr, int *pt,
		  int *evpt);

/* ---- agents.c: answering agents ---- */

struct lg_agent_stats {
	unsigned registered, reg_failed;
	uint64_t offered, answered, rejected, ended_by_peer, active, max_active;
};

struct lg_agents;

/* Listens on opts->local:agent_port and, unless no_register, registers each
 * agent with the target. *ap is the caller's (mem_deref hangs up and
 * unregisters). */
int  lg_agents_alloc(struct lg_agents **ap, const struct lg_opts *opts,
		     struct lg_media *media);
/* Ends all calls and registrations, then closes the SIP stack; done runs
 * once the stack has nothing left to send. */
void lg_agents_shutdown(struct lg_agents *a, void (*done)(void *), void *arg);
/* True once every agent's registration has been answered (or none). */
bool lg_agents_settled(const struct lg_agents *a);
const struct lg_agent_stats *lg_agents_stats(const struct lg_agents *a);
/* Address the agents listen on (for dialling them directly). */
void lg_agents_laddr(const struct lg_agents *a, struct sa *sa);
/* Runs h(true, user) after each call answered for Request-URI user, and
 * h(false, user) when the target ends one; h must not hang up from
 * inside (use a timer). */
typedef void (lg_agents_watch_h)(bool up, const char *user, void *arg);
void lg_agents_watch(struct lg_agents *a, lg_agents_watch_h *h, void *arg);
/* Hangs up (BYE) the oldest call answered for user; ENOENT if none. */
int  lg_agents_hangup(struct lg_agents *a, const char *user);

/* ---- clicks.c: click-to-dial requests over HTTP/1.1 ---- */

struct lg_clicks;

/* A click's one answer: the HTTP status, or err when the connection
 * failed before one came (status 0). */
typedef void (lg_click_h)(int err, uint16_t status, void *arg);

/* conns kept-alive connections to api, each request carrying token. *kp
 * is the caller's (mem_deref closes them). */
int  lg_clicks_alloc(struct lg_clicks **kp, const struct sa *api,
		     const char *token, unsigned conns);
/* Sends POST /api/v1/calls {"agent", "to"} on an idle connection; h
 * answers once. EBUSY when every connection has a request out. */
int  lg_clicks_post(struct lg_clicks *k, const char *agent, const char *to,
		    lg_click_h *h, void *arg);
/* The request made with arg will not call its handler. */
void lg_clicks_forget(struct lg_clicks *k, void *arg);

/* ---- callers.c: calls we place ---- */

struct lg_call_stats {
	uint64_t attempted, answered, failed;
	uint64_t completed;         /* answered, held, hung up by us */
	uint64_t ended_by_peer;     /* answered, hung up by the target */
	uint64_t cancelled;         /* still ringing when the run ended */
	uint64_t scode[LG_SCODES];  /* failures by final status; 0: no answer */
	uint64_t established, max_established;
	double   call_seconds;      /* integral of established calls over time */
	uint64_t first_invite_us, last_answer_us;
	uint32_t *setup_us;         /* INVITE to 200 OK, one per answered call */
	uint64_t setup_n;
};

struct lg_callers;

/* Opens the callers' SIP stack on an ephemeral port of opts->local. Calls
 * go to dial @ target. *cp is the caller's (mem_deref). */
int  lg_callers_alloc(struct lg_callers **cp, const struct lg_opts *opts,
		      struct lg_media *media, const struct sa *target);
/* Places calls at the configured rate until `total` have been attempted,
 * keeping at most `concurrent` alive; hold_s < 0 keeps calls up until
 * shutdown. Settings take effect at once, so a ramp raises them. */
void lg_callers_drive(struct lg_callers *c, uint64_t total,
		      unsigned concurrent, double hold_s);
/* Calls set up or established right now. */
unsigned lg_callers_active(const struct lg_callers *c);
/* True when `total` calls were attempted and all have ended. */
bool lg_callers_done(const struct lg_callers *c);
void lg_callers_shutdown(struct lg_callers *c, void (*done)(void *),
			 void *arg);
/* Brings call_seconds up to now and returns the stats. */
const struct lg_call_stats *lg_callers_stats(struct lg_callers *c);
/* Hands over the setup-latency array (the caller free()s it). */
uint32_t *lg_callers_take_setup(struct lg_callers *c);
/* Click-to-dial mode: a call is a click through k for an agent of
 * opts (round robin), answered when carrier answers its number, hung up
 * from carrier after hold_s. Neither is a ref; both outlive c's calls. */
void lg_callers_click(struct lg_callers *c, struct lg_clicks *k,
		      struct lg_agents *carrier);

/* ---- proc.c: CPU and memory of processes ---- */

/* CPU time (user + system) in ms and resident set in kB of pid; ENOENT if
 * it is gone. */
int      lg_proc_sample(int pid, double *cpu_ms, uint64_t *rss_kb);
/* CPU time of this process (all threads) in ms. */
double   lg_self_cpu_ms(void);
/* Monotonic microseconds. */
uint64_t lg_now_us(void);
/* Datagrams the kernel dropped on the IPv4 UDP sockets bound to port
 * (/proc/net/udp, this network namespace); ENOENT if none is bound. */
int      lg_udp_drops(uint16_t port, uint64_t *drops);

/* ---- run.c: one whole run ---- */

struct lg_step {
	unsigned target;          /* concurrency asked for */
	unsigned reached;         /* established at the end of the window */
	double window_s, call_seconds;
	uint64_t failed;          /* calls that failed during the step */
	struct lg_rtp rtp[LG_SIDES]; /* window deltas */
	double own_cpu_ms;        /* our CPU in the window */
	double target_cpu_ms;     /* the target's, -1 if unknown */
	uint64_t target_rss_kb_before, target_rss_kb_after;
	uint64_t late_ticks;
	bool over_loss, not_reached;
};

/* Sustained mode: one window of --window answered set-ups. */
struct lg_window {
	uint64_t setups;          /* answered in the window */
	uint64_t failed;
	double wall_s;
	double target_cpu_ms;     /* -1 if unknown */
	uint64_t target_rss_kb;   /* at the window's end */
	uint64_t sip_drops;       /* target SIP port, -1 if unknown */
};

struct lg_result {
	struct lg_call_stats calls;   /* setup_us is ours: lg_result_free */
	struct lg_agent_stats agents;
	struct lg_rtp rtp[LG_SIDES];
	uint64_t late_ticks;
	double wall_s, own_cpu_ms;
	double target_cpu_ms;         /* over the whole run, -1 if unknown */
	uint64_t target_rss_kb;
	struct lg_step steps[LG_MAX_STEPS];
	unsigned steps_n;
	struct lg_window windows[LG_MAX_WINDOWS];
	unsigned windows_n;
	uint64_t sip_drops;           /* target SIP port over the run, or -1 */
	bool timed_out;               /* --duration ended it */
};

/* Fills o with the defaults of every flag (see bench/calls --help). */
void lg_opts_init(struct lg_opts *o);
/* Runs the load described by opts on the current libre loop and fills *res
 * (its setup_us array is freed by lg_result_free). */
int  lg_run(const struct lg_opts *opts, struct lg_result *res);
void lg_result_free(struct lg_result *res);

/* ---- selftest.c ---- */

/* Runs every self-test case, one "ok:" or "FAIL:" line each; 0 if all
 * passed, else 1. Needs libre_init(). */
int  lg_self_test(void);

/* ---- report.c ---- */

void lg_report_text(const struct lg_opts *opts, const struct lg_result *r);
/* ---- windows.c: sustained mode's table (text) and object (JSON) ---- */
void lg_report_windows_text(const struct lg_result *r);
#ifdef JANSSON_H
json_t *lg_windows_json(const struct lg_result *r);
#endif
int  lg_report_json(const struct lg_opts *opts, const struct lg_result *r);

#endif
