/* api/pwhash: Argon2id password verification on the api's worker pool.
 *
 * crypto_pwhash_str_verify costs tens of milliseconds and 64 MiB by design;
 * on the loop it would stall every call. Each verification is a pool job
 * on one serial lane: one at a time, so a flood of sign-ins holds at most
 * one worker and 64 MiB, and at most API_PWQ_MAX wait (the rest get EBUSY
 * at once). The work never touches libre objects: a job's arg is only
 * carried, referenced and released on the loop thread.
 *
 * Hashing (api_pw_hash) lives here too, beside its verification: the CLI,
 * the users API and the demo make every stored hash with it.
 *
 * Unknown usernames are verified against a dummy hash with the same limits,
 * so a failed login takes the same time whether or not the user exists.
 * The dummy's password was random and thrown away; its result is ignored
 * anyway, so it is a constant rather than a hash made at every start. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "api/api.h"
#include "api/api_int.h"
#include "base/log.h"
#include "base/pool.h"

struct job {
	struct api_pwq *q;                   /* not a ref: outlives the pool */
	char hash[crypto_pwhash_STRBYTES];   /* "" means the dummy */
	char *password;
	api_pw_h *h;
	void *arg;                           /* mem ref, loop thread only */
	bool ok;
};

struct api_pwq {
	struct pool *pool;                   /* ref */
	unsigned lane;
	size_t queued;                       /* jobs not yet done; loop only */
};

static const char dummy[] =
	"$argon2id$v=19$m=65536,t=2,p=1$IyXdqiFpr0HZ7CI3+N/BwQ$iEfz8tLzQuPwKaaJbIQFZWzB/4FORkB2pcE93dbnyvI";

static void job_free(struct job *j)
{
	if (j->password) {
		sodium_memzero(j->password, strlen(j->password));
		free(j->password);
	}
	free(j);
}

int api_pw_hash(const char *password, char out[API_PWHASH_LEN])
{
	if (!password)
		return EINVAL;
	if (sodium_init() < 0)
		return ENOSYS;
	return crypto_pwhash_str(out, password, strlen(password),
				 crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE) ? ENOMEM : 0;
}

static void verify(void *arg)
{
	struct job *j = arg;
	/* The dummy path runs the same verification; its result is false
	 * whatever it says. */
	const bool real = j->hash[0] != '\0';
	const bool match = !crypto_pwhash_str_verify(
		real ? j->hash : dummy, j->password, strlen(j->password));

	j->ok = real && match;
}

/* On the loop. A verification the pool cancelled (stopping) is released
 * without its callback, as before the pool: nobody is left to answer. */
static void verify_done(int err, void *arg)
{
	struct job *j = arg;

	j->q->queued--;
	if (!err)
		j->h(j->ok, j->arg);
	mem_deref(j->arg);
	job_free(j);
}

static void pwq_destructor(void *arg)
{
	struct api_pwq *q = arg;

	/* Every job holds q: the lane must have run their done first. */
	api_pwq_stop(q);
	mem_deref(q->pool);
}

void api_pwq_stop(struct api_pwq *q)
{
	if (q)
		pool_lane_stop(q->pool, q->lane);
}

int api_pwq_alloc(struct api_pwq **qp, struct pool *pool)
{
	struct api_pwq *q;
	int err;

	if (sodium_init() < 0)
		return ENOSYS;
	q = mem_zalloc(sizeof(*q), pwq_destructor);
	if (!q)
		return ENOMEM;
	q->pool = mem_ref(pool);
	err = pool_lane(pool, &q->lane);
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
	int err;

	if (q->queued >= API_PWQ_MAX)
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
	j->q = q;
	j->h = h;
	err = pool_queue_lane(q->pool, q->lane, verify, verify_done, j);
	if (err) {
		job_free(j);
		return err;
	}
	j->arg = mem_ref(arg);
	q->queued++;
	return 0;
}

void api_pwq_refused(struct api_conn *conn, int err)
{
	if (err == EBUSY)
		api_reply_error(conn, 503, "too many sign-ins at once; retry");
	else if (err == ESHUTDOWN)
		api_reply_error(conn, 503, "server is stopping");
	else
		api_reply_error(conn, 500, "cannot verify the password");
}
