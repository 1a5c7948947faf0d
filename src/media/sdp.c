/* Audio SDP (RFC 4566): a strict line-by-line parser. Each line is checked
 * against the table below for where it may appear; the lines we use are
 * parsed fully and refused when malformed, the rest only need the "x=value"
 * shape. The audio stream we use is the first RTP/AVP or RTP/SAVP audio
 * with a port. An a=crypto line we cannot use (sdes.c) does not make the
 * description malformed: RFC 4568 has the answerer try the next one. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "base/util.h"
#include "media/media_int.h"

struct parse {
	struct media_sdp *sdp;
	int       line;
	int       next;           /* the v, o, s lines come first, in order */
	bool      in_media;
	bool      seen_t;
	bool      sess_c;         /* c= at session level */
	char      sess_addr[MEDIA_SDP_ADDR_LEN];
	int       sess_af;
	int       sess_dir;       /* -1 unless a session-level direction */
	bool      cur_c;          /* the current m= line has its own c= */
	bool      cur_audio;      /* the current m= line is sdp->audio */
	bool      audio_c;        /* sdp->audio had its own c= */
	int       audio_dir;      /* -1 unless it had a direction */
	char     *why;
	size_t    whylen;
};

static int bad(struct parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct parse *p, const char *fmt, ...)
{
	va_list ap;
	/* Before the first line there is no line to name. */
	int k = p->line ? snprintf(p->why, p->whylen, "line %d: ", p->line)
			: snprintf(p->why, p->whylen, "%s", "");

	if (k >= 0 && (size_t)k < p->whylen) {
		va_start(ap, fmt);
		vsnprintf(p->why + k, p->whylen - (size_t)k, fmt, ap);
		va_end(ap);
	}
	return EBADMSG;
}

/* Splits off the next space-separated token of *s (NULL when none). */
static char *token(char **s)
{
	char *t = *s + strspn(*s, " ");
	char *e;

	if (!*t)
		return NULL;
	e = t + strcspn(t, " ");
	*s = *e ? e + 1 : e;
	*e = 0;
	return t;
}

static bool number(const char *s, uint64_t max, uint64_t *v)
{
	return s && util_parse_u64(s, 0, max, v) == 0;
}

/* "IN IP4 1.2.3.4" into a literal address and its family. */
static int conn_addr(struct parse *p, char *v, char *addr, int *af)
{
	char *net = token(&v), *type = token(&v), *a = token(&v);
	unsigned char bin[16];

	if (!net || strcmp(net, "IN") || !type || !a || token(&v))
		return bad(p, "c=: expected \"IN IP4|IP6 address\"");
	if (!strcmp(type, "IP4"))
		*af = AF_INET;
	else if (!strcmp(type, "IP6"))
		*af = AF_INET6;
	else
		return bad(p, "c=: unknown address type %.8s", type);
	if (inet_pton(*af, a, bin) != 1)
		return bad(p, "c=: bad %s address", type);
	util_strlcpy(addr, a, MEDIA_SDP_ADDR_LEN);
	return 0;
}

static int on_v(struct parse *p, char *v)
{
	return strcmp(v, "0") ? bad(p, "v=: version must be 0") : 0;
}

static int on_o(struct parse *p, char *v)
{
	char *user = token(&v), *id = token(&v), *ver = token(&v);
	char *net = token(&v), *type = token(&v), *addr = token(&v);

	if (!addr || token(&v) || !user)
		return bad(p, "o=: expected 6 fields");
	if (!number(id, UINT64_MAX, &p->sdp->sess_id) ||
	    !number(ver, UINT64_MAX, &p->sdp->sess_ver))
		return bad(p, "o=: session id and version must be numbers");
	if (strcmp(net, "IN") || (strcmp(type, "IP4") && strcmp(type, "IP6")))
		return bad(p, "o=: expected IN IP4|IP6");
	return 0;
}

static int on_s(struct parse *p, char *v)
{
	(void)v;
	(void)p;
	return 0;
}

static int on_t(struct parse *p, char *v)
{
	uint64_t start, stop;

	if (!number(token(&v), UINT64_MAX, &start) ||
	    !number(token(&v), UINT64_MAX, &stop) || token(&v))
		return bad(p, "t=: expected two numbers");
	p->seen_t = true;
	return 0;
}

static int on_c(struct parse *p, char *v)
{
	struct media_sdp *sdp = p->sdp;
	int err;

	if (!p->in_media) {
		if (p->sess_c)
			return bad(p, "c=: repeated");
		p->sess_c = true;
		return conn_addr(p, v, p->sess_addr, &p->sess_af);
	}
	if (p->cur_c)
		return bad(p, "c=: repeated");
	p->cur_c = true;
	if (!p->cur_audio) {
		char addr[MEDIA_SDP_ADDR_LEN];
		int af;

		return conn_addr(p, v, addr, &af);
	}
	err = conn_addr(p, v, sdp->addr, &sdp->af);
	p->audio_c = true;
	return err;
}

/* Static payload types (RFC 3551) that may come without a=rtpmap. */
static const struct { uint8_t pt; const char *name; } statics[] = {
	{0, "PCMU"}, {3, "GSM"}, {4, "G723"}, {8, "PCMA"}, {9, "G722"},
	{18, "G729"},
};

static int add_format(struct parse *p, const char *f)
{
	struct media_sdp *sdp = p->sdp;
	struct media_codec *c;
	uint64_t pt;

	if (!number(f, 127, &pt))
		return bad(p, "m=: format %.8s is not a payload type", f);
	for (size_t i = 0; i < sdp->ncodecs; i++)
		if (sdp->codecs[i].pt == pt)
			return bad(p, "m=: payload type %u repeated",
				   (unsigned)pt);
	if (sdp->ncodecs == MEDIA_SDP_MAX_FMT)
		return bad(p, "m=: more than %d formats", MEDIA_SDP_MAX_FMT);
	c = &sdp->codecs[sdp->ncodecs++];
	memset(c, 0, sizeof(*c));
	c->pt = (uint8_t)pt;
	c->channels = 1;
	for (size_t i = 0; i < ARRAY_LEN(statics); i++) {
		if (statics[i].pt == pt) {
			util_strlcpy(c->name, statics[i].name, sizeof(c->name));
			c->rate = MEDIA_RATE;
		}
	}
	return 0;
}

static int on_m(struct parse *p, char *v)
{
	struct media_sdp *sdp = p->sdp;
	struct media_sdp_media *m;
	char *media = token(&v), *port = token(&v), *proto = token(&v);
	uint64_t n;
	int err;

	v += strspn(v, " ");
	if (!proto || !*v)
		return bad(p, "m=: expected media, port, proto and formats");
	if (sdp->nmedia == MEDIA_SDP_MAX_MEDIA)
		return bad(p, "m=: more than %d streams", MEDIA_SDP_MAX_MEDIA);
	if (!number(port, 65535, &n))
		return bad(p, "m=: bad port");
	m = &sdp->media[sdp->nmedia];
	if (util_strlcpy(m->media, media, sizeof(m->media)) ||
	    util_strlcpy(m->proto, proto, sizeof(m->proto)) ||
	    util_strlcpy(m->fmts, v, sizeof(m->fmts)))
		return bad(p, "m=: field too long");
	m->port = (uint16_t)n;

	p->in_media = true;
	p->cur_c = false;
	p->cur_audio = sdp->audio < 0 && n != 0 && !strcmp(media, "audio") &&
		       (!strcmp(proto, "RTP/AVP") || !strcmp(proto, "RTP/SAVP"));
	if (p->cur_audio) {
		sdp->audio = (int)sdp->nmedia;
		sdp->port = m->port;
		sdp->secure = !strcmp(proto, "RTP/SAVP");
		for (char *f; (f = token(&v));)
			if ((err = add_format(p, f)))
				return err;
	}
	sdp->nmedia++;
	return 0;
}

static struct media_codec *find_pt(struct media_sdp *sdp, const char *s,
				   char **rest)
{
	char *end;
	long pt = strtol(s, &end, 10);

	if (end == s || *end != ' ' || pt < 0 || pt > 127)
		return NULL;
	*rest = end + 1;
	for (size_t i = 0; i < sdp->ncodecs; i++)
		if (sdp->codecs[i].pt == pt)
			return &sdp->codecs[i];
	return NULL;
}

/* rtpmap:<pt> <name>/<rate>[/<channels>] */
static int on_rtpmap(struct parse *p, char *v)
{
	char *rest, *rate, *ch;
	struct media_codec *c = find_pt(p->sdp, v, &rest);
	uint64_t r, n = 1;

	if (!c)      /* a format not on the m= line: nothing to describe */
		return 0;
	rate = strchr(rest, '/');
	if (!rate || rate == rest)
		return bad(p, "a=rtpmap: expected pt name/rate[/channels]");
	*rate++ = 0;
	ch = strchr(rate, '/');
	if (ch)
		*ch++ = 0;
	if (!number(rate, UINT32_MAX, &r) || r == 0 ||
	    (ch && (!number(ch, 255, &n) || n == 0)))
		return bad(p, "a=rtpmap: bad clock rate or channels");
	if (util_strlcpy(c->name, rest, sizeof(c->name)) || strchr(rest, ' '))
		return bad(p, "a=rtpmap: bad encoding name");
	c->rate = (uint32_t)r;
	c->channels = (uint8_t)n;
	return 0;
}

static int on_fmtp(struct parse *p, char *v)
{
	char *rest;
	struct media_codec *c = find_pt(p->sdp, v, &rest);

	if (c && util_strlcpy(c->fmtp, rest, sizeof(c->fmtp)))
		return bad(p, "a=fmtp: parameters too long");
	return 0;
}

static int on_ptime(struct parse *p, char *v)
{
	uint64_t ms;

	if (!number(v, 1000, &ms) || ms == 0)
		return bad(p, "a=ptime: expected milliseconds");
	p->sdp->ptime = (unsigned)ms;
	return 0;
}

static int on_crypto(struct parse *p, char *v)
{
	struct media_sdp *sdp = p->sdp;
	struct media_sdes c;
	char why[sizeof(sdp->crypto_why)];

	if (media_sdes_parse(&c, v, why, sizeof(why))) {
		if (!sdp->crypto_refused++)
			util_strlcpy(sdp->crypto_why, why,
				     sizeof(sdp->crypto_why));
	}
	else if (sdp->ncrypto < MEDIA_SDES_MAX) {
		sdp->crypto[sdp->ncrypto++] = c;
	}
	return 0;
}

static const struct {
	const char *name;
	enum media_dir dir;
} dirs[] = {
	{"sendrecv", MEDIA_SENDRECV}, {"sendonly", MEDIA_SENDONLY},
	{"recvonly", MEDIA_RECVONLY}, {"inactive", MEDIA_INACTIVE},
};

/* The valued attributes we read on the audio stream; others are skipped. */
static const struct {
	const char *name;
	int (*h)(struct parse *p, char *v);
} attrs[] = {
	{"rtpmap", on_rtpmap},
	{"fmtp",   on_fmtp},
	{"ptime",  on_ptime},
	{"crypto", on_crypto},
};

static int on_a(struct parse *p, char *v)
{
	char *colon = strchr(v, ':');
	size_t nlen = colon ? (size_t)(colon - v) : strlen(v);

	if (nlen == 0)
		return bad(p, "a=: empty attribute name");
	for (size_t i = 0; i < ARRAY_LEN(dirs); i++) {
		if (colon || strcmp(v, dirs[i].name))
			continue;
		if (!p->in_media)
			p->sess_dir = (int)dirs[i].dir;
		else if (p->cur_audio)
			p->audio_dir = (int)dirs[i].dir;
		return 0;
	}
	if (!p->cur_audio)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(attrs); i++) {
		if (strlen(attrs[i].name) != nlen ||
		    strncmp(v, attrs[i].name, nlen))
			continue;
		if (!colon || !colon[1])
			return bad(p, "a=%s: missing value", attrs[i].name);
		return attrs[i].h(p, colon + 1);
	}
	return 0;
}

static int on_other(struct parse *p, char *v)
{
	(void)p;
	(void)v;
	return 0;
}

/* Every line type RFC 4566 defines, where it may appear, and who reads it.
 * v, o and s must be the first three lines, in that order. */
static const struct {
	char type;
	bool session, media;
	int (*h)(struct parse *p, char *v);
} lines[] = {
	{'v', true, false, on_v},     {'o', true, false, on_o},
	{'s', true, false, on_s},     {'i', true, true, on_other},
	{'u', true, false, on_other}, {'e', true, false, on_other},
	{'p', true, false, on_other}, {'c', true, true, on_c},
	{'b', true, true, on_other},  {'t', true, false, on_t},
	{'r', true, false, on_other}, {'z', true, false, on_other},
	{'k', true, true, on_other},  {'a', true, true, on_a},
	{'m', true, true, on_m},
};

static int one_line(struct parse *p, char *l)
{
	static const char first[] = "vos";
	size_t i;

	if (l[0] < 'a' || l[0] > 'z' || l[1] != '=')
		return bad(p, "expected x=value");
	for (i = 0; i < ARRAY_LEN(lines) && lines[i].type != l[0]; i++)
		;
	if (i == ARRAY_LEN(lines))
		return bad(p, "unknown line type %c=", l[0]);
	if (p->next < 3 && l[0] != first[p->next])
		return bad(p, "expected %c=", first[p->next]);
	if (p->next >= 3 && strchr(first, l[0]))
		return bad(p, "%c= out of place", l[0]);
	p->next++;
	if (p->in_media ? !lines[i].media : !lines[i].session)
		return bad(p, "%c= not allowed here", l[0]);
	return lines[i].h(p, l + 2);
}

/* After the last line: the checks that need the whole description. */
static int finish(struct parse *p)
{
	struct media_sdp *sdp = p->sdp;

	if (p->next < 3)
		return bad(p, "missing %c= line", "vos"[p->next]);
	if (!p->seen_t)
		return bad(p, "missing t= line");
	if (!sdp->nmedia)
		return bad(p, "no m= line");
	if (sdp->audio < 0)
		return 0;
	if (!p->audio_c) {
		if (!p->sess_c)
			return bad(p, "no c= line for the audio stream");
		memcpy(sdp->addr, p->sess_addr, sizeof(sdp->addr));
		sdp->af = p->sess_af;
	}
	sdp->dir = MEDIA_SENDRECV;
	if (p->sess_dir >= 0)
		sdp->dir = (enum media_dir)p->sess_dir;
	if (p->audio_dir >= 0)
		sdp->dir = (enum media_dir)p->audio_dir;
	sdp->hold_addr = sdp->af == AF_INET && !strcmp(sdp->addr, "0.0.0.0");
	return 0;
}

int media_sdp_parse(struct media_sdp *sdp, const char *text, size_t len,
		    char *why, size_t n)
{
	struct parse p = {
		.sdp = sdp, .sess_dir = -1, .audio_dir = -1,
		.why = why, .whylen = n,
	};
	char line[MEDIA_SDP_MAX_LINE + 1];
	size_t i = 0;
	int err;

	memset(sdp, 0, sizeof(*sdp));
	sdp->audio = -1;
	if (len > MEDIA_SDP_MAX_LEN)
		return bad(&p, "description longer than %d bytes",
			   MEDIA_SDP_MAX_LEN);
	while (i < len) {
		size_t k = 0;

		p.line++;
		for (; i < len && text[i] != '\n'; i++) {
			unsigned char ch = (unsigned char)text[i];

			if (ch == '\r' && (i + 1 == len || text[i + 1] == '\n'))
				continue;
			if (ch < 0x20 || ch == 0x7F)
				return bad(&p, "control character");
			if (k == MEDIA_SDP_MAX_LINE)
				return bad(&p, "longer than %d bytes",
					   MEDIA_SDP_MAX_LINE);
			line[k++] = (char)ch;
		}
		i++;                                 /* the '\n' */
		line[k] = 0;
		if (k == 0 && i >= len)
			break;                       /* a final empty line */
		if ((err = one_line(&p, line)))
			return err;
	}
	return finish(&p);
}
