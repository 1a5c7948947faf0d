/* Request framing: a connection's bytes become whole requests, one at a
 * time, however the bytes are split; refusals are decided from the head
 * alone (431, 400, 411, 413) before any body byte is read. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "api/api_int.h"

/* Paths under /up stand for routes that take uploads. */
static bool is_upload(void *arg, const struct http_msg *msg)
{
	(void)arg;
	return msg->path.l >= 3 && !memcmp(msg->path.p, "/up", 3);
}

static const struct api_frame_limits LIM = {
	.head_max = 1024, .body_max = 100, .upload_max = 200,
	.upload = is_upload,
};

/* Head buffers of taken requests, freed at teardown. */
static struct mbuf *heads[64];
static size_t nheads;

static int setup(void **state)
{
	static struct api_frame f;

	if (api_frame_init(&f))
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	api_frame_reset(*state);
	while (nheads)
		mem_deref(heads[--nheads]);
	return 0;
}

/* Pushes s in pieces of `split` bytes (0: all at once), stepping after
 * each; returns the state after the last. */
static enum api_frame_state feed(struct api_frame *f, const char *s,
				 size_t split)
{
	size_t n = strlen(s), i = 0;
	enum api_frame_state st = f->state;

	if (!split)
		split = n ? n : 1;
	while (i < n) {
		size_t k = n - i < split ? n - i : split;

		assert_int_equal(0, api_frame_push(f, (const uint8_t *)s + i, k,
						   1 << 20));
		st = api_frame_step(f, &LIM);
		i += k;
	}
	return st;
}


/* Takes the request, keeping its head buffer until teardown. */
static struct http_msg *take(struct api_frame *f)
{
	struct mbuf *head = NULL;
	struct http_msg *msg = api_frame_take(f, &head);

	if (msg) {
		assert_true(nheads < ARRAY_LEN(heads));
		heads[nheads++] = head;
	}
	return msg;
}

static void body_is(const struct http_msg *msg, const char *want)
{
	assert_int_equal(strlen(want), mbuf_get_left(msg->mb));
	assert_memory_equal(want, mbuf_buf(msg->mb), strlen(want));
}

static const char POST[] =
	"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
	"Content-Type: application/json\r\nContent-Length: 13\r\n\r\n"
	"{\"a\":\"hello\"}";

static void a_request_comes_out_whole_however_the_bytes_are_split(void **state)
{
	struct api_frame *f = *state;
	size_t splits[] = {0, 1, 2, 3, 7, 64};

	for (size_t i = 0; i < ARRAY_LEN(splits); i++) {
		struct http_msg *msg;

		assert_int_equal(API_FRAME_DONE, feed(f, POST, splits[i]));
		msg = take(f);
		assert_non_null(msg);
		assert_int_equal(0, pl_strcmp(&msg->met, "POST"));
		assert_int_equal(0, pl_strcmp(&msg->path, "/api/v1/auth/login"));
		assert_non_null(http_msg_hdr(msg, HTTP_HDR_HOST));
		body_is(msg, "{\"a\":\"hello\"}");
		assert_true(f->state == API_FRAME_HEAD);
		assert_false(api_frame_started(f));
		mem_deref(msg);
	}
}

static void nothing_comes_out_before_the_last_body_byte(void **state)
{
	struct api_frame *f = *state;
	char part[sizeof(POST)];

	memcpy(part, POST, sizeof(POST) - 2);
	part[sizeof(POST) - 2] = '\0';
	assert_int_equal(API_FRAME_BODY, feed(f, part, 1));
	assert_null(take(f));
	assert_int_equal(API_FRAME_DONE, feed(f, "}", 0));
}

static void pipelined_requests_come_out_in_order_one_at_a_time(void **state)
{
	struct api_frame *f = *state;
	const char *two = "GET /a HTTP/1.1\r\n\r\nGET /b?x=1 HTTP/1.1\n\n";
	struct http_msg *msg;

	for (size_t split = 0; split < 3; split++) {
		assert_int_equal(API_FRAME_DONE, feed(f, two, split));
		msg = take(f);
		assert_int_equal(0, pl_strcmp(&msg->path, "/a"));
		assert_int_equal(0, mbuf_get_left(msg->mb));
		mem_deref(msg);
		assert_true(api_frame_started(f));    /* /b is waiting */
		assert_int_equal(API_FRAME_DONE, api_frame_step(f, &LIM));
		msg = take(f);
		assert_int_equal(0, pl_strcmp(&msg->path, "/b"));
		assert_int_equal(0, pl_strcmp(&msg->prm, "?x=1"));
		mem_deref(msg);
		assert_false(api_frame_started(f));
	}
}

static void empty_lines_before_a_request_are_skipped(void **state)
{
	struct api_frame *f = *state;
	struct http_msg *msg;

	assert_int_equal(API_FRAME_DONE,
			 feed(f, "\r\n\r\nGET /x HTTP/1.1\r\n\r\n", 1));
	msg = take(f);
	assert_int_equal(0, pl_strcmp(&msg->path, "/x"));
	mem_deref(msg);
}

static void keep_alive_follows_the_version_and_connection_header(void **state)
{
	struct api_frame *f = *state;
	const struct {
		const char *req;
		bool keep;
	} rows[] = {
		{"GET / HTTP/1.1\r\n\r\n", true},
		{"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", false},
		{"GET / HTTP/1.0\r\n\r\n", false},
		{"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true},
	};

	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		assert_int_equal(API_FRAME_DONE, feed(f, rows[i].req, 0));
		assert_int_equal(rows[i].keep, f->keep_alive);
		mem_deref(take(f));
	}
}

static void refused(struct api_frame *f, const char *s, size_t split,
		    uint16_t status)
{
	assert_int_equal(API_FRAME_REJECT, feed(f, s, split));
	assert_int_equal(status, f->status);
	assert_true(f->why[0] != '\0');
	assert_null(take(f));
	api_frame_reset(f);
	assert_int_equal(0, api_frame_init(f));
}

static void a_body_over_the_limit_is_refused_from_its_length_alone(void **state)
{
	refused(*state, "POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 1, 413);
	refused(*state, "POST / HTTP/1.1\r\nContent-Length: 104857600\r\n\r\n",
		0, 413);
	refused(*state, "POST / HTTP/1.1\r\nContent-Length: "
		"99999999999999999999\r\n\r\n", 0, 400);
}

static void an_upload_route_takes_a_larger_body_up_to_its_own_limit(void **state)
{
	struct api_frame *f = *state;

	assert_int_equal(API_FRAME_BODY, feed(f, "PUT /up/x HTTP/1.1\r\n"
					       "Content-Length: 200\r\n\r\n", 0));
	api_frame_reset(f);
	assert_int_equal(0, api_frame_init(f));
	assert_int_equal(API_FRAME_REJECT, feed(f, "PUT /up/x HTTP/1.1\r\n"
					       "Content-Length: 201\r\n\r\n", 0));
	assert_int_equal(413, f->status);
	assert_non_null(strstr(f->why, "200 bytes"));
	api_frame_reset(f);
	assert_int_equal(0, api_frame_init(f));
	refused(f, "PUT /x HTTP/1.1\r\nContent-Length: 150\r\n\r\n", 0, 413);
}

static void a_head_over_the_limit_is_refused_even_without_its_end(void **state)
{
	struct api_frame *f = *state;
	char big[1100];

	memset(big, 'a', sizeof(big) - 1);
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	big[sizeof(big) - 1] = '\0';
	refused(f, big, 1, 431);
	refused(f, big, 0, 431);
}

static void malformed_heads_are_bad_requests(void **state)
{
	refused(*state, "HELLO\r\n\r\n", 1, 400);
	refused(*state, "GET / HTTP/2.0\r\n\r\n", 0, 400);
	refused(*state, "GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", 0, 400);
	refused(*state, "GET / HTTP/1.1\r\nContent-Length: 1\r\n"
		"Content-Length: 2\r\n\r\n", 0, 400);
}

static void chunked_bodies_are_refused_with_411(void **state)
{
	refused(*state, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
		0, 411);
}

static void expect_continue_is_noticed(void **state)
{
	struct api_frame *f = *state;

	assert_int_equal(API_FRAME_BODY, feed(f, "POST / HTTP/1.1\r\n"
		"Content-Length: 5\r\nExpect: 100-continue\r\n\r\n", 0));
	assert_true(f->expect_continue);
	assert_int_equal(API_FRAME_DONE, feed(f, "hello", 0));
	body_is(f->msg, "hello");
}

static void the_unconsumed_buffer_is_capped(void **state)
{
	struct api_frame *f = *state;
	uint8_t b[64] = {0};

	assert_int_equal(0, api_frame_push(f, b, 60, 100));
	assert_int_equal(EOVERFLOW, api_frame_push(f, b, 41, 100));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(a_request_comes_out_whole_however_the_bytes_are_split),
		T(nothing_comes_out_before_the_last_body_byte),
		T(pipelined_requests_come_out_in_order_one_at_a_time),
		T(empty_lines_before_a_request_are_skipped),
		T(keep_alive_follows_the_version_and_connection_header),
		T(a_body_over_the_limit_is_refused_from_its_length_alone),
		T(an_upload_route_takes_a_larger_body_up_to_its_own_limit),
		T(a_head_over_the_limit_is_refused_even_without_its_end),
		T(malformed_heads_are_bad_requests),
		T(chunked_bodies_are_refused_with_411),
		T(expect_continue_is_noticed),
		T(the_unconsumed_buffer_is_capped),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
