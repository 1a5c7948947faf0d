/* queue/goodbye: the prompt a caller hears when the queue gives up on them
 * and hangs up (overflow "hangup" with overflow_prompt set). The file is
 * loaded when the setting is saved, so a file that does not load is
 * refused then, naming the field, rather than discovered on a caller; the
 * loaded prompt and its length (which bounds the goodbye, see
 * call_queue_hangup) live beside the queue's settings. Its column is read
 * and written apart from the queue row's others. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "db/db.h"
#include "media/media.h"
#include "queue/queue_int.h"

static int load(const char *path, struct media_prompt **pp, uint32_t *ms)
{
	int err = media_prompt_load(pp, path);

	if (!err)
		*ms = media_prompt_ms(*pp);
	return err;
}

int qh_goodbye_load(const struct queue_qcfg *cfg, const json_t *body,
		    struct qh_goodbye *g, char *why, size_t n)
{
	int err;

	*g = (struct qh_goodbye){0};
	if (!json_object_get(body, "overflow_prompt"))
		return 0;
	g->named = true;
	if (!cfg->overflow_prompt[0])
		return 0;
	err = load(cfg->overflow_prompt, &g->prompt, &g->ms);
	if (err) {
		snprintf(why, n, "overflow_prompt: cannot load %s (%s)",
			 cfg->overflow_prompt, err == EBADMSG ?
			 "not a sound file" : strerror(err));
		return EINVAL;
	}
	return 0;
}

void qh_goodbye_set(struct qh_queue *q, struct qh_goodbye *g)
{
	if (!g->named)
		return;
	media_prompt_unref(q->goodbye);
	q->goodbye = g->prompt;
	q->goodbye_ms = g->ms;
	*g = (struct qh_goodbye){0};
}

void qh_goodbye_drop(struct qh_goodbye *g)
{
	media_prompt_unref(g->prompt);
	*g = (struct qh_goodbye){0};
}

void qh_goodbye_store(struct queue_host *h, const struct qh_queue *q)
{
	db_write(h->o.db, "UPDATE queues SET overflow_prompt = ? WHERE name = ?",
		 "tt", q->cfg.overflow_prompt, q->cfg.name);
}

static int prompt_row(const struct db_row *row, void *arg)
{
	struct queue_host *h = arg;
	struct qh_queue *q = qh_queue_by_name(h, db_row_text(row, 0));
	const char *path = db_row_text(row, 1);
	int err;

	if (!q || !path || !*path)
		return 0;
	util_strlcpy(q->cfg.overflow_prompt, path, sizeof(q->cfg.overflow_prompt));
	err = load(path, &q->goodbye, &q->goodbye_ms);
	if (err)
		log_warn("queue.overflow_prompt", "queue=%s path=%s err=%s: "
			 "hanging up without it", q->cfg.name, path,
			 strerror(err));
	return 0;
}

int qh_goodbye_load_all(struct queue_host *h)
{
	return db_query(h->o.db, prompt_row, h,
			"SELECT name, overflow_prompt FROM queues", "");
}
