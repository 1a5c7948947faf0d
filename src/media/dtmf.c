/* RFC 4733 telephone-events: the payload, a receiver that turns a stream of
 * redundant packets into key presses, and a sender that produces them. */
#include <errno.h>
#include <string.h>
#include "media/media_int.h"

static const char digits[] = "0123456789*#ABCD";

enum {
	END_REPEATS = 3,          /* RFC 4733 2.5.1.4: the end packet, 3 times */
	/* A segment this long may continue in a new one (2.5.1.3): anything
	 * shorter that is followed by a new timestamp was released. */
	LONG_SEGMENT = 0xFFFF - 10 * MEDIA_FRAME,
};

int media_dtmf_decode(struct media_dtmf_event *ev, const uint8_t *p,
		      size_t len)
{
	if (len < 4)
		return EBADMSG;
	ev->event = p[0];
	ev->end = p[1] >> 7;
	ev->volume = p[1] & 0x3F;
	ev->duration = (uint16_t)(p[2] << 8 | p[3]);
	return 0;
}

void media_dtmf_encode(uint8_t p[4], const struct media_dtmf_event *ev)
{
	p[0] = ev->event;
	p[1] = (uint8_t)((ev->end ? 0x80 : 0) | (ev->volume & 0x3F));
	p[2] = (uint8_t)(ev->duration >> 8);
	p[3] = (uint8_t)ev->duration;
}

char media_dtmf_char(uint8_t event)
{
	return event < 16 ? digits[event] : 0;
}

int media_dtmf_code(char digit, uint8_t *event)
{
	const char *p;

	if (digit >= 'a' && digit <= 'd')
		digit = (char)(digit - 'a' + 'A');
	p = digit ? strchr(digits, digit) : NULL;
	if (!p)
		return EINVAL;
	*event = (uint8_t)(p - digits);
	return 0;
}

void media_dtmf_rx_init(struct media_dtmf_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
}

/* A packet with a later timestamp is normally a new press; it is the same
 * press when a long one rolls over into a new segment: no marker, the same
 * event, and the previous segment was nearly full and never ended. */
static bool continues(const struct media_dtmf_rx *rx,
		      const struct media_dtmf_event *ev, bool marker)
{
	return !marker && ev->event == rx->event && !rx->ended &&
	       rx->duration >= LONG_SEGMENT;
}

int media_dtmf_rx_feed(struct media_dtmf_rx *rx, uint32_t ts, bool marker,
		       const uint8_t *payload, size_t len, char *digit)
{
	struct media_dtmf_event ev;
	bool is_new;
	int err;

	err = media_dtmf_decode(&ev, payload, len);
	if (err)
		return err;
	if (!media_dtmf_char(ev.event))
		return ENOENT;

	if (!rx->have) {
		is_new = true;
	} else if (ts == rx->ts) {
		/* A repeat, an update or an end, unless a sender reused the
		 * timestamp for a different key. */
		is_new = ev.event != rx->event;
	} else if ((int32_t)(ts - rx->ts) < 0) {
		return ENOENT;             /* from a press already reported */
	} else {
		is_new = !continues(rx, &ev, marker);
	}

	if (is_new || ts != rx->ts) {
		rx->have = true;
		rx->event = ev.event;
		rx->ts = ts;
		rx->ended = false;
		rx->duration = 0;
	}
	rx->ended = rx->ended || ev.end;
	if (ev.duration > rx->duration)
		rx->duration = ev.duration;
	if (!is_new)
		return ENOENT;
	*digit = media_dtmf_char(ev.event);
	return 0;
}

int media_dtmf_tx_start(struct media_dtmf_tx *tx, char digit,
			unsigned duration_ms, uint8_t volume)
{
	unsigned frames = (duration_ms + 19) / 20;
	uint8_t event;

	if (media_dtmf_code(digit, &event) || volume > 63 ||
	    frames == 0 || frames * MEDIA_FRAME > 0xFFFF)
		return EINVAL;
	memset(tx, 0, sizeof(*tx));
	tx->event = event;
	tx->volume = volume;
	tx->total = (uint16_t)(frames * MEDIA_FRAME);
	return 0;
}

int media_dtmf_tx_next(struct media_dtmf_tx *tx, uint8_t payload[4],
		       bool *marker)
{
	struct media_dtmf_event ev = {.event = tx->event, .volume = tx->volume};

	if (tx->ends == END_REPEATS || tx->total == 0)
		return ENOENT;
	*marker = tx->sent == 0;
	if (tx->sent < tx->total)
		tx->sent = (uint16_t)(tx->sent + MEDIA_FRAME);
	ev.duration = tx->sent;
	ev.end = tx->sent == tx->total;
	if (ev.end)
		tx->ends++;
	media_dtmf_encode(payload, &ev);
	return 0;
}
