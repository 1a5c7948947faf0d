/* app: the top of the module graph. Wires configuration, storage, the event
 * bus, SIP, media and the HTTP API into one running server. */
#ifndef HL_APP_H
#define HL_APP_H

#include <stddef.h>

struct mod_export;

/* The modules `hotline serve` runs, in start order (modules.c). */
extern const struct mod_export *const app_modules[];
extern const size_t app_nmodules;

/* "hotline serve …": runs until SIGTERM/SIGINT; returns the exit status
 * (0 after a clean stop, 2 for bad flags, config or a port in use). */
int app_serve(int argc, char **argv);

/* "hotline erlang …": prints the staffing for a service-level target, or
 * how a given staffing performs; 0, or 2 for bad flags. */
int app_erlang(int argc, char **argv);

/* "hotline sim FILE.json …": plays a scenario in simulated time and prints
 * its KPIs; 0, 2 for bad flags or a bad scenario, 1 if the run fails. */
int app_sim(int argc, char **argv);

/* "hotline ivr check|import|export": flows as JSON files (ivr_cmd.c). */
int app_ivr(int argc, char **argv);

/* "hotline user add|list|passwd|del": web users on a center's database,
 * running or not (user_cmd.c). 0, 1 refused, 2 bad usage. */
int app_user(int argc, char **argv);

/* hotline trunk add|list|del: a running center's trunks, through its API
 * (--api URL, token in HOTLINE_TOKEN). 0, 1 refused (reason on stderr),
 * 2 bad usage. */
int app_trunk(int argc, char **argv);

/* hotline dialplan add|list|del: its outbound dial plans, the same way. */
int app_dialplan(int argc, char **argv);

/* hotline queue list|show|set|del: a running center's queues, the same
 * way (queue_cmd.c). */
int app_queue(int argc, char **argv);

#endif
