/* call/http_data: a call's call-associated data (随路数据) through the API.
 *
 * GET answers the stored data of any call the user may see (live or
 * ended), as JSON — {"call_id": id, "data": {section: {key: value}}} — or,
 * for other CTI systems, as XML when asked (?format=xml or an Accept
 * header naming application/xml):
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <callData callId="…">
 *     <section name="order"><item key="number">123</item></section>
 *   </callData>
 *
 * Names go in attributes and values in text, escaped, so any name of any
 * length fits. PUT merges {section: {key: "value"}} into a live call's
 * data, checked whole before anything is set. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/http.h"
#include "base/bus.h"
#include "base/events.h"
#include "base/mod.h"
#include "call/call.h"
#include "call/http_int.h"
#include "db/db.h"

static int data_row(const struct db_row *row, void *arg)
{
	json_t *data = arg, *sec;
	const char *s = db_row_text(row, 0);

	sec = json_object_get(data, s);
	if (!sec && json_object_set_new(data, s, sec = json_object()))
		return ENOMEM;
	return json_object_set_new(sec, db_row_text(row, 1),
				   json_string(db_row_text(row, 2))) ? ENOMEM : 0;
}

struct data_job {
	struct api_job j;
	json_t *call, *data;
};

static void data_clean(struct api_job *j)
{
	struct data_job *d = (struct data_job *)j;

	json_decref(d->call);
	json_decref(d->data);
}

static void data_work(struct api_job *j)
{
	struct data_job *d = (struct data_job *)j;

	j->err = call_http_read(&j->req, &d->call);
	if (j->err)
		return;
	d->data = json_object();
	j->err = !d->data ? ENOMEM : db_query(api_house(&j->req)->db, data_row,
		d->data, "SELECT section, key, value FROM call_data "
		"WHERE call_id = ? ORDER BY seq", "t",
		json_string_value(json_object_get(d->call, "id")));
	if (j->err)
		j->err = EIO;
}

/* s, escaped for XML text and attribute values. Characters XML 1.0 cannot
 * hold at all (controls other than tab, LF, CR) are left out. */
static void xml_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '&':  fputs("&amp;", f);  break;
		case '<':  fputs("&lt;", f);   break;
		case '>':  fputs("&gt;", f);   break;
		case '"':  fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '\t': case '\n': case '\r':
			fprintf(f, "&#%u;", ch);
			break;
		default:
			if (ch >= 0x20 && ch != 0x7f)
				fputc(ch, f);
		}
	}
}

static int to_xml(const char *id, const json_t *data, char **out,
		  size_t *len)
{
	FILE *f = open_memstream(out, len);
	const char *s, *k;
	json_t *sec, *v;

	if (!f)
		return ENOMEM;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<callData callId=\"",
	      f);
	xml_escape(f, id);
	fputs("\">\n", f);
	json_object_foreach((json_t *)data, s, sec) {
		fputs("  <section name=\"", f);
		xml_escape(f, s);
		fputs("\">\n", f);
		json_object_foreach(sec, k, v) {
			fputs("    <item key=\"", f);
			xml_escape(f, k);
			fputs("\">", f);
			xml_escape(f, json_string_value(v));
			fputs("</item>\n", f);
		}
		fputs("  </section>\n", f);
	}
	fputs("</callData>\n", f);
	return fclose(f) ? ENOMEM : 0;
}

static bool wants_xml(const struct api_req *req)
{
	char v[16];

	if (!api_query_get(req->query, "format", v, sizeof(v)))
		return !strcmp(v, "xml");
	return api_req_accepts(req, "application/xml") ||
	       api_req_accepts(req, "text/xml");
}

static void data_done(struct api_job *j)
{
	struct data_job *d = (struct data_job *)j;
	const char *id;
	char *xml = NULL;
	size_t len = 0;

	if (j->err) {
		call_http_refuse(j->req.conn, j->err);
		return;
	}
	id = json_string_value(json_object_get(d->call, "id"));
	if (!wants_xml(&j->req)) {
		api_reply_json(j->req.conn, 200, NULL, json_pack("{s:s, s:O}",
			       "call_id", id, "data", d->data));
		return;
	}
	if (to_xml(id, d->data, &xml, &len))
		api_reply_error(j->req.conn, 500, "cannot write XML");
	else
		api_reply_body(j->req.conn, 200,
			       "application/xml; charset=utf-8", xml, len);
	free(xml);
}

void call_h_data_get(struct api_req *req)
{
	char v[16];
	int err = api_query_get(req->query, "format", v, sizeof(v));

	if (err != ENOENT && (err || (strcmp(v, "xml") && strcmp(v, "json")))) {
		api_reply_error(req->conn, 400, "bad 'format' (json or xml)");
		return;
	}
	api_job_queue(api_job_alloc(req, sizeof(struct data_job), data_work,
				    data_done, data_clean));
}

/* The body, checked whole: {section: {key: "value"}}, names not empty. */
static int body_check(const json_t *body, size_t *n, char *why, size_t wn)
{
	const char *s, *k;
	json_t *sec, *v;

	*n = 0;
	json_object_foreach((json_t *)body, s, sec) {
		if (!*s) {
			snprintf(why, wn, "a section needs a name");
			return EINVAL;
		}
		if (!json_is_object(sec) || !json_object_size(sec)) {
			snprintf(why, wn, "section '%.64s': want {key: value}", s);
			return EINVAL;
		}
		json_object_foreach(sec, k, v) {
			if (!*k || !json_is_string(v)) {
				snprintf(why, wn, "'%.64s.%.64s': want a non-empty "
					 "key and a text value", s, k);
				return EINVAL;
			}
			(*n)++;
		}
	}
	if (!*n) {
		snprintf(why, wn, "nothing to set: want {section: {key: value}}");
		return EINVAL;
	}
	return 0;
}

void call_h_data_put(struct api_req *req)
{
	struct call_mgr *m = api_house(req)->calls;
	const char *id = api_param(&req->params, "id"), *s, *k;
	const char *agent = req->user.role_bit == API_R_AGENT ?
		req->user.ext : NULL;
	json_t *body = NULL, *sec, *v, *set = json_object();
	char why[256] = "";
	size_t n, done = 0;
	int err = 0;

	if (!m) {
		api_reply_error(req->conn, 503, "calls are not running");
		return;
	}
	if (api_req_body(req, &body, why, sizeof(why)) ||
	    body_check(body, &n, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		json_decref(body);
		json_decref(set);
		return;
	}
	json_object_foreach(body, s, sec) {
		json_object_foreach(sec, k, v) {
			err = call_data_set(m, id, agent, s, k,
					    json_string_value(v));
			if (err)
				goto out;
			done++;
			if (set && !json_object_get(set, s))
				json_object_set_new(set, s, json_object());
			if (set)
				json_object_set(json_object_get(set, s), k, v);
		}
	}
out:
	/* The consoles following the call see what was set (all of it, or
	 * the part set before the data filled up), as they see the IVR's
	 * data in the call's other events (the CTI promise). */
	if (done && set)
		bus_publish(api_house(req)->bus, BUS_CALL_DATA, id,
			    util_now_ms(), json_pack("{s:s, s:O}", "by",
			    req->user.username, "data", set));
	json_decref(set);
	if (!err)
		api_reply_json(req->conn, 200, NULL, json_pack("{s:s, s:I}",
			       "call_id", id, "set", (json_int_t)done));
	else if (err == ENOENT)
		api_reply_error(req->conn, 404, "no such live call");
	else if (err == ENOSPC)
		api_reply_error(req->conn, 413, "the call's data is full "
				"(%zu of %zu entries set)", done, n);
	else
		api_reply_error(req->conn, 500, "cannot set data: %s",
				strerror(err));
	json_decref(body);
}
