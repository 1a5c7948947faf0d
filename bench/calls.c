/* bench/calls: SIP + RTP call load generator. Answering agents register
 * with a SIP server and auto-answer; callers dial a number there at a set
 * rate and concurrency; both sides stream G.711 and count what arrives.
 * The figures: set-up rate and latency, concurrent calls, RTP loss, and the
 * CPU of the generator and (with --target-pid) of the server. The parts
 * live in bench/loadgen/; this file is the command line. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "base/log.h"
#include "base/util.h"
#include <re.h>
#include "loadgen/loadgen.h"

enum kind { K_UINT, K_U16, K_PID, K_DOUBLE, K_STR, K_FLAG, K_TARGET,
	    K_API, K_LOCAL, K_RAMP, K_DTMF, K_SELFTEST, K_HELP };

/* One row per flag: where it lands in struct lg_opts, its bounds, help. */
struct opt {
	const char *name;
	enum kind kind;
	size_t off;
	double lo, hi;
	const char *arg, *help;
};

#define O(f) offsetof(struct lg_opts, f)
static const struct opt opt_table[] = {
	{"--target", K_TARGET, 0, 0, 0, "IP:PORT",
	 "SIP server: calls and registrations go there"},
	{"--dial", K_STR, O(dial), 0, 0, "NUMBER|LO-HI",
	 "number the callers dial (a range is dialled round robin)"},
	{"--local", K_LOCAL, 0, 0, 0, "IP",
	 "local IPv4 for SIP and RTP (default: loopback for a loopback target)"},
	{"--from-user", K_STR, O(from_user), 0, 0, "USER",
	 "From user of placed calls (default bench)"},
	{"--auth-user", K_STR, O(auth_user), 0, 0, "USER",
	 "digest user for placed calls, if the target challenges"},
	{"--auth-password", K_STR, O(auth_pass), 0, 0, "PASSWORD",
	 "digest password for placed calls"},
	{"--agents", K_UINT, O(agents), 0, 20000, "N",
	 "answering agents (default 0)"},
	{"--agent-base", K_UINT, O(agent_base), 0, 4e9, "EXT",
	 "first agent extension (default 1001)"},
	{"--agent-password-prefix", K_STR, O(agent_pw_prefix), 0, 0, "S",
	 "agent password is S followed by the extension (default secret)"},
	{"--agent-port", K_U16, O(agent_port), 0, 65535, "PORT",
	 "agents' SIP port (default ephemeral)"},
	{"--no-register", K_FLAG, O(no_register), 0, 0, NULL,
	 "agents do not REGISTER (routed to by configuration); one alone answers any number"},
	{"--register-wait", K_UINT, O(register_wait_s), 1, 600, "S",
	 "longest wait for registrations before calling (default 10)"},
	{"--calls", K_UINT, O(calls), 0, 10000000, "N",
	 "calls to place in all (default 100; 0: agents only)"},
	{"--concurrent", K_UINT, O(concurrent), 1, 100000, "C",
	 "calls alive at once at most (default 100)"},
	{"--rate", K_DOUBLE, O(rate), 0, 100000, "R",
	 "new calls per second, 0 = as fast as allowed (default 10)"},
	{"--hold", K_DOUBLE, O(hold_s), 0, 86400, "S",
	 "seconds each answered call lasts (default 10)"},
	{"--dtmf", K_DTMF, 0, 0, 0, "DIGITS",
	 "RFC 4733 digits each call sends after 1 s of audio"},
	{"--duration", K_UINT, O(duration_s), 1, 86400, "S",
	 "hard limit on the whole run (default 300)"},
	{"--ramp", K_RAMP, 0, 0, 0, "C1,C2,...",
	 "ramp mode: hold each concurrency a step, stop above --max-loss"},
	{"--step-seconds", K_DOUBLE, O(step_s), 1, 3600, "T",
	 "measuring window of a ramp step (default 10)"},
	{"--max-loss", K_DOUBLE, O(max_loss_pct), 0, 100, "PCT",
	 "ramp stops after the first step above this delivered loss (sequence loss if the far end is not ours; default 0.5)"},
	{"--setup", K_FLAG, O(setup_mode), 0, 0, NULL,
	 "set-up mode: short calls without media, set-ups per second"},
	{"--sustained", K_FLAG, O(sustained), 0, 0, NULL,
	 "sustained set-up mode: --setup over 100,000 calls, CPU per set-up per window"},
	{"--window", K_UINT, O(window), 100, 10000000, "N",
	 "set-ups per sustained-mode window (default 10000)"},
	{"--no-media", K_FLAG, O(no_media), 0, 0, NULL,
	 "no RTP (SDP still offered)"},
	{"--target-pid", K_PID, O(target_pid), 1, 4194304, "PID",
	 "server process: report its CPU per call-second and RSS"},
	{"--media-threads", K_UINT, O(media_threads), 1, 64, "N",
	 "RTP threads (default 2)"},
	{"--sim-loss", K_UINT, O(sim_loss_every), 2, 1000000, "N",
	 "leave out every Nth packet we send (checks the loss meter)"},
	{"--json", K_FLAG, O(json), 0, 0, NULL,
	 "print one JSON object instead of the summary"},
	{"--self-test", K_SELFTEST, 0, 0, 0, NULL,
	 "agents and callers in this process, no server; exit 0 if sound"},
	{"--click", K_API, 0, 0, 0, "IP:PORT",
	 "click-to-dial: POST /api/v1/calls at this API for an agent "
	 "and a --dial number"},
	{"--token", K_STR, O(api_token), 0, 0, "TOKEN",
	 "--click: the bearer token to click with"},
	{"--carrier-port", K_U16, O(carrier_port), 1, 65535, "PORT",
	 "--click: the carrier the trunk sends calls to listens here"},
	{"--help", K_HELP, 0, 0, 0, NULL, "this text"},
};
#undef O

static void usage(void)
{
	printf("usage: calls --target IP:PORT --dial NUMBER [FLAGS]\n"
	       "       calls --self-test\n\n");
	for (size_t i = 0; i < ARRAY_LEN(opt_table); i++) {
		const struct opt *p = &opt_table[i];
		char left[64];

		snprintf(left, sizeof(left), "%s%s%s", p->name,
			 p->arg ? " " : "", p->arg ? p->arg : "");
		printf("  %-36s %s\n", left, p->help);
	}
}

static int parse_ramp(struct lg_opts *o, const char *s)
{
	char buf[512], *save = NULL;
	uint64_t v;

	if (util_strlcpy(buf, s, sizeof(buf)))
		return EINVAL;
	o->ramp_n = 0;
	for (char *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (o->ramp_n == LG_MAX_STEPS ||
		    util_parse_u64(t, 1, 100000, &v) ||
		    (o->ramp_n && v <= o->ramp[o->ramp_n - 1]))
			return EINVAL;
		o->ramp[o->ramp_n++] = (unsigned)v;
	}
	return o->ramp_n ? 0 : EINVAL;
}

/* Applies one row to o; 0 or EINVAL. */
static int apply(struct lg_opts *o, const struct opt *p, const char *v)
{
	char host[64];
	uint16_t port;
	uint64_t u;
	char *end;
	double d;
	void *f = (char *)o + p->off;

	switch (p->kind) {
	case K_UINT:
	case K_U16:
	case K_PID:
		if (util_parse_u64(v, (uint64_t)p->lo, (uint64_t)p->hi, &u))
			return EINVAL;
		if (p->kind == K_UINT)
			*(unsigned *)f = (unsigned)u;
		else if (p->kind == K_U16)
			*(uint16_t *)f = (uint16_t)u;
		else
			*(int *)f = (int)u;
		return 0;
	case K_DOUBLE:
		d = strtod(v, &end);
		if (end == v || *end || d < p->lo || d > p->hi)
			return EINVAL;
		*(double *)f = d;
		return 0;
	case K_STR:
		*(const char **)f = v;
		return 0;
	case K_TARGET:
		if (util_parse_hostport(v, host, sizeof(host), &port) || !port ||
		    sa_set_str(&o->target, host, port) ||
		    sa_af(&o->target) != AF_INET)
			return EINVAL;
		return util_strlcpy(o->target_str, v, sizeof(o->target_str));
	case K_API:
		if (util_parse_hostport(v, host, sizeof(host), &port) || !port ||
		    sa_set_str(&o->api, host, port) || sa_af(&o->api) != AF_INET)
			return EINVAL;
		o->click = true;
		return 0;
	case K_LOCAL:
		return sa_set_str(&o->local, v, 0) || sa_af(&o->local) != AF_INET
			? EINVAL : 0;
	case K_RAMP:
		return parse_ramp(o, v);
	case K_DTMF:
		if (strspn(v, "0123456789*#ABCDabcd") != strlen(v))
			return EINVAL;
		return util_strlcpy(o->dtmf, v, sizeof(o->dtmf));
	default:
		*(bool *)f = true;
		return 0;
	}
}

enum { RUN = 0, SELFTEST = 1, HELP = 2, BAD = 3 };

static int parse_args(struct lg_opts *o, int argc, char **argv,
		      bool given[ARRAY_LEN(opt_table)])
{
	int mode = RUN;

	for (int i = 1; i < argc; i++) {
		const struct opt *p = NULL;
		size_t k;

		for (k = 0; k < ARRAY_LEN(opt_table); k++) {
			if (!strcmp(argv[i], opt_table[k].name)) {
				p = &opt_table[k];
				break;
			}
		}
		if (!p) {
			fprintf(stderr, "calls: unknown flag %s (try --help)\n",
				argv[i]);
			return BAD;
		}
		given[k] = true;
		if (p->kind == K_HELP || p->kind == K_SELFTEST) {
			mode = p->kind == K_HELP ? HELP : SELFTEST;
			continue;
		}
		if (p->arg && i + 1 == argc) {
			fprintf(stderr, "calls: %s needs %s\n", p->name, p->arg);
			return BAD;
		}
		if (apply(o, p, p->arg ? argv[++i] : NULL)) {
			fprintf(stderr, "calls: bad value for %s: %s\n", p->name,
				argv[i]);
			return BAD;
		}
	}
	return mode;
}

static bool was_given(const bool given[], const char *name)
{
	for (size_t k = 0; k < ARRAY_LEN(opt_table); k++) {
		if (!strcmp(opt_table[k].name, name))
			return given[k];
	}
	return false;
}

/* Fills in what a mode implies unless the flag was given, and checks that
 * the run can happen; a one-line reason in why otherwise. */
static int settle_opts(struct lg_opts *o, const bool given[],
		       char *why, size_t n)
{
	if (o->sustained) {
		o->setup_mode = true;
		if (!was_given(given, "--calls"))
			o->calls = 100000;
		if (!was_given(given, "--window"))
			o->window = 10000;
		if (!was_given(given, "--duration"))
			o->duration_s = 3600;
		if (o->calls / o->window > LG_MAX_WINDOWS) {
			snprintf(why, n, "--calls / --window above %d windows",
				 LG_MAX_WINDOWS);
			return EINVAL;
		}
	}
	else if (was_given(given, "--window")) {
		snprintf(why, n, "--window needs --sustained");
		return EINVAL;
	}
	if (o->setup_mode) {
		if (!was_given(given, "--hold"))
			o->hold_s = 0;
		if (!was_given(given, "--rate"))
			o->rate = 0;
		if (!was_given(given, "--calls"))
			o->calls = 500;
		if (!was_given(given, "--concurrent"))
			o->concurrent = 50;
		o->no_media = true;
	}
	if (o->ramp_n) {
		if (!was_given(given, "--calls"))
			o->calls = 2 * o->ramp[o->ramp_n - 1] + 100;
		if (!was_given(given, "--rate"))
			o->rate = 50;
	}
	if (!sa_isset(&o->target, SA_ADDR) && !o->dial_agents) {
		snprintf(why, n, "--target IP:PORT is required");
		return EINVAL;
	}
	if (o->calls && !o->dial) {
		snprintf(why, n, "--dial NUMBER is required to place calls");
		return EINVAL;
	}
	if (o->click && (!o->api_token || !o->carrier_port || !o->agents)) {
		snprintf(why, n, "--click needs --token, --carrier-port and "
			 "--agents (the phones clicked for)");
		return EINVAL;
	}
	if (!o->calls && !o->agents) {
		snprintf(why, n, "nothing to do: no --calls and no --agents");
		return EINVAL;
	}
	if (!was_given(given, "--local") && sa_isset(&o->target, SA_ADDR) &&
	    !sa_is_loopback(&o->target) &&
	    net_default_source_addr_get(AF_INET, &o->local)) {
		snprintf(why, n, "no local IPv4 address: give --local");
		return EINVAL;
	}
	return 0;
}

/* Past 1024 sockets libre's poll refuses fds until told the new size. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	rl.rlim_cur = rl.rlim_max;
	if (rl.rlim_cur > 65536)
		rl.rlim_cur = 65536;
	(void)setrlimit(RLIMIT_NOFILE, &rl);
	(void)fd_setsize((int)rl.rlim_cur);
}

int main(int argc, char **argv)
{
	bool given[ARRAY_LEN(opt_table)] = {false};
	struct lg_result res;
	struct lg_opts o;
	char why[128];
	int mode, err, rc;

	lg_opts_init(&o);
	mode = parse_args(&o, argc, argv, given);
	if (mode == HELP) {
		usage();
		return 0;
	}
	if (mode == BAD)
		return 2;
	if (mode == RUN && settle_opts(&o, given, why, sizeof(why))) {
		fprintf(stderr, "calls: %s\n", why);
		return 2;
	}
	err = libre_init();
	if (err) {
		fprintf(stderr, "calls: libre_init: %s\n", strerror(err));
		return 1;
	}
	raise_fd_limit();
	if (mode == SELFTEST) {
		rc = lg_self_test();
	}
	else {
		err = lg_run(&o, &res);
		if (o.json) {
			if (lg_report_json(&o, &res))
				err = EIO;
		}
		else {
			lg_report_text(&o, &res);
		}
		rc = err ? 1 : 0;
		lg_result_free(&res);
	}
	libre_close();
	tmr_debug();
	mem_debug();
	return rc;
}
