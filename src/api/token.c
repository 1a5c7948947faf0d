/* api/token: bearer tokens and the in-memory cache of validated ones.
 *
 * A token is 32 random bytes (256 bits) in hex; the database keeps only its
 * SHA-256, so a copy of the database grants nothing. Validating a token on
 * every request would read the database each time; the cache keeps each
 * validated token's user and expiry, and expiry is checked against the
 * caller's clock on every lookup, so a cached token dies on time. */
#include <errno.h>
#include <string.h>
#include <sodium.h>
#include "api/api_int.h"

void api_token_new(char tok[API_TOKEN_HEX + 1])
{
	unsigned char b[API_TOKEN_HEX / 2];

	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(tok, API_TOKEN_HEX + 1, b, sizeof(b));
	sodium_memzero(b, sizeof(b));
}

void api_token_hash(const char *tok, char hex[API_TOKEN_HEX + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)tok, strlen(tok));
	sodium_bin2hex(hex, API_TOKEN_HEX + 1, h, sizeof(h));
}

int api_token_check(const char *tok)
{
	if (strlen(tok) != API_TOKEN_HEX)
		return EINVAL;
	for (size_t i = 0; i < API_TOKEN_HEX; i++) {
		char c = tok[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return EINVAL;
	}
	return 0;
}

int api_token_from_bearer(const char *hdr, size_t len,
			  char tok[API_TOKEN_HEX + 1])
{
	static const char scheme[] = "bearer ";
	const size_t sl = sizeof(scheme) - 1;

	if (len != sl + API_TOKEN_HEX || strncasecmp(hdr, scheme, sl))
		return EINVAL;
	memcpy(tok, hdr + sl, API_TOKEN_HEX);
	tok[API_TOKEN_HEX] = '\0';
	return api_token_check(tok);
}

struct tentry {
	struct le he;                 /* in api_tcache.ht */
	char hash[API_TOKEN_HEX + 1];
	struct api_user user;
	int64_t expires_ms;
};

struct api_tcache {
	struct hash *ht;
	size_t max;
	uint64_t gen;    /* revocations so far (api_tcache_gen) */
};

static void tentry_destructor(void *arg)
{
	struct tentry *e = arg;

	hash_unlink(&e->he);
}

static void tcache_destructor(void *arg)
{
	struct api_tcache *c = arg;

	hash_flush(c->ht);
	mem_deref(c->ht);
}

int api_tcache_alloc(struct api_tcache **cp, size_t max)
{
	struct api_tcache *c = mem_zalloc(sizeof(*c), tcache_destructor);
	int err;

	if (!c)
		return ENOMEM;
	c->max = max ? max : 1;
	err = hash_alloc(&c->ht, 256);
	if (err) {
		mem_deref(c);
		return err;
	}
	*cp = c;
	return 0;
}

static bool hash_eq(struct le *le, void *arg)
{
	const struct tentry *e = le->data;

	return !strcmp(e->hash, arg);
}

static struct tentry *find(const struct api_tcache *c, const char *hash)
{
	struct le *le = hash_lookup(c->ht, hash_joaat_str(hash), hash_eq,
				    (void *)hash);
	return le ? le->data : NULL;
}

static bool expired_h(struct le *le, void *arg)
{
	struct tentry *e = le->data;

	if (e->expires_ms <= *(const int64_t *)arg)
		mem_deref(e);
	return false;
}

int api_tcache_put(struct api_tcache *c, const char *hash,
		   const struct api_user *u, int64_t expires_ms)
{
	struct tentry *e = find(c, hash);

	if (e) {
		e->user = *u;
		e->expires_ms = expires_ms;
		return 0;
	}
	if (api_tcache_count(c) >= c->max) {
		int64_t now = util_now_ms();
		(void)hash_apply(c->ht, expired_h, &now);
		if (api_tcache_count(c) >= c->max)
			hash_flush(c->ht);
	}
	e = mem_zalloc(sizeof(*e), tentry_destructor);
	if (!e)
		return ENOMEM;
	if (util_strlcpy(e->hash, hash, sizeof(e->hash))) {
		mem_deref(e);
		return EINVAL;
	}
	e->user = *u;
	e->expires_ms = expires_ms;
	hash_append(c->ht, hash_joaat_str(hash), &e->he, e);
	return 0;
}

int api_tcache_get(struct api_tcache *c, const char *hash, int64_t now_ms,
		   struct api_user *u, int64_t *expires_ms)
{
	struct tentry *e = find(c, hash);

	if (!e)
		return ENOENT;
	if (e->expires_ms <= now_ms) {
		mem_deref(e);
		return ENOENT;
	}
	*u = e->user;
	*expires_ms = e->expires_ms;
	return 0;
}

void api_tcache_del(struct api_tcache *c, const char *hash)
{
	c->gen++;
	mem_deref(find(c, hash));
}

static bool user_h(struct le *le, void *arg)
{
	struct tentry *e = le->data;

	if (!strcmp(e->user.id, arg))
		mem_deref(e);
	return false;
}

void api_tcache_forget_user(struct api_tcache *c, const char *user_id)
{
	c->gen++;
	(void)hash_apply(c->ht, user_h, (void *)user_id);
}

static bool count_h(struct le *le, void *arg)
{
	(void)le;
	(*(size_t *)arg)++;
	return false;
}

uint64_t api_tcache_gen(const struct api_tcache *c)
{
	return c->gen;
}

size_t api_tcache_count(const struct api_tcache *c)
{
	size_t n = 0;

	(void)hash_apply(c->ht, count_h, &n);
	return n;
}
