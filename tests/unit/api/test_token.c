/* Bearer tokens: what a token looks like, that only its hash is kept, and
 * that the cache of validated tokens forgets each one when it expires. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "api/api_int.h"

static void a_new_token_is_64_lowercase_hex_and_fresh(void **state)
{
	char a[API_TOKEN_HEX + 1], b[API_TOKEN_HEX + 1];
	(void)state;

	api_token_new(a);
	api_token_new(b);
	assert_int_equal(API_TOKEN_HEX, strlen(a));
	assert_int_equal(0, api_token_check(a));
	assert_string_not_equal(a, b);
}

static void the_hash_is_sha256_hex_and_not_the_token(void **state)
{
	char h[API_TOKEN_HEX + 1];
	(void)state;

	/* SHA-256("abc"), FIPS 180-2 appendix B.1 */
	api_token_hash("abc", h);
	assert_string_equal("ba7816bf8f01cfea414140de5dae2223"
			    "b00361a396177a9cb410ff61f20015ad", h);
}

static void bearer_headers_are_parsed_strictly(void **state)
{
	char tok[API_TOKEN_HEX + 1], good[API_TOKEN_HEX + 1], hdr[128];
	(void)state;

	api_token_new(good);
	snprintf(hdr, sizeof(hdr), "Bearer %s", good);
	assert_int_equal(0, api_token_from_bearer(hdr, strlen(hdr), tok));
	assert_string_equal(good, tok);
	snprintf(hdr, sizeof(hdr), "bearer %s", good);
	assert_int_equal(0, api_token_from_bearer(hdr, strlen(hdr), tok));

	snprintf(hdr, sizeof(hdr), "Basic %s", good);
	assert_int_equal(EINVAL, api_token_from_bearer(hdr, strlen(hdr), tok));
	snprintf(hdr, sizeof(hdr), "Bearer %.63s", good);
	assert_int_equal(EINVAL, api_token_from_bearer(hdr, strlen(hdr), tok));
	snprintf(hdr, sizeof(hdr), "Bearer %.63sZ", good);
	assert_int_equal(EINVAL, api_token_from_bearer(hdr, strlen(hdr), tok));
	assert_int_equal(EINVAL, api_token_from_bearer("Bearer", 6, tok));
	assert_int_equal(EINVAL, api_token_check("ABC"));
}

static int setup(void **state)
{
	struct api_tcache *c = NULL;

	if (api_tcache_alloc(&c, 3))
		return -1;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	mem_deref(*state);
	return 0;
}

static struct api_user user(const char *name)
{
	struct api_user u = {.role_bit = API_R_AGENT};

	util_strlcpy(u.username, name, sizeof(u.username));
	util_strlcpy(u.role, "agent", sizeof(u.role));
	return u;
}

static void a_cached_token_is_found_until_it_expires(void **state)
{
	struct api_tcache *c = *state;
	struct api_user u = user("1001"), got;
	int64_t exp = 0;

	assert_int_equal(0, api_tcache_put(c, "h1", &u, 10000));
	assert_int_equal(0, api_tcache_get(c, "h1", 9999, &got, &exp));
	assert_string_equal("1001", got.username);
	assert_int_equal(10000, exp);
	/* At the expiry instant it is gone, and stays gone. */
	assert_int_equal(ENOENT, api_tcache_get(c, "h1", 10000, &got, &exp));
	assert_int_equal(ENOENT, api_tcache_get(c, "h1", 0, &got, &exp));
	assert_int_equal(0, api_tcache_count(c));
}

static void unknown_and_deleted_tokens_are_not_found(void **state)
{
	struct api_tcache *c = *state;
	struct api_user u = user("sup"), got;
	int64_t exp;

	assert_int_equal(ENOENT, api_tcache_get(c, "nope", 0, &got, &exp));
	assert_int_equal(0, api_tcache_put(c, "h2", &u, 10000));
	api_tcache_del(c, "h2");
	assert_int_equal(ENOENT, api_tcache_get(c, "h2", 0, &got, &exp));
	api_tcache_del(c, "never-there");
}

static void every_revocation_moves_the_generation_on(void **state)
{
	struct api_tcache *c = *state;
	struct api_user u = user("x"), got;
	uint64_t g = api_tcache_gen(c);
	int64_t exp;

	assert_int_equal(0, api_tcache_put(c, "h", &u, 10000));
	assert_int_equal(g, api_tcache_gen(c));
	api_tcache_del(c, "h");
	assert_int_equal(g + 1, api_tcache_gen(c));
	/* A logout of a token the cache never held is a revocation too: the
	 * database may still hold it. */
	api_tcache_del(c, "not-cached");
	assert_int_equal(g + 2, api_tcache_gen(c));
	assert_int_equal(0, api_tcache_put(c, "h", &u, 10000));
	api_tcache_forget_user(c, u.id);
	assert_int_equal(g + 3, api_tcache_gen(c));
	assert_int_equal(ENOENT, api_tcache_get(c, "h", 0, &got, &exp));
}

static void putting_again_replaces_user_and_expiry(void **state)
{
	struct api_tcache *c = *state;
	struct api_user a = user("a"), b = user("b"), got;
	int64_t exp;

	assert_int_equal(0, api_tcache_put(c, "h", &a, 100));
	assert_int_equal(0, api_tcache_put(c, "h", &b, 200));
	assert_int_equal(1, api_tcache_count(c));
	assert_int_equal(0, api_tcache_get(c, "h", 150, &got, &exp));
	assert_string_equal("b", got.username);
	assert_int_equal(200, exp);
}

static void a_full_cache_makes_room_and_stays_bounded(void **state)
{
	struct api_tcache *c = *state;
	struct api_user u = user("x"), got;
	const int64_t far = INT64_MAX / 2;
	int64_t exp;

	assert_int_equal(0, api_tcache_put(c, "a", &u, far));
	assert_int_equal(0, api_tcache_put(c, "b", &u, far));
	assert_int_equal(0, api_tcache_put(c, "c", &u, far));
	assert_int_equal(0, api_tcache_put(c, "d", &u, far));
	assert_true(api_tcache_count(c) <= 3);
	assert_int_equal(0, api_tcache_get(c, "d", 0, &got, &exp));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_new_token_is_64_lowercase_hex_and_fresh),
		cmocka_unit_test(the_hash_is_sha256_hex_and_not_the_token),
		cmocka_unit_test(bearer_headers_are_parsed_strictly),
		cmocka_unit_test_setup_teardown(a_cached_token_is_found_until_it_expires,
						setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_and_deleted_tokens_are_not_found,
						setup, teardown),
		cmocka_unit_test_setup_teardown(every_revocation_moves_the_generation_on,
						setup, teardown),
		cmocka_unit_test_setup_teardown(putting_again_replaces_user_and_expiry,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_full_cache_makes_room_and_stays_bounded,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
