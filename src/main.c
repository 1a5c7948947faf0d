/* hotline: the command-line entry point. One row per command; each command
 * parses its own flags and returns an exit status (2 for bad usage). */
#include <stdio.h>
#include <string.h>
#include "app/app.h"
#include "base/util.h"

#ifndef HOTLINE_VERSION
#define HOTLINE_VERSION "0.1.0"
#endif

struct command {
	const char *name;
	int (*run)(int argc, char **argv);  /* argv[0] is the command name */
	const char *summary;
};

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{"serve",   app_serve,   "run the call center (SIP, media, HTTP API)"},
	{"sim",     app_sim,     "simulate a scenario through the live router and KPIs"},
	{"erlang",  app_erlang,  "agents needed for a service level (Erlang C / A)"},
	{"ivr",     app_ivr,     "voice menu flows as files: check, import, export"},
	{"user",    app_user,    "web users: add (the first administrator too), list, passwd, del"},
	{"trunk",   app_trunk,   "a running center's trunks: add, list, del"},
	{"dialplan", app_dialplan, "a running center's outbound dial plans: add, list, del"},
	{"queue",   app_queue,   "a running center's queues: list, show, set, del"},
	{"version", cmd_version, "print the version"},
	{"help",    cmd_help,    "list the commands"},
};

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("hotline %s\n", HOTLINE_VERSION);
	return 0;
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: hotline COMMAND [FLAGS]   (hotline COMMAND --help)\n\n");
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].summary);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "help";

	if (!strcmp(name, "--version"))
		name = "version";
	else if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		name = "help";

	for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
		if (!strcmp(commands[i].name, name))
			return commands[i].run(argc > 1 ? argc - 1 : 0,
					       argc > 1 ? argv + 1 : argv);
	}
	fprintf(stderr, "hotline: unknown command '%s' (try hotline --help)\n",
		name);
	return 2;
}
