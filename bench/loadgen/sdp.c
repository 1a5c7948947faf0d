/* sdp: the one audio offer every call makes (PCMU, PCMA, telephone-event)
 * and the choice of what to send once the peer has answered or offered.
 * libre lists every common codec in the peer's order; we send the first
 * G.711 one, as a phone would. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "loadgen.h"

int lg_sdp_alloc(struct sdp_session **sp, const struct sa *ip, uint16_t port)
{
	struct sdp_session *s = NULL;
	struct sdp_media *m;
	int err;

	err = sdp_session_alloc(&s, ip);
	if (err)
		return err;
	err = sdp_media_add(&m, s, "audio", port, "RTP/AVP");
	err |= sdp_format_add(NULL, m, false, "0", "PCMU", 8000, 1,
			      NULL, NULL, NULL, false, NULL);
	err |= sdp_format_add(NULL, m, false, "8", "PCMA", 8000, 1,
			      NULL, NULL, NULL, false, NULL);
	err |= sdp_format_add(NULL, m, false, "101", "telephone-event", 8000, 1,
			      NULL, NULL, NULL, false, "0-15");
	if (err) {
		mem_deref(s);
		return err ? ENOMEM : 0;
	}
	*sp = s;
	return 0;
}

int lg_sdp_remote(const struct sdp_session *s, struct sa *raddr, int *pt,
		  int *evpt)
{
	const struct list *ml = sdp_session_medial(s, false);
	const struct sdp_media *m = ml && ml->head ? ml->head->data : NULL;
	const struct sdp_format *ev;

	if (!m)
		return ENOENT;
	*pt = -1;
	for (const struct le *le = list_head(sdp_media_format_lst(m, false));
	     le; le = le->next) {
		const struct sdp_format *f = le->data;

		if (f->sup && (!str_casecmp(f->name, "PCMU") ||
			       !str_casecmp(f->name, "PCMA"))) {
			*pt = f->pt;
			break;
		}
	}
	if (*pt < 0)
		return ENOENT;
	if (!sdp_media_rport(m))
		return EPROTO;
	ev = sdp_media_rformat(m, "telephone-event");
	*evpt = ev ? ev->pt : -1;
	*raddr = *sdp_media_raddr(m);
	return 0;
}
