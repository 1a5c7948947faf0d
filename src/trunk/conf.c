/* trunk/conf: one trunk's configuration from JSON and back, checked whole
 * so a refusal names the field and what it takes. The API's body and the
 * stored row are the same JSON (the row keeps the password). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "base/util.h"
#include <re_types.h>
#include <re_list.h>
#include "trunk/trunk_int.h"

enum {
	CHANNELS_MAX = 100000, PING_MAX_S = 3600, INVITE_TIMEOUT_MAX_S = 120,
	EXPIRES_MIN_S = 60, EXPIRES_MAX_S = 86400,
	PING_DEFAULT_S = 30, INVITE_TIMEOUT_DEFAULT_S = 8,
	EXPIRES_DEFAULT_S = 3600,
};

/* The transport words; whether TLS is listened for is the live host's
 * check (http.c), since it depends on how the center was started. */
static const char *const transports[] = {"udp", "tcp", "tls"};

/* The codecs Hotline's media engine speaks (media/g711.c). */
static const char *const codecs[] = {"PCMU", "PCMA"};

static const char *const top_keys[] = {
	"name", "inbound_from", "inbound_auth", "outbound", "max_channels",
	"caller_id",
	"privacy", "ping_interval_s", "invite_timeout_s", "state",
	"counters", "registration",
};
static const char *const out_keys[] = {
	"address", "transport", "username", "password", "password_set",
	"register", "register_expires_s", "codecs", "srtp",
};

static bool known(const char *key, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(key, v[i]))
			return true;
	}
	return false;
}

static int keys_check(const json_t *j, const char *where,
		      const char *const *v, size_t nv, char *why, size_t n)
{
	const char *key;
	json_t *val;

	json_object_foreach((json_t *)j, key, val) {
		(void)val;
		if (!known(key, v, nv)) {
			snprintf(why, n, "%s%s: unknown key", where, key);
			return EINVAL;
		}
	}
	return 0;
}

static int get_str(const json_t *j, const char *key, const char *path,
		   char *dst, size_t size, char *why, size_t n)
{
	const json_t *v = json_object_get(j, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || json_string_length(v) >= size) {
		snprintf(why, n, "%s: want text of at most %zu bytes", path,
			 size - 1);
		return EINVAL;
	}
	util_strlcpy(dst, json_string_value(v), size);
	return 0;
}

static int get_uint(const json_t *j, const char *key, const char *path,
		    uint32_t lo, uint32_t hi, uint32_t *dst, char *why,
		    size_t n)
{
	const json_t *v = json_object_get(j, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi) {
		snprintf(why, n, "%s: want a whole number in %u..%u", path,
			 lo, hi);
		return EINVAL;
	}
	*dst = (uint32_t)json_integer_value(v);
	return 0;
}

static int get_bool(const json_t *j, const char *key, const char *path,
		    bool *dst, char *why, size_t n)
{
	const json_t *v = json_object_get(j, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v)) {
		snprintf(why, n, "%s: want true or false", path);
		return EINVAL;
	}
	*dst = json_is_true(v);
	return 0;
}

/* "IP:PORT" or "[IPv6]:PORT": no names, since nothing on the loop may
 * wait for DNS. */
static bool address_ok(const char *s)
{
	char host[TRUNK_ADDR_SZ];
	unsigned char buf[16];
	uint16_t port;

	if (util_parse_hostport(s, host, sizeof(host), &port) || !port)
		return false;
	return inet_pton(AF_INET, host, buf) == 1 ||
		inet_pton(AF_INET6, host, buf) == 1;
}

static int parse_from(struct trunk_conf *c, const json_t *v, char *why,
		      size_t n)
{
	size_t i;
	json_t *e;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v) || json_array_size(v) > TRUNK_CIDR_MAX) {
		snprintf(why, n, "inbound_from: want a list of at most %d "
			 "networks (CIDR)", TRUNK_CIDR_MAX);
		return EINVAL;
	}
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) ||
		    trunk_cidr_parse(json_string_value(e), &c->from[i])) {
			snprintf(why, n, "inbound_from[%zu]: not an address or "
				 "network (want 192.0.2.0/24, 2001:db8::/32 or "
				 "one address)", i);
			return EINVAL;
		}
	}
	c->nfrom = json_array_size(v);
	return 0;
}

static const char *const in_auth_keys[] = {
	"username", "password", "password_set",
};

/* A carrier that proves itself by digest instead of (or besides) its
 * address: both parts required, the name in the characters a digest
 * username can carry unquoted anywhere. */
static int parse_in_auth(struct trunk_conf *c, const json_t *o, char *why,
			 size_t n)
{
	int err;

	if (!o || json_is_null(o))
		return 0;
	if (!json_is_object(o)) {
		snprintf(why, n, "inbound_auth: want an object");
		return EINVAL;
	}
	err = keys_check(o, "inbound_auth.", in_auth_keys,
			 ARRAY_LEN(in_auth_keys), why, n);
	err = err ? err : get_str(o, "username", "inbound_auth.username",
				  c->in_user, sizeof(c->in_user), why, n);
	err = err ? err : get_str(o, "password", "inbound_auth.password",
				  c->in_password, sizeof(c->in_password), why,
				  n);
	if (err)
		return err;
	if (!c->in_user[0] || strlen(c->in_user) > TRUNK_IN_USER_MAX ||
	    strspn(c->in_user, "abcdefghijklmnopqrstuvwxyz"
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.+") !=
	    strlen(c->in_user)) {
		snprintf(why, n, "inbound_auth.username: want 1..%d letters, "
			 "digits, '_', '-', '.' or '+'", TRUNK_IN_USER_MAX);
		return EINVAL;
	}
	if (strlen(c->in_password) < 8) {
		snprintf(why, n, "inbound_auth.password: want at least 8 "
			 "characters");
		return EINVAL;
	}
	return 0;
}

static int parse_codecs(struct trunk_conf *c, const json_t *v, char *why,
			size_t n)
{
	size_t i;
	json_t *e;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v) || !json_array_size(v) ||
	    json_array_size(v) > TRUNK_CODECS_MAX) {
		snprintf(why, n, "outbound.codecs: want a list of 1..%d codecs",
			 TRUNK_CODECS_MAX);
		return EINVAL;
	}
	json_array_foreach(v, i, e) {
		const char *name = json_is_string(e) ? json_string_value(e) : "";
		bool ok = false;

		for (size_t k = 0; k < ARRAY_LEN(codecs); k++)
			ok = ok || !strcasecmp(name, codecs[k]);
		if (!ok) {
			snprintf(why, n, "outbound.codecs[%zu]: unknown codec "
				 "'%s' (want PCMU or PCMA)", i, name);
			return EINVAL;
		}
		for (size_t k = 0; k < ARRAY_LEN(codecs); k++) {
			if (!strcasecmp(name, codecs[k]))
				util_strlcpy(c->codecs[i], codecs[k],
					     sizeof(c->codecs[i]));
		}
	}
	c->ncodecs = json_array_size(v);
	return 0;
}

static int parse_transport(struct trunk_conf *c, char *why, size_t n)
{
	for (size_t i = 0; i < ARRAY_LEN(transports); i++) {
		if (!strcmp(c->transport, transports[i]))
			return 0;
	}
	snprintf(why, n, "outbound.transport: unknown transport '%s' (want "
		 "udp, tcp or tls)", c->transport);
	return EINVAL;
}

static int parse_out(struct trunk_conf *c, const json_t *o, char *why,
		     size_t n)
{
	int err;

	if (!o || json_is_null(o))
		return 0;
	if (!json_is_object(o)) {
		snprintf(why, n, "outbound: want an object");
		return EINVAL;
	}
	err = keys_check(o, "outbound.", out_keys, ARRAY_LEN(out_keys), why, n);
	err = err ? err : get_str(o, "address", "outbound.address", c->address,
				  sizeof(c->address), why, n);
	if (!err && get_str(o, "transport", "outbound.transport",
			    c->transport, sizeof(c->transport), why, n)) {
		snprintf(why, n, "outbound.transport: unknown transport (want "
			 "udp, tcp or tls)");
		err = EINVAL;
	}
	err = err ? err : get_str(o, "username", "outbound.username",
				  c->username, sizeof(c->username), why, n);
	err = err ? err : get_str(o, "password", "outbound.password",
				  c->password, sizeof(c->password), why, n);
	err = err ? err : get_bool(o, "register", "outbound.register", &c->reg,
				   why, n);
	err = err ? err : get_bool(o, "srtp", "outbound.srtp", &c->srtp, why,
				   n);
	err = err ? err : get_uint(o, "register_expires_s",
				   "outbound.register_expires_s", EXPIRES_MIN_S,
				   EXPIRES_MAX_S, &c->reg_expires_s, why, n);
	err = err ? err : parse_codecs(c, json_object_get(o, "codecs"), why, n);
	if (err)
		return err;
	if (!address_ok(c->address)) {
		snprintf(why, n, "outbound.address: bad address '%s' (want "
			 "IP:PORT or [IPv6]:PORT; no names)", c->address);
		return EINVAL;
	}
	err = parse_transport(c, why, n);
	if (err)
		return err;
	if (c->srtp && strcmp(c->transport, "tls")) {
		snprintf(why, n, "outbound.srtp: needs outbound.transport tls "
			 "(SRTP keys travel in the SDP)");
		return EINVAL;
	}
	if (c->reg && !c->username[0]) {
		snprintf(why, n, "outbound.register: needs outbound.username");
		return EINVAL;
	}
	c->outbound = true;
	return 0;
}

int trunk_conf_parse(struct trunk_conf *c, const char *name, const json_t *j,
		     char *why, size_t n)
{
	struct trunk_conf out = {
		.transport = "udp", .ping_interval_s = PING_DEFAULT_S,
		.invite_timeout_s = INVITE_TIMEOUT_DEFAULT_S,
		.reg_expires_s = EXPIRES_DEFAULT_S,
		.codecs = {"PCMU", "PCMA"}, .ncodecs = 2,
	};
	int err;

	if (!json_is_object(j)) {
		snprintf(why, n, "want a JSON object");
		return EINVAL;
	}
	if (!name || !*name || strlen(name) >= sizeof(out.name) ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		   "0123456789_-.") != strlen(name)) {
		snprintf(why, n, "name: want 1..%d letters, digits, '_', '-' "
			 "or '.'", TRUNK_NAME_SZ - 1);
		return EINVAL;
	}
	util_strlcpy(out.name, name, sizeof(out.name));
	err = keys_check(j, "", top_keys, ARRAY_LEN(top_keys), why, n);
	err = err ? err : parse_from(&out, json_object_get(j, "inbound_from"),
				     why, n);
	err = err ? err : parse_in_auth(&out, json_object_get(j,
							      "inbound_auth"),
					why, n);
	err = err ? err : parse_out(&out, json_object_get(j, "outbound"), why,
				    n);
	err = err ? err : get_uint(j, "max_channels", "max_channels", 0,
				   CHANNELS_MAX, &out.max_channels, why, n);
	err = err ? err : get_str(j, "caller_id", "caller_id", out.caller_id,
				  sizeof(out.caller_id), why, n);
	err = err ? err : get_bool(j, "privacy", "privacy", &out.privacy, why,
				   n);
	err = err ? err : get_uint(j, "ping_interval_s", "ping_interval_s", 0,
				   PING_MAX_S, &out.ping_interval_s, why, n);
	err = err ? err : get_uint(j, "invite_timeout_s", "invite_timeout_s",
				   1, INVITE_TIMEOUT_MAX_S,
				   &out.invite_timeout_s, why, n);
	if (err)
		return err;
	if (out.caller_id[0] && strspn(out.caller_id + (out.caller_id[0] == '+'),
				       "0123456789") !=
	    strlen(out.caller_id + (out.caller_id[0] == '+'))) {
		snprintf(why, n, "caller_id: want digits (a DID of the center)");
		return EINVAL;
	}
	if (!out.nfrom && !out.in_user[0] && !out.outbound) {
		snprintf(why, n, "want inbound_from, inbound_auth, outbound or "
			 "more than one");
		return EINVAL;
	}
	*c = out;
	return 0;
}

json_t *trunk_conf_json(const struct trunk_conf *c, bool secret)
{
	json_t *from = json_array(), *j, *codec_v;
	char text[INET6_ADDRSTRLEN + 8];

	for (size_t i = 0; from && i < c->nfrom; i++) {
		trunk_cidr_print(&c->from[i], text, sizeof(text));
		json_array_append_new(from, json_string(text));
	}
	j = json_pack("{s:s, s:o, s:I, s:s, s:b, s:I, s:I}", "name", c->name,
		      "inbound_from", from ? from : json_array(),
		      "max_channels", (json_int_t)c->max_channels,
		      "caller_id", c->caller_id, "privacy", c->privacy,
		      "ping_interval_s", (json_int_t)c->ping_interval_s,
		      "invite_timeout_s", (json_int_t)c->invite_timeout_s);
	if (j && c->in_user[0]) {
		json_t *a = json_pack("{s:s}", "username", c->in_user);

		if (a)
			json_object_set_new(a, secret ? "password" :
					    "password_set", secret ?
					    json_string(c->in_password) :
					    json_true());
		json_object_set_new(j, "inbound_auth", a ? a : json_object());
	}
	if (!j || !c->outbound)
		return j;
	codec_v = json_array();
	for (size_t i = 0; codec_v && i < c->ncodecs; i++)
		json_array_append_new(codec_v, json_string(c->codecs[i]));
	json_object_set_new(j, "outbound", json_pack(
		"{s:s, s:s, s:s, s:b, s:b, s:I, s:o}", "address", c->address,
		"transport", c->transport, "username", c->username,
		"register", c->reg, "srtp", c->srtp,
		"register_expires_s", (json_int_t)c->reg_expires_s,
		"codecs", codec_v ? codec_v : json_array()));
	json_object_set_new(json_object_get(j, "outbound"),
			    secret ? "password" : "password_set",
			    secret ? json_string(c->password) :
			    json_boolean(c->password[0] != '\0'));
	return j;
}
