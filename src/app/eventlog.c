/* app/eventlog: every bus event into the events table, like a queue log.
 * The writer thread batches the inserts; the loop only queues them. seq
 * restarts at each boot, so each run has its own boot id and (boot, seq) is
 * the key. */
#include <stdlib.h>
#include "app/app_int.h"
#include "base/log.h"
#include "db/db.h"

static void on_event(const struct bus_event *ev, void *arg)
{
	struct app_eventlog *el = arg;
	char *data = json_dumps(ev->data, JSON_COMPACT);

	if (!data || db_write(el->db, "INSERT INTO events (boot, seq, ts, type, "
			      "subject, data) VALUES (?, ?, ?, ?, ?, ?)", "tiittt",
			      el->boot, (int64_t)ev->seq, ev->ts_ms, ev->type,
			      ev->subject, data))
		log_error("eventlog.lost", "type=%s seq=%llu", ev->type,
			  (unsigned long long)ev->seq);
	free(data);
}

int app_eventlog_start(struct app_eventlog *el, struct bus *bus, struct db *db)
{
	el->bus = bus;
	el->db = db;
	util_random_id(el->boot);
	return bus_subscribe(bus, "", on_event, el);
}

void app_eventlog_stop(struct app_eventlog *el)
{
	if (el->bus)
		bus_unsubscribe(el->bus, on_event, el);
	el->bus = NULL;
}
