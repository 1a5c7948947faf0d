/* api/pwhash: Argon2id password verification on a worker thread.
 *
 * crypto_pwhash_str_verify costs tens of milliseconds and 64 MiB by design;
 * on the loop it would stall every call. The loop hands a job to the worker
 * (a mutex-guarded list), the worker verifies and moves the job to the done
 * list, then wakes the loop through libre's mqueue; the loop runs the
 * callbacks. The worker never touches libre objects: a job's arg is only
 * carried, referenced and released on the loop thread.
 *
 * Unknown usernames are verified against a dummy hash made at start, so a
 * failed login takes the same time whether or not the user exists. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "api/api_int.h"
#include "base/log.h"

struct job {
	struct job *next;
	char hash[crypto_pwhash_STRBYTES];   /* "" means the dummy */
	char *password;
	api_pw_h *h;
	void *arg;                           /* mem ref, loop thread only */
	bool ok;
};

struct api_pwq {
	pthread_t thread;
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	struct job *todo, *todo_tail;        /* guarded by mtx */
	struct job *done;                    /* guarded by mtx */
	size_t queued;                       /* jobs in todo; guarded by mtx */
	bool stop;                           /* guarded by mtx */
	bool started;
	struct mqueue *mq;
	char dummy[crypto_pwhash_STRBYTES];  /* written by the worker first */
};

static void job_free(struct job *j)
{
	if (j->password) {
		sodium_memzero(j->password, strlen(j->password));
		free(j->password);
	}
	free(j);
}

static void make_dummy(struct api_pwq *q)
{
	char pw[UTIL_ID_LEN];

	util_random_id(pw);
	if (crypto_pwhash_str(q->dummy, pw, strlen(pw),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		log_error("auth.dummy_hash", "err=out of memory");
}

static void *worker(void *arg)
{
	struct api_pwq *q = arg;

	make_dummy(q);
	pthread_mutex_lock(&q->mtx);
	for (;;) {
		struct job *j;

		while (!q->todo && !q->stop)
			pthread_cond_wait(&q->cond, &q->mtx);
		if (q->stop)
			break;
		j = q->todo;
		q->todo = j->next;
		q->queued--;
		if (!q->todo)
			q->todo_tail = NULL;
		pthread_mutex_unlock(&q->mtx);

		/* The dummy path runs the same verification; its result is
		 * false whatever it says. */
		{
			const bool real = j->hash[0] != '\0';
			const bool match = !crypto_pwhash_str_verify(
				real ? j->hash : q->dummy, j->password,
				strlen(j->password));
			j->ok = real && match;
		}

		pthread_mutex_lock(&q->mtx);
		j->next = q->done;
		q->done = j;
		pthread_mutex_unlock(&q->mtx);
		(void)mqueue_push(q->mq, 0, NULL);
		pthread_mutex_lock(&q->mtx);
	}
	pthread_mutex_unlock(&q->mtx);
	return NULL;
}

/* On the loop: run the callbacks of every finished job, oldest first. */
static void mq_handler(int id, void *data, void *arg)
{
	struct api_pwq *q = arg;
	struct job *list, *rev = NULL;
	(void)id;
	(void)data;

	pthread_mutex_lock(&q->mtx);
	list = q->done;
	q->done = NULL;
	pthread_mutex_unlock(&q->mtx);
	while (list) {
		struct job *next = list->next;
		list->next = rev;
		rev = list;
		list = next;
	}
	while (rev) {
		struct job *next = rev->next;
		rev->h(rev->ok, rev->arg);
		mem_deref(rev->arg);
		job_free(rev);
		rev = next;
	}
}

static void free_list(struct job *j)
{
	while (j) {
		struct job *next = j->next;
		mem_deref(j->arg);
		job_free(j);
		j = next;
	}
}

static void pwq_destructor(void *arg)
{
	struct api_pwq *q = arg;

	if (q->started) {
		pthread_mutex_lock(&q->mtx);
		q->stop = true;
		pthread_cond_signal(&q->cond);
		pthread_mutex_unlock(&q->mtx);
		pthread_join(q->thread, NULL);
	}
	/* The loop is no longer draining the mqueue: unfinished and finished
	 * jobs alike are released here, their callbacks never run. */
	free_list(q->todo);
	free_list(q->done);
	mem_deref(q->mq);
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->mtx);
}

int api_pwq_alloc(struct api_pwq **qp)
{
	struct api_pwq *q;
	int err;

	if (sodium_init() < 0)
		return ENOSYS;
	q = mem_zalloc(sizeof(*q), pwq_destructor);
	if (!q)
		return ENOMEM;
	pthread_mutex_init(&q->mtx, NULL);
	pthread_cond_init(&q->cond, NULL);
	err = mqueue_alloc(&q->mq, mq_handler, q);
	if (err)
		goto out;
	err = pthread_create(&q->thread, NULL, worker, q);
	if (err)
		goto out;
	q->started = true;
 out:
	if (err)
		mem_deref(q);
	else
		*qp = q;
	return err;
}

int api_pwq_verify(struct api_pwq *q, const char *hash, const char *password,
		   api_pw_h *h, void *arg)
{
	struct job *j;
	size_t queued;

	pthread_mutex_lock(&q->mtx);
	queued = q->queued;
	pthread_mutex_unlock(&q->mtx);
	if (queued >= API_PWQ_MAX)
		return EBUSY;
	j = calloc(1, sizeof(*j));
	if (!j)
		return ENOMEM;
	if (hash && util_strlcpy(j->hash, hash, sizeof(j->hash)))
		j->hash[0] = '\0';  /* a malformed stored hash never verifies */
	j->password = strdup(password);
	if (!j->password) {
		free(j);
		return ENOMEM;
	}
	j->h = h;
	j->arg = mem_ref(arg);

	pthread_mutex_lock(&q->mtx);
	if (q->todo_tail)
		q->todo_tail->next = j;
	else
		q->todo = j;
	q->todo_tail = j;
	q->queued++;
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->mtx);
	return 0;
}
