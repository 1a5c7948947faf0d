/* api/job: a request answered from the worker pool. The handler copies the
 * request into a job, the job's work (database reads, files) runs on a
 * worker, its done (the reply) on the loop. The job holds a reference on
 * the connection and on the parsed request, so done can answer, read
 * headers or stream a file as a handler would; a client that went away
 * meanwhile only turns the reply into ENOTCONN.
 *
 * Jobs run on the api's wide lane of the house pool: side by side (they
 * are independent requests), on all workers but one (the modules' serial
 * lanes keep one however many requests come), and stopped with the api
 * alone. A job the pool refuses (full: EBUSY) or cancels (the api
 * stopping) answers 503 itself: done runs only after work did. */
#include <errno.h>
#include <string.h>
#include "api/api_int.h"
#include "base/pool.h"

static void job_destructor(void *arg)
{
	struct api_job *j = arg;

	if (j->clean)
		j->clean(j);
	mem_deref(j->req.conn);
	mem_deref((struct http_msg *)j->req.msg);
}

void *api_job_alloc(const struct api_req *req, size_t size, api_job_h *work,
		    api_job_h *done, api_job_h *clean)
{
	struct api_job *j = mem_zalloc(size, job_destructor);

	if (!j) {
		api_reply_error(req->conn, 500, "out of memory");
		return NULL;
	}
	j->req = *req;
	j->req.conn = mem_ref(req->conn);
	j->req.msg = mem_ref((struct http_msg *)req->msg);
	j->work = work;
	j->done = done;
	j->clean = clean;
	return j;
}

static void job_work(void *arg)
{
	struct api_job *j = arg;

	j->work(j);
}

static void job_done(int err, void *arg)
{
	struct api_job *j = arg;

	if (err)
		api_reply_error(j->req.conn, 503, "server is stopping");
	else
		j->done(j);
	mem_deref(j);
}

static void refused(struct api_job *j, int err)
{
	if (err == EBUSY)
		api_reply_error(j->req.conn, 503, "too busy; retry");
	else if (err == ESHUTDOWN || !j->req.api->pool)
		api_reply_error(j->req.conn, 503, "server is stopping");
	else
		api_reply_error(j->req.conn, 500, "cannot queue the request");
	mem_deref(j);
}

void api_job_queue(void *job)
{
	struct api_job *j = job;
	int err;

	if (!j)
		return;
	err = j->req.api->pool ? pool_queue_lane(j->req.api->pool,
						 j->req.api->lane, job_work,
						 job_done, j) : ESHUTDOWN;
	if (err)
		refused(j, err);
}
