/* The endpoint end to end on loopback: a libre client (sipreg, with its own
 * digest) registers an extension; the registrar publishes agent.registered,
 * lists the contact through sipx_contacts and stores it; un-registering
 * publishes agent.unregistered; a new endpoint on the same database
 * restores the binding and announces it as "restored". */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include "sip/sipx_int.h"
#include <re_main.h>
#include <re_sipreg.h>
#include "base/bus.h"
#include "base/util.h"
#include "db/db.h"

struct seen {
	char type[32];
	char ext[SIPX_EXT_SZ];
	char reason[16];
	int contacts;
};

struct fx {
	char dir[64];
	struct db *db;
	struct bus *bus;
	struct sipx *sx;
	struct sip *client;
	struct sipreg *reg;
	const char *password;
	uint16_t final;              /* the client's last final answer */
	struct seen ev[8];
	int n;
	const char *stop_on;         /* event type that ends the loop */
};

static void on_event(const struct bus_event *ev, void *arg)
{
	struct fx *f = arg;
	struct seen *s;

	if (f->n >= 8)
		return;
	s = &f->ev[f->n++];
	snprintf(s->type, sizeof(s->type), "%s", ev->type);
	snprintf(s->ext, sizeof(s->ext), "%s", ev->subject);
	snprintf(s->reason, sizeof(s->reason), "%s",
		 json_string_value(json_object_get(ev->data, "reason")));
	s->contacts = (int)json_integer_value(json_object_get(ev->data,
							      "contacts"));
	if (f->stop_on && !strcmp(f->stop_on, ev->type))
		re_cancel();
}

static void give_up(void *arg)
{
	(void)arg;
	re_cancel();
}

/* Runs the loop until something calls re_cancel, at most 5 s. */
static void run(void)
{
	struct tmr t;

	tmr_init(&t);
	tmr_start(&t, 5000, give_up, NULL);
	(void)re_main(NULL);
	tmr_cancel(&t);
}

static int start_endpoint(struct fx *f)
{
	struct sipx_conf c;
	char err[256];

	sipx_conf_default(&c);
	c.listen = "127.0.0.1:0";
	return sipx_alloc(&f->sx, &c, err, sizeof(err)) ||
	       sipx_start(f->sx, f->db, f->bus);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char url[128];
	struct sa any;

	if (!f || libre_init())
		return -1;
	strcpy(f->dir, "/tmp/hotline-sipx.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(url, sizeof(url), "sqlite:%s/t.db", f->dir);
	if (db_open(&f->db, url) || bus_alloc(&f->bus) ||
	    bus_subscribe(f->bus, "agent.", on_event, f) || start_endpoint(f) ||
	    sipx_ext_set(f->sx, "1001", "Agent 1001", "pw1001", true))
		return -1;
	sa_set_str(&any, "127.0.0.1", 0);
	if (sip_alloc(&f->client, NULL, 16, 16, 16, "test", NULL, NULL) ||
	    sip_transp_add(f->client, SIP_TRANSP_UDP, &any))
		return -1;
	f->password = "pw1001";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char path[128];

	mem_deref(f->reg);
	sip_close(f->client, true);
	mem_deref(f->client);
	mem_deref(f->sx);
	db_close(f->db);
	bus_free(f->bus);
	libre_close();
	snprintf(path, sizeof(path), "rm -rf '%s'", f->dir);
	if (system(path))
		return -1;
	free(f);
	return 0;
}

static int auth_h(char **user, char **pass, const char *realm, void *arg)
{
	struct fx *f = arg;

	(void)realm;
	return str_dup(user, "1001") | str_dup(pass, f->password);
}

static void resp_h(int err, const struct sip_msg *msg, void *arg)
{
	struct fx *f = arg;

	f->final = err || !msg ? 0 : msg->scode;
	re_cancel();
}

static void do_register(struct fx *f, uint32_t expires)
{
	struct sa la;
	char uri[64];

	assert_int_equal(0, sipx_laddr(f->sx, SIP_TRANSP_UDP, &la));
	re_snprintf(uri, sizeof(uri), "sip:%J", &la);
	assert_int_equal(0, sipreg_register(&f->reg, f->client, uri,
		"sip:1001@127.0.0.1", NULL, "sip:1001@127.0.0.1", expires,
		"1001", NULL, 0, 0, auth_h, f, false, resp_h, f, NULL, NULL));
	run();
}

static void registering_binds_publishes_and_stores(void **state)
{
	struct fx *f = *state;
	struct sipx_contact v[2];
	size_t n = 9;
	int64_t before = util_now_ms();

	do_register(f, 120);
	assert_int_equal(200, f->final);
	assert_int_equal(1, f->n);
	assert_string_equal("agent.registered", f->ev[0].type);
	assert_string_equal("1001", f->ev[0].ext);
	assert_string_equal("new", f->ev[0].reason);
	assert_int_equal(1, f->ev[0].contacts);

	assert_int_equal(0, sipx_contacts(f->sx, "1001", v, 2, &n));
	assert_int_equal(1, n);
	assert_non_null(strstr(v[0].uri, "sip:1001@127.0.0.1:"));
	assert_int_equal(SIP_TRANSP_UDP, v[0].tp);
	assert_true(sa_is_loopback(&v[0].source));
	assert_in_range(v[0].expires_at_ms, before + 120000,
			util_now_ms() + 120000);
	assert_int_equal(0, sipx_contacts(f->sx, "1002", v, 2, &n));
	assert_int_equal(0, n);
}

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

static void unregistering_publishes_and_deletes(void **state)
{
	struct fx *f = *state;
	struct sipx_contact v[2];
	int64_t rows = -1;
	size_t n = 9;

	do_register(f, 120);
	assert_int_equal(200, f->final);
	assert_int_equal(0, db_flush(f->db));
	assert_int_equal(0, db_query(f->db, count_row, &rows,
				     "SELECT count(*) FROM registrations", ""));
	assert_int_equal(1, rows);

	/* Freeing a registered sipreg sends REGISTER with Expires: 0. */
	f->stop_on = "agent.unregistered";
	f->reg = mem_deref(f->reg);
	run();
	assert_int_equal(2, f->n);
	assert_string_equal("agent.unregistered", f->ev[1].type);
	assert_string_equal("unregister", f->ev[1].reason);
	assert_int_equal(0, f->ev[1].contacts);
	assert_int_equal(0, sipx_contacts(f->sx, "1001", v, 2, &n));
	assert_int_equal(0, n);
	assert_int_equal(0, db_flush(f->db));
	assert_int_equal(0, db_query(f->db, count_row, &rows,
				     "SELECT count(*) FROM registrations", ""));
	assert_int_equal(0, rows);
}

static void a_wrong_password_binds_nothing(void **state)
{
	struct fx *f = *state;
	struct sipx_contact v[2];
	size_t n = 9;

	f->password = "not-it";
	do_register(f, 120);
	/* libre answers the re-challenge once more, then takes the 403. */
	assert_int_equal(403, f->final);
	assert_int_equal(0, f->n);
	assert_int_equal(0, sipx_contacts(f->sx, "1001", v, 2, &n));
	assert_int_equal(0, n);
}

static void a_new_endpoint_restores_and_announces_bindings(void **state)
{
	struct fx *f = *state;
	struct sipx_contact v[2];
	size_t n = 9;

	do_register(f, 120);
	assert_int_equal(200, f->final);
	assert_int_equal(0, db_flush(f->db));
	/* The client's sipreg would refresh against the old endpoint. */
	f->reg = mem_deref(f->reg);
	f->sx = mem_deref(f->sx);
	f->n = 0;

	assert_int_equal(0, start_endpoint(f));
	assert_int_equal(0, sipx_contacts(f->sx, "1001", v, 2, &n));
	assert_int_equal(1, n);
	f->stop_on = "agent.registered";
	run();
	assert_int_equal(1, f->n);
	assert_string_equal("restored", f->ev[0].reason);
	assert_int_equal(1, f->ev[0].contacts);
}

/* An INVITE's source and From user, as the trunk check reads them. */
static struct sip_msg invite_from(const char *ip, const char *user)
{
	struct sip_msg m;

	memset(&m, 0, sizeof(m));
	sa_set_str(&m.src, ip, 5060);
	pl_set_str(&m.from.uri.user, user);
	return m;
}

static void trunks_are_trusted_sources_not_naming_an_extension(void **state)
{
	struct fx *f = *state;
	struct sip_msg customer = invite_from("127.0.0.1", "13800138000");
	struct sip_msg agent = invite_from("127.0.0.1", "1001");
	struct sip_msg outside = invite_from("192.0.2.1", "13800138000");

	assert_false(sipx_is_trunk(f->sx, &customer));
	f->sx->conf.trust_loopback = true;
	assert_true(sipx_is_trunk(f->sx, &customer));
	/* An extension proves who it is, even from a trunk's address. */
	assert_false(sipx_is_trunk(f->sx, &agent));
	assert_false(sipx_is_trunk(f->sx, &outside));
}

/* The demo trusts loopback: all of 127.0.0.0/8 and ::1, which libre's
 * sa_is_loopback (127.0.0.1 alone) does not cover. */
static void loopback_is_all_of_127_slash_8_and_v6_one(void **state)
{
	static const struct {
		const char *ip;
		bool loopback;
	} v[] = {
		{"127.0.0.1", true}, {"127.0.0.5", true}, {"127.255.255.254", true},
		{"::1", true}, {"::ffff:127.0.0.9", true}, {"128.0.0.1", false},
		{"10.0.0.1", false}, {"::2", false}, {"::ffff:10.0.0.1", false},
	};
	struct sa sa;
	(void)state;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(0, sa_set_str(&sa, v[i].ip, 5060));
		if (sipx_is_loopback(&sa) != v[i].loopback)
			fail_msg("%s", v[i].ip);
	}
}

static bool fake_trunk(const struct sa *src, void *arg)
{
	struct sa net;
	(void)arg;

	sa_set_str(&net, "192.0.2.1", 0);
	return sa_cmp(src, &net, SA_ADDR);
}

/* Outside the demo the trunk check (trunk/'s, through the callback) says
 * which sources are trunks; loopback is nothing special. */
static void a_configured_trunk_source_is_trusted_outside_the_demo(void **state)
{
	struct fx *f = *state;
	struct sip_msg customer = invite_from("192.0.2.1", "13800138000");
	struct sip_msg agent = invite_from("192.0.2.1", "1001");
	struct sip_msg local = invite_from("127.0.0.5", "13800138000");

	sipx_set_trunk_check(f->sx, fake_trunk, NULL);
	assert_true(sipx_is_trunk(f->sx, &customer));
	assert_false(sipx_is_trunk(f->sx, &agent));
	assert_false(sipx_is_trunk(f->sx, &local));
	f->sx->conf.trust_loopback = true;
	assert_true(sipx_is_trunk(f->sx, &local));
	sipx_set_trunk_check(f->sx, NULL, NULL);
	assert_false(sipx_is_trunk(f->sx, &customer));
}

/* A phone behind NAT: the Contact names its private address, the
 * REGISTER came from the NAT's public one. Requests go to the source. */
static void a_contact_behind_nat_is_reached_at_its_register_source(void **state)
{
	struct sipx_contact ct;
	char out[SIPX_URI_SZ];
	(void)state;

	memset(&ct, 0, sizeof(ct));
	strcpy(ct.uri, "sip:1001@192.168.1.20:5062;transport=udp;ob");
	assert_int_equal(0, sa_set_str(&ct.source, "203.0.113.9", 40123));
	assert_int_equal(0, sipx_contact_target(&ct, out, sizeof(out)));
	assert_string_equal("sip:1001@203.0.113.9:40123;transport=udp;ob", out);

	/* Reached where it said: the URI as registered. */
	strcpy(ct.uri, "sip:1001@203.0.113.9:40123");
	assert_int_equal(0, sipx_contact_target(&ct, out, sizeof(out)));
	assert_string_equal("sip:1001@203.0.113.9:40123", out);

	/* The same host, another port: a phone that registers from one
	 * socket and listens on another is rung where it listens. */
	strcpy(ct.uri, "sip:1001@203.0.113.9:5062");
	assert_int_equal(0, sipx_contact_target(&ct, out, sizeof(out)));
	assert_string_equal("sip:1001@203.0.113.9:5062", out);

	/* A host name is not compared with the source: taken as written. */
	strcpy(ct.uri, "sip:1001@phone.example.com:5060");
	assert_int_equal(0, sipx_contact_target(&ct, out, sizeof(out)));
	assert_string_equal("sip:1001@phone.example.com:5060", out);

	/* IPv6 sources are bracketed. */
	strcpy(ct.uri, "sip:1001@[fd00::5]:5060");
	assert_int_equal(0, sa_set_str(&ct.source, "2001:db8::9", 5070));
	assert_int_equal(0, sipx_contact_target(&ct, out, sizeof(out)));
	assert_string_equal("sip:1001@[2001:db8::9]:5070", out);

	assert_int_equal(ENOSPC, sipx_contact_target(&ct, out, 10));
}

/* A phone registered over TLS: reached over the connection it registered
 * on (its source), with transport=tls whether its Contact said so or not. */
static void a_tls_contact_is_reached_over_its_registration_flow(void **state)
{
	struct sipx_contact ct;
	char out[SIPX_URI_SZ];
	(void)state;

	memset(&ct, 0, sizeof(ct));
	ct.tp = SIP_TRANSP_TLS;
	strcpy(ct.uri, "sip:1002-x@127.0.0.1:5061;transport=tls");
	assert_int_equal(0, sa_set_str(&ct.source, "127.0.0.1", 47036));
	assert_int_equal(0, sipx_contact_target(&ct, out, sizeof(out)));
	assert_string_equal("sip:1002-x@127.0.0.1:47036;transport=tls", out);

	strcpy(ct.uri, "sip:1002@192.168.1.20:5061;ob");
	assert_int_equal(0, sipx_contact_target(&ct, out, sizeof(out)));
	assert_string_equal("sip:1002@127.0.0.1:47036;ob;transport=tls", out);

	/* the same Contact over UDP is rung where it listens */
	ct.tp = SIP_TRANSP_UDP;
	strcpy(ct.uri, "sip:1002@127.0.0.1:5062");
	assert_int_equal(0, sipx_contact_target(&ct, out, sizeof(out)));
	assert_string_equal("sip:1002@127.0.0.1:5062", out);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(registering_binds_publishes_and_stores),
		T(unregistering_publishes_and_deletes),
		T(a_wrong_password_binds_nothing),
		T(a_new_endpoint_restores_and_announces_bindings),
		T(trunks_are_trusted_sources_not_naming_an_extension),
		T(loopback_is_all_of_127_slash_8_and_v6_one),
		T(a_configured_trunk_source_is_trusted_outside_the_demo),
		cmocka_unit_test(a_contact_behind_nat_is_reached_at_its_register_source),
		cmocka_unit_test(a_tls_contact_is_reached_over_its_registration_flow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
