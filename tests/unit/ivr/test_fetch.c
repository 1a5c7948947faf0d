/* The IVR's HTTP client against a TCP server the test runs on loopback,
 * on the same libre loop: each test sets the one answer the server gives
 * (or none), starts a fetch and runs the loop until its handler is called
 * or a guard timer ends it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_mbuf.h>
#include <re_list.h>
#include <re_sa.h>
#include <re_tmr.h>
#include <re_tcp.h>
#include <re_main.h>
#include <jansson.h>
#include "ivr/ivr_fetch.h"

struct srv;

/* One connection the server accepted. */
struct sconn {
	struct srv *s;
	struct tcp_conn *tc;        /* NULL once closed */
};

/* The server: every request's bytes kept in got, in the order read. */
struct srv {
	struct tcp_sock *ts;
	struct sconn c[4];
	struct mbuf *got;
	const char *reply;          /* NULL: never answers */
	size_t reply_len;
	bool close_after;           /* closes once the answer is sent */
	uint16_t port;
	unsigned conns;
};

struct fx {
	struct srv srv;
	struct ivr_fetch *fetch, *other;
	unsigned calls;
	int err;
	json_t *answer;             /* a copy of the last answer */
	char url[128];
};

static bool request_whole(const struct mbuf *mb)
{
	const char *s = (const char *)mb->buf;
	const char *eoh = NULL, *cl;

	for (size_t i = 0; i + 4 <= mb->end; i++) {
		if (!memcmp(s + i, "\r\n\r\n", 4)) {
			eoh = s + i + 4;
			break;
		}
	}
	if (!eoh)
		return false;
	cl = strstr(s, "Content-Length: ");
	return !cl || cl > eoh ||
	       (size_t)(s + mb->end - eoh) >= strtoul(cl + 16, NULL, 10);
}

static void srv_recv(struct mbuf *mb, void *arg)
{
	struct sconn *c = arg;
	struct srv *s = c->s;

	(void)mbuf_write_mem(s->got, mbuf_buf(mb), mbuf_get_left(mb));
	(void)mbuf_write_u8(s->got, 0);
	s->got->end--;
	s->got->pos = s->got->end;
	if (!s->reply || !request_whole(s->got))
		return;
	{
		struct mbuf *out = mbuf_alloc(s->reply_len);

		(void)mbuf_write_mem(out, (const uint8_t *)s->reply,
				     s->reply_len);
		out->pos = 0;
		(void)tcp_send(c->tc, out);
		mem_deref(out);
	}
	s->reply = NULL;
	if (s->close_after)
		c->tc = mem_deref(c->tc);
}

static void srv_close(int err, void *arg)
{
	struct sconn *c = arg;

	(void)err;
	c->tc = mem_deref(c->tc);
}

static void srv_conn(const struct sa *peer, void *arg)
{
	struct srv *s = arg;
	struct sconn *c;

	(void)peer;
	if (s->conns == sizeof(s->c) / sizeof(s->c[0])) {
		tcp_reject(s->ts);
		return;
	}
	c = &s->c[s->conns++];
	c->s = s;
	if (tcp_accept(&c->tc, s->ts, NULL, srv_recv, srv_close, c))
		tcp_reject(s->ts);
}

static void give_up(void *arg)
{
	(void)arg;
	re_cancel();
}

/* Runs the loop until a handler calls re_cancel, at most ms. */
static void run(uint32_t ms)
{
	struct tmr t;

	tmr_init(&t);
	tmr_start(&t, ms, give_up, NULL);
	(void)re_main(NULL);
	tmr_cancel(&t);
}

static void on_done(int err, const json_t *answer, void *arg)
{
	struct fx *f = arg;

	f->calls++;
	f->err = err;
	json_decref(f->answer);
	f->answer = answer ? json_deep_copy(answer) : NULL;
	f->fetch = mem_deref(f->fetch);   /* freeing from its own handler */
	re_cancel();
}

static void answer_with(struct fx *f, const char *reply, bool close_after)
{
	f->srv.reply = reply;
	f->srv.reply_len = strlen(reply);
	f->srv.close_after = close_after;
}

static int fetch(struct fx *f, const char *method, const char *path,
		 const char *body, uint32_t timeout_ms)
{
	snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%u%s",
		 f->srv.port, path);
	return ivr_fetch_start(&f->fetch, method, f->url, body, timeout_ms,
			       on_done, f);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct sa laddr;

	if (!f || libre_init())
		return -1;
	sa_set_str(&laddr, "127.0.0.1", 0);
	f->srv.got = mbuf_alloc(1024);
	if (!f->srv.got ||
	    tcp_listen(&f->srv.ts, &laddr, srv_conn, &f->srv) ||
	    tcp_sock_local_get(f->srv.ts, &laddr))
		return -1;
	f->srv.port = sa_port(&laddr);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	mem_deref(f->fetch);
	mem_deref(f->other);
	for (size_t i = 0; i < sizeof(f->srv.c) / sizeof(f->srv.c[0]); i++)
		mem_deref(f->srv.c[i].tc);
	mem_deref(f->srv.ts);
	mem_deref(f->srv.got);
	json_decref(f->answer);
	free(f);
	libre_close();
	return 0;
}

static void a_json_object_is_handed_over(void **state)
{
	struct fx *f = *state;

	answer_with(f, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
		    "Content-Length: 38\r\n\r\n"
		    "{\"status\":\"shipped\",\"amount\":\"12.50\"}\n", false);
	assert_int_equal(0, fetch(f, "GET", "/orders/7?x=1", NULL, 2000));
	run(3000);
	assert_int_equal(1, f->calls);
	assert_int_equal(0, f->err);
	assert_string_equal("shipped", json_string_value(
		json_object_get(f->answer, "status")));
	assert_string_equal("12.50", json_string_value(
		json_object_get(f->answer, "amount")));
	assert_non_null(strstr((const char *)f->srv.got->buf,
			       "GET /orders/7?x=1 HTTP/1.1\r\n"));
	assert_non_null(strstr((const char *)f->srv.got->buf,
			       "Connection: close\r\n"));
}

static void a_post_sends_its_body_as_json(void **state)
{
	struct fx *f = *state;

	answer_with(f, "HTTP/1.1 201 Created\r\nContent-Length: 11\r\n\r\n"
		    "{\"ok\":true}", false);
	assert_int_equal(0, fetch(f, "POST", "/q", "{\"n\":\"42\"}", 2000));
	run(3000);
	assert_int_equal(0, f->err);
	assert_true(json_is_true(json_object_get(f->answer, "ok")));
	assert_non_null(strstr((const char *)f->srv.got->buf,
			       "POST /q HTTP/1.1\r\n"));
	assert_non_null(strstr((const char *)f->srv.got->buf,
			       "Content-Type: application/json\r\n"));
	assert_non_null(strstr((const char *)f->srv.got->buf,
			       "Content-Length: 10\r\n\r\n{\"n\":\"42\"}"));
}

static void a_chunked_answer_is_joined(void **state)
{
	struct fx *f = *state;

	answer_with(f, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		    "6\r\n{\"a\":1\r\n"
		    "A;ext=1\r\n,\"b\":\"two\"\r\n"
		    "1\r\n}\r\n0\r\n\r\n", false);
	assert_int_equal(0, fetch(f, "GET", "/", NULL, 2000));
	run(3000);
	assert_int_equal(0, f->err);
	assert_int_equal(1, json_integer_value(json_object_get(f->answer, "a")));
	assert_string_equal("two", json_string_value(
		json_object_get(f->answer, "b")));
}

static void an_answer_ended_by_the_close_is_read_whole(void **state)
{
	struct fx *f = *state;

	answer_with(f, "HTTP/1.0 200 OK\r\n\r\n{\"v\":\"closed\"}", true);
	assert_int_equal(0, fetch(f, "GET", "", NULL, 2000));
	run(3000);
	assert_int_equal(0, f->err);
	assert_string_equal("closed", json_string_value(
		json_object_get(f->answer, "v")));
	assert_non_null(strstr((const char *)f->srv.got->buf,
			       "GET / HTTP/1.1\r\n"));
}

static void a_500_is_EPROTO(void **state)
{
	struct fx *f = *state;

	answer_with(f, "HTTP/1.1 500 Internal Server Error\r\n"
		    "Content-Length: 11\r\n\r\n{\"ok\":true}", false);
	assert_int_equal(0, fetch(f, "GET", "/", NULL, 2000));
	run(3000);
	assert_int_equal(1, f->calls);
	assert_int_equal(EPROTO, f->err);
	assert_null(f->answer);
}

static void a_text_body_is_EPROTO(void **state)
{
	struct fx *f = *state;

	answer_with(f, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
		    "Content-Length: 12\r\n\r\norder ok 123", false);
	assert_int_equal(0, fetch(f, "GET", "/", NULL, 2000));
	run(3000);
	assert_int_equal(EPROTO, f->err);
}

static void a_json_array_is_EPROTO(void **state)
{
	struct fx *f = *state;

	answer_with(f, "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n"
		    "[1,2,3]", false);
	assert_int_equal(0, fetch(f, "GET", "/", NULL, 2000));
	run(3000);
	assert_int_equal(EPROTO, f->err);
}

static void an_answer_that_is_not_http_is_EPROTO(void **state)
{
	struct fx *f = *state;

	answer_with(f, "SSH-2.0-OpenSSH_9.2\r\nhello\r\n\r\n", true);
	assert_int_equal(0, fetch(f, "GET", "/", NULL, 2000));
	run(3000);
	assert_int_equal(EPROTO, f->err);
}

static void a_body_over_64_KiB_is_EPROTO(void **state)
{
	struct fx *f = *state;

	answer_with(f, "HTTP/1.1 200 OK\r\nContent-Length: 65537\r\n\r\n{",
		    false);
	assert_int_equal(0, fetch(f, "GET", "/", NULL, 2000));
	run(3000);
	assert_int_equal(1, f->calls);
	assert_int_equal(EPROTO, f->err);
}

/* Without a length, the limit is counted as the body comes. */
static void an_unframed_body_over_64_KiB_is_EPROTO(void **state)
{
	struct fx *f = *state;
	size_t n = IVR_FETCH_BODY_MAX + 2;
	const char *headline = "HTTP/1.0 200 OK\r\n\r\n";
	char *big = malloc(strlen(headline) + n + 1);

	assert_non_null(big);
	strcpy(big, headline);
	memset(big + strlen(headline), ' ', n);
	big[strlen(headline) + n] = '\0';
	answer_with(f, big, false);
	assert_int_equal(0, fetch(f, "GET", "/", NULL, 2000));
	run(3000);
	free(big);
	assert_int_equal(1, f->calls);
	assert_int_equal(EPROTO, f->err);
}

static void a_close_before_the_whole_body_is_EIO(void **state)
{
	struct fx *f = *state;

	answer_with(f, "HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{\"a\":",
		    true);
	assert_int_equal(0, fetch(f, "GET", "/", NULL, 2000));
	run(3000);
	assert_int_equal(EIO, f->err);
}

static void no_listener_is_ECONNREFUSED(void **state)
{
	struct fx *f = *state;

	f->srv.ts = mem_deref(f->srv.ts);     /* the port is closed now */
	assert_int_equal(0, fetch(f, "GET", "/", NULL, 2000));
	run(3000);
	assert_int_equal(1, f->calls);
	assert_int_equal(ECONNREFUSED, f->err);
}

static void a_server_that_never_answers_is_ETIMEDOUT(void **state)
{
	struct fx *f = *state;

	assert_int_equal(0, fetch(f, "GET", "/", NULL, 200));
	run(3000);
	assert_int_equal(1, f->srv.conns);
	assert_int_equal(1, f->calls);
	assert_int_equal(ETIMEDOUT, f->err);
	assert_non_null(f->srv.got->buf);
	assert_non_null(strstr((const char *)f->srv.got->buf, "GET / "));
}

static void a_cancelled_fetch_never_calls(void **state)
{
	struct fx *f = *state;

	/* Cancelled once connected, whenever a loaded machine gets there
	 * (the timeout leaves it room), then run past the timeout. */
	assert_int_equal(0, fetch(f, "GET", "/", NULL, 1500));
	for (int i = 0; i < 100 && !f->srv.conns; i++)
		run(10);
	f->fetch = mem_deref(f->fetch);
	run(1800);
	assert_int_equal(1, f->srv.conns);
	assert_int_equal(0, f->calls);
	assert_null(f->srv.c[0].tc);          /* its connection is closed */
}

static void on_first(int err, const json_t *answer, void *arg)
{
	struct fx *f = arg;

	(void)answer;
	f->other = mem_deref(f->other);       /* cancels the second */
	on_done(err, answer, arg);
}

static void a_handler_may_cancel_another_fetch(void **state)
{
	struct fx *f = *state;
	char url[64];

	snprintf(url, sizeof(url), "http://localhost:%u/", f->srv.port);
	/* The second's timeout leaves the first time to finish even on a
	 * loaded machine under the sanitizers. */
	assert_int_equal(0, ivr_fetch_start(&f->other, "GET", url, NULL, 1200,
					    on_done, f));
	run(50);
	answer_with(f, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
		    false);
	assert_int_equal(0, ivr_fetch_start(&f->fetch, "GET", url, NULL, 2000,
					    on_first, f));
	run(3000);
	assert_int_equal(1, f->calls);
	assert_int_equal(0, f->err);
	assert_null(f->other);
	run(1500);                            /* past the second's timeout */
	assert_int_equal(1, f->calls);
}

static void what_is_not_http_to_ipv4_is_EINVAL(void **state)
{
	static const char *const bad[] = {
		"https://127.0.0.1/", "http://example.com/x",
		"http://[::1]:80/", "http://127.0.0.1:0/", "http://127.0.0.1:65536/",
		"http://127.0.0.1:8x/", "http:///x", "ftp://127.0.0.1/",
		"http://127.0.0.1/a b", "http://127.0.0.1/a\r\nX: y", "",
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ivr_fetch_start(&f->fetch, "GET", bad[i], NULL, 100,
				    on_done, f) != EINVAL)
			fail_msg("\"%s\" was not refused", bad[i]);
	}
	assert_int_equal(EINVAL, ivr_fetch_start(&f->fetch, "PUT",
		"http://127.0.0.1/", NULL, 100, on_done, f));
	assert_null(f->fetch);
	run(50);
	assert_int_equal(0, f->calls);
	assert_int_equal(0, f->srv.conns);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(a_json_object_is_handed_over),
		T(a_post_sends_its_body_as_json),
		T(a_chunked_answer_is_joined),
		T(an_answer_ended_by_the_close_is_read_whole),
		T(a_500_is_EPROTO),
		T(a_text_body_is_EPROTO),
		T(a_json_array_is_EPROTO),
		T(an_answer_that_is_not_http_is_EPROTO),
		T(a_body_over_64_KiB_is_EPROTO),
		T(an_unframed_body_over_64_KiB_is_EPROTO),
		T(a_close_before_the_whole_body_is_EIO),
		T(no_listener_is_ECONNREFUSED),
		T(a_server_that_never_answers_is_ETIMEDOUT),
		T(a_cancelled_fetch_never_calls),
		T(a_handler_may_cancel_another_fetch),
		T(what_is_not_http_to_ipv4_is_EINVAL),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
