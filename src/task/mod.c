/* task/mod: the module's export row (app/modules.c lists it after the
 * queue module, whose members it asks for): the task and notice routes,
 * and the bus subscriptions with their worker (events.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/mod.h"
#include "task/task.h"
#include "task/task_int.h"

enum { ROWS_MAX = 32 };

static struct api_route rows[ROWS_MAX];
static struct mod_routes routes = {rows, 0};

/* The two tables joined once, before the API reads them (the api module
 * starts after this one). */
static int start(struct mod_house *h, char *err, size_t n)
{
	int e;

	routes.n = 0;
	for (size_t i = 0; i < task_nrows; i++)
		rows[routes.n++] = task_rows[i];
	for (size_t i = 0; i < notice_nrows; i++)
		rows[routes.n++] = notice_rows[i];
	e = task_events_start(h);
	if (e)
		snprintf(err, n, "cannot start tasks (%s)", strerror(e));
	return e;
}

static void stop(struct mod_house *h)
{
	(void)h;
	task_events_stop();
}

const struct mod_export task_module = {
	.name = "task", .start = start, .stop = stop, .routes = &routes,
};
