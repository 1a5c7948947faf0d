/* media srtp: SRTP (RFC 3711) on a leg, with libre's SRTP. The signalling
 * thread makes the contexts from the SDES keys and hands them to the leg's
 * media thread in a command; there every packet the leg receives is
 * decrypted before anything else looks at it, and every packet it sends is
 * encrypted last, so the engine in between only ever sees plain RTP.
 * Buffers are our own (an mbuf over them, sized so libre never grows it):
 * no allocation per packet. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/util.h"
#include "media/engine_int.h"

/* Our suites as libre names them. */
static const struct {
	enum media_srtp_suite ours;
	enum srtp_suite libre;
} suites[] = {
	{MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80, SRTP_AES_CM_128_HMAC_SHA1_80},
	{MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32, SRTP_AES_CM_128_HMAC_SHA1_32},
	{MEDIA_SRTP_AES_256_CM_HMAC_SHA1_80, SRTP_AES_256_CM_HMAC_SHA1_80},
	{MEDIA_SRTP_AES_256_CM_HMAC_SHA1_32, SRTP_AES_256_CM_HMAC_SHA1_32},
};

static int context(struct srtp **sp, const struct media_sdes *k)
{
	for (size_t i = 0; i < ARRAY_LEN(suites); i++) {
		if (suites[i].ours == k->suite)
			return srtp_alloc(sp, suites[i].libre, k->key, k->keylen,
					  0);
	}
	return EINVAL;
}

static bool same_key(const struct media_sdes *a, const struct media_sdes *b)
{
	return a->suite == b->suite && a->keylen == b->keylen &&
		!memcmp(a->key, b->key, a->keylen);
}

int media_leg_set_srtp(struct media_leg *l, const struct media_sdes *tx,
		       const struct media_sdes *rx)
{
	struct mcmd c = {.kind = CMD_SRTP};
	int err = 0;

	if (!l || !tx != !rx)
		return EINVAL;
	if (!tx && !l->sig_srtp)
		return 0;
	c.srtp_set_tx = !tx || !l->sig_srtp || !same_key(tx, &l->sig_tx);
	c.srtp_set_rx = !rx || !l->sig_srtp || !same_key(rx, &l->sig_rx);
	if (tx && c.srtp_set_tx)
		err = context(&c.srtp_tx, tx);
	if (!err && rx && c.srtp_set_rx)
		err = context(&c.srtp_rx, rx);
	if (!err)
		err = engine_post(l, &c);
	if (err) {
		mem_deref(c.srtp_tx);
		mem_deref(c.srtp_rx);
		return err;
	}
	l->sig_srtp = tx != NULL;
	if (tx) {
		l->sig_tx = *tx;
		l->sig_rx = *rx;
	}
	return 0;
}

void engine_srtp_apply(struct media_leg *l, struct mcmd *c)
{
	if (c->srtp_set_tx) {
		mem_deref(l->srtp_tx);
		l->srtp_tx = c->srtp_tx;
	}
	if (c->srtp_set_rx) {
		mem_deref(l->srtp_rx);
		l->srtp_rx = c->srtp_rx;
	}
}

void engine_srtp_drop(struct media_leg *l)
{
	l->srtp_tx = mem_deref(l->srtp_tx);
	l->srtp_rx = mem_deref(l->srtp_rx);
}

bool engine_srtp_open(struct media_leg *l, uint8_t *buf, size_t *n)
{
	struct mbuf mb = {.buf = buf, .size = *n, .pos = 0, .end = *n};

	/* RTCP multiplexed on the port (RFC 5761: types 192..223): we send
	 * no reports and read none. */
	if (*n >= 2 && buf[1] >= 192 && buf[1] <= 223)
		return false;
	if (srtp_decrypt(l->srtp_rx, &mb))
		return false;
	*n = mb.end;
	return true;
}

int engine_srtp_seal(struct media_leg *l, const uint8_t *in, size_t n,
		     uint8_t *out, size_t cap, size_t *outn)
{
	/* libre writes the 32-bit rollover counter, then the tag, after
	 * the packet: room for the longer of the two. */
	struct mbuf mb = {.buf = out, .size = cap, .pos = 0, .end = n};
	int err;

	if (n + 16 > cap)
		return EMSGSIZE;
	memcpy(out, in, n);
	err = srtp_encrypt(l->srtp_tx, &mb);
	if (!err)
		*outn = mb.end;
	return err;
}
